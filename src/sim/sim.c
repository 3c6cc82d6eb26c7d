#include "sim/sim.h"

#include "model/knowledge.h"
#include "model/model13.h"
#include "model/observe.h"
#include "sim/pipe.h"
#include "tls/alert.h"
#include "tls/conn.h"
#include "tls/msg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sim {
	sim_options opt;
	const sim_scenario *sc;
	model *m;
	observer *obs;
	sim_pipe pipe;
	tls_rng rng[2];
	tls_conn *side[2]; /* 0 client, 1 server */
	int next;          /* next step to run */
	int done;
	int failed; /* out of memory moving a record: the run cannot go on */
	size_t tamper_seen;
	tls_session session, cache; /* resume: the client's saved session, the server's cache */
};

void sim_creds_free(sim_creds *cr)
{
	tls_creds_free(&cr->server);
	tls_creds_free(&cr->client);
}

/* What a TLS 1.3 scenario adds: both sides offer and accept 1.3. */
static void scenario13_configs(const sim_scenario *sc, tls_config *cc, tls_config *scfg)
{
	cc->max_version = 0x0304;
	scfg->max_version = sc->server_version == 0x0303 ? 0 : 0x0304;
	cc->suites13 = scfg->suites13 = sc->suites13;
	cc->n_suites13 = scfg->n_suites13 = sc->n_suites13;
	scfg->groups = sc->server_groups;
	scfg->n_groups = sc->n_server_groups;
	cc->middlebox_compat = sc->compat;
	scfg->tickets = sc->tickets;
}

void sim_scenario_configs(const sim_scenario *sc, const sim_creds *cr, tls_config *cc, tls_config *scfg)
{
	const tls_creds *server = &cr->server, *client = &cr->client;
	memset(cc, 0, sizeof *cc);
	memset(scfg, 0, sizeof *scfg);
	cc->suites = sc->client_suites;
	cc->n_suites = sc->n_client;
	cc->sig_algs = sc->client_sig_algs;
	cc->n_sig_algs = sc->n_client_sig_algs;
	cc->server_name = sc->server_name;
	cc->anchors = client->anchors;
	cc->n_anchors = client->n_anchors;
	cc->max_version = sc->client_version;
	cc->chain_der = client->chain_der; /* mutual: the client's certificate */
	cc->chain_len = client->chain_len;
	cc->chain_n = client->chain_n;
	cc->key = client->has_key ? &client->key : NULL;
	cc->ems = scfg->ems = sc->ems;
	cc->etm = scfg->etm = sc->etm;
	scfg->is_server = 1;
	scfg->suites = sc->server_suites;
	scfg->n_suites = sc->n_server;
	scfg->chain_der = server->chain_der;
	scfg->chain_len = server->chain_len;
	scfg->chain_n = server->chain_n;
	scfg->key = &server->key;
	scfg->request_client_cert = sc->request_client_cert;
	scfg->client_anchors = server->anchors;
	scfg->n_client_anchors = server->n_anchors;
	if (sc->tls13)
		scenario13_configs(sc, cc, scfg);
}

static int make_sides(sim *s, char *err, size_t errlen)
{
	tls_config cc, sc;
	sim_scenario_configs(s->sc, s->opt.creds, &cc, &sc);
	cc.rng = &s->rng[0];
	sc.rng = &s->rng[1];
	cc.now = sc.now = s->opt.now;
	cc.max_fragment = sc.max_fragment = s->opt.max_fragment;
	cc.insecure = s->opt.accept_untrusted;
	cc.resume = s->session.valid ? &s->session : NULL;
	sc.session_cache = s->sc->resume ? &s->cache : NULL;
	if (tls_conn_new(&s->side[0], &cc) || tls_conn_new(&s->side[1], &sc)) {
		snprintf(err, errlen, "cannot create the client and server");
		return -1;
	}
	return 0;
}

/* Runs a whole handshake with nobody watching (the first connection of a
 * resume scenario), keeping the client's session. */
static int first_connection(sim *s, char *err, size_t errlen)
{
	if (make_sides(s, err, errlen))
		return -1;
	tls_conn_start(s->side[0]);
	for (int moved = 1; moved;) {
		moved = 0;
		for (int i = 0; i < 2; i++) {
			const uint8_t *p;
			size_t n = tls_conn_output(s->side[i], &p);
			if (n) {
				tls_conn_recv(s->side[!i], p, n);
				tls_conn_consume(s->side[i], n);
				moved = 1;
			}
		}
	}
	int ok = tls_conn_session(s->side[0], &s->session) == 0 && s->cache.valid;
	tls_conn_free(s->side[0]);
	tls_conn_free(s->side[1]);
	s->side[0] = s->side[1] = NULL;
	if (!ok)
		snprintf(err, errlen, "the first connection of the resume scenario failed");
	return ok ? 0 : -1;
}

static int start(sim *s, char *err, size_t errlen)
{
	if (tls_rng_seed(&s->rng[0], s->opt.seed, "client") ||
	    tls_rng_seed(&s->rng[1], s->opt.seed, "server")) {
		snprintf(err, errlen, "cannot start the random generator");
		return -1;
	}
	if (s->sc->resume) {
		if (first_connection(s, err, errlen))
			return -1;
		if (s->sc->tls13)
			knowledge13_resume_notes(s->m);
		else
			knowledge_resume_notes(s->m);
	}
	return make_sides(s, err, errlen);
}

int sim_new(sim **out, const sim_options *opt, model *m, char *err, size_t errlen)
{
	sim *s = calloc(1, sizeof *s);
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	s->opt = *opt;
	if (!s->opt.now)
		s->opt.now = SIM_DEFAULT_TIME;
	s->sc = sim_scenario_lookup(opt->scenario, err, errlen);
	if (s->sc && !opt->creds)
		snprintf(err, errlen, "no certificates or keys were given for scenario '%s'", s->sc->name);
	if (!s->sc || !opt->creds) {
		free(s);
		return -1;
	}
	if (!s->opt.tamper && s->sc->tamper_step) {
		s->opt.tamper = 1;
		s->opt.tamper_step = s->sc->tamper_step;
		s->opt.tamper_offset = s->sc->tamper_offset;
		s->opt.tamper_xor = s->sc->tamper_xor;
		s->opt.tamper_inside = s->sc->tamper_inside;
	}
	s->m = m;
	model_init(m, "simulation");
	snprintf(m->scenario, sizeof m->scenario, "%s", s->sc->name);
	if (s->sc->tls13)
		model13_titles(m, 1); /* before any ServerHello says 1.3 */
	m->seed = opt->seed;
	m->has_seed = 1;
	s->obs = obs_new(m);
	s->next = 1;
	if (!s->obs) {
		snprintf(err, errlen, "out of memory");
		sim_free(s);
		return -1;
	}
	if (start(s, err, errlen)) {
		sim_free(s);
		return -1;
	}
	*out = s;
	return 0;
}

void sim_free(sim *s)
{
	if (!s)
		return;
	tls_conn_free(s->side[0]);
	tls_conn_free(s->side[1]);
	tls_rng_free(&s->rng[0]);
	tls_rng_free(&s->rng[1]);
	tls_session_wipe(&s->session);
	tls_session_wipe(&s->cache);
	sim_pipe_free(&s->pipe);
	obs_free(s->obs);
	free(s);
}

int sim_finished(const sim *s)
{
	return s->done;
}

/* TLS 1.3: the observer opens the records with the traffic keys the two
 * sides derived (the simulator sees both). */
/* Moves every whole record each engine has written onto the pipe. */
static void collect(sim *s)
{
	for (int i = 0; i < 2; i++) {
		size_t n;
		const uint8_t *p;
		while ((n = tls_conn_next_record(s->side[i])) > 0) {
			tls_conn_output(s->side[i], &p);
			if (sim_pipe_push(&s->pipe, i, p, n)) {
				s->failed = s->done = 1;
				return;
			}
			tls_conn_consume(s->side[i], n);
		}
		if (!obs_has_master(s->obs) && tls_conn_knowledge(s->side[i])->has_master)
			obs_set_master(s->obs, tls_conn_knowledge(s->side[i])->master);
		obs_take_tls13_keys(s->obs, tls_conn_knowledge(s->side[i]));
	}
}

static void tamper(sim *s, int step, int dir, uint8_t *rec, size_t n)
{
	if (!s->opt.tamper || s->opt.tamper_step != step)
		return;
	if (s->opt.tamper_inside) {
		size_t before = s->tamper_seen;
		if (obs_tls13_tamper(s->obs, dir, rec, n, &s->tamper_seen, s->opt.tamper_offset,
		                     s->opt.tamper_xor)) {
			/* GCM and ChaCha20 encrypt byte by byte: resealed, the record
			 * differs at the flipped byte's place after the 5-byte header
			 * (by the same XOR) and in its tag. Mark that wire byte. */
			s->m->tamper.inside = 1;
			s->m->tamper.step = step;
			s->m->tamper.record = s->m->steps[step].n_rec;
			s->m->tamper.offset = 5 + (s->opt.tamper_offset - before);
			s->m->tamper.xor_ = s->opt.tamper_xor;
		}
		return;
	}
	if (s->opt.tamper_offset >= s->tamper_seen && s->opt.tamper_offset < s->tamper_seen + n) {
		size_t at = s->opt.tamper_offset - s->tamper_seen;
		rec[at] ^= s->opt.tamper_xor;
		/* the record about to be observed in this step */
		s->m->tamper.present = 1;
		s->m->tamper.step = step;
		s->m->tamper.record = s->m->steps[step].n_rec;
		s->m->tamper.offset = at;
		s->m->tamper.xor_ = s->opt.tamper_xor;
	}
	s->tamper_seen += n;
}

/* Delivers the head record of one direction if it belongs to this step. */
static int deliver_one(sim *s, int dir, int step)
{
	uint8_t *rec;
	size_t n = sim_pipe_peek(&s->pipe, dir, &rec);
	if (!n)
		return 0;
	int is_alert = rec[0] == TLS_CT_ALERT;
	if (!is_alert && obs_classify(s->obs, dir, rec, n) != step)
		return 0;
	tamper(s, step, dir, rec, n);
	obs_record(s->obs, dir, rec, n, step);
	tls_conn_recv(s->side[!dir], rec, n);
	sim_pipe_pop(&s->pipe, dir);
	collect(s);
	return 1;
}

static void secure_channel(sim *s)
{
	static const char req[] = "GET / HTTP/1.0\r\nHost: server.tlsstep.test\r\n\r\n";
	static const char resp[] = "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nHello from the tlsstep server.\n";
	tls_conn_send_app(s->side[0], (const uint8_t *)req, sizeof req - 1);
	collect(s);
	while (deliver_one(s, PIPE_C2S, 7))
		;
	uint8_t buf[256];
	if (tls_conn_take_app(s->side[1], buf, sizeof buf) > 0)
		tls_conn_send_app(s->side[1], (const uint8_t *)resp, sizeof resp - 1);
	tls_conn_close(s->side[1]);
	collect(s);
	while (deliver_one(s, PIPE_S2C, 7))
		;
	tls_conn_take_app(s->side[0], buf, sizeof buf);
	tls_conn_close(s->side[0]);
	collect(s);
	while (deliver_one(s, PIPE_C2S, 7))
		;
}

static void finish_step(sim *s, int step)
{
	model *m = s->m;
	model_step *st = &m->steps[step];
	knowledge_snapshot(&st->client, tls_conn_knowledge(s->side[0]));
	knowledge_snapshot(&st->server, tls_conn_knowledge(s->side[1]));
	st->reached = 1;
	m->current = step;
	knowledge_merge_secrets(m, tls_conn_knowledge(s->side[0]));
	knowledge_merge_secrets(m, tls_conn_knowledge(s->side[1]));
	knowledge_settle(m, step);
	if (knowledge_outcome(m, s->side[0], 0, step) || knowledge_outcome(m, s->side[1], 1, step)) {
		/* Resumed, the server's step 6 crossed the wire before the client's
		 * step 5: a step 5 that ends in an alert still shows it. */
		if (s->sc->resume && !s->sc->tls13 && step == 5 && m->steps[6].n_rec && !m->steps[6].reached) {
			m->steps[6].client = st->client;
			m->steps[6].server = st->server;
			m->steps[6].reached = 1;
			m->current = 6;
			knowledge_settle(m, 6);
		}
		s->done = 1;
		return;
	}
	int est = tls_conn_status(s->side[0]) == TLS_ESTABLISHED &&
		  tls_conn_status(s->side[1]) == TLS_ESTABLISHED;
	if (est || (step == MODEL_LAST_STEP && m->outcome == MODEL_ESTABLISHED)) {
		m->outcome = MODEL_ESTABLISHED;
		if (step >= 6 && (!s->opt.secure_channel || step == MODEL_LAST_STEP))
			s->done = 1;
	}
}

int sim_step(sim *s)
{
	if (s->done)
		return 0;
	int step = s->next++;
	s->tamper_seen = 0;
	if (step == 1) {
		tls_conn_start(s->side[0]);
		collect(s);
	}
	/* Resumed: the client cannot answer before the server's Finished,
	 * which is filed under step 6 where it belongs. */
	if (s->sc->resume && !s->sc->tls13 && step == 5)
		while (deliver_one(s, PIPE_S2C, 6))
			;
	if (step == MODEL_LAST_STEP)
		secure_channel(s);
	else
		while (deliver_one(s, PIPE_C2S, step) || deliver_one(s, PIPE_S2C, step))
			;
	finish_step(s, step);
	if (s->failed)
		return -1;
	if (!s->done && step >= 6 && s->m->outcome != MODEL_ESTABLISHED) {
		s->m->outcome = MODEL_INCOMPLETE;
		s->done = 1;
	}
	return step;
}

int sim_run(sim *s)
{
	int rc;
	while ((rc = sim_step(s)) > 0)
		;
	return rc;
}
