/* Handshake steps both sides take the same way: sending a Certificate,
 * reading the peer's chain, the ChangeCipherSpec + Finished pair, and the
 * session kept for resumption. */
#include "tls/conn_int.h"
#include "tls/fuzzing.h"

#include "tls/crypto.h"

#include <stdio.h>
#include <string.h>

void tls_session_wipe(tls_session *s)
{
	zeromem(s, sizeof *s);
}

int tls_conn_session(const tls_conn *c, tls_session *out)
{
	memset(out, 0, sizeof *out);
	if (c->t13.on) {
		if (!c->t13.has_ticket)
			return -1;
		*out = c->t13.ticket;
		return 0;
	}
	if (c->st != ST_DONE || !c->k.session_id_len || !c->k.suite)
		return -1;
	out->valid = 1;
	memcpy(out->id, c->k.session_id, c->k.session_id_len);
	out->id_len = c->k.session_id_len;
	out->suite = c->k.suite->id;
	memcpy(out->master, c->k.master, 48);
	out->ems = c->k.ems; /* a resumption must agree on both (RFC 7627 5.3) */
	out->etm = c->k.etm;
	return 0;
}

int tls_send_certificate(tls_conn *c, size_t n)
{
	tls_certificate_msg cm = {.n = n < TLS_MAX_CERTS ? n : TLS_MAX_CERTS};
	tls_buf body = {0};
	for (size_t i = 0; i < cm.n; i++) {
		cm.der[i] = c->cfg.chain_der[i];
		cm.len[i] = c->cfg.chain_len[i];
	}
	int rc = tls_certificate_encode(&body, &cm);
	if (!rc)
		rc = tls_send_hs(c, TLS_HS_CERTIFICATE, &body);
	tls_buf_free(&body);
	return rc;
}

int tls_read_peer_chain(tls_conn *c, const uint8_t *msg, size_t n, size_t *count)
{
	tls_certificate_msg cm;
	if (tls_certificate_decode(msg + 4, n - 4, &cm, NULL))
		return tls_fail(c, TLS_FAIL(TLS_ALERT_DECODE_ERROR), "malformed Certificate message");
	tls_transcript_add(c, msg, n);
	*count = cm.n;
	for (size_t i = 0; i < cm.n; i++) {
		int rc;
		TLS_TIMED(c, TLS_PH_CERT, rc = tls_x509_parse(cm.der[i], cm.len[i], &c->peer[i], NULL, 0, NULL));
		if (rc)
			return tls_fail(c, rc, "certificate %zu of the chain could not be parsed", i);
		c->n_peer = i + 1;
	}
	if (cm.n && !c->peer[0].has_key)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_UNSUPPORTED_CERTIFICATE), "the certificate has no RSA key");
	return 0;
}

/* Keys for an abbreviated handshake: the master secret is the session's,
 * only the randoms are new. */
int tls_resume_keys(tls_conn *c, const tls_session *s)
{
	tls_knowledge *k = &c->k;
	memcpy(k->master, s->master, 48);
	k->has_master = 1;
	k->resumed = 1;
	int rc;
	TLS_TIMED(c, TLS_PH_PRF, rc = tls_derive_keys(k->suite, k->master, k->client_random, k->server_random, &k->keys));
	if (rc)
		return TLS_ERR_INTERNAL;
	k->has_keys = 1;
	return 0;
}

int tls_send_finished(tls_conn *c)
{
	int server = c->cfg.is_server;
	uint8_t *vd = server ? c->k.server_verify : c->k.client_verify;
	int rc = tls_send_ccs(c);
	if (!rc)
		rc = tls_finished_make(c, server, vd);
	if (rc)
		return tls_fail(c, rc, "could not build the %s's Finished", server ? "server" : "client");
	if (server)
		c->k.has_server_verify = 1;
	else
		c->k.has_client_verify = 1;
	tls_buf body = {0};
	rc = tls_finished_encode(&body, vd);
	if (!rc)
		rc = tls_send_hs(c, TLS_HS_FINISHED, &body);
	tls_buf_free(&body);
	return rc ? tls_fail(c, rc, "could not send Finished") : 0;
}

int tls_check_finished(tls_conn *c, const uint8_t *msg, size_t n)
{
	uint8_t got[12], want[12];
	int from_server = !c->cfg.is_server;
	if (tls_finished_decode(msg + 4, n - 4, got, NULL))
		return tls_fail(c, TLS_FAIL(TLS_ALERT_DECODE_ERROR), "Finished of the wrong size");
	if (tls_finished_make(c, from_server, want))
		return tls_fail(c, TLS_ERR_INTERNAL, "could not compute verify_data");
	if (mem_neq(got, want, 12) && !tls_fuzzing())
		return tls_fail(c, TLS_FAIL(TLS_ALERT_DECRYPT_ERROR),
				"the %s's Finished does not match: the handshake was altered or the %s differs",
				from_server ? "server" : "client",
				c->k.resumed ? "master secret" : "premaster secret");
	tls_transcript_add(c, msg, n);
	memcpy(from_server ? c->k.server_verify : c->k.client_verify, got, 12);
	if (from_server)
		c->k.has_server_verify = 1;
	else
		c->k.has_client_verify = 1;
	return 0;
}

void tls_established(tls_conn *c)
{
	c->st = ST_DONE;
	c->status = TLS_ESTABLISHED;
}

tls_hs_handler tls_hs_lookup(const tls_hs_row *rows, size_t n, enum tls_hs_state st, enum tls_hs_type type)
{
	for (size_t i = 0; i < n; i++)
		if (rows[i].st == st && rows[i].type == type)
			return rows[i].on;
	return NULL;
}
