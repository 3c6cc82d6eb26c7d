/* From the premaster secret to the session keys (RFC 5246 sections 6.3, 7.4.9, 8.1).
 *
 * Three PRF calls make every secret a TLS 1.2 connection uses: the 48-byte
 * master secret, the key block that is cut into the six write keys, and the
 * 12-byte verify_data carried by each Finished message. The whole key block
 * is kept so the lesson can show where each key was cut from.
 *
 * The same three steps serve TLS 1.0 and 1.1 (RFC 2246 / 4346 sections 5,
 * 6.3, 7.4.9, 8.1) with their own PRF, P_MD5 XOR P_SHA1, and a Finished hash
 * that is MD5(handshake) + SHA1(handshake), 36 bytes. The engine speaks TLS
 * 1.2 only and calls the plain functions; a replay of an older capture calls
 * the _ver ones with the version the ServerHello chose. */
#ifndef TLS_KEYS_H
#define TLS_KEYS_H

#include "tls/bytes.h" /* TLS_MUST_USE */

#include <stddef.h>
#include <stdint.h>

#include "tls/suites.h"

/* Identical redefinitions are harmless should msg.h gain these. */
#define TLS_VERSION_10 0x0301
#define TLS_VERSION_11 0x0302

typedef struct {
	uint8_t client_mac[48], server_mac[48];
	uint8_t client_key[32], server_key[32];
	uint8_t client_iv[16], server_iv[16];
	size_t mac_len, key_len, iv_len; /* from the suite: mac_key_len, key_len, fixed_iv_len */
	uint8_t block[2 * (48 + 32 + 16)];
	size_t block_len; /* the whole key_block, for teaching */
} tls_keys;

/* master_secret = PRF(pms, "master secret", client_random + server_random)[0..47] */
TLS_MUST_USE int tls_derive_master(const tls_suite *s, const uint8_t *pms, size_t pms_len,
                                   const uint8_t client_random[32], const uint8_t server_random[32],
                                   uint8_t ms[48]);
/* RFC 7627: master_secret = PRF(pms, "extended master secret", session_hash)[0..47],
 * session_hash being the PRF hash of every handshake message up to and
 * including ClientKeyExchange: the secret is bound to this handshake. */
TLS_MUST_USE int tls_derive_master_ems(const tls_suite *s, const uint8_t *pms, size_t pms_len,
                                       const uint8_t *session_hash, size_t hash_len, uint8_t ms[48]);
/* key_block = PRF(ms, "key expansion", server_random + client_random), cut in the order
 * client MAC, server MAC, client key, server key, client IV, server IV (RFC 5246 6.3).
 * On failure *k is wiped. */
TLS_MUST_USE int tls_derive_keys(const tls_suite *s, const uint8_t ms[48], const uint8_t client_random[32],
                                 const uint8_t server_random[32], tls_keys *k);
/* verify_data = PRF(ms, from_server ? "server finished" : "client finished", hash)[0..11],
 * hash being the PRF hash of all handshake messages so far. */
TLS_MUST_USE int tls_verify_data(const tls_suite *s, const uint8_t ms[48], int from_server,
                                 const uint8_t *hash, size_t hash_len, uint8_t out[12]);
void tls_keys_wipe(tls_keys *k);

/* 1 for TLS 1.0 and 1.1, whose PRF is the MD5/SHA-1 one. */
int tls_version_uses_prf10(uint16_t version);
/* The PRF of a connection: tls_prf10 for TLS 1.0/1.1, the suite's P_hash
 * otherwise (TLS 1.2; s is only read then). */
TLS_MUST_USE int tls_version_prf(uint16_t version, const tls_suite *s, const uint8_t *secret,
                                 size_t secret_len, const char *label, const uint8_t *seed, size_t seed_len,
                                 uint8_t *out, size_t out_len);
/* Length of the handshake hash that Finished (and the EMS session hash) feed
 * the PRF: 36 (MD5 + SHA-1) for TLS 1.0/1.1, else the suite's PRF hash size. */
size_t tls_handshake_hash_len(uint16_t version, const tls_suite *s);
/* The functions above for a given protocol version (they are these with
 * TLS_VERSION_12). */
TLS_MUST_USE int tls_derive_master_ver(uint16_t version, const tls_suite *s, const uint8_t *pms,
                                       size_t pms_len, const uint8_t client_random[32],
                                       const uint8_t server_random[32], uint8_t ms[48]);
TLS_MUST_USE int tls_derive_master_ems_ver(uint16_t version, const tls_suite *s, const uint8_t *pms,
                                           size_t pms_len, const uint8_t *session_hash, size_t hash_len,
                                           uint8_t ms[48]);
/* TLS 1.0 uses the two IVs at the end of the key block as the first CBC IV
 * of each direction; TLS 1.1 and 1.2 CBC records carry their own, so there
 * they are cut but unused (the key block is cut the same way for all). */
TLS_MUST_USE int tls_derive_keys_ver(uint16_t version, const tls_suite *s, const uint8_t ms[48],
                                     const uint8_t client_random[32], const uint8_t server_random[32],
                                     tls_keys *k);
TLS_MUST_USE int tls_verify_data_ver(uint16_t version, const tls_suite *s, const uint8_t ms[48],
                                     int from_server, const uint8_t *hash, size_t hash_len, uint8_t out[12]);

#endif
