/* X25519 (RFC 7748), the key share TLS 1.3 offers first (RFC 8446 4.2.8.2).
 *
 * libtomcrypt 1.18.2 has no Curve25519, so the scalar multiplication comes
 * from Debian's nettle (libhogweed, curve25519_mul), which clamps the scalar
 * and masks the top bit of the peer's u-coordinate as RFC 7748 5 asks.
 * This wrapper adds what the protocol asks on top: a private key is 32
 * random bytes handed in (the engine draws no randomness itself), and a
 * shared secret of all zeros (the peer sent a point of small order) ends the
 * handshake with illegal_parameter (RFC 8446 7.4.2, RFC 7748 6.1). */
#ifndef TLS_X25519_H
#define TLS_X25519_H

#include <stddef.h>
#include <stdint.h>

#include "tls/bytes.h" /* TLS_MUST_USE */

#define TLS_X25519_LEN 32

/* The public key (the key_exchange of a KeyShareEntry) of the private key
 * priv, which is 32 random bytes used as they are. Returns 0, or
 * TLS_ERR_INTERNAL on NULL arguments. */
TLS_MUST_USE int tls_x25519_keygen(const uint8_t priv[TLS_X25519_LEN], uint8_t pub[TLS_X25519_LEN]);

/* The shared secret of our private key and the peer's public key, whose
 * length peer_len comes off the wire: anything but 32 bytes fails with
 * TLS_FAIL(illegal_parameter), as does an all-zero result (out is then
 * zeroed). */
TLS_MUST_USE int tls_x25519_shared(const uint8_t priv[TLS_X25519_LEN], const uint8_t *peer, size_t peer_len,
                                   uint8_t out[TLS_X25519_LEN]);

#endif
