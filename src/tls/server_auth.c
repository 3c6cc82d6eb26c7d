/* Server signatures and client authentication. The ServerKeyExchange is
 * signed so the client knows the ephemeral key is the certificate owner's;
 * CertificateRequest / Certificate / CertificateVerify let the server know
 * who the client is (mutual authentication, RFC 5246 7.4.4, 7.4.6, 7.4.8). */
#include "tls/server_int.h"

#include "tls/crypto.h"
#include "tls/kx.h"
#include "tls/sig.h"

#include <stdio.h>
#include <string.h>

/* Our preference: PKCS#1 v1.5 first (what every TLS 1.2 client verifies),
 * then RSA-PSS with an rsaEncryption key (RFC 8446 4.2.3 defines the
 * rsa_pss_rsae_* codes for TLS 1.2 too), SHA-1 last. RFC 5246 7.4.1.4.1: a
 * client that sent no list takes SHA-1. 0 when nothing the client offered
 * fits the key. */
uint16_t tls_server_sig_alg(const tls_conn *c)
{
	static const uint16_t pref[] = {TLS_SIG_RSA_SHA256, TLS_SIG_RSA_SHA384, TLS_SIG_RSA_SHA512,
					TLS_SIG_PSS_SHA256, TLS_SIG_PSS_SHA384, TLS_SIG_PSS_SHA512,
					TLS_SIG_RSA_SHA1};
	const tls_privkey *k = c->cfg.key;
	if (k && k->type == TLS_X509_KEY_EC) {
		/* The ECDSA code with the hash that fits the curve, as TLS 1.3
		 * insists and clients offer; without signature_algorithms the
		 * default would be ecdsa_sha1 (RFC 5246 7.4.1.4.1), not signed here. */
		uint16_t alg = k->curve ? tls_sig_ecdsa_for_curve(k->curve->id) : 0;
		for (size_t j = 0; alg && j < c->n_peer_sig_algs; j++)
			if (c->peer_sig_algs[j] == alg)
				return alg;
		return 0;
	}
	if (!c->peer_sent_sig_algs)
		return TLS_SIG_RSA_SHA1;
	for (size_t i = 0; i < sizeof pref / sizeof pref[0]; i++)
		for (size_t j = 0; j < c->n_peer_sig_algs; j++)
			if (c->peer_sig_algs[j] == pref[i])
				return pref[i];
	return 0;
}

int tls_server_send_key_exchange(tls_conn *c)
{
	const tls_kx_ops *kx = tls_kx_ops_for(c->k.suite);
	if (!kx->server_params)
		return 0;
	tls_buf body = {0};
	uint8_t d[64], sig[TLS_SIG_MAX];
	size_t dl, sl = sizeof sig;
	uint16_t alg = tls_server_sig_alg(c);
	int rc;
	if (!alg)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_HANDSHAKE_FAILURE),
				"no signature algorithm the client offered can be made with the server's key");
	TLS_TIMED(c, TLS_PH_KX, rc = kx->server_params(c, &body));
	if (rc)
		goto out;
	const uint8_t *parts[] = {c->k.client_random, c->k.server_random, body.p};
	const size_t lens[] = {32, 32, body.len};
	int bad = tls_sig_digest(alg, parts, lens, 3, d, &dl);
	if (!bad)
		TLS_TIMED(c, TLS_PH_SIG, bad = tls_sig_sign_key(alg, d, dl, c->cfg.key, c->cfg.rng, sig, &sl));
	if (bad || tls_signed_encode(&body, alg, sig, sl) || tls_send_hs(c, TLS_HS_SERVER_KEY_EXCHANGE, &body))
		rc = tls_fail(c, TLS_ERR_INTERNAL, "could not sign the ServerKeyExchange");
	c->k.ske_sig_alg = alg;
out:
	tls_buf_free(&body);
	return rc;
}

int tls_server_send_cert_request(tls_conn *c)
{
	tls_cert_request cr;
	memset(&cr, 0, sizeof cr);
	cr.types[cr.n_types++] = 1; /* rsa_sign */
	cr.sig_algs[cr.n_sig_algs++] = TLS_SIG_RSA_SHA256;
	for (size_t i = 0; i < c->cfg.n_client_anchors && cr.n_cas < 16; i++) {
		const tls_x509 *a = &c->cfg.client_anchors[i];
		cr.cas[cr.n_cas] = a->der + a->subject_off;
		cr.ca_len[cr.n_cas++] = a->subject_len;
	}
	tls_buf body = {0};
	int rc = tls_cert_request_encode(&body, &cr);
	if (!rc)
		rc = tls_send_hs(c, TLS_HS_CERTIFICATE_REQUEST, &body);
	tls_buf_free(&body);
	return rc;
}

int tls_server_on_client_certificate(tls_conn *c, const uint8_t *msg, size_t n)
{
	size_t count = 0;
	int rc = tls_read_peer_chain(c, msg, n, &count);
	if (rc)
		return rc;
	c->st = ST_WAIT_CLIENT_KEY_EXCHANGE;
	return tls_server_client_chain(c, count);
}

int tls_server_client_chain(tls_conn *c, size_t count)
{
	tls_knowledge *k = &c->k;
	int rc;
	k->client_cert_checked = 1;
	if (count == 0) {
		snprintf(k->client_cert_note, sizeof k->client_cert_note, "the client sent no certificate");
		return tls_fail(c, TLS_FAIL(TLS_ALERT_HANDSHAKE_FAILURE),
				"the server requires a client certificate and the client sent none");
	}
	/* No host name: a client certificate names a person or a device. It
	 * must be meant for a TLS client, and its key may sign (CertificateVerify). */
	tls_x509_policy pol = {.now = c->cfg.now,
			       .purpose = TLS_X509_PURPOSE_CLIENT,
			       .leaf_key_usage = TLS_X509_KU_DIGITAL_SIGNATURE};
	tls_x509_verdict v;
	TLS_TIMED(c, TLS_PH_CERT,
		  rc = tls_x509_verify(c->peer, c->n_peer, c->cfg.client_anchors, c->cfg.n_client_anchors, &pol, &v));
	k->client_cert_status = rc;
	if (rc) {
		snprintf(k->client_cert_note, sizeof k->client_cert_note, "rejected: %s", v.why);
		snprintf(k->client_cert_field, sizeof k->client_cert_field, "%s", v.field);
		return tls_fail(c, rc, "client certificate rejected: %s", v.why);
	}
	snprintf(k->client_cert_note, sizeof k->client_cert_note,
		 "trusted: %s, signed by a CA the server trusts and valid now (the signature in "
		 "CertificateVerify proves the client holds its key)",
		 c->peer[0].subject);
	c->client_cert_ok = 1;
	return 0;
}

int tls_server_on_certificate_verify(tls_conn *c, const uint8_t *msg, size_t n)
{
	uint16_t alg;
	const uint8_t *sig;
	size_t sl;
	uint8_t d[32];
	if (tls_cert_verify_decode(msg + 4, n - 4, &alg, &sig, &sl, NULL))
		return tls_fail(c, TLS_FAIL(TLS_ALERT_DECODE_ERROR), "malformed CertificateVerify");
	if (alg != TLS_SIG_RSA_SHA256)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER),
				"the client signed with 0x%04x; the server asked for rsa_pkcs1_sha256", alg);
	/* Every handshake message up to the ClientKeyExchange. */
	hash_state h = c->th256;
	sha256_done(&h, d);
	int bad;
	TLS_TIMED(c, TLS_PH_SIG, bad = tls_sig_verify(alg, d, 32, sig, sl, &c->peer[0]));
	if (bad)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_DECRYPT_ERROR),
				"the CertificateVerify signature does not verify with the client "
				"certificate's key: it was altered, or not made with that key");
	tls_transcript_add(c, msg, n);
	c->st = ST_WAIT_CCS;
	return 0;
}
