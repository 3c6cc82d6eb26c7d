/* Codecs of the messages that exist only in some handshakes: the
 * ServerKeyExchange of DHE and ECDHE suites, their ClientKeyExchange, and
 * the CertificateRequest / CertificateVerify pair of mutual authentication.
 * Same rules as msg.c: every length checked, a span per field. */
#include "tls/msg.h"

#include "tls/alert.h"
#include "tls/sig.h"
#include "tls/suites.h"

#include <stdio.h>
#include <string.h>

#define DECODE_ERROR TLS_FAIL(TLS_ALERT_DECODE_ERROR)
#define HDR 4

static const char *curve_name(unsigned id)
{
	const char *c = tls_group_label(id);
	return c ? c : "a curve tlsstep does not know";
}

static const char *point_format(uint8_t first)
{
	switch (first) {
	case 0x04: return "uncompressed point: 04, then x, then y";
	case 0x02:
	case 0x03: return "COMPRESSED point (02/03, then x): not what the client offered";
	case 0x06:
	case 0x07: return "HYBRID point (06/07): not what the client offered";
	case 0x00: return "the point at infinity (00): never a valid public key";
	default: return "not a point encoding";
	}
}

/* ---- ServerKeyExchange --------------------------------------------- */

static int ecdhe_params(tls_rd *r, tls_ske *m)
{
	tls_rd pt;
	char mean[TLS_SPAN_MEANING];
	if (tls_rd_u8(r, &m->curve_type, "server_key_exchange.curve_type", NULL))
		return r->err;
	tls_rd_mean(r, "%s (%u)",
		    m->curve_type == 3 ? "named_curve: the curve is named by a code" : "explicit curve parameters",
		    m->curve_type);
	if (m->curve_type != 3)
		return TLS_FAIL(TLS_ALERT_HANDSHAKE_FAILURE); /* explicit curves: RFC 8422 deprecates them */
	if (r->p + r->pos + 2 <= r->p + r->len)
		snprintf(mean, sizeof mean, "the server's curve: %s (0x%04x)",
			 curve_name((unsigned)((r->p[r->pos] << 8) | r->p[r->pos + 1])),
			 (unsigned)((r->p[r->pos] << 8) | r->p[r->pos + 1]));
	if (tls_rd_u16(r, &m->named_curve, "server_key_exchange.named_curve", mean))
		return r->err;
	if (tls_rd_vec(r, 1, 1, 255, &pt, "server_key_exchange.public", NULL))
		return r->err;
	snprintf(mean, sizeof mean, "the server's ephemeral public key, a point on the curve: %s",
		 point_format(pt.p[0]));
	tls_rd_bytes(&pt, &m->point, pt.len, "server_key_exchange.public", mean);
	m->point_len = pt.len;
	return 0;
}

static int dh_value(tls_rd *r, const char *path, const char *mean, const uint8_t **v, size_t *n)
{
	tls_rd sub;
	if (tls_rd_vec(r, 2, 1, 0xffff, &sub, path, mean))
		return r->err;
	*v = sub.p;
	*n = sub.len;
	return 0;
}

static int dhe_params(tls_rd *r, tls_ske *m)
{
	char mean[TLS_SPAN_MEANING];
	if (tls_rd_left(r) >= 2)
		snprintf(mean, sizeof mean, "dh_p: the prime modulus, %u bits",
			 8u * (unsigned)((r->p[r->pos] << 8) | r->p[r->pos + 1]));
	if (dh_value(r, "server_key_exchange.dh_p", mean, &m->dh_p, &m->dh_p_len) ||
	    dh_value(r, "server_key_exchange.dh_g", "dh_g: the generator", &m->dh_g, &m->dh_g_len) ||
	    dh_value(r, "server_key_exchange.dh_Ys",
		     "dh_Ys: the server's ephemeral public value, g^y mod p (y stays secret)", &m->dh_ys,
		     &m->dh_ys_len))
		return r->err;
	return 0;
}

static int signed_part(tls_rd *r, const char *who, uint16_t *alg, const uint8_t **sig, size_t *n)
{
	unsigned v;
	tls_rd s;
	char path[TLS_SPAN_PATH], mean[TLS_SPAN_MEANING];
	snprintf(path, sizeof path, "%s.signature_algorithm", who);
	if (tls_rd_left(r) >= 2) {
		v = (unsigned)((r->p[r->pos] << 8) | r->p[r->pos + 1]);
		snprintf(mean, sizeof mean, "how it is signed: %s (0x%04x)", tls_sig_name((uint16_t)v), v);
	}
	if (tls_rd_u16(r, &v, path, mean))
		return r->err;
	*alg = (uint16_t)v;
	snprintf(path, sizeof path, "%s.signature", who);
	enum tls_sig_scheme sch = tls_sig_scheme(*alg);
	const char *kind = sch == TLS_SCHEME_ECDSA ? "ECDSA signature (DER: r and s)"
			   : sch == TLS_SCHEME_PSS ? "RSA-PSS signature (randomized, salt as long as the hash)"
						   : "RSA signature";
	snprintf(mean, sizeof mean, "%s over %s", kind,
		 who[0] == 's' ? "client_random + server_random + the parameters: proves the certificate's "
				 "owner chose them"
			       : "every handshake message so far: proves the client holds the private key "
				 "of its certificate");
	if (tls_rd_vec(r, 2, 1, 0xffff, &s, path, mean))
		return r->err;
	*sig = s.p;
	*n = s.len;
	return 0;
}

int tls_ske_decode(const uint8_t *p, size_t n, int ecdhe, tls_ske *m, tls_spans *sp)
{
	tls_rd r;
	memset(m, 0, sizeof *m);
	tls_rd_init(&r, p, n, sp, HDR, NULL);
	int rc = ecdhe ? ecdhe_params(&r, m) : dhe_params(&r, m);
	if (rc)
		return rc == TLS_FAIL(TLS_ALERT_HANDSHAKE_FAILURE) ? rc : DECODE_ERROR;
	m->params = p;
	m->params_len = r.pos;
	if (signed_part(&r, "server_key_exchange", &m->sig_alg, &m->sig, &m->sig_len))
		return DECODE_ERROR;
	return tls_rd_done(&r) ? DECODE_ERROR : 0;
}

int tls_ecdhe_params_encode(tls_buf *out, unsigned curve, const uint8_t *pt, size_t n)
{
	if (n == 0 || n > 255 || tls_buf_u8(out, 3) || tls_buf_u16(out, curve) || tls_buf_u8(out, (unsigned)n))
		return TLS_ERR_INTERNAL;
	return tls_buf_put(out, pt, n);
}

static int u16_vec(tls_buf *out, const uint8_t *v, size_t n)
{
	if (n == 0 || n > 0xffff || tls_buf_u16(out, (unsigned)n))
		return TLS_ERR_INTERNAL;
	return tls_buf_put(out, v, n);
}

int tls_dhe_params_encode(tls_buf *out, const uint8_t *p, size_t pl, const uint8_t *g, size_t gl,
			  const uint8_t *ys, size_t yl)
{
	if (u16_vec(out, p, pl) || u16_vec(out, g, gl) || u16_vec(out, ys, yl))
		return TLS_ERR_INTERNAL;
	return 0;
}

int tls_signed_encode(tls_buf *out, uint16_t alg, const uint8_t *sig, size_t n)
{
	if (tls_buf_u16(out, alg))
		return TLS_ERR_INTERNAL;
	return u16_vec(out, sig, n);
}

/* ---- ClientKeyExchange of DHE and ECDHE ------------------------------ */

int tls_cke_ecdhe_encode(tls_buf *out, const uint8_t *pt, size_t n)
{
	if (n == 0 || n > 255 || tls_buf_u8(out, (unsigned)n))
		return TLS_ERR_INTERNAL;
	return tls_buf_put(out, pt, n);
}

int tls_cke_ecdhe_decode(const uint8_t *p, size_t n, const uint8_t **pt, size_t *len, tls_spans *sp)
{
	return tls_rd_only_vec(p, n, 1, 1, 255, "client_key_exchange.ecdh_Yc",
			       "the client's ephemeral public key, a point on the same curve; with the server's "
			       "it gives the premaster secret (the x-coordinate of the shared point)",
			       pt, len, sp)
		       ? DECODE_ERROR
		       : 0;
}

int tls_cke_dhe_decode(const uint8_t *p, size_t n, const uint8_t **y, size_t *len, tls_spans *sp)
{
	return tls_rd_only_vec(p, n, 2, 1, 0xffff, "client_key_exchange.dh_Yc",
			       "the client's ephemeral public value g^x mod p; the premaster is g^xy mod p", y, len,
			       sp)
		       ? DECODE_ERROR
		       : 0;
}

/* ---- CertificateRequest and CertificateVerify ---------------------- */

int tls_cert_request_encode(tls_buf *out, const tls_cert_request *m)
{
	if (tls_buf_u8(out, (unsigned)m->n_types) || tls_buf_put(out, m->types, m->n_types))
		return TLS_ERR_INTERNAL;
	size_t at = tls_buf_len_begin(out, 2);
	for (size_t i = 0; i < m->n_sig_algs; i++)
		if (tls_buf_u16(out, m->sig_algs[i]))
			return TLS_ERR_INTERNAL;
	if (tls_buf_len_end(out, at, 2))
		return TLS_ERR_INTERNAL;
	at = tls_buf_len_begin(out, 2);
	for (size_t i = 0; i < m->n_cas; i++)
		if (tls_buf_u16(out, (unsigned)m->ca_len[i]) || tls_buf_put(out, m->cas[i], m->ca_len[i]))
			return TLS_ERR_INTERNAL;
	return tls_buf_len_end(out, at, 2);
}

static int cr_types(tls_rd *r, tls_cert_request *m)
{
	tls_rd t;
	char path[TLS_SPAN_PATH];
	if (tls_rd_vec(r, 1, 1, 255, &t, "certificate_request.certificate_types", NULL))
		return r->err;
	for (size_t i = 0; tls_rd_left(&t); i++) {
		unsigned v;
		snprintf(path, sizeof path, "certificate_request.certificate_types[%zu]", i);
		tls_rd_u8(&t, &v, path, NULL);
		tls_rd_mean(&t, "%s (%u)",
			    v == 1 ? "rsa_sign: a certificate with an RSA key" : v == 64 ? "ecdsa_sign" : "another type",
			    v);
		if (m->n_types < sizeof m->types)
			m->types[m->n_types++] = (uint8_t)v;
	}
	return 0;
}

static void cr_sig_alg_meaning(size_t i, unsigned v, char *mean, size_t n)
{
	(void)i;
	snprintf(mean, n, "the client may sign with %s (0x%04x)", tls_sig_name((uint16_t)v), v);
}

static int cr_sig_algs(tls_rd *r, tls_cert_request *m)
{
	tls_u16_list l = {cr_sig_alg_meaning, NULL, m->sig_algs, &m->n_sig_algs,
	                  sizeof m->sig_algs / sizeof m->sig_algs[0]};
	return tls_rd_u16_list(r, "certificate_request.supported_signature_algorithms", &l);
}

int tls_cert_request_decode(const uint8_t *p, size_t n, tls_cert_request *m, tls_spans *sp)
{
	tls_rd r, cas, dn;
	char path[TLS_SPAN_PATH];
	memset(m, 0, sizeof *m);
	tls_rd_init(&r, p, n, sp, HDR, NULL);
	if (cr_types(&r, m) || cr_sig_algs(&r, m))
		return DECODE_ERROR;
	if (tls_rd_vec(&r, 2, 0, 0xffff, &cas, "certificate_request.certificate_authorities", NULL))
		return DECODE_ERROR;
	for (size_t i = 0; tls_rd_left(&cas); i++) {
		snprintf(path, sizeof path, "certificate_request.certificate_authorities[%zu]", i);
		if (tls_rd_vec(&cas, 2, 1, 0xffff, &dn, path,
			       "a CA the server trusts (DER Name): send a certificate issued under it"))
			return DECODE_ERROR;
		if (m->n_cas < 16) {
			m->cas[m->n_cas] = dn.p;
			m->ca_len[m->n_cas++] = dn.len;
		}
	}
	return tls_rd_done(&r);
}

int tls_cert_verify_decode(const uint8_t *p, size_t n, uint16_t *alg, const uint8_t **sig,
			   size_t *len, tls_spans *sp)
{
	tls_rd r;
	tls_rd_init(&r, p, n, sp, HDR, NULL);
	if (signed_part(&r, "certificate_verify", alg, sig, len))
		return DECODE_ERROR;
	return tls_rd_done(&r);
}

/* ---- display --------------------------------------------------------- */

/* A ServerKeyExchange does not say which key exchange it belongs to. Without
 * the suite, an ECDHE one is recognised by its curve_type byte (3, then a
 * named curve); a DHE one starts with the length of p. */
static int describe_ske(const uint8_t *b, size_t len, int kx, tls_spans *sp)
{
	tls_ske m;
	int ecdhe = kx >= 0 ? kx == TLS_KX_ECDHE_RSA || kx == TLS_KX_ECDHE_ECDSA : len >= 3 && b[0] == 3 && b[1] == 0;
	return tls_ske_decode(b, len, ecdhe, &m, sp);
}

static int describe_cke(const uint8_t *b, size_t len, int kx, tls_spans *sp)
{
	const uint8_t *v;
	size_t vl;
	if (kx == TLS_KX_ECDHE_RSA || kx == TLS_KX_ECDHE_ECDSA || (kx < 0 && len >= 1 && (size_t)b[0] + 1 == len))
		return tls_cke_ecdhe_decode(b, len, &v, &vl, sp);
	if (kx == TLS_KX_DHE_RSA)
		return tls_cke_dhe_decode(b, len, &v, &vl, sp);
	if (kx == TLS_KX_RSA)
		return tls_cke_rsa_decode(b, len, &v, &vl, sp);
	int rc = tls_cke_rsa_decode(b, len, &v, &vl, sp);
	if (!rc && sp && sp->n)
		tls_spans_set_meaning(sp, sp->n - 1, "%s",
				      "RSA suites: the premaster secret encrypted to the server's key; DHE "
				      "suites: the client's public value g^x mod p");
	return rc;
}

int tls_hs_describe_kx_body(enum tls_hs_type type, const uint8_t *b, size_t len, int from_server, int kx,
                            tls_spans *sp)
{
	switch (type) {
	case TLS_HS_SERVER_KEY_EXCHANGE: return describe_ske(b, len, kx, sp);
	case TLS_HS_CLIENT_KEY_EXCHANGE: return describe_cke(b, len, kx, sp);
	case TLS_HS_CERTIFICATE_REQUEST: {
		tls_cert_request m;
		return tls_cert_request_decode(b, len, &m, sp);
	}
	case TLS_HS_CERTIFICATE_VERIFY: {
		uint16_t a;
		const uint8_t *s;
		size_t n;
		return tls_cert_verify_decode(b, len, &a, &s, &n, sp);
	}
	default: (void)from_server; return 1; /* not ours */
	}
}
