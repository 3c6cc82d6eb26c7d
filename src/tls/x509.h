/* X.509 certificates: parsing for display and chain checking for trust.
 *
 * tls_x509_parse reads one DER certificate strictly, keeps its own copy and
 * records a named span for every field a learner should see (step 3 shows
 * them). tls_x509_verify_chain is what a client does with the server's
 * Certificate message: find a path from the leaf to a trusted root checking
 * each signature, that issuers are CAs, that every certificate is valid at
 * the given time (the clock is passed in, so lessons can travel in time) and
 * that the leaf carries the host name. Keys are RSA or EC (P-256, P-384);
 * signatures RSA PKCS#1 v1.5 or ECDSA, each checked with the issuer's key
 * of the matching type. */
#ifndef TLS_X509_H
#define TLS_X509_H

#include <stddef.h>
#include <stdint.h>

#include <tomcrypt.h>

#include "tls/bytes.h"

#define TLS_X509_MAX_NAMES 16
/* Certificates larger than this are refused (real ones are a few KiB). */
#define TLS_X509_MAX_DER 65536

typedef struct {
	uint8_t *der;
	size_t der_len; /* own copy of the certificate */
	size_t tbs_off, tbs_len; /* TBSCertificate within der (what is signed) */
	char subject[256], issuer[256]; /* one line, e.g. "CN=server.tlsstep.test, O=tlsstep" */
	size_t subject_off, subject_len, issuer_off, issuer_len; /* raw Name DER within der */
	int64_t not_before, not_after; /* seconds since the Unix epoch, UTC */
	int is_ca;                     /* basicConstraints cA TRUE */
	int has_key_usage;
	unsigned key_usage; /* bit n = RFC 5280 bit n: digitalSignature=0 ... keyCertSign=5 */
	int sig_hash;       /* libtomcrypt hash index of the signature algorithm, -1 unknown */
	size_t sig_off, sig_len; /* signature BIT STRING contents (without the unused-bits byte) */
	char dns[TLS_X509_MAX_NAMES][256];
	size_t n_dns; /* subjectAltName dNSName */
	uint8_t ip[TLS_X509_MAX_NAMES][16];
	uint8_t ip_len[TLS_X509_MAX_NAMES];
	size_t n_ip; /* iPAddress, 4 or 16 bytes */
	rsa_key key;
	int has_key; /* RSA public key from SubjectPublicKeyInfo */
	unsigned key_bits;
	/* Added to the agreed API (existing callers are unaffected): */
	int names_dropped;           /* subjectAltName had more than TLS_X509_MAX_NAMES of a kind */
	char unknown_critical[64];   /* OID of a critical extension tlsstep does not understand, or "" */
	/* EC keys and ECDSA signatures. has_key is set for either key type;
	 * key_type says which of key / ec_key holds it. */
	int key_type;               /* TLS_X509_KEY_RSA or TLS_X509_KEY_EC (0 = none) */
	ecc_key ec_key;             /* public point, checked to be on the curve */
	const void *ec_curve;       /* the tls_ec_curve (ecdsa.h) of ec_key */
	uint16_t ec_named_curve;    /* its TLS NamedCurve code: 23 P-256, 24 P-384 */
	int sig_kind;               /* TLS_X509_SIG_RSA or TLS_X509_SIG_ECDSA (0 = unsupported) */
} tls_x509;

enum { TLS_X509_KEY_RSA = 1, TLS_X509_KEY_EC = 2 };
enum { TLS_X509_SIG_RSA = 1, TLS_X509_SIG_ECDSA = 2 };

/* Parses one DER certificate. spans may be NULL; if not, records a span for
 * each field the learner should see, paths prefixed with `prefix` (e.g.
 * "certificate[0]"), offsets = base + offset within der.
 * Returns 0, TLS_FAIL(TLS_ALERT_BAD_CERTIFICATE) for malformed DER or an
 * unsupported structure or an EC point off its curve,
 * TLS_FAIL(TLS_ALERT_UNSUPPORTED_CERTIFICATE) for a key that is neither RSA
 * nor EC on P-256/P-384, an EC point not in uncompressed form, or an RSA key
 * with e=1, even e, or a modulus under 1024 (or over 8192) bits. On failure *out is left zeroed (tls_x509_free is harmless)
 * and the spans recorded so far stay, showing how far the parse got. */
TLS_MUST_USE int tls_x509_parse(const uint8_t *der, size_t len, tls_x509 *out, tls_spans *spans, size_t base,
                                const char *prefix);
void tls_x509_free(tls_x509 *c);

/* chain[0] is the leaf, the rest are what the peer sent (any order, extras
 * allowed); anchors are trusted roots. Checks each link's signature, issuer
 * name, that issuers are CAs (and have keyCertSign when keyUsage is
 * present), that every certificate on the path (anchor included) is valid at
 * `now`, that the path ends at an anchor within 8 certificates (a leaf that
 * is byte-for-byte an anchor is also fine), that no certificate has an
 * unknown critical extension, and, if host != NULL, the leaf's names
 * (subjectAltName only, no CN fallback).
 * Returns 0, or TLS_FAIL(TLS_ALERT_UNKNOWN_CA) (no path to an anchor),
 * TLS_FAIL(TLS_ALERT_CERTIFICATE_EXPIRED) (outside validity),
 * TLS_FAIL(TLS_ALERT_BAD_CERTIFICATE) (bad signature, issuer not a CA, name
 * mismatch, unknown critical extension), with a one-line English reason in
 * why (may be NULL). */
TLS_MUST_USE int tls_x509_verify_chain(const tls_x509 *chain, size_t n, const tls_x509 *anchors,
                                       size_t n_anchors, int64_t now, const char *host, char *why,
                                       size_t why_len);

/* 1 when a dNSName pattern covers host: case-insensitive, one trailing dot
 * ignored, and a "*." prefix matching exactly one non-empty left-most label
 * (never "*.com"-style patterns with fewer than two labels after it). */
int tls_x509_name_match(const char *pattern, const char *host);

/* "2025-01-01 00:00:00 UTC" */
void tls_x509_time_str(int64_t t, char *out, size_t n);
/* Parses "2026-01-01T00:00:00Z" (also without Z, also date only) to Unix
 * seconds; 0, or -1 on error. */
TLS_MUST_USE int tls_parse_iso8601(const char *s, int64_t *out);

#endif
