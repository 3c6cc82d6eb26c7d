/* One-time libtomcrypt set-up: math provider and descriptor registration.
 *
 * GMP is the math provider (about 2.7x faster than libtommath for RSA-2048
 * private operations). Must run before any RSA call; safe to call often. */
#ifndef TLS_CRYPTO_H
#define TLS_CRYPTO_H

#include "tls/bytes.h" /* TLS_MUST_USE */

TLS_MUST_USE int tls_crypto_init(void);
/* Registered indices, valid after tls_crypto_init. */
int tls_hash_sha1(void);
int tls_hash_sha256(void);
int tls_hash_sha384(void);
int tls_cipher_aes(void);
int tls_prng_chacha(void);

#endif
