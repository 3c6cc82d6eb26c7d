#include "tls/x509.h"

#include "tls/alert.h"
#include "tls/crypto.h"
#include "tls/der.h"
#include "tls/ecdsa.h"
#include "tls/fuzzing.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define BAD TLS_FAIL(TLS_ALERT_BAD_CERTIFICATE)
#define UNSUPPORTED TLS_FAIL(TLS_ALERT_UNSUPPORTED_CERTIFICATE)
#define MAX_PATH 8
#define MAX_CHAIN 64
#define MAX_EXTENSIONS 64
#define MEANING 256

#define OID_RSA_ENCRYPTION "1.2.840.113549.1.1.1"
#define OID_EC_PUBLIC_KEY "1.2.840.10045.2.1"

/* A truncating string builder: names and meanings are for display, so an
 * over-long one is cut rather than failing the parse. */
typedef struct {
	char *s;
	size_t n, len;
} strb;

static void sb_init(strb *b, char *s, size_t n)
{
	b->s = s;
	b->n = n;
	b->len = 0;
	if (n)
		s[0] = 0;
}

static void sb_printf(strb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(strb *b, const char *fmt, ...)
{
	if (b->len + 1 >= b->n)
		return;
	va_list ap;
	va_start(ap, fmt);
	int w = vsnprintf(b->s + b->len, b->n - b->len, fmt, ap);
	va_end(ap);
	if (w > 0)
		b->len += (size_t)w < b->n - b->len ? (size_t)w : b->n - b->len - 1;
}

/* ---- parsing ---------------------------------------------------------- */

typedef struct {
	tls_x509 *c;
	tls_spans *spans;
	size_t base;
	const char *prefix;
	size_t tbs_alg_off, tbs_alg_len; /* must equal the outer signatureAlgorithm */
} parser;

static void span(parser *ps, const char *field, const tls_der_item *it, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void span(parser *ps, const char *field, const tls_der_item *it, const char *fmt, ...)
{
	if (!ps->spans)
		return;
	char meaning[MEANING];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(meaning, sizeof meaning, fmt, ap);
	va_end(ap);
	tls_spans_add_joined(ps->spans, ps->prefix, field, ps->base + it->off, it->len, meaning);
}

/* A cursor over the contents of a primitive element that itself holds DER
 * (an extension's OCTET STRING, the key inside a BIT STRING). */
static void inside(const parser *ps, size_t off, size_t len, tls_der *d)
{
	tls_der_init(d, ps->c->der, off + len);
	d->pos = off;
	/* Nominal: these contents sit a few levels down in the certificate. */
	d->depth = 4;
}

static void hex_str(strb *b, const uint8_t *p, size_t n, size_t max)
{
	for (size_t i = 0; i < n && i < max; i++)
		sb_printf(b, "%s%02x", i ? ":" : "", p[i]);
	if (n > max)
		sb_printf(b, ":...");
}

static const struct {
	const char *oid, *name, *hash; /* hash NULL: a name shown, never verified */
	int kind;
} sig_algs[] = {
	{"1.2.840.113549.1.1.5", "sha1WithRSAEncryption", "sha1", TLS_X509_SIG_RSA},
	{"1.2.840.113549.1.1.11", "sha256WithRSAEncryption", "sha256", TLS_X509_SIG_RSA},
	{"1.2.840.113549.1.1.12", "sha384WithRSAEncryption", "sha384", TLS_X509_SIG_RSA},
	{"1.2.840.113549.1.1.13", "sha512WithRSAEncryption", "sha512", TLS_X509_SIG_RSA},
	{"1.2.840.113549.1.1.10", "RSASSA-PSS", NULL, 0},
	{"1.2.840.10045.4.1", "ecdsa-with-SHA1", "sha1", TLS_X509_SIG_ECDSA},
	{"1.2.840.10045.4.3.2", "ecdsa-with-SHA256", "sha256", TLS_X509_SIG_ECDSA},
	{"1.2.840.10045.4.3.3", "ecdsa-with-SHA384", "sha384", TLS_X509_SIG_ECDSA},
	{"1.2.840.10045.4.3.4", "ecdsa-with-SHA512", "sha512", TLS_X509_SIG_ECDSA},
	{"1.3.101.112", "Ed25519", NULL, 0},
};

/* AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL } */
static int parse_alg(parser *ps, tls_der *d, const char *field, tls_der_item *it)
{
	tls_der a;
	tls_der_item oid, params = {0};
	char os[96];
	if (tls_der_expect(d, TLS_DER_SEQUENCE, it) || tls_der_enter(d, it, &a) ||
	    tls_der_expect(&a, TLS_DER_OID, &oid) || tls_der_oid_str(&oid, os, sizeof os))
		return BAD;
	if (tls_der_more(&a) && tls_der_read(&a, &params))
		return BAD;
	if (tls_der_done(&a))
		return BAD;
	const char *name = os, *hash = NULL;
	int kind = 0;
	for (size_t i = 0; i < sizeof sig_algs / sizeof sig_algs[0]; i++)
		if (!strcmp(os, sig_algs[i].oid)) {
			name = sig_algs[i].name;
			hash = sig_algs[i].hash;
			kind = sig_algs[i].kind;
		}
	int has_params = a.pos != oid.off + oid.len;
	/* RSA PKCS#1 v1.5 algorithms take NULL (or absent) parameters; ECDSA
	 * ones take none at all (RFC 5758 3.2). */
	if (kind == TLS_X509_SIG_RSA && has_params && (params.tag != TLS_DER_NULL || params.body_len))
		return BAD;
	if (kind == TLS_X509_SIG_ECDSA && has_params)
		return BAD;
	/* SHA-512 is registered on demand: only signatures use it. */
	if (hash && !strcmp(hash, "sha512"))
		register_hash(&sha512_desc);
	ps->c->sig_hash = hash ? find_hash(hash) : -1;
	ps->c->sig_kind = ps->c->sig_hash >= 0 ? kind : 0;
	if (!strcmp(field, "signature"))
		span(ps, field, it, "signature algorithm the issuer used: %s (repeated outside the signed part)",
		     name);
	else
		span(ps, field, it, "signature algorithm: %s", name);
	return 0;
}

static int parse_version(parser *ps, tls_der *tbs, int *version)
{
	tls_der_item wrap, num;
	tls_der w;
	uint64_t v;
	int r = tls_der_optional(tbs, TLS_DER_CONTEXT_C(0), &wrap);
	if (r < 0)
		return BAD;
	*version = 0;
	if (r == 0) {
		return 0; /* absent: version 1 */
	}
	if (tls_der_enter(tbs, &wrap, &w) || tls_der_expect(&w, TLS_DER_INTEGER, &num) ||
	    tls_der_done(&w) || tls_der_small_uint(&num, &v) || v > 2)
		return BAD;
	*version = (int)v;
	span(ps, "version", &wrap, "version: X.509 v%d (encoded as %d)", *version + 1, *version);
	return 0;
}

static int parse_serial(parser *ps, tls_der *tbs)
{
	tls_der_item it;
	/* Some real issuers emit negative or 21-octet serials; they are shown,
	 * not judged, so only the size is bounded. */
	if (tls_der_expect(tbs, TLS_DER_INTEGER, &it) || it.body_len == 0 || it.body_len > 32)
		return BAD;
	char buf[128];
	strb b;
	sb_init(&b, buf, sizeof buf);
	hex_str(&b, it.body, it.body_len, 20);
	span(ps, "serialNumber", &it, "serial number %s, unique among the certificates this issuer signed",
	     buf);
	return 0;
}

static const struct {
	const char *oid, *name;
} attr_names[] = {
	{"2.5.4.3", "CN"},
	{"2.5.4.6", "C"},
	{"2.5.4.7", "L"},
	{"2.5.4.8", "ST"},
	{"2.5.4.9", "street"},
	{"2.5.4.10", "O"},
	{"2.5.4.11", "OU"},
	{"2.5.4.5", "serialNumber"},
	{"2.5.4.17", "postalCode"},
	{"1.2.840.113549.1.9.1", "emailAddress"},
	{"0.9.2342.19200300.100.1.25", "DC"},
};

/* Only printable ASCII is copied: these bytes come from the peer and end up
 * on a terminal. BMPString and UniversalString use 2 and 4 octets a char. */
static void name_value(strb *b, const tls_der_item *v)
{
	size_t step = v->tag == TLS_DER_BMP_STRING ? 2 : v->tag == TLS_DER_UNIVERSAL_STRING ? 4 : 1;
	for (size_t i = 0; i + step <= v->body_len; i += step) {
		uint32_t ch = 0;
		for (size_t k = 0; k < step; k++)
			ch = (ch << 8) | v->body[i + k];
		sb_printf(b, "%c", ch >= 0x20 && ch < 0x7f ? (char)ch : '?');
	}
}

/* AttributeTypeAndValue ::= SEQUENCE { type OID, value ANY } */
static int parse_atv(tls_der *set, strb *b, int first)
{
	tls_der_item seq, oid, val;
	tls_der a;
	char os[96];
	if (tls_der_expect(set, TLS_DER_SEQUENCE, &seq) || tls_der_enter(set, &seq, &a) ||
	    tls_der_expect(&a, TLS_DER_OID, &oid) || tls_der_oid_str(&oid, os, sizeof os) ||
	    tls_der_read(&a, &val) || tls_der_done(&a) || (val.tag & TLS_DER_CONSTRUCTED))
		return BAD;
	const char *name = os;
	for (size_t i = 0; i < sizeof attr_names / sizeof attr_names[0]; i++)
		if (!strcmp(os, attr_names[i].oid))
			name = attr_names[i].name;
	sb_printf(b, "%s%s=", first ? "" : ", ", name);
	name_value(b, &val);
	return 0;
}

/* Name ::= SEQUENCE OF RelativeDistinguishedName (SET OF AttributeTypeAndValue),
 * shown in encoded order, one line. */
static int parse_name(parser *ps, tls_der *tbs, const char *field, char *out, size_t n, size_t *off,
		      size_t *len)
{
	tls_der_item it, rdn;
	tls_der names, set;
	strb b;
	sb_init(&b, out, n);
	if (tls_der_expect(tbs, TLS_DER_SEQUENCE, &it) || tls_der_enter(tbs, &it, &names))
		return BAD;
	int first = 1;
	while (tls_der_more(&names)) {
		if (tls_der_expect(&names, TLS_DER_SET, &rdn) || tls_der_enter(&names, &rdn, &set) ||
		    !tls_der_more(&set))
			return BAD;
		while (tls_der_more(&set)) {
			if (parse_atv(&set, &b, first))
				return BAD;
			first = 0;
		}
	}
	*off = it.off;
	*len = it.len;
	if (!strcmp(field, "issuer"))
		span(ps, field, &it, "issuer, who signed this certificate: %s", out);
	else
		span(ps, field, &it, "subject, who this certificate belongs to: %s", out);
	return 0;
}

static int parse_validity(parser *ps, tls_der *tbs)
{
	tls_der_item it, nb, na;
	tls_der v;
	tls_x509 *c = ps->c;
	char t1[40], t2[40];
	if (tls_der_expect(tbs, TLS_DER_SEQUENCE, &it) || tls_der_enter(tbs, &it, &v) ||
	    tls_der_read(&v, &nb) || tls_der_time(&nb, &c->not_before) || tls_der_read(&v, &na) ||
	    tls_der_time(&na, &c->not_after) || tls_der_done(&v))
		return BAD;
	tls_x509_time_str(c->not_before, t1, sizeof t1);
	tls_x509_time_str(c->not_after, t2, sizeof t2);
	span(ps, "validity.notBefore", &nb, "not valid before %s", t1);
	span(ps, "validity.notAfter", &na, "not valid after %s", t2);
	return 0;
}

static unsigned bit_length(const uint8_t *p, size_t n)
{
	if (n == 0)
		return 0;
	unsigned bits = (unsigned)(n - 1) * 8;
	for (unsigned x = p[0]; x; x >>= 1)
		bits++;
	return bits;
}

/* RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER },
 * decoded here rather than by rsa_import, which tolerates trailing bytes. */
static int parse_rsa_key(parser *ps, size_t off, size_t len)
{
	tls_der d, k;
	tls_der_item seq, n_it, e_it;
	const uint8_t *n, *e;
	size_t nl, el;
	tls_x509 *c = ps->c;
	inside(ps, off, len, &d);
	if (tls_der_expect(&d, TLS_DER_SEQUENCE, &seq) || tls_der_done(&d) ||
	    tls_der_enter(&d, &seq, &k) || tls_der_expect(&k, TLS_DER_INTEGER, &n_it) ||
	    tls_der_expect(&k, TLS_DER_INTEGER, &e_it) || tls_der_done(&k) ||
	    tls_der_uint(&n_it, &n, &nl) || tls_der_uint(&e_it, &e, &el))
		return BAD;
	c->key_bits = bit_length(n, nl);
	span(ps, "subjectPublicKeyInfo.modulus", &n_it, "RSA modulus n, %u bits", c->key_bits);
	if (el > 8)
		span(ps, "subjectPublicKeyInfo.exponent", &e_it, "RSA public exponent e (%zu bytes)", el);
	else {
		uint64_t ev = 0;
		for (size_t i = 0; i < el; i++)
			ev = (ev << 8) | e[i];
		span(ps, "subjectPublicKeyInfo.exponent", &e_it, "RSA public exponent e = %llu",
		     (unsigned long long)ev);
	}
	/* e = 1 makes "encryption" the identity; an even e has no inverse. */
	int e_bad = !(e[el - 1] & 1) || (el == 1 && e[0] <= 1) || el > nl;
	if (c->key_bits < 1024 || c->key_bits > 8192 || e_bad)
		return UNSUPPORTED;
	if (rsa_set_key(n, nl, e, el, NULL, 0, &c->key) != CRYPT_OK)
		return BAD;
	c->has_key = 1;
	c->key_type = TLS_X509_KEY_RSA;
	return 0;
}

/* id-ecPublicKey: the parameters name the curve (RFC 5480 2.1.1; explicit
 * curve parameters are not allowed in PKIX), the BIT STRING holds the point. */
static int parse_ec_key(parser *ps, const tls_der_item *alg, const tls_der_item *params, int has_params,
			const tls_der_item *bits, const uint8_t *pt, size_t n)
{
	tls_x509 *c = ps->c;
	char os[96];
	if (!has_params || params->tag != TLS_DER_OID) {
		span(ps, "subjectPublicKeyInfo.algorithm", alg,
		     "public key algorithm id-ecPublicKey (EC) without a named curve: not supported");
		return has_params ? UNSUPPORTED : BAD;
	}
	if (tls_der_oid_str(params, os, sizeof os))
		return BAD;
	const tls_ec_curve *cv = tls_ec_curve_by_oid(os);
	if (!cv) {
		span(ps, "subjectPublicKeyInfo.algorithm", alg,
		     "public key algorithm id-ecPublicKey (EC) on curve %s, which tlsstep does not support", os);
		return UNSUPPORTED;
	}
	span(ps, "subjectPublicKeyInfo.algorithm", alg, "public key algorithm id-ecPublicKey (EC) on %s",
	     cv->name);
	c->key_bits = (unsigned)cv->size * 8;
	int r = tls_ec_import_point(cv, pt, n, &c->ec_key);
	if (r == 0)
		span(ps, "subjectPublicKeyInfo.point", bits,
		     "EC public key: the point Q = d*G (04, then x and y, %zu bytes each); d stays secret",
		     cv->size);
	else
		span(ps, "subjectPublicKeyInfo.point", bits, "EC public key: %s", tls_ec_reason(r));
	if (r == TLS_EC_COMPRESSED || r == TLS_EC_HYBRID)
		return UNSUPPORTED;
	if (r == TLS_EC_INTERNAL)
		return TLS_ERR_INTERNAL;
	if (r)
		return BAD;
	c->has_key = 1;
	c->key_type = TLS_X509_KEY_EC;
	c->ec_curve = cv;
	c->ec_named_curve = cv->id;
	return 0;
}

/* SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING } */
static int parse_spki(parser *ps, tls_der *tbs)
{
	tls_der_item it, alg, oid, params = {0}, bits;
	tls_der s, a;
	const uint8_t *kp;
	size_t kl;
	unsigned unused;
	char os[96];
	if (tls_der_expect(tbs, TLS_DER_SEQUENCE, &it) || tls_der_enter(tbs, &it, &s) ||
	    tls_der_expect(&s, TLS_DER_SEQUENCE, &alg) || tls_der_enter(&s, &alg, &a) ||
	    tls_der_expect(&a, TLS_DER_OID, &oid) || tls_der_oid_str(&oid, os, sizeof os))
		return BAD;
	if (tls_der_more(&a) && tls_der_read(&a, &params))
		return BAD;
	if (tls_der_done(&a) || tls_der_expect(&s, TLS_DER_BIT_STRING, &bits) || tls_der_done(&s) ||
	    tls_der_bits(&bits, &kp, &kl, &unused) || unused)
		return BAD;
	if (!strcmp(os, OID_EC_PUBLIC_KEY))
		return parse_ec_key(ps, &alg, &params, a.pos != oid.off + oid.len, &bits, kp, kl);
	if (strcmp(os, OID_RSA_ENCRYPTION)) {
		span(ps, "subjectPublicKeyInfo.algorithm", &alg,
		     "public key algorithm %s: neither RSA nor EC, which tlsstep does not support", os);
		return UNSUPPORTED;
	}
	if (a.pos != oid.off + oid.len && (params.tag != TLS_DER_NULL || params.body_len))
		return BAD;
	span(ps, "subjectPublicKeyInfo.algorithm", &alg, "public key algorithm rsaEncryption (RSA)");
	return parse_rsa_key(ps, bits.body_off + 1, kl);
}

/* ---- extensions ------------------------------------------------------- */

static int dns_name(parser *ps, const tls_der_item *gn, strb *m, int *any)
{
	tls_x509 *c = ps->c;
	/* No NUL, space or control bytes: an embedded NUL once let
	 * "bank.com\0.evil.org" pass as bank.com in C string compares. */
	if (gn->body_len == 0 || gn->body_len > 255)
		return BAD;
	for (size_t i = 0; i < gn->body_len; i++)
		if (gn->body[i] <= 0x20 || gn->body[i] >= 0x7f)
			return BAD;
	sb_printf(m, "%s%.*s", *any ? ", " : "", (int)gn->body_len, (const char *)gn->body);
	*any = 1;
	if (c->n_dns == TLS_X509_MAX_NAMES) {
		c->names_dropped = 1;
		return 0;
	}
	memcpy(c->dns[c->n_dns], gn->body, gn->body_len);
	c->dns[c->n_dns][gn->body_len] = 0;
	c->n_dns++;
	return 0;
}

static int ip_name(parser *ps, const tls_der_item *gn, strb *m, int *any)
{
	tls_x509 *c = ps->c;
	char txt[INET6_ADDRSTRLEN];
	if (gn->body_len != 4 && gn->body_len != 16)
		return BAD;
	inet_ntop(gn->body_len == 4 ? AF_INET : AF_INET6, gn->body, txt, sizeof txt);
	sb_printf(m, "%s%s", *any ? ", " : "", txt);
	*any = 1;
	if (c->n_ip == TLS_X509_MAX_NAMES) {
		c->names_dropped = 1;
		return 0;
	}
	memcpy(c->ip[c->n_ip], gn->body, gn->body_len);
	c->ip_len[c->n_ip++] = (uint8_t)gn->body_len;
	return 0;
}

/* Each extension value parser sees the OCTET STRING and writes its meaning. */
typedef int (*ext_fn)(parser *ps, const tls_der_item *val, strb *m);

/* Opens the single element an extension value must hold. */
static int ext_open(parser *ps, const tls_der_item *val, unsigned tag, tls_der_item *it, tls_der *sub)
{
	tls_der d;
	inside(ps, val->body_off, val->body_len, &d);
	if (tls_der_expect(&d, tag, it) || tls_der_done(&d))
		return BAD;
	if (sub && tls_der_enter(&d, it, sub))
		return BAD;
	return 0;
}

static int ext_san(parser *ps, const tls_der_item *val, strb *m)
{
	tls_der_item seq, gn;
	tls_der l;
	int any = 0, rc;
	if (ext_open(ps, val, TLS_DER_SEQUENCE, &seq, &l) || !tls_der_more(&l))
		return BAD;
	sb_printf(m, "subjectAltName, the names this certificate is valid for: ");
	while (tls_der_more(&l)) {
		if (tls_der_read(&l, &gn))
			return BAD;
		if (gn.tag == TLS_DER_CONTEXT(2))
			rc = dns_name(ps, &gn, m, &any);
		else if (gn.tag == TLS_DER_CONTEXT(7))
			rc = ip_name(ps, &gn, m, &any);
		else
			rc = 0; /* e-mail, URI, directory names: not used by TLS servers */
		if (rc)
			return rc;
	}
	return 0;
}

static int ext_bc(parser *ps, const tls_der_item *val, strb *m)
{
	tls_der_item seq, it;
	tls_der s;
	int ca = 0, r;
	uint64_t plen = 0;
	int has_plen = 0;
	if (ext_open(ps, val, TLS_DER_SEQUENCE, &seq, &s))
		return BAD;
	if ((r = tls_der_optional(&s, TLS_DER_BOOLEAN, &it)) < 0 || (r && tls_der_bool(&it, &ca)))
		return BAD;
	if ((r = tls_der_optional(&s, TLS_DER_INTEGER, &it)) < 0 ||
	    (r && tls_der_small_uint(&it, &plen)) || tls_der_done(&s))
		return BAD;
	has_plen = r;
	ps->c->is_ca = ca;
	if (!ca)
		sb_printf(m, "basicConstraints: not a CA, may not sign other certificates");
	else if (has_plen)
		sb_printf(m, "basicConstraints: a CA, may sign certificates (at most %llu CAs below it)",
			  (unsigned long long)plen);
	else
		sb_printf(m, "basicConstraints: a CA, may sign certificates");
	return 0;
}

static const char *const ku_names[] = {
	"digitalSignature", "nonRepudiation", "keyEncipherment", "dataEncipherment", "keyAgreement",
	"keyCertSign",      "cRLSign",        "encipherOnly",    "decipherOnly",
};

static int ext_ku(parser *ps, const tls_der_item *val, strb *m)
{
	tls_der_item it;
	const uint8_t *p;
	size_t n;
	unsigned unused, ku = 0;
	if (ext_open(ps, val, TLS_DER_BIT_STRING, &it, NULL) || tls_der_bits(&it, &p, &n, &unused))
		return BAD;
	/* Bit 0 is the most significant bit of the first octet. */
	for (size_t i = 0; i < n && i < 2; i++)
		for (unsigned j = 0; j < 8; j++)
			if (p[i] & (0x80 >> j))
				ku |= 1u << (8 * i + j);
	ps->c->has_key_usage = 1;
	ps->c->key_usage = ku;
	sb_printf(m, "keyUsage, what the key may be used for:");
	for (unsigned b = 0; b < 9; b++)
		if (ku & (1u << b))
			sb_printf(m, " %s", ku_names[b]);
	return 0;
}

static const struct {
	const char *oid, *name;
} eku_names[] = {
	{"1.3.6.1.5.5.7.3.1", "serverAuth (TLS server)"},
	{"1.3.6.1.5.5.7.3.2", "clientAuth (TLS client)"},
	{"1.3.6.1.5.5.7.3.3", "codeSigning"},
	{"1.3.6.1.5.5.7.3.4", "emailProtection"},
	{"1.3.6.1.5.5.7.3.8", "timeStamping"},
	{"1.3.6.1.5.5.7.3.9", "OCSPSigning"},
};

static int ext_eku(parser *ps, const tls_der_item *val, strb *m)
{
	tls_der_item seq, oid;
	tls_der l;
	char os[96];
	if (ext_open(ps, val, TLS_DER_SEQUENCE, &seq, &l) || !tls_der_more(&l))
		return BAD;
	sb_printf(m, "extKeyUsage, purposes:");
	while (tls_der_more(&l)) {
		if (tls_der_expect(&l, TLS_DER_OID, &oid) || tls_der_oid_str(&oid, os, sizeof os))
			return BAD;
		const char *name = os;
		for (size_t i = 0; i < sizeof eku_names / sizeof eku_names[0]; i++)
			if (!strcmp(os, eku_names[i].oid))
				name = eku_names[i].name;
		sb_printf(m, " %s", name);
	}
	return 0;
}

static int ext_ski(parser *ps, const tls_der_item *val, strb *m)
{
	tls_der_item it;
	if (ext_open(ps, val, TLS_DER_OCTET_STRING, &it, NULL))
		return BAD;
	sb_printf(m, "subjectKeyIdentifier, a short name for this key: ");
	hex_str(m, it.body, it.body_len, 20);
	return 0;
}

static int ext_aki(parser *ps, const tls_der_item *val, strb *m)
{
	tls_der_item seq, it;
	tls_der s;
	if (ext_open(ps, val, TLS_DER_SEQUENCE, &seq, &s))
		return BAD;
	sb_printf(m, "authorityKeyIdentifier, names the issuer's key");
	int r = tls_der_optional(&s, TLS_DER_CONTEXT(0), &it);
	if (r < 0)
		return BAD;
	if (r) {
		sb_printf(m, ": ");
		hex_str(m, it.body, it.body_len, 20);
	}
	return 0;
}

static const struct ext_info {
	const char *oid, *name;
	ext_fn parse;      /* NULL: shown by name only */
	const char *about; /* meaning when parse is NULL */
	int handled;       /* may be critical: tlsstep does what it asks */
} ext_table[] = {
	{"2.5.29.17", "subjectAltName", ext_san, NULL, 1},
	{"2.5.29.19", "basicConstraints", ext_bc, NULL, 1},
	{"2.5.29.15", "keyUsage", ext_ku, NULL, 1},
	{"2.5.29.37", "extKeyUsage", ext_eku, NULL, 1},
	{"2.5.29.14", "subjectKeyIdentifier", ext_ski, NULL, 1},
	{"2.5.29.35", "authorityKeyIdentifier", ext_aki, NULL, 1},
	/* Accepting any policy is what a client with no policy of its own does. */
	{"2.5.29.32", "certificatePolicies", NULL, "certificatePolicies, the rules it was issued under", 1},
	{"2.5.29.31", "cRLDistributionPoints", NULL,
	 "cRLDistributionPoints, where to fetch the revocation list (tlsstep does not check revocation)", 0},
	{"1.3.6.1.5.5.7.1.1", "authorityInfoAccess", NULL,
	 "authorityInfoAccess, where to find the issuer's certificate and OCSP responder", 0},
	{"1.3.6.1.4.1.11129.2.4.2", "signedCertificateTimestamps", NULL,
	 "signedCertificateTimestamps, proof it was published in Certificate Transparency logs", 0},
};

static int one_extension(parser *ps, const tls_der_item *ext, const tls_der_item *oid, int critical,
			 const tls_der_item *val)
{
	char os[96], field[TLS_SPAN_PATH], meaning[MEANING];
	strb m;
	const struct ext_info *info = NULL;
	if (tls_der_oid_str(oid, os, sizeof os))
		return BAD;
	for (size_t i = 0; i < sizeof ext_table / sizeof ext_table[0]; i++)
		if (!strcmp(os, ext_table[i].oid))
			info = &ext_table[i];
	sb_init(&m, meaning, sizeof meaning);
	if (info && info->parse) {
		int rc = info->parse(ps, val, &m);
		if (rc)
			return rc;
	} else if (info) {
		sb_printf(&m, "%s", info->about);
	} else {
		sb_printf(&m, "extension %s, not interpreted by tlsstep", os);
	}
	if (critical && !(info && info->handled)) {
		if (!ps->c->unknown_critical[0])
			snprintf(ps->c->unknown_critical, sizeof ps->c->unknown_critical, "%.63s", os);
		sb_printf(&m, "; critical but not understood, so the certificate must be rejected");
	} else if (critical) {
		sb_printf(&m, " (critical)");
	}
	snprintf(field, sizeof field, "extensions.%.52s", info ? info->name : os);
	span(ps, field, ext, "%s", meaning);
	return 0;
}

/* Extension ::= SEQUENCE { extnID OID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING } */
static int read_extension(tls_der *l, tls_der_item *ext, tls_der_item *oid, int *critical,
			  tls_der_item *val)
{
	tls_der e;
	tls_der_item b;
	int r;
	*critical = 0;
	if (tls_der_expect(l, TLS_DER_SEQUENCE, ext) || tls_der_enter(l, ext, &e) ||
	    tls_der_expect(&e, TLS_DER_OID, oid))
		return BAD;
	if ((r = tls_der_optional(&e, TLS_DER_BOOLEAN, &b)) < 0 || (r && tls_der_bool(&b, critical)))
		return BAD;
	if (tls_der_expect(&e, TLS_DER_OCTET_STRING, val) || tls_der_done(&e))
		return BAD;
	return 0;
}

static int parse_extensions(parser *ps, tls_der *tbs)
{
	tls_der_item wrap, list, ext, oid, val;
	tls_der w, l;
	tls_der_item seen[MAX_EXTENSIONS];
	size_t n = 0;
	int r = tls_der_optional(tbs, TLS_DER_CONTEXT_C(3), &wrap);
	if (r <= 0)
		return r ? BAD : 0;
	if (tls_der_enter(tbs, &wrap, &w) || tls_der_expect(&w, TLS_DER_SEQUENCE, &list) ||
	    tls_der_done(&w) || tls_der_enter(&w, &list, &l))
		return BAD;
	while (tls_der_more(&l)) {
		int critical, rc;
		if (n == MAX_EXTENSIONS || read_extension(&l, &ext, &oid, &critical, &val))
			return BAD;
		/* RFC 5280 4.2: at most one instance of each extension. */
		for (size_t i = 0; i < n; i++)
			if (seen[i].body_len == oid.body_len && !memcmp(seen[i].body, oid.body, oid.body_len))
				return BAD;
		seen[n++] = oid;
		if ((rc = one_extension(ps, &ext, &oid, critical, &val)) != 0)
			return rc;
	}
	return 0;
}

/* ---- certificate ------------------------------------------------------ */

/* TBSCertificate: version, serial, signature, issuer, validity, subject,
 * subjectPublicKeyInfo, [1] [2] unique IDs, [3] extensions. */
static int parse_tbs(parser *ps, tls_der *tbs)
{
	tls_x509 *c = ps->c;
	tls_der_item alg, uid;
	int version, rc, r;
	if ((rc = parse_version(ps, tbs, &version)) || (rc = parse_serial(ps, tbs)) ||
	    (rc = parse_alg(ps, tbs, "signature", &alg)))
		return rc;
	ps->tbs_alg_off = alg.off;
	ps->tbs_alg_len = alg.len;
	if ((rc = parse_name(ps, tbs, "issuer", c->issuer, sizeof c->issuer, &c->issuer_off,
			     &c->issuer_len)) ||
	    (rc = parse_validity(ps, tbs)) ||
	    (rc = parse_name(ps, tbs, "subject", c->subject, sizeof c->subject, &c->subject_off,
			     &c->subject_len)) ||
	    (rc = parse_spki(ps, tbs)))
		return rc;
	for (unsigned t = 1; t <= 2; t++) {
		if ((r = tls_der_optional(tbs, TLS_DER_CONTEXT(t), &uid)) < 0 || (r && version < 1))
			return BAD;
	}
	if (version == 2 && (rc = parse_extensions(ps, tbs)) != 0)
		return rc;
	return tls_der_done(tbs) ? BAD : 0;
}

/* Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING } */
static int parse_cert(parser *ps)
{
	tls_x509 *c = ps->c;
	tls_der top, cert, tbs;
	tls_der_item it, tbs_it, alg, sig;
	const uint8_t *sp;
	size_t sl;
	unsigned unused;
	int rc;
	tls_der_init(&top, c->der, c->der_len);
	if (tls_der_expect(&top, TLS_DER_SEQUENCE, &it) || tls_der_done(&top) ||
	    tls_der_enter(&top, &it, &cert) || tls_der_expect(&cert, TLS_DER_SEQUENCE, &tbs_it) ||
	    tls_der_enter(&cert, &tbs_it, &tbs))
		return BAD;
	c->tbs_off = tbs_it.off;
	c->tbs_len = tbs_it.len;
	if ((rc = parse_tbs(ps, &tbs)) != 0)
		return rc;
	if ((rc = parse_alg(ps, &cert, "signatureAlgorithm", &alg)) != 0)
		return rc;
	/* The signed copy and the outer copy must agree, or an attacker could
	 * relabel the signature algorithm outside the signed part. */
	if (alg.len != ps->tbs_alg_len || memcmp(c->der + alg.off, c->der + ps->tbs_alg_off, alg.len))
		return BAD;
	if (tls_der_expect(&cert, TLS_DER_BIT_STRING, &sig) || tls_der_done(&cert) ||
	    tls_der_bits(&sig, &sp, &sl, &unused) || unused || sl == 0)
		return BAD;
	c->sig_off = sig.body_off + 1;
	c->sig_len = sl;
	span(ps, "signatureValue", &sig,
	     "the issuer's signature over tbsCertificate, %zu bytes; checked with the issuer's public key", sl);
	return 0;
}

int tls_x509_parse(const uint8_t *der, size_t len, tls_x509 *out, tls_spans *spans, size_t base,
		   const char *prefix)
{
	if (!out)
		return TLS_ERR_INTERNAL;
	memset(out, 0, sizeof *out);
	out->sig_hash = -1;
	if (!der || len == 0 || len > TLS_X509_MAX_DER || tls_der_walk(der, len))
		return BAD;
	if (tls_crypto_init())
		return TLS_ERR_INTERNAL;
	out->der = malloc(len);
	if (!out->der)
		return TLS_ERR_INTERNAL;
	memcpy(out->der, der, len);
	out->der_len = len;
	parser ps = {.c = out, .spans = spans, .base = base, .prefix = prefix};
	int rc = parse_cert(&ps);
	if (rc) {
		tls_x509_free(out);
		out->sig_hash = -1;
	}
	return rc;
}

void tls_x509_free(tls_x509 *c)
{
	if (!c)
		return;
	if (c->has_key && c->key_type == TLS_X509_KEY_EC)
		ecc_free(&c->ec_key);
	else if (c->has_key)
		rsa_free(&c->key);
	free(c->der);
	memset(c, 0, sizeof *c);
}

/* ---- time ------------------------------------------------------------- */

void tls_x509_time_str(int64_t t, char *out, size_t n)
{
	int y, mo, d, h, mi, s;
	tls_utc_split(t, &y, &mo, &d, &h, &mi, &s);
	snprintf(out, n, "%04d-%02d-%02d %02d:%02d:%02d UTC", y, mo, d, h, mi, s);
}

/* Reads exactly n digits at *s and advances. */
static int iso_num(const char **s, int n, int *v)
{
	int x = 0;
	for (int i = 0; i < n; i++) {
		char ch = (*s)[i];
		if (ch < '0' || ch > '9')
			return -1;
		x = x * 10 + (ch - '0');
	}
	*s += n;
	*v = x;
	return 0;
}

static int iso_sep(const char **s, char sep)
{
	if (**s != sep)
		return -1;
	(*s)++;
	return 0;
}

int tls_parse_iso8601(const char *s, int64_t *out)
{
	int y, mo, d, h = 0, mi = 0, sec = 0;
	if (!s || !out)
		return -1;
	if (iso_num(&s, 4, &y) || iso_sep(&s, '-') || iso_num(&s, 2, &mo) || iso_sep(&s, '-') ||
	    iso_num(&s, 2, &d))
		return -1;
	if (*s == 'T' || *s == 't' || *s == ' ') {
		s++;
		if (iso_num(&s, 2, &h) || iso_sep(&s, ':') || iso_num(&s, 2, &mi) || iso_sep(&s, ':') ||
		    iso_num(&s, 2, &sec))
			return -1;
		if (*s == 'Z' || *s == 'z')
			s++;
	}
	if (*s)
		return -1;
	return tls_utc_mktime(y, mo, d, h, mi, sec, out);
}

/* ---- chain checking --------------------------------------------------- */

static void say(char *why, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(char *why, size_t n, const char *fmt, ...)
{
	if (!why || n == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, n, fmt, ap);
	va_end(ap);
}

/* The name a learner knows the certificate by: its CN, else its first DNS
 * name, else the whole subject. */
static void cert_label(const tls_x509 *c, char *out, size_t n)
{
	const char *cn = NULL;
	if (!strncmp(c->subject, "CN=", 3))
		cn = c->subject + 3;
	else if ((cn = strstr(c->subject, ", CN=")) != NULL)
		cn += 5;
	strb b;
	sb_init(&b, out, n);
	if (cn) {
		const char *end = strstr(cn, ", ");
		size_t l = end ? (size_t)(end - cn) : strlen(cn);
		sb_printf(&b, "%.*s", (int)l, cn);
	} else if (c->n_dns) {
		sb_printf(&b, "%s", c->dns[0]);
	} else {
		sb_printf(&b, "'%s'", c->subject);
	}
}

static int same_der(const tls_x509 *a, const tls_x509 *b)
{
	return a->der_len == b->der_len && !memcmp(a->der, b->der, a->der_len);
}

/* Byte comparison of the Name encodings: what every issuer in practice
 * produces, and far simpler than RFC 5280's string-preparation rules. */
static int issued_by(const tls_x509 *child, const tls_x509 *issuer)
{
	if (!child->der || !issuer->der)
		return 0; /* an entry whose parse failed */
	return issuer->subject_len == child->issuer_len &&
	       !memcmp(issuer->der + issuer->subject_off, child->der + child->issuer_off,
		       child->issuer_len);
}

/* The signature is checked with the issuer's key, and the algorithm must
 * fit that key: an ECDSA signature from an RSA issuer (or the reverse)
 * never verifies. */
static int sig_ok(const tls_x509 *child, const tls_x509 *issuer)
{
	unsigned char h[MAXBLOCKSIZE];
	unsigned long hl = sizeof h;
	int stat = 0, err = CRYPT_ERROR;
	if (child->sig_hash < 0 || !issuer->has_key || child->sig_len == 0 || child->tbs_len == 0)
		return 0;
	if (hash_memory(child->sig_hash, child->der + child->tbs_off, child->tbs_len, h, &hl) != CRYPT_OK)
		return 0;
	const uint8_t *sig = child->der + child->sig_off;
	if (child->sig_kind == TLS_X509_SIG_ECDSA && issuer->key_type == TLS_X509_KEY_EC) {
		if (tls_ecdsa_verify(issuer->ec_curve, &issuer->ec_key, h, hl, sig, child->sig_len) == 0)
			return 1;
	} else if (child->sig_kind == TLS_X509_SIG_RSA && issuer->key_type == TLS_X509_KEY_RSA) {
		/* rsa_verify_hash_ex wants a non-const key but only reads it. */
		rsa_key k = issuer->key;
		err = rsa_verify_hash_ex(sig, child->sig_len, h, hl, LTC_PKCS_1_V1_5, child->sig_hash, 0, &stat, &k);
	}
	/* CRYPT_OK only means the computation ran; stat says whether it matched.
	 * A fuzzing build checks but does not insist (src/tls/fuzzing.h). */
	return (err == CRYPT_OK && stat == 1) || tls_fuzzing();
}

typedef struct {
	const tls_x509 *path[MAX_PATH];
	size_t n;
	const tls_x509 *anchor; /* signs path[n-1]; NULL when the leaf is itself an anchor */
} chain_path;

static int no_issuer(const tls_x509 *cur, const tls_x509 *bad_issuer, char *why, size_t wl)
{
	char who[128];
	cert_label(cur, who, sizeof who);
	if (bad_issuer) {
		say(why, wl, "the signature on the certificate for %s does not verify with the key of '%s'",
		    who, bad_issuer->subject);
		return BAD;
	}
	if (issued_by(cur, cur))
		say(why, wl, "the certificate for %s is self-signed and not trusted", who);
	else
		say(why, wl, "issuer '%s' is not trusted", cur->issuer);
	return TLS_FAIL(TLS_ALERT_UNKNOWN_CA);
}

/* Walks from the leaf to an anchor, taking at each step the first candidate
 * whose name matches and whose key verifies the signature. */
static int build_path(const tls_x509 *chain, size_t n, const tls_x509 *anchors, size_t na,
		      chain_path *p, char *why, size_t wl)
{
	unsigned char used[MAX_CHAIN] = {0};
	p->n = 1;
	p->path[0] = &chain[0];
	p->anchor = NULL;
	for (size_t a = 0; a < na; a++)
		if (same_der(&chain[0], &anchors[a]))
			return 0;
	for (;;) {
		const tls_x509 *cur = p->path[p->n - 1], *bad = NULL;
		for (size_t a = 0; a < na; a++) {
			if (!issued_by(cur, &anchors[a]))
				continue;
			if (sig_ok(cur, &anchors[a])) {
				p->anchor = &anchors[a];
				return 0;
			}
			bad = &anchors[a];
		}
		size_t next = 0;
		for (size_t i = 1; i < n && !next; i++) {
			if (used[i] || !issued_by(cur, &chain[i]))
				continue;
			if (sig_ok(cur, &chain[i]))
				next = i;
			else
				bad = &chain[i];
		}
		if (!next)
			return no_issuer(cur, bad, why, wl);
		if (p->n == MAX_PATH) {
			say(why, wl, "no trusted root within %d certificates", MAX_PATH);
			return TLS_FAIL(TLS_ALERT_UNKNOWN_CA);
		}
		used[next] = 1;
		p->path[p->n++] = &chain[next];
	}
}

static int check_time(const tls_x509 *c, int64_t now, char *why, size_t wl)
{
	char who[128], t[40];
	if (now >= c->not_before && now <= c->not_after)
		return 0;
	cert_label(c, who, sizeof who);
	if (now < c->not_before) {
		tls_x509_time_str(c->not_before, t, sizeof t);
		say(why, wl, "certificate for %s is not valid until %s", who, t);
	} else {
		tls_x509_time_str(c->not_after, t, sizeof t);
		say(why, wl, "certificate for %s expired on %s", who, t);
	}
	return TLS_FAIL(TLS_ALERT_CERTIFICATE_EXPIRED);
}

static int check_issuer(const tls_x509 *c, char *why, size_t wl)
{
	if (!c->is_ca) {
		say(why, wl, "issuer '%s' is not a CA (basicConstraints), so it may not sign certificates",
		    c->subject);
		return BAD;
	}
	if (c->has_key_usage && !(c->key_usage & (1u << 5))) {
		say(why, wl, "issuer '%s' lacks keyCertSign in keyUsage, so it may not sign certificates",
		    c->subject);
		return BAD;
	}
	return 0;
}

static int check_critical(const tls_x509 *c, char *why, size_t wl)
{
	char who[128];
	if (!c->unknown_critical[0])
		return 0;
	cert_label(c, who, sizeof who);
	say(why, wl, "certificate for %s has a critical extension tlsstep does not understand (%s)", who,
	    c->unknown_critical);
	return BAD;
}

static int check_path(const chain_path *p, int64_t now, char *why, size_t wl)
{
	int rc;
	for (size_t i = 0; i < p->n; i++)
		if ((rc = check_time(p->path[i], now, why, wl)) != 0)
			return rc;
	if (p->anchor && (rc = check_time(p->anchor, now, why, wl)) != 0)
		return rc;
	for (size_t i = 1; i < p->n; i++)
		if ((rc = check_issuer(p->path[i], why, wl)) != 0)
			return rc;
	if (p->anchor && (rc = check_issuer(p->anchor, why, wl)) != 0)
		return rc;
	for (size_t i = 0; i < p->n; i++)
		if ((rc = check_critical(p->path[i], why, wl)) != 0)
			return rc;
	return 0;
}

static int ascii_lower(int ch)
{
	return ch >= 'A' && ch <= 'Z' ? ch + ('a' - 'A') : ch;
}

/* Case-insensitive for ASCII only, independent of the locale. */
static int same_ci(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (ascii_lower((unsigned char)a[i]) != ascii_lower((unsigned char)b[i]))
			return 0;
	return 1;
}

int tls_x509_name_match(const char *pattern, const char *host)
{
	if (!pattern || !host)
		return 0;
	size_t pl = strlen(pattern), hl = strlen(host);
	if (hl && host[hl - 1] == '.')
		hl--;
	if (pl && pattern[pl - 1] == '.')
		pl--;
	if (pl == 0 || hl == 0 || memchr(host, '*', hl))
		return 0;
	if (pl > 2 && pattern[0] == '*' && pattern[1] == '.') {
		const char *suffix = pattern + 1; /* ".example.com" */
		size_t sl = pl - 1;
		/* "*.com" would cover a whole top-level domain. */
		if (!memchr(suffix + 1, '.', sl - 1) || memchr(suffix, '*', sl))
			return 0;
		const char *dot = memchr(host, '.', hl);
		if (!dot || dot == host)
			return 0;
		size_t rest = hl - (size_t)(dot - host);
		return rest == sl && same_ci(dot, suffix, sl);
	}
	if (memchr(pattern, '*', pl))
		return 0; /* partial-label wildcards ("f*.example.com") are not honoured */
	return pl == hl && same_ci(pattern, host, pl);
}

static void list_names(const tls_x509 *c, char *out, size_t n)
{
	strb b;
	char txt[INET6_ADDRSTRLEN];
	sb_init(&b, out, n);
	for (size_t i = 0; i < c->n_dns; i++)
		sb_printf(&b, "%s%s", b.len ? ", " : "", c->dns[i]);
	for (size_t i = 0; i < c->n_ip; i++) {
		inet_ntop(c->ip_len[i] == 4 ? AF_INET : AF_INET6, c->ip[i], txt, sizeof txt);
		sb_printf(&b, "%s%s", b.len ? ", " : "", txt);
	}
	if (!b.len)
		sb_printf(&b, "(none: it has no subjectAltName)");
	else if (c->names_dropped)
		sb_printf(&b, ", ... (more than tlsstep keeps)");
}

/* IP literals match iPAddress entries only and names match dNSName entries
 * only, as RFC 6125 asks; the subject CN is never consulted. */
static int check_host(const tls_x509 *c, const char *host, char *why, size_t wl)
{
	uint8_t ip[16];
	char names[512], lit[INET6_ADDRSTRLEN + 2];
	size_t ipl = 0;
	size_t hl = strlen(host);
	/* "[::1]" is how URLs write IPv6 literals. */
	if (hl > 2 && hl < sizeof lit && host[0] == '[' && host[hl - 1] == ']') {
		snprintf(lit, sizeof lit, "%.*s", (int)(hl - 2), host + 1);
		if (inet_pton(AF_INET6, lit, ip) == 1)
			ipl = 16;
	} else if (inet_pton(AF_INET, host, ip) == 1) {
		ipl = 4;
	} else if (inet_pton(AF_INET6, host, ip) == 1) {
		ipl = 16;
	}
	for (size_t i = 0; ipl && i < c->n_ip; i++)
		if (c->ip_len[i] == ipl && !memcmp(c->ip[i], ip, ipl))
			return 0;
	for (size_t i = 0; !ipl && i < c->n_dns; i++)
		if (tls_x509_name_match(c->dns[i], host))
			return 0;
	list_names(c, names, sizeof names);
	say(why, wl, "%s '%s' is not among the certificate's names: %s", ipl ? "IP address" : "host name",
	    host, names);
	return BAD;
}

int tls_x509_verify_chain(const tls_x509 *chain, size_t n, const tls_x509 *anchors, size_t n_anchors,
			  int64_t now, const char *host, char *why, size_t why_len)
{
	chain_path p;
	int rc;
	say(why, why_len, "%s", "");
	if (!chain || n == 0 || !chain[0].der) {
		say(why, why_len, "the peer sent no certificate");
		return BAD;
	}
	if (n > MAX_CHAIN) {
		say(why, why_len, "the peer sent %zu certificates; tlsstep accepts at most %d", n, MAX_CHAIN);
		return BAD;
	}
	if (!anchors)
		n_anchors = 0;
	if ((rc = build_path(chain, n, anchors, n_anchors, &p, why, why_len)) != 0 ||
	    (rc = check_path(&p, now, why, why_len)) != 0)
		return rc;
	if (host && (rc = check_host(&chain[0], host, why, why_len)) != 0)
		return rc;
	return 0;
}
