/* --predict: every question kind's right answer, for every scenario and
 * for two replayed captures, re-derived here from the model by other
 * means than the builder's (parsing the hello bytes, the knowledge
 * columns, the alert), never from stored text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "scenario_creds.h"
#include "srcdir.h"

#include "app/files.h"
#include "app/record.h"
#include "replay/keylog.h"
#include "replay/replay.h"
#include "sim/sim.h"
#include "tls/alert.h"
#include "tls/suites.h"
#include "ui/lesson.h"
#include "ui/predict.h"
#include "tmpname.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *right_text(const predict_q *q)
{
	return q->choice[q->right];
}

/* The ServerHello's cipher_suite, read from its bytes: header 4, version
 * 2, random 32, session_id 1+n. */
static int hello_suite(const model *m)
{
	const model_msg *sh = model_find_msg(m, 2, MODEL_MSG_SERVER_HELLO, 1);
	if (!sh)
		return -1;
	size_t at = 4 + 2 + 32;
	assert_true(sh->bytes.len > at);
	at += 1 + sh->bytes.p[at];
	assert_true(sh->bytes.len >= at + 2);
	return sh->bytes.p[at] << 8 | sh->bytes.p[at + 1];
}

static void check_suite(const model *m, const predict_q *q)
{
	int id = hello_suite(m);
	char hex[16];
	if (id < 0) {
		assert_non_null(strstr(right_text(q), "none"));
		assert_true(m->alert.present && m->alert.by_server && m->alert.step == q->step);
		return;
	}
	assert_int_equal(id, m->suite_id);
	snprintf(hex, sizeof hex, "(0x%04X)", id);
	assert_non_null(strstr(right_text(q), hex));
	for (int i = 0; i < q->n_choices; i++)
		if (i != q->right)
			assert_null(strstr(q->choice[i], hex));
}

/* The range the answer names holds exactly the server random; no other
 * choice does. */
static void check_random(const model *m, const predict_q *q)
{
	const model_step *st = &m->steps[2];
	assert_true(m->secrets[MS_SERVER_RANDOM].known);
	for (int i = 0; i < q->n_choices; i++) {
		unsigned a, b;
		assert_int_equal(sscanf(q->choice[i], "bytes 0x%x to 0x%x", &a, &b), 2);
		int holds = 0;
		for (size_t r = 0; r < st->n_rec; r++)
			holds |= b - a + 1 == 32 && b < st->rec[r].wire.len &&
			         !memcmp(st->rec[r].wire.p + a, m->secrets[MS_SERVER_RANDOM].v, 32);
		assert_int_equal(holds, i == q->right);
	}
}

static void check_messages(const model *m, const predict_q *q)
{
	char want[160] = "";
	const model_step *st = &m->steps[q->step];
	for (size_t i = 0; i < st->n_msg; i++) {
		strcat(want, i ? ", " : "");
		strcat(want, model_msg_name(st->msg[i].kind));
	}
	assert_string_equal(right_text(q), want);
	for (int i = 0; i < q->n_choices; i++)
		if (i != q->right)
			assert_string_not_equal(q->choice[i], want);
}

static void check_master(const model *m, const predict_q *q)
{
	int c = m->steps[q->step].client.v[MS_MASTER].known, s = m->steps[q->step].server.v[MS_MASTER].known;
	const char *t = right_text(q);
	assert_null(strstr(t, "an eavesdropper too"));
	if (c && s)
		assert_string_equal(t, "the client and the server, but not an eavesdropper");
	else if (c)
		assert_string_equal(t, "only the client");
	else if (s)
		assert_string_equal(t, "only the server");
	else
		assert_string_equal(t, "nobody yet");
}

static void check_certificate(const model *m, const predict_q *q)
{
	const char *t = right_text(q);
	if (m->alert.present && !m->alert.by_server && m->alert.step == 3)
		assert_non_null(strstr(t, tls_alert_name(m->alert.desc)));
	else
		assert_true(m->current > 3 && !strncmp(t, "accepts", 7));
}

static void check_tamper(const model *m, const predict_q *q)
{
	char want[64];
	if (m->outcome != MODEL_ALERT) {
		assert_non_null(strstr(right_text(q), "nowhere"));
		return;
	}
	snprintf(want, sizeof want, "at step %d ", m->alert.step);
	assert_non_null(strstr(right_text(q), want));
	assert_non_null(
	    strstr(right_text(q), m->alert.by_server ? "the server notices" : "the client notices"));
}

static void check_resume(const model *m, const predict_q *q)
{
	/* each message named is one of a full handshake that this run lacks */
	char t[160];
	snprintf(t, sizeof t, "%s", right_text(q));
	int n = 0;
	for (char *save, *name = strtok_r(t, ", ", &save); name; name = strtok_r(NULL, ", ", &save), n++)
		for (int s = 1; s <= m->current; s++)
			for (size_t i = 0; i < m->steps[s].n_msg; i++)
				assert_string_not_equal(name, model_msg_name(m->steps[s].msg[i].kind));
	assert_true(n >= 3); /* a certificate, the key exchange, the hello done */
	assert_non_null(strstr(right_text(q), "ClientKeyExchange"));
}

static const struct {
	const char *kind;
	void (*check)(const model *m, const predict_q *q);
} checks[] = {
    {"suite", check_suite},   {"server_random", check_random},    {"messages", check_messages},
    {"master", check_master}, {"certificate", check_certificate}, {"tamper", check_tamper},
    {"resume", check_resume},
};

/* Every kind at every step: built or not, a built one is re-derived; and
 * the session words every question. Returns the questions built. */
static int check_model(const model *m, int *kinds_seen)
{
	int built = 0;
	for (size_t k = 0; k < predict_kind_count(); k++) {
		const predict_kind *pk = predict_kind_at(k);
		size_t j = 0;
		while (strcmp(checks[j].kind, pk->id))
			j++;
		for (int step = 1; step <= m->current; step++) {
			predict_q q;
			int r = predict_build(pk, m, step, &q);
			assert_true(r >= 0);
			if (!r)
				continue;
			assert_true(q.n_choices >= 2 && q.n_choices <= PREDICT_CHOICES);
			assert_true(q.right >= 0 && q.right < q.n_choices);
			for (int a = 0; a < q.n_choices; a++)
				for (int b = a + 1; b < q.n_choices; b++)
					assert_string_not_equal(q.choice[a], q.choice[b]);
			checks[j].check(m, &q);
			kinds_seen[k]++;
			built++;
		}
	}
	static predict_session s;
	char err[512];
	if (predict_session_init(&s, m, err, sizeof err))
		fail_msg("%s", err);
	for (int step = 1; step <= m->current; step++)
		for (int i = 0; i < s.steps[step].n; i++)
			assert_true(s.steps[step].q[i].ask[0] && s.steps[step].q[i].why[0] &&
			            s.steps[step].q[i].see[0]);
	return built;
}

static void sim_model(const char *scenario, uint64_t seed, model *m)
{
	sim *s;
	char err[512];
	sim_options o = {0};
	o.scenario = scenario;
	o.seed = seed;
	o.secure_channel = 1;
	o.creds = scenario_creds(scenario);
	assert_int_equal(sim_new(&s, &o, m, err, sizeof err), 0);
	assert_int_equal(sim_run(s), 0);
	sim_free(s);
}

static void every_scenario(void **state)
{
	(void)state;
	int seen[16] = {0};
	for (size_t i = 0; i < sim_scenario_count(); i++) {
		for (uint64_t seed = 1; seed <= 2; seed++) {
			model m;
			sim_model(sim_scenario_at(i)->name, seed, &m);
			int n = check_model(&m, seen);
			if (!n)
				fail_msg("scenario %s asks nothing", sim_scenario_at(i)->name);
			model_free(&m);
		}
	}
	for (size_t k = 0; k < predict_kind_count(); k++)
		if (!seen[k])
			fail_msg("no scenario asks the kind %s", predict_kind_at(k)->id);
}

/* The same run asks the same questions, the right answer under the same
 * letter; another seed may move it. */
static void deterministic(void **state)
{
	(void)state;
	model a, b;
	static predict_session x, y;
	char err[256];
	sim_model("ecdhe", 7, &a);
	sim_model("ecdhe", 7, &b);
	assert_int_equal(predict_session_init(&x, &a, err, sizeof err), 0);
	assert_int_equal(predict_session_init(&y, &b, err, sizeof err), 0);
	for (int s = 1; s <= MODEL_LAST_STEP; s++) {
		assert_int_equal(x.steps[s].n, y.steps[s].n);
		for (int i = 0; i < x.steps[s].n; i++) {
			assert_int_equal(x.steps[s].q[i].right, y.steps[s].q[i].right);
			assert_string_equal(x.steps[s].q[i].choice[0], y.steps[s].q[i].choice[0]);
		}
	}
	/* scoring: right, then changed to wrong */
	const predict_q *q = &x.steps[2].q[0];
	assert_int_equal(predict_answer(&x, 2, 0, q->right), 1);
	assert_int_equal(x.right, 1);
	assert_int_equal(predict_answer(&x, 2, 0, (q->right + 1) % q->n_choices), 0);
	assert_int_equal(x.right, 0);
	assert_int_equal(x.asked, 1);
	model_free(&a);
	model_free(&b);
}

/* ---- replayed captures ---------------------------------------------- */

typedef struct {
	int calls, built;
	int seen[16];
} replay_result;

static void emit(void *ctx, const replay_conn_info *info, model *m)
{
	(void)info;
	replay_result *r = ctx;
	r->calls++;
	r->built += check_model(m, r->seen);
}

static replay_result replay_file(const char *pcap, const char *keylog_path)
{
	keylog keys;
	char err[512];
	replay_keylog_init(&keys, "test", NULL);
	if (replay_keylog_load(&keys, keylog_path, err, sizeof err))
		fail_msg("%s", err);
	replay_keylog_finish(&keys);
	replay_result r = {0};
	replay_options o = {.keys = &keys, .emit = emit, .ctx = &r};
	replay_stats st;
	if (replay_run(pcap, &o, &st, err, sizeof err))
		fail_msg("%s", err);
	replay_keylog_free(&keys);
	return r;
}

static void illustrated(void **state)
{
	(void)state;
	replay_result r = replay_file(SRC("tests/fixtures/illustrated-tls12/capture.pcap"),
	                              SRC("tests/fixtures/illustrated-tls12/keylog.txt"));
	assert_int_equal(r.calls, 1);
	assert_true(r.built >= 5);
	assert_true(r.seen[2] && r.seen[4]); /* the suite and the server random */
}

/* A capture the simulator records (the files `--record` writes), replayed:
 * a DHE handshake, so the kinds meet a ServerKeyExchange too. */
static void recorded(void **state)
{
	(void)state;
	model m;
	char err[512];
	sim_model("dhe", 3, &m);
	char pcap[TMPNAME_MAX];
	tmpname_template(pcap, "tlsstep-predict");
	int fd = mkstemp(pcap);
	assert_true(fd >= 0);
	close(fd);
	char keys[TMPNAME_MAX + 8];
	snprintf(keys, sizeof keys, "%s.keys", pcap);
	assert_int_equal(app_record_pcap(&m, pcap, err, sizeof err), 0);
	assert_int_equal(app_record_keylog(&m, keys, err, sizeof err), 0);
	replay_result r = replay_file(pcap, keys);
	unlink(pcap);
	unlink(keys);
	assert_int_equal(r.calls, 1);
	assert_true(r.seen[2] && r.seen[4] && r.seen[5] && r.seen[6]);
	model_free(&m);
}

int main(void)
{
	use_srcdir();
	lesson_set_reader(data_lesson_read);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(every_scenario),
	    cmocka_unit_test(deterministic),
	    cmocka_unit_test(illustrated),
	    cmocka_unit_test(recorded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
