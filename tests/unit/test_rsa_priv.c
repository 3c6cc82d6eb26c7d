/* The RSA private operation: the IFMA kernel against GMP's mpz_powm, the
 * CRT path against libtomcrypt's rsa_exptmod (with the kernel on and off),
 * the PKCS#1 v1.5 check of a premaster block byte by byte, and signatures
 * that must equal rsa_sign_hash_ex's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "srcdir.h"

#include "test_files.h"

#include "tls/crypto.h"
#include "tls/mont52.h"
#include "tls/rng.h"
#include "tls/rsa_priv.h"

#include <gmp.h>

#define MASK52 ((UINT64_C(1) << 52) - 1)

static void to52(uint64_t out[TLS_M52_PAD], mpz_srcptr v)
{
	memset(out, 0, TLS_M52_PAD * sizeof out[0]);
	for (int i = 0; i < TLS_M52_LIMBS; i++)
		for (int b = 0; b < 52; b++)
			out[i] |= (uint64_t)mpz_tstbit(v, (mp_bitcnt_t)(52 * i + b)) << b;
}

static void from52(mpz_ptr v, const uint64_t in[TLS_M52_PAD])
{
	mpz_set_ui(v, 0);
	for (int i = TLS_M52_LIMBS - 1; i >= 0; i--) {
		assert_true(in[i] <= MASK52);
		mpz_mul_2exp(v, v, 52);
		mpz_add_ui(v, v, (unsigned long)in[i]);
	}
}

typedef struct {
	mpz_t m, b, e;
	uint64_t ew[24];
	tls_m52_job job;
} half;

static void half_setup(half *h)
{
	mpz_t rr;
	mpz_init(rr);
	mpz_setbit(rr, 2 * 52 * TLS_M52_LIMBS);
	mpz_mod(rr, rr, h->m);
	to52(h->job.mod, h->m);
	to52(h->job.rr, rr);
	to52(h->job.base, h->b);
	memset(h->ew, 0, sizeof h->ew);
	size_t n = 0;
	mpz_export(h->ew, &n, -1, sizeof h->ew[0], 0, 0, h->e);
	h->job.exp = h->ew;
	h->job.exp_bits = mpz_sizeinbase(h->e, 2);
	mpz_clear(rr);
}

static void half_check(half *h)
{
	mpz_t got, want;
	mpz_inits(got, want, NULL);
	from52(got, h->job.out);
	mpz_powm(want, h->b, h->e, h->m);
	if (mpz_cmp(got, want))
		fail_msg("kernel: %zu-bit modulus, %zu-bit exponent: wrong power", mpz_sizeinbase(h->m, 2),
			 mpz_sizeinbase(h->e, 2));
	mpz_clears(got, want, NULL);
}

/* Random odd moduli from 64 to 1038 bits, exponents of any length up to
 * 1100 bits, and the bases that trip reductions: 0, 1, m-1 and randoms. */
static void test_kernel_matches_gmp(void **state)
{
	(void)state;
	if (!tls_m52_available())
		skip();
	gmp_randstate_t r;
	gmp_randinit_default(r);
	gmp_randseed_ui(r, 52);
	half h[2];
	for (int k = 0; k < 2; k++)
		mpz_inits(h[k].m, h[k].b, h[k].e, NULL);
	for (int it = 0; it < 400; it++) {
		for (int k = 0; k < 2; k++) {
			unsigned bits = it < 40 ? 1038 - (unsigned)it : 64 + (unsigned)gmp_urandomm_ui(r, 975);
			mpz_urandomb(h[k].m, r, bits);
			mpz_setbit(h[k].m, bits - 1);
			mpz_setbit(h[k].m, 0);
			switch (it % 5) {
			case 0: mpz_set_ui(h[k].b, 0); break;
			case 1: mpz_set_ui(h[k].b, 1); break;
			case 2: mpz_sub_ui(h[k].b, h[k].m, 1); break;
			default: mpz_urandomm(h[k].b, r, h[k].m);
			}
			mpz_urandomb(h[k].e, r, 1 + (unsigned)gmp_urandomm_ui(r, 1100));
			if (it % 7 == 0)
				mpz_set_ui(h[k].e, (unsigned long)(it % 3)); /* 0, 1, 2 */
			half_setup(&h[k]);
		}
		tls_m52_powm2(&h[0].job, &h[1].job);
		half_check(&h[0]);
		half_check(&h[1]);
	}
	for (int k = 0; k < 2; k++)
		mpz_clears(h[k].m, h[k].b, h[k].e, NULL);
	gmp_randclear(r);
}

/* Reference: the same carries, one lane at a time. */
static void ripple(uint64_t x[TLS_M52_PAD])
{
	uint64_t carry = 0;
	for (int i = 0; i < TLS_M52_PAD; i++) {
		uint64_t hi = x[i] >> 52, v = (x[i] & MASK52) + carry;
		x[i] = v & MASK52;
		carry = hi + (v >> 52);
	}
}

/* Lanes that generate carries, all-ones lanes that pass them on (up to
 * the whole number), and lanes near 2^64. */
static void test_normalize(void **state)
{
	(void)state;
	if (!tls_m52_available())
		skip();
	tls_rng rng;
	assert_int_equal(tls_rng_seed(&rng, 5, "norm"), 0);
	for (int it = 0; it < 5000; it++) {
		uint64_t x[TLS_M52_PAD] = {0}, want[TLS_M52_PAD];
		uint8_t pick[TLS_M52_LIMBS * 2];
		assert_int_equal(tls_rng_read(&rng, pick, sizeof pick), 0);
		for (int i = 0; i < TLS_M52_LIMBS - 1; i++) {
			switch (pick[i] % 5) {
			case 0: x[i] = MASK52; break;
			case 1: x[i] = MASK52 + 1 + pick[i + TLS_M52_LIMBS]; break;
			case 2: x[i] = (uint64_t)pick[i + TLS_M52_LIMBS] << 52 | MASK52; break;
			case 3: x[i] = UINT64_MAX >> (pick[i + TLS_M52_LIMBS] % 6); break;
			default: x[i] = (uint64_t)pick[i + TLS_M52_LIMBS] * 0x9e3779b97f4a7c15u & MASK52;
			}
		}
		if (it % 3 == 0) /* one carry rippling through all-ones lanes */
			for (int i = 0; i < TLS_M52_LIMBS - 1; i++)
				x[i] = i == 0 ? MASK52 + 1 : MASK52;
		x[TLS_M52_LIMBS - 1] = pick[0] % 3; /* room for the top carry */
		memcpy(want, x, sizeof want);
		ripple(want);
		tls_m52_normalize(x);
		assert_memory_equal(x, want, sizeof want);
	}
	tls_rng_free(&rng);
}

static void test_k0(void **state)
{
	(void)state;
	for (uint64_t m0 = 1; m0 < 4000; m0 += 2) {
		uint64_t k0 = tls_m52_k0(m0);
		assert_int_equal((m0 * k0 + 1) & MASK52, 0);
	}
	assert_int_equal((MASK52 * tls_m52_k0(MASK52) + 1) & MASK52, 0);
}

static rsa_key server_key;

static int load_key(void **state)
{
	(void)state;
	size_t len;
	uint8_t *pem = slurp(SRC("assets/server.key"), &len);
	assert_int_equal(tls_crypto_init(), 0);
	assert_int_equal(tls_rsa_private_import(pem, len, &server_key), 0);
	free(pem);
	return 0;
}

static int free_key(void **state)
{
	(void)state;
	rsa_free(&server_key);
	return 0;
}

static void random_below_n(tls_rng *rng, const rsa_key *key, uint8_t *out, size_t k)
{
	assert_int_equal(tls_rng_read(rng, out, k), 0);
	out[0] = 0; /* below 2^(8k-8) < n */
	(void)key;
}

/* The same numbers as libtomcrypt, with the kernel and without it. */
static void test_private_matches_libtomcrypt(void **state)
{
	(void)state;
	tls_rng rng;
	assert_int_equal(tls_rng_seed(&rng, 7, "rsa"), 0);
	size_t k = (size_t)rsa_get_size(&server_key);
	uint8_t in[512], got[512], want[512];
	for (int on = 0; on < 2; on++) {
		tls_m52_enable(on);
		unsigned long uses = tls_rsa_kernel_uses();
		for (int i = 0; i < 40; i++) {
			random_below_n(&rng, &server_key, in, k);
			if (i == 0)
				memset(in, 0, k);
			if (i == 1)
				memset(in, 0, k), in[k - 1] = 1;
			unsigned long wl = sizeof want;
			size_t gl = sizeof got;
			assert_int_equal(rsa_exptmod(in, (unsigned long)k, want, &wl, PK_PRIVATE, &server_key), CRYPT_OK);
			assert_int_equal(tls_rsa_private(&server_key, in, k, got, &gl), 0);
			assert_int_equal(gl, wl);
			assert_memory_equal(got, want, wl);
		}
		/* The kernel answered every one (a failed check would have
		 * fallen back silently); 40 is past a blinding redraw. */
		assert_int_equal(tls_rsa_kernel_uses() - uses, on && tls_m52_available() ? 40 : 0);
	}
	tls_m52_enable(1);
	/* n itself, and anything above it, is not a ciphertext. */
	size_t gl = sizeof got;
	memset(in, 0xff, k);
	assert_int_equal(tls_rsa_private(&server_key, in, k, got, &gl), -1);
	gl = 10;
	assert_int_equal(tls_rsa_private(&server_key, in + 1, k - 1, got, &gl), -1); /* no room */
	tls_rng_free(&rng);
}

/* Encrypts block (k bytes, before RSA) to the server key. */
static void raw_encrypt(const uint8_t *block, size_t k, uint8_t *out)
{
	unsigned long ol = 512;
	assert_int_equal(rsa_exptmod(block, (unsigned long)k, out, &ol, PK_PUBLIC, &server_key), CRYPT_OK);
	assert_int_equal(ol, k);
}

static void good_block(uint8_t *em, size_t k, size_t msg_len)
{
	em[0] = 0;
	em[1] = 2;
	for (size_t i = 2; i < k; i++)
		em[i] = (uint8_t)(i * 7 % 255 + 1);
	em[k - msg_len - 1] = 0;
	for (size_t i = k - msg_len; i < k; i++)
		em[i] = (uint8_t)i;
}

static unsigned try_block(const uint8_t *em, size_t k, uint8_t msg[48])
{
	uint8_t ct[512];
	raw_encrypt(em, k, ct);
	return tls_rsa_decrypt48(&server_key, ct, k, msg);
}

static void test_decrypt48(void **state)
{
	(void)state;
	size_t k = (size_t)rsa_get_size(&server_key);
	uint8_t em[512], msg[48], ct[512];
	for (int on = 0; on < 2; on++) {
		tls_m52_enable(on);
		good_block(em, k, 48);
		assert_int_equal(try_block(em, k, msg), 1);
		assert_memory_equal(msg, em + k - 48, 48);
		/* Block type, leading byte, separator: each one wrong. */
		em[0] = 1;
		assert_int_equal(try_block(em, k, msg), 0);
		good_block(em, k, 48);
		em[1] = 1;
		assert_int_equal(try_block(em, k, msg), 0);
		good_block(em, k, 48);
		em[k - 49] = 5;
		assert_int_equal(try_block(em, k, msg), 0);
		/* A zero anywhere in the padding ends it early: the message
		 * would not be 48 bytes. */
		for (size_t z = 2; z < k - 49; z += 37) {
			good_block(em, k, 48);
			em[z] = 0;
			assert_int_equal(try_block(em, k, msg), 0);
		}
		good_block(em, k, 47);
		assert_int_equal(try_block(em, k, msg), 0);
		good_block(em, k, 49);
		assert_int_equal(try_block(em, k, msg), 0);
	}
	tls_m52_enable(1);
	/* A ciphertext of the wrong length, or not below n. */
	good_block(em, k, 48);
	raw_encrypt(em, k, ct);
	assert_int_equal(tls_rsa_decrypt48(&server_key, ct, k - 1, msg), 0);
	memset(ct, 0xff, k);
	assert_int_equal(tls_rsa_decrypt48(&server_key, ct, k, msg), 0);
	assert_int_equal(tls_rsa_decrypt48(NULL, ct, k, msg), 0);
}

/* Byte-identical to rsa_sign_hash_ex, PSS salts drawn from two generators
 * seeded alike. */
static void test_sign_matches_libtomcrypt(void **state)
{
	(void)state;
	const char *names[] = {"sha1", "sha256", "sha384", "sha512"};
	uint8_t digest[64];
	for (int i = 0; i < 64; i++)
		digest[i] = (uint8_t)(i * 31);
	if (find_hash("sha512") < 0)
		assert_true(register_hash(&sha512_desc) >= 0);
	for (int pss = 0; pss < 2; pss++)
		for (int h = 0; h < 4; h++) {
			int idx = find_hash(names[h]);
			assert_true(idx >= 0);
			size_t dlen = hash_descriptor[idx].hashsize;
			tls_rng a, b;
			assert_int_equal(tls_rng_seed(&a, 3, "sig"), 0);
			assert_int_equal(tls_rng_seed(&b, 3, "sig"), 0);
			uint8_t got[512], want[512];
			size_t gl = sizeof got;
			unsigned long wl = sizeof want;
			assert_int_equal(rsa_sign_hash_ex(digest, (unsigned long)dlen, want, &wl,
							  pss ? LTC_PKCS_1_PSS : LTC_PKCS_1_V1_5, &a.state, a.idx, idx,
							  pss ? (unsigned long)dlen : 0, &server_key),
					 CRYPT_OK);
			assert_int_equal(tls_rsa_sign(&server_key, pss, idx, digest, dlen, &b.state, b.idx, got, &gl), 0);
			assert_int_equal(gl, wl);
			assert_memory_equal(got, want, wl);
			tls_rng_free(&a);
			tls_rng_free(&b);
		}
	uint8_t out[512];
	size_t ol = sizeof out;
	assert_int_equal(tls_rsa_sign(&server_key, 0, find_hash("sha256"), digest, 28, NULL, 0, out, &ol), -1);
}

/* A 3072-bit key's 1536-bit primes are past the kernel: libtomcrypt's
 * path answers, and the answer is the same. */
static void test_big_key_falls_back(void **state)
{
	(void)state;
	tls_rng rng;
	assert_int_equal(tls_rng_seed(&rng, 9, "rsa3072"), 0);
	rsa_key big;
	assert_int_equal(rsa_make_key(&rng.state, rng.idx, 384, 65537, &big), CRYPT_OK);
	uint8_t in[384], got[384], want[384];
	random_below_n(&rng, &big, in, sizeof in);
	unsigned long wl = sizeof want;
	size_t gl = sizeof got;
	assert_int_equal(rsa_exptmod(in, sizeof in, want, &wl, PK_PRIVATE, &big), CRYPT_OK);
	assert_int_equal(tls_rsa_private(&big, in, sizeof in, got, &gl), 0);
	assert_int_equal(gl, wl);
	assert_memory_equal(got, want, wl);
	rsa_free(&big);
	tls_rng_free(&rng);
}

static void mpz_bytes(mpz_srcptr v, uint8_t *out, unsigned long *len)
{
	size_t n = 0;
	mpz_export(out, &n, 1, 1, 0, 0, v);
	*len = (unsigned long)n;
}

/* A key from two random primes of the given size, e = 65537. */
static void key_with_primes(unsigned bits, unsigned seed, rsa_key *key)
{
	gmp_randstate_t rs;
	gmp_randinit_default(rs);
	gmp_randseed_ui(rs, seed);
	mpz_t p, q, n, e, d, phi, t, dp, dq, qp;
	mpz_inits(p, q, n, e, d, phi, t, dp, dq, qp, NULL);
	mpz_set_ui(e, 65537);
	for (int k = 0; k < 2; k++) {
		mpz_ptr x = k ? q : p;
		do {
			mpz_urandomb(x, rs, bits);
			mpz_setbit(x, bits - 1);
			mpz_nextprime(x, x);
			mpz_sub_ui(t, x, 1);
			mpz_gcd(t, t, e);
		} while (mpz_sizeinbase(x, 2) != bits || mpz_cmp_ui(t, 1));
	}
	mpz_mul(n, p, q);
	mpz_sub_ui(t, p, 1);
	mpz_sub_ui(phi, q, 1);
	mpz_mul(phi, phi, t);
	assert_true(mpz_invert(d, e, phi));
	mpz_sub_ui(t, p, 1);
	mpz_mod(dp, d, t);
	mpz_sub_ui(t, q, 1);
	mpz_mod(dq, d, t);
	assert_true(mpz_invert(qp, q, p));
	uint8_t b[7][300];
	unsigned long l[7];
	mpz_srcptr v[7] = {n, e, d, p, q, dp, dq};
	for (int i = 0; i < 7; i++)
		mpz_bytes(v[i], b[i], &l[i]);
	uint8_t qpb[300];
	unsigned long qpl;
	mpz_bytes(qp, qpb, &qpl);
	assert_int_equal(rsa_set_key(b[0], l[0], b[1], l[1], b[2], l[2], key), CRYPT_OK);
	assert_int_equal(rsa_set_factors(b[3], l[3], b[4], l[4], key), CRYPT_OK);
	assert_int_equal(rsa_set_crt_params(b[5], l[5], b[6], l[6], qpb, qpl, key), CRYPT_OK);
	mpz_clears(p, q, n, e, d, phi, t, dp, dq, qp, NULL);
	gmp_randclear(rs);
}

/* Primes at the kernel's limit (1038 bits) go through it; one bit more
 * and libtomcrypt answers. Switching keys redraws the blinding. */
static void test_prime_size_limit(void **state)
{
	(void)state;
	tls_m52_enable(1);
	tls_rng rng;
	assert_int_equal(tls_rng_seed(&rng, 11, "limit"), 0);
	for (unsigned bits = 1037; bits <= 1039; bits++) {
		rsa_key key;
		key_with_primes(bits, bits, &key);
		size_t k = (size_t)rsa_get_size(&key);
		uint8_t in[300], got[300], want[300];
		for (int i = 0; i < 3; i++) {
			random_below_n(&rng, &key, in, k);
			unsigned long uses = tls_rsa_kernel_uses(), wl = sizeof want;
			size_t gl = sizeof got;
			assert_int_equal(rsa_exptmod(in, (unsigned long)k, want, &wl, PK_PRIVATE, &key), CRYPT_OK);
			assert_int_equal(tls_rsa_private(&key, in, k, got, &gl), 0);
			assert_int_equal(gl, wl);
			assert_memory_equal(got, want, wl);
			assert_int_equal(tls_rsa_kernel_uses() - uses, bits <= TLS_M52_MAX_BITS && tls_m52_available());
			/* and back to the server's key */
			random_below_n(&rng, &server_key, in, (size_t)rsa_get_size(&server_key));
			wl = sizeof want;
			gl = sizeof got;
			assert_int_equal(rsa_exptmod(in, (unsigned long)rsa_get_size(&server_key), want, &wl, PK_PRIVATE,
						     &server_key),
					 CRYPT_OK);
			assert_int_equal(tls_rsa_private(&server_key, in, (size_t)rsa_get_size(&server_key), got, &gl), 0);
			assert_memory_equal(got, want, wl);
		}
		rsa_free(&key);
	}
	tls_rng_free(&rng);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_k0),
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_kernel_matches_gmp),
		cmocka_unit_test(test_private_matches_libtomcrypt),
		cmocka_unit_test(test_decrypt48),
		cmocka_unit_test(test_sign_matches_libtomcrypt),
		cmocka_unit_test(test_big_key_falls_back),
		cmocka_unit_test(test_prime_size_limit),
	};
	return cmocka_run_group_tests(tests, load_key, free_key);
}
