/* A TLS 1.3 connection's records into its model: the observer files each
 * record (header, protected payload) and an opaque message for it; when
 * the key log opens the record, that message becomes the decrypted
 * messages it held, named, decoded and checked (tls13_*.c), filed under
 * the step of what they are rather than where they travel:
 *   1 ClientHello (and 0-RTT early data)   2 ServerHello / HelloRetryRequest
 *   3 EncryptedExtensions, Certificate, CertificateRequest
 *   4 the server's CertificateVerify and Finished
 *   5 the client's EndOfEarlyData, Certificate, CertificateVerify, Finished
 *   6 NewSessionTicket                     7 application data, KeyUpdate, closing alerts */
#include "replay/fill13.h"
#include "model/observe13.h"

#include "tls/alert.h"
#include "tls/msg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void replay_fill13_start(replay_conn *c)
{
	c->t13 = malloc(sizeof *c->t13);
	if (c->t13)
		replay_t13_init(c->t13, c->ctx->opt->keys);
}

void replay_fill13_free(replay_conn *c)
{
	if (c->t13) {
		replay_t13_free(c->t13);
		free(c->t13);
		c->t13 = NULL;
	}
}

/* The hellos go by in the clear: the tracker reads them (whole messages,
 * reassembled across records) until the final ServerHello. */
void replay_fill13_plain(replay_conn *c, int dir, const uint8_t *w, size_t n)
{
	replay_t13 *t = c->t13;
	tls_buf msg = {0};
	if (!t || t->final_sh || w[0] != TLS_CT_HANDSHAKE || tls_buf_put(&t->d[dir].hs, w + 5, n - 5))
		return;
	while (!t->final_sh && replay_t13_next_msg(t, dir, &msg))
		replay_t13_plain_msg(t, dir, msg.p, msg.len);
	tls_buf_free(&msg);
	if (t->final_sh) /* what follows is encrypted: start clean */
		for (int i = 0; i < 2; i++)
			tls_buf_free(&t->d[i].hs);
}

static int hs_step(int type, int dir)
{
	switch (type) {
	case 8:
	case 13: return 3;
	case 11: return dir ? 3 : 5;
	case 15:
	case 20: return dir ? 4 : 5;
	case 5: return 5;
	case 4: return 6;
	default: return MODEL_LAST_STEP;
	}
}

static int record_step(replay_conn *c, int dir, const t13_record *r)
{
	replay_t13 *t = c->t13;
	switch (r->type) {
	case TLS_CT_HANDSHAKE:
		if (t->d[dir].hs.len >= 1) /* continues a message begun earlier */
			return t->pending_step[dir];
		return r->plain.len ? hs_step(r->plain.p[0], dir) : obs_last_step(c->obs);
	case TLS_CT_APPLICATION_DATA: return r->stage == T13_EARLY ? 1 : MODEL_LAST_STEP;
	case TLS_CT_ALERT:
		return t->fin_ok[0] >= 0 || t->d[0].stage == T13_APPLICATION ? MODEL_LAST_STEP
		                                                             : obs_last_step(c->obs);
	default: return obs_last_step(c->obs);
	}
}

/* The observer's opaque message for the record just filed, emptied to be
 * filled again. */
static model_msg *reuse(model_step *s)
{
	if (!s->n_msg)
		return NULL;
	model_msg *g = &s->msg[s->n_msg - 1];
	if (g->kind != MODEL_MSG_ENCRYPTED_HANDSHAKE && g->kind != MODEL_MSG_ENCRYPTED_ALERT &&
	    g->kind != MODEL_MSG_ENCRYPTED_APPLICATION_DATA)
		return NULL;
	tls_buf_clear(&g->bytes);
	g->bytes.len = 0;
	tls_spans_free(&g->fields);
	memset(&g->fields, 0, sizeof g->fields);
	g->note[0] = 0;
	g->decrypted = 1;
	return g;
}

static model_msg *next_slot(model_step *s, model_msg **first, int dir)
{
	model_msg *g = *first;
	if (g) {
		*first = NULL;
		return g;
	}
	size_t rec = s->n_rec ? s->n_rec - 1 : 0;
	g = model_add_msg(s);
	if (!g)
		return NULL;
	g->from_server = dir;
	g->encrypted = 1;
	g->decrypted = 1;
	g->record = rec;
	return g;
}

/* A decrypted message's fields, as the observer shows them: the engine's
 * 1.3 describer and each certificate's fields (obs13_describe); a hello,
 * should one come encrypted, by the engine's describer alone. */
static void describe(const tls_buf *msg, tls_spans *sp)
{
	char subject[256];
	if (obs13_describe(msg->p, msg->len, sp, subject, sizeof subject))
		(void)tls13_hs_describe(msg->p, msg->len, 0, sp);
}

static void handshake_msgs(replay_conn *c, int dir, model_step *s, model_msg *first, const t13_record *r,
                           int step)
{
	replay_t13 *t = c->t13;
	tls_buf *hb = &t->d[dir].hs;
	tls_buf msg = {0};
	size_t before = hb->len;
	if (tls_buf_put(hb, r->plain.p, r->plain.len))
		return;
	size_t consumed = 0; /* bytes of this record's plaintext used so far */
	while (replay_t13_next_msg(t, dir, &msg)) {
		model_msg *g = next_slot(s, &first, dir);
		size_t start = consumed >= before ? consumed - before : 0;
		consumed += msg.len;
		if (!g)
			break;
		g->kind = model_msg_kind_of_hs(msg.p[0]);
		g->hs_type = msg.p[0];
		g->record_offset = start;
		replay_t13_hs_msg(t, dir, msg.p, msg.len, g->note, sizeof g->note);
		if (tls_buf_put(&g->bytes, msg.p, msg.len))
			break;
		if (!c->ctx->opt->brief)
			describe(&msg, &g->fields);
	}
	tls_buf_free(&msg);
	if (hb->len) {
		t->pending_step[dir] = step;
		model_msg *g = next_slot(s, &first, dir);
		if (g) {
			g->kind = MODEL_MSG_HANDSHAKE_FRAGMENT;
			g->hs_type = MODEL_HS_OPAQUE;
			snprintf(g->note, sizeof g->note,
			         "the start of a handshake message that continues in the next record");
			if (tls_buf_put(&g->bytes, hb->p, hb->len < r->plain.len ? hb->len : r->plain.len))
				g->bytes.len = 0;
		}
	}
}

static void other_msg(replay_conn *c, model_msg *g, const t13_record *r)
{
	g->hs_type = MODEL_NOT_HS;
	if (tls_buf_put(&g->bytes, r->plain.p, r->plain.len))
		return;
	tls_spans *sp = c->ctx->opt->brief ? NULL : &g->fields;
	if (r->type == TLS_CT_ALERT) {
		unsigned lv, ds;
		g->kind = MODEL_MSG_ALERT;
		if (tls_alert_decode(r->plain.p, r->plain.len, &lv, &ds, sp))
			snprintf(g->note, sizeof g->note,
			         "not an alert: an alert is two bytes, level and description");
		return;
	}
	g->kind = MODEL_MSG_APPLICATION_DATA;
	if (r->plain.len)
		tls_spans_add(sp, "application_data", 0, r->plain.len, "application data (%zu bytes)",
		              r->plain.len);
	if (r->stage == T13_EARLY)
		snprintf(g->note, sizeof g->note,
		         "0-RTT early data, sent with the ClientHello under the "
		         "client_early_traffic_secret: it has no forward secrecy and can be replayed "
		         "(RFC 8446 2.3, 8)");
	else if (c->t13->d[r->from_server].generation)
		snprintf(g->note, sizeof g->note, "under application traffic secret %d (after %s)",
		         c->t13->d[r->from_server].generation, "a KeyUpdate");
}

int replay_fill13_record(replay_conn *c, int dir, const uint8_t *w, size_t n)
{
	replay_t13 *t = c->t13;
	if (!t || w[0] != TLS_CT_APPLICATION_DATA)
		return 0;
	/* 0-RTT data comes before the ServerHello says 1.3 */
	if (!(t->active && t->final_sh) && !(dir == 0 && t->d[0].stage == T13_EARLY))
		return 0;
	t13_record r = {0};
	r.from_server = dir;
	int opened = !replay_t13_open(t, dir, w, n, &r);
	int step = obs_record(c->obs, dir, w, n, opened ? record_step(c, dir, &r) : 0);
	if (step >= 1 && opened) {
		model_step *s = &c->m->steps[step];
		model_msg *g = reuse(s);
		if (g && r.type == TLS_CT_HANDSHAKE)
			handshake_msgs(c, dir, s, g, &r, step);
		else if (g)
			other_msg(c, g, &r);
	}
	tls_buf_free(&r.plain);
	return step >= 1 ? step : -1;
}

static const char *verdict(int ok)
{
	return ok < 0 ? "not checked" : ok ? "verified" : "does NOT verify";
}

static void key_notes(replay_conn *c)
{
	replay_t13 *t = c->t13;
	int any = 0;
	for (int l = 0; l < KL13_COUNT; l++) {
		size_t len;
		any |= replay_keylog_tls13(t->keys, t->client_random, (enum keylog13_label)l, &len) != NULL;
	}
	if (!any) {
		replay_conn_note(c, "the key log has no TLS 1.3 secrets for this connection's client "
		                    "random: everything after ServerHello stays encrypted");
		return;
	}
	replay_conn_note(c, "a TLS 1.3 key log gives traffic secrets only: the (EC)DHE shared secret "
	                    "and the early, handshake and master secrets they were derived from "
	                    "(RFC 8446 7.1) are not in it and cannot be recomputed from the capture, "
	                    "so the key schedule starts at the logged traffic secrets: their keys, IVs, "
	                    "finished keys and verify_data are derived from them");
	for (int l = KL13_CLIENT_HANDSHAKE; l <= KL13_SERVER_TRAFFIC; l++)
		if (t->missing[l])
			replay_conn_note(c,
			                 "the key log has no %s line for this connection: what it "
			                 "protects stays encrypted",
			                 replay_keylog13_name((enum keylog13_label)l));
	if (t->note[0])
		replay_conn_note(c, "%s", t->note);
	replay_conn_note(c, "server Finished %s, client Finished %s; server CertificateVerify %s%s%s",
	                 verdict(t->fin_ok[1]), verdict(t->fin_ok[0]), verdict(t->cv_ok[1]),
	                 t->cv_ok[0] >= 0 ? ", client CertificateVerify " : "",
	                 t->cv_ok[0] >= 0 ? verdict(t->cv_ok[0]) : "");
}

/* A hybrid post-quantum share: what its parts are, and what tlsstep
 * cannot do with it. */
static void pq_note(replay_conn *c)
{
	replay_t13 *t = c->t13;
	char parts[256];
	tls_hybrid_parts_text((unsigned)t->pq_share, parts, sizeof parts);
	replay_conn_note(c, "the client sent a hybrid post-quantum key share, %s (0x%04x): %s",
	                 replay_t13_group_name((unsigned)t->pq_share), (unsigned)t->pq_share, parts);
	replay_conn_note(c,
	                 "%s: the two shared secrets, in that order, make the one the key schedule takes. "
	                 "tlsstep has no ML-KEM, so it could not recompute that secret even with both "
	                 "private keys (and no capture holds them); the key log's traffic secrets stand in "
	                 "for it.%s",
	                 replay_t13_group_name((unsigned)t->pq_share),
	                 t->group == t->pq_share ? " The server chose it."
	                 : t->group ? " The server did not take it." : "");
	if (t->group && t->group != t->pq_share)
		replay_conn_note(c, "the server's share is on %s (0x%04x): a group offered beside the hybrid",
		                 replay_t13_group_name(t->group), t->group);
}

static void exchange_notes(replay_conn *c)
{
	replay_t13 *t = c->t13;
	if (t->hrr)
		replay_conn_note(c,
		                 "HelloRetryRequest: the client's first key share did not suit the "
		                 "server, which asked for %s (0x%04x); the first ClientHello enters the "
		                 "transcript as message_hash (RFC 8446 4.4.1)",
		                 replay_t13_group_name((unsigned)t->hrr_group), (unsigned)t->hrr_group);
	if (t->resumed)
		replay_conn_note(c, t->psk_dhe
		                        ? "resumed with a PSK from an earlier ticket, with a fresh (EC)DHE "
		                          "exchange too (psk_dhe_ke): forward secrecy is kept"
		                        : "resumed with a PSK alone (psk_ke): no (EC)DHE, so whoever "
		                          "learns the PSK can decrypt this connection");
	else if (t->psk_offered)
		replay_conn_note(c, "the client offered a PSK to resume; the server did a full handshake");
	if (t->early_offered)
		replay_conn_note(c,
		                 "0-RTT: the client sent early data with its ClientHello; the server %s "
		                 "it; %zu early record%s decrypted",
		                 t->early_accepted ? "accepted" : "did not accept", t->early_records,
		                 t->early_records == 1 ? "" : "s");
	if (t->pq_share)
		pq_note(c);
	if (t->ech_outer)
		replay_conn_note(c, t->fin_ok[1] == 1
		                        ? "encrypted_client_hello: the client sent an outer ECH extension, yet the "
		                          "server Finished verifies over this very ClientHello, so the server "
		                          "answered the outer hello: ECH was not used. A browser with no ECH "
		                          "config for the server sends GREASE ECH, random bytes of the real shape"
		                        : "encrypted_client_hello: this is the outer ClientHello; the real "
		                          "one, with the true server name, is encrypted to the server's ECH "
		                          "key (RFC 9849), which the key log's traffic secrets do not open "
		                          "(or, from a client with no ECH config for this server, it is "
		                          "GREASE: random bytes of the same shape)");
	if (t->key_updates[0] || t->key_updates[1])
		replay_conn_note(c, "KeyUpdate: the client updated its keys %d time%s, the server %d",
		                 t->key_updates[0], t->key_updates[0] == 1 ? "" : "s", t->key_updates[1]);
}

void replay_fill13_finish(replay_conn *c)
{
	replay_t13 *t = c->t13;
	replay_conn_info *i = &c->info;
	if (!t)
		return;
	snprintf(i->sni, sizeof i->sni, "%s", t->sni);
	if (!t->active)
		return;
	snprintf(i->alpn, sizeof i->alpn, "%s", t->alpn);
	i->group = t->group;
	i->resumed = t->resumed;
	i->psk_dhe = t->psk_dhe;
	i->hrr = t->hrr != 0;
	i->early = t->early_offered ? 1 + t->early_accepted : 0;
	int opened = t->d[0].opened || t->d[1].opened;
	c->m->t13.hrr |= t->hrr != 0;
	c->m->t13.psk_offered |= t->psk_offered;
	c->m->t13.psk_accepted |= t->resumed;
	if (t->group)
		c->m->t13.group = t->group;
	if (t->cv_alg)
		c->m->t13.cert_verify_alg = t->cv_alg;
	/* Both Finished read: the handshake is known to be over. Otherwise the
	 * observer's guess from who sent protected records stands. */
	if (opened)
		i->keys = 1;
	if (t->fin_ok[0] >= 0 && t->fin_ok[1] >= 0) {
		i->complete = 1;
		c->m->outcome = c->m->alert.present ? MODEL_ALERT : MODEL_ESTABLISHED;
	}
	if (!c->m->suite[0] || !strcmp(c->m->suite, "unknown")) {
		static const char *const s13[] = {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
		                                  "TLS_CHACHA20_POLY1305_SHA256"};
		if (t->suite >= 0x1301 && t->suite <= 0x1303) {
			snprintf(c->m->suite, sizeof c->m->suite, "%s", s13[t->suite - 0x1301]);
			snprintf(i->suite, sizeof i->suite, "%s", c->m->suite);
		}
	}
	if (!t->keys)
		replay_conn_note(c, "no key log given: TLS 1.3 encrypts everything after ServerHello "
		                    "(--keylog FILE, as SSLKEYLOGFILE writes it, opens it)");
	else
		key_notes(c);
	exchange_notes(c);
}
