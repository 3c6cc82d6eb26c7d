/* PRF, master secret, key block and verify_data against answers computed
 * elsewhere: OpenSSL's TLS1-PRF KDF (SHA-256, SHA-384, and MD5-SHA1 for TLS
 * 1.0/1.1) and the published secrets of the Illustrated TLS 1.2 connection (tests/fixtures/illustrated-tls12). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "tls/alert.h"
#include "tls/crypto.h"
#include "tls/keys.h"
#include "tls/prf.h"
#include "tls/suites.h"

/* Decodes lowercase hex into out; returns the byte count. */
static size_t unhex(uint8_t *out, const char *hex)
{
	size_t n = strlen(hex) / 2;
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
	return n;
}

static void assert_hex(const uint8_t *got, size_t n, const char *want)
{
	uint8_t w[256];
	assert_int_equal(strlen(want), 2 * n);
	unhex(w, want);
	assert_memory_equal(got, w, n);
}

/* openssl kdf -keylen 100 -kdfopt digest:SHA256 -kdfopt hexsecret:9bbe436ba940f017b17652849a71db35
 *   -kdfopt hexseed:<"test label" hex>a0ba9f936cda311827a6f796ffd5198c TLS1-PRF */
static void test_p_sha256(void **state)
{
	(void)state;
	uint8_t secret[16], seed[16], out[100];
	unhex(secret, "9bbe436ba940f017b17652849a71db35");
	unhex(seed, "a0ba9f936cda311827a6f796ffd5198c");
	assert_int_equal(tls_prf(tls_hash_sha256(), secret, sizeof secret, "test label", seed,
				 sizeof seed, out, sizeof out),
			 0);
	assert_hex(out, sizeof out,
		   "e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a"
		   "6b301791e90d35c9c9a46b4e14baf9af0fa022f7077def17abfd3797c0564bab"
		   "4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff701"
		   "87347b66");
}

/* Same command with digest:SHA384, secret b80b733d6ceefcdc71566ea48e5567df,
 * seed cd665cf6a8447dd6ff8b27555edb7465, 148 bytes. */
static void test_p_sha384(void **state)
{
	(void)state;
	uint8_t secret[16], seed[16], out[148];
	unhex(secret, "b80b733d6ceefcdc71566ea48e5567df");
	unhex(seed, "cd665cf6a8447dd6ff8b27555edb7465");
	assert_int_equal(tls_prf(tls_hash_sha384(), secret, sizeof secret, "test label", seed,
				 sizeof seed, out, sizeof out),
			 0);
	assert_hex(out, sizeof out,
		   "7b0c18e9ced410ed1804f2cfa34a336a1c14dffb4900bb5fd7942107e81c83cd"
		   "e9ca0faa60be9fe34f82b1233c9146a0e534cb400fed2700884f9dc236f80edd"
		   "8bfa961144c9e8d792eca722a7b32fc3d416d473ebc2c5fd4abfdad05d918425"
		   "9b5bf8cd4d90fa0d31e2dec479e4f1a26066f2eea9a69236a3e52655c9e9aee6"
		   "91c8f3a26854308d5eaa3be85e0990703d73e56f");
}

/* TLS 1.0/1.1: openssl kdf -keylen 100 -kdfopt digest:MD5-SHA1
 *   -kdfopt hexsecret:9bbe436ba940f017b17652849a71db35
 *   -kdfopt hexseed:<"test label" hex>a0ba9f936cda311827a6f796ffd5198c TLS1-PRF */
static void test_prf10(void **state)
{
	(void)state;
	uint8_t secret[16], seed[16], out[100];
	unhex(secret, "9bbe436ba940f017b17652849a71db35");
	unhex(seed, "a0ba9f936cda311827a6f796ffd5198c");
	assert_int_equal(tls_prf10(secret, sizeof secret, "test label", seed, sizeof seed, out,
				   sizeof out),
			 0);
	assert_hex(out, sizeof out,
		   "661740e6f98bc901efd2738502a71c03f76dd2f86298549b1148eff06714cf0f"
		   "6b7c532cd8c69f1530e0bb680eec34c495fa75a8bfcc9c335484c0d3d194ab6e"
		   "32975903c50ebcdbe9d67c0591bdbd80dddcc36d33ccd58adf96caae173f48dc"
		   "40f983e2");
}

/* An odd-length secret: both halves share its middle byte. Same command with
 * hexsecret:bded7fa5c1699c010be23dd06ada3a48349f21e5f86263d512 (25 bytes),
 * seed 7e5f2a, 80 bytes. */
static void test_prf10_odd_secret(void **state)
{
	(void)state;
	uint8_t secret[25], seed[3], out[80];
	unhex(secret, "bded7fa5c1699c010be23dd06ada3a48349f21e5f86263d512");
	unhex(seed, "7e5f2a");
	assert_int_equal(tls_prf10(secret, sizeof secret, "test label", seed, sizeof seed, out,
				   sizeof out),
			 0);
	assert_hex(out, sizeof out,
		   "df8e53df1faffde893313d8c68a0b628f6236868d072dd73f85b848ad71798a9"
		   "89ac80e0917d281001c8d74d9f5c89c038c11806d5aefc0a72c28e34328e3496"
		   "8677c5cb897f181ecd3f3f6029727831");
}

/* The version picks the PRF: TLS 1.0 and 1.1 the MD5/SHA-1 one whatever the
 * suite says, TLS 1.2 the suite's; the derivations follow. */
static void test_version_prf(void **state)
{
	(void)state;
	uint8_t secret[48] = {7}, seed[64] = {9}, a[60], b[60];
	const tls_suite *s = tls_suite_by_id(0x002F);
	assert_non_null(s);
	for (uint16_t v = 0x0301; v <= 0x0302; v++) {
		assert_true(tls_version_uses_prf10(v));
		assert_int_equal(tls_version_prf(v, s, secret, 48, "key expansion", seed, 64, a, 60), 0);
		assert_int_equal(tls_prf10(secret, 48, "key expansion", seed, 64, b, 60), 0);
		assert_memory_equal(a, b, 60);
		assert_int_equal(tls_handshake_hash_len(v, s), 36);
	}
	assert_false(tls_version_uses_prf10(0x0303));
	assert_int_equal(tls_version_prf(0x0303, s, secret, 48, "key expansion", seed, 64, a, 60), 0);
	assert_int_equal(tls_prf(tls_hash_sha256(), secret, 48, "key expansion", seed, 64, b, 60), 0);
	assert_memory_equal(a, b, 60);
	assert_int_equal(tls_handshake_hash_len(0x0303, s), 32);
	assert_true(tls_version_prf(0x0303, NULL, secret, 48, "x", NULL, 0, a, 12) < 0);
	assert_true(tls_prf10(secret, 48, NULL, NULL, 0, a, 12) < 0);

	/* TLS 1.0: the key block comes out of the old PRF and is cut as before. */
	uint8_t cr[32] = {1}, sr[32] = {2}, ms[48], want[104], vd[12], h[36] = {5};
	tls_keys k;
	memcpy(seed, cr, 32);
	memcpy(seed + 32, sr, 32);
	assert_int_equal(tls_derive_master_ver(0x0301, s, secret, 48, cr, sr, ms), 0);
	assert_int_equal(tls_prf10(secret, 48, "master secret", seed, 64, want, 48), 0);
	assert_memory_equal(ms, want, 48);
	memcpy(seed, sr, 32);
	memcpy(seed + 32, cr, 32);
	assert_int_equal(tls_derive_keys_ver(0x0301, s, ms, cr, sr, &k), 0);
	assert_int_equal(tls_prf10(ms, 48, "key expansion", seed, 64, want, 104), 0);
	assert_int_equal(k.block_len, 104);
	assert_memory_equal(k.block, want, 104);
	assert_memory_equal(k.client_iv, want + 72, 16);
	assert_memory_equal(k.server_iv, want + 88, 16);
	tls_keys_wipe(&k);
	assert_int_equal(tls_verify_data_ver(0x0302, s, ms, 1, h, sizeof h, vd), 0);
	assert_int_equal(tls_prf10(ms, 48, "server finished", h, sizeof h, want, 12), 0);
	assert_memory_equal(vd, want, 12);
}

/* Shorter outputs are prefixes of longer ones, and a partial last block
 * must not spill past out_len. */
static void test_prefix_and_bounds(void **state)
{
	(void)state;
	uint8_t secret[4] = {1, 2, 3, 4}, full[80], part[80];
	assert_int_equal(tls_prf(tls_hash_sha256(), secret, 4, "x", NULL, 0, full, 80), 0);
	for (size_t n = 0; n <= 70; n += 7) {
		memset(part, 0xA5, sizeof part);
		assert_int_equal(tls_prf(tls_hash_sha256(), secret, 4, "x", NULL, 0, part, n), 0);
		assert_memory_equal(part, full, n);
		for (size_t i = n; i < sizeof part; i++)
			assert_int_equal(part[i], 0xA5);
	}
}

/* An empty secret is legal for HMAC (libtomcrypt refuses keylen 0, the PRF
 * works around it); bad arguments fail without aborting. */
static void test_edge_arguments(void **state)
{
	(void)state;
	uint8_t out[32], zero1[32];
	uint8_t z = 0;
	assert_int_equal(tls_prf(tls_hash_sha256(), NULL, 0, "l", NULL, 0, out, 32), 0);
	assert_int_equal(tls_prf(tls_hash_sha256(), &z, 1, "l", NULL, 0, zero1, 32), 0);
	assert_memory_equal(out, zero1, 32);
	assert_true(tls_prf(-1, &z, 1, "l", NULL, 0, out, 32) < 0);
	assert_true(tls_prf(999, &z, 1, "l", NULL, 0, out, 32) < 0);
	assert_true(tls_prf(tls_hash_sha256(), &z, 1, NULL, NULL, 0, out, 32) < 0);
	assert_true(tls_prf(tls_hash_sha256(), &z, 1, "l", NULL, 5, out, 32) < 0);
	assert_true(tls_prf(tls_hash_sha256(), &z, 1, "l", NULL, 0, NULL, 32) < 0);
}

/* The fixture's suite, 0xC013, is not in tlsstep's table; its derivation only
 * needs these lengths. */
static const tls_suite ecdhe_rsa_aes128_sha = {
	0xC013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "ECDHE-RSA-AES128-SHA",
	TLS_KX_ECDHE_RSA, TLS_BULK_AES_CBC, TLS_MAC_SHA1, TLS_PRF_SHA256,
	20, 20, 16, 16, 16, 0, 0,
};

#define CLIENT_RANDOM "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define SERVER_RANDOM "707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f"
#define PREMASTER "df4a291baa1eb7cfa6934b29b474baad2697e29f1f920dcc77c8a0a088447624"
#define MASTER                                                                           \
	"916abf9da55973e13614ae0a3f5d3f37b023ba129aee02cc9134338127cd7049781c8e19fc1eb2a7" \
	"387ac06ae237344c"

static void test_fixture_master(void **state)
{
	(void)state;
	uint8_t cr[32], sr[32], pms[32], ms[48];
	unhex(cr, CLIENT_RANDOM);
	unhex(sr, SERVER_RANDOM);
	unhex(pms, PREMASTER);
	assert_int_equal(tls_derive_master(&ecdhe_rsa_aes128_sha, pms, sizeof pms, cr, sr, ms), 0);
	assert_hex(ms, 48, MASTER);
}

static void test_fixture_keys(void **state)
{
	(void)state;
	uint8_t cr[32], sr[32], ms[48];
	tls_keys k;
	unhex(cr, CLIENT_RANDOM);
	unhex(sr, SERVER_RANDOM);
	unhex(ms, MASTER);
	assert_int_equal(tls_derive_keys(&ecdhe_rsa_aes128_sha, ms, cr, sr, &k), 0);
	assert_int_equal(k.mac_len, 20);
	assert_int_equal(k.key_len, 16);
	assert_int_equal(k.iv_len, 16);
	assert_int_equal(k.block_len, 104);
	assert_hex(k.client_mac, 20, "1b7d117c7d5f690bc263cae8ef60af0f1878acc2");
	assert_hex(k.server_mac, 20, "2ad8bdd8c601a617126f63540eb20906f781fad2");
	assert_hex(k.client_key, 16, "f656d037b173ef3e11169f27231a84b6");
	assert_hex(k.server_key, 16, "752a18e7a9fcb7cbcdd8f98dd8f769eb");
	assert_hex(k.client_iv, 16, "a0d2550c9238eebfef5c32251abb67d6");
	assert_hex(k.server_iv, 16, "434528db4937d540d393135e06a11bb8");
	/* The block is the six keys back to back. */
	assert_memory_equal(k.block, k.client_mac, 20);
	assert_memory_equal(k.block + 88, k.server_iv, 16);
	tls_keys_wipe(&k);
	for (size_t i = 0; i < sizeof k.block; i++)
		assert_int_equal(k.block[i], 0);
	assert_int_equal(k.block_len, 0);
}

static void test_fixture_verify_data(void **state)
{
	(void)state;
	uint8_t ms[48], h[32], vd[12];
	unhex(ms, MASTER);
	unhex(h, "061dda04b3c2217ff73bd79b9cf88a2bb6ec505404aac8722db03ef417b54cb4");
	assert_int_equal(tls_verify_data(&ecdhe_rsa_aes128_sha, ms, 0, h, sizeof h, vd), 0);
	assert_hex(vd, 12, "cf919626f1360c536aaad73a");
	unhex(h, "b2017ba28d0e27f03ae327456b6ff00b4d5bbf0ef7cda83ce1029b521c3e7c35");
	assert_int_equal(tls_verify_data(&ecdhe_rsa_aes128_sha, ms, 1, h, sizeof h, vd), 0);
	assert_hex(vd, 12, "844d3c10746dd722f92f0c7e");
}

/* Key lengths follow the suite: GCM has no MAC keys and a 4-byte salt, and
 * the SHA-384 suite's PRF really is SHA-384. */
static void test_table_suites(void **state)
{
	(void)state;
	uint8_t cr[32] = {1}, sr[32] = {2}, ms[48] = {3}, want[2 * (32 + 4)];
	tls_keys k;
	const tls_suite *gcm256 = tls_suite_by_id(0x009D);
	assert_non_null(gcm256);
	assert_int_equal(tls_derive_keys(gcm256, ms, cr, sr, &k), 0);
	assert_int_equal(k.mac_len, 0);
	assert_int_equal(k.key_len, 32);
	assert_int_equal(k.iv_len, 4);
	assert_int_equal(k.block_len, 72);
	uint8_t seed[64];
	memcpy(seed, sr, 32);
	memcpy(seed + 32, cr, 32);
	assert_int_equal(tls_prf(tls_hash_sha384(), ms, 48, "key expansion", seed, 64, want,
				 sizeof want),
			 0);
	assert_memory_equal(k.block, want, sizeof want);
	assert_memory_equal(k.client_key, want, 32);
	assert_memory_equal(k.server_key, want + 32, 32);
	assert_memory_equal(k.client_iv, want + 64, 4);
	assert_memory_equal(k.server_iv, want + 68, 4);
	tls_keys_wipe(&k);
}

static void test_bad_arguments(void **state)
{
	(void)state;
	uint8_t r[32] = {0}, ms[48] = {0}, out[12];
	tls_keys k;
	const tls_suite *s = tls_suite_by_id(0x002F);
	assert_true(tls_derive_master(NULL, r, 32, r, r, ms) < 0);
	assert_true(tls_derive_master(s, NULL, 32, r, r, ms) < 0);
	assert_true(tls_derive_master(s, r, 0, r, r, ms) < 0);
	assert_true(tls_derive_keys(s, NULL, r, r, &k) < 0);
	assert_true(tls_derive_keys(s, ms, r, r, NULL) < 0);
	assert_true(tls_verify_data(s, ms, 0, NULL, 32, out) < 0);
	assert_true(tls_verify_data(s, ms, 0, r, 0, out) < 0);
}

static int setup(void **state)
{
	(void)state;
	return tls_crypto_init();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_p_sha256),
		cmocka_unit_test(test_p_sha384),
		cmocka_unit_test(test_prf10),
		cmocka_unit_test(test_prf10_odd_secret),
		cmocka_unit_test(test_version_prf),
		cmocka_unit_test(test_prefix_and_bounds),
		cmocka_unit_test(test_edge_arguments),
		cmocka_unit_test(test_fixture_master),
		cmocka_unit_test(test_fixture_keys),
		cmocka_unit_test(test_fixture_verify_data),
		cmocka_unit_test(test_table_suites),
		cmocka_unit_test(test_bad_arguments),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
