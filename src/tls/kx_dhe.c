/* Finite-field DHE key exchange (RFC 5246 7.4.3) with the ffdhe2048 group
 * of RFC 7919. The server sends p, g and its public value g^y mod p, signed;
 * the client answers with g^x mod p; both compute g^xy mod p, which, with
 * its leading zero bytes stripped, is the premaster secret. A client must
 * not accept any group the server sends: a short p can be broken (Logjam),
 * and values 0, 1 or p-1 force a known shared secret. */
#include "tls/kx.h"

#include <string.h>

static const char ffdhe2048_p[] =
	"FFFFFFFFFFFFFFFFADF85458A2BB4A9AAFDC5620273D3CF1D8B9C583CE2D3695A9E13641146433FBCC939DCE249B3EF9"
	"7D2FE363630C75D8F681B202AEC4617AD3DF1ED5D5FD65612433F51F5F066ED0856365553DED1AF3B557135E7F57C935"
	"984F0C70E0E68B77E2A689DAF3EFE8721DF158A136ADE73530ACCA4F483A797ABC0AB182B324FB61D108A94BB2C8E3FB"
	"B96ADAB760D7F4681D4F42A3DE394DF4AE56EDE76372BB190B07A7C8EE0A6D709E02FCE1CDF7E2ECC03404CD28342F61"
	"9172FE9CE98583FF8E4F1232EEF28183C3FE3B1B4C6FAD733BB5FCBC2EC22005C58EF1837D1683B2C6F34A26C1B2EFFA"
	"886B423861285C97FFFFFFFFFFFFFFFF";
static const uint8_t ffdhe2048_g[] = {2};

#define MIN_P_BITS 2048
#define MAX_P_BITS 8192
#define FFDHE2048 256 /* NamedGroup code, shown in the knowledge */

static int hexval(char h)
{
	return h <= '9' ? h - '0' : h - 'A' + 10;
}

static void group_p(uint8_t p[256])
{
	tls_ffdhe2048_p(p);
}

void tls_ffdhe2048_p(uint8_t p[256])
{
	for (size_t i = 0; i < 256; i++)
		p[i] = (uint8_t)(hexval(ffdhe2048_p[2 * i]) << 4 | hexval(ffdhe2048_p[2 * i + 1]));
}

/* 1 when 1 < v < p - 1, the only values that do not fix the shared secret. */
static int in_range(void *v, void *p)
{
	void *pm1;
	if (ltc_init_multi(&pm1, NULL) != CRYPT_OK)
		return 0;
	int ok = ltc_mp.subi(p, 1, pm1) == CRYPT_OK && ltc_mp.compare_d(v, 1) == LTC_MP_GT &&
		 ltc_mp.compare(v, pm1) == LTC_MP_LT;
	ltc_deinit_multi(pm1, NULL);
	return ok;
}

static int check_params(tls_conn *c, const tls_ske *m)
{
	void *p, *g, *y;
	if (ltc_init_multi(&p, &g, &y, NULL) != CRYPT_OK)
		return tls_fail(c, TLS_ERR_INTERNAL, "out of memory");
	int rc = 0;
	ltc_mp.unsigned_read(p, (unsigned char *)m->dh_p, (unsigned long)m->dh_p_len);
	ltc_mp.unsigned_read(g, (unsigned char *)m->dh_g, (unsigned long)m->dh_g_len);
	ltc_mp.unsigned_read(y, (unsigned char *)m->dh_ys, (unsigned long)m->dh_ys_len);
	int bits = ltc_mp.count_bits(p);
	if (bits < MIN_P_BITS)
		rc = tls_fail(c, TLS_FAIL(TLS_ALERT_INSUFFICIENT_SECURITY),
			      "the server's DH prime has %d bits; at least %d are needed (Logjam)", bits, MIN_P_BITS);
	else if (bits > MAX_P_BITS || m->dh_p[m->dh_p_len - 1] % 2 == 0)
		rc = tls_fail(c, TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER),
			      "the server's DH modulus is not a usable prime (%d bits, %s)", bits,
			      m->dh_p[m->dh_p_len - 1] % 2 ? "too long" : "even");
	else if (!in_range(g, p))
		rc = tls_fail(c, TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER),
			      "the server's DH generator g is 0, 1, p-1 or not below p");
	else if (!in_range(y, p))
		rc = tls_fail(c, TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER),
			      "the server's DH public value Ys is 0, 1, p-1 or not below p");
	ltc_deinit_multi(p, g, y, NULL);
	return rc;
}

/* Our key pair in group (p, g); the public value into pub. */
static int make_key(tls_conn *c, const uint8_t *p, size_t pl, const uint8_t *g, size_t gl, uint8_t *pub,
		    unsigned long *n)
{
	if (dh_set_pg(p, (unsigned long)pl, g, (unsigned long)gl, &c->kx.dh) != CRYPT_OK)
		return tls_fail(c, TLS_ERR_INTERNAL, "could not load the DH group");
	c->kx.has_dh = 1;
	if (dh_generate_key(&c->cfg.rng->state, c->cfg.rng->idx, &c->kx.dh) != CRYPT_OK ||
	    dh_export_key(pub, n, PK_PUBLIC, &c->kx.dh) != CRYPT_OK)
		return tls_fail(c, TLS_ERR_INTERNAL, "could not make an ephemeral DH key");
	return 0;
}

/* Loads the peer's public value (libtomcrypt checks 1 < y < p-1 again) and
 * computes the premaster. */
static int agree(tls_conn *c, const uint8_t *p, size_t pl, const uint8_t *g, size_t gl, const uint8_t *y,
		 size_t yl, const char *who)
{
	uint8_t z[MAX_P_BITS / 8];
	unsigned long n = sizeof z;
	if (dh_set_pg(p, (unsigned long)pl, g, (unsigned long)gl, &c->kx.dh_peer) != CRYPT_OK)
		return tls_fail(c, TLS_ERR_INTERNAL, "could not load the DH group");
	c->kx.has_dh_peer = 1;
	if (dh_set_key(y, (unsigned long)yl, PK_PUBLIC, &c->kx.dh_peer) != CRYPT_OK)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER), "the %s's DH public value is invalid", who);
	/* Leading zero bytes stripped, as RFC 5246 8.1.2 wants. */
	if (dh_shared_secret(&c->kx.dh, &c->kx.dh_peer, z, &n) != CRYPT_OK)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER), "DH with the %s's value failed", who);
	tls_kx_set_premaster(c, z, n);
	zeromem(z, sizeof z);
	return 0;
}

static int server_params(tls_conn *c, tls_buf *params)
{
	uint8_t p[256], y[256];
	unsigned long n = sizeof y;
	group_p(p);
	c->k.named_group = FFDHE2048;
	int rc = make_key(c, p, sizeof p, ffdhe2048_g, 1, y, &n);
	if (!rc && tls_dhe_params_encode(params, p, sizeof p, ffdhe2048_g, 1, y, n))
		rc = tls_fail(c, TLS_ERR_INTERNAL, "out of memory");
	return rc;
}

static int client_params(tls_conn *c, const tls_ske *m)
{
	int rc = check_params(c, m);
	if (rc)
		return rc;
	uint8_t p[256];
	group_p(p);
	c->k.named_group = m->dh_p_len == 256 && !memcmp(p, m->dh_p, 256) ? FFDHE2048 : 0;
	/* Kept for the ClientKeyExchange: the decoded message does not outlive this call. */
	tls_buf *kept = &c->kx.dh_params;
	kept->len = 0;
	if (tls_buf_u16(kept, (unsigned)m->dh_p_len) || tls_buf_put(kept, m->dh_p, m->dh_p_len) ||
	    tls_buf_u16(kept, (unsigned)m->dh_g_len) || tls_buf_put(kept, m->dh_g, m->dh_g_len) ||
	    tls_buf_u16(kept, (unsigned)m->dh_ys_len) || tls_buf_put(kept, m->dh_ys, m->dh_ys_len))
		return tls_fail(c, TLS_ERR_INTERNAL, "out of memory");
	return 0;
}

static int client_exchange(tls_conn *c, tls_buf *body)
{
	tls_ske m;
	uint8_t y[MAX_P_BITS / 8];
	unsigned long n = sizeof y;
	const uint8_t *q = c->kx.dh_params.p;
	if (c->kx.dh_params.len < 6)
		return tls_fail(c, TLS_ERR_INTERNAL, "no server DH parameters");
	memset(&m, 0, sizeof m);
	m.dh_p_len = (size_t)(q[0] << 8 | q[1]);
	m.dh_p = q + 2;
	m.dh_g_len = (size_t)(m.dh_p[m.dh_p_len] << 8 | m.dh_p[m.dh_p_len + 1]);
	m.dh_g = m.dh_p + m.dh_p_len + 2;
	m.dh_ys_len = (size_t)(m.dh_g[m.dh_g_len] << 8 | m.dh_g[m.dh_g_len + 1]);
	m.dh_ys = m.dh_g + m.dh_g_len + 2;
	int rc = make_key(c, m.dh_p, m.dh_p_len, m.dh_g, m.dh_g_len, y, &n);
	if (!rc)
		rc = agree(c, m.dh_p, m.dh_p_len, m.dh_g, m.dh_g_len, m.dh_ys, m.dh_ys_len, "server");
	if (!rc && tls_cke_rsa_encode(body, y, n))
		rc = tls_fail(c, TLS_ERR_INTERNAL, "out of memory");
	return rc;
}

static int server_exchange(tls_conn *c, const uint8_t *body, size_t n)
{
	const uint8_t *y;
	size_t yl;
	uint8_t p[256];
	if (tls_cke_dhe_decode(body, n, &y, &yl, NULL))
		return tls_fail(c, TLS_FAIL(TLS_ALERT_DECODE_ERROR), "malformed ClientKeyExchange");
	group_p(p);
	return agree(c, p, sizeof p, ffdhe2048_g, 1, y, yl, "client");
}

const tls_kx_ops tls_kx_dhe = {TLS_KX_DHE_RSA, tls_kx_always, server_params, client_params, client_exchange,
			       server_exchange};
