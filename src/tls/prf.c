#include "tls/prf.h"

#include "tls/alert.h"
#include "tls/crypto.h"

#include <string.h>

#include <tomcrypt.h>

#define PRF_MAX_HASH 64 /* SHA-512 is the largest digest libtomcrypt offers */

/* HMAC(secret, a || label || seed) where any part may be empty. */
static int prf_hmac(int hash_idx, const uint8_t *secret, size_t secret_len, const uint8_t *a,
		    size_t a_len, const char *label, const uint8_t *seed, size_t seed_len,
		    uint8_t *out)
{
	/* HMAC pads its key with zeros to the block size, so an empty key and
	 * the one-byte key 00 give the same MAC; libtomcrypt refuses keylen 0. */
	static const uint8_t zero_key[1] = {0};
	hmac_state st;
	unsigned long n = hash_descriptor[hash_idx].hashsize;
	size_t label_len = label ? strlen(label) : 0;
	int err;

	if (secret_len == 0) {
		secret = zero_key;
		secret_len = 1;
	}
	if ((err = hmac_init(&st, hash_idx, secret, (unsigned long)secret_len)) != CRYPT_OK)
		goto cleanup;
	/* hmac_process aborts on a NULL input, so skip the empty parts. */
	if (a_len && (err = hmac_process(&st, a, (unsigned long)a_len)) != CRYPT_OK)
		goto cleanup;
	if (label_len &&
	    (err = hmac_process(&st, (const uint8_t *)label, (unsigned long)label_len)) != CRYPT_OK)
		goto cleanup;
	if (seed_len && (err = hmac_process(&st, seed, (unsigned long)seed_len)) != CRYPT_OK)
		goto cleanup;
	err = hmac_done(&st, out, &n);
cleanup:
	zeromem(&st, sizeof st);
	return err == CRYPT_OK ? 0 : TLS_ERR_INTERNAL;
}

/* P_hash(secret, label + seed) into out[0..out_len); with mix, XORed into
 * what out already holds (the TLS 1.0 PRF combines two of them). */
static int p_hash(int hash_idx, const uint8_t *secret, size_t secret_len, const char *label,
		  const uint8_t *seed, size_t seed_len, uint8_t *out, size_t out_len, int mix)
{
	uint8_t a[PRF_MAX_HASH], block[PRF_MAX_HASH];
	size_t hlen, done = 0;
	int rc = 0;

	if (hash_is_valid(hash_idx) != CRYPT_OK)
		return TLS_ERR_INTERNAL;
	hlen = hash_descriptor[hash_idx].hashsize;
	if (hlen == 0 || hlen > PRF_MAX_HASH)
		return TLS_ERR_INTERNAL;

	/* A(1) = HMAC(secret, label + seed); A(i) = HMAC(secret, A(i-1)). */
	if (out_len)
		rc = prf_hmac(hash_idx, secret, secret_len, NULL, 0, label, seed, seed_len, a);
	while (rc == 0 && done < out_len) {
		/* Each output block is HMAC(secret, A(i) + label + seed). */
		rc = prf_hmac(hash_idx, secret, secret_len, a, hlen, label, seed, seed_len, block);
		if (rc)
			break;
		size_t take = out_len - done < hlen ? out_len - done : hlen;
		for (size_t i = 0; i < take; i++)
			out[done + i] = mix ? (uint8_t)(out[done + i] ^ block[i]) : block[i];
		done += take;
		if (done < out_len)
			rc = prf_hmac(hash_idx, secret, secret_len, a, hlen, NULL, NULL, 0, a);
	}
	zeromem(a, sizeof a);
	zeromem(block, sizeof block);
	return rc;
}

static int prf_args_ok(const uint8_t *secret, size_t secret_len, const char *label,
		       const uint8_t *seed, size_t seed_len, const uint8_t *out, size_t out_len)
{
	return label && (!secret_len || secret) && (!seed_len || seed) && (!out_len || out);
}

int tls_prf(int hash_idx, const uint8_t *secret, size_t secret_len, const char *label,
	    const uint8_t *seed, size_t seed_len, uint8_t *out, size_t out_len)
{
	int rc;

	if (tls_crypto_init() || !prf_args_ok(secret, secret_len, label, seed, seed_len, out, out_len))
		return TLS_ERR_INTERNAL;
	rc = p_hash(hash_idx, secret, secret_len, label, seed, seed_len, out, out_len, 0);
	if (rc && out_len)
		zeromem(out, out_len);
	return rc;
}

int tls_prf10(const uint8_t *secret, size_t secret_len, const char *label, const uint8_t *seed,
	      size_t seed_len, uint8_t *out, size_t out_len)
{
	/* S1 is the first half of the secret, S2 the second; an odd length
	 * shares its middle byte between them (RFC 2246 5). */
	size_t half = (secret_len + 1) / 2;
	int md5, rc;

	if (tls_crypto_init() || !prf_args_ok(secret, secret_len, label, seed, seed_len, out, out_len))
		return TLS_ERR_INTERNAL;
	/* MD5 serves nothing but this PRF, so it is registered here (register_hash
	 * returns the existing slot when called again). */
	if ((md5 = register_hash(&md5_desc)) < 0)
		return TLS_ERR_INTERNAL;
	rc = p_hash(md5, secret, half, label, seed, seed_len, out, out_len, 0);
	if (rc == 0)
		rc = p_hash(tls_hash_sha1(), secret ? secret + (secret_len - half) : NULL, half, label,
			    seed, seed_len, out, out_len, 1);
	if (rc && out_len)
		zeromem(out, out_len);
	return rc;
}
