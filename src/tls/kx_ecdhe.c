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
#include "tls/ecdsa.h"
#include "tls/tls13.h"

#include <string.h>


size_t tls_kx_groups_ext(uint8_t *out, size_t cap)
{
	size_t n = 0;
	while (tls_ec_curve_at(n))
		n++;
	if (cap < 2 + 2 * n)
		return 0;
	out[0] = 0;
	out[1] = (uint8_t)(2 * n);
	for (size_t i = 0; i < n; i++) {
		out[2 + 2 * i] = (uint8_t)(tls_ec_curve_at(i)->id >> 8);
		out[3 + 2 * i] = (uint8_t)tls_ec_curve_at(i)->id;
	}
	return 2 + 2 * n;
}

/* Checks an ECPoint from the peer and imports it into c->kx.ec_peer. */
static int import_point(tls_conn *c, const tls_ec_curve *cv, const uint8_t *pt, size_t n, const char *who)
{
	int r = tls_ec_import_point(cv, pt, n, &c->kx.ec_peer);
	if (r == TLS_EC_INTERNAL)
		return tls_fail(c, TLS_ERR_INTERNAL, "libtomcrypt could not take a point on %s", cv->ltc_name);
	if (r)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER), "the %s's public key is %s", who,
				tls_ec_reason(r));
	c->kx.has_ec_peer = 1;
	return 0;
}

/* A fresh key pair on the curve; its public point into pt. */
static int make_key(tls_conn *c, const tls_ec_curve *cv, uint8_t *pt, unsigned long *n)
{
	const ltc_ecc_set_type *dp = tls_ec_set(cv);
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
	/* libtomcrypt writes the x-coordinate left-padded to the field size,
	 * the premaster RFC 8422 5.10 asks for. */
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

static const tls_ec_curve *server_curve(const tls_conn *c)
{
	for (size_t i = 0; tls_ec_curve_at(i); i++)
		if (offered_by_client(c, tls_ec_curve_at(i)->id))
			return tls_ec_curve_at(i);
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
	const tls_ec_curve *cv = server_curve(c);
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
	/* X25519 (RFC 8422 5.1.1) is offered only by a client that offers
	 * TLS 1.3, whose supported_groups a TLS 1.2 server may pick from. */
	if (m->named_curve == TLS13_GROUP_X25519 && c->cfg.max_version >= TLS_VERSION_13) {
		if (m->point_len != 32)
			return tls_fail(c, TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER), "the server's X25519 key is not 32 bytes");
		memcpy(c->t13.x25519_peer, m->point, 32);
		c->t13.has_x25519_peer = 1;
		c->k.named_group = TLS13_GROUP_X25519;
		return 0;
	}
	const tls_ec_curve *cv = tls_ec_curve_by_id(m->named_curve);
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
	const tls_ec_curve *cv = c->kx.curve;
	if (c->t13.has_x25519_peer) {
		tls_buf pub = {0};
		int r = tls13_share_make(c, TLS13_GROUP_X25519, &pub);
		if (!r)
			r = tls13_share_agree(c, TLS13_GROUP_X25519, c->t13.x25519_peer, 32);
		if (!r && tls_cke_ecdhe_encode(body, pub.p, pub.len))
			r = tls_fail(c, TLS_ERR_INTERNAL, "out of memory");
		tls_buf_free(&pub);
		return r;
	}
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

/* The same exchange signed with ECDSA (RFC 8422): the server's choice of
 * suite has checked that its key is EC. */
const tls_kx_ops tls_kx_ecdhe_ecdsa = {TLS_KX_ECDHE_ECDSA, can, server_params, client_params,
				       client_exchange, server_exchange};
