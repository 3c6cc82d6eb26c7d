#include "tls/ecdsa.h"

#include "tls/crypto.h"
#include "tls/der.h"

#include <string.h>

/* Preference order: P-256 is what most servers pick and is the cheaper. */
static const tls_ec_curve curves[] = {
	{23, "1.2.840.10045.3.1.7", "secp256r1 (P-256)", "ECC-256", 32},
	{24, "1.3.132.0.34", "secp384r1 (P-384)", "ECC-384", 48},
};
#define N_CURVES (sizeof curves / sizeof curves[0])

const tls_ec_curve *tls_ec_curve_at(size_t i)
{
	return i < N_CURVES ? &curves[i] : NULL;
}

const tls_ec_curve *tls_ec_curve_by_id(unsigned id)
{
	for (size_t i = 0; i < N_CURVES; i++)
		if (curves[i].id == id)
			return &curves[i];
	return NULL;
}

const tls_ec_curve *tls_ec_curve_by_oid(const char *oid)
{
	for (size_t i = 0; oid && i < N_CURVES; i++)
		if (!strcmp(curves[i].oid, oid))
			return &curves[i];
	return NULL;
}

const ltc_ecc_set_type *tls_ec_set(const tls_ec_curve *cv)
{
	if (!cv)
		return NULL;
	for (int i = 0; ltc_ecc_sets[i].size; i++)
		if (!strcmp(ltc_ecc_sets[i].name, cv->ltc_name))
			return &ltc_ecc_sets[i];
	return NULL;
}

const char *tls_ec_reason(int reason)
{
	switch (reason) {
	case TLS_EC_INFINITY: return "the point at infinity";
	case TLS_EC_COMPRESSED: return "a compressed point (only the uncompressed format is supported)";
	case TLS_EC_HYBRID: return "a hybrid point (only the uncompressed format is supported)";
	case TLS_EC_LENGTH: return "not an uncompressed point of the curve's size";
	case TLS_EC_OFF_CURVE: return "not a point on the curve (y^2 != x^3 - 3x + b mod p)";
	default: return "a point that could not be imported";
	}
}

/* y^2 = x^3 - 3x + b (mod p) with 0 <= x, y < p. */
static int on_curve(const ltc_ecc_set_type *dp, const uint8_t *x, const uint8_t *y, size_t n)
{
	void *p, *b, *X, *Y, *l, *r, *t;
	if (ltc_init_multi(&p, &b, &X, &Y, &l, &r, &t, NULL) != CRYPT_OK)
		return 0;
	int ok = ltc_mp.read_radix(p, dp->prime, 16) == CRYPT_OK && ltc_mp.read_radix(b, dp->B, 16) == CRYPT_OK &&
		 ltc_mp.unsigned_read(X, (unsigned char *)x, (unsigned long)n) == CRYPT_OK &&
		 ltc_mp.unsigned_read(Y, (unsigned char *)y, (unsigned long)n) == CRYPT_OK &&
		 ltc_mp.compare(X, p) == LTC_MP_LT && ltc_mp.compare(Y, p) == LTC_MP_LT &&
		 ltc_mp.sqrmod(Y, p, l) == CRYPT_OK &&                                          /* l = y^2 */
		 ltc_mp.sqrmod(X, p, r) == CRYPT_OK && ltc_mp.mulmod(r, X, p, r) == CRYPT_OK && /* r = x^3 */
		 ltc_mp.addmod(X, X, p, t) == CRYPT_OK && ltc_mp.addmod(t, X, p, t) == CRYPT_OK &&
		 ltc_mp.submod(r, t, p, r) == CRYPT_OK && ltc_mp.addmod(r, b, p, r) == CRYPT_OK &&
		 ltc_mp.compare(l, r) == LTC_MP_EQ;
	ltc_deinit_multi(p, b, X, Y, l, r, t, NULL);
	return ok;
}

int tls_ec_import_point(const tls_ec_curve *cv, const uint8_t *pt, size_t n, ecc_key *key)
{
	const ltc_ecc_set_type *dp = tls_ec_set(cv);
	if (!dp || !key || tls_crypto_init())
		return TLS_EC_INTERNAL;
	if (!pt || n == 0)
		return TLS_EC_LENGTH;
	if (n == 1 && pt[0] == 0)
		return TLS_EC_INFINITY;
	if (pt[0] == 2 || pt[0] == 3)
		return TLS_EC_COMPRESSED;
	if (pt[0] == 6 || pt[0] == 7)
		return TLS_EC_HYBRID;
	if (pt[0] != 4 || n != 1 + 2 * cv->size)
		return TLS_EC_LENGTH;
	if (!on_curve(dp, pt + 1, pt + 1 + cv->size, cv->size))
		return TLS_EC_OFF_CURVE;
	if (ecc_ansi_x963_import_ex(pt, (unsigned long)n, key, (ltc_ecc_set_type *)dp) != CRYPT_OK)
		return TLS_EC_INTERNAL;
	return 0;
}

/* One INTEGER of the signature, left-padded to the order's size. */
static int sig_int(tls_der *d, uint8_t *out, size_t size)
{
	tls_der_item it;
	const uint8_t *p;
	size_t n;
	if (tls_der_expect(d, TLS_DER_INTEGER, &it) || tls_der_uint(&it, &p, &n) || n > size)
		return -1;
	memset(out, 0, size - n);
	memcpy(out + size - n, p, n);
	return 0;
}

int tls_ecdsa_verify(const tls_ec_curve *cv, const ecc_key *key, const uint8_t *digest, size_t dlen,
		     const uint8_t *sig, size_t sig_len)
{
	uint8_t rs[2 * ECC_MAXSIZE];
	tls_der top, seq;
	tls_der_item it;
	int stat = 0;
	if (!cv || !key || !digest || !dlen || !sig || !sig_len || 2 * cv->size > sizeof rs || tls_crypto_init())
		return -1;
	tls_der_init(&top, sig, sig_len);
	if (tls_der_expect(&top, TLS_DER_SEQUENCE, &it) || tls_der_done(&top) || tls_der_enter(&top, &it, &seq) ||
	    sig_int(&seq, rs, cv->size) || sig_int(&seq, rs + cv->size, cv->size) || tls_der_done(&seq))
		return -1;
	/* The digest's leftmost bits, as many as the order has; libtomcrypt
	 * 1.18 is not relied on for this. Both orders are whole bytes. */
	if (dlen > cv->size)
		dlen = cv->size;
	/* The rfc7518 form is r || s at fixed width: the DER was read above.
	 * The key is copied because the verifier takes a non-const pointer. */
	ecc_key k = *key;
	int err = ecc_verify_hash_rfc7518(rs, (unsigned long)(2 * cv->size), digest, (unsigned long)dlen, &stat, &k);
	/* CRYPT_OK only says the computation ran (r or s of 0 or >= n gives an
	 * error); stat says whether it matched. */
	return err == CRYPT_OK && stat == 1 ? 0 : -1;
}

int tls_ecdsa_sign(const ecc_key *key, const uint8_t *digest, size_t dlen, tls_rng *rng, uint8_t *sig,
                   size_t *sig_len)
{
	if (!key || key->type != PK_PRIVATE || !key->dp || !digest || !dlen || !rng || !sig || !sig_len ||
	    tls_crypto_init())
		return -1;
	/* libtomcrypt 1.18's ecc_sign_hash writes the DER form and takes the
	 * digest's leftmost bits as FIPS 186-4 6.4 says; both our schemes pair
	 * the curve with a hash of the order's size (RFC 8446 4.2.3), so no
	 * truncation happens. It wants a non-const key but only reads it. */
	unsigned long n = (unsigned long)*sig_len;
	if (ecc_sign_hash(digest, (unsigned long)dlen, sig, &n, &rng->state, rng->idx, (ecc_key *)key) != CRYPT_OK)
		return -1;
	*sig_len = n;
	return 0;
}
