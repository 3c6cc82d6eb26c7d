/* X.509 certificates: parsing for display and chain checking for trust.
 *
 * tls_x509_parse reads one DER certificate strictly, keeps its own copy and
 * records a named span for every field a learner should see (step 3 shows
 * them). tls_x509_verify is what a client does with the server's
 * Certificate message (and a server with a client's): find a path from the
 * leaf to a trusted root and apply to it the rules a browser applies (RFC
 * 5280 6.1 and the CA/Browser Forum's minimums), the clock passed in so
 * lessons can travel in time; a refusal says which certificate broke which
 * rule, and names the field. Keys are RSA or EC (P-256, P-384); signatures
 * RSA PKCS#1 v1.5, RSA-PSS or ECDSA, each checked with the issuer's key of
 * the matching type. The path checks live in x509_path.c. */
#ifndef TLS_X509_H
#define TLS_X509_H

#include <stddef.h>
#include <stdint.h>

#include <tomcrypt.h>

#include "tls/bytes.h"

/* Bounds that no real certificate nears, so that a hostile one cannot make
 * the name checks slow: subjectAltName entries (dNSName and iPAddress; the
 * largest public certificates list a few hundred) and nameConstraints
 * subtrees of each kind. A certificate over them is refused as bad. */
#define TLS_X509_MAX_NAMES 4096
#define TLS_X509_MAX_SUBTREES 256
/* Certificates larger than this are refused (real ones are a few KiB). */
#define TLS_X509_MAX_DER 65536

/* One nameConstraints subtree (RFC 5280 4.2.1.10) of a form tlsstep
 * enforces: a dNSName ("example.com" covers it and every name under it) or
 * an iPAddress range (address and mask, 4 or 16 bytes each). Other forms
 * (directoryName, rfc822Name, URI) constrain names a TLS client never
 * checks and are kept only as a count. */
typedef struct {
	int is_ip;
	char dns[256];
	uint8_t ip[16], mask[16];
	uint8_t ip_len;
} tls_x509_subtree;

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
	/* subjectAltName: every dNSName and iPAddress (4 or 16 bytes), as many
	 * as the certificate holds, in arrays owned by the certificate. */
	char (*dns)[256];
	size_t n_dns;
	uint8_t (*ip)[16];
	uint8_t *ip_len;
	size_t n_ip;
	rsa_key key;
	int has_key; /* RSA public key from SubjectPublicKeyInfo */
	unsigned key_bits;
	/* Added to the agreed API (existing callers are unaffected): */
	char unknown_critical[64];   /* OID of a critical extension tlsstep does not understand, or "" */
	/* EC keys and ECDSA signatures. has_key is set for either key type;
	 * key_type says which of key / ec_key holds it. */
	int key_type;               /* TLS_X509_KEY_RSA or TLS_X509_KEY_EC (0 = none) */
	ecc_key ec_key;             /* public point, checked to be on the curve */
	const void *ec_curve;       /* the tls_ec_curve (ecdsa.h) of ec_key */
	uint16_t ec_named_curve;    /* its TLS NamedCurve code: 23 P-256, 24 P-384 */
	int sig_kind;               /* TLS_X509_SIG_RSA, _ECDSA or _PSS (0 = unsupported) */
	unsigned long sig_salt;     /* RSA-PSS: the salt length the parameters name */
	int sig_weak;               /* signed with SHA-1 or MD5, which browsers refuse */
	char sig_name[32];          /* e.g. "sha1WithRSAEncryption" */
	int has_path_len;
	unsigned path_len;          /* basicConstraints pathLenConstraint: CAs allowed below */
	int has_eku;
	unsigned eku;               /* TLS_X509_EKU_* bits of the purposes listed */
	int has_name_constraints;
	tls_x509_subtree *permitted, *excluded; /* nameConstraints, owned */
	size_t n_permitted, n_excluded;
} tls_x509;

enum { TLS_X509_KEY_RSA = 1, TLS_X509_KEY_EC = 2 };
enum { TLS_X509_SIG_RSA = 1, TLS_X509_SIG_ECDSA = 2, TLS_X509_SIG_PSS = 3 };
enum { TLS_X509_EKU_SERVER = 1, TLS_X509_EKU_CLIENT = 2, TLS_X509_EKU_ANY = 4 };
/* keyUsage bits (RFC 5280 4.2.1.3) */
#define TLS_X509_KU_DIGITAL_SIGNATURE (1u << 0)
#define TLS_X509_KU_KEY_ENCIPHERMENT (1u << 2)
#define TLS_X509_KU_KEY_CERT_SIGN (1u << 5)
/* The CA/Browser Forum's Baseline Requirements: no smaller RSA key. */
#define TLS_X509_MIN_RSA_BITS 2048

/* Parses one DER certificate. spans may be NULL; if not, records a span for
 * each field the learner should see, paths prefixed with `prefix` (e.g.
 * "certificate[0]"), offsets = base + offset within der.
 * Returns 0, TLS_FAIL(TLS_ALERT_BAD_CERTIFICATE) for malformed DER or an
 * unsupported structure or an EC point off its curve,
 * TLS_FAIL(TLS_ALERT_UNSUPPORTED_CERTIFICATE) for a key that is neither RSA
 * nor EC on P-256/P-384, an EC point not in uncompressed form, or an RSA key
 * with e=1, even e, or a modulus under 1024 (or over 8192) bits (keys of
 * 1024 to 2047 bits parse, so the verifier can say why it refuses them). On failure *out is left zeroed (tls_x509_free is harmless)
 * and the spans recorded so far stay, showing how far the parse got. */
TLS_MUST_USE int tls_x509_parse(const uint8_t *der, size_t len, tls_x509 *out, tls_spans *spans, size_t base,
                                const char *prefix);
void tls_x509_free(tls_x509 *c);

/* What the verifier is asked to check beyond the path itself. */
enum { TLS_X509_PURPOSE_ANY = 0, TLS_X509_PURPOSE_SERVER, TLS_X509_PURPOSE_CLIENT };
typedef struct {
	int64_t now;
	const char *host;        /* the leaf must name it (NULL: no name check) */
	int purpose;             /* extendedKeyUsage the whole path must allow */
	unsigned leaf_key_usage; /* keyUsage bits the key exchange needs of the leaf (0: none) */
} tls_x509_policy;

/* Why a path was refused: one sentence naming the certificate and the rule,
 * and the span path of the field that decided it ("certificate[1].extensions.
 * nameConstraints", as tls_x509_parse names it with prefix "certificate[i]",
 * i the certificate's place in what the peer sent), or "" when that field
 * was not sent (it is in a trusted root) or there is none. */
typedef struct {
	char why[300];
	char field[96];
} tls_x509_verdict;

/* chain[0] is the leaf, the rest are what the peer sent (any order, extras
 * allowed); anchors are trusted roots. RFC 5280 6.1 path validation for what
 * the web PKI uses: each link's signature (RSA PKCS#1 v1.5, RSA-PSS, ECDSA)
 * and issuer name; every certificate valid at `now`; issuers are CAs
 * (basicConstraints) with keyCertSign when keyUsage is present; no CA has
 * more CAs below it than its pathLenConstraint allows; the names of every
 * certificate below a CA with nameConstraints (dNSName, iPAddress; permitted
 * and excluded) fit them; extendedKeyUsage, where present, allows the
 * purpose on every certificate; no unknown critical extension; the CA/Browser
 * Forum minimums (RSA keys of at least 2048 bits anywhere on the path, no
 * SHA-1 or MD5 signature below the anchor); the leaf's keyUsage, where
 * present, holds pol->leaf_key_usage; and, if pol->host, the leaf's
 * subjectAltName names it (no CN fallback). The anchors' own signatures are
 * not checked (they are trusted as they are); their constraints are applied,
 * as OpenSSL does. A leaf that is byte-for-byte an anchor needs only to be
 * valid now and to name the host.
 * Returns 0, or TLS_FAIL(TLS_ALERT_UNKNOWN_CA) (no path to an anchor),
 * TLS_FAIL(TLS_ALERT_CERTIFICATE_EXPIRED) (outside validity),
 * TLS_FAIL(TLS_ALERT_UNSUPPORTED_CERTIFICATE) (the leaf's key may not be used
 * for this key exchange, or its extendedKeyUsage excludes the purpose),
 * TLS_FAIL(TLS_ALERT_BAD_CERTIFICATE) (any other rule), filling *v (may be
 * NULL). */
TLS_MUST_USE int tls_x509_verify(const tls_x509 *chain, size_t n, const tls_x509 *anchors, size_t n_anchors,
                                 const tls_x509_policy *pol, tls_x509_verdict *v);

/* tls_x509_verify for any purpose and no key exchange, with only the
 * sentence (why may be NULL). */
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
