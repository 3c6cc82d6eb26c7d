#include "replay/model_fill.h"

#include "model/knowledge.h"
#include "model/model13.h"
#include "replay/fill13.h"
#include "tls/alert.h"
#include "tls/msg.h"

#include <stdio.h>
#include <string.h>

/* A key log entry for this connection, looked up as soon as its key is
 * known: the client random after ClientHello, the encrypted premaster
 * after ClientKeyExchange, both before the ChangeCipherSpec that needs it. */
static void find_keys(replay_conn *c)
{
	observer *o = c->obs;
	const keylog *k = c->ctx->opt->keys;
	if (!k || obs_has_master(o))
		return;
	const uint8_t *v, *cr = obs_client_random(o), *head = obs_rsa_head(o);
	if (cr && (v = replay_keylog_master(k, cr)) != NULL)
		obs_set_master(o, v);
	else if (head && (v = replay_keylog_rsa(k, head)) != NULL)
		obs_set_premaster(o, v, 48);
}

/* The observer files an alert; the replay decides whether it ended the
 * handshake. Only a readable fatal alert does. */
static void check_alert(replay_conn *c, int step, int dir)
{
	model *m = c->m;
	model_step *s = &m->steps[step];
	if (!s->n_msg || m->alert.present)
		return;
	const model_msg *g = &s->msg[s->n_msg - 1];
	if (g->kind != MODEL_MSG_ALERT || !g->decrypted || g->bytes.len != 2 ||
	    g->bytes.p[0] != TLS_ALERT_FATAL)
		return;
	m->alert.present = 1;
	m->alert.by_server = dir;
	m->alert.level = TLS_ALERT_FATAL;
	m->alert.desc = g->bytes.p[1];
	m->alert.step = step;
	snprintf(m->alert.reason, sizeof m->alert.reason,
		 "seen in the capture: the %s's reason is not on the wire, only the alert's name",
		 dir ? "server" : "client");
}

void replay_fill_record(replay_conn *c, int dir, const uint8_t *w, size_t n)
{
	int step = replay_fill13_record(c, dir, w, n);
	if (step) {
		if (step > 0 && c->m->alert.present == 0)
			check_alert(c, step, dir);
		return;
	}
	if (w[0] == TLS_CT_ALERT && obs_channel_started(c->obs))
		step = MODEL_LAST_STEP; /* an alert after both Finished closes the channel */
	step = obs_record(c->obs, dir, w, n, step);
	if (step < 1)
		return;
	replay_fill13_plain(c, dir, w, n);
	find_keys(c);
	if (w[0] == TLS_CT_ALERT)
		check_alert(c, step, dir);
}

static void missing_keys_note(replay_conn *c)
{
	const observer *o = c->obs;
	const replay_options *opt = c->ctx->opt;
	const tls_suite *suite = obs_suite(o);
	if (obs_has_master(o) || !obs_server_hello_seen(o) || obs_key_note(o)[0] ||
	    (c->t13 && c->t13->active))
		return;
	if (!opt->keys && !opt->rsa)
		replay_conn_note(c, "no keys given: the Finished messages and application data "
			     "stay encrypted (--keylog FILE, or --key FILE for RSA key exchange)");
	else if (opt->keys && !opt->rsa)
		replay_conn_note(c, "the key log has no CLIENT_RANDOM line for this connection's "
			     "client random");
	else if (suite && suite->kx != TLS_KX_RSA)
		replay_conn_note(c,
			  "the server key cannot open a %s key exchange: only RSA key exchange "
			  "hides the premaster secret under the server key; a key log is needed",
			  tls_suite_is_ecdhe(suite) ? "ECDHE" : "DHE");
}

static void summary(replay_conn *c)
{
	model *m = c->m;
	replay_conn_info *i = &c->info;
	i->version = m->version;
	i->suite_id = m->suite_id;
	snprintf(i->suite, sizeof i->suite, "%s", m->suite[0] ? m->suite : "none");
	i->keys = obs_has_master(c->obs);
	i->complete = obs_channel_started(c->obs);
	if (obs_key_note(c->obs)[0] && obs_server_hello_seen(c->obs) && !(c->t13 && c->t13->active))
		replay_conn_note(c, "%s", obs_key_note(c->obs));
	missing_keys_note(c);
	replay_fill13_finish(c);
}

/* What an eavesdropper holding the keys can reconstruct is shown in both
 * columns, each value from the step the protocol gives it to a side: a key
 * log or a server key tells the value, not the moment (the capture cannot
 * say who knew what first), so every step starts from everything the
 * observer ended up knowing and knowledge_settle takes away the rest. */
static void fill_knowledge(replay_conn *c)
{
	model *m = c->m;
	model_side all;
	obs_knowledge(c->obs, &all);
	if (m->t13.active)
		model13_mark(&all, &m->t13.sched);
	for (int s = 1; s <= m->current; s++)
		m->steps[s].client = m->steps[s].server = all;
	knowledge_settle(m, m->current);
	tls_wipe(&all, sizeof all);
}

void replay_fill_finish(replay_conn *c)
{
	model *m = c->m;
	obs_secrets(c->obs, m);
	if (m->alert.present)
		m->outcome = MODEL_ALERT;
	else if (obs_channel_started(c->obs))
		m->outcome = MODEL_ESTABLISHED;
	else
		m->outcome = MODEL_INCOMPLETE;
	for (int s = 1; s <= m->current; s++)
		m->steps[s].reached = 1;
	replay_fill13_sched(c);
	if (!c->ctx->opt->brief) /* a list shows no knowledge columns */
		fill_knowledge(c);
	summary(c);
}
