/* "After step N": each side's column holds what it has received or computed
 * by the end of step N, its transcript hash covers exactly the handshake
 * messages of steps 1..N, and a value appears only from the step in which
 * the protocol gives it to that side. Checked on the simulator one step at
 * a time (as the TUI shows it), on a resumed handshake, and on the peer
 * column a live connection infers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "scenario_creds.h"

#include "app/files.h"
#include "model/knowledge.h"
#include "sim/sim.h"
#include "ui/layout.h"
#include "ui/lesson.h"

#include <tomcrypt.h>

static model *start(const char *scenario, sim **s)
{
	sim_options o = {.seed = 1, .scenario = scenario, .secure_channel = 1};
	model *m = calloc(1, sizeof *m);
	char err[256];
	assert_non_null(m);
	o.creds = scenario_creds(o.scenario);
	assert_int_equal(sim_new(s, &o, m, err, sizeof err), 0);
	return m;
}

static model *run(const char *scenario)
{
	sim *s;
	model *m = start(scenario, &s);
	assert_int_equal(sim_run(s), 0);
	sim_free(s);
	return m;
}

static void done(model *m)
{
	model_free(m);
	free(m);
}

/* SHA-256 of the handshake messages the model files in steps 1..n. */
static size_t hash_through(const model *m, int n, uint8_t out[32])
{
	hash_state h;
	size_t len = 0;
	sha256_init(&h);
	for (int k = 1; k <= n; k++)
		for (size_t i = 0; i < m->steps[k].n_msg; i++) {
			const model_msg *g = &m->steps[k].msg[i];
			if (g->hs_type < 0 || g->hs_type > 255)
				continue;
			sha256_process(&h, g->bytes.p, (unsigned long)g->bytes.len);
			len += g->bytes.len;
		}
	sha256_done(&h, out);
	return len;
}

static void test_rsa_step_by_step(void **st)
{
	(void)st;
	sim *s;
	model *m = start("rsa", &s);
	/* the lengths of RSA seed 1: ClientHello .. ServerHelloDone, then
	 * through the ClientKeyExchange, then the client's Finished */
	for (int step = 1; step <= 6; step++) {
		assert_int_equal(sim_step(s), step);
		const model_step *x = &m->steps[step];
		uint8_t want[32];
		size_t len = hash_through(m, step, want);
		assert_int_equal(x->client.transcript_len, len);
		assert_int_equal(x->server.transcript_len, len);
		assert_memory_equal(x->client.transcript_hash.v, want, 32);
		assert_memory_equal(x->server.transcript_hash.v, want, 32);
		if (step == 4)
			assert_int_equal(len, 1109); /* not 1,387: nobody ran ahead */
		assert_int_equal(x->client.v[MS_SERVER_RANDOM].known, step >= 2);
		assert_int_equal(x->server.v[MS_SERVER_RANDOM].known, step >= 2);
		assert_int_equal(x->client.v[MS_MASTER].known, step >= 4);
		assert_int_equal(x->server.v[MS_MASTER].known, step >= 5);
		assert_int_equal(x->server.v[MS_PREMASTER].known, step >= 5);
		assert_int_equal(x->server.v[MS_CLIENT_KEY].known, step >= 5);
		assert_int_equal(x->client.v[MS_CLIENT_VERIFY].known, step >= 5);
		assert_int_equal(x->server.v[MS_SERVER_VERIFY].known, step >= 6);
	}
	sim_free(s);
	assert_int_equal(m->finished_len[0], 1371);
	assert_int_equal(m->finished_len[1], 1387);
	assert_int_equal(m->finished_hash[0].v[0], 0x7e);
	assert_int_equal(m->finished_hash[0].v[1], 0x2c);
	/* the server's Finished covers the client's: the hash after step 5 */
	assert_memory_equal(m->finished_hash[1].v, m->steps[5].client.transcript_hash.v, 32);
	done(m);
}

static void test_formula_on_screen(void **st)
{
	(void)st;
	model *m = run("rsa");
	char f[256];
	model_finished_formula(m, 0, f, sizeof f);
	assert_non_null(
	    strstr(f, "\"client finished\", SHA-256(1,371 bytes of handshake messages) = 7e2c4cd2"));
	lt_lines l;
	int found = 0;
	layout_derivation(m, 6, 200, &l);
	for (int i = 0; i < l.n; i++)
		found |= strstr(l.v[i], "SHA-256(1,387 bytes of handshake messages)") != NULL;
	lt_lines_free(&l);
	assert_true(found);
	done(m);
}

static void test_resume_keeps_its_columns(void **st)
{
	(void)st;
	model *m = run("resume");
	assert_true(m->resumed);
	for (int step = 3; step <= 4; step++) {
		/* nothing went by: the table shows what step 2 left, not "not yet" */
		assert_true(m->steps[step].client.v[MS_MASTER].known);
		assert_true(m->steps[step].server.v[MS_MASTER].known);
		assert_int_equal(m->steps[step].client.transcript_len, m->steps[2].client.transcript_len);
		assert_false(m->steps[step].server.v[MS_SERVER_VERIFY].known);
	}
	/* both held the cached session's master secret before the connection:
	 * the client offers it, the server finds it on receipt of the offer;
	 * the keys need the ServerHello's random */
	assert_true(m->steps[1].client.v[MS_MASTER].known);
	assert_true(m->steps[1].server.v[MS_MASTER].known);
	assert_false(m->steps[1].client.v[MS_CLIENT_KEY].known);
	assert_true(m->steps[2].client.v[MS_MASTER].known);
	assert_true(m->steps[2].server.v[MS_MASTER].known);
	assert_true(m->steps[2].server.v[MS_CLIENT_KEY].known);
	/* the client's Finished covers the server's, which went first */
	assert_int_equal(m->finished_len[0], m->finished_len[1] + 16);
	assert_int_equal(m->steps[6].client.transcript_len, m->finished_len[0] + 16);
	assert_int_equal(m->steps[5].client.transcript_len, m->finished_len[0] + 16);
	tls_buf out = {0};
	char err[256] = "";
	assert_int_equal(lesson_fill(m, 4, "{{master_secret}}", &out, err, sizeof err), 0);
	tls_buf_free(&out);
	done(m);
}

static void test_infer_peer(void **st)
{
	(void)st;
	model *m = run("rsa");
	/* a connect: only our (client) column was filled */
	for (int k = 1; k <= MODEL_LAST_STEP; k++)
		memset(&m->steps[k].server, 0, sizeof m->steps[k].server);
	knowledge_infer_peer(m, 1);
	for (int k = 1; k <= 6; k++) {
		const model_side *p = &m->steps[k].server;
		assert_true(p->inferred);
		assert_false(m->steps[k].client.inferred);
		assert_int_equal(p->v[MS_PREMASTER].known, k >= 5);
		assert_int_equal(p->v[MS_MASTER].known, k >= 5);
		assert_int_equal(p->v[MS_SERVER_VERIFY].known, k >= 6);
		assert_int_equal(p->transcript_len, m->steps[k].client.transcript_len);
		assert_string_equal(p->cert_note, "");
	}
	assert_memory_equal(m->steps[5].server.v[MS_MASTER].v, m->secrets[MS_MASTER].v, 48);
	done(m);
}

/* serve, resumed: our engine filled only the server column, and only in
 * the steps a record went by in (none in 3-4). The peer's column and the
 * skipped steps come from knowledge_infer_peer, and every lesson of the
 * handshake finds the values it names. */
static void test_serve_resumed(void **st)
{
	(void)st;
	model *m = run("resume");
	for (int k = 1; k <= MODEL_LAST_STEP; k++)
		memset(&m->steps[k].client, 0, sizeof m->steps[k].client);
	for (int k = 3; k <= 4; k++)
		memset(&m->steps[k].server, 0, sizeof m->steps[k].server);
	knowledge_infer_peer(m, 0);
	for (int k = 3; k <= 4; k++) {
		assert_true(m->steps[k].server.v[MS_MASTER].known);
		assert_true(m->steps[k].client.v[MS_MASTER].known);
		assert_true(m->steps[k].client.inferred);
		assert_int_equal(m->steps[k].server.transcript_len, m->steps[2].server.transcript_len);
		assert_true(m->steps[k].server.transcript_len > 0);
	}
	for (int k = 1; k <= MODEL_LAST_STEP; k++) {
		tls_buf out = {0};
		char err[512] = "";
		int rc = lesson_load(m, k, lesson_file(k), &out, err, sizeof err);
		if (rc)
			fprintf(stderr, "step %d: %s\n", k, err);
		assert_int_equal(rc, 0);
		tls_buf_free(&out);
	}
	done(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rsa_step_by_step),
	    cmocka_unit_test(test_formula_on_screen),
	    cmocka_unit_test(test_resume_keeps_its_columns),
	    cmocka_unit_test(test_infer_peer),
	    cmocka_unit_test(test_serve_resumed),
	};
	lesson_set_reader(data_lesson_read);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
