/* EC private keys and ECDSA signing: the classroom EC keys load from SEC1
 * and PKCS#8, PEM and DER, and belong to their certificates; broken,
 * foreign and out-of-range keys are refused; a signature made with
 * tls_sig_sign_key verifies with the engine's own verifier against the
 * certificate, repeats with the same seed, and fails once changed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "srcdir.h"

#include "test_files.h"

#include "tls/crypto.h"
#include "tls/privkey.h"
#include "tls/rng.h"
#include "tls/sig.h"
#include "tls/x509.h"

static void load_cert(const char *path, tls_x509 *x)
{
	size_t len;
	uint8_t *der = der_of(path, &len);
	assert_int_equal(tls_x509_parse(der, len, x, NULL, 0, NULL), 0);
	free(der);
}

static int import_file(const char *path, tls_privkey *k)
{
	size_t len;
	uint8_t *p = slurp(path, &len);
	int rc = tls_privkey_import(p, len, k);
	free(p);
	return rc;
}

/* The first PEM block of a file, as DER. */
static void der_block(const char *path, tls_buf *der)
{
	size_t len, pos = 0;
	uint8_t *p = slurp(path, &len);
	assert_int_equal(tls_pem_next((const char *)p, len, &pos, NULL, der, NULL, 0), 1);
	free(p);
}

static void test_load_formats(void **state)
{
	(void)state;
	tls_x509 ec, ec384, rsa;
	tls_privkey k;
	tls_buf der = {0};
	assert_int_equal(tls_crypto_init(), 0);
	load_cert(SRC("assets/ecdsa.crt"), &ec);
	load_cert(SRC("assets/ecdsa-p384.crt"), &ec384);
	load_cert(SRC("assets/server.crt"), &rsa);
	const char *p256[] = {SRC("assets/ecdsa.key"), SRC("assets/ecdsa.pk8.pem")};
	for (size_t i = 0; i < 2; i++) {
		assert_int_equal(import_file(p256[i], &k), 0);
		assert_int_equal(k.type, TLS_X509_KEY_EC);
		assert_int_equal(k.curve->id, 23);
		assert_true(tls_privkey_matches(&k, &ec));
		assert_false(tls_privkey_matches(&k, &ec384));
		assert_false(tls_privkey_matches(&k, &rsa));
		tls_privkey_free(&k);
		/* the same bytes as DER */
		der_block(p256[i], &der);
		assert_int_equal(tls_privkey_import(der.p, der.len, &k), 0);
		assert_true(tls_privkey_matches(&k, &ec));
		tls_privkey_free(&k);
	}
	assert_int_equal(import_file(SRC("assets/ecdsa-p384.key"), &k), 0);
	assert_int_equal(k.curve->id, 24);
	assert_true(tls_privkey_matches(&k, &ec384));
	tls_privkey_free(&k);
	/* RSA keys come through the same door. */
	assert_int_equal(import_file(SRC("assets/server.key"), &k), 0);
	assert_int_equal(k.type, TLS_X509_KEY_RSA);
	assert_true(tls_privkey_matches(&k, &rsa));
	assert_false(tls_privkey_matches(&k, &ec));
	tls_privkey_free(&k);
	tls_privkey_free(&k); /* twice is harmless */
	tls_buf_free(&der);
	tls_x509_free(&ec);
	tls_x509_free(&ec384);
	tls_x509_free(&rsa);
}

/* SEC1 without the public key: SEQUENCE { 1, OCTET STRING d, [0] OID }. */
static size_t sec1(uint8_t *out, const uint8_t d[32], const uint8_t *oid, size_t oid_len)
{
	size_t n = 0;
	out[n++] = 0x30;
	out[n++] = (uint8_t)(3 + 34 + 2 + oid_len);
	memcpy(out + n, "\x02\x01\x01\x04\x20", 5);
	n += 5;
	memcpy(out + n, d, 32);
	n += 32;
	out[n++] = 0xa0;
	out[n++] = (uint8_t)oid_len;
	memcpy(out + n, oid, oid_len);
	return n + oid_len;
}

static void test_bad_keys(void **state)
{
	(void)state;
	static const uint8_t p256_oid[] = {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
	static const uint8_t k1_oid[] = {0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x0a}; /* secp256k1 */
	tls_x509 ec;
	tls_privkey k;
	tls_buf der = {0};
	uint8_t buf[128], d[32];
	assert_int_equal(tls_crypto_init(), 0);
	load_cert(SRC("assets/ecdsa.crt"), &ec);
	der_block(SRC("assets/ecdsa.key"), &der);
	/* 30 77 02 01 01 04 20 d...: the scalar sits at offset 7 */
	assert_int_equal(der.p[5], 0x04);
	memcpy(d, der.p + 7, 32);

	/* Without its public key, the point is computed from d: still the certificate's. */
	size_t n = sec1(buf, d, p256_oid, sizeof p256_oid);
	assert_int_equal(tls_privkey_import(buf, n, &k), 0);
	assert_true(tls_privkey_matches(&k, &ec));
	tls_privkey_free(&k);
	/* The same scalar named for a curve tlsstep does not know. */
	n = sec1(buf, d, k1_oid, sizeof k1_oid);
	assert_int_not_equal(tls_privkey_import(buf, n, &k), 0);
	/* d = 0 and d >= n are not private keys. */
	uint8_t zero[32] = {0}, big[32];
	memset(big, 0xff, sizeof big);
	n = sec1(buf, zero, p256_oid, sizeof p256_oid);
	assert_int_not_equal(tls_privkey_import(buf, n, &k), 0);
	n = sec1(buf, big, p256_oid, sizeof p256_oid);
	assert_int_not_equal(tls_privkey_import(buf, n, &k), 0);

	/* A changed scalar no longer gives the file's public point. */
	der.p[20] ^= 0x01;
	assert_int_not_equal(tls_privkey_import(der.p, der.len, &k), 0);
	der.p[20] ^= 0x01;
	assert_int_equal(tls_privkey_import(der.p, der.len, &k), 0);
	tls_privkey_free(&k);
	/* Every truncation, and trailing bytes, fail cleanly. */
	for (size_t i = 1; i < der.len; i++)
		assert_int_not_equal(tls_privkey_import(der.p, i, &k), 0);
	assert_int_equal(tls_buf_u8(&der, 0), 0);
	assert_int_not_equal(tls_privkey_import(der.p, der.len, &k), 0);

	const char *garbage[] = {
	    "hello world",
	    "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n",
	    "-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n\nAAAA\n-----END EC PRIVATE KEY-----\n",
	    "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n",
	};
	for (size_t i = 0; i < sizeof garbage / sizeof garbage[0]; i++)
		assert_int_not_equal(tls_privkey_import((const uint8_t *)garbage[i], strlen(garbage[i]), &k), 0);
	/* A certificate is not a key. */
	assert_int_not_equal(tls_privkey_import(ec.der, ec.der_len, &k), 0);
	tls_buf_free(&der);
	tls_x509_free(&ec);
}

/* Signs with the key of key_path, verifies against cert_path. */
static void sign_verify(const char *key_path, const char *cert_path, uint16_t alg, uint16_t wrong)
{
	tls_x509 cert;
	tls_privkey k;
	tls_rng r1, r2, r3;
	uint8_t d[64], s1[TLS_SIG_MAX], s2[TLS_SIG_MAX], s3[TLS_SIG_MAX];
	size_t dl, l1 = sizeof s1, l2 = sizeof s2, l3 = sizeof s3;
	static const uint8_t content[] = "64 spaces, a context string, 0, a transcript hash";
	const uint8_t *parts[] = {content};
	const size_t lens[] = {sizeof content};
	load_cert(cert_path, &cert);
	assert_int_equal(import_file(key_path, &k), 0);
	assert_int_equal(tls_sig_digest(alg, parts, lens, 1, d, &dl), 0);
	assert_int_equal(tls_rng_seed(&r1, 42, "server"), 0);
	assert_int_equal(tls_rng_seed(&r2, 42, "server"), 0);
	assert_int_equal(tls_rng_seed(&r3, 43, "server"), 0);
	assert_int_equal(tls_sig_sign_key(alg, d, dl, &k, &r1, s1, &l1), 0);
	assert_int_equal(tls_sig_sign_key(alg, d, dl, &k, &r2, s2, &l2), 0);
	assert_int_equal(tls_sig_sign_key(alg, d, dl, &k, &r3, s3, &l3), 0);
	assert_int_equal(s1[0], 0x30); /* DER SEQUENCE { r, s } */
	assert_int_equal(tls_sig_verify(alg, d, dl, s1, l1, &cert), 0);
	assert_int_equal(tls_sig_verify(alg, d, dl, s3, l3, &cert), 0);
	/* same seed, same signature; another seed, another k */
	assert_true(l1 == l2 && !memcmp(s1, s2, l1));
	assert_false(l1 == l3 && !memcmp(s1, s3, l1));
	s1[l1 - 1] ^= 1;
	assert_int_not_equal(tls_sig_verify(alg, d, dl, s1, l1, &cert), 0);
	d[0] ^= 1;
	assert_int_not_equal(tls_sig_verify(alg, d, dl, s2, l2, &cert), 0);
	/* a scheme of the other curve, or RSA-PSS, is not this key's */
	l1 = sizeof s1;
	assert_int_not_equal(tls_sig_sign_key(wrong, d, dl, &k, &r1, s1, &l1), 0);
	l1 = sizeof s1;
	assert_int_not_equal(tls_sig_sign_key(TLS_SIG_PSS_SHA256, d, dl, &k, &r1, s1, &l1), 0);
	/* no room for the signature */
	l1 = 8;
	assert_int_not_equal(tls_sig_sign_key(alg, d, dl, &k, &r1, s1, &l1), 0);
	tls_rng_free(&r1);
	tls_rng_free(&r2);
	tls_rng_free(&r3);
	tls_privkey_free(&k);
	tls_x509_free(&cert);
}

static void test_sign_verify(void **state)
{
	(void)state;
	assert_int_equal(tls_crypto_init(), 0);
	sign_verify(SRC("assets/ecdsa.key"), SRC("assets/ecdsa.crt"), TLS_SIG_ECDSA_SHA256, TLS_SIG_ECDSA_SHA384);
	sign_verify(SRC("assets/ecdsa-p384.key"), SRC("assets/ecdsa-p384.crt"), TLS_SIG_ECDSA_SHA384,
	            TLS_SIG_ECDSA_SHA256);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_load_formats),
	    cmocka_unit_test(test_bad_keys),
	    cmocka_unit_test(test_sign_verify),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
