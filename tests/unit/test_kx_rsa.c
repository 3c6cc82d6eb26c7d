/* The server side of RSA key exchange and RSA signatures, on libtomcrypt:
 * the PKCS#1 v1.5 check of a premaster block byte by byte (RFC 5246
 * 7.4.7.1 wants a 0/1 answer, never an early exit), and a signature that
 * must equal what OpenSSL makes with the same key. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "srcdir.h"

#include "test_files.h"

#include "tls/crypto.h"
#include "tls/kx.h"
#include "tls/rng.h"
#include "tls/sig.h"

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

/* Encrypts block (k bytes, before RSA) to the server key. */
static void raw_encrypt(const uint8_t *block, size_t k, uint8_t *out)
{
	unsigned long ol = 512;
	assert_int_equal(rsa_exptmod(block, (unsigned long)k, out, &ol, PK_PUBLIC, &server_key), CRYPT_OK);
	assert_int_equal(ol, k);
}

static void good_block(uint8_t *em, size_t k, size_t msg_len)
{
	if (k < 64 || k > 512)
		fail_msg("unexpected key size %zu", k);
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
	return tls_kx_rsa_decrypt48(&server_key, ct, k, msg);
}

static void test_decrypt48(void **state)
{
	(void)state;
	size_t k = (size_t)rsa_get_size(&server_key);
	uint8_t em[512], msg[48], ct[512];
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
	/* A zero anywhere in the padding ends it early: the message would
	 * not be 48 bytes. */
	for (size_t z = 2; z < k - 49; z += 37) {
		good_block(em, k, 48);
		em[z] = 0;
		assert_int_equal(try_block(em, k, msg), 0);
	}
	good_block(em, k, 47);
	assert_int_equal(try_block(em, k, msg), 0);
	good_block(em, k, 49);
	assert_int_equal(try_block(em, k, msg), 0);
	/* A ciphertext of the wrong length, or not below n. */
	good_block(em, k, 48);
	raw_encrypt(em, k, ct);
	assert_int_equal(tls_kx_rsa_decrypt48(&server_key, ct, k - 1, msg), 0);
	memset(ct, 0xff, k);
	assert_int_equal(tls_kx_rsa_decrypt48(&server_key, ct, k, msg), 0);
	assert_int_equal(tls_kx_rsa_decrypt48(NULL, ct, k, msg), 0);
	assert_int_equal(tls_kx_rsa_decrypt48(&server_key, NULL, k, msg), 0);
}

/* printf 'tlsstep known answer' | openssl dgst -sha256 -sign assets/server.key | xxd -p */
static const char kat_pkcs1_sha256[] =
    "ad22008e5bf5df7078889eae581683401b8539e85ee65b7559a8c7d08fcd08c85085576b4c3b7677"
    "a6ee10e2c33eddbd22bb53f766ab755695c603251cc63dfee70e0851850dc971d33b5f1a8591cd48"
    "7315a76cc28bd4ea0bb7e1396576c089f2a98dbbefb8d511dfc2660619f0d792fc395945c411fd3e"
    "c35cc3198902712360c3cad908db195871dd2d31024037fcf604eef4413506236413e2e6e16210d5"
    "e0d6c980473f870b1590d14a070798bc0866903fd4d382101e0dbd5f906c10223af32ed62b08083c"
    "60a2acaa2879c6aa832fe62993c718bfcf57e50c405549dfc928bcf5cd9e23a588896ebf9cd4fe5c"
    "bd97641f3435104528f718679c6ee28c";

static void test_sign_matches_openssl(void **state)
{
	(void)state;
	const uint8_t *part = (const uint8_t *)"tlsstep known answer";
	size_t plen = strlen((const char *)part), dlen = 0;
	uint8_t d[64], sig[512], want[512];
	assert_int_equal(tls_sig_digest(TLS_SIG_RSA_SHA256, &part, &plen, 1, d, &dlen), 0);
	size_t n = strlen(kat_pkcs1_sha256) / 2, sl = sizeof sig;
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		assert_int_equal(sscanf(kat_pkcs1_sha256 + 2 * i, "%2x", &v), 1);
		want[i] = (uint8_t)v;
	}
	assert_int_equal(tls_sig_sign(TLS_SIG_RSA_SHA256, d, dlen, &server_key, NULL, sig, &sl), 0);
	assert_int_equal(sl, n);
	assert_memory_equal(sig, want, n);
	/* PSS needs a generator for its salt; nothing to sign is refused */
	sl = sizeof sig;
	assert_int_not_equal(tls_sig_sign(TLS_SIG_PSS_SHA256, d, dlen, &server_key, NULL, sig, &sl), 0);
	assert_int_not_equal(tls_sig_sign(TLS_SIG_RSA_SHA256, NULL, dlen, &server_key, NULL, sig, &sl), 0);
	sl = 10; /* no room */
	assert_int_not_equal(tls_sig_sign(TLS_SIG_RSA_SHA256, d, dlen, &server_key, NULL, sig, &sl), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_decrypt48),
	    cmocka_unit_test(test_sign_matches_openssl),
	};
	return cmocka_run_group_tests(tests, load_key, free_key);
}
