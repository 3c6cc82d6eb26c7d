/* What the TLS 1.3 client and server do alike: the transcript (with the
 * HelloRetryRequest rule), installing traffic keys, the record hooks,
 * Certificate / CertificateVerify / Finished, PSK binders, and the
 * post-handshake messages (NewSessionTicket, KeyUpdate). */
#include "tls/tls13.h"

#include "tls/crypto.h"
#include "tls/fuzzing.h"
#include "tls/sig.h"

#include <stdio.h>
#include <string.h>

int tls13_hash(const tls_conn *c)
{
	return c->k.suite && c->k.suite->prf == TLS_PRF_SHA384 ? tls_hash_sha384() : tls_hash_sha256();
}

size_t tls13_hash_len(const tls_conn *c)
{
	return c->k.suite && c->k.suite->prf == TLS_PRF_SHA384 ? 48 : 32;
}

static size_t th_with(tls_conn *c, int sha384, const uint8_t *extra, size_t n, uint8_t out[48])
{
	hash_state h = sha384 ? c->th384 : c->th256;
	if (sha384) {
		if (n)
			sha384_process(&h, extra, (unsigned long)n);
		sha384_done(&h, out);
		return 48;
	}
	if (n)
		sha256_process(&h, extra, (unsigned long)n);
	sha256_done(&h, out);
	return 32;
}

size_t tls13_th(tls_conn *c, const uint8_t *extra, size_t extra_len, uint8_t out[48])
{
	return th_with(c, tls13_hash_len(c) == 48, extra, extra_len, out);
}

void tls13_transcript_hrr(tls_conn *c)
{
	uint8_t h[4 + 48];
	size_t hl = tls13_th(c, NULL, 0, h + 4);
	h[0] = TLS_HS_MESSAGE_HASH;
	h[1] = h[2] = 0;
	h[3] = (uint8_t)hl;
	sha256_init(&c->th256);
	sha384_init(&c->th384);
	c->k.transcript_len = 0;
	tls_transcript_add(c, h, 4 + hl);
}

void tls13_sync_knowledge(tls_conn *c)
{
	c->k.tls13.sched = c->t13.sched;
}

int tls13_install(tls_conn *c, int rd, enum tls13_traffic which)
{
	tls13_dir *d = rd ? &c->t13.rd : &c->t13.wr;
	const tls_suite *s = c->k.suite;
	tls13_sched *sc = &c->t13.sched;
	const uint8_t *secret = which == TLS13_CLIENT_HANDSHAKE     ? sc->client_hs
	                        : which == TLS13_SERVER_HANDSHAKE   ? sc->server_hs
	                        : which == TLS13_CLIENT_APPLICATION ? sc->client_ap
	                                                            : sc->server_ap;
	memset(d, 0, sizeof *d);
	d->suite = s;
	memcpy(d->secret, secret, sc->hash_len);
	if (tls13_sched_keys(sc, which, d->key, s->key_len, d->iv, 12))
		return tls_fail(c, TLS_ERR_INTERNAL, "could not expand the traffic keys");
	d->on = 1;
	tls_knowledge *k = &c->k;
	k->tls13.key_len = s->key_len;
	k->tls13.iv_len = 12;
	uint8_t *key = which == TLS13_CLIENT_HANDSHAKE     ? k->tls13.client_hs_key
	               : which == TLS13_SERVER_HANDSHAKE   ? k->tls13.server_hs_key
	               : which == TLS13_CLIENT_APPLICATION ? k->tls13.client_ap_key
	                                                   : k->tls13.server_ap_key;
	uint8_t *iv = which == TLS13_CLIENT_HANDSHAKE     ? k->tls13.client_hs_iv
	              : which == TLS13_SERVER_HANDSHAKE   ? k->tls13.server_hs_iv
	              : which == TLS13_CLIENT_APPLICATION ? k->tls13.client_ap_iv
	                                                  : k->tls13.server_ap_iv;
	memcpy(key, d->key, s->key_len);
	memcpy(iv, d->iv, 12);
	if (which <= TLS13_SERVER_HANDSHAKE)
		k->tls13.has_hs_keys = 1;
	else
		k->tls13.has_ap_keys = 1;
	tls13_sync_knowledge(c);
	return 0;
}

int tls13_seal_record(tls_conn *c, uint8_t type, const uint8_t *p, size_t n)
{
	tls13_dir *d = &c->t13.wr;
	int rc;
	TLS_TIMED(c, TLS_PH_RECORD,
	          rc = tls13_record_seal(d->suite, d->key, d->iv, d->seq, type, p, n, &c->out));
	if (!rc)
		d->seq++;
	return rc;
}

/* D.4: the compatibility ChangeCipherSpec always travels in the clear. */
int tls13_send_ccs_plain(tls_conn *c)
{
	static const uint8_t ccs[] = {TLS_CT_CHANGE_CIPHER_SPEC, 3, 3, 0, 1, 1};
	if (c->t13.ccs_sent)
		return 0;
	c->t13.ccs_sent = 1;
	return tls_buf_put(&c->out, ccs, sizeof ccs) ? TLS_ERR_INTERNAL : 0;
}

/* ---- Certificate ---- */

int tls13_send_certificate(tls_conn *c, int with_chain)
{
	tls13_certificate m;
	memset(&m, 0, sizeof m);
	if (!c->cfg.is_server) {
		memcpy(m.context, c->t13.cr_context, c->t13.cr_context_len);
		m.context_len = c->t13.cr_context_len;
	}
	for (size_t i = 0; with_chain && i < c->cfg.chain_n && i < TLS_MAX_CERTS; i++) {
		m.der[i] = c->cfg.chain_der[i];
		m.len[i] = c->cfg.chain_len[i];
		m.n = i + 1;
	}
	tls_buf body = {0};
	int rc = tls13_certificate_encode(&body, &m);
	if (!rc)
		rc = tls_send_hs(c, TLS_HS_CERTIFICATE, &body);
	tls_buf_free(&body);
	return rc ? tls_fail(c, rc, "could not send the Certificate") : 0;
}

int tls13_read_certificate(tls_conn *c, const uint8_t *msg, size_t n, size_t *count)
{
	tls13_certificate m;
	int rc = tls13_certificate_decode(msg + 4, n - 4, &m, NULL);
	if (rc)
		return tls_fail(c, rc, "malformed Certificate message");
	/* 4.4.2: a server's context is empty, a client's echoes the request's. */
	int ctx_ok = c->cfg.is_server ? m.context_len == c->t13.cr_context_len &&
	                                    !memcmp(m.context, c->t13.cr_context, m.context_len)
	                              : m.context_len == 0;
	if (!ctx_ok)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER),
		                "the Certificate's certificate_request_context is wrong");
	tls_transcript_add(c, msg, n);
	*count = m.n;
	for (size_t i = 0; i < m.n; i++) {
		TLS_TIMED(c, TLS_PH_CERT,
		          rc = tls_x509_parse(m.der[i], m.len[i], &c->peer[i], NULL, 0, NULL));
		if (rc)
			return tls_fail(c, rc, "certificate %zu of the chain could not be parsed", i);
		c->n_peer = i + 1;
	}
	if (m.n && !c->peer[0].has_key)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_UNSUPPORTED_CERTIFICATE),
		                "the certificate holds no usable key");
	return 0;
}

/* ---- CertificateVerify (4.4.3) ---- */

/* 64 spaces, the context string, a zero byte, then the transcript hash. */
static size_t cv_content(tls_conn *c, int server, uint8_t *out)
{
	static const char sctx[] = "TLS 1.3, server CertificateVerify";
	static const char cctx[] = "TLS 1.3, client CertificateVerify";
	const char *ctx = server ? sctx : cctx;
	size_t cl = strlen(ctx);
	memset(out, 0x20, 64);
	memcpy(out + 64, ctx, cl + 1);
	return 64 + cl + 1 + tls13_th(c, NULL, 0, out + 64 + cl + 1);
}

int tls13_send_cert_verify(tls_conn *c, uint16_t alg)
{
	uint8_t content[64 + 34 + 48], d[64], sig[TLS_SIG_MAX];
	size_t cl = cv_content(c, c->cfg.is_server, content), dl, sl = sizeof sig;
	const uint8_t *parts[] = {content};
	int rc = tls_sig_digest(alg, parts, &cl, 1, d, &dl) ? TLS_ERR_INTERNAL : 0;
	if (!rc)
		TLS_TIMED(c, TLS_PH_SIG, rc = tls_sig_sign_key(alg, d, dl, c->cfg.key, c->cfg.rng, sig, &sl));
	tls_buf body = {0};
	if (!rc)
		rc = tls_signed_encode(&body, alg, sig, sl);
	if (!rc)
		rc = tls_send_hs(c, TLS_HS_CERTIFICATE_VERIFY, &body);
	tls_buf_free(&body);
	if (rc)
		return tls_fail(c, rc, "could not sign the CertificateVerify");
	if (c->cfg.is_server)
		c->k.tls13.cert_verify_alg = alg;
	return 0;
}

int tls13_check_cert_verify(tls_conn *c, const uint8_t *msg, size_t n, const uint16_t *allowed,
                            size_t n_allowed)
{
	uint16_t alg;
	const uint8_t *sig;
	size_t sl;
	if (tls13_cert_verify_decode(msg + 4, n - 4, &alg, &sig, &sl, NULL))
		return tls_fail(c, TLS_FAIL(TLS_ALERT_DECODE_ERROR), "malformed CertificateVerify");
	int ok = 0;
	for (size_t i = 0; i < n_allowed; i++)
		ok |= allowed[i] == alg;
	/* 4.4.3: PKCS#1 v1.5 never signs a TLS 1.3 CertificateVerify. */
	/* 4.2.3: an ECDSA scheme names the curve too (secp256r1 with SHA-256...). */
	int curve_ok = tls_sig_scheme(alg) != TLS_SCHEME_ECDSA ||
	               tls_sig_ecdsa_for_curve(c->peer[0].ec_named_curve) == alg;
	if (!ok || !curve_ok || tls_sig_scheme(alg) == TLS_SCHEME_PKCS1 ||
	    tls_sig_key_type(alg) != c->peer[0].key_type)
		return tls_fail(
		    c, TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER),
		    "the peer signed its CertificateVerify with %s (0x%04x), which was not offered "
		    "or does not fit its certificate",
		    tls_sig_alg_name(alg), alg);
	int from_server = !c->cfg.is_server;
	uint8_t content[64 + 34 + 48], d[64];
	size_t cl = cv_content(c, from_server, content), dl;
	const uint8_t *parts[] = {content};
	if (tls_sig_digest(alg, parts, &cl, 1, d, &dl))
		return tls_fail(c, TLS_ERR_INTERNAL, "could not hash the CertificateVerify content");
	int bad;
	TLS_TIMED(c, TLS_PH_SIG, bad = tls_sig_verify(alg, d, dl, sig, sl, &c->peer[0]));
	if (bad && !tls_fuzzing())
		return tls_fail(c, TLS_FAIL(TLS_ALERT_DECRYPT_ERROR),
		                "the %s's CertificateVerify does not verify with its certificate's key: the "
		                "handshake was altered or the sender does not hold the key",
		                from_server ? "server" : "client");
	tls_transcript_add(c, msg, n);
	if (from_server)
		c->k.tls13.cert_verify_alg = alg;
	return 0;
}

/* ---- Finished (4.4.4) ---- */

static int finished_of(tls_conn *c, int client, uint8_t vd[48], uint8_t th[48])
{
	size_t hl = tls13_th(c, NULL, 0, th);
	if (tls13_sched_finished(&c->t13.sched, client, th, hl, vd))
		return TLS_ERR_INTERNAL;
	tls_knowledge *k = &c->k;
	k->tls13.finished_len = hl;
	return 0;
}

static void record_finished(tls_conn *c, int client, const uint8_t *vd, const uint8_t *th)
{
	tls_knowledge *k = &c->k;
	size_t hl = tls13_hash_len(c);
	memcpy(client ? k->tls13.client_finished : k->tls13.server_finished, vd, hl);
	memcpy(client ? k->tls13.client_finished_hash : k->tls13.server_finished_hash, th, hl);
	if (client)
		k->tls13.has_client_finished = 1;
	else
		k->tls13.has_server_finished = 1;
	tls13_sync_knowledge(c);
}

int tls13_send_finished(tls_conn *c)
{
	uint8_t vd[48], th[48];
	int client = !c->cfg.is_server;
	if (finished_of(c, client, vd, th))
		return tls_fail(c, TLS_ERR_INTERNAL, "could not compute verify_data");
	tls_buf body = {0};
	int rc = tls_buf_put(&body, vd, tls13_hash_len(c)) ? TLS_ERR_INTERNAL : 0;
	if (!rc)
		rc = tls_send_hs(c, TLS_HS_FINISHED, &body);
	tls_buf_free(&body);
	if (rc)
		return tls_fail(c, rc, "could not send Finished");
	record_finished(c, client, vd, th);
	return 0;
}

int tls13_check_finished(tls_conn *c, const uint8_t *msg, size_t n)
{
	uint8_t vd[48], th[48];
	int client = c->cfg.is_server; /* the peer's */
	size_t hl = tls13_hash_len(c);
	if (tls13_finished_decode(msg + 4, n - 4, hl, NULL))
		return tls_fail(c, TLS_FAIL(TLS_ALERT_DECODE_ERROR), "Finished of the wrong size");
	if (finished_of(c, client, vd, th))
		return tls_fail(c, TLS_ERR_INTERNAL, "could not compute verify_data");
	if (mem_neq(vd, msg + 4, hl) && !tls_fuzzing())
		return tls_fail(
		    c, TLS_FAIL(TLS_ALERT_DECRYPT_ERROR),
		    "the %s's Finished does not match: the handshake was altered or the keys differ",
		    client ? "client" : "server");
	tls_transcript_add(c, msg, n);
	record_finished(c, client, vd, th);
	return 0;
}

/* ---- PSK binder (4.2.11.2) ---- */

int tls13_binder(tls_conn *c, const tls_suite *s, const uint8_t *psk, size_t psk_len, const uint8_t *trunc,
                 size_t trunc_len, uint8_t out[48])
{
	tls13_sched tmp;
	uint8_t th[48];
	int sha384 = s->prf == TLS_PRF_SHA384;
	size_t hl = th_with(c, sha384, trunc, trunc_len, th);
	int h = sha384 ? tls_hash_sha384() : tls_hash_sha256();
	int rc = tls13_sched_init(&tmp, h, psk, psk_len, 1) ||
	                 tls13_finished(h, tmp.binder_key, hl, th, hl, NULL, out)
	             ? TLS_ERR_INTERNAL
	             : 0;
	tls13_sched_free(&tmp);
	return rc;
}

/* ---- after the handshake ---- */

/* 7.2: application_traffic_secret_N+1 = HKDF-Expand-Label(N, "traffic upd", "", Hash.length). */
int tls13_key_update(tls_conn *c, int rd)
{
	tls13_dir *d = rd ? &c->t13.rd : &c->t13.wr;
	int h = tls13_hash(c);
	size_t hl = tls13_hash_len(c), kl = d->suite->key_len;
	uint8_t next[48];
	if (tls13_expand_label(h, d->secret, hl, "traffic upd", NULL, 0, next, hl) ||
	    tls13_traffic_keys(h, next, hl, d->key, kl, d->iv, 12))
		return tls_fail(c, TLS_ERR_INTERNAL, "could not update the traffic keys");
	memcpy(d->secret, next, hl);
	tls_wipe(next, sizeof next);
	d->seq = 0;
	return 0;
}

int tls_conn_key_update(tls_conn *c, int request_update)
{
	uint8_t ku[] = {TLS_HS_KEY_UPDATE, 0, 0, 1, (uint8_t)(request_update ? 1 : 0)};
	if (!c->t13.on || c->status != TLS_ESTABLISHED)
		return TLS_ERR_INTERNAL;
	if (tls13_seal_record(c, TLS_CT_HANDSHAKE, ku, sizeof ku))
		return tls_fail(c, TLS_ERR_INTERNAL, "could not send KeyUpdate");
	return tls13_key_update(c, 0);
}

static int on_ticket(tls_conn *c, const uint8_t *msg, size_t n)
{
	tls13_ticket_msg m;
	if (c->cfg.is_server)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_UNEXPECTED_MESSAGE),
		                "NewSessionTicket from the client");
	if (tls13_nst_decode(msg + 4, n - 4, &m, NULL))
		return tls_fail(c, TLS_FAIL(TLS_ALERT_DECODE_ERROR), "malformed NewSessionTicket");
	if (m.lifetime > 604800)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER), "ticket lifetime over 7 days");
	tls_session *t = &c->t13.ticket;
	/* Too long to keep, or a lifetime of zero ("discard it at once",
	 * 4.6.1): this ticket is not used, and an earlier one stays. */
	if (m.ticket_len > sizeof t->ticket || m.lifetime == 0)
		return 0;
	memset(t, 0, sizeof *t);
	size_t hl = tls13_hash_len(c);
	if (tls13_resumption_psk(tls13_hash(c), c->t13.sched.resumption, hl, m.nonce, m.nonce_len, t->psk))
		return tls_fail(c, TLS_ERR_INTERNAL, "could not derive the ticket's PSK");
	t->valid = 1;
	t->version = TLS_VERSION_13;
	t->suite = c->k.suite->id;
	t->psk_len = hl;
	memcpy(t->ticket, m.ticket, m.ticket_len);
	t->ticket_len = m.ticket_len;
	t->age_add = m.age_add;
	t->lifetime = m.lifetime;
	t->issued = c->cfg.now;
	memcpy(t->nonce, m.nonce, m.nonce_len);
	t->nonce_len = m.nonce_len;
	t->max_early_data = m.max_early_data;
	c->t13.has_ticket = 1;
	return 0;
}

static int on_key_update(tls_conn *c, const uint8_t *msg, size_t n)
{
	unsigned req;
	int rc = tls13_key_update_decode(msg + 4, n - 4, &req, NULL);
	if (rc)
		return tls_fail(c, rc, "malformed KeyUpdate");
	if ((rc = tls13_key_update(c, 1)))
		return rc;
	if (req == 1) {
		/* 4.6.3: answer with update_not_requested, then switch our keys. */
		return tls_conn_key_update(c, 0);
	}
	return 0;
}

int tls13_post_handshake(tls_conn *c, const uint8_t *msg, size_t n)
{
	switch (msg[0]) {
	case TLS_HS_NEW_SESSION_TICKET: return on_ticket(c, msg, n);
	case TLS_HS_KEY_UPDATE: return on_key_update(c, msg, n);
	default:
		return tls_fail(c, TLS_FAIL(TLS_ALERT_UNEXPECTED_MESSAGE), "%s after the handshake finished",
		                tls_hs_name(msg[0]));
	}
}
