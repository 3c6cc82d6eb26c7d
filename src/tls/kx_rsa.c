/* RSA key exchange: the client picks the premaster secret and encrypts it
 * to the key in the server's certificate (RFC 5246 7.4.7.1). No forward
 * secrecy: whoever gets the server's private key later reads every
 * recorded session. */
#include "tls/kx.h"

#include "tls/crypto.h"

#include <string.h>

static int client_exchange(tls_conn *c, tls_buf *body)
{
	uint8_t pms[48], enc[1024];
	unsigned long enc_len = sizeof enc;
	/* The premaster starts with the version the client offered, so a
	 * downgrade of the ClientHello is caught (RFC 5246 7.4.7.1). */
	pms[0] = (uint8_t)(c->offered_version >> 8);
	pms[1] = (uint8_t)c->offered_version;
	if (tls_rng_read(c->cfg.rng, pms + 2, 46))
		return tls_fail(c, TLS_ERR_INTERNAL, "no random bytes for the premaster secret");
	tls_kx_set_premaster(c, pms, 48);
	int err = rsa_encrypt_key_ex(pms, 48, enc, &enc_len, NULL, 0, &c->cfg.rng->state, c->cfg.rng->idx,
	                             tls_hash_sha256(), LTC_PKCS_1_V1_5, &c->peer[0].key);
	zeromem(pms, sizeof pms);
	if (err != CRYPT_OK)
		return tls_fail(c, TLS_ERR_INTERNAL, "RSA encryption of the premaster failed");
	return tls_cke_rsa_encode(body, enc, enc_len) ? tls_fail(c, TLS_ERR_INTERNAL, "out of memory") : 0;
}

/* 1 when b is zero, with no branch. */
static unsigned is_zero(uint8_t b)
{
	return (((unsigned)b - 1u) >> 8) & 1u;
}

/* The raw private operation is libtomcrypt's rsa_exptmod (blinded, CRT,
 * GMP). rsa_decrypt_key_ex is not used: its padding check returns early,
 * and where it stops is the oracle Bleichenbacher's attack reads. The
 * block 00 02 PS(k-51 nonzero bytes) 00 M(48) is checked here with masks. */
unsigned tls_kx_rsa_decrypt48(const rsa_key *key, const uint8_t *in, size_t in_len, uint8_t msg[48])
{
	uint8_t em[1024];
	unsigned long k = sizeof em;
	memset(msg, 0, 48);
	/* The ciphertext's length is public: a wrong one is no oracle. */
	if (!key || !in || in_len < 59 || in_len > sizeof em ||
	    in_len != (size_t)rsa_get_size((rsa_key *)key) ||
	    rsa_exptmod(in, (unsigned long)in_len, em, &k, PK_PRIVATE, (rsa_key *)key) != CRYPT_OK ||
	    k != in_len)
		return 0;
	unsigned good = is_zero(em[0]) & is_zero(em[1] ^ 2) & is_zero(em[k - 49]);
	for (size_t i = 2; i < k - 49; i++)
		good &= 1u ^ is_zero(em[i]);
	memcpy(msg, em + k - 48, 48);
	zeromem(em, sizeof em);
	return good;
}

/* RFC 5246 7.4.7.1: whatever the padding or version check says, go on with
 * a premaster secret; a bad one is replaced by random bytes drawn before
 * decryption, chosen with a mask rather than a branch, so the only symptom
 * is a Finished that does not match. */
static int rsa_premaster(tls_conn *c, const uint8_t *enc, size_t enc_len, uint8_t pms[48])
{
	uint8_t fake[48], dec[48];
	if (tls_rng_read(c->cfg.rng, fake, 48))
		return TLS_ERR_INTERNAL; /* never go on with an unset fallback */
	unsigned good = tls_kx_rsa_decrypt48(&c->cfg.key->rsa, enc, enc_len, dec);
	good &= (unsigned)(dec[0] == (uint8_t)(c->offered_version >> 8));
	good &= (unsigned)(dec[1] == (uint8_t)c->offered_version);
	uint8_t mask = (uint8_t)(0u - good);
	for (int i = 0; i < 48; i++)
		pms[i] = (uint8_t)((dec[i] & mask) | (fake[i] & (uint8_t)~mask));
	zeromem(dec, sizeof dec);
	zeromem(fake, sizeof fake);
	return 0;
}

static int server_exchange(tls_conn *c, const uint8_t *body, size_t n)
{
	const uint8_t *enc;
	size_t enc_len;
	uint8_t pms[48];
	if (tls_cke_rsa_decode(body, n, &enc, &enc_len, NULL))
		return tls_fail(c, TLS_FAIL(TLS_ALERT_DECODE_ERROR), "malformed ClientKeyExchange");
	if (rsa_premaster(c, enc, enc_len, pms))
		return tls_fail(c, TLS_ERR_INTERNAL, "the random generator failed");
	tls_kx_set_premaster(c, pms, 48);
	zeromem(pms, sizeof pms);
	return 0;
}

const tls_kx_ops tls_kx_rsa = {TLS_KX_RSA, tls_kx_always, NULL, NULL, client_exchange, server_exchange};
