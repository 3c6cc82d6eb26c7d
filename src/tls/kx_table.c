/* The key exchange table and what every method shares: the premaster
 * going into the knowledge, and the ephemeral keys being wiped. */
#include "tls/kx.h"

#include <string.h>

const tls_kx_ops *tls_kx_ops_for(const tls_suite *s)
{
	switch (s ? s->kx : TLS_KX_RSA) {
	case TLS_KX_ECDHE_RSA: return &tls_kx_ecdhe;
	case TLS_KX_ECDHE_ECDSA: return &tls_kx_ecdhe_ecdsa;
	case TLS_KX_DHE_RSA: return &tls_kx_dhe;
	default: return &tls_kx_rsa;
	}
}

int tls_kx_always(const tls_conn *c)
{
	(void)c;
	return 1;
}

int tls_kx_check_cert(tls_conn *c)
{
	const tls_x509 *leaf = &c->peer[0];
	int ec = c->k.suite && c->k.suite->kx == TLS_KX_ECDHE_ECDSA;
	int want = ec ? TLS_X509_KEY_EC : TLS_X509_KEY_RSA;
	if (c->n_peer && leaf->has_key && leaf->key_type == want)
		return 0;
	return tls_fail(c, TLS_FAIL(TLS_ALERT_UNSUPPORTED_CERTIFICATE),
			"the server's certificate holds %s key, but %s needs %s key",
			leaf->key_type == TLS_X509_KEY_EC ? "an EC" : leaf->key_type == TLS_X509_KEY_RSA ? "an RSA" : "no",
			c->k.suite ? c->k.suite->name : "the key exchange",
			ec ? "an EC (ECDSA)" : "an RSA");
}

void tls_kx_set_premaster(tls_conn *c, const uint8_t *p, size_t n)
{
	if (n > sizeof c->k.premaster)
		n = sizeof c->k.premaster;
	memcpy(c->k.premaster, p, n);
	c->k.premaster_len = n;
	c->k.has_premaster = 1;
}

/* Overwrites a private number with zeros of its own length before it is
 * freed: the math library's free does not wipe. */
static void wipe_mp(void *a)
{
	uint8_t z[1024] = {0};
	unsigned long n = a ? ltc_mp.unsigned_size(a) : 0;
	if (n && n <= sizeof z)
		ltc_mp.unsigned_read(a, z, n);
}

void tls_kx_free(tls_kx_state *k)
{
	if (k->has_ec) {
		wipe_mp(k->ec.k);
		ecc_free(&k->ec);
	}
	if (k->has_ec_peer)
		ecc_free(&k->ec_peer);
	if (k->has_dh) {
		wipe_mp(k->dh.x);
		dh_free(&k->dh);
	}
	if (k->has_dh_peer)
		dh_free(&k->dh_peer);
	tls_buf_free(&k->dh_params);
	zeromem(k, sizeof *k);
}
