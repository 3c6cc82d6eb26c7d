/* The client's state machine: ClientHello out; ServerHello, Certificate,
 * ServerHelloDone in; ClientKeyExchange, ChangeCipherSpec, Finished out;
 * ChangeCipherSpec, Finished in. */
#include "tls/conn_int.h"

#include "tls/crypto.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

static const uint8_t sig_algs_ext[] = {
	0x00, 0x08, 0x04, 0x01, 0x05, 0x01, 0x06, 0x01, 0x02, 0x01,
};
static const uint8_t empty_reneg[] = {0x00};

static int is_ip_literal(const char *s)
{
	uint8_t buf[16];
	return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

static size_t sni_ext(const char *host, uint8_t *out, size_t cap)
{
	size_t n = strlen(host);
	if (n == 0 || n > 255 || n + 5 > cap || is_ip_literal(host))
		return 0; /* RFC 6066: no SNI for IP literals */
	out[0] = (uint8_t)((n + 3) >> 8);
	out[1] = (uint8_t)(n + 3);
	out[2] = 0; /* host_name */
	out[3] = (uint8_t)(n >> 8);
	out[4] = (uint8_t)n;
	memcpy(out + 5, host, n);
	return n + 5;
}

int tls_client_start(tls_conn *c)
{
	tls_client_hello ch;
	uint8_t sni[300];
	memset(&ch, 0, sizeof ch);
	ch.version = TLS_VERSION_12;
	c->offered_version = TLS_VERSION_12;
	tls_gmt_random(c, ch.random);
	memcpy(c->k.client_random, ch.random, 32);
	c->k.has_client_random = 1;
	for (size_t i = 0; i < c->cfg.n_suites && i < TLS_MAX_SUITES; i++)
		ch.suites[ch.n_suites++] = c->cfg.suites[i];
	size_t sn = c->cfg.server_name ? sni_ext(c->cfg.server_name, sni, sizeof sni) : 0;
	if (sn)
		ch.exts[ch.n_exts++] = (tls_ext){TLS_EXT_SERVER_NAME, sni, sn};
	ch.exts[ch.n_exts++] = (tls_ext){TLS_EXT_SIGNATURE_ALGORITHMS, sig_algs_ext, sizeof sig_algs_ext};
	ch.exts[ch.n_exts++] = (tls_ext){TLS_EXT_RENEGOTIATION_INFO, empty_reneg, 1};
	tls_buf body = {0};
	int rc = tls_client_hello_encode(&body, &ch);
	if (!rc)
		rc = tls_send_hs(c, TLS_HS_CLIENT_HELLO, &body);
	tls_buf_free(&body);
	c->st = ST_WAIT_SERVER_HELLO;
	return rc;
}

static int offered(const tls_conn *c, uint16_t id)
{
	for (size_t i = 0; i < c->cfg.n_suites; i++)
		if (c->cfg.suites[i] == id)
			return 1;
	return 0;
}

static int on_server_hello(tls_conn *c, const uint8_t *msg, size_t n)
{
	tls_server_hello sh;
	if (tls_server_hello_decode(msg + 4, n - 4, &sh, NULL))
		return tls_fail(c, TLS_FAIL(TLS_ALERT_DECODE_ERROR), "malformed ServerHello");
	if (sh.version != TLS_VERSION_12)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_PROTOCOL_VERSION),
				"the server chose version 0x%04x; tlsstep speaks TLS 1.2 only", sh.version);
	const tls_suite *s = tls_suite_by_id(sh.suite);
	if (!offered(c, sh.suite) || !s) {
		const char *nm = tls_suite_iana_name(sh.suite);
		return tls_fail(c, TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER),
				"the server chose cipher suite %s (0x%04X), which the client did not offer",
				nm ? nm : "unknown", sh.suite);
	}
	if (sh.compression != 0)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER),
				"the server chose compression method %u", sh.compression);
	for (size_t i = 0; i < sh.n_exts; i++) {
		uint16_t t = sh.exts[i].type;
		if (t == TLS_EXT_RENEGOTIATION_INFO) {
			if (sh.exts[i].len != 1 || sh.exts[i].data[0] != 0)
				return tls_fail(c, TLS_FAIL(TLS_ALERT_HANDSHAKE_FAILURE),
						"renegotiation_info is not empty on a first handshake");
			c->secure_renegotiation = 1;
		} else if (t != TLS_EXT_SERVER_NAME) {
			return tls_fail(c, TLS_FAIL(TLS_ALERT_UNSUPPORTED_EXTENSION),
					"the server sent extension %u, which the client did not offer", t);
		}
	}
	tls_transcript_add(c, msg, n);
	c->k.suite = s;
	c->k.version = sh.version;
	memcpy(c->k.server_random, sh.random, 32);
	c->k.has_server_random = 1;
	c->k.transcript_hash_len = tls_transcript_hash(c, c->k.transcript_hash);
	c->st = ST_WAIT_CERTIFICATE;
	return 0;
}

static int check_chain(tls_conn *c)
{
	char why[300] = "";
	tls_knowledge *k = &c->k;
	snprintf(k->cert_subject, sizeof k->cert_subject, "%s", c->peer[0].subject);
	k->cert_checked = 1;
	if (c->cfg.insecure) {
		snprintf(k->cert_note, sizeof k->cert_note,
			 "NOT VERIFIED (--insecure): anyone could have sent this certificate");
		return 0;
	}
	int rc = tls_x509_verify_chain(c->peer, c->n_peer, c->cfg.anchors, c->cfg.n_anchors, c->cfg.now,
				       c->cfg.server_name, why, sizeof why);
	k->cert_status = rc;
	if (rc) {
		snprintf(k->cert_note, sizeof k->cert_note, "rejected: %s", why);
		return tls_fail(c, rc, "certificate rejected: %s", why);
	}
	snprintf(k->cert_note, sizeof k->cert_note,
		 "trusted: signed by a trusted CA, valid now, and names %s",
		 c->cfg.server_name ? c->cfg.server_name : "the server");
	return 0;
}

static int on_certificate(tls_conn *c, const uint8_t *msg, size_t n)
{
	tls_certificate_msg cm;
	if (tls_certificate_decode(msg + 4, n - 4, &cm, NULL))
		return tls_fail(c, TLS_FAIL(TLS_ALERT_DECODE_ERROR), "malformed Certificate message");
	if (cm.n == 0)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_BAD_CERTIFICATE),
				"the server sent an empty certificate list");
	tls_transcript_add(c, msg, n);
	for (size_t i = 0; i < cm.n; i++) {
		int rc = tls_x509_parse(cm.der[i], cm.len[i], &c->peer[i], NULL, 0, NULL);
		if (rc)
			return tls_fail(c, rc, "certificate %zu of the chain could not be parsed", i);
		c->n_peer = i + 1;
	}
	if (!c->peer[0].has_key)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_UNSUPPORTED_CERTIFICATE),
				"the server certificate has no RSA key");
	c->st = ST_WAIT_SERVER_HELLO_DONE;
	return check_chain(c);
}

static int send_client_key_exchange(tls_conn *c)
{
	tls_knowledge *k = &c->k;
	uint8_t enc[1024];
	unsigned long enc_len = sizeof enc;
	/* The premaster starts with the version the client offered, so a
	 * downgrade of the ClientHello is caught (RFC 5246 7.4.7.1). */
	k->premaster[0] = (uint8_t)(c->offered_version >> 8);
	k->premaster[1] = (uint8_t)c->offered_version;
	if (tls_rng_read(c->cfg.rng, k->premaster + 2, 46))
		return TLS_ERR_INTERNAL;
	k->premaster_len = 48;
	k->has_premaster = 1;
	rsa_key *key = &c->peer[0].key;
	if (rsa_encrypt_key_ex(k->premaster, 48, enc, &enc_len, NULL, 0, &c->cfg.rng->state,
			       c->cfg.rng->idx, tls_hash_sha256(), LTC_PKCS_1_V1_5, key) != CRYPT_OK)
		return TLS_ERR_INTERNAL;
	tls_buf body = {0};
	int rc = tls_cke_rsa_encode(&body, enc, enc_len);
	if (!rc)
		rc = tls_send_hs(c, TLS_HS_CLIENT_KEY_EXCHANGE, &body);
	tls_buf_free(&body);
	return rc;
}

static int on_server_hello_done(tls_conn *c, const uint8_t *msg, size_t n)
{
	if (tls_server_hello_done_decode(msg + 4, n - 4, NULL))
		return tls_fail(c, TLS_FAIL(TLS_ALERT_DECODE_ERROR), "ServerHelloDone is not empty");
	tls_transcript_add(c, msg, n);
	int rc = send_client_key_exchange(c);
	if (!rc)
		rc = tls_derive_all(c);
	if (!rc)
		rc = tls_send_ccs(c);
	if (!rc)
		rc = tls_finished_make(c, 0, c->k.client_verify);
	if (rc)
		return tls_fail(c, rc, "could not build the client's response");
	c->k.has_client_verify = 1;
	tls_buf body = {0};
	tls_finished_encode(&body, c->k.client_verify);
	rc = tls_send_hs(c, TLS_HS_FINISHED, &body);
	tls_buf_free(&body);
	c->st = ST_WAIT_CCS;
	return rc ? tls_fail(c, rc, "could not send Finished") : 0;
}

static int on_finished(tls_conn *c, const uint8_t *msg, size_t n)
{
	uint8_t got[12], want[12];
	if (tls_finished_decode(msg + 4, n - 4, got, NULL))
		return tls_fail(c, TLS_FAIL(TLS_ALERT_DECODE_ERROR), "Finished of the wrong size");
	if (tls_finished_make(c, 1, want))
		return tls_fail(c, TLS_ERR_INTERNAL, "could not compute verify_data");
	if (mem_neq(got, want, 12))
		return tls_fail(c, TLS_FAIL(TLS_ALERT_DECRYPT_ERROR),
				"the server's Finished does not match: the handshake was altered "
				"or the keys differ");
	tls_transcript_add(c, msg, n);
	memcpy(c->k.server_verify, got, 12);
	c->k.has_server_verify = 1;
	c->st = ST_DONE;
	c->status = TLS_ESTABLISHED;
	return 0;
}

int tls_client_handle(tls_conn *c, uint8_t type, const uint8_t *msg, size_t n)
{
	if (type == TLS_HS_HELLO_REQUEST && c->st != ST_DONE && n == 4)
		return 0; /* RFC 5246 7.4.1.1: ignored while negotiating */
	switch (c->st) {
	case ST_WAIT_SERVER_HELLO:
		if (type == TLS_HS_SERVER_HELLO)
			return on_server_hello(c, msg, n);
		break;
	case ST_WAIT_CERTIFICATE:
		if (type == TLS_HS_CERTIFICATE)
			return on_certificate(c, msg, n);
		break;
	case ST_WAIT_SERVER_HELLO_DONE:
		if (type == TLS_HS_SERVER_HELLO_DONE)
			return on_server_hello_done(c, msg, n);
		break;
	case ST_WAIT_FINISHED:
		if (type == TLS_HS_FINISHED)
			return on_finished(c, msg, n);
		break;
	default:
		break;
	}
	return tls_fail(c, TLS_FAIL(TLS_ALERT_UNEXPECTED_MESSAGE), "unexpected %s from the server",
			tls_hs_name(type));
}
