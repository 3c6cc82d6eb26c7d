#include "tls/keys.h"

#include "tls/alert.h"
#include "tls/crypto.h"
#include "tls/msg.h"
#include "tls/prf.h"

#include <string.h>

#include <tomcrypt.h>

/* The two randoms, in the order the label wants: the master secret puts the
 * client first, the key expansion the server first. */
static void join_randoms(uint8_t seed[64], const uint8_t first[32], const uint8_t second[32])
{
	memcpy(seed, first, 32);
	memcpy(seed + 32, second, 32);
}

int tls_version_uses_prf10(uint16_t version)
{
	return version == TLS_VERSION_10 || version == TLS_VERSION_11;
}

int tls_version_prf(uint16_t version, const tls_suite *s, const uint8_t *secret,
		    size_t secret_len, const char *label, const uint8_t *seed, size_t seed_len,
		    uint8_t *out, size_t out_len)
{
	if (tls_version_uses_prf10(version))
		return tls_prf10(secret, secret_len, label, seed, seed_len, out, out_len);
	if (!s)
		return TLS_ERR_INTERNAL;
	return tls_prf(tls_suite_prf_hash(s), secret, secret_len, label, seed, seed_len, out,
		       out_len);
}

size_t tls_handshake_hash_len(uint16_t version, const tls_suite *s)
{
	if (tls_version_uses_prf10(version))
		return 16 + 20; /* MD5 + SHA-1 */
	return s && s->prf == TLS_PRF_SHA384 ? 48 : 32;
}

int tls_derive_master_ver(uint16_t version, const tls_suite *s, const uint8_t *pms,
			  size_t pms_len, const uint8_t client_random[32],
			  const uint8_t server_random[32], uint8_t ms[48])
{
	uint8_t seed[64];

	if (!s || !pms || pms_len == 0 || !client_random || !server_random || !ms ||
	    tls_crypto_init())
		return TLS_ERR_INTERNAL;
	join_randoms(seed, client_random, server_random);
	return tls_version_prf(version, s, pms, pms_len, "master secret", seed, sizeof seed, ms,
			       48);
}

int tls_derive_master(const tls_suite *s, const uint8_t *pms, size_t pms_len,
		      const uint8_t client_random[32], const uint8_t server_random[32],
		      uint8_t ms[48])
{
	return tls_derive_master_ver(TLS_VERSION_12, s, pms, pms_len, client_random,
				     server_random, ms);
}

int tls_derive_master_ems_ver(uint16_t version, const tls_suite *s, const uint8_t *pms,
			      size_t pms_len, const uint8_t *session_hash, size_t hash_len,
			      uint8_t ms[48])
{
	if (!s || !pms || pms_len == 0 || !session_hash || hash_len == 0 || !ms || tls_crypto_init())
		return TLS_ERR_INTERNAL;
	return tls_version_prf(version, s, pms, pms_len, "extended master secret", session_hash,
			       hash_len, ms, 48);
}

int tls_derive_master_ems(const tls_suite *s, const uint8_t *pms, size_t pms_len,
			  const uint8_t *session_hash, size_t hash_len, uint8_t ms[48])
{
	return tls_derive_master_ems_ver(TLS_VERSION_12, s, pms, pms_len, session_hash, hash_len,
					 ms);
}

/* Copies the next n bytes of the key block into dst. */
static const uint8_t *cut(uint8_t *dst, const uint8_t *src, size_t n)
{
	memcpy(dst, src, n);
	return src + n;
}

int tls_derive_keys_ver(uint16_t version, const tls_suite *s, const uint8_t ms[48],
			const uint8_t client_random[32], const uint8_t server_random[32],
			tls_keys *k)
{
	uint8_t seed[64];
	const uint8_t *q;
	int rc;

	if (!k)
		return TLS_ERR_INTERNAL;
	memset(k, 0, sizeof *k);
	if (!s || !ms || !client_random || !server_random || tls_crypto_init() ||
	    s->mac_key_len > sizeof k->client_mac || s->key_len > sizeof k->client_key ||
	    s->fixed_iv_len > sizeof k->client_iv)
		return TLS_ERR_INTERNAL;
	k->mac_len = s->mac_key_len;
	k->key_len = s->key_len;
	k->iv_len = s->fixed_iv_len;
	k->block_len = 2 * (k->mac_len + k->key_len + k->iv_len);
	join_randoms(seed, server_random, client_random);
	rc = tls_version_prf(version, s, ms, 48, "key expansion", seed, sizeof seed, k->block,
			     k->block_len);
	if (rc) {
		tls_keys_wipe(k);
		return rc;
	}
	q = k->block;
	q = cut(k->client_mac, q, k->mac_len);
	q = cut(k->server_mac, q, k->mac_len);
	q = cut(k->client_key, q, k->key_len);
	q = cut(k->server_key, q, k->key_len);
	q = cut(k->client_iv, q, k->iv_len);
	cut(k->server_iv, q, k->iv_len);
	return 0;
}

int tls_derive_keys(const tls_suite *s, const uint8_t ms[48], const uint8_t client_random[32],
		    const uint8_t server_random[32], tls_keys *k)
{
	return tls_derive_keys_ver(TLS_VERSION_12, s, ms, client_random, server_random, k);
}

int tls_verify_data_ver(uint16_t version, const tls_suite *s, const uint8_t ms[48],
			int from_server, const uint8_t *hash, size_t hash_len, uint8_t out[12])
{
	if (!s || !ms || !hash || hash_len == 0 || !out || tls_crypto_init())
		return TLS_ERR_INTERNAL;
	return tls_version_prf(version, s, ms, 48,
			       from_server ? "server finished" : "client finished", hash, hash_len,
			       out, 12);
}

int tls_verify_data(const tls_suite *s, const uint8_t ms[48], int from_server,
		    const uint8_t *hash, size_t hash_len, uint8_t out[12])
{
	return tls_verify_data_ver(TLS_VERSION_12, s, ms, from_server, hash, hash_len, out);
}

void tls_keys_wipe(tls_keys *k)
{
	if (k)
		zeromem(k, sizeof *k);
}
