/* Elliptic curves shared by ECDHE, EC certificates and ECDSA signatures.
 *
 * One table names the two curves tlsstep knows (P-256 and P-384) by their TLS
 * NamedCurve code, their certificate OID and libtomcrypt's set name. A point
 * that comes from outside goes through tls_ec_import_point, which checks
 * what libtomcrypt's import does not: the format byte, the length, that both
 * coordinates are below p and that the point is on the curve (an off-curve
 * point lets a peer probe a private key, or forge a "public key").
 * tls_ecdsa_verify reads the DER ECDSA-Sig-Value itself, strictly, so a
 * signature with trailing bytes or a padded integer never counts. */
#ifndef TLS_ECDSA_H
#define TLS_ECDSA_H

#include "tls/bytes.h" /* TLS_MUST_USE */

#include "tls/rng.h"

#include <stddef.h>
#include <stdint.h>

#include <tomcrypt.h>

typedef struct {
	uint16_t id;          /* TLS NamedCurve: 23 secp256r1, 24 secp384r1 */
	const char *oid;      /* namedCurve in a certificate's SubjectPublicKeyInfo */
	const char *name;     /* "secp256r1 (P-256)" */
	const char *ltc_name; /* ltc_ecc_sets[] name */
	size_t size;          /* bytes per coordinate (and of the group order) */
} tls_ec_curve;

/* Reasons a point is refused (all negative). */
enum {
	TLS_EC_INFINITY = -1,   /* the single byte 00 */
	TLS_EC_COMPRESSED = -2, /* 02/03 */
	TLS_EC_HYBRID = -3,     /* 06/07 */
	TLS_EC_LENGTH = -4,     /* not 04 + x + y of the curve's size */
	TLS_EC_OFF_CURVE = -5,  /* coordinates >= p or y^2 != x^3 - 3x + b */
	TLS_EC_INTERNAL = -6,
};

const tls_ec_curve *tls_ec_curve_by_id(unsigned id);
const tls_ec_curve *tls_ec_curve_by_oid(const char *oid);
const tls_ec_curve *tls_ec_curve_at(size_t i); /* NULL past the end; preference order */
/* libtomcrypt's domain parameters, looked up by name (the index into
 * ltc_ecc_sets differs between builds). */
const ltc_ecc_set_type *tls_ec_set(const tls_ec_curve *cv);
/* Checks an uncompressed point and imports it as a public key. 0 or a
 * TLS_EC_* reason; on failure *key holds nothing to free. */
TLS_MUST_USE int tls_ec_import_point(const tls_ec_curve *cv, const uint8_t *pt, size_t n, ecc_key *key);
/* A short English phrase for a TLS_EC_* reason. */
const char *tls_ec_reason(int reason);

/* 0 when sig (DER SEQUENCE { r INTEGER, s INTEGER }) is key's ECDSA
 * signature of the digest (truncated to the group order's size, FIPS 186-4
 * 6.4), -1 otherwise. */
TLS_MUST_USE int tls_ecdsa_verify(const tls_ec_curve *cv, const ecc_key *key, const uint8_t *digest,
                                  size_t dlen, const uint8_t *sig, size_t sig_len);
/* key's (a private key's) ECDSA signature of the digest as DER SEQUENCE
 * { r, s } (ANSI X9.62, what TLS carries), the per-signature secret k drawn
 * from rng: a seeded rng gives the same signature. *sig_len is the room in
 * sig on entry. 0 or -1. */
TLS_MUST_USE int tls_ecdsa_sign(const ecc_key *key, const uint8_t *digest, size_t dlen, tls_rng *rng,
                                uint8_t *sig, size_t *sig_len);

#endif
