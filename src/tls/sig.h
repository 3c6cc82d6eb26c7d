/* Handshake signatures (RFC 5246 4.7, 7.4.1.4.1): the server signs its
 * ServerKeyExchange parameters, a client with a certificate signs the
 * transcript in CertificateVerify. tlsstep signs and verifies with RSA
 * PKCS#1 v1.5 only; the SignatureAndHashAlgorithm code names the hash. */
#ifndef TLS_SIG_H
#define TLS_SIG_H

#include "tls/rng.h"

#include <stddef.h>
#include <stdint.h>

#include <tomcrypt.h>

#define TLS_SIG_RSA_SHA1 0x0201
#define TLS_SIG_RSA_SHA256 0x0401
#define TLS_SIG_RSA_SHA384 0x0501
#define TLS_SIG_RSA_SHA512 0x0601
#define TLS_SIG_MAX 1024 /* bytes of an RSA-8192 signature */

/* libtomcrypt hash index for an rsa_pkcs1_* code, -1 for anything else. */
int tls_sig_hash(uint16_t alg);
/* Hash of the concatenated parts with the algorithm's hash; 0 or -1. */
int tls_sig_digest(uint16_t alg, const uint8_t *const *parts, const size_t *lens, size_t n,
		   uint8_t out[64], size_t *out_len);
/* PKCS#1 v1.5 signature of a digest; 0 or TLS_ERR_INTERNAL. */
int tls_sig_sign(uint16_t alg, const uint8_t *digest, size_t dlen, const rsa_key *key, tls_rng *rng,
		 uint8_t *out, size_t *out_len);
/* 0 when sig is key's signature of digest, else TLS_FAIL(decrypt_error)
 * (RFC 5246 7.2.2: a signature that cannot be verified). */
int tls_sig_verify(uint16_t alg, const uint8_t *digest, size_t dlen, const uint8_t *sig,
		   size_t sig_len, const rsa_key *key);
const char *tls_sig_name(uint16_t alg);

#endif
