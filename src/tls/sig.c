#include "tls/sig.h"

#include "tls/alert.h"
#include "tls/crypto.h"

int tls_sig_hash(uint16_t alg)
{
	if (tls_crypto_init())
		return -1;
	switch (alg) {
	case TLS_SIG_RSA_SHA1: return tls_hash_sha1();
	case TLS_SIG_RSA_SHA256: return tls_hash_sha256();
	case TLS_SIG_RSA_SHA384: return tls_hash_sha384();
	/* crypto.c registers what record protection needs; SHA-512 only signs. */
	case TLS_SIG_RSA_SHA512: return register_hash(&sha512_desc);
	default: return -1;
	}
}

const char *tls_sig_name(uint16_t alg)
{
	switch (alg) {
	case TLS_SIG_RSA_SHA1: return "rsa_pkcs1_sha1";
	case TLS_SIG_RSA_SHA256: return "rsa_pkcs1_sha256";
	case TLS_SIG_RSA_SHA384: return "rsa_pkcs1_sha384";
	case TLS_SIG_RSA_SHA512: return "rsa_pkcs1_sha512";
	default: return "unsupported";
	}
}

int tls_sig_digest(uint16_t alg, const uint8_t *const *parts, const size_t *lens, size_t n,
		   uint8_t out[64], size_t *out_len)
{
	int h = tls_sig_hash(alg);
	hash_state st;
	if (h < 0 || hash_descriptor[h].init(&st) != CRYPT_OK)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (lens[i] && hash_descriptor[h].process(&st, parts[i], (unsigned long)lens[i]) != CRYPT_OK)
			return -1;
	if (hash_descriptor[h].done(&st, out) != CRYPT_OK)
		return -1;
	*out_len = hash_descriptor[h].hashsize;
	return 0;
}

int tls_sig_sign(uint16_t alg, const uint8_t *digest, size_t dlen, const rsa_key *key, tls_rng *rng,
		 uint8_t *out, size_t *out_len)
{
	int h = tls_sig_hash(alg);
	unsigned long n = (unsigned long)*out_len;
	if (h < 0 || !key || !dlen)
		return TLS_ERR_INTERNAL;
	/* PKCS#1 v1.5 draws no randomness: a seed gives the same signature. */
	if (rsa_sign_hash_ex(digest, (unsigned long)dlen, out, &n, LTC_PKCS_1_V1_5, &rng->state, rng->idx,
			     h, 0, (rsa_key *)key) != CRYPT_OK)
		return TLS_ERR_INTERNAL;
	*out_len = n;
	return 0;
}

int tls_sig_verify(uint16_t alg, const uint8_t *digest, size_t dlen, const uint8_t *sig,
		   size_t sig_len, const rsa_key *key)
{
	int h = tls_sig_hash(alg), stat = 0;
	if (h < 0 || !key || !dlen || !sig_len)
		return TLS_FAIL(TLS_ALERT_DECRYPT_ERROR);
	/* CRYPT_OK alone means "checked", not "valid": stat says which. */
	int err = rsa_verify_hash_ex(sig, (unsigned long)sig_len, digest, (unsigned long)dlen,
				     LTC_PKCS_1_V1_5, h, 0, &stat, (rsa_key *)key);
	return err == CRYPT_OK && stat == 1 ? 0 : TLS_FAIL(TLS_ALERT_DECRYPT_ERROR);
}
