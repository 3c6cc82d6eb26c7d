/* The TLS 1.2 pseudo-random function (RFC 5246 section 5).
 *
 * PRF(secret, label, seed) = P_hash(secret, label + seed), where P_hash
 * chains HMAC over the suite's PRF hash (SHA-256, or SHA-384 for the
 * *_SHA384 suites) until enough bytes exist. Every secret of a TLS 1.2
 * connection after the premaster secret (master secret, key block,
 * Finished verify_data) comes out of this one function. */
#ifndef TLS_PRF_H
#define TLS_PRF_H

#include <stddef.h>
#include <stdint.h>

/* Fills out[0..out_len) with PRF output. hash_idx is a libtomcrypt hash
 * index (tls_hash_sha256() / tls_hash_sha384()); label is an ASCII string
 * without its NUL. Returns 0, or TLS_ERR_INTERNAL on bad arguments. */
int tls_prf(int hash_idx, const uint8_t *secret, size_t secret_len, const char *label,
	    const uint8_t *seed, size_t seed_len, uint8_t *out, size_t out_len);

#endif
