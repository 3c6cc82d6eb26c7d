#include "tls/prf.h"

#include "tls/alert.h"
#include "tls/bytes.h"
#include "tls/crypto.h"

#include <string.h>

#include <tomcrypt.h>

#define PRF_MAX_HASH 64 /* SHA-512 is the largest digest libtomcrypt offers */

/* HMAC (RFC 2104) keyed once per P_hash: the hash states after the
 * ipad and opad blocks are kept and copied for every MAC, which saves two
 * compressions per MAC against hmac_init/hmac_done. */
typedef struct {
	int h;
	hash_state in, out;
} prf_key;

static int key_init(prf_key *k, int h, const uint8_t *secret, size_t len)
{
	const struct ltc_hash_descriptor *d = &hash_descriptor[h];
	uint8_t blk[MAXBLOCKSIZE];
	unsigned long bs = d->blocksize;
	int err = CRYPT_OK;
	if (bs > sizeof blk || d->hashsize > bs)
		return TLS_ERR_INTERNAL;
	memset(blk, 0, sizeof blk);
	k->h = h;
	if (len > bs) { /* a key longer than a block is hashed first */
		if ((err = d->init(&k->in)) == CRYPT_OK && (err = d->process(&k->in, secret, (unsigned long)len)) == CRYPT_OK)
			err = d->done(&k->in, blk);
	} else if (len) {
		memcpy(blk, secret, len);
	}
	for (unsigned long i = 0; i < bs; i++)
		blk[i] ^= 0x36;
	if (err == CRYPT_OK && (err = d->init(&k->in)) == CRYPT_OK)
		err = d->process(&k->in, blk, bs);
	for (unsigned long i = 0; i < bs; i++)
		blk[i] ^= 0x36 ^ 0x5c;
	if (err == CRYPT_OK && (err = d->init(&k->out)) == CRYPT_OK)
		err = d->process(&k->out, blk, bs);
	tls_wipe(blk, sizeof blk);
	return err == CRYPT_OK ? 0 : TLS_ERR_INTERNAL;
}

/* HMAC(key, a || label || seed), where any part may be empty. */
static int prf_hmac(const prf_key *k, const uint8_t *a, size_t a_len, const char *label, const uint8_t *seed,
		    size_t seed_len, uint8_t *out)
{
	const struct ltc_hash_descriptor *d = &hash_descriptor[k->h];
	hash_state st = k->in;
	uint8_t inner[MAXBLOCKSIZE];
	size_t label_len = label ? strlen(label) : 0;
	int err = CRYPT_OK;
	if (a_len)
		err = d->process(&st, a, (unsigned long)a_len);
	if (err == CRYPT_OK && label_len)
		err = d->process(&st, (const uint8_t *)label, (unsigned long)label_len);
	if (err == CRYPT_OK && seed_len)
		err = d->process(&st, seed, (unsigned long)seed_len);
	if (err == CRYPT_OK)
		err = d->done(&st, inner);
	st = k->out;
	if (err == CRYPT_OK)
		err = d->process(&st, inner, d->hashsize);
	if (err == CRYPT_OK)
		err = d->done(&st, out);
	tls_wipe(&st, sizeof st);
	tls_wipe(inner, sizeof inner);
	return err == CRYPT_OK ? 0 : TLS_ERR_INTERNAL;
}

/* P_hash(secret, label + seed) into out[0..out_len); with mix, XORed into
 * what out already holds (the TLS 1.0 PRF combines two of them). */
static int p_hash(int hash_idx, const uint8_t *secret, size_t secret_len, const char *label,
		  const uint8_t *seed, size_t seed_len, uint8_t *out, size_t out_len, int mix)
{
	uint8_t a[PRF_MAX_HASH], block[PRF_MAX_HASH];
	size_t hlen, done = 0;
	prf_key k;
	int rc = 0;

	if (hash_is_valid(hash_idx) != CRYPT_OK)
		return TLS_ERR_INTERNAL;
	hlen = hash_descriptor[hash_idx].hashsize;
	if (hlen == 0 || hlen > PRF_MAX_HASH || key_init(&k, hash_idx, secret, secret_len))
		return TLS_ERR_INTERNAL;

	/* A(1) = HMAC(secret, label + seed); A(i) = HMAC(secret, A(i-1)). */
	if (out_len)
		rc = prf_hmac(&k, NULL, 0, label, seed, seed_len, a);
	while (rc == 0 && done < out_len) {
		/* Each output block is HMAC(secret, A(i) + label + seed). */
		rc = prf_hmac(&k, a, hlen, label, seed, seed_len, block);
		if (rc)
			break;
		size_t take = out_len - done < hlen ? out_len - done : hlen;
		for (size_t i = 0; i < take; i++)
			out[done + i] = mix ? (uint8_t)(out[done + i] ^ block[i]) : block[i];
		done += take;
		if (done < out_len)
			rc = prf_hmac(&k, a, hlen, NULL, NULL, 0, a);
	}
	tls_wipe(&k, sizeof k);
	tls_wipe(a, sizeof a);
	tls_wipe(block, sizeof block);
	return rc;
}

static int prf_args_ok(const uint8_t *secret, size_t secret_len, const char *label,
		       const uint8_t *seed, size_t seed_len, const uint8_t *out, size_t out_len)
{
	return label && (!secret_len || secret) && (!seed_len || seed) && (!out_len || out);
}

int tls_prf(int hash_idx, const uint8_t *secret, size_t secret_len, const char *label,
	    const uint8_t *seed, size_t seed_len, uint8_t *out, size_t out_len)
{
	int rc;

	if (tls_crypto_init() || !prf_args_ok(secret, secret_len, label, seed, seed_len, out, out_len))
		return TLS_ERR_INTERNAL;
	rc = p_hash(hash_idx, secret, secret_len, label, seed, seed_len, out, out_len, 0);
	if (rc && out_len)
		zeromem(out, out_len);
	return rc;
}

int tls_prf10(const uint8_t *secret, size_t secret_len, const char *label, const uint8_t *seed,
	      size_t seed_len, uint8_t *out, size_t out_len)
{
	/* S1 is the first half of the secret, S2 the second; an odd length
	 * shares its middle byte between them (RFC 2246 5). */
	size_t half = (secret_len + 1) / 2;
	int md5, rc;

	if (tls_crypto_init() || !prf_args_ok(secret, secret_len, label, seed, seed_len, out, out_len))
		return TLS_ERR_INTERNAL;
	/* MD5 serves nothing but this PRF, so it is registered here (register_hash
	 * returns the existing slot when called again). */
	if ((md5 = register_hash(&md5_desc)) < 0)
		return TLS_ERR_INTERNAL;
	rc = p_hash(md5, secret, half, label, seed, seed_len, out, out_len, 0);
	if (rc == 0)
		rc = p_hash(tls_hash_sha1(), secret ? secret + (secret_len - half) : NULL, half, label,
			    seed, seed_len, out, out_len, 1);
	if (rc && out_len)
		zeromem(out, out_len);
	return rc;
}
