/* SHA-1 and SHA-256 on the x86 SHA extensions (SHA-NI).
 *
 * Hashing is a large share of a replay once the text is cheap: the handshake
 * hash, the PRF's HMACs, every record's MAC. libtomcrypt compresses in
 * portable C; these compress a block in a few dozen instructions. They keep
 * libtomcrypt's hash_state layout, so a state begun with sha256_init or
 * sha1_init carries on here, and their descriptors (libtomcrypt's, with
 * process and done replaced) drop into HMAC and the signature code.
 * tls_crypto_init registers them when the CPU has the extensions; the
 * tls_sha*_process/done calls pick either implementation the same way.
 * Valgrind's CPU has no SHA extensions, so runs under it use libtomcrypt. */
#ifndef TLS_SHA_NI_H
#define TLS_SHA_NI_H

#include <tomcrypt.h>

int tls_sha_ni_available(void);
/* Copies of sha256_desc / sha1_desc that compress with the extensions;
 * only for a CPU where tls_sha_ni_available() says yes. */
const struct ltc_hash_descriptor *tls_sha256_ni_desc(void);
const struct ltc_hash_descriptor *tls_sha1_ni_desc(void);
/* sha256_process / sha256_done (and SHA-1's), on the extensions when the CPU
 * has them. */
int tls_sha256_process(hash_state *h, const unsigned char *in, unsigned long n);
int tls_sha256_done(hash_state *h, unsigned char *out);
int tls_sha1_process(hash_state *h, const unsigned char *in, unsigned long n);
int tls_sha1_done(hash_state *h, unsigned char *out);

#endif
