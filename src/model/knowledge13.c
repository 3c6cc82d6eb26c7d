/* The "after step N" rule of knowledge.h for TLS 1.3 (RFC 8446): the
 * transcript hash runs the suite's hash over the handshake messages (a
 * HelloRetryRequest replaces the first ClientHello by its message_hash,
 * 4.4.1; NewSessionTicket is no part of it, 4.6.1), and each secret of the
 * key schedule appears in a column only once the message it depends on has
 * gone by (model13.h gives the step, this file the message). */
#include "model/knowledge.h"
#include "model/model13.h"

#include "tls/crypto.h"
#include "tls/msg.h"

#include <stdio.h>
#include <string.h>
#include <tomcrypt.h>

/* The model keeps the longest schedule either side ran: the views pick
 * from it what each side knew when (model_side.t13_known). */
void knowledge13_merge(model *m, const tls_knowledge *k)
{
	if (!m->t13.active)
		model_set_tls13(m);
	if (k->tls13.sched.trace_len > m->t13.sched.trace_len)
		m->t13.sched = k->tls13.sched;
	m->t13.hrr |= k->tls13.hrr;
	m->t13.psk_offered |= k->tls13.psk_offered;
	m->t13.psk_accepted |= k->tls13.psk_accepted;
	m->t13.compat |= k->tls13.compat;
	if (k->tls13.cert_verify_alg)
		m->t13.cert_verify_alg = k->tls13.cert_verify_alg;
	if (k->named_group)
		m->t13.group = k->named_group;
}

void knowledge13_offer_note(model *m)
{
	snprintf(m->steps[1].note, sizeof m->steps[1].note,
	         "the client offers the ticket of an earlier connection as a pre-shared key (RFC 8446 "
	         "4.2.11), with a binder that proves it holds the PSK, and a fresh key share as well");
}

void knowledge13_resume_notes(model *m)
{
	knowledge13_offer_note(m);
	snprintf(m->steps[3].note, sizeof m->steps[3].note,
	         "no Certificate: the server accepted the PSK, which only the two parties of the earlier "
	         "connection can hold, so it need not prove who it is again");
	snprintf(m->steps[4].note, sizeof m->steps[4].note,
	         "no CertificateVerify: the Finished, keyed from the PSK and the new (EC)DHE secret, is "
	         "the proof");
}

typedef struct {
	int sha384;
	hash_state h;
	size_t len;
	int opaque; /* a handshake message nobody could read went by */
	int any;    /* a message went in */
} th13;

static void th13_init(th13 *t, int sha384)
{
	memset(t, 0, sizeof *t);
	t->sha384 = sha384;
	if (sha384)
		sha384_init(&t->h);
	else
		sha256_init(&t->h);
}

static void th13_add(th13 *t, const uint8_t *p, size_t n)
{
	t->len += n;
	t->any = 1;
	if (!n)
		return;
	if (t->sha384)
		sha384_process(&t->h, p, (unsigned long)n);
	else
		sha256_process(&t->h, p, (unsigned long)n);
}

static size_t th13_done(const th13 *t, uint8_t out[48])
{
	hash_state c = t->h;
	if (t->sha384)
		sha384_done(&c, out);
	else
		sha256_done(&c, out);
	zeromem(&c, sizeof c);
	return t->sha384 ? 48 : 32;
}

static void th13_value(const th13 *t, model_value *v)
{
	uint8_t h[48];
	memset(v, 0, sizeof *v);
	if (t->opaque || !t->any)
		return;
	model_value_set(v, h, th13_done(t, h));
}

/* RFC 8446 4.4.1: after a HelloRetryRequest the transcript starts over
 * with message_hash(254) 00 00 Hash.length Hash(ClientHello1). */
static void th13_retry(th13 *t)
{
	uint8_t h[48], head[4] = {254, 0, 0, 0};
	size_t n = th13_done(t, h);
	head[3] = (uint8_t)n;
	th13_init(t, t->sha384);
	th13_add(t, head, 4);
	th13_add(t, h, n);
}

typedef struct {
	int client_hello, server_hello, finished[2];
} seen13;

static int is_hrr(const model_msg *g)
{
	return g->hs_type == TLS_HS_SERVER_HELLO && g->bytes.len >= 38 &&
	       !memcmp(g->bytes.p + 6, model13_hrr_random, 32);
}

/* Checks a Finished as its receiver does: HMAC(finished_key, hash of the
 * messages before it, as they crossed the wire) against its verify_data. */
static void finished_note(const model *m, model_msg *g, const th13 *t)
{
	const tls13_step *fk =
	    model13_value(m, g->from_server ? "server_finished_key" : "client_finished_key");
	uint8_t th[48], want[48];
	unsigned long wl = sizeof want;
	if (g->note[0] || !fk || t->opaque || tls_crypto_init())
		return;
	size_t n = th13_done(t, th);
	if (g->bytes.len != 4 + n || fk->len != n ||
	    hmac_memory(n == 48 ? tls_hash_sha384() : tls_hash_sha256(), fk->value, (unsigned long)n, th,
	                (unsigned long)n, want, &wl) != CRYPT_OK)
		return;
	snprintf(g->note, sizeof g->note,
	         "verify_data %s: HMAC(%s_finished_key, hash of the handshake messages before it)",
	         mem_neq(want, g->bytes.p + 4, n) ? "does NOT match" : "matches",
	         g->from_server ? "server" : "client");
	zeromem(want, sizeof want);
}

static void feed13(model *m, int k, th13 *t, seen13 *sn)
{
	const model_step *st = &m->steps[k];
	for (size_t i = 0; i < st->n_msg; i++) {
		const model_msg *g = &st->msg[i];
		int side = g->from_server ? 1 : 0;
		if (g->hs_type == MODEL_NOT_HS || g->hs_type == TLS_HS_NEW_SESSION_TICKET || g->hs_type == 24)
			continue; /* 24: KeyUpdate, after the handshake like a ticket */
		if (g->hs_type == MODEL_HS_OPAQUE || !g->decrypted) {
			t->opaque = 1;
			continue;
		}
		if (is_hrr(g)) {
			m->t13.hrr = 1;
			th13_retry(t);
			th13_add(t, g->bytes.p, g->bytes.len);
			continue;
		}
		if (g->hs_type == TLS_HS_FINISHED && !sn->finished[side]) {
			finished_note(m, &m->steps[k].msg[i], t);
			th13_value(t, &m->finished_hash[side]);
			m->finished_len[side] = m->finished_hash[side].known ? t->len : 0;
			sn->finished[side] = 1;
		}
		sn->client_hello |= g->hs_type == TLS_HS_CLIENT_HELLO;
		sn->server_hello |= g->hs_type == TLS_HS_SERVER_HELLO;
		th13_add(t, g->bytes.p, g->bytes.len);
	}
}

/* Whether the message a secret waits for has gone by (model13.h's steps). */
static int moment_passed(int step, const seen13 *sn)
{
	switch (step) {
	case 1: return sn->client_hello;
	case 2: return sn->server_hello;
	case 4: return sn->finished[1];
	default: return sn->finished[0];
	}
}

static void hold13(model_side *s, const seen13 *sn)
{
	for (size_t i = 0; i < model13_count(); i++)
		if (!moment_passed(model13_at(i)->step, sn))
			s->t13_known &= ~(1u << i);
	if (!sn->client_hello)
		memset(&s->v[MS_CLIENT_RANDOM], 0, sizeof s->v[0]);
	if (!sn->server_hello) {
		memset(&s->v[MS_SERVER_RANDOM], 0, sizeof s->v[0]);
		memset(&s->v[MS_PREMASTER], 0, sizeof s->v[0]);
	}
}

void knowledge13_settle(model *m, int upto)
{
	th13 t;
	seen13 sn = {0};
	th13_init(&t, m->suite_id == 0x1302 || m->t13.sched.hash_len == 48);
	memset(m->finished_hash, 0, sizeof m->finished_hash);
	memset(m->finished_len, 0, sizeof m->finished_len);
	for (int n = 1; n <= upto; n++) {
		model_step *st = &m->steps[n];
		if (n > 1 && !st->n_rec) {
			st->client = m->steps[n - 1].client;
			st->server = m->steps[n - 1].server;
		}
		feed13(m, n, &t, &sn);
		model_side *sides[2] = {&st->client, &st->server};
		for (int i = 0; i < 2; i++) {
			hold13(sides[i], &sn);
			th13_value(&t, &sides[i]->transcript_hash);
			sides[i]->transcript_len = sides[i]->transcript_hash.known ? t.len : 0;
		}
	}
	zeromem(&t, sizeof t);
}
