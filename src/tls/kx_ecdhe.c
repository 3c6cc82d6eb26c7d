/* ECDHE key exchange over the NIST curves P-256 and P-384 (RFC 8422).
 *
 * Each side makes a fresh key pair for this handshake only; the premaster
 * is the x-coordinate of d_client * Q_server = d_server * Q_client. The
 * server signs its public point with its certificate's key, which is all
 * the certificate is used for: recording the session and stealing the key
 * later reveals nothing (forward secrecy). A received point is checked here
 * (format, coordinates below p, on the curve) because libtomcrypt's import
 * checks none of it, and an off-curve point can leak the private key. */
#include "tls/kx.h"

#include "tls/crypto.h"

#include <string.h>

typedef struct {
	uint16_t id;          /* NamedCurve code */
	const char *ltc_name; /* ltc_ecc_sets[] name */
	size_t size;          /* bytes per coordinate */
} tls_curve;

/* Server preference order; the client offers the same two. */
static const tls_curve curves[] = {{23, "ECC-256", 32}, {24, "ECC-384", 48}};
#define N_CURVES (sizeof curves / sizeof curves[0])

size_t tls_kx_groups_ext(uint8_t *out, size_t cap)
{
	if (cap < 2 + 2 * N_CURVES)
		return 0;
	out[0] = 0;
	out[1] = (uint8_t)(2 * N_CURVES);
	for (size_t i = 0; i < N_CURVES; i++) {
		out[2 + 2 * i] = (uint8_t)(curves[i].id >> 8);
		out[3 + 2 * i] = (uint8_t)curves[i].id;
	}
	return 2 + 2 * N_CURVES;
}

static const tls_curve *curve_by_id(unsigned id)
{
	for (size_t i = 0; i < N_CURVES; i++)
		if (curves[i].id == id)
			return &curves[i];
	return NULL;
}

/* The domain parameters by name: the set's index is not stable across
 * libtomcrypt builds. */
static const ltc_ecc_set_type *ltc_set(const tls_curve *cv)
{
	for (int i = 0; ltc_ecc_sets[i].size; i++)
		if (!strcmp(ltc_ecc_sets[i].name, cv->ltc_name))
			return &ltc_ecc_sets[i];
	return NULL;
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
		 ltc_mp.sqrmod(Y, p, l) == CRYPT_OK &&                                /* l = y^2 */
		 ltc_mp.sqrmod(X, p, r) == CRYPT_OK && ltc_mp.mulmod(r, X, p, r) == CRYPT_OK && /* r = x^3 */
		 ltc_mp.addmod(X, X, p, t) == CRYPT_OK && ltc_mp.addmod(t, X, p, t) == CRYPT_OK &&
		 ltc_mp.submod(r, t, p, r) == CRYPT_OK && ltc_mp.addmod(r, b, p, r) == CRYPT_OK &&
		 ltc_mp.compare(l, r) == LTC_MP_EQ;
	ltc_deinit_multi(p, b, X, Y, l, r, t, NULL);
	return ok;
}

/* Checks an ECPoint from the peer and imports it into c->kx.ec_peer. */
static int import_point(tls_conn *c, const tls_curve *cv, const uint8_t *pt, size_t n, const char *who)
{
	const ltc_ecc_set_type *dp = ltc_set(cv);
	if (!dp)
		return tls_fail(c, TLS_ERR_INTERNAL, "libtomcrypt lacks the curve %s", cv->ltc_name);
	if (n == 1 && pt[0] == 0)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER),
				"the %s sent the point at infinity as its public key", who);
	if (pt[0] == 2 || pt[0] == 3 || pt[0] == 6 || pt[0] == 7)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER),
				"the %s sent a %s point; only the uncompressed format was offered", who,
				pt[0] < 4 ? "compressed" : "hybrid");
	if (pt[0] != 4 || n != 1 + 2 * cv->size)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER),
				"the %s's public key is not a %zu-byte uncompressed point", who, 1 + 2 * cv->size);
	if (!on_curve(dp, pt + 1, pt + 1 + cv->size, cv->size))
		return tls_fail(c, TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER),
				"the %s's public key is not a point on %s (y^2 != x^3 - 3x + b mod p)", who,
				cv->ltc_name);
	if (ecc_ansi_x963_import_ex(pt, (unsigned long)n, &c->kx.ec_peer, (ltc_ecc_set_type *)dp) != CRYPT_OK)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER), "the %s's point did not import", who);
	c->kx.has_ec_peer = 1;
	return 0;
}

/* A fresh key pair on the curve; its public point into pt. */
static int make_key(tls_conn *c, const tls_curve *cv, uint8_t *pt, unsigned long *n)
{
	const ltc_ecc_set_type *dp = ltc_set(cv);
	if (!dp || ecc_make_key_ex(&c->cfg.rng->state, c->cfg.rng->idx, &c->kx.ec, dp) != CRYPT_OK)
		return tls_fail(c, TLS_ERR_INTERNAL, "could not make an ephemeral key on %s", cv->ltc_name);
	c->kx.has_ec = 1;
	if (ecc_ansi_x963_export(&c->kx.ec, pt, n) != CRYPT_OK)
		return tls_fail(c, TLS_ERR_INTERNAL, "could not export the ephemeral public key");
	return 0;
}

static int shared(tls_conn *c)
{
	uint8_t z[ECC_MAXSIZE];
	unsigned long n = sizeof z;
	/* The shared point's x-coordinate, left-padded to the field size. */
	if (ecc_shared_secret(&c->kx.ec, &c->kx.ec_peer, z, &n) != CRYPT_OK)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER), "ECDH with the peer's point failed");
	tls_kx_set_premaster(c, z, n);
	zeromem(z, sizeof z);
	return 0;
}

static int offered_by_client(const tls_conn *c, uint16_t id)
{
	if (!c->peer_sent_groups)
		return id == 23; /* RFC 8422 5.1.1: no extension, assume P-256 */
	for (size_t i = 0; i < c->n_peer_groups; i++)
		if (c->peer_groups[i] == id)
			return 1;
	return 0;
}

static const tls_curve *server_curve(const tls_conn *c)
{
	for (size_t i = 0; i < N_CURVES; i++)
		if (offered_by_client(c, curves[i].id))
			return &curves[i];
	return NULL;
}

static int can(const tls_conn *c)
{
	return server_curve(c) && (!c->peer_sent_point_formats || c->peer_uncompressed_ok);
}

static int server_params(tls_conn *c, tls_buf *params)
{
	uint8_t pt[1 + 2 * ECC_MAXSIZE];
	unsigned long n = sizeof pt;
	const tls_curve *cv = server_curve(c);
	if (!cv)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_HANDSHAKE_FAILURE), "no curve in common with the client");
	c->kx.curve = cv;
	c->k.named_group = cv->id;
	int rc = make_key(c, cv, pt, &n);
	if (rc)
		return rc;
	return tls_ecdhe_params_encode(params, cv->id, pt, n) ? tls_fail(c, TLS_ERR_INTERNAL, "out of memory") : 0;
}

static int client_params(tls_conn *c, const tls_ske *m)
{
	const tls_curve *cv = curve_by_id(m->named_curve);
	if (!cv)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER),
				"the server chose curve 0x%04x, which the client did not offer", m->named_curve);
	c->kx.curve = cv;
	c->k.named_group = cv->id;
	return import_point(c, cv, m->point, m->point_len, "server");
}

static int client_exchange(tls_conn *c, tls_buf *body)
{
	uint8_t pt[1 + 2 * ECC_MAXSIZE];
	unsigned long n = sizeof pt;
	const tls_curve *cv = c->kx.curve;
	if (!cv || !c->kx.has_ec_peer)
		return tls_fail(c, TLS_ERR_INTERNAL, "no server key to agree with");
	int rc = make_key(c, cv, pt, &n);
	if (!rc)
		rc = shared(c);
	if (!rc && tls_cke_ecdhe_encode(body, pt, n))
		rc = tls_fail(c, TLS_ERR_INTERNAL, "out of memory");
	return rc;
}

static int server_exchange(tls_conn *c, const uint8_t *body, size_t n)
{
	const uint8_t *pt;
	size_t len;
	if (tls_cke_ecdhe_decode(body, n, &pt, &len, NULL))
		return tls_fail(c, TLS_FAIL(TLS_ALERT_DECODE_ERROR), "malformed ClientKeyExchange");
	int rc = import_point(c, c->kx.curve, pt, len, "client");
	return rc ? rc : shared(c);
}

const tls_kx_ops tls_kx_ecdhe = {TLS_KX_ECDHE_RSA, can, server_params, client_params, client_exchange,
				 server_exchange};
