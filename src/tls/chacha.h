/* ChaCha20-Poly1305 records for TLS 1.2 (RFC 7905): an AEAD like GCM but
 * with no explicit nonce on the wire. The nonce is the 12-byte IV from the
 * key block XORed with the 64-bit sequence number; the additional data is
 * the same 13 bytes GCM uses. libtomcrypt's chacha20poly1305_* does the
 * work. */
#ifndef TLS_CHACHA_H
#define TLS_CHACHA_H

#include "tls/bytes.h"

#include <stddef.h>
#include <stdint.h>

#define TLS_CHACHA_KEY 32
#define TLS_CHACHA_IV  12
#define TLS_CHACHA_TAG 16

/* Appends ciphertext and tag for pt under the 13-byte header h. 0 or TLS_ERR_INTERNAL. */
int tls_chacha_seal(const uint8_t key[TLS_CHACHA_KEY], const uint8_t iv[TLS_CHACHA_IV], uint64_t seq,
                    const uint8_t h[13], const uint8_t *pt, size_t n, tls_buf *out);
/* Decrypts ct (ciphertext then tag, n bytes) into out->p, checking the tag
 * in constant time. h is the header for n - 16 bytes of plaintext.
 * 0, 1 when the record is forged or short, or TLS_ERR_INTERNAL. */
int tls_chacha_open(const uint8_t key[TLS_CHACHA_KEY], const uint8_t iv[TLS_CHACHA_IV], uint64_t seq,
                    const uint8_t h[13], const uint8_t *ct, size_t n, tls_buf *out);

/* The same with any additional data: TLS 1.3 authenticates the 5-byte
 * record header (RFC 8446 5.2); its nonce is built the same way (5.3). */
int tls_chacha_seal_aad(const uint8_t key[TLS_CHACHA_KEY], const uint8_t iv[TLS_CHACHA_IV], uint64_t seq,
                        const uint8_t *aad, size_t aad_len, const uint8_t *pt, size_t n, tls_buf *out);
int tls_chacha_open_aad(const uint8_t key[TLS_CHACHA_KEY], const uint8_t iv[TLS_CHACHA_IV], uint64_t seq,
                        const uint8_t *aad, size_t aad_len, const uint8_t *ct, size_t n, tls_buf *out);

#endif
