/* Unit tests for EC certificates, ECDSA and RSA-PSS: ecdsa.c, the EC parts
 * of x509.c and sig.c, against the chains in assets/chains (made by
 * assets/mkchains.sh). The known answers were made with the openssl CLI and
 * the committed keys, e.g.
 *   printf 'tlsstep known answer' | openssl dgst -sha256 -sign assets/chains/p256-leaf.key | xxd -p
 *   ... -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32 -sign assets/chains/rsa-leaf.key
 * (regenerating the chains means regenerating them). Run from the repository root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "srcdir.h"

#include "test_files.h"
#include "tls/alert.h"
#include "tls/crypto.h"
#include "tls/ecdsa.h"
#include "tls/pem.h"
#include "tls/rng.h"
#include "tls/sig.h"
#include "tls/x509.h"

#define T2026 1767225600LL
#define BAD_CERT TLS_FAIL(TLS_ALERT_BAD_CERTIFICATE)
#define UNSUPPORTED TLS_FAIL(TLS_ALERT_UNSUPPORTED_CERTIFICATE)
#define EXPIRED TLS_FAIL(TLS_ALERT_CERTIFICATE_EXPIRED)
#define UNKNOWN_CA TLS_FAIL(TLS_ALERT_UNKNOWN_CA)
#define DECRYPT_ERROR TLS_FAIL(TLS_ALERT_DECRYPT_ERROR)
#define DIR SRC("assets/chains/")

static const char kat_msg[] = "tlsstep known answer";
static const char kat_p256_sha256[] =
	"304502200daa1354e3f47315811416342176606f44a69699340e67de1699d9e24c024fe5022100a2ee5f8a26509e38d0"
	"238d6ac8e38d43ec166020d260db58a7f6274b71421cff";
static const char kat_p384_sha384[] =
	"306402302f7c793274bdc5a10f83d026e76f05de9822d3a1755b51052bc8abbb3e1546382db8165346447a999195d0a1"
	"e2e5abe302306b1c8da6c3d8b35a863803eee274c7e3270bafb2387a1b12736823c62c79e365dea01c2a0e7c500c47f3"
	"87b8944aeea0";
static const char kat_p256_sha512[] =
	"304502207b67b85573436a9cd49beadf5fc0a1762007b34500e79d327f5dcc702ca706a9022100ea17f122fa2a10720b"
	"d22c869d2fe906f197e61cf00e9f66eca9b0cf816ef993";
static const char kat_pss32[] =
	"aeff342d0c71fce2417f2915b1e4d7c028a675c62433930997da3cf429a937319b7e613deff334c1fe7ec960aeda525a"
	"51eeeb42a133c3075fb9462b1302377e5745ffa1b86541a13677d3a0d0b8702517309d0025e727c348dfc38e067d89cd"
	"f0e2609e006157269e510c90106fb8b298c806b7f83283b397ac0c2cdfe1566213af02075b97155a1604c1e067ed5cef"
	"e637b788e6f374cc26175a9430b882c4c5974494c44ce876da88d978bac018c4bd93feee3defc2e06453d71d4196ca63"
	"b736d0fb31d967c2b184f41b11df78857aa88f8dbc619c4d77bcda9e60ee7eba8f7da5b2028c777d90281f18d7fbe6ec"
	"5ccc78e33caefd2d5821c7182b8e2390";
/* The same message, PSS with a 20-byte salt: valid PSS, but not what TLS
 * asks for (salt as long as the hash), so it must not verify. */
static const char kat_pss20[] =
	"8f183b17a04d5a627adc0f8732c43b8bf1dded19d0effa94c39da612d03e80beb8bb67fecda1386f8e381344fd8d31d1"
	"7ffeeaee9a495b752f8ad0ec773a8fa4a412dd14b8183ae52c407c5e5edb0b23ae8e794e9fe92e911c8d00c3bc953edf"
	"3ceda3effa9e2b202b218f639294263bd2692b6d5eb4203561bdcdea55ddf138c28e26df0842e8136287ce9a9d4fd5ae"
	"36578a891dbfb49de69c446341f89b2825590fc550fd15266ffc63648b81cdb44108ac6cc9459eaf89b2fceaca928e2a"
	"e0411f49ee7eec8779afbc73ecb1525da4c7efdb661a1fb728be90c72cabe1d491c9c5a0f86827527a23b6fcc2373b53"
	"b735bbb35390f63268904a487297fc7b";

static size_t unhex(const char *h, uint8_t *out, size_t cap)
{
	size_t n = strlen(h) / 2;
	assert_true(n <= cap);
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		assert_int_equal(sscanf(h + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
	return n;
}

static void load(const char *name, tls_x509 *out)
{
	char path[128];
	size_t len;
	snprintf(path, sizeof path, DIR "%s.crt", name);
	uint8_t *der = der_of(path, &len);
	assert_int_equal(tls_x509_parse(der, len, out, NULL, 0, NULL), 0);
	free(der);
}

static void digest(int hash, const void *msg, size_t n, uint8_t *out, size_t *outlen)
{
	unsigned long l = MAXBLOCKSIZE;
	assert_int_equal(hash_memory(hash, msg, n, out, &l), CRYPT_OK);
	*outlen = l;
}

static int hash_sha512(void)
{
	return register_hash(&sha512_desc);
}

static void test_ec_keys(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		uint16_t curve;
		unsigned bits;
	} want[] = {{"p256-leaf", 23, 256}, {"p384-leaf", 24, 384}, {"mixed-leaf", 24, 384}, {"mixed-int", 23, 256}};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		tls_x509 c;
		load(want[i].name, &c);
		assert_true(c.has_key);
		assert_int_equal(c.key_type, TLS_X509_KEY_EC);
		assert_int_equal(c.ec_named_curve, want[i].curve);
		assert_int_equal(c.key_bits, want[i].bits);
		assert_non_null(c.ec_curve);
		tls_x509_free(&c);
	}
	/* The key shown field by field. */
	size_t len;
	uint8_t *der = der_of(DIR "p256-leaf.crt", &len);
	tls_x509 c;
	tls_spans spans = {0};
	assert_int_equal(tls_x509_parse(der, len, &c, &spans, 0, "certificate[0]"), 0);
	int alg = 0, point = 0, sig = 0;
	for (size_t i = 0; i < spans.n; i++) {
		if (!strcmp(spans.v[i].path, "certificate[0].subjectPublicKeyInfo.algorithm"))
			alg = strstr(spans.v[i].meaning, "id-ecPublicKey") && strstr(spans.v[i].meaning, "P-256");
		if (!strcmp(spans.v[i].path, "certificate[0].subjectPublicKeyInfo.point"))
			point = spans.v[i].length == 2 + 1 + 1 + 64;
		if (!strcmp(spans.v[i].path, "certificate[0].signatureAlgorithm"))
			sig = strstr(spans.v[i].meaning, "ecdsa-with-SHA256") != NULL;
	}
	tls_spans_free(&spans);
	assert_true(alg && point && sig);
	assert_int_equal(c.sig_kind, TLS_X509_SIG_ECDSA);
	assert_int_equal(c.sig_hash, tls_hash_sha256());
	tls_x509_free(&c);
	free(der);
	/* RSA keys are as before. */
	load("rsa-leaf", &c);
	assert_int_equal(c.key_type, TLS_X509_KEY_RSA);
	assert_int_equal(c.sig_kind, TLS_X509_SIG_RSA);
	tls_x509_free(&c);
}

/* leaf + what the server sends, against one root. */
static int verify(const char *leaf, const char *const *extra, size_t n_extra, const char *root,
		  const char *host, char *why, size_t wl)
{
	tls_x509 chain[8], anchor;
	load(leaf, &chain[0]);
	for (size_t i = 0; i < n_extra; i++)
		load(extra[i], &chain[1 + i]);
	load(root, &anchor);
	int rc = tls_x509_verify_chain(chain, 1 + n_extra, &anchor, 1, T2026, host, why, wl);
	for (size_t i = 0; i <= n_extra; i++)
		tls_x509_free(&chain[i]);
	tls_x509_free(&anchor);
	return rc;
}

static void test_chains(void **state)
{
	(void)state;
	char why[300];
	const char *p256[] = {"p256-int"}, *p384[] = {"p384-int"}, *rsa[] = {"rsa-int"}, *mixed[] = {"mixed-int"};
	assert_int_equal(verify("p256-leaf", p256, 1, "p256-root", "chain.tlsstep.test", why, sizeof why), 0);
	assert_int_equal(verify("p384-leaf", p384, 1, "p384-root", "chain.tlsstep.test", why, sizeof why), 0);
	assert_int_equal(verify("rsa-leaf", rsa, 1, "rsa-root", "127.0.0.1", why, sizeof why), 0);
	/* RSA root signs a P-256 intermediate, which signs a P-384 leaf with SHA-384. */
	assert_int_equal(verify("mixed-leaf", mixed, 1, "mixed-root", "localhost", why, sizeof why), 0);
	/* Intermediate missing. */
	assert_int_equal(verify("p256-leaf", NULL, 0, "p256-root", NULL, why, sizeof why), UNKNOWN_CA);
	/* Wrong order plus extras. */
	const char *messy[] = {"rsa-int", "p256-root", "p384-int", "p256-int"};
	assert_int_equal(verify("p256-leaf", messy, 4, "p256-root", "chain.tlsstep.test", why, sizeof why), 0);
	/* Another family's root: same structure, other names. */
	assert_int_equal(verify("p256-leaf", p256, 1, "p384-root", NULL, why, sizeof why), UNKNOWN_CA);
	/* Wildcards. */
	assert_int_equal(verify("wild-leaf", p256, 1, "p256-root", "a.tlsstep.test", why, sizeof why), 0);
	assert_int_equal(verify("wild-leaf", p256, 1, "p256-root", "a.b.tlsstep.test", why, sizeof why), BAD_CERT);
	assert_int_equal(verify("wild-leaf", p256, 1, "p256-root", "tlsstep.test", why, sizeof why), BAD_CERT);
	/* Expired intermediate, non-CA issuer. */
	const char *exp[] = {"expired-int"};
	assert_int_equal(verify("expired-leaf", exp, 1, "p256-root", NULL, why, sizeof why), EXPIRED);
	assert_non_null(strstr(why, "Expired Intermediate"));
	const char *nonca[] = {"p256-leaf", "p256-int"};
	assert_int_equal(verify("nonca-leaf", nonca, 2, "p256-root", NULL, why, sizeof why), BAD_CERT);
	assert_non_null(strstr(why, "not a CA"));
}

/* Flips one byte of a certificate and reparses it into out. */
static int parse_flipped(const char *name, size_t (*where)(const tls_x509 *), uint8_t xor, tls_x509 *out)
{
	tls_x509 c;
	load(name, &c);
	size_t at = where(&c);
	uint8_t *der = malloc(c.der_len);
	assert_non_null(der);
	memcpy(der, c.der, c.der_len);
	der[at] ^= xor;
	int rc = tls_x509_parse(der, c.der_len, out, NULL, 0, NULL);
	tls_x509_free(&c);
	free(der);
	return rc;
}

static size_t last_sig_byte(const tls_x509 *c)
{
	return c->sig_off + c->sig_len - 1; /* the last octet of s */
}

/* A letter of the subject's O= value (its last occurrence in the signed
 * part): the issuer's name stays as it was, so only the signature fails. */
static size_t in_subject(const tls_x509 *c)
{
	static const char o[] = "tlsstep chains";
	size_t found = 0;
	for (size_t i = c->tbs_off; i + sizeof o - 1 <= c->tbs_off + c->tbs_len; i++)
		if (!memcmp(c->der + i, o, sizeof o - 1))
			found = i;
	assert_true(found > 0);
	return found;
}

/* The last octet of the public point's y in the DER. */
static size_t point_y_last(const tls_x509 *c)
{
	uint8_t pt[1 + 2 * ECC_MAXSIZE];
	unsigned long n = sizeof pt;
	ecc_key k = c->ec_key;
	assert_int_equal(ecc_ansi_x963_export(&k, pt, &n), CRYPT_OK);
	for (size_t i = 0; i + n <= c->der_len; i++)
		if (!memcmp(c->der + i, pt, n))
			return i + n - 1;
	fail();
	return 0;
}

/* The last octet of the namedCurve OID (prime256v1 ends ... 03 01 07). */
static size_t curve_oid_last(const tls_x509 *c)
{
	static const uint8_t oid[] = {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
	for (size_t i = 0; i + sizeof oid <= c->der_len; i++)
		if (!memcmp(c->der + i, oid, sizeof oid))
			return i + sizeof oid - 1;
	fail();
	return 0;
}

static void test_broken(void **state)
{
	(void)state;
	char why[300];
	tls_x509 leaf, inter, root;
	load("p256-int", &inter);
	load("p256-root", &root);
	/* A broken ECDSA signature on the leaf, then on the intermediate. */
	assert_int_equal(parse_flipped("p256-leaf", last_sig_byte, 0x01, &leaf), 0);
	tls_x509 chain[2] = {leaf, inter};
	assert_int_equal(tls_x509_verify_chain(chain, 2, &root, 1, T2026, NULL, why, sizeof why), BAD_CERT);
	assert_non_null(strstr(why, "does not verify"));
	tls_x509_free(&leaf);
	/* A changed signed part: the signature no longer covers it. */
	assert_int_equal(parse_flipped("p256-leaf", in_subject, 0x20, &leaf), 0);
	chain[0] = leaf;
	assert_int_equal(tls_x509_verify_chain(chain, 2, &root, 1, T2026, NULL, why, sizeof why), BAD_CERT);
	tls_x509_free(&leaf);
	tls_x509 bad_int;
	assert_int_equal(parse_flipped("p256-int", last_sig_byte, 0x80, &bad_int), 0);
	load("p256-leaf", &leaf);
	chain[0] = leaf;
	chain[1] = bad_int;
	assert_int_equal(tls_x509_verify_chain(chain, 2, &root, 1, T2026, NULL, why, sizeof why), BAD_CERT);
	tls_x509_free(&leaf);
	tls_x509_free(&bad_int);
	/* The same for P-384 and for an RSA signature. */
	tls_x509 r384;
	load("p384-root", &r384);
	assert_int_equal(parse_flipped("p384-int", last_sig_byte, 0x01, &bad_int), 0);
	assert_int_equal(tls_x509_verify_chain(&bad_int, 1, &r384, 1, T2026, NULL, why, sizeof why), BAD_CERT);
	tls_x509_free(&bad_int);
	tls_x509_free(&r384);
	tls_x509 rroot;
	load("mixed-root", &rroot);
	assert_int_equal(parse_flipped("mixed-int", last_sig_byte, 0x01, &bad_int), 0);
	assert_int_equal(tls_x509_verify_chain(&bad_int, 1, &rroot, 1, T2026, NULL, why, sizeof why), BAD_CERT);
	tls_x509_free(&bad_int);
	tls_x509_free(&rroot);
	/* A point off the curve, and a curve tlsstep does not know. */
	assert_int_equal(parse_flipped("p256-leaf", point_y_last, 0x01, &leaf), BAD_CERT);
	assert_false(leaf.has_key);
	assert_int_equal(parse_flipped("p256-leaf", curve_oid_last, 0x01, &leaf), UNSUPPORTED);
	tls_x509_free(&inter);
	tls_x509_free(&root);
}

static void test_points(void **state)
{
	(void)state;
	const tls_ec_curve *cv = tls_ec_curve_by_id(23);
	assert_non_null(cv);
	assert_ptr_equal(tls_ec_curve_by_oid("1.3.132.0.34"), tls_ec_curve_by_id(24));
	assert_null(tls_ec_curve_by_id(25));
	tls_x509 c;
	load("p256-leaf", &c);
	uint8_t pt[1 + 2 * ECC_MAXSIZE];
	unsigned long n = sizeof pt;
	ecc_key k = c.ec_key, out;
	assert_int_equal(ecc_ansi_x963_export(&k, pt, &n), CRYPT_OK);
	assert_int_equal(n, 65);
	assert_int_equal(tls_ec_import_point(cv, pt, n, &out), 0);
	ecc_free(&out);
	uint8_t z = 0;
	assert_int_equal(tls_ec_import_point(cv, &z, 1, &out), TLS_EC_INFINITY);
	uint8_t comp[33];
	memcpy(comp, pt, 33);
	comp[0] = 2 + (pt[64] & 1);
	assert_int_equal(tls_ec_import_point(cv, comp, 33, &out), TLS_EC_COMPRESSED);
	pt[0] = 6;
	assert_int_equal(tls_ec_import_point(cv, pt, n, &out), TLS_EC_HYBRID);
	pt[0] = 4;
	assert_int_equal(tls_ec_import_point(cv, pt, n - 1, &out), TLS_EC_LENGTH);
	/* A P-256 point offered as P-384. */
	assert_int_equal(tls_ec_import_point(tls_ec_curve_by_id(24), pt, n, &out), TLS_EC_LENGTH);
	pt[64] ^= 1;
	assert_int_equal(tls_ec_import_point(cv, pt, n, &out), TLS_EC_OFF_CURVE);
	/* x = p: a coordinate out of range. */
	memset(pt + 1, 0xff, 32);
	memcpy(pt + 1, "\xff\xff\xff\xff\x00\x00\x00\x01", 8);
	memset(pt + 9, 0, 12);
	assert_int_equal(tls_ec_import_point(cv, pt, n, &out), TLS_EC_OFF_CURVE);
	tls_x509_free(&c);
}

static void test_ecdsa_known_answers(void **state)
{
	(void)state;
	uint8_t sig[200], d[64];
	size_t sl, dl;
	tls_x509 p256, p384, rsa;
	load("p256-leaf", &p256);
	load("p384-leaf", &p384);
	load("rsa-leaf", &rsa);

	digest(tls_hash_sha256(), kat_msg, strlen(kat_msg), d, &dl);
	sl = unhex(kat_p256_sha256, sig, sizeof sig);
	assert_int_equal(tls_sig_verify(TLS_SIG_ECDSA_SHA256, d, dl, sig, sl, &p256), 0);
	/* The wrong key, the wrong key type, a changed digest. */
	assert_int_equal(tls_sig_verify(TLS_SIG_ECDSA_SHA256, d, dl, sig, sl, &p384), DECRYPT_ERROR);
	assert_int_equal(tls_sig_verify(TLS_SIG_ECDSA_SHA256, d, dl, sig, sl, &rsa), DECRYPT_ERROR);
	assert_int_equal(tls_sig_verify(TLS_SIG_RSA_SHA256, d, dl, sig, sl, &p256), DECRYPT_ERROR);
	d[0] ^= 1;
	assert_int_equal(tls_sig_verify(TLS_SIG_ECDSA_SHA256, d, dl, sig, sl, &p256), DECRYPT_ERROR);
	d[0] ^= 1;
	/* Strict DER: trailing byte, a padded r, r = 0, a broken s. */
	sig[sl] = 0;
	sig[1]++;
	assert_int_equal(tls_sig_verify(TLS_SIG_ECDSA_SHA256, d, dl, sig, sl + 1, &p256), DECRYPT_ERROR);
	sig[1]--;
	assert_int_equal(tls_sig_verify(TLS_SIG_ECDSA_SHA256, d, dl, sig, sl + 1, &p256), DECRYPT_ERROR);
	uint8_t padded[200];
	/* 30 46 02 21 00 <r> 02 21 <s>: r's needless leading zero. */
	padded[0] = 0x30;
	padded[1] = (uint8_t)(sig[1] + 1);
	padded[2] = 0x02;
	padded[3] = (uint8_t)(sig[3] + 1);
	padded[4] = 0;
	memcpy(padded + 5, sig + 4, sl - 4);
	assert_int_equal(tls_sig_verify(TLS_SIG_ECDSA_SHA256, d, dl, padded, sl + 1, &p256), DECRYPT_ERROR);
	static const uint8_t zero_rs[] = {0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x01};
	assert_int_equal(tls_sig_verify(TLS_SIG_ECDSA_SHA256, d, dl, zero_rs, sizeof zero_rs, &p256), DECRYPT_ERROR);
	sig[sl - 1] ^= 0x10;
	assert_int_equal(tls_sig_verify(TLS_SIG_ECDSA_SHA256, d, dl, sig, sl, &p256), DECRYPT_ERROR);

	digest(tls_hash_sha384(), kat_msg, strlen(kat_msg), d, &dl);
	sl = unhex(kat_p384_sha384, sig, sizeof sig);
	assert_int_equal(tls_sig_verify(TLS_SIG_ECDSA_SHA384, d, dl, sig, sl, &p384), 0);
	/* The code names SHA-384 with ECDSA; the curve is the certificate's. */
	assert_int_equal(tls_sig_verify(TLS_SIG_ECDSA_SHA256, d, 32, sig, sl, &p384), DECRYPT_ERROR);

	/* SHA-512 with P-256: the digest is cut to the order's 256 bits. */
	digest(hash_sha512(), kat_msg, strlen(kat_msg), d, &dl);
	assert_int_equal(dl, 64);
	sl = unhex(kat_p256_sha512, sig, sizeof sig);
	assert_int_equal(tls_sig_verify(TLS_SIG_ECDSA_SHA512, d, dl, sig, sl, &p256), 0);
	tls_x509_free(&p256);
	tls_x509_free(&p384);
	tls_x509_free(&rsa);
}

static void test_pss(void **state)
{
	(void)state;
	uint8_t sig[512], d[64];
	size_t sl, dl;
	tls_x509 rsa, p256;
	load("rsa-leaf", &rsa);
	load("p256-leaf", &p256);
	assert_int_equal(tls_sig_scheme(TLS_SIG_PSS_SHA256), TLS_SCHEME_PSS);
	assert_int_equal(tls_sig_key_type(TLS_SIG_PSS_SHA384), TLS_X509_KEY_RSA);
	assert_int_equal(tls_sig_key_type(TLS_SIG_ECDSA_SHA384), TLS_X509_KEY_EC);
	assert_string_equal(tls_sig_name(TLS_SIG_PSS_SHA512), "rsa_pss_rsae_sha512");
	digest(tls_hash_sha256(), kat_msg, strlen(kat_msg), d, &dl);
	sl = unhex(kat_pss32, sig, sizeof sig);
	assert_int_equal(tls_sig_verify(TLS_SIG_PSS_SHA256, d, dl, sig, sl, &rsa), 0);
	/* The same bytes are no PKCS#1 v1.5 signature, and no EC key verifies them. */
	assert_int_equal(tls_sig_verify(TLS_SIG_RSA_SHA256, d, dl, sig, sl, &rsa), DECRYPT_ERROR);
	assert_int_equal(tls_sig_verify(TLS_SIG_PSS_SHA256, d, dl, sig, sl, &p256), DECRYPT_ERROR);
	sig[10] ^= 1;
	assert_int_equal(tls_sig_verify(TLS_SIG_PSS_SHA256, d, dl, sig, sl, &rsa), DECRYPT_ERROR);
	sl = unhex(kat_pss20, sig, sizeof sig);
	assert_int_equal(tls_sig_verify(TLS_SIG_PSS_SHA256, d, dl, sig, sl, &rsa), DECRYPT_ERROR);

	/* Signing: PSS draws a salt, so two signatures differ and both verify. */
	size_t kl;
	uint8_t *key_pem = slurp(DIR "rsa-leaf.key", &kl);
	rsa_key priv;
	assert_int_equal(tls_rsa_private_import(key_pem, kl, &priv), 0);
	free(key_pem);
	tls_rng rng;
	assert_int_equal(tls_rng_seed(&rng, 7, "pss"), 0);
	uint8_t s1[512], s2[512];
	size_t l1 = sizeof s1, l2 = sizeof s2;
	digest(tls_hash_sha384(), kat_msg, strlen(kat_msg), d, &dl);
	assert_int_equal(tls_sig_sign(TLS_SIG_PSS_SHA384, d, dl, &priv, &rng, s1, &l1), 0);
	assert_int_equal(tls_sig_sign(TLS_SIG_PSS_SHA384, d, dl, &priv, &rng, s2, &l2), 0);
	assert_int_equal(l1, 256);
	assert_memory_not_equal(s1, s2, 256);
	assert_int_equal(tls_sig_verify(TLS_SIG_PSS_SHA384, d, dl, s1, l1, &rsa), 0);
	assert_int_equal(tls_sig_verify(TLS_SIG_PSS_SHA384, d, dl, s2, l2, &rsa), 0);
	assert_int_equal(tls_sig_verify(TLS_SIG_PSS_SHA256, d, 32, s1, l1, &rsa), DECRYPT_ERROR);
	tls_rng_free(&rng);
	rsa_free(&priv);
	tls_x509_free(&rsa);
	tls_x509_free(&p256);
}

int main(void)
{
	assert_int_equal(tls_crypto_init(), 0);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ec_keys),     cmocka_unit_test(test_chains),
		cmocka_unit_test(test_broken),      cmocka_unit_test(test_points),
		cmocka_unit_test(test_ecdsa_known_answers), cmocka_unit_test(test_pss),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
