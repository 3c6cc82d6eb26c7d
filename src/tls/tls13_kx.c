/* TLS 1.3 key shares (RFC 8446 4.2.8): X25519 (nettle, x25519.c),
 * secp256r1 and secp384r1 (libtomcrypt, an uncompressed point checked on
 * import as in kx_ecdhe.c) and ffdhe2048 (libtomcrypt DH over the RFC 7919 group).
 * Private keys come from cfg->rng only. Unlike TLS 1.2, a finite-field
 * public value and shared secret are left-padded to the size of p (4.2.8.1,
 * 7.4.1). */
#include "tls/tls13.h"

#include "tls/ecdsa.h"
#include "tls/kx.h"
#include "tls/x25519.h"

#include <string.h>

static const uint8_t two = 2;

int tls13_group_known(uint16_t g)
{
	return g == TLS13_GROUP_X25519 || tls_ec_curve_by_id(g) || g == TLS13_GROUP_FFDHE2048;
}

static void left_pad(uint8_t *out, size_t want, const uint8_t *in, size_t n)
{
	memset(out, 0, want - n);
	memmove(out + (want - n), in, n);
}

int tls13_share_make(tls_conn *c, uint16_t g, tls_buf *out)
{
	uint8_t pub[1 + 2 * ECC_MAXSIZE > 256 ? 1 + 2 * ECC_MAXSIZE : 256];
	unsigned long n = sizeof pub;
	out->len = 0;
	if (g == TLS13_GROUP_X25519) {
		if (tls_rng_read(c->cfg.rng, c->t13.x25519, 32) || tls_x25519_keygen(c->t13.x25519, pub))
			return tls_fail(c, TLS_ERR_INTERNAL, "could not make an X25519 key");
		c->t13.has_x25519 = 1;
		n = 32;
	} else if (tls_ec_curve_by_id(g)) {
		const tls_ec_curve *cv = tls_ec_curve_by_id(g);
		const ltc_ecc_set_type *dp = tls_ec_set(cv);
		if (c->kx.has_ec) {
			ecc_free(&c->kx.ec);
			c->kx.has_ec = 0;
		}
		if (!dp || ecc_make_key_ex(&c->cfg.rng->state, c->cfg.rng->idx, &c->kx.ec, dp) != CRYPT_OK)
			return tls_fail(c, TLS_ERR_INTERNAL, "could not make a %s key", cv->name);
		c->kx.has_ec = 1;
		if (ecc_ansi_x963_export(&c->kx.ec, pub, &n) != CRYPT_OK)
			return tls_fail(c, TLS_ERR_INTERNAL, "could not export the %s key", cv->name);
	} else if (g == TLS13_GROUP_FFDHE2048) {
		uint8_t p[256], y[256];
		unsigned long yl = sizeof y;
		tls_ffdhe2048_p(p);
		if (c->kx.has_dh) {
			dh_free(&c->kx.dh);
			c->kx.has_dh = 0;
		}
		if (dh_set_pg(p, sizeof p, &two, 1, &c->kx.dh) != CRYPT_OK)
			return tls_fail(c, TLS_ERR_INTERNAL, "could not load ffdhe2048");
		c->kx.has_dh = 1;
		if (dh_generate_key(&c->cfg.rng->state, c->cfg.rng->idx, &c->kx.dh) != CRYPT_OK ||
		    dh_export_key(y, &yl, PK_PUBLIC, &c->kx.dh) != CRYPT_OK || yl > 256)
			return tls_fail(c, TLS_ERR_INTERNAL, "could not make an ffdhe2048 key");
		left_pad(pub, 256, y, yl);
		n = 256;
	} else {
		return tls_fail(c, TLS_ERR_INTERNAL, "no key share for group 0x%04x", g);
	}
	return tls_buf_put(out, pub, n) ? tls_fail(c, TLS_ERR_INTERNAL, "out of memory") : 0;
}

static int agree_ec(tls_conn *c, const tls_ec_curve *cv, const uint8_t *peer, size_t n)
{
	uint8_t z[ECC_MAXSIZE];
	unsigned long zl = sizeof z;
	if (c->kx.has_ec_peer) {
		ecc_free(&c->kx.ec_peer);
		c->kx.has_ec_peer = 0;
	}
	int r = tls_ec_import_point(cv, peer, n, &c->kx.ec_peer);
	if (r)
		return tls_fail(
		    c, r == TLS_EC_INTERNAL ? TLS_ERR_INTERNAL : TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER),
		    "the peer's %s key share is %s", cv->name, tls_ec_reason(r));
	c->kx.has_ec_peer = 1;
	if (!c->kx.has_ec || ecc_shared_secret(&c->kx.ec, &c->kx.ec_peer, z, &zl) != CRYPT_OK)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER),
		                "ECDH with the peer's key share failed");
	tls_kx_set_premaster(c, z, zl);
	zeromem(z, sizeof z);
	return 0;
}

static int agree_ffdhe(tls_conn *c, const uint8_t *peer, size_t n)
{
	uint8_t p[256], z[256], zp[256];
	unsigned long zl = sizeof z;
	if (n != 256) /* 4.2.8.1: left-padded to the size of p */
		return tls_fail(c, TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER),
		                "the peer's ffdhe2048 key share is %zu bytes, not 256", n);
	tls_ffdhe2048_p(p);
	if (c->kx.has_dh_peer) {
		dh_free(&c->kx.dh_peer);
		c->kx.has_dh_peer = 0;
	}
	if (dh_set_pg(p, sizeof p, &two, 1, &c->kx.dh_peer) != CRYPT_OK)
		return tls_fail(c, TLS_ERR_INTERNAL, "could not load ffdhe2048");
	c->kx.has_dh_peer = 1;
	/* libtomcrypt checks 1 < y < p - 1 (RFC 8446 4.2.8.1). */
	if (dh_set_key(peer, (unsigned long)n, PK_PUBLIC, &c->kx.dh_peer) != CRYPT_OK)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER),
		                "the peer's ffdhe2048 value is invalid");
	if (!c->kx.has_dh || dh_shared_secret(&c->kx.dh, &c->kx.dh_peer, z, &zl) != CRYPT_OK || zl > 256)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER), "DH with the peer's value failed");
	left_pad(zp, 256, z, zl); /* 7.4.1: the shared secret keeps its leading zeros */
	tls_kx_set_premaster(c, zp, 256);
	zeromem(z, sizeof z);
	zeromem(zp, sizeof zp);
	return 0;
}

int tls13_share_agree(tls_conn *c, uint16_t g, const uint8_t *peer, size_t n)
{
	c->k.named_group = g;
	if (g == TLS13_GROUP_X25519) {
		uint8_t z[32];
		int rc = c->t13.has_x25519 ? tls_x25519_shared(c->t13.x25519, peer, n, z) : TLS_ERR_INTERNAL;
		if (rc)
			return tls_fail(
			    c, rc,
			    n != 32 ? "the peer's X25519 key share is %zu bytes, not 32"
			            : "X25519 with the peer's key share gives zero (a point of small order)",
			    n);
		tls_kx_set_premaster(c, z, 32);
		tls_wipe(z, sizeof z);
		return 0;
	}
	if (tls_ec_curve_by_id(g))
		return agree_ec(c, tls_ec_curve_by_id(g), peer, n);
	if (g == TLS13_GROUP_FFDHE2048)
		return agree_ffdhe(c, peer, n);
	return tls_fail(c, TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER), "key share for unknown group 0x%04x", g);
}
