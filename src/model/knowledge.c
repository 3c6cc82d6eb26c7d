#include "model/knowledge.h"

#include "tls/alert.h"

#include <stdio.h>
#include <string.h>

void knowledge_snapshot(model_side *o, const tls_knowledge *k)
{
	memset(o, 0, sizeof *o);
	const tls_keys *ks = &k->keys;
	if (k->has_client_random)
		model_value_set(&o->v[MS_CLIENT_RANDOM], k->client_random, 32);
	if (k->has_server_random)
		model_value_set(&o->v[MS_SERVER_RANDOM], k->server_random, 32);
	if (k->has_premaster) {
		model_value_set(&o->v[MS_PREMASTER], k->premaster, k->premaster_len);
		o->premaster_full.len = k->premaster_len < sizeof o->premaster_full.v ? k->premaster_len
										: sizeof o->premaster_full.v;
		memcpy(o->premaster_full.v, k->premaster, o->premaster_full.len);
	}
	if (k->has_master)
		model_value_set(&o->v[MS_MASTER], k->master, 48);
	if (k->has_keys) {
		if (ks->mac_len) {
			model_value_set(&o->v[MS_CLIENT_MAC], ks->client_mac, ks->mac_len);
			model_value_set(&o->v[MS_SERVER_MAC], ks->server_mac, ks->mac_len);
		}
		model_value_set(&o->v[MS_CLIENT_KEY], ks->client_key, ks->key_len);
		model_value_set(&o->v[MS_SERVER_KEY], ks->server_key, ks->key_len);
		model_value_set(&o->v[MS_CLIENT_IV], ks->client_iv, ks->iv_len);
		model_value_set(&o->v[MS_SERVER_IV], ks->server_iv, ks->iv_len);
	}
	if (k->has_client_verify)
		model_value_set(&o->v[MS_CLIENT_VERIFY], k->client_verify, 12);
	if (k->has_server_verify)
		model_value_set(&o->v[MS_SERVER_VERIFY], k->server_verify, 12);
	if (k->transcript_len)
		model_value_set(&o->transcript_hash, k->transcript_hash, k->transcript_hash_len);
	o->transcript_len = k->transcript_len;
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
	if (s.premaster_full.len && !m->premaster_full.len)
		m->premaster_full = s.premaster_full;
	if (k->has_keys && !m->key_block_len) {
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
		if (!strcmp(st->msg[i].name, "Finished") && st->msg[i].from_server != by_server)
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
			if (st->msg[i].from_server != by_server && !strcmp(st->msg[i].name, "Certificate"))
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
