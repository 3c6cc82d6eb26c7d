#include "replay/model_fill.h"

#include "tls/alert.h"
#include "tls/msg.h"

#include <stdio.h>
#include <string.h>

int fill_channel_started(const observer *o)
{
	return o->finished_seen[0] && o->finished_seen[1];
}

/* A key log entry for this connection, looked up as soon as its key is
 * known: the client random after ClientHello, the encrypted premaster
 * after ClientKeyExchange, both before the ChangeCipherSpec that needs it. */
static void find_keys(replay_conn *c)
{
	observer *o = &c->obs;
	const keylog *k = c->ctx->opt->keys;
	if (!k || o->have_master)
		return;
	const uint8_t *v;
	if (o->have_cr && (v = keylog_master(k, o->cr)) != NULL)
		obs_set_master(o, v);
	else if (o->have_epms && !o->have_pms && (v = keylog_rsa(k, o->epms_head)) != NULL)
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
	if (strcmp(g->name, "Alert") || !g->decrypted || g->bytes.len != 2 ||
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

/* Everything obs_knowledge reads, as three words: each value it shows is
 * set once, so its flag stands for it; the transcript only grows. */
static void knowledge_stamp(const observer *o, size_t st[3])
{
	st[0] = (size_t)(o->have_cr | o->have_sr << 1 | o->have_pms << 2 | o->have_master << 3 |
			 o->have_keys << 4 | o->have_verify[0] << 5 | o->have_verify[1] << 6);
	st[1] = o->pms_len;
	st[2] = o->transcript_len;
}

/* What an eavesdropper holding the keys can reconstruct is shown in both
 * columns: the capture cannot tell who knew what first. A snapshot costs a
 * hash and a few KB of copying, and most records change nothing in it. */
static void snapshot(replay_conn *c, int step)
{
	model_step *s = &c->m->steps[step];
	size_t st[3];
	knowledge_stamp(&c->obs, st);
	if (!c->snap_step || memcmp(st, c->snap_stamp, sizeof st))
		obs_knowledge(&c->obs, &s->client);
	else if (c->snap_step != step)
		s->client = c->m->steps[c->snap_step].client;
	else
		return; /* this step's snapshot is already this */
	s->server = s->client;
	memcpy(c->snap_stamp, st, sizeof st);
	c->snap_step = step;
}

void fill_record(replay_conn *c, int dir, const uint8_t *w, size_t n)
{
	int step = 0;
	if (w[0] == TLS_CT_ALERT && fill_channel_started(&c->obs))
		step = MODEL_LAST_STEP; /* an alert after both Finished closes the channel */
	step = obs_record(&c->obs, dir, w, n, step);
	if (step < 1)
		return;
	find_keys(c);
	if (w[0] == TLS_CT_ALERT)
		check_alert(c, step, dir);
	if (!c->obs.brief) /* a list shows no knowledge columns */
		snapshot(c, step);
	c->snapped[step] = 1;
}

static void missing_keys_note(replay_conn *c)
{
	observer *o = &c->obs;
	const replay_options *opt = c->ctx->opt;
	if (o->have_master || !o->have_sr || o->key_note[0])
		return;
	if (!opt->keys && !opt->rsa)
		conn_note(c, "no keys given: the Finished messages and application data "
			     "stay encrypted (--keylog FILE, or --key FILE for RSA key exchange)");
	else if (opt->keys && !opt->rsa)
		conn_note(c, "the key log has no CLIENT_RANDOM line for this connection's "
			     "client random");
	else if (o->suite && o->suite->kx != TLS_KX_RSA)
		conn_note(c,
			  "the server key cannot open a %s key exchange: only RSA key exchange "
			  "hides the premaster secret under the server key; a key log is needed",
			  tls_suite_is_ecdhe(o->suite) ? "ECDHE" : "DHE");
}

static void summary(replay_conn *c)
{
	model *m = c->m;
	replay_conn_info *i = &c->info;
	i->version = m->version;
	i->suite_id = m->suite_id;
	snprintf(i->suite, sizeof i->suite, "%s", m->suite[0] ? m->suite : "none");
	i->keys = c->obs.have_master;
	i->complete = fill_channel_started(&c->obs);
	if (c->obs.key_note[0] && c->obs.have_sr)
		conn_note(c, "%s", c->obs.key_note);
	missing_keys_note(c);
}

void fill_finish(replay_conn *c)
{
	model *m = c->m;
	obs_secrets(&c->obs, m);
	if (m->alert.present)
		m->outcome = MODEL_ALERT;
	else if (fill_channel_started(&c->obs))
		m->outcome = MODEL_ESTABLISHED;
	else
		m->outcome = MODEL_INCOMPLETE;
	/* Steps with no record of their own (TLS 1.3 has no step 4) show the
	 * knowledge of the step before. */
	for (int s = 1; s <= m->current; s++) {
		m->steps[s].reached = 1;
		if (!c->snapped[s] && s > 1)
			m->steps[s].client = m->steps[s].server = m->steps[s - 1].client;
	}
	summary(c);
}
