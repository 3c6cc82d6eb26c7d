/* Message kinds: the model stores what a message is as a kind, and its name
 * comes from one table. The names of handshake kinds are the engine's names
 * for their type bytes, a type byte maps back to its kind, and every
 * message a run files carries a kind whose handshake type agrees with the
 * bytes it holds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "scenario_creds.h"

#include "model/model.h"
#include "sim/sim.h"
#include "tls/msg.h"

static void test_every_kind_has_a_name(void **st)
{
	(void)st;
	for (int k = 0; k < MODEL_MSG_KIND_COUNT; k++) {
		const char *n = model_msg_name((enum model_msg_kind)k);
		assert_non_null(n);
		assert_true(strlen(n) > 0);
		for (int j = 0; j < k; j++)
			assert_string_not_equal(n, model_msg_name((enum model_msg_kind)j));
	}
	assert_string_equal(model_msg_name(MODEL_MSG_KIND_COUNT), "");
}

/* Where the engine names a handshake type, the model's kind for that byte
 * has the same name; unknown bytes are UnknownHandshake. */
static void test_handshake_kinds_match_the_engine(void **st)
{
	(void)st;
	int named = 0;
	for (int t = 0; t < 256; t++) {
		const char *engine = tls_hs_name((enum tls_hs_type)t);
		if (t == TLS_HS_MESSAGE_HASH) /* never on the wire: it stands in a transcript */
			continue;
		enum model_msg_kind k = model_msg_kind_of_hs(t);
		if (strcmp(engine, "UnknownHandshake")) {
			assert_string_equal(model_msg_name(k), engine);
			named++;
		}
	}
	assert_true(named >= 11);
	assert_int_equal(model_msg_kind_of_hs(2), MODEL_MSG_SERVER_HELLO);
	assert_int_equal(model_msg_kind_of_hs(8), MODEL_MSG_ENCRYPTED_EXTENSIONS);
	assert_int_equal(model_msg_kind_of_hs(24), MODEL_MSG_KEY_UPDATE);
	assert_int_equal(model_msg_kind_of_hs(99), MODEL_MSG_UNKNOWN_HANDSHAKE);
	assert_int_equal(model_msg_kind_of_hs(-1), MODEL_MSG_UNKNOWN_HANDSHAKE);
}

/* A full simulated run: each handshake message's kind is the one of its
 * first byte, and model_find_msg finds by kind and side. */
static void test_run_files_kinds(void **st)
{
	(void)st;
	sim_options o = {.seed = 1, .scenario = "mutual", .secure_channel = 1};
	o.creds = scenario_creds(o.scenario);
	model *m = calloc(1, sizeof *m);
	assert_non_null(m);
	sim *s = NULL;
	char err[256];
	assert_int_equal(sim_new(&s, &o, m, err, sizeof err), 0);
	assert_int_equal(sim_run(s), 0);
	assert_int_equal(m->outcome, MODEL_ESTABLISHED);
	int alerts = 0;
	for (int k = 1; k <= MODEL_LAST_STEP; k++)
		for (size_t i = 0; i < m->steps[k].n_msg; i++) {
			const model_msg *g = &m->steps[k].msg[i];
			if (g->hs_type >= 0 && g->hs_type <= 255 && g->decrypted)
				assert_int_equal(g->kind, model_msg_kind_of_hs(g->bytes.p[0]));
			alerts += g->kind == MODEL_MSG_ALERT;
		}
	assert_true(alerts >= 1); /* the closing alerts of the secure channel */
	assert_non_null(model_find_msg(m, 1, MODEL_MSG_CLIENT_HELLO, 0));
	assert_null(model_find_msg(m, 1, MODEL_MSG_CLIENT_HELLO, 1));
	assert_non_null(model_find_msg(m, 5, MODEL_MSG_CERTIFICATE_VERIFY, 0));
	assert_non_null(model_find_msg(m, 5, MODEL_MSG_CHANGE_CIPHER_SPEC, 0));
	assert_null(model_find_msg(m, 4, MODEL_MSG_FINISHED, 1));
	sim_free(s);
	model_free(m);
	free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_kind_has_a_name),
	    cmocka_unit_test(test_handshake_kinds_match_the_engine),
	    cmocka_unit_test(test_run_files_kinds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
