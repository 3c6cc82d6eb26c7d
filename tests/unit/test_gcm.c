/* AES-GCM against libtomcrypt's gcm_memory: both key sizes, lengths
 * around the block size, empty and long AAD, in place; and a published
 * vector (SP 800-38D test case 4 as in the GCM specification). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "tls/bytes.h"
#include "tls/crypto.h"
#include "tls/gcm.h"
#include "tls/rng.h"

#include <string.h>

static void compare(const uint8_t *key, size_t kl, const uint8_t nonce[12], const uint8_t *aad, size_t al,
		    const uint8_t *pt, size_t n)
{
	uint8_t want_ct[300], want_tag[16], ct[300], tag[16], back[300], tag2[16];
	unsigned long tl = 16;
	assert_int_equal(gcm_memory(tls_cipher_aes(), key, (unsigned long)kl, nonce, 12, aad, (unsigned long)al,
				    (uint8_t *)pt, (unsigned long)n, want_ct, want_tag, &tl, GCM_ENCRYPT),
			 CRYPT_OK);
	tls_gcm g;
	assert_int_equal(tls_gcm_init(&g, key, kl), 0);
	assert_int_equal(tls_gcm_run(&g, nonce, aad, al, pt, ct, n, tag, 1), 0);
	assert_memory_equal(ct, want_ct, n);
	assert_memory_equal(tag, want_tag, 16);
	memcpy(back, ct, n); /* in place */
	assert_int_equal(tls_gcm_run(&g, nonce, aad, al, back, back, n, tag2, 0), 0);
	assert_memory_equal(back, pt, n);
	assert_memory_equal(tag2, tag, 16);
	tls_gcm_free(&g);
}

static void test_against_libtomcrypt(void **state)
{
	(void)state;
	tls_rng rng;
	uint8_t key[32], nonce[12], aad[40], pt[300];
	assert_int_equal(tls_rng_seed(&rng, 96, "gcm"), 0);
	const size_t lens[] = {0, 1, 15, 16, 17, 31, 32, 33, 48, 100, 255, 300};
	for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++)
		for (size_t kl = 16; kl <= 32; kl += 16)
			for (size_t al = 0; al <= 40; al += 13) {
				assert_int_equal(tls_rng_read(&rng, key, sizeof key), 0);
				assert_int_equal(tls_rng_read(&rng, nonce, sizeof nonce), 0);
				assert_int_equal(tls_rng_read(&rng, aad, sizeof aad), 0);
				assert_int_equal(tls_rng_read(&rng, pt, sizeof pt), 0);
				compare(key, kl, nonce, aad, al, pt, lens[i]);
			}
	tls_rng_free(&rng);
}

static void unhex(const char *h, uint8_t *out)
{
	for (size_t i = 0; h[2 * i]; i++) {
		unsigned v;
		assert_int_equal(sscanf(h + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
}

/* The GCM specification's test case 4 (AES-128, 60 bytes, 20 bytes AAD). */
static void test_published_vector(void **state)
{
	(void)state;
	uint8_t key[16], iv[12], pt[60], aad[20], ct[60], tag[16], want[60], want_tag[16];
	unhex("feffe9928665731c6d6a8f9467308308", key);
	unhex("cafebabefacedbaddecaf888", iv);
	unhex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525"
	      "b16aedf5aa0de657ba637b39",
	      pt);
	unhex("feedfacedeadbeeffeedfacedeadbeefabaddad2", aad);
	unhex("42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa05"
	      "1ba30b396a0aac973d58e091",
	      want);
	unhex("5bc94fbc3221a5db94fae95ae7121a47", want_tag);
	tls_gcm g;
	assert_int_equal(tls_gcm_init(&g, key, sizeof key), 0);
	assert_int_equal(tls_gcm_run(&g, iv, aad, sizeof aad, pt, ct, sizeof pt, tag, 1), 0);
	assert_memory_equal(ct, want, sizeof want);
	assert_memory_equal(tag, want_tag, sizeof tag);
	tls_gcm_free(&g);
}

static int setup(void **state)
{
	(void)state;
	return tls_crypto_init();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_against_libtomcrypt),
		cmocka_unit_test(test_published_vector),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
