/* RSA private operation by the Chinese remainder theorem: m1 = c^dP mod p
 * and m2 = c^dQ mod q, run as a pair on the IFMA kernel, then
 * m = m2 + q * (qInv * (m1 - m2) mod p). libtomcrypt does the same with
 * GMP one half at a time; GMP's mpz_powm is about 2.5x slower than the
 * kernel on a 1024-bit half here (see `make bench`).
 *
 * Every result is checked by raising it to e (as libtomcrypt does against
 * fault attacks); a mismatch falls back to libtomcrypt, so a bug in the
 * kernel would cost time, not a wrong answer. */
#include "tls/rsa_priv.h"

#include "tls/bytes.h"
#include "tls/crypto.h"
#include "tls/mont52.h"

#include <gmp.h>
#include <stdlib.h>
#include <string.h>

#define MASK52 ((UINT64_C(1) << 52) - 1)
#define EXP_WORDS 18 /* 1152 bits: room for any exponent below a 1038-bit prime */

static void to52(uint64_t out[TLS_M52_PAD], mpz_srcptr v)
{
	uint64_t w[EXP_WORDS + 1] = {0};
	size_t n = 0;
	mpz_export(w, &n, -1, sizeof w[0], 0, 0, v);
	memset(out, 0, TLS_M52_PAD * sizeof out[0]);
	for (int i = 0; i < TLS_M52_LIMBS; i++) {
		unsigned bit = 52u * (unsigned)i, word = bit / 64, sh = bit % 64;
		uint64_t x = w[word] >> sh;
		if (sh > 12)
			x |= w[word + 1] << (64 - sh);
		out[i] = x & MASK52;
	}
}

static void from52(mpz_ptr v, const uint64_t in[TLS_M52_PAD])
{
	uint64_t w[EXP_WORDS] = {0};
	for (int i = 0; i < TLS_M52_LIMBS; i++) {
		unsigned bit = 52u * (unsigned)i, word = bit / 64, sh = bit % 64;
		w[word] |= in[i] << sh;
		if (sh > 12)
			w[word + 1] |= in[i] >> (64 - sh);
	}
	mpz_import(v, EXP_WORDS, -1, sizeof w[0], 0, 0, w);
}

/* A half the kernel can take: odd modulus within its limit and an
 * exponent that fits the word buffer. */
static int fits(mpz_srcptr m, mpz_srcptr e)
{
	return mpz_odd_p(m) && mpz_sizeinbase(m, 2) <= TLS_M52_MAX_BITS && mpz_sgn(e) > 0 &&
	       mpz_sizeinbase(e, 2) <= 64 * EXP_WORDS;
}

static void setup(tls_m52_job *j, uint64_t ew[EXP_WORDS], mpz_srcptr c, mpz_srcptr m, mpz_srcptr e, mpz_ptr t)
{
	to52(j->mod, m);
	mpz_mod(t, c, m);
	to52(j->base, t);
	mpz_set_ui(t, 0);
	mpz_setbit(t, 2 * 52 * TLS_M52_LIMBS); /* R^2 */
	mpz_mod(t, t, m);
	to52(j->rr, t);
	size_t n = 0;
	memset(ew, 0, EXP_WORDS * sizeof ew[0]);
	mpz_export(ew, &n, -1, sizeof ew[0], 0, 0, e);
	j->exp = ew;
	/* As many windows as the modulus has bits, not the exponent: the
	 * running time must not tell dP's or dQ's length. */
	j->exp_bits = mpz_sizeinbase(m, 2);
}

/* m = c^d mod n with the kernel; 0, or -1 when it cannot or its answer
 * does not survive the check. */
static int crt_pair(const rsa_key *key, mpz_srcptr c, mpz_ptr m)
{
	mpz_srcptr p = key->p, q = key->q, dp = key->dP, dq = key->dQ;
	if (!tls_m52_available() || key->type != PK_PRIVATE || !fits(p, dp) || !fits(q, dq))
		return -1;
	tls_m52_job jp, jq;
	uint64_t ewp[EXP_WORDS], ewq[EXP_WORDS];
	mpz_t t, m1, m2;
	mpz_inits(t, m1, m2, NULL);
	setup(&jp, ewp, c, p, dp, t);
	setup(&jq, ewq, c, q, dq, t);
	tls_m52_powm2(&jp, &jq);
	from52(m1, jp.out);
	from52(m2, jq.out);
	mpz_sub(t, m1, m2);
	mpz_mul(t, t, (mpz_srcptr)key->qP);
	mpz_mod(t, t, p);
	mpz_mul(t, t, q);
	mpz_add(m, t, m2);
	mpz_powm(t, m, (mpz_srcptr)key->e, (mpz_srcptr)key->N);
	int ok = mpz_cmp(t, c) == 0;
	tls_wipe(&jp, sizeof jp);
	tls_wipe(&jq, sizeof jq);
	tls_wipe(ewp, sizeof ewp);
	tls_wipe(ewq, sizeof ewq);
	mpz_clears(t, m1, m2, NULL);
	return ok ? 0 : -1;
}

static unsigned long kernel_uses;

unsigned long tls_rsa_kernel_uses(void)
{
	return kernel_uses;
}

/* Blinding, as libtomcrypt's rsa_exptmod does it: the kernel and the
 * recombination see c * r^e mod n, never a chosen c, so their timing says
 * nothing about the primes. libtomcrypt draws r from the system; here r
 * comes from SHA-256 over the private exponent and a counter, because the
 * engine takes nothing from the system (whoever could compute r holds d
 * already). A fresh r costs an inversion and an exponentiation, so, as
 * OpenSSL does, the pair (r^e, 1/r) is squared after each use and drawn
 * afresh every BLIND_USES uses or when the key changes. */
#define BLIND_USES 32

static struct {
	int ready;
	unsigned uses;
	unsigned long draws;
	mpz_t n, a, ai; /* a = r^e, ai = 1/r, mod n */
} bl;

static int blind_draw(const rsa_key *key)
{
	mpz_srcptr n = key->N, d = key->d;
	size_t nb = (mpz_sizeinbase(n, 2) + 7) / 8, rb = nb + 16, dl = 0;
	int h = tls_hash_sha256(), ok = 0;
	uint8_t *buf = malloc(nb + rb + 32);
	if (!buf || h < 0 || mpz_sizeinbase(d, 2) > 8 * nb) {
		free(buf);
		return -1;
	}
	if (!bl.ready)
		mpz_inits(bl.n, bl.a, bl.ai, NULL);
	bl.ready = 1;
	uint8_t *out = buf + nb;
	mpz_export(buf, &dl, 1, 1, 0, 0, d);
	for (int attempt = 0; !ok && attempt < 8; attempt++, bl.draws++) {
		for (size_t at = 0, blk = 0; at < rb; at += 32, blk++) {
			hash_state st;
			uint8_t ctr[9];
			for (int i = 0; i < 8; i++)
				ctr[i] = (uint8_t)(bl.draws >> (8 * i));
			ctr[8] = (uint8_t)blk;
			hash_descriptor[h].init(&st);
			hash_descriptor[h].process(&st, buf, (unsigned long)dl);
			hash_descriptor[h].process(&st, ctr, sizeof ctr);
			hash_descriptor[h].done(&st, out + at);
		}
		mpz_import(bl.a, rb, 1, 1, 0, 0, out);
		mpz_mod(bl.a, bl.a, n); /* r, for now */
		ok = mpz_sgn(bl.a) && mpz_invert(bl.ai, bl.a, n);
	}
	if (ok) {
		mpz_powm(bl.a, bl.a, (mpz_srcptr)key->e, n);
		mpz_set(bl.n, n);
		bl.uses = 0;
	}
	tls_wipe(buf, nb + rb + 32);
	free(buf);
	return ok ? 0 : -1;
}

/* m = c^d mod n through the kernel, blinded: c' = c * r^e, m = m' / r. */
static int blinded_pair(const rsa_key *key, mpz_srcptr c, mpz_ptr m)
{
	mpz_srcptr n = key->N;
	if (!tls_m52_available())
		return -1;
	if ((!bl.ready || bl.uses >= BLIND_USES || mpz_cmp(bl.n, n)) && blind_draw(key))
		return -1;
	mpz_t cb;
	mpz_init(cb);
	mpz_mul(cb, c, bl.a);
	mpz_mod(cb, cb, n);
	int rc = crt_pair(key, cb, m);
	if (!rc) {
		mpz_mul(m, m, bl.ai);
		mpz_mod(m, m, n);
		kernel_uses++;
	}
	/* The next r is r^2: (r^e)^2 and (1/r)^2. */
	mpz_mul(bl.a, bl.a, bl.a);
	mpz_mod(bl.a, bl.a, n);
	mpz_mul(bl.ai, bl.ai, bl.ai);
	mpz_mod(bl.ai, bl.ai, n);
	bl.uses++;
	mpz_clear(cb);
	return rc;
}

int tls_rsa_private(const rsa_key *key, const uint8_t *in, size_t in_len, uint8_t *out, size_t *out_len)
{
	if (!key || !in || !out || !out_len || !in_len)
		return -1;
	mpz_srcptr n = key->N;
	size_t k = (mpz_sizeinbase(n, 2) + 7) / 8;
	if (*out_len < k)
		return -1;
	mpz_t c, m;
	mpz_inits(c, m, NULL);
	mpz_import(c, in_len, 1, 1, 0, 0, in);
	int rc = -1;
	if (mpz_cmp(c, n) < 0 && blinded_pair(key, c, m) == 0) {
		size_t len = (mpz_sizeinbase(m, 2) + 7) / 8, w = 0;
		memset(out, 0, k);
		if (mpz_sgn(m))
			mpz_export(out + (k - len), &w, 1, 1, 0, 0, m);
		*out_len = k;
		rc = 0;
	} else if (mpz_cmp(c, n) < 0) {
		unsigned long ol = (unsigned long)*out_len;
		rc = rsa_exptmod(in, (unsigned long)in_len, out, &ol, PK_PRIVATE, (rsa_key *)key) == CRYPT_OK ? 0 : -1;
		*out_len = ol;
	}
	mpz_clears(c, m, NULL);
	return rc;
}

/* DER of DigestInfo up to the digest (RFC 8017 9.2, note 1). */
static const uint8_t *digest_info(size_t dlen, size_t *len)
{
	static const uint8_t sha1[] = {0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e,
				       0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14};
	static const uint8_t sha2[][19] = {
		{0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
		 0x00, 0x04, 0x20},
		{0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05,
		 0x00, 0x04, 0x30},
		{0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05,
		 0x00, 0x04, 0x40},
	};
	*len = dlen == 20 ? sizeof sha1 : sizeof sha2[0];
	switch (dlen) {
	case 20: return sha1;
	case 32: return sha2[0];
	case 48: return sha2[1];
	case 64: return sha2[2];
	default: return NULL;
	}
}

int tls_rsa_sign(const rsa_key *key, int pss, int hash_idx, const uint8_t *digest, size_t dlen,
		 prng_state *prng, int prng_idx, uint8_t *out, size_t *out_len)
{
	if (!key || !digest || !dlen || !out || !out_len || hash_idx < 0)
		return -1;
	unsigned long bits = (unsigned long)mpz_sizeinbase((mpz_srcptr)key->N, 2);
	uint8_t em[1024];
	unsigned long em_len = sizeof em;
	int err;
	if (pss) {
		err = pkcs_1_pss_encode(digest, (unsigned long)dlen, hash_descriptor[hash_idx].hashsize, prng,
					prng_idx, hash_idx, bits, em, &em_len);
	} else {
		size_t plen;
		const uint8_t *prefix = digest_info(dlen, &plen);
		uint8_t di[19 + 64];
		if (!prefix)
			return -1;
		memcpy(di, prefix, plen);
		memcpy(di + plen, digest, dlen);
		err = pkcs_1_v1_5_encode(di, (unsigned long)(plen + dlen), LTC_PKCS_1_EMSA, bits, NULL, 0, em,
					 &em_len);
	}
	return err == CRYPT_OK ? tls_rsa_private(key, em, em_len, out, out_len) : -1;
}

/* 1 when b is zero, with no branch. */
static unsigned is_zero(uint8_t b)
{
	return (((unsigned)b - 1u) >> 8) & 1u;
}

unsigned tls_rsa_decrypt48(const rsa_key *key, const uint8_t *in, size_t in_len, uint8_t msg[48])
{
	uint8_t em[1024];
	size_t k = sizeof em;
	memset(msg, 0, 48);
	/* The ciphertext's length is public: a wrong one is no oracle. */
	if (!key || in_len < 59 || in_len > sizeof em ||
	    in_len != (mpz_sizeinbase((mpz_srcptr)key->N, 2) + 7) / 8 ||
	    tls_rsa_private(key, in, in_len, em, &k) || k != in_len)
		return 0;
	/* 00 02 PS(k-51 nonzero bytes, at least 8) 00 M(48) */
	unsigned good = is_zero(em[0]) & is_zero(em[1] ^ 2) & is_zero(em[k - 49]);
	for (size_t i = 2; i < k - 49; i++)
		good &= 1u ^ is_zero(em[i]);
	memcpy(msg, em + k - 48, 48);
	tls_wipe(em, sizeof em);
	return good;
}
