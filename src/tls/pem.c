#include "tls/pem.h"

#include "tls/alert.h"
#include "tls/crypto.h"
#include "tls/der.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DECODE TLS_FAIL(TLS_ALERT_DECODE_ERROR)
#define WRONG_KEY TLS_FAIL(TLS_ALERT_UNSUPPORTED_CERTIFICATE)
#define NPOS ((size_t)-1)
#define MAX_LABEL 64

static const char begin_mark[] = "-----BEGIN ";
static const char dashes[] = "-----";

/* Position of needle in text[from..len), or NPOS. The text may hold NUL
 * bytes (DER handed to a PEM-or-DER function), so no string functions. */
static size_t find(const char *text, size_t len, size_t from, const char *needle)
{
	size_t nl = strlen(needle);
	if (nl == 0 || from > len || len - from < nl)
		return NPOS;
	for (size_t i = from; i + nl <= len; i++)
		if (text[i] == needle[0] && !memcmp(text + i, needle, nl))
			return i;
	return NPOS;
}

static int is_b64(char ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
	       ch == '+' || ch == '/' || ch == '=';
}

/* Strips line breaks ourselves and then uses the strict decoder: the
 * relaxed base64_decode of libtomcrypt 1.18.2 silently skips any byte it
 * does not know, accepts a missing '=' and decodes past a '=' in the middle,
 * so a damaged key would still "decode". */
static int decode_body(const char *p, size_t n, tls_buf *der)
{
	char *tmp = malloc(n ? n : 1);
	size_t tl = 0;
	int rc = DECODE;
	if (!tmp)
		return TLS_ERR_INTERNAL;
	for (size_t i = 0; i < n; i++) {
		char ch = p[i];
		if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n')
			continue;
		if (!is_b64(ch))
			goto out; /* e.g. "Proc-Type:" of an encrypted key */
		tmp[tl++] = ch;
	}
	if (tl == 0 || tl % 4)
		goto out;
	unsigned long ol = tl / 4 * 3;
	if (tls_buf_reserve(der, ol)) {
		rc = TLS_ERR_INTERNAL;
		goto out;
	}
	if (base64_strict_decode((const unsigned char *)tmp, tl, der->p, &ol) != CRYPT_OK || ol == 0)
		goto out;
	der->len = ol;
	rc = 0;
out:
	zeromem(tmp, n ? n : 1); /* may be key material */
	free(tmp);
	return rc;
}

/* The label between "-----BEGIN " and "-----": printable, one line. */
static int read_label(const char *text, size_t len, size_t start, size_t *end)
{
	size_t e = find(text, len, start, dashes);
	if (e == NPOS || e == start || e - start > MAX_LABEL)
		return DECODE;
	for (size_t i = start; i < e; i++)
		if (text[i] < 0x20 || text[i] > 0x7e)
			return DECODE;
	*end = e;
	return 0;
}

int tls_pem_next(const char *text, size_t len, size_t *pos, const char *label, tls_buf *der,
		 char *label_out, size_t label_n)
{
	if (!text || !pos || !der)
		return TLS_ERR_INTERNAL;
	tls_buf_clear(der);
	size_t from = *pos, b, le;
	while ((b = find(text, len, from, begin_mark)) != NPOS) {
		size_t ls = b + sizeof begin_mark - 1;
		if (read_label(text, len, ls, &le))
			return DECODE;
		size_t body = le + sizeof dashes - 1, ll = le - ls;
		if (label && (strlen(label) != ll || memcmp(label, text + ls, ll))) {
			from = body; /* someone else's block: skip its BEGIN line */
			continue;
		}
		char endline[MAX_LABEL + 32];
		snprintf(endline, sizeof endline, "-----END %.*s-----", (int)ll, text + ls);
		size_t e = find(text, len, body, endline);
		if (e == NPOS)
			return DECODE;
		int rc = decode_body(text + body, e - body, der);
		if (rc)
			return rc;
		if (label_out && label_n)
			snprintf(label_out, label_n, "%.*s", (int)ll, text + ls);
		*pos = e + strlen(endline);
		return 1;
	}
	return 0;
}

static int looks_pem(const uint8_t *data, size_t len)
{
	return find((const char *)data, len, 0, begin_mark) != NPOS;
}

/* ---- private keys ----------------------------------------------------- */

/* d mod (f - 1) == want: ties the private exponent to the CRT values. */
static int crt_matches(void *d, void *f, void *want, void *t, void *r)
{
	return ltc_mp.subi(f, 1, t) == CRYPT_OK && ltc_mp.mpdiv(d, t, NULL, r) == CRYPT_OK &&
	       ltc_mp.compare(r, want) == LTC_MP_EQ;
}

/* n = p*q, dP = d mod (p-1), dQ = d mod (q-1): rsa_import takes every field
 * on trust, and a key damaged in one of them would sign garbage (or export
 * a different key) instead of failing here. */
static int key_consistent(rsa_key *key)
{
	void *t = NULL, *r = NULL;
	int ok = 0;
	if (key->type != PK_PRIVATE || !key->p || !key->q || !key->d || !key->dP || !key->dQ)
		return 0;
	if (ltc_mp.init(&t) != CRYPT_OK)
		return 0;
	if (ltc_mp.init(&r) != CRYPT_OK) {
		ltc_mp.deinit(t);
		return 0;
	}
	ok = ltc_mp.mul(key->p, key->q, t) == CRYPT_OK && ltc_mp.compare(t, key->N) == LTC_MP_EQ &&
	     crt_matches(key->d, key->p, key->dP, t, r) && crt_matches(key->d, key->q, key->dQ, t, r);
	ltc_mp.deinit(t);
	ltc_mp.deinit(r);
	return ok;
}

/* A private operation undoes a public one. The CRT values (dP, dQ, qInv)
 * are what libtomcrypt actually signs and decrypts with, and n = p*q says
 * nothing about them. */
static int key_round_trip(rsa_key *key)
{
	static const unsigned char probe[] = "tlsstep private key self-check";
	unsigned char c[1024], m[1024];
	unsigned long cl = sizeof c, ml = sizeof m;
	size_t pl = sizeof probe;
	int ok = rsa_exptmod(probe, pl, c, &cl, PK_PUBLIC, key) == CRYPT_OK &&
		 rsa_exptmod(c, cl, m, &ml, PK_PRIVATE, key) == CRYPT_OK && ml >= pl &&
		 !memcmp(m + ml - pl, probe, pl);
	zeromem(m, sizeof m);
	return ok;
}

/* RSAPrivateKey ::= SEQUENCE { version 0, n, e, d, p, q, dP, dQ, qInv },
 * checked field by field first because rsa_import also accepts trailing
 * bytes and other layouts. */
static int import_pkcs1(const uint8_t *p, size_t n, rsa_key *key)
{
	tls_der d, s;
	tls_der_item seq, it;
	uint64_t version;
	const uint8_t *v;
	size_t vl;
	tls_der_init(&d, p, n);
	if (tls_der_expect(&d, TLS_DER_SEQUENCE, &seq) || tls_der_done(&d) ||
	    tls_der_enter(&d, &seq, &s) || tls_der_expect(&s, TLS_DER_INTEGER, &it) ||
	    tls_der_small_uint(&it, &version) || version != 0)
		return DECODE;
	for (int i = 0; i < 8; i++)
		if (tls_der_expect(&s, TLS_DER_INTEGER, &it) || tls_der_uint(&it, &v, &vl))
			return DECODE;
	if (tls_der_done(&s))
		return DECODE;
	if (rsa_import(p, (unsigned long)n, key) != CRYPT_OK)
		return DECODE;
	int bits = ltc_mp.count_bits(key->N);
	/* Up to 8192 bits, as for certificates (and the self-check's buffers). */
	if (bits < 1024 || bits > 8192 || !key_consistent(key) || !key_round_trip(key)) {
		rsa_free(key);
		return WRONG_KEY;
	}
	return 0;
}

/* PrivateKeyInfo ::= SEQUENCE { version, AlgorithmIdentifier, privateKey
 * OCTET STRING, [0] attributes OPTIONAL, [1] publicKey OPTIONAL } */
static int import_pkcs8(tls_der *s, rsa_key *key)
{
	tls_der a;
	tls_der_item alg, oid, params, octets, extra;
	char os[64];
	if (tls_der_expect(s, TLS_DER_SEQUENCE, &alg) || tls_der_enter(s, &alg, &a) ||
	    tls_der_expect(&a, TLS_DER_OID, &oid) || tls_der_oid_str(&oid, os, sizeof os))
		return DECODE;
	if (strcmp(os, "1.2.840.113549.1.1.1"))
		return WRONG_KEY; /* not rsaEncryption */
	if (tls_der_more(&a) &&
	    (tls_der_read(&a, &params) || params.tag != TLS_DER_NULL || params.body_len))
		return DECODE;
	if (tls_der_done(&a) || tls_der_expect(s, TLS_DER_OCTET_STRING, &octets))
		return DECODE;
	if (tls_der_optional(s, TLS_DER_CONTEXT_C(0), &extra) < 0 ||
	    tls_der_optional(s, TLS_DER_CONTEXT(1), &extra) < 0 || tls_der_done(s))
		return DECODE;
	return import_pkcs1(octets.body, octets.body_len, key);
}

static int import_der(const uint8_t *p, size_t n, rsa_key *key)
{
	tls_der d, s;
	tls_der_item seq, ver;
	uint64_t version;
	unsigned next;
	tls_der_init(&d, p, n);
	if (tls_der_walk(p, n) || tls_der_expect(&d, TLS_DER_SEQUENCE, &seq) ||
	    tls_der_enter(&d, &seq, &s) || tls_der_expect(&s, TLS_DER_INTEGER, &ver) ||
	    tls_der_small_uint(&ver, &version) || !tls_der_peek(&s, &next))
		return DECODE;
	/* PKCS#8 continues with an AlgorithmIdentifier, PKCS#1 with the modulus. */
	if (next == TLS_DER_SEQUENCE)
		return version <= 1 ? import_pkcs8(&s, key) : DECODE;
	return import_pkcs1(p, n, key);
}

int tls_rsa_private_import(const uint8_t *data, size_t len, rsa_key *key)
{
	if (!data || len == 0 || !key)
		return DECODE;
	if (tls_crypto_init())
		return TLS_ERR_INTERNAL;
	if (!looks_pem(data, len))
		return import_der(data, len, key);
	tls_buf der = {0};
	char label[MAX_LABEL + 1];
	size_t pos = 0;
	int r;
	while ((r = tls_pem_next((const char *)data, len, &pos, NULL, &der, label, sizeof label)) == 1)
		if (!strcmp(label, "RSA PRIVATE KEY") || !strcmp(label, "PRIVATE KEY"))
			break;
	if (r == 1)
		r = import_der(der.p, der.len, key);
	else if (r == 0)
		r = DECODE; /* no key block ("ENCRYPTED PRIVATE KEY" is not supported) */
	tls_buf_free(&der);
	return r;
}

/* ---- certificates ----------------------------------------------------- */

static void free_all(tls_x509 *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		tls_x509_free(&v[i]);
	free(v);
}

/* Parses one certificate onto the end of *v, growing it. */
static int append_cert(tls_x509 **v, size_t *n, size_t *cap, const uint8_t *der, size_t len)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 4;
		tls_x509 *nv = realloc(*v, nc * sizeof *nv);
		if (!nv)
			return TLS_ERR_INTERNAL;
		*v = nv;
		*cap = nc;
	}
	int rc = tls_x509_parse(der, len, &(*v)[*n], NULL, 0, NULL);
	if (rc == 0)
		(*n)++;
	return rc;
}

static int load_pem(const uint8_t *data, size_t len, tls_x509 **out, size_t *n)
{
	tls_buf der = {0};
	tls_x509 *v = NULL;
	size_t cnt = 0, cap = 0, pos = 0;
	int r, skipped = 0;
	while ((r = tls_pem_next((const char *)data, len, &pos, "CERTIFICATE", &der, NULL, 0)) == 1) {
		if (cnt == TLS_PEM_MAX_CERTS) {
			r = DECODE;
			break;
		}
		int rc = append_cert(&v, &cnt, &cap, der.p, der.len);
		if (rc == TLS_FAIL(TLS_ALERT_UNSUPPORTED_CERTIFICATE)) {
			skipped = rc;
			continue;
		}
		if (rc) {
			r = rc;
			break;
		}
	}
	tls_buf_free(&der);
	if (r == 0 && cnt == 0)
		r = skipped ? skipped : DECODE;
	if (r < 0) {
		free_all(v, cnt);
		return r;
	}
	*out = v;
	*n = cnt;
	return 0;
}

int tls_x509_load_all(const uint8_t *data, size_t len, tls_x509 **out, size_t *n)
{
	if (!out || !n)
		return TLS_ERR_INTERNAL;
	*out = NULL;
	*n = 0;
	if (!data || len == 0)
		return DECODE;
	if (looks_pem(data, len))
		return load_pem(data, len, out, n);
	tls_x509 *v = NULL;
	size_t cnt = 0, cap = 0;
	int rc = append_cert(&v, &cnt, &cap, data, len);
	if (rc) {
		free_all(v, cnt);
		return rc;
	}
	*out = v;
	*n = cnt;
	return 0;
}
