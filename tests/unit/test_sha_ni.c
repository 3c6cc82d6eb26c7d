/* SHA-1 and SHA-256 on the SHA extensions against libtomcrypt's: every
 * length around the block and padding edges, input fed in odd pieces,
 * HMAC through the descriptors, and the FIPS 180 "abc" answers. On a CPU
 * without the extensions only the fallback is checked. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "tls/crypto.h"
#include "tls/sha_ni.h"

#include <string.h>

static unsigned char msg[1000];

static int setup(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof msg; i++)
		msg[i] = (unsigned char)(i * 131 + 7);
	return tls_crypto_init();
}

typedef int (*init_fn)(hash_state *);
typedef int (*proc_fn)(hash_state *, const unsigned char *, unsigned long);
typedef int (*done_fn)(hash_state *, unsigned char *);

/* The digest of msg[0..n) fed in pieces of `piece` bytes. */
static void digest(init_fn i, proc_fn p, done_fn d, size_t n, size_t piece, unsigned char *out)
{
	hash_state h;
	assert_int_equal(i(&h), CRYPT_OK);
	for (size_t at = 0; at < n; at += piece)
		assert_int_equal(p(&h, msg + at, (unsigned long)(n - at < piece ? n - at : piece)), CRYPT_OK);
	assert_int_equal(d(&h, out), CRYPT_OK);
}

static void same_as_libtomcrypt(init_fn i, proc_fn ref_p, done_fn ref_d, proc_fn p, done_fn d, int size)
{
	static const size_t pieces[] = {1, 3, 55, 63, 64, 65, 1000};
	for (size_t n = 0; n <= 300; n++)
		for (size_t k = 0; k < sizeof pieces / sizeof pieces[0]; k++) {
			unsigned char want[32], got[32];
			digest(i, ref_p, ref_d, n, pieces[k], want);
			digest(i, p, d, n, pieces[k], got);
			if (memcmp(want, got, (size_t)size))
				fail_msg("length %zu in pieces of %zu: digests differ", n, pieces[k]);
		}
	unsigned char want[32], got[32];
	digest(i, ref_p, ref_d, sizeof msg, 200, want);
	digest(i, p, d, sizeof msg, 200, got);
	assert_memory_equal(want, got, (size_t)size);
}

static void test_sha256(void **state)
{
	(void)state;
	same_as_libtomcrypt(sha256_init, sha256_process, sha256_done, tls_sha256_process, tls_sha256_done,
	                    32);
}

static void test_sha1(void **state)
{
	(void)state;
	same_as_libtomcrypt(sha1_init, sha1_process, sha1_done, tls_sha1_process, tls_sha1_done, 20);
}

static void test_abc(void **state)
{
	(void)state;
	static const unsigned char s256[32] = {
	    0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
	    0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad};
	static const unsigned char s1[20] = {0xa9, 0x99, 0x3e, 0x36, 0x47, 0x06, 0x81, 0x6a, 0xba, 0x3e,
	                                     0x25, 0x71, 0x78, 0x50, 0xc2, 0x6c, 0x9c, 0xd0, 0xd8, 0x9d};
	hash_state h;
	unsigned char out[32];
	sha256_init(&h);
	tls_sha256_process(&h, (const unsigned char *)"abc", 3);
	tls_sha256_done(&h, out);
	assert_memory_equal(out, s256, 32);
	sha1_init(&h);
	tls_sha1_process(&h, (const unsigned char *)"abc", 3);
	tls_sha1_done(&h, out);
	assert_memory_equal(out, s1, 20);
}

/* RFC 2104 HMAC spelt out with libtomcrypt's own functions. */
static void ref_hmac(const struct ltc_hash_descriptor *d, const unsigned char *key, size_t kl,
                     const unsigned char *m, size_t n, unsigned char *out)
{
	unsigned char k[64] = {0}, pad[64], inner[32];
	hash_state h;
	if (kl > 64) {
		d->init(&h);
		d->process(&h, key, (unsigned long)kl);
		d->done(&h, k);
	} else {
		memcpy(k, key, kl);
	}
	for (int i = 0; i < 64; i++)
		pad[i] = k[i] ^ 0x36;
	d->init(&h);
	d->process(&h, pad, 64);
	d->process(&h, m, (unsigned long)n);
	d->done(&h, inner);
	for (int i = 0; i < 64; i++)
		pad[i] = k[i] ^ 0x5c;
	d->init(&h);
	d->process(&h, pad, 64);
	d->process(&h, inner, d->hashsize);
	d->done(&h, out);
}

/* HMAC runs through whichever descriptor is registered under the name. */
static void test_hmac_descriptors(void **state)
{
	(void)state;
	if (!tls_sha_ni_available())
		skip();
	const struct ltc_hash_descriptor *ni[2] = {tls_sha256_ni_desc(), tls_sha1_ni_desc()};
	const struct ltc_hash_descriptor *ref[2] = {&sha256_desc, &sha1_desc};
	for (int k = 0; k < 2; k++) {
		assert_string_equal(ni[k]->name, ref[k]->name);
		assert_int_equal(ni[k]->OIDlen, ref[k]->OIDlen);
		int idx = register_hash(ni[k]);
		assert_true(idx >= 0);
		for (size_t n = 0; n < 300; n += 7) {
			size_t kl = n % 130 + 1; /* keys shorter and longer than a block */
			unsigned char want[32], got[32];
			unsigned long gl = sizeof got;
			ref_hmac(ref[k], msg + 600, kl, msg, n, want);
			assert_int_equal(
			    hmac_memory(idx, msg + 600, (unsigned long)kl, msg, (unsigned long)n, got, &gl),
			    CRYPT_OK);
			assert_int_equal(gl, ref[k]->hashsize);
			assert_memory_equal(want, got, gl);
		}
	}
}

/* tls_crypto_init put the extension descriptors under the names the rest
 * of the code looks up, when the CPU has them. */
static void test_registered(void **state)
{
	(void)state;
	int h256 = find_hash("sha256"), h1 = find_hash("sha1");
	assert_true(h256 >= 0 && h1 >= 0);
	if (!tls_sha_ni_available())
		skip();
	assert_ptr_equal(hash_descriptor[h256].process, tls_sha256_ni_desc()->process);
	assert_ptr_equal(hash_descriptor[h1].done, tls_sha1_ni_desc()->done);
}

/* One state, fed by both implementations in turn (the handshake hash is
 * begun with sha256_init and may be finished by either). */
static void test_mixed_on_one_state(void **state)
{
	(void)state;
	unsigned char want[32], got[32];
	hash_state a, b;
	sha256_init(&a);
	sha256_init(&b);
	sha256_process(&a, msg, 700);
	size_t at = 0;
	for (int k = 0; at < 700; k++) {
		size_t n = 700 - at < (size_t)(37 + k * 11) ? 700 - at : (size_t)(37 + k * 11);
		if (k % 2)
			sha256_process(&b, msg + at, (unsigned long)n);
		else
			tls_sha256_process(&b, msg + at, (unsigned long)n);
		at += n;
	}
	sha256_done(&a, want);
	tls_sha256_done(&b, got);
	assert_memory_equal(want, got, 32);
}

/* Nothing to add is fine on both paths, a NULL pointer included. */
static void test_empty_input(void **state)
{
	(void)state;
	hash_state h;
	unsigned char a[32], b[32];
	sha256_init(&h);
	assert_int_equal(tls_sha256_process(&h, NULL, 0), CRYPT_OK);
	assert_int_equal(tls_sha256_done(&h, a), CRYPT_OK);
	sha256_init(&h);
	sha256_done(&h, b);
	assert_memory_equal(a, b, 32);
	sha1_init(&h);
	assert_int_equal(tls_sha1_process(&h, NULL, 0), CRYPT_OK);
	assert_int_equal(tls_sha1_process(NULL, msg, 0), CRYPT_INVALID_ARG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sha256),      cmocka_unit_test(test_sha1),
	    cmocka_unit_test(test_abc),         cmocka_unit_test(test_hmac_descriptors),
	    cmocka_unit_test(test_registered),  cmocka_unit_test(test_mixed_on_one_state),
	    cmocka_unit_test(test_empty_input),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
