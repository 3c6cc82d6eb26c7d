/* RSA private-key operations: the server's decryption of the premaster
 * secret and its signatures.
 *
 * The exponentiation splits over the primes (CRT). When the CPU has
 * AVX-512 IFMA and both primes fit its 1038-bit limit (RSA-2048 and
 * smaller), the two halves run together in mont52.c; otherwise, or if
 * the check of the result fails, libtomcrypt's rsa_exptmod does it. The
 * kernel's input is blinded (c * r^e), as libtomcrypt blinds its own. */
#ifndef TLS_RSA_PRIV_H
#define TLS_RSA_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include <tomcrypt.h>

/* How many private operations the kernel answered (the rest went to
 * libtomcrypt): for tests and the bench. */
unsigned long tls_rsa_kernel_uses(void);

/* out = in^d mod n, big-endian, exactly the modulus' length in bytes
 * (*out_len in: room, out: length). in must be below n. 0 or -1. */
int tls_rsa_private(const rsa_key *key, const uint8_t *in, size_t in_len, uint8_t *out, size_t *out_len);

/* An RSA signature of a digest: PKCS#1 v1.5 (DigestInfo for SHA-1, -256,
 * -384 or -512, told apart by the digest's length) or, with pss, RSA-PSS
 * with a salt as long as the hash, drawn from prng. Byte for byte what
 * rsa_sign_hash_ex gives. 0 or -1. */
int tls_rsa_sign(const rsa_key *key, int pss, int hash_idx, const uint8_t *digest, size_t dlen,
		 prng_state *prng, int prng_idx, uint8_t *out, size_t *out_len);

/* Decrypts a PKCS#1 v1.5 block that must hold exactly 48 bytes (a TLS
 * premaster secret). Returns 1 when it does, 0 otherwise, without a
 * branch on anything secret; msg is written either way. */
unsigned tls_rsa_decrypt48(const rsa_key *key, const uint8_t *in, size_t in_len, uint8_t msg[48]);

#endif
