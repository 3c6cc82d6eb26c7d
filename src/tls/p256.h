/* Scalar multiplication on NIST P-256 (secp256r1), for ECDHE.
 *
 * libtomcrypt 1.18 multiplies with a generic Montgomery ladder over GMP
 * integers, about 0.7 ms per multiplication here; an ECDHE handshake needs
 * four. This file does the same arithmetic with 4 x 64-bit limbs in
 * Montgomery form, Jacobian coordinates and a fixed 4-bit window, about ten
 * times faster. Key generation, encoding and point checks stay with
 * libtomcrypt and tls/ecdsa.c; only the multiplication moves here.
 *
 * Timing: tables are read in full for every lookup and the field
 * arithmetic has no branch on values. The base-point path does the same
 * work for every scalar. The window loop for other points branches in its
 * point addition on the point at infinity, which with a secret scalar
 * happens while the scalar's leading 4-bit digits are zero (for the
 * one-use ECDHE keys here that tells a few top bits of a key used once),
 * and on equal inputs, which a valid point and a scalar below the group
 * order never give. */
#ifndef TLS_P256_H
#define TLS_P256_H

#include <stdint.h>

/* q = k * P, coordinates big-endian. P is (px, py), which the caller has
 * checked to be on the curve, or the base point when px is NULL. qy may
 * be NULL. Returns 0, or -1 when a coordinate is not below p or the
 * result is the point at infinity (k a multiple of the group order). */
int tls_p256_mul(const uint8_t k[32], const uint8_t *px, const uint8_t *py, uint8_t qx[32], uint8_t *qy);

#endif
