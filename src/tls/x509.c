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

#define BAD            TLS_FAIL(TLS_ALERT_BAD_CERTIFICATE)
#define UNSUPPORTED    TLS_FAIL(TLS_ALERT_UNSUPPORTED_CERTIFICATE)
#define MAX_EXTENSIONS 64
#define MEANING        256

#define OID_RSA_ENCRYPTION "1.2.840.113549.1.1.1"
#define OID_EC_PUBLIC_KEY  "1.2.840.10045.2.1"

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
    {"1.2.840.113549.1.1.4", "md5WithRSAEncryption", "md5", TLS_X509_SIG_RSA},
    {"1.2.840.113549.1.1.5", "sha1WithRSAEncryption", "sha1", TLS_X509_SIG_RSA},
    {"1.2.840.113549.1.1.11", "sha256WithRSAEncryption", "sha256", TLS_X509_SIG_RSA},
    {"1.2.840.113549.1.1.12", "sha384WithRSAEncryption", "sha384", TLS_X509_SIG_RSA},
    {"1.2.840.113549.1.1.13", "sha512WithRSAEncryption", "sha512", TLS_X509_SIG_RSA},
    {"1.2.840.113549.1.1.10", "RSASSA-PSS", "sha1", TLS_X509_SIG_PSS}, /* hash: the default */
    {"1.2.840.10045.4.1", "ecdsa-with-SHA1", "sha1", TLS_X509_SIG_ECDSA},
    {"1.2.840.10045.4.3.2", "ecdsa-with-SHA256", "sha256", TLS_X509_SIG_ECDSA},
    {"1.2.840.10045.4.3.3", "ecdsa-with-SHA384", "sha384", TLS_X509_SIG_ECDSA},
    {"1.2.840.10045.4.3.4", "ecdsa-with-SHA512", "sha512", TLS_X509_SIG_ECDSA},
    {"1.3.101.112", "Ed25519", NULL, 0},
};

static const struct {
	const char *oid, *hash;
} hash_oids[] = {
    {"1.3.14.3.2.26", "sha1"},
    {"2.16.840.1.101.3.4.2.1", "sha256"},
    {"2.16.840.1.101.3.4.2.2", "sha384"},
    {"2.16.840.1.101.3.4.2.3", "sha512"},
};

/* HashAlgorithm ::= AlgorithmIdentifier, parameters NULL or absent. */
static int pss_hash(tls_der *d, const char **hash)
{
	tls_der_item seq, oid, nul;
	tls_der a;
	char os[96];
	if (tls_der_expect(d, TLS_DER_SEQUENCE, &seq) || tls_der_enter(d, &seq, &a) ||
	    tls_der_expect(&a, TLS_DER_OID, &oid) || tls_der_oid_str(&oid, os, sizeof os))
		return BAD;
	if (tls_der_more(&a) && (tls_der_expect(&a, TLS_DER_NULL, &nul) || nul.body_len))
		return BAD;
	if (tls_der_done(&a))
		return BAD;
	*hash = NULL;
	for (size_t i = 0; i < sizeof hash_oids / sizeof hash_oids[0]; i++)
		if (!strcmp(os, hash_oids[i].oid))
			*hash = hash_oids[i].hash;
	return *hash ? 0 : UNSUPPORTED;
}

/* RSASSA-PSS-params (RFC 4055 3.1): hashAlgorithm [0] (default SHA-1),
 * maskGenAlgorithm [1] (MGF1 with a hash; libtomcrypt's MGF1 uses the
 * message hash, so the two must agree), saltLength [2] (default 20),
 * trailerField [3] (only 1). */
static int parse_pss(const tls_der_item *params, int has_params, const char **hash, unsigned long *salt)
{
	tls_der p, w, mg;
	tls_der_item seq, it, mseq, moid;
	const char *mgf_hash = "sha1";
	char os[96];
	uint64_t v;
	int r;
	*hash = "sha1";
	*salt = 20;
	if (!has_params || params->tag != TLS_DER_SEQUENCE)
		return BAD; /* RFC 4055: the parameters must be present */
	seq = *params;
	tls_der_init(&p, params->body - params->body_off, params->body_off + params->body_len);
	p.pos = params->body_off;
	p.depth = 5;
	if ((r = tls_der_optional(&p, TLS_DER_CONTEXT_C(0), &it)) < 0 ||
	    (r && (tls_der_enter(&p, &it, &w) || (r = pss_hash(&w, hash)) || tls_der_done(&w))))
		return r < 0 ? BAD : r;
	if ((r = tls_der_optional(&p, TLS_DER_CONTEXT_C(1), &it)) < 0)
		return BAD;
	if (r) {
		if (tls_der_enter(&p, &it, &w) || tls_der_expect(&w, TLS_DER_SEQUENCE, &mseq) ||
		    tls_der_done(&w) || tls_der_enter(&w, &mseq, &mg) ||
		    tls_der_expect(&mg, TLS_DER_OID, &moid) || tls_der_oid_str(&moid, os, sizeof os) ||
		    strcmp(os, "1.2.840.113549.1.1.8"))
			return BAD;
		if ((r = pss_hash(&mg, &mgf_hash)) || tls_der_done(&mg))
			return r ? r : BAD;
	}
	if ((r = tls_der_optional(&p, TLS_DER_CONTEXT_C(2), &it)) < 0 ||
	    (r && (tls_der_enter(&p, &it, &w) || tls_der_expect(&w, TLS_DER_INTEGER, &it) ||
	           tls_der_small_uint(&it, &v) || tls_der_done(&w) || v > 512)))
		return BAD;
	if (r)
		*salt = (unsigned long)v;
	if ((r = tls_der_optional(&p, TLS_DER_CONTEXT_C(3), &it)) < 0 ||
	    (r && (tls_der_enter(&p, &it, &w) || tls_der_expect(&w, TLS_DER_INTEGER, &it) ||
	           tls_der_small_uint(&it, &v) || tls_der_done(&w) || v != 1)))
		return BAD;
	(void)seq;
	if (tls_der_done(&p))
		return BAD;
	return strcmp(*hash, mgf_hash) ? UNSUPPORTED : 0;
}

/* AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL } */
static int parse_alg(parser *ps, tls_der *d, const char *field, tls_der_item *it)
{
	tls_der a;
	tls_der_item oid, params = {0};
	char os[96];
	unsigned long salt = 0;
	int rc;
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
	if (kind == TLS_X509_SIG_PSS && (rc = parse_pss(&params, has_params, &hash, &salt)) != 0)
		return rc;
	/* SHA-512 and MD5 are registered on demand: only signatures use them. */
	if (hash && !strcmp(hash, "sha512"))
		register_hash(&sha512_desc);
	if (hash && !strcmp(hash, "md5"))
		register_hash(&md5_desc);
	ps->c->sig_hash = hash ? find_hash(hash) : -1;
	ps->c->sig_kind = ps->c->sig_hash >= 0 ? kind : 0;
	ps->c->sig_salt = salt;
	ps->c->sig_weak = hash && (!strcmp(hash, "sha1") || !strcmp(hash, "md5"));
	char shown[128];
	if (kind == TLS_X509_SIG_PSS)
		snprintf(shown, sizeof shown, "RSASSA-PSS with %s", hash);
	else
		snprintf(shown, sizeof shown, "%s", name);
	snprintf(ps->c->sig_name, sizeof ps->c->sig_name, "%s", shown);
	if (!strcmp(field, "signature"))
		span(ps, field, it,
		     "signature algorithm the issuer used: %s (repeated outside the signed part)", shown);
	else
		span(ps, field, it, "signature algorithm: %s", shown);
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
	if (tls_der_enter(tbs, &wrap, &w) || tls_der_expect(&w, TLS_DER_INTEGER, &num) || tls_der_done(&w) ||
	    tls_der_small_uint(&num, &v) || v > 2)
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
	if (tls_der_expect(&d, TLS_DER_SEQUENCE, &seq) || tls_der_done(&d) || tls_der_enter(&d, &seq, &k) ||
	    tls_der_expect(&k, TLS_DER_INTEGER, &n_it) || tls_der_expect(&k, TLS_DER_INTEGER, &e_it) ||
	    tls_der_done(&k) || tls_der_uint(&n_it, &n, &nl) || tls_der_uint(&e_it, &e, &el))
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
		     "public key algorithm id-ecPublicKey (EC) on curve %s, which tlsstep does not support",
		     os);
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

/* Grows a name array by one slot; names are few, so one at a time. */
static int grow(void **arr, size_t n, size_t size)
{
	void *p = realloc(*arr, (n + 1) * size);
	if (!p)
		return TLS_ERR_INTERNAL;
	*arr = p;
	return 0;
}

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
	if (c->n_dns + c->n_ip == TLS_X509_MAX_NAMES)
		return BAD;
	if (grow((void **)&c->dns, c->n_dns, sizeof c->dns[0]))
		return TLS_ERR_INTERNAL;
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
	if (c->n_dns + c->n_ip == TLS_X509_MAX_NAMES)
		return BAD;
	if (grow((void **)&c->ip, c->n_ip, sizeof c->ip[0]) ||
	    grow((void **)&c->ip_len, c->n_ip, sizeof c->ip_len[0]))
		return TLS_ERR_INTERNAL;
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
	if ((r = tls_der_optional(&s, TLS_DER_INTEGER, &it)) < 0 || (r && tls_der_small_uint(&it, &plen)) ||
	    tls_der_done(&s))
		return BAD;
	has_plen = r;
	/* RFC 5280 4.2.1.9: pathLenConstraint only means something for a CA
	 * (a non-CA is refused as an issuer anyway). */
	ps->c->is_ca = ca;
	ps->c->has_path_len = has_plen && ca;
	ps->c->path_len = plen > 255 ? 255 : (unsigned)plen;
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
	unsigned bit;
} eku_names[] = {
    {"1.3.6.1.5.5.7.3.1", "serverAuth (TLS server)", TLS_X509_EKU_SERVER},
    {"1.3.6.1.5.5.7.3.2", "clientAuth (TLS client)", TLS_X509_EKU_CLIENT},
    {"1.3.6.1.5.5.7.3.3", "codeSigning", 0},
    {"1.3.6.1.5.5.7.3.4", "emailProtection", 0},
    {"1.3.6.1.5.5.7.3.8", "timeStamping", 0},
    {"1.3.6.1.5.5.7.3.9", "OCSPSigning", 0},
    {"2.5.29.37.0", "anyExtendedKeyUsage", TLS_X509_EKU_ANY},
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
			if (!strcmp(os, eku_names[i].oid)) {
				name = eku_names[i].name;
				ps->c->eku |= eku_names[i].bit;
			}
		sb_printf(m, " %s", name);
	}
	ps->c->has_eku = 1;
	return 0;
}

/* GeneralSubtree ::= SEQUENCE { base GeneralName, minimum [0] DEFAULT 0,
 * maximum [1] OPTIONAL }; the web PKI uses base alone (RFC 5280 4.2.1.10). */
static int nc_subtree(tls_der *l, tls_x509_subtree **arr, size_t *n, strb *m)
{
	tls_der_item seq, gn;
	tls_der s;
	char txt[INET6_ADDRSTRLEN];
	if (tls_der_expect(l, TLS_DER_SEQUENCE, &seq) || tls_der_enter(l, &seq, &s) ||
	    tls_der_read(&s, &gn) || tls_der_done(&s))
		return BAD;
	tls_x509_subtree t = {0};
	if (gn.tag == TLS_DER_CONTEXT(2)) {
		if (gn.body_len > 255 || memchr(gn.body, 0, gn.body_len))
			return BAD;
		memcpy(t.dns, gn.body, gn.body_len);
		sb_printf(m, " %s", gn.body_len ? t.dns : "(every name)");
	} else if (gn.tag == TLS_DER_CONTEXT(7)) {
		if (gn.body_len != 8 && gn.body_len != 32)
			return BAD;
		t.is_ip = 1;
		t.ip_len = (uint8_t)(gn.body_len / 2);
		memcpy(t.ip, gn.body, t.ip_len);
		memcpy(t.mask, gn.body + t.ip_len, t.ip_len);
		inet_ntop(t.ip_len == 4 ? AF_INET : AF_INET6, t.ip, txt, sizeof txt);
		unsigned bits = 0;
		for (size_t i = 0; i < t.ip_len; i++)
			for (unsigned x = t.mask[i]; x; x &= x - 1)
				bits++;
		sb_printf(m, " %s/%u", txt, bits);
	} else {
		sb_printf(m, " (a %s name)", gn.tag == TLS_DER_CONTEXT_C(4) ? "directory" : "non-TLS");
		return 0; /* constrains names a TLS client does not check */
	}
	if (*n == TLS_X509_MAX_SUBTREES)
		return BAD;
	if (grow((void **)arr, *n, sizeof **arr))
		return TLS_ERR_INTERNAL;
	(*arr)[(*n)++] = t;
	return 0;
}

/* NameConstraints ::= SEQUENCE { permittedSubtrees [0], excludedSubtrees [1] } */
static int ext_nc(parser *ps, const tls_der_item *val, strb *m)
{
	tls_der_item seq, part;
	tls_der s, l;
	tls_x509 *c = ps->c;
	int r, rc, any = 0;
	if (ext_open(ps, val, TLS_DER_SEQUENCE, &seq, &s))
		return BAD;
	sb_printf(m, "nameConstraints, the names this CA may issue for:");
	for (unsigned k = 0; k < 2; k++) {
		if ((r = tls_der_optional(&s, TLS_DER_CONTEXT_C(k), &part)) < 0)
			return BAD;
		if (!r)
			continue;
		if (tls_der_enter(&s, &part, &l) || !tls_der_more(&l))
			return BAD;
		sb_printf(m, "%s", k ? " excluded" : " permitted");
		while (tls_der_more(&l))
			if ((rc = k ? nc_subtree(&l, &c->excluded, &c->n_excluded, m)
			            : nc_subtree(&l, &c->permitted, &c->n_permitted, m)))
				return rc;
		any = 1;
	}
	/* RFC 5280 4.2.1.10: an empty NameConstraints is not allowed. */
	if (!any || tls_der_done(&s))
		return BAD;
	c->has_name_constraints = 1;
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
    {"2.5.29.30", "nameConstraints", ext_nc, NULL, 1},
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
static int read_extension(tls_der *l, tls_der_item *ext, tls_der_item *oid, int *critical, tls_der_item *val)
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
	     "the issuer's signature over tbsCertificate, %zu bytes; checked with the issuer's public key",
	     sl);
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
	free(c->dns);
	free(c->ip);
	free(c->ip_len);
	free(c->permitted);
	free(c->excluded);
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
