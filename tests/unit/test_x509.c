/* Unit tests for der.c, x509.c and pem.c against the classroom PKI in
 * assets/ (made by assets/mkpki.sh) and a real certificate from the
 * Illustrated TLS 1.2 capture. Run from the repository root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_files.h"
#include "tls/alert.h"
#include "tls/crypto.h"
#include "tls/der.h"
#include "tls/pem.h"
#include "tls/x509.h"

#define T2025 1735689600LL
#define T2045 2366841600LL
#define T2026 1767225600LL
#define T2046 2398377600LL
#define T2021 1609459200LL
#define T2019 1546300800LL

#define EXPIRED TLS_FAIL(TLS_ALERT_CERTIFICATE_EXPIRED)
#define UNKNOWN_CA TLS_FAIL(TLS_ALERT_UNKNOWN_CA)
#define BAD_CERT TLS_FAIL(TLS_ALERT_BAD_CERTIFICATE)
#define UNSUPPORTED TLS_FAIL(TLS_ALERT_UNSUPPORTED_CERTIFICATE)

/* Loads the single certificate in a PEM file. */
static void load_one(const char *path, tls_x509 *out)
{
	size_t len, n;
	uint8_t *data = slurp(path, &len);
	tls_x509 *v;
	assert_int_equal(tls_x509_load_all(data, len, &v, &n), 0);
	assert_int_equal(n, 1);
	*out = v[0];
	free(v);
	free(data);
}

static const tls_span *find_span(const tls_spans *s, const char *path)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].path, path))
			return &s->v[i];
	return NULL;
}

static void test_parse_server(void **state)
{
	(void)state;
	size_t len;
	uint8_t *der = der_of("assets/server.crt", &len);
	tls_x509 c;
	tls_spans spans = {0};
	assert_int_equal(tls_x509_parse(der, len, &c, &spans, 100, "certificate[0]"), 0);
	assert_string_equal(c.subject, "CN=server.tlsstep.test, O=tlsstep");
	assert_string_equal(c.issuer, "CN=tlsstep Classroom Root CA, O=tlsstep");
	assert_int_equal(c.n_dns, 2);
	assert_string_equal(c.dns[0], "localhost");
	assert_string_equal(c.dns[1], "server.tlsstep.test");
	assert_int_equal(c.n_ip, 1);
	assert_int_equal(c.ip_len[0], 4);
	assert_memory_equal(c.ip[0], "\x7f\x00\x00\x01", 4);
	assert_int_equal(c.not_before, T2025);
	assert_int_equal(c.not_after, T2045);
	assert_int_equal(c.key_bits, 2048);
	assert_true(c.has_key);
	assert_false(c.is_ca);
	assert_true(c.has_key_usage);
	assert_int_equal(c.key_usage, (1u << 0) | (1u << 2)); /* digitalSignature, keyEncipherment */
	assert_int_equal(c.sig_hash, tls_hash_sha256());
	assert_int_equal(c.sig_len, 256);
	assert_string_equal(c.unknown_critical, "");
	assert_true(c.tbs_off > 0 && c.tbs_off + c.tbs_len < len);

	const tls_span *sp = find_span(&spans, "certificate[0].validity.notBefore");
	assert_non_null(sp);
	assert_string_equal(sp->meaning, "not valid before 2025-01-01 00:00:00 UTC");
	const char *want[] = {
		"certificate[0].version", "certificate[0].serialNumber", "certificate[0].signature",
		"certificate[0].issuer", "certificate[0].validity.notAfter", "certificate[0].subject",
		"certificate[0].subjectPublicKeyInfo.algorithm", "certificate[0].subjectPublicKeyInfo.modulus",
		"certificate[0].subjectPublicKeyInfo.exponent", "certificate[0].extensions.subjectAltName",
		"certificate[0].extensions.basicConstraints", "certificate[0].extensions.keyUsage",
		"certificate[0].extensions.extKeyUsage", "certificate[0].signatureAlgorithm",
		"certificate[0].signatureValue",
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		assert_non_null(find_span(&spans, want[i]));
	assert_non_null(strstr(find_span(&spans, "certificate[0].subjectPublicKeyInfo.modulus")->meaning,
			       "2048 bits"));
	assert_non_null(strstr(find_span(&spans, "certificate[0].subjectPublicKeyInfo.exponent")->meaning,
			       "65537"));
	assert_non_null(strstr(find_span(&spans, "certificate[0].extensions.subjectAltName")->meaning,
			       "localhost, server.tlsstep.test, 127.0.0.1"));
	for (size_t i = 0; i < spans.n; i++) {
		assert_true(spans.v[i].offset >= 100);
		assert_true(spans.v[i].offset + spans.v[i].length <= 100 + len);
	}
	/* The signatureValue span ends the certificate. */
	sp = find_span(&spans, "certificate[0].signatureValue");
	assert_int_equal(sp->offset + sp->length, 100 + len);

	tls_spans_free(&spans);
	tls_x509_free(&c);
	free(der);
}

static void test_parse_ca_and_client(void **state)
{
	(void)state;
	tls_x509 ca, cl;
	load_one("assets/ca.crt", &ca);
	load_one("assets/client.crt", &cl);
	assert_true(ca.is_ca);
	assert_true(ca.key_usage & (1u << 5));
	assert_string_equal(ca.subject, ca.issuer);
	assert_string_equal(cl.subject, "CN=student.tlsstep.test, O=tlsstep");
	assert_false(cl.is_ca);
	char why[256];
	assert_int_equal(tls_x509_verify_chain(&cl, 1, &ca, 1, T2026, NULL, why, sizeof why), 0);
	tls_x509_free(&ca);
	tls_x509_free(&cl);
}

static void test_real_certificate(void **state)
{
	(void)state;
	tls_x509 c;
	tls_spans spans = {0};
	size_t len;
	uint8_t *der = der_of("/work/shared/fixtures/illustrated-tls12/server.crt", &len);
	assert_int_equal(tls_x509_parse(der, len, &c, &spans, 0, "certificate[0]"), 0);
	assert_string_equal(c.subject, "C=US, CN=example.ulfheim.net");
	assert_string_equal(c.issuer, "C=US, O=Example CA");
	assert_int_equal(c.key_bits, 2048);
	assert_int_equal(c.n_dns, 0);
	assert_true(spans.n >= 10);
	char why[256];
	/* Its issuer is not ours; and it has no subjectAltName to match. */
	assert_int_equal(tls_x509_verify_chain(&c, 1, NULL, 0, 1538703600, NULL, why, sizeof why),
			 UNKNOWN_CA);
	assert_int_equal(tls_x509_verify_chain(&c, 1, &c, 1, 1538703600, "example.ulfheim.net", why,
					       sizeof why),
			 BAD_CERT);
	assert_non_null(strstr(why, "no subjectAltName"));
	tls_spans_free(&spans);
	tls_x509_free(&c);
	free(der);
}

typedef struct {
	tls_x509 ca, server, expired, rogue, untrusted, wrong, client;
} pki;

static int pki_setup(void **state)
{
	pki *p = calloc(1, sizeof *p);
	if (!p)
		return -1;
	load_one("assets/ca.crt", &p->ca);
	load_one("assets/server.crt", &p->server);
	load_one("assets/expired.crt", &p->expired);
	load_one("assets/rogue-ca.crt", &p->rogue);
	load_one("assets/untrusted.crt", &p->untrusted);
	load_one("assets/wrong-name.crt", &p->wrong);
	load_one("assets/client.crt", &p->client);
	*state = p;
	return 0;
}

static int pki_teardown(void **state)
{
	pki *p = *state;
	tls_x509 *all[] = {&p->ca, &p->server, &p->expired, &p->rogue, &p->untrusted, &p->wrong, &p->client};
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		tls_x509_free(all[i]);
	free(p);
	return 0;
}

static void test_chain_ok(void **state)
{
	pki *p = *state;
	char why[256];
	assert_int_equal(tls_x509_verify_chain(&p->server, 1, &p->ca, 1, T2026, "server.tlsstep.test", why,
					       sizeof why),
			 0);
	assert_string_equal(why, "");
	/* Extra, unrelated certificates in the chain are ignored. */
	tls_x509 chain[3] = {p->server, p->rogue, p->client};
	assert_int_equal(tls_x509_verify_chain(chain, 3, &p->ca, 1, T2026, "localhost", why, sizeof why), 0);
	/* The root sent along by the server is fine too. */
	tls_x509 with_root[2] = {p->server, p->ca};
	assert_int_equal(tls_x509_verify_chain(with_root, 2, &p->ca, 1, T2026, NULL, why, sizeof why), 0);
	/* A leaf that is itself a trust anchor. */
	assert_int_equal(tls_x509_verify_chain(&p->server, 1, &p->server, 1, T2026, NULL, why, sizeof why),
			 0);
	/* Several anchors, the right one last. */
	tls_x509 anchors[2] = {p->rogue, p->ca};
	assert_int_equal(tls_x509_verify_chain(&p->server, 1, anchors, 2, T2026, NULL, why, sizeof why), 0);
}

static void test_chain_time(void **state)
{
	pki *p = *state;
	char why[256];
	assert_int_equal(tls_x509_verify_chain(&p->server, 1, &p->ca, 1, T2046, NULL, why, sizeof why),
			 EXPIRED);
	assert_string_equal(why, "certificate for server.tlsstep.test expired on 2045-01-01 00:00:00 UTC");
	assert_int_equal(tls_x509_verify_chain(&p->server, 1, &p->ca, 1, T2025 - 1, NULL, why, sizeof why),
			 EXPIRED);
	assert_non_null(strstr(why, "not valid until 2025-01-01 00:00:00 UTC"));
	/* Both ends of the validity period are inclusive. */
	assert_int_equal(tls_x509_verify_chain(&p->server, 1, &p->ca, 1, T2025, NULL, why, sizeof why), 0);
	assert_int_equal(tls_x509_verify_chain(&p->server, 1, &p->ca, 1, T2045, NULL, why, sizeof why), 0);
	assert_int_equal(tls_x509_verify_chain(&p->expired, 1, &p->ca, 1, T2026, "localhost", why, sizeof why),
			 EXPIRED);
	assert_string_equal(why, "certificate for server.tlsstep.test expired on 2021-01-01 00:00:00 UTC");
	/* In 2020 the leaf was valid and so was its root (from 2019): the chain
	 * was good then, as the expired scenario's lesson says. */
	assert_int_equal(tls_x509_verify_chain(&p->expired, 1, &p->ca, 1, T2021 - 10, "localhost", why,
					       sizeof why),
			 0);
	/* Before 2019 the root did not exist yet. */
	assert_int_equal(tls_x509_verify_chain(&p->expired, 1, &p->ca, 1, T2019 - 10,
					       "localhost", why, sizeof why),
			 EXPIRED);
	assert_string_equal(why, "certificate for server.tlsstep.test is not valid until "
				 "2020-01-01 00:00:00 UTC");
}

static void test_chain_untrusted(void **state)
{
	pki *p = *state;
	char why[256];
	assert_int_equal(tls_x509_verify_chain(&p->untrusted, 1, &p->ca, 1, T2026, NULL, why, sizeof why),
			 UNKNOWN_CA);
	assert_string_equal(why, "issuer 'CN=tlsstep Rogue CA (not trusted), O=tlsstep' is not trusted");
	tls_x509 chain[2] = {p->untrusted, p->rogue};
	assert_int_equal(tls_x509_verify_chain(chain, 2, &p->ca, 1, T2026, NULL, why, sizeof why), UNKNOWN_CA);
	assert_non_null(strstr(why, "not trusted"));
	/* No anchors at all. */
	assert_int_equal(tls_x509_verify_chain(&p->server, 1, NULL, 0, T2026, NULL, why, sizeof why),
			 UNKNOWN_CA);
	/* A self-signed certificate nobody trusts. */
	assert_int_equal(tls_x509_verify_chain(&p->rogue, 1, &p->ca, 1, T2026, NULL, why, sizeof why),
			 UNKNOWN_CA);
	assert_non_null(strstr(why, "self-signed"));
	/* Trusting the rogue CA makes the chain good. */
	assert_int_equal(tls_x509_verify_chain(&p->untrusted, 1, &p->rogue, 1, T2026, "localhost", why,
					       sizeof why),
			 0);
	/* An empty chain. */
	assert_int_equal(tls_x509_verify_chain(NULL, 0, &p->ca, 1, T2026, NULL, why, sizeof why), BAD_CERT);
}

static void test_chain_names(void **state)
{
	pki *p = *state;
	char why[256];
	assert_int_equal(tls_x509_verify_chain(&p->wrong, 1, &p->ca, 1, T2026, "localhost", why, sizeof why),
			 BAD_CERT);
	assert_string_equal(why, "host name 'localhost' is not among the certificate's names: other.example");
	assert_int_equal(tls_x509_verify_chain(&p->wrong, 1, &p->ca, 1, T2026, "OTHER.example", why, sizeof why),
			 0);
	const char *good[] = {"127.0.0.1", "LOCALHOST", "localhost", "Server.TLSstep.test", "localhost."};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		assert_int_equal(
			tls_x509_verify_chain(&p->server, 1, &p->ca, 1, T2026, good[i], why, sizeof why), 0);
	const char *bad[] = {"example.org", "127.0.0.2", "::1", "[::1]", "", "x.localhost", "tlsstep.test"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(
			tls_x509_verify_chain(&p->server, 1, &p->ca, 1, T2026, bad[i], why, sizeof why), BAD_CERT);
	assert_int_equal(tls_x509_verify_chain(&p->server, 1, &p->ca, 1, T2026, "example.org", why, sizeof why),
			 BAD_CERT);
	assert_string_equal(why, "host name 'example.org' is not among the certificate's names: localhost, "
				 "server.tlsstep.test, 127.0.0.1");
	assert_int_equal(tls_x509_verify_chain(&p->server, 1, &p->ca, 1, T2026, "10.0.0.1", why, sizeof why),
			 BAD_CERT);
	assert_non_null(strstr(why, "IP address '10.0.0.1'"));
}

static void test_flipped_signature(void **state)
{
	pki *p = *state;
	tls_x509 c;
	char why[256];
	uint8_t *der = malloc(p->server.der_len);
	assert_non_null(der);
	memcpy(der, p->server.der, p->server.der_len);
	der[p->server.sig_off + 17] ^= 0x01;
	assert_int_equal(tls_x509_parse(der, p->server.der_len, &c, NULL, 0, NULL), 0);
	assert_int_equal(tls_x509_verify_chain(&c, 1, &p->ca, 1, T2026, NULL, why, sizeof why), BAD_CERT);
	assert_non_null(strstr(why, "does not verify"));
	tls_x509_free(&c);
	/* A changed byte in the signed part (the serial number) is caught too. */
	memcpy(der, p->server.der, p->server.der_len);
	der[p->server.tbs_off + 12] ^= 0x01; /* 30 82 LL LL a0 03 02 01 02 02 02 10 [01] */
	assert_int_equal(tls_x509_parse(der, p->server.der_len, &c, NULL, 0, NULL), 0);
	assert_int_equal(tls_x509_verify_chain(&c, 1, &p->ca, 1, T2026, NULL, why, sizeof why), BAD_CERT);
	tls_x509_free(&c);
	free(der);
}

static void test_truncated(void **state)
{
	pki *p = *state;
	tls_x509 c;
	tls_spans spans = {0};
	for (size_t n = 0; n < p->server.der_len; n++) {
		uint8_t *cut = malloc(n ? n : 1);
		assert_non_null(cut);
		memcpy(cut, p->server.der, n);
		assert_int_not_equal(tls_x509_parse(n ? cut : NULL, n, &c, &spans, 0, "c"), 0);
		assert_null(c.der);
		tls_x509_free(&c);
		free(cut);
	}
	/* Trailing bytes after the certificate are refused too. */
	uint8_t *longer = malloc(p->server.der_len + 1);
	assert_non_null(longer);
	memcpy(longer, p->server.der, p->server.der_len);
	longer[p->server.der_len] = 0;
	assert_int_equal(tls_x509_parse(longer, p->server.der_len + 1, &c, NULL, 0, NULL), BAD_CERT);
	free(longer);
	tls_spans_free(&spans);
}

/* Parses a copy of src with the first occurrence of `from` replaced. */
static int patched(const tls_x509 *src, const uint8_t *from, const uint8_t *to, size_t n, tls_x509 *out)
{
	uint8_t *der = malloc(src->der_len);
	assert_non_null(der);
	memcpy(der, src->der, src->der_len);
	uint8_t *at = NULL;
	for (size_t i = 0; i + n <= src->der_len && !at; i++)
		if (!memcmp(der + i, from, n))
			at = der + i;
	assert_non_null(at);
	memcpy(at, to, n);
	int rc = tls_x509_parse(der, src->der_len, out, NULL, 0, NULL);
	free(der);
	return rc;
}

static int parse_patched(const tls_x509 *src, const uint8_t *from, const uint8_t *to, size_t n)
{
	tls_x509 c;
	int rc = patched(src, from, to, n, &c);
	tls_x509_free(&c);
	return rc;
}

/* Trust anchors are taken as they are (their own signature is not checked),
 * so an edited copy of the root shows what each issuer check does. */
static void test_chain_not_ca(void **state)
{
	pki *p = *state;
	tls_x509 root;
	char why[256];
	/* basicConstraints { cA TRUE } -> { pathLen 0 }: no longer a CA. */
	const uint8_t ca_true[] = {0x30, 0x03, 0x01, 0x01, 0xff};
	const uint8_t ca_absent[] = {0x30, 0x03, 0x02, 0x01, 0x00};
	assert_int_equal(patched(&p->ca, ca_true, ca_absent, sizeof ca_true, &root), 0);
	assert_false(root.is_ca);
	assert_int_equal(tls_x509_verify_chain(&p->server, 1, &root, 1, T2026, NULL, why, sizeof why),
			 BAD_CERT);
	assert_string_equal(why, "issuer 'CN=tlsstep Classroom Root CA, O=tlsstep' is not a CA "
				 "(basicConstraints), so it may not sign certificates");
	tls_x509_free(&root);
	/* keyUsage keyCertSign|cRLSign -> cRLSign only. */
	const uint8_t ku[] = {0x04, 0x04, 0x03, 0x02, 0x01, 0x06};
	const uint8_t ku_crl[] = {0x04, 0x04, 0x03, 0x02, 0x01, 0x02};
	assert_int_equal(patched(&p->ca, ku, ku_crl, sizeof ku, &root), 0);
	assert_true(root.is_ca);
	assert_int_equal(root.key_usage, 1u << 6);
	assert_int_equal(tls_x509_verify_chain(&p->server, 1, &root, 1, T2026, NULL, why, sizeof why),
			 BAD_CERT);
	assert_non_null(strstr(why, "keyCertSign"));
	tls_x509_free(&root);
}

static void test_bad_keys(void **state)
{
	pki *p = *state;
	/* rsaEncryption -> md2WithRSAEncryption as the key algorithm: not RSA. */
	const uint8_t rsa_oid[] = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01};
	uint8_t other[sizeof rsa_oid];
	memcpy(other, rsa_oid, sizeof other);
	other[10] = 0x02;
	assert_int_equal(parse_patched(&p->server, rsa_oid, other, sizeof rsa_oid), UNSUPPORTED);
	/* e = 65537 -> 65536: even. */
	const uint8_t e[] = {0x02, 0x03, 0x01, 0x00, 0x01, 0xa3};
	const uint8_t e_even[] = {0x02, 0x03, 0x01, 0x00, 0x00, 0xa3};
	assert_int_equal(parse_patched(&p->server, e, e_even, sizeof e), UNSUPPORTED);
	/* e with a needless leading zero is not DER. */
	const uint8_t e_pad[] = {0x02, 0x03, 0x00, 0x00, 0x01, 0xa3};
	assert_int_equal(parse_patched(&p->server, e, e_pad, sizeof e), BAD_CERT);
	/* cA TRUE written as 0x01 is not DER. */
	const uint8_t crit[] = {0x01, 0x01, 0xff, 0x04};
	const uint8_t crit_bad[] = {0x01, 0x01, 0x01, 0x04};
	assert_int_equal(parse_patched(&p->server, crit, crit_bad, sizeof crit), BAD_CERT);
}

static void test_unknown_critical(void **state)
{
	pki *p = *state;
	/* Rename the critical basicConstraints (2.5.29.19) to 2.5.29.99. */
	const uint8_t bc[] = {0x06, 0x03, 0x55, 0x1d, 0x13, 0x01, 0x01, 0xff};
	uint8_t other[sizeof bc];
	memcpy(other, bc, sizeof bc);
	other[4] = 99;
	uint8_t *der = malloc(p->server.der_len);
	assert_non_null(der);
	memcpy(der, p->server.der, p->server.der_len);
	for (size_t i = 0; i + sizeof bc <= p->server.der_len; i++)
		if (!memcmp(der + i, bc, sizeof bc)) {
			memcpy(der + i, other, sizeof bc);
			break;
		}
	tls_x509 c;
	tls_spans spans = {0};
	char why[256];
	assert_int_equal(tls_x509_parse(der, p->server.der_len, &c, &spans, 0, "cert"), 0);
	assert_string_equal(c.unknown_critical, "2.5.29.99");
	assert_non_null(find_span(&spans, "cert.extensions.2.5.29.99"));
	/* Trusted directly, so only the critical extension can fail it. */
	assert_int_equal(tls_x509_verify_chain(&c, 1, &c, 1, T2026, NULL, why, sizeof why), BAD_CERT);
	assert_non_null(strstr(why, "2.5.29.99"));
	tls_x509_free(&c);
	tls_spans_free(&spans);
	free(der);
}

static void test_der_reader(void **state)
{
	(void)state;
	const uint8_t ok[] = {0x30, 0x03, 0x02, 0x01, 0x05};
	const uint8_t indefinite[] = {0x30, 0x80, 0x02, 0x01, 0x05, 0x00, 0x00};
	const uint8_t five_octets[] = {0x30, 0x85, 0x00, 0x00, 0x00, 0x00, 0x03, 0x02, 0x01, 0x05};
	const uint8_t not_minimal[] = {0x30, 0x81, 0x03, 0x02, 0x01, 0x05};
	const uint8_t leading_zero[] = {0x30, 0x82, 0x00, 0x03, 0x02, 0x01, 0x05};
	const uint8_t overrun[] = {0x30, 0x04, 0x02, 0x01, 0x05};
	const uint8_t inner_overrun[] = {0x30, 0x03, 0x02, 0x02, 0x05};
	const uint8_t huge[] = {0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x00};
	const uint8_t high_tag[] = {0x1f, 0x81, 0x00, 0x00};
	assert_int_equal(tls_der_walk(ok, sizeof ok), 0);
	assert_int_not_equal(tls_der_walk(indefinite, sizeof indefinite), 0);
	assert_int_not_equal(tls_der_walk(five_octets, sizeof five_octets), 0);
	assert_int_not_equal(tls_der_walk(not_minimal, sizeof not_minimal), 0);
	assert_int_not_equal(tls_der_walk(leading_zero, sizeof leading_zero), 0);
	assert_int_not_equal(tls_der_walk(overrun, sizeof overrun), 0);
	assert_int_not_equal(tls_der_walk(inner_overrun, sizeof inner_overrun), 0);
	assert_int_not_equal(tls_der_walk(huge, sizeof huge), 0);
	assert_int_not_equal(tls_der_walk(high_tag, sizeof high_tag), 0);
	assert_int_not_equal(tls_der_walk(ok, 0), 0);

	/* Nesting: TLS_DER_MAX_DEPTH SEQUENCEs are fine, one more is not. */
	uint8_t nest[2 * 40];
	for (int depth = 1; depth <= 40; depth++) {
		for (int i = 0; i < depth; i++) {
			nest[2 * i] = 0x30;
			nest[2 * i + 1] = (uint8_t)(2 * (depth - i - 1));
		}
		int rc = tls_der_walk(nest, (size_t)(2 * depth));
		if (depth <= TLS_DER_MAX_DEPTH)
			assert_int_equal(rc, 0);
		else
			assert_int_not_equal(rc, 0);
	}

	/* A real certificate whose outer length is made indefinite. */
	size_t len;
	uint8_t *der = der_of("assets/server.crt", &len);
	tls_x509 c;
	assert_int_equal(der[1], 0x82);
	der[1] = 0x80;
	assert_int_equal(tls_x509_parse(der, len, &c, NULL, 0, NULL), BAD_CERT);
	der[1] = 0x85; /* five length octets */
	assert_int_equal(tls_x509_parse(der, len, &c, NULL, 0, NULL), BAD_CERT);
	der[1] = 0x82;
	der[2] ^= 0x40; /* longer than the buffer */
	assert_int_equal(tls_x509_parse(der, len, &c, NULL, 0, NULL), BAD_CERT);
	free(der);

	/* Value helpers. */
	const uint8_t oid[] = {0x06, 0x03, 0x55, 0x1d, 0x11};
	tls_der d;
	tls_der_item it;
	char os[32];
	tls_der_init(&d, oid, sizeof oid);
	assert_int_equal(tls_der_expect(&d, TLS_DER_OID, &it), 0);
	assert_int_equal(tls_der_oid_str(&it, os, sizeof os), 0);
	assert_string_equal(os, "2.5.29.17");
	const uint8_t neg[] = {0x02, 0x01, 0x80};
	const uint8_t *mag;
	size_t ml;
	tls_der_init(&d, neg, sizeof neg);
	assert_int_equal(tls_der_read(&d, &it), 0);
	assert_int_not_equal(tls_der_uint(&it, &mag, &ml), 0);
	const uint8_t t[] = {0x17, 0x0d, '4', '9', '1', '2', '3', '1', '2', '3', '5', '9', '5', '9', 'Z'};
	int64_t when;
	tls_der_init(&d, t, sizeof t);
	assert_int_equal(tls_der_read(&d, &it), 0);
	assert_int_equal(tls_der_time(&it, &when), 0);
	assert_int_equal(when, 2524607999LL); /* 2049-12-31 23:59:59 */
}

static void test_name_match(void **state)
{
	(void)state;
	assert_true(tls_x509_name_match("*.example.com", "www.example.com"));
	assert_true(tls_x509_name_match("*.example.com", "WWW.Example.COM"));
	assert_true(tls_x509_name_match("*.example.com", "www.example.com."));
	assert_false(tls_x509_name_match("*.example.com", "example.com"));
	assert_false(tls_x509_name_match("*.example.com", "a.b.example.com"));
	assert_false(tls_x509_name_match("*.example.com", ".example.com"));
	assert_false(tls_x509_name_match("*.example.com", "wwwexample.com"));
	assert_false(tls_x509_name_match("*.com", "example.com"));
	assert_false(tls_x509_name_match("*", "example"));
	assert_false(tls_x509_name_match("w*.example.com", "www.example.com"));
	assert_false(tls_x509_name_match("www.*.com", "www.example.com"));
	assert_false(tls_x509_name_match("*.*.example.com", "a.b.example.com"));
	assert_false(tls_x509_name_match("*.example.com", "*.example.com"));
	assert_true(tls_x509_name_match("example.com", "EXAMPLE.com"));
	assert_false(tls_x509_name_match("example.com", "example.co"));
	assert_false(tls_x509_name_match("", ""));
	assert_false(tls_x509_name_match(NULL, "a"));
}

static void test_time(void **state)
{
	(void)state;
	int64_t t;
	char s[40];
	assert_int_equal(tls_parse_iso8601("2026-01-01T00:00:00Z", &t), 0);
	assert_int_equal(t, T2026);
	assert_int_equal(tls_parse_iso8601("2026-01-01T00:00:00", &t), 0);
	assert_int_equal(t, T2026);
	assert_int_equal(tls_parse_iso8601("2026-01-01", &t), 0);
	assert_int_equal(t, T2026);
	assert_int_equal(tls_parse_iso8601("1970-01-01", &t), 0);
	assert_int_equal(t, 0);
	assert_int_equal(tls_parse_iso8601("2024-02-29T12:34:56Z", &t), 0);
	tls_x509_time_str(t, s, sizeof s);
	assert_string_equal(s, "2024-02-29 12:34:56 UTC");
	const char *bad[] = {"2025-02-29", "2026-13-01", "2026-01-01T24:00:00Z", "2026-1-1", "",
			     "2026-01-01T00:00", "2026-01-01T00:00:00ZZ", "yesterday", "2026-01-32"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(tls_parse_iso8601(bad[i], &t), -1);
	tls_x509_time_str(-1, s, sizeof s);
	assert_string_equal(s, "1969-12-31 23:59:59 UTC");
}

/* The key and the certificate belong together: same modulus. */
static void assert_key_matches(rsa_key *k, const tls_x509 *cert)
{
	assert_int_equal(k->type, PK_PRIVATE);
	assert_int_equal(ltc_mp.count_bits(k->N), 2048);
	assert_int_equal(ltc_mp.compare(k->N, cert->key.N), LTC_MP_EQ);
}

static void test_private_keys(void **state)
{
	pki *p = *state;
	rsa_key k;
	size_t len;
	uint8_t *pem = slurp("assets/server.key", &len);
	assert_non_null(strstr((const char *)pem, "BEGIN RSA PRIVATE KEY"));
	assert_int_equal(tls_rsa_private_import(pem, len, &k), 0);
	assert_key_matches(&k, &p->server);
	rsa_free(&k);

	/* The same key as raw PKCS#1 DER. */
	tls_buf der = {0};
	size_t pos = 0;
	assert_int_equal(tls_pem_next((const char *)pem, len, &pos, NULL, &der, NULL, 0), 1);
	assert_int_equal(tls_rsa_private_import(der.p, der.len, &k), 0);
	assert_key_matches(&k, &p->server);
	rsa_free(&k);
	/* Trailing garbage after the DER is refused (rsa_import alone takes it). */
	assert_int_equal(tls_buf_u8(&der, 0), 0);
	assert_int_not_equal(tls_rsa_private_import(der.p, der.len, &k), 0);
	/* Every truncation fails cleanly. */
	for (size_t n = 1; n + 1 < der.len; n++)
		assert_int_not_equal(tls_rsa_private_import(der.p, n, &k), 0);
	/* A damaged prime fails the n = p*q check. */
	der.len--;
	der.p[der.len / 2] ^= 0x10;
	assert_int_not_equal(tls_rsa_private_import(der.p, der.len, &k), 0);
	tls_buf_free(&der);
	free(pem);

	pem = slurp("assets/server.pk8.pem", &len);
	assert_non_null(strstr((const char *)pem, "BEGIN PRIVATE KEY"));
	assert_int_equal(tls_rsa_private_import(pem, len, &k), 0);
	assert_key_matches(&k, &p->server);
	rsa_free(&k);
	pos = 0;
	assert_int_equal(tls_pem_next((const char *)pem, len, &pos, "PRIVATE KEY", &der, NULL, 0), 1);
	assert_int_equal(tls_rsa_private_import(der.p, der.len, &k), 0);
	assert_key_matches(&k, &p->server);
	rsa_free(&k);
	tls_buf_free(&der);

	/* A broken base64 character inside the block. */
	char *mid = strstr((char *)pem, "\n") + 10;
	*mid = '*';
	assert_int_not_equal(tls_rsa_private_import(pem, len, &k), 0);
	free(pem);

	const char *garbage[] = {
		"hello world",
		"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
		"-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAK\n",
		"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
		"-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n\nAAAA\n-----END RSA PRIVATE KEY-----\n",
	};
	for (size_t i = 0; i < sizeof garbage / sizeof garbage[0]; i++)
		assert_int_not_equal(
			tls_rsa_private_import((const uint8_t *)garbage[i], strlen(garbage[i]), &k), 0);
	/* A certificate is not a private key, in PEM or DER. */
	assert_int_not_equal(tls_rsa_private_import(p->server.der, p->server.der_len, &k), 0);
}

static void test_pem_blocks(void **state)
{
	(void)state;
	const char *text = "junk\n-----BEGIN A-----\naGVs\nbG8=\n-----END A-----\n"
			   "-----BEGIN B-----\r\naGk=\r\n-----END B-----\r\n";
	size_t pos = 0, len = strlen(text);
	tls_buf der = {0};
	char label[16];
	assert_int_equal(tls_pem_next(text, len, &pos, NULL, &der, label, sizeof label), 1);
	assert_string_equal(label, "A");
	assert_int_equal(der.len, 5);
	assert_memory_equal(der.p, "hello", 5);
	assert_int_equal(tls_pem_next(text, len, &pos, NULL, &der, label, sizeof label), 1);
	assert_string_equal(label, "B");
	assert_memory_equal(der.p, "hi", 2);
	assert_int_equal(tls_pem_next(text, len, &pos, NULL, &der, label, sizeof label), 0);
	pos = 0;
	assert_int_equal(tls_pem_next(text, len, &pos, "B", &der, NULL, 0), 1);
	assert_memory_equal(der.p, "hi", 2);

	const char *broken[] = {
		"-----BEGIN A-----\naGVsbG8\n-----END A-----\n",   /* missing padding */
		"-----BEGIN A-----\naGVs*bG8=\n-----END A-----\n", /* bad character */
		"-----BEGIN A-----\naGVsbG8=aGk=\n-----END A-----\n", /* '=' in the middle */
		"-----BEGIN A-----\naGVsbG8=\n-----END B-----\n",  /* mismatched END */
		"-----BEGIN A-----\naGVsbG8=\n",                   /* no END */
		"-----BEGIN A-----\n-----END A-----\n",            /* empty */
		"-----BEGIN A",                                    /* cut in the armour */
	};
	for (size_t i = 0; i < sizeof broken / sizeof broken[0]; i++) {
		pos = 0;
		assert_true(tls_pem_next(broken[i], strlen(broken[i]), &pos, NULL, &der, NULL, 0) < 0);
		assert_int_equal(pos, 0);
	}
	tls_buf_free(&der);
}

static void test_load_all(void **state)
{
	(void)state;
	size_t l1, l2, n;
	uint8_t *a = slurp("assets/server.crt", &l1);
	uint8_t *b = slurp("assets/ca.crt", &l2);
	uint8_t *both = malloc(l1 + l2);
	assert_non_null(both);
	memcpy(both, a, l1);
	memcpy(both + l1, b, l2);
	tls_x509 *v;
	assert_int_equal(tls_x509_load_all(both, l1 + l2, &v, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].subject, "CN=server.tlsstep.test, O=tlsstep");
	assert_true(v[1].is_ca);
	char why[256];
	assert_int_equal(tls_x509_verify_chain(v, 1, v + 1, 1, T2026, "localhost", why, sizeof why), 0);
	/* One DER certificate. */
	tls_x509 *w;
	assert_int_equal(tls_x509_load_all(v[0].der, v[0].der_len, &w, &n), 0);
	assert_int_equal(n, 1);
	tls_x509_free(&w[0]);
	free(w);
	for (size_t i = 0; i < 2; i++)
		tls_x509_free(&v[i]);
	free(v);
	/* A key file holds no certificate; garbage is no certificate. */
	size_t kl;
	uint8_t *key = slurp("assets/server.key", &kl);
	assert_int_not_equal(tls_x509_load_all(key, kl, &v, &n), 0);
	assert_null(v);
	assert_int_equal(n, 0);
	assert_int_not_equal(tls_x509_load_all((const uint8_t *)"garbage", 7, &v, &n), 0);
	free(key);
	free(both);
	free(a);
	free(b);
}

int main(void)
{
	if (tls_crypto_init())
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_server),
		cmocka_unit_test(test_parse_ca_and_client),
		cmocka_unit_test(test_real_certificate),
		cmocka_unit_test(test_chain_ok),
		cmocka_unit_test(test_chain_time),
		cmocka_unit_test(test_chain_untrusted),
		cmocka_unit_test(test_chain_names),
		cmocka_unit_test(test_chain_not_ca),
		cmocka_unit_test(test_flipped_signature),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_bad_keys),
		cmocka_unit_test(test_unknown_critical),
		cmocka_unit_test(test_der_reader),
		cmocka_unit_test(test_name_match),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_private_keys),
		cmocka_unit_test(test_pem_blocks),
		cmocka_unit_test(test_load_all),
	};
	return cmocka_run_group_tests(tests, pki_setup, pki_teardown);
}
