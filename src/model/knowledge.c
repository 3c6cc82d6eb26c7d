#include "model/knowledge.h"

#include "tls/alert.h"
#include "tls/crypto.h"
#include "tls/msg.h"
#include "model/model13.h"

#include <stdio.h>
#include <string.h>
#include <tomcrypt.h>

void knowledge_put_keys(model_side *o, const tls_keys *ks)
{
	if (ks->mac_len) {
		model_value_set(&o->v[MS_CLIENT_MAC], ks->client_mac, ks->mac_len);
		model_value_set(&o->v[MS_SERVER_MAC], ks->server_mac, ks->mac_len);
	}
	model_value_set(&o->v[MS_CLIENT_KEY], ks->client_key, ks->key_len);
	model_value_set(&o->v[MS_SERVER_KEY], ks->server_key, ks->key_len);
	model_value_set(&o->v[MS_CLIENT_IV], ks->client_iv, ks->iv_len);
	model_value_set(&o->v[MS_SERVER_IV], ks->server_iv, ks->iv_len);
}

void knowledge_snapshot(model_side *o, const tls_knowledge *k)
{
	memset(o, 0, sizeof *o);
	const tls_keys *ks = &k->keys;
	if (k->has_client_random)
		model_value_set(&o->v[MS_CLIENT_RANDOM], k->client_random, 32);
	if (k->has_server_random)
		model_value_set(&o->v[MS_SERVER_RANDOM], k->server_random, 32);
	if (k->has_premaster)
		model_value_set(&o->v[MS_PREMASTER], k->premaster, k->premaster_len);
	/* TLS 1.3 secrets are the key schedule's (model13.h); a client offering
	 * a PSK runs its early part before the ServerHello says 1.3 */
	if (k->tls13.active || k->tls13.sched.trace_len)
		model13_mark(o, &k->tls13.sched);
	else if (k->has_master || k->has_cached_master)
		model_value_set(&o->v[MS_MASTER], k->master, 48);
	if (k->has_keys && !k->tls13.active)
		knowledge_put_keys(o, ks);
	if (k->tls13.active)
		;
	else if (k->has_client_verify)
		model_value_set(&o->v[MS_CLIENT_VERIFY], k->client_verify, 12);
	if (k->has_server_verify)
		model_value_set(&o->v[MS_SERVER_VERIFY], k->server_verify, 12);
	/* A server's certificate check is of the client's certificate (mutual). */
	snprintf(o->cert_note, sizeof o->cert_note, "%s", k->cert_note[0] ? k->cert_note : k->client_cert_note);
}

void knowledge_merge_secrets(model *m, const tls_knowledge *k)
{
	model_side s;
	knowledge_snapshot(&s, k);
	for (int i = 0; i < MS_COUNT; i++)
		if (s.v[i].known && !m->secrets[i].known)
			m->secrets[i] = s.v[i];
	if (k->ems && k->session_hash_len && !m->session_hash.known) {
		m->ems = 1;
		model_value_set(&m->session_hash, k->session_hash, k->session_hash_len);
	}
	if (k->tls13.active)
		knowledge13_merge(m, k);
	else if (k->has_keys && !m->key_block_len) {
		memcpy(m->key_block, k->keys.block, k->keys.block_len);
		m->key_block_len = k->keys.block_len;
	}
	memset(&s, 0, sizeof s);
}

/* A record that fails its MAC or tag is dropped before anything in it is
 * read: the peer's Finished of that step was never checked, whatever the
 * observer (who decrypts with the sender's keys) found in it. */
static void finished_unchecked(model *m, int by_server, int step)
{
	if (step < 1 || step > MODEL_LAST_STEP)
		return;
	model_step *st = &m->steps[step];
	for (size_t i = 0; i < st->n_msg; i++)
		if (st->msg[i].kind == MODEL_MSG_FINISHED && st->msg[i].from_server != by_server)
			snprintf(st->msg[i].note, sizeof st->msg[i].note,
				 "verify_data never checked: the %s rejected this record (bad_record_mac) before reading it",
				 by_server ? "server" : "client");
}

/* Marks the span with that path in a list; 1 if there was one. */
static int mark_span(tls_spans *sp, const char *path)
{
	for (size_t f = 0; f < sp->n; f++)
		if (!strcmp(sp->v[f].path, path)) {
			char was[TLS_SPAN_MEANING];
			snprintf(was, sizeof was, "%s", sp->v[f].meaning);
			tls_spans_set_meaning(sp, f, "[this decided the refusal] %s", was);
			return 1;
		}
	return 0;
}

/* Points the learner at the certificate field that decided a refusal: the
 * span of that field in the peer's Certificate message, and in the record
 * that carried it, says so first. */
static void mark_deciding_field(model *m, const tls_conn *c, int by_server, int step)
{
	const tls_knowledge *k = tls_conn_knowledge(c);
	const char *field = by_server ? k->client_cert_field : k->cert_field;
	if (!field[0])
		return;
	for (int s = 1; s <= step && s <= MODEL_LAST_STEP; s++) {
		model_step *st = &m->steps[s];
		int found = 0;
		for (size_t i = 0; i < st->n_msg && !found; i++)
			if (st->msg[i].from_server != by_server && st->msg[i].kind == MODEL_MSG_CERTIFICATE)
				found = mark_span(&st->msg[i].fields, field);
		for (size_t r = 0; found && r < st->n_rec; r++)
			if (st->rec[r].from_server != by_server && mark_span(&st->rec[r].fields, field))
				break;
		if (found)
			return;
	}
}

int knowledge_outcome(model *m, const tls_conn *c, int by_server, int step)
{
	int sent = tls_conn_alert_sent(c);
	if (sent < 0 || m->alert.present)
		return 0;
	m->outcome = MODEL_ALERT;
	m->alert.present = 1;
	m->alert.by_server = by_server;
	m->alert.level = TLS_ALERT_FATAL;
	m->alert.desc = sent;
	m->alert.step = step;
	snprintf(m->alert.reason, sizeof m->alert.reason, "%s", tls_conn_error(c));
	if (sent == TLS_ALERT_BAD_RECORD_MAC)
		finished_unchecked(m, by_server, step);
	mark_deciding_field(m, c, by_server, step);
	return 1;
}

void knowledge_resume_notes(model *m)
{
	static const char skipped[] =
		"skipped: the client offered the session ID of an earlier handshake and the server still "
		"had it; both sides hold that session's master secret, so no certificate and no key "
		"exchange are needed";
	m->resumed = 1;
	snprintf(m->steps[3].note, sizeof m->steps[3].note, "%s", skipped);
	snprintf(m->steps[4].note, sizeof m->steps[4].note, "%s", skipped);
	/* Shown although nothing went by: the skip is the lesson. */
	m->steps[3].reached = m->steps[4].reached = 1;
	snprintf(m->steps[5].note, sizeof m->steps[5].note,
		 "in a resumed handshake the server finishes first: step 6 was sent before this "
		 "step, and the client answers it here with its ChangeCipherSpec and Finished");
	snprintf(m->steps[6].note, sizeof m->steps[6].note,
		 "sent right after the ServerHello, before the client's step 5: the keys come from "
		 "the resumed master secret and the two new randoms");
}

void knowledge_resume_declined(model *m, int ticket, int tls13)
{
	const char *why =
	    ticket
	        ? "the server declined the offered ticket: no pre_shared_key in its ServerHello, so a full "
	          "handshake follows, certificate and all, and the early secret is made from zeros again "
	          "(the client drops the PSK's early secret and binder key: they only made the binder)"
	    : tls13 ? "the server chose TLS 1.3, which cannot resume the TLS 1.2 session the client offered "
	              "(its ID went as legacy_session_id, RFC 8446 4.1.2): a full handshake follows"
	            : "the server did not resume the offered session: its ServerHello does not echo the "
	              "session ID, so a full handshake follows, certificate and key exchange included";
	if (ticket) {
		knowledge13_offer_note(m);
		/* The model keeps one schedule, the one from zeros: step 1's PSK
		 * early secret and binder key are not in it, so step 1 shows none
		 * rather than the zeros one the client did not hold yet. */
		static const char *const dropped[] = {"early_secret", "binder_key"};
		for (size_t i = 0; i < 2; i++) {
			int b = model13_index(dropped[i]);
			if (b >= 0)
				m->steps[1].client.t13_known &= ~(1u << b);
		}
	}
	snprintf(m->steps[2].note, sizeof m->steps[2].note, "%s", why);
}

void knowledge_session_notes(model *m, const tls_knowledge *k, int is_server)
{
	if (k->resumed && k->tls13.active)
		knowledge13_resume_notes(m);
	else if (k->resumed)
		knowledge_resume_notes(m);
	else if (!is_server && (k->tls13.psk_offered || k->has_cached_master))
		knowledge_resume_declined(m, k->tls13.psk_offered, k->tls13.active);
}

/* ---- holding the columns to "after step N" ---------------------------- */

/* The handshake hash of this model's version and suite: MD5 and SHA-1 side
 * by side for TLS 1.0/1.1, else the PRF's hash. */
typedef struct {
	int md5_sha1, sha384;
	hash_state a, b;
	size_t len;
	int opaque; /* a handshake message went by that nobody could read */
} transcript;

static void th_init(transcript *t, const model *m)
{
	memset(t, 0, sizeof *t);
	t->md5_sha1 = tls_version_uses_prf10(m->version);
	t->sha384 = !t->md5_sha1 && m->prf_sha384;
	if (t->md5_sha1) {
		md5_init(&t->a);
		sha1_init(&t->b);
	} else if (t->sha384) {
		sha384_init(&t->a);
	} else {
		sha256_init(&t->a);
	}
}

static void th_add(transcript *t, const uint8_t *p, size_t n)
{
	t->len += n;
	if (!n) /* libtomcrypt refuses a NULL input, even of length 0 */
		return;
	if (t->md5_sha1) {
		md5_process(&t->a, p, (unsigned long)n);
		sha1_process(&t->b, p, (unsigned long)n);
	} else if (t->sha384) {
		sha384_process(&t->a, p, (unsigned long)n);
	} else {
		sha256_process(&t->a, p, (unsigned long)n);
	}
}

/* The hash so far, into v (unknown once an unreadable message went by);
 * the running state goes on. */
static void th_value(const transcript *t, model_value *v)
{
	transcript c = *t;
	uint8_t h[48];
	size_t n = c.md5_sha1 ? 36 : c.sha384 ? 48 : 32;
	memset(v, 0, sizeof *v);
	if (c.opaque)
		return;
	if (c.md5_sha1) {
		md5_done(&c.a, h);
		sha1_done(&c.b, h + 16);
	} else if (c.sha384) {
		sha384_done(&c.a, h);
	} else {
		sha256_done(&c.a, h);
	}
	model_value_set(v, h, n);
	zeromem(&c, sizeof c);
}

/* Which messages have gone by: the moments the rule is made of. */
typedef struct {
	int client_hello, server_hello, hello_done, cke, finished[2];
} seen;

/* The order the steps' messages crossed the wire in: a resumed handshake's
 * server finishes (step 6) before the client (step 5). */
static int wire_step(const model *m, int i)
{
	static const int full[] = {1, 2, 3, 4, 5, 6}, resumed[] = {1, 2, 3, 4, 6, 5};
	return m->resumed ? resumed[i] : full[i];
}

/* How many entries of the wire order "after step n" covers. */
static int steps_covered(const model *m, int n)
{
	if (n >= 6 || (m->resumed && n == 5))
		return 6;
	return n;
}

/* Where the attacker's flip fell in message g of step k, or -1: the
 * message's bytes are the plaintext of consecutive handshake records from
 * its first one on (a fragmented message spans several). */
static long tampered_at(const model *m, int k, const model_msg *g)
{
	const model_step *st = &m->steps[k];
	if (!m->tamper.present || m->tamper.step != k || m->tamper.offset < 5 || g->encrypted)
		return -1;
	size_t before = 0; /* plaintext bytes of g's records before the tampered one */
	for (size_t r = g->record; r < st->n_rec && r < m->tamper.record; r++) {
		if (st->rec[r].type != TLS_CT_HANDSHAKE || st->rec[r].encrypted || st->rec[r].wire.len < 5)
			return -1;
		before += st->rec[r].wire.len - 5;
	}
	if (m->tamper.record < g->record)
		return -1;
	size_t pos = before + m->tamper.offset - 5;
	if (pos < g->record_offset || pos - g->record_offset >= g->bytes.len)
		return -1;
	return (long)(pos - g->record_offset);
}

/* Adds message g to both sides' transcripts: its sender hashed what it
 * wrote, its receiver what arrived (they differ where an attacker flipped
 * a byte). */
static void th_add_msg(const model *m, int k, const model_msg *g, transcript t[2])
{
	int sender = g->from_server ? 1 : 0;
	long at = tampered_at(m, k, g);
	th_add(&t[!sender], g->bytes.p, g->bytes.len);
	if (at < 0) {
		th_add(&t[sender], g->bytes.p, g->bytes.len);
		return;
	}
	uint8_t orig = (uint8_t)(g->bytes.p[at] ^ m->tamper.xor_);
	th_add(&t[sender], g->bytes.p, (size_t)at);
	th_add(&t[sender], &orig, 1);
	th_add(&t[sender], g->bytes.p + at + 1, g->bytes.len - (size_t)at - 1);
}

/* Feeds the handshake messages of one step to each side's transcript,
 * noting what went by and, at each first Finished, the hash its sender
 * computed it over. */
static void feed_step(model *m, int k, transcript t[2], seen *sn)
{
	const model_step *st = &m->steps[k];
	for (size_t i = 0; i < st->n_msg; i++) {
		const model_msg *g = &st->msg[i];
		int side = g->from_server ? 1 : 0;
		if (g->hs_type == MODEL_NOT_HS || g->hs_type == TLS_HS_HELLO_REQUEST)
			continue;
		if (g->hs_type == MODEL_HS_OPAQUE || !g->decrypted) {
			t[0].opaque = t[1].opaque = 1;
			continue;
		}
		if (g->hs_type == TLS_HS_FINISHED && !sn->finished[side]) {
			th_value(&t[side], &m->finished_hash[side]);
			m->finished_len[side] = m->finished_hash[side].known ? t[side].len : 0;
		}
		sn->client_hello |= g->hs_type == TLS_HS_CLIENT_HELLO;
		sn->server_hello |= g->hs_type == TLS_HS_SERVER_HELLO;
		sn->hello_done |= g->hs_type == TLS_HS_SERVER_HELLO_DONE;
		sn->cke |= g->hs_type == TLS_HS_CLIENT_KEY_EXCHANGE;
		if (g->hs_type == TLS_HS_FINISHED)
			sn->finished[side] = 1;
		th_add_msg(m, k, g, t);
	}
}

static void forget(model_side *s, enum model_secret i)
{
	memset(&s->v[i], 0, sizeof s->v[i]);
}

/* Drops what a column cannot hold yet, given what has gone by. The client
 * has all it needs for the premaster once the ServerHelloDone arrived; the
 * server once the ClientKeyExchange did. Resuming, both held the session's
 * master secret before this connection began: the client offers its ID in
 * the ClientHello and the server looks it up in its cache on receipt; the
 * keys follow once the ServerHello brought the new server random. */
static void hold_to_moments(const model *m, model_side *s, int server, const seen *sn)
{
	int pms = server ? sn->cke : sn->hello_done || sn->cke;
	int kx = pms || (m->resumed && sn->client_hello);
	if (!sn->client_hello)
		forget(s, MS_CLIENT_RANDOM);
	if (!sn->server_hello)
		forget(s, MS_SERVER_RANDOM);
	if (!pms)
		forget(s, MS_PREMASTER);
	if (!kx)
		forget(s, MS_MASTER);
	if (!kx || !sn->server_hello)
		for (int i = MS_CLIENT_MAC; i <= MS_SERVER_IV; i++)
			forget(s, (enum model_secret)i);
	if (!sn->finished[0])
		forget(s, MS_CLIENT_VERIFY);
	if (!sn->finished[1])
		forget(s, MS_SERVER_VERIFY);
}

void knowledge_settle(model *m, int upto)
{
	if (upto > MODEL_LAST_STEP)
		upto = MODEL_LAST_STEP;
	if (m->t13.active) {
		knowledge13_settle(m, upto);
		return;
	}
	transcript t[2]; /* the client's and the server's */
	seen sn = {0};
	th_init(&t[0], m);
	/* TLS 1.3 hides its handshake from ServerHello on and hashes it under
	 * another key schedule: tlsstep does not show its transcript. */
	t[0].opaque = m->version == 0x0304;
	t[1] = t[0];
	memset(m->finished_hash, 0, sizeof m->finished_hash);
	memset(m->finished_len, 0, sizeof m->finished_len);
	int fed = 0;
	for (int n = 1; n <= upto; n++) {
		model_step *st = &m->steps[n];
		if (n > 1 && !st->n_rec) {
			st->client = m->steps[n - 1].client;
			st->server = m->steps[n - 1].server;
		}
		for (int want = steps_covered(m, n); fed < want; fed++)
			feed_step(m, wire_step(m, fed), t, &sn);
		model_side *sides[2] = {&st->client, &st->server};
		for (int i = 0; i < 2; i++) {
			hold_to_moments(m, sides[i], i, &sn);
			th_value(&t[i], &sides[i]->transcript_hash);
			sides[i]->transcript_len = sides[i]->transcript_hash.known ? t[i].len : 0;
		}
	}
	zeromem(t, sizeof t);
}

void knowledge_infer_peer(model *m, int peer_is_server)
{
	for (int n = 1; n <= m->current && n <= MODEL_LAST_STEP; n++) {
		model_step *st = &m->steps[n];
		const model_side *mine = peer_is_server ? &st->client : &st->server;
		model_side *peer = peer_is_server ? &st->server : &st->client;
		char note[sizeof peer->cert_note];
		memcpy(note, peer->cert_note, sizeof note);
		*peer = *mine;
		memcpy(peer->cert_note, note, sizeof note); /* its own checks stay its own */
		peer->inferred = 1;
	}
	knowledge_settle(m, m->current);
}
