/* AES-GCM (NIST SP 800-38D) with a 96-bit nonce, as TLS 1.2 uses it
 * (RFC 5288): AES from libtomcrypt, counter mode and GHASH here.
 *
 * libtomcrypt's gcm_init builds 64 KB of multiplication tables per key,
 * which cost more than a whole handshake's encryption (four keys). GHASH
 * here multiplies bit by bit with masks: no table, no branch or lookup on
 * secret data, and fast enough for handshakes and small records. */
#ifndef TLS_GCM_H
#define TLS_GCM_H

#include <stddef.h>
#include <stdint.h>

#include <tomcrypt.h>

typedef struct {
	symmetric_key aes;
	int cipher;       /* libtomcrypt index of AES */
	uint64_t h[2];    /* hash key E(K, 0^128), big-endian halves */
} tls_gcm;

int tls_gcm_init(tls_gcm *g, const uint8_t *key, size_t key_len);
/* Encrypts (enc) or decrypts len bytes of in into out (may be the same)
 * and writes the tag over aad and the ciphertext. Decryption does not
 * check the tag: compare it in constant time. 0 or -1. */
int tls_gcm_run(const tls_gcm *g, const uint8_t nonce[12], const uint8_t *aad, size_t aad_len,
		const uint8_t *in, uint8_t *out, size_t len, uint8_t tag[16], int enc);
void tls_gcm_free(tls_gcm *g);

#endif
