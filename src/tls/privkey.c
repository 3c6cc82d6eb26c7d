#include "tls/privkey.h"

#include "tls/alert.h"
#include "tls/crypto.h"
#include "tls/der.h"
#include "tls/pem.h"

#include <stdio.h>
#include <string.h>

#define DECODE TLS_FAIL(TLS_ALERT_DECODE_ERROR)
#define WRONG_KEY TLS_FAIL(TLS_ALERT_UNSUPPORTED_CERTIFICATE)
#define OID_EC_PUBLIC_KEY "1.2.840.10045.2.1" /* id-ecPublicKey (RFC 5480 2.1.1) */

/* Q = d*G, uncompressed (04 || x || y), with libtomcrypt's point multiply. */
static int public_point(const tls_ec_curve *cv, void *d, uint8_t *q)
{
	const ltc_ecc_set_type *dp = tls_ec_set(cv);
	ecc_point *G = ltc_ecc_new_point(), *R = ltc_ecc_new_point();
	void *prime = NULL;
	int ok = dp && G && R && ltc_mp.init(&prime) == CRYPT_OK;
	ok = ok && ltc_mp.read_radix(prime, dp->prime, 16) == CRYPT_OK &&
	     ltc_mp.read_radix(G->x, dp->Gx, 16) == CRYPT_OK && ltc_mp.read_radix(G->y, dp->Gy, 16) == CRYPT_OK &&
	     ltc_mp.set_int(G->z, 1) == CRYPT_OK && ltc_ecc_mulmod(d, G, R, prime, 1) == CRYPT_OK;
	size_t sz = cv->size;
	ok = ok && ltc_mp.unsigned_size(R->x) <= sz && ltc_mp.unsigned_size(R->y) <= sz;
	if (ok) {
		memset(q, 0, 1 + 2 * sz);
		q[0] = 4;
		ok = ltc_mp.unsigned_write(R->x, q + 1 + sz - ltc_mp.unsigned_size(R->x)) == CRYPT_OK &&
		     ltc_mp.unsigned_write(R->y, q + 1 + 2 * sz - ltc_mp.unsigned_size(R->y)) == CRYPT_OK;
	}
	if (prime)
		ltc_mp.deinit(prime);
	ltc_ecc_del_point(G);
	ltc_ecc_del_point(R);
	return ok ? 0 : -1;
}

/* The key from the scalar: 1 <= d < n, Q = d*G computed (and equal to the
 * file's publicKey when there is one: a mismatched pair would sign with a
 * key the certificate does not hold). */
static int build_key(const tls_ec_curve *cv, const uint8_t *d, size_t dn, const uint8_t *pub, size_t pn,
                     ecc_key *key)
{
	const ltc_ecc_set_type *dp = tls_ec_set(cv);
	uint8_t q[1 + 2 * ECC_MAXSIZE];
	void *k = NULL, *order = NULL;
	if (!dp || dn == 0 || dn > cv->size || ltc_init_multi(&k, &order, NULL) != CRYPT_OK)
		return dp ? WRONG_KEY : TLS_ERR_INTERNAL;
	int rc = WRONG_KEY;
	if (ltc_mp.unsigned_read(k, (unsigned char *)d, (unsigned long)dn) == CRYPT_OK &&
	    ltc_mp.read_radix(order, dp->order, 16) == CRYPT_OK && ltc_mp.compare_d(k, 0) == LTC_MP_GT &&
	    ltc_mp.compare(k, order) == LTC_MP_LT && !public_point(cv, k, q) &&
	    (!pub || (pn == 1 + 2 * cv->size && !memcmp(pub, q, pn))) &&
	    !tls_ec_import_point(cv, q, 1 + 2 * cv->size, key)) {
		/* The import made a public key with k initialised; make it private. */
		if (ltc_mp.copy(k, key->k) == CRYPT_OK) {
			key->type = PK_PRIVATE;
			rc = 0;
		} else {
			ecc_free(key);
		}
	}
	ltc_deinit_multi(k, order, NULL);
	zeromem(q, sizeof q);
	return rc;
}

/* namedCurve OID of ECParameters; any other form (explicit parameters) is refused. */
static int curve_of(const tls_der_item *oid, const tls_ec_curve **cv)
{
	char os[64];
	if (oid->tag != TLS_DER_OID || tls_der_oid_str(oid, os, sizeof os))
		return DECODE;
	*cv = tls_ec_curve_by_oid(os);
	return *cv ? 0 : WRONG_KEY;
}

/* ECPrivateKey ::= SEQUENCE { version 1, privateKey OCTET STRING,
 *   parameters [0] ECParameters OPTIONAL, publicKey [1] BIT STRING OPTIONAL }
 * (RFC 5915 3). Inside PKCS#8 the curve comes from the AlgorithmIdentifier
 * (*cv set) and [0], if present, must agree. */
static int import_sec1(const uint8_t *p, size_t n, ecc_key *key, const tls_ec_curve **cv)
{
	tls_der d, s, sub;
	tls_der_item seq, it, priv, params, pubw, oid;
	uint64_t version;
	const uint8_t *pub = NULL;
	size_t pn = 0;
	unsigned unused;
	tls_der_init(&d, p, n);
	if (tls_der_walk(p, n) || tls_der_expect(&d, TLS_DER_SEQUENCE, &seq) || tls_der_done(&d) ||
	    tls_der_enter(&d, &seq, &s) || tls_der_expect(&s, TLS_DER_INTEGER, &it) ||
	    tls_der_small_uint(&it, &version) || version != 1 || tls_der_expect(&s, TLS_DER_OCTET_STRING, &priv))
		return DECODE;
	int has = tls_der_optional(&s, TLS_DER_CONTEXT_C(0), &params);
	if (has < 0)
		return DECODE;
	if (has) {
		const tls_ec_curve *named = NULL;
		int rc;
		if (tls_der_enter(&s, &params, &sub) || tls_der_read(&sub, &oid) || tls_der_done(&sub))
			return DECODE;
		if ((rc = curve_of(&oid, &named)))
			return rc;
		if (*cv && *cv != named)
			return WRONG_KEY;
		*cv = named;
	}
	has = tls_der_optional(&s, TLS_DER_CONTEXT_C(1), &pubw);
	if (has < 0)
		return DECODE;
	if (has) {
		tls_der_item bits;
		if (tls_der_enter(&s, &pubw, &sub) || tls_der_expect(&sub, TLS_DER_BIT_STRING, &bits) ||
		    tls_der_done(&sub) || tls_der_bits(&bits, &pub, &pn, &unused) || unused)
			return DECODE;
	}
	if (tls_der_done(&s))
		return DECODE;
	if (!*cv)
		return WRONG_KEY; /* no curve named anywhere */
	return build_key(*cv, priv.body, priv.body_len, pub, pn, key);
}

/* PrivateKeyInfo ::= SEQUENCE { version 0 or 1, AlgorithmIdentifier
 * { id-ecPublicKey, namedCurve }, privateKey OCTET STRING (an ECPrivateKey),
 * [0] attributes OPTIONAL, [1] publicKey OPTIONAL }. */
static int import_pkcs8(const uint8_t *p, size_t n, ecc_key *key, const tls_ec_curve **cv)
{
	tls_der d, s, a;
	tls_der_item seq, ver, alg, oid, params, octets, extra;
	uint64_t version;
	char os[64];
	tls_der_init(&d, p, n);
	if (tls_der_walk(p, n) || tls_der_expect(&d, TLS_DER_SEQUENCE, &seq) || tls_der_done(&d) ||
	    tls_der_enter(&d, &seq, &s) || tls_der_expect(&s, TLS_DER_INTEGER, &ver) ||
	    tls_der_small_uint(&ver, &version) || version > 1 || tls_der_expect(&s, TLS_DER_SEQUENCE, &alg) ||
	    tls_der_enter(&s, &alg, &a) || tls_der_expect(&a, TLS_DER_OID, &oid) ||
	    tls_der_oid_str(&oid, os, sizeof os))
		return DECODE;
	if (strcmp(os, OID_EC_PUBLIC_KEY))
		return WRONG_KEY;
	if (tls_der_read(&a, &params) || tls_der_done(&a))
		return DECODE;
	int rc = curve_of(&params, cv);
	if (rc)
		return rc;
	if (tls_der_expect(&s, TLS_DER_OCTET_STRING, &octets) ||
	    tls_der_optional(&s, TLS_DER_CONTEXT_C(0), &extra) < 0 ||
	    tls_der_optional(&s, TLS_DER_CONTEXT(1), &extra) < 0 || tls_der_done(&s))
		return DECODE;
	return import_sec1(octets.body, octets.body_len, key, cv);
}

/* SEC1 starts with INTEGER 1 then an OCTET STRING, PKCS#8 with INTEGER 0
 * (or 1) then a SEQUENCE. */
static int import_der(const uint8_t *p, size_t n, ecc_key *key, const tls_ec_curve **cv)
{
	tls_der d, s;
	tls_der_item seq, ver;
	unsigned next;
	*cv = NULL;
	tls_der_init(&d, p, n);
	if (tls_der_expect(&d, TLS_DER_SEQUENCE, &seq) || tls_der_enter(&d, &seq, &s) ||
	    tls_der_expect(&s, TLS_DER_INTEGER, &ver) || !tls_der_peek(&s, &next))
		return DECODE;
	return next == TLS_DER_SEQUENCE ? import_pkcs8(p, n, key, cv) : import_sec1(p, n, key, cv);
}

/* A PEM "-----BEGIN " anywhere (DER may hold NUL bytes: no strstr). */
static int looks_pem(const uint8_t *p, size_t n)
{
	static const char mark[] = "-----BEGIN ";
	for (size_t i = 0; i + sizeof mark - 1 <= n; i++)
		if (!memcmp(p + i, mark, sizeof mark - 1))
			return 1;
	return 0;
}

int tls_ec_private_import(const uint8_t *data, size_t len, ecc_key *key, const tls_ec_curve **cv)
{
	if (!data || len == 0 || !key || !cv)
		return DECODE;
	if (tls_crypto_init())
		return TLS_ERR_INTERNAL;
	if (!looks_pem(data, len))
		return import_der(data, len, key, cv);
	/* openssl ecparam -genkey writes an "EC PARAMETERS" block first: skip it. */
	tls_buf der = {0};
	char label[80];
	size_t pos = 0;
	int r;
	while ((r = tls_pem_next((const char *)data, len, &pos, NULL, &der, label, sizeof label)) == 1)
		if (!strcmp(label, "EC PRIVATE KEY") || !strcmp(label, "PRIVATE KEY"))
			break;
	if (r == 1)
		r = import_der(der.p, der.len, key, cv);
	else if (r == 0)
		r = DECODE;
	tls_buf_free(&der); /* holds the private scalar */
	return r;
}

int tls_privkey_import(const uint8_t *data, size_t len, tls_privkey *k)
{
	if (!k)
		return DECODE;
	memset(k, 0, sizeof *k);
	int rsa = tls_rsa_private_import(data, len, &k->rsa);
	if (rsa == 0) {
		k->type = TLS_X509_KEY_RSA;
		return 0;
	}
	int ec = tls_ec_private_import(data, len, &k->ec, &k->curve);
	if (ec == 0) {
		k->type = TLS_X509_KEY_EC;
		return 0;
	}
	k->curve = NULL;
	/* "a key, but not one we can use" beats "not a key". */
	return rsa == WRONG_KEY || ec == WRONG_KEY ? WRONG_KEY : ec;
}

void tls_privkey_free(tls_privkey *k)
{
	if (!k)
		return;
	if (k->type == TLS_X509_KEY_RSA)
		rsa_free(&k->rsa);
	else if (k->type == TLS_X509_KEY_EC)
		ecc_free(&k->ec);
	memset(k, 0, sizeof *k);
}

void tls_privkey_describe(const tls_privkey *k, char *out, size_t n)
{
	if (k && k->type == TLS_X509_KEY_RSA)
		snprintf(out, n, "RSA %d bits", ltc_mp.count_bits(k->rsa.N));
	else if (k && k->type == TLS_X509_KEY_EC && k->curve)
		snprintf(out, n, "EC %s", k->curve->name);
	else
		snprintf(out, n, "no key");
}

int tls_privkey_matches(const tls_privkey *k, const tls_x509 *leaf)
{
	if (!k || !leaf || !leaf->has_key || k->type != leaf->key_type)
		return 0;
	if (k->type == TLS_X509_KEY_RSA)
		return ltc_mp.compare(k->rsa.N, leaf->key.N) == LTC_MP_EQ &&
		       ltc_mp.compare(k->rsa.e, leaf->key.e) == LTC_MP_EQ;
	return k->curve && k->curve == leaf->ec_curve &&
	       ltc_mp.compare(k->ec.pubkey.x, leaf->ec_key.pubkey.x) == LTC_MP_EQ &&
	       ltc_mp.compare(k->ec.pubkey.y, leaf->ec_key.pubkey.y) == LTC_MP_EQ;
}
