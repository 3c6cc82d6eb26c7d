/* The TLS pseudo-random functions (RFC 5246 section 5, RFC 2246 section 5).
 *
 * PRF(secret, label, seed) = P_hash(secret, label + seed), where P_hash
 * chains HMAC over the suite's PRF hash (SHA-256, or SHA-384 for the
 * *_SHA384 suites) until enough bytes exist. Every secret of a TLS 1.2
 * connection after the premaster secret (master secret, key block,
 * Finished verify_data) comes out of this one function.
 *
 * TLS 1.0 and 1.1 (RFC 2246 5, RFC 4346 5) hedge their bets on two hashes:
 * the secret is cut in two halves and PRF = P_MD5(S1, label + seed) XOR
 * P_SHA1(S2, label + seed), whatever the cipher suite. */
#ifndef TLS_PRF_H
#define TLS_PRF_H

#include "tls/bytes.h" /* TLS_MUST_USE */

#include <stddef.h>
#include <stdint.h>

/* Fills out[0..out_len) with PRF output. hash_idx is a libtomcrypt hash
 * index (tls_hash_sha256() / tls_hash_sha384()); label is an ASCII string
 * without its NUL. Returns 0, or TLS_ERR_INTERNAL on bad arguments. */
TLS_MUST_USE int tls_prf(int hash_idx, const uint8_t *secret, size_t secret_len, const char *label,
                         const uint8_t *seed, size_t seed_len, uint8_t *out, size_t out_len);

/* The TLS 1.0/1.1 PRF, same arguments without a hash: P_MD5 over the
 * first half of the secret XOR P_SHA1 over the second half. */
TLS_MUST_USE int tls_prf10(const uint8_t *secret, size_t secret_len, const char *label, const uint8_t *seed,
                           size_t seed_len, uint8_t *out, size_t out_len);

#endif
