/* The TLS 1.3 key schedule of a replayed connection, as far as a key log
 * allows: each logged traffic secret (Derive-Secret of a handshake or
 * master secret the log does not hold, over the transcript hash the
 * capture gives) and below it the keys, IVs, finished keys and verify_data
 * expanded from it. The views draw it from the model's trace like the
 * simulator's full schedule; its roots simply start lower. */
#include "replay/fill13.h"

#include "tls/tls13_keys.h"

#include <string.h>

static tls13_step *add(tls13_sched *s, const char *name, const char *label, const char *from,
                       const uint8_t *ctx, size_t ctx_len, const uint8_t *v, size_t len)
{
	if (s->trace_len == TLS13_TRACE_MAX)
		return NULL;
	tls13_step *t = &s->trace[s->trace_len++];
	memset(t, 0, sizeof *t);
	t->name = name;
	t->label = label;
	t->from = from;
	if (ctx_len)
		memcpy(t->context, ctx, ctx_len);
	t->context_len = ctx_len;
	memcpy(t->value, v, len);
	t->len = len;
	return t;
}

static const struct {
	enum keylog13_label log;
	const char *name, *label, *from, *key, *iv, *fin_key, *verify;
	int dir, app;
} rows[] = {
    {KL13_CLIENT_HANDSHAKE, "client_handshake_traffic_secret", "c hs traffic", "handshake_secret",
     "client_handshake_write_key", "client_handshake_write_iv", "client_finished_key", "client_verify_data",
     0, 0},
    {KL13_SERVER_HANDSHAKE, "server_handshake_traffic_secret", "s hs traffic", "handshake_secret",
     "server_handshake_write_key", "server_handshake_write_iv", "server_finished_key", "server_verify_data",
     1, 0},
    {KL13_CLIENT_TRAFFIC, "client_application_traffic_secret_0", "c ap traffic", "master_secret",
     "client_application_write_key", "client_application_write_iv", NULL, NULL, 0, 1},
    {KL13_SERVER_TRAFFIC, "server_application_traffic_secret_0", "s ap traffic", "master_secret",
     "server_application_write_key", "server_application_write_iv", NULL, NULL, 1, 1},
    {KL13_EXPORTER, "exporter_master_secret", "exp master", "master_secret", NULL, NULL, NULL, NULL, 0, 1},
};

static void below(replay_t13 *t, tls13_sched *s, size_t r, const uint8_t *sec)
{
	uint8_t key[32], iv[12], fk[48], vd[48];
	size_t hl = t->hash_len;
	if (rows[r].key && !tls13_traffic_keys(t->hash, sec, hl, key, t->key_len, iv, 12)) {
		add(s, rows[r].key, "key", rows[r].name, NULL, 0, key, t->key_len);
		add(s, rows[r].iv, "iv", rows[r].name, NULL, 0, iv, 12);
	}
	int dir = rows[r].dir;
	if (rows[r].fin_key && !tls13_expand_label(t->hash, sec, hl, "finished", NULL, 0, fk, hl)) {
		add(s, rows[r].fin_key, "finished", rows[r].name, NULL, 0, fk, hl);
		if (t->fin_ok[dir] >= 0 &&
		    !tls13_finished(t->hash, sec, hl, t->th_before_fin[dir], hl, NULL, vd))
			add(s, rows[r].verify, NULL, rows[r].fin_key, t->th_before_fin[dir], hl, vd, hl);
	}
	tls_wipe(key, sizeof key);
	tls_wipe(fk, sizeof fk);
}

void replay_fill13_sched(replay_conn *c)
{
	replay_t13 *t = c->t13;
	if (!t || !t->active || !t->keys || !c->m)
		return;
	tls13_sched *s = &c->m->t13.sched;
	tls13_sched_free(s);
	memset(s, 0, sizeof *s);
	s->hash = t->hash;
	s->hash_len = t->hash_len;
	s->has_psk = t->resumed;
	for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
		size_t len;
		const uint8_t *sec = replay_keylog_tls13(t->keys, t->client_random, rows[r].log, &len);
		const uint8_t *th = rows[r].app ? t->th_sf : t->th_sh;
		if (!sec || len != t->hash_len || !(rows[r].app ? t->have_th_sf : t->have_th_sh))
			continue;
		add(s, rows[r].name, rows[r].label, rows[r].from, th, t->hash_len, sec, len);
		below(t, s, r, sec);
		s->stage = rows[r].app                        ? TLS13_STAGE_MASTER
		           : s->stage < TLS13_STAGE_HANDSHAKE ? TLS13_STAGE_HANDSHAKE
		                                              : s->stage;
	}
}
