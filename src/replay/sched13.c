/* The TLS 1.3 key schedule of a replayed connection, as far as a key log
 * allows: each logged traffic secret (Derive-Secret of a handshake or
 * master secret the log does not hold, over the transcript hash the
 * capture gives) and below it the keys, IVs, finished keys and verify_data
 * expanded from it. The views draw it from the model's trace like the
 * simulator's full schedule; its roots simply start lower. */
#include "replay/fill13.h"

#include "tls/tls13_keys.h"

#include <string.h>

/* The key log's secrets, in the order the schedule makes them, with the
 * engine's name for each. */
static const struct {
	enum keylog13_label log;
	enum tls13_traffic which;
	int app; /* derived from the master secret: over Hash(.. server Finished) */
} rows[] = {
    {KL13_CLIENT_HANDSHAKE, TLS13_CLIENT_HANDSHAKE, 0}, {KL13_SERVER_HANDSHAKE, TLS13_SERVER_HANDSHAKE, 0},
    {KL13_CLIENT_TRAFFIC, TLS13_CLIENT_APPLICATION, 1}, {KL13_SERVER_TRAFFIC, TLS13_SERVER_APPLICATION, 1},
    {KL13_EXPORTER, TLS13_EXPORTER_MASTER, 1},
};

/* What the engine expands from a logged secret: key and IV, and for a
 * handshake secret the finished key, with verify_data when the transcript
 * before that Finished is known. */
static void below(replay_t13 *t, tls13_sched *s, enum tls13_traffic w)
{
	uint8_t key[32], iv[12], vd[TLS13_HASH_MAX];
	if (w != TLS13_EXPORTER_MASTER && tls13_sched_keys(s, w, key, t->key_len, iv, sizeof iv) == 0)
		tls_wipe(key, sizeof key);
	if (w != TLS13_CLIENT_HANDSHAKE && w != TLS13_SERVER_HANDSHAKE)
		return;
	int dir = w == TLS13_SERVER_HANDSHAKE, client = !dir;
	int rc = t->fin_ok[dir] >= 0 ? tls13_sched_finished(s, client, t->th_before_fin[dir], t->hash_len, vd)
	                             : tls13_sched_finished_key(s, client);
	(void)rc; /* a value that cannot be computed is left out of the trace */
}

void replay_fill13_sched(replay_conn *c)
{
	replay_t13 *t = c->t13;
	if (!t || !t->active || !t->keys || !c->m)
		return;
	tls13_sched *s = &c->m->t13.sched;
	tls13_sched_free(s);
	if (tls13_sched_init_given(s, t->hash, t->resumed))
		return;
	for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
		size_t len;
		const uint8_t *sec = replay_keylog_tls13(t->keys, t->client_random, rows[r].log, &len);
		const uint8_t *th = rows[r].app ? t->th_sf : t->th_sh;
		if (!sec || len != t->hash_len || !(rows[r].app ? t->have_th_sf : t->have_th_sh))
			continue;
		if (tls13_sched_given(s, rows[r].which, sec, len, th, t->hash_len) == 0)
			below(t, s, rows[r].which);
	}
}
