/* The engine end to end through the simulator: full handshakes, golden wire
 * bytes, failure scenarios, tampering and fragmentation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "scenario_creds.h"

#include "app/files.h"
#include "srcdir.h"

#include "sim/sim.h"
#include "tls/alert.h"
#include "tls/crypto.h"

#include <tomcrypt.h>

/* SHA-256 of every record of the seed-1 rsa handshake, in wire order. If the
 * engine's bytes change on purpose, update it (and say why in the commit). */
static const char golden_seed1[] = "76276d21475a59c1b4eb394991e3290a09555895b43ef0d6531e9da3bb52f4db";

static void run(const sim_options *opt, model *m)
{
	sim *s;
	char err[256];
	sim_options o = *opt;
	o.creds = scenario_creds(o.scenario);
	assert_int_equal(sim_new(&s, &o, m, err, sizeof err), 0);
	assert_int_equal(sim_run(s), 0);
	sim_free(s);
}


static void test_full_handshake_seed1(void **st)
{
	(void)st;
	sim_options o = {.seed = 1, .secure_channel = 1};
	model m;
	char h[65];
	run(&o, &m);
	assert_int_equal(m.outcome, MODEL_ESTABLISHED);
	assert_int_equal(m.suite_id, 0x002F);
	for (int i = 1; i <= 7; i++)
		assert_true(m.steps[i].reached);
	const model_msg *cf = model_find_msg(&m, 5, MODEL_MSG_FINISHED, 0), *sf = model_find_msg(&m, 6, MODEL_MSG_FINISHED, 1);
	assert_non_null(cf);
	assert_non_null(sf);
	assert_string_equal(cf->note, "verify_data matches");
	assert_string_equal(sf->note, "verify_data matches");
	/* both sides agree on every secret */
	for (int i = 0; i < MS_COUNT; i++) {
		assert_true(m.steps[6].client.v[i].known);
		assert_true(m.steps[6].server.v[i].known);
		assert_memory_equal(m.steps[6].client.v[i].v, m.steps[6].server.v[i].v, m.steps[6].client.v[i].len);
	}
	/* the server learns the premaster only at step 5 */
	assert_false(m.steps[4].server.v[MS_PREMASTER].known);
	assert_true(m.steps[5].server.v[MS_PREMASTER].known);
	assert_int_equal(m.secrets[MS_PREMASTER].v[0], 3);
	assert_int_equal(m.secrets[MS_PREMASTER].v[1], 3);
	model_wire_hash(&m, h);
	assert_string_equal(h, golden_seed1);
	model_free(&m);
}

static void test_same_seed_same_bytes_other_seed_differs(void **st)
{
	(void)st;
	sim_options o = {.seed = 1, .secure_channel = 1};
	model a, b, c;
	char ha[65], hb[65], hc[65];
	run(&o, &a);
	run(&o, &b);
	o.seed = 2;
	run(&o, &c);
	model_wire_hash(&a, ha);
	model_wire_hash(&b, hb);
	model_wire_hash(&c, hc);
	assert_string_equal(ha, hb);
	assert_string_not_equal(ha, hc);
	assert_int_equal(c.outcome, MODEL_ESTABLISHED);
	model_free(&a);
	model_free(&b);
	model_free(&c);
}

/* Every record's spans stay inside it and every byte is covered. */
static void test_spans_cover_every_byte(void **st)
{
	(void)st;
	sim_options o = {.seed = 3, .secure_channel = 1};
	model m;
	run(&o, &m);
	for (int i = 1; i <= 7; i++)
		for (size_t j = 0; j < m.steps[i].n_rec; j++) {
			const model_record *r = &m.steps[i].rec[j];
			uint8_t seen[20000] = {0};
			assert_true(r->wire.len <= sizeof seen);
			for (size_t k = 0; k < r->fields.n; k++) {
				const tls_span *s = &r->fields.v[k];
				assert_true(s->offset + (size_t)s->length <= r->wire.len);
				memset(seen + s->offset, 1, s->length);
				assert_true(s->path[0] != 0);
			}
			for (size_t b = 0; b < r->wire.len; b++)
				if (!seen[b])
					fail_msg("step %d record %zu byte %zu has no field", i, j, b);
		}
	model_free(&m);
}

static void expect_alert(const char *scenario, int by_server, int desc, int step)
{
	sim_options o = {.seed = 1, .scenario = scenario, .secure_channel = 1};
	model m;
	run(&o, &m);
	assert_int_equal(m.outcome, MODEL_ALERT);
	assert_true(m.alert.present);
	assert_int_equal(m.alert.by_server, by_server);
	assert_int_equal(m.alert.desc, desc);
	assert_int_equal(m.alert.step, step);
	assert_true(strlen(m.alert.reason) > 10);
	model_free(&m);
}

static void test_failure_scenarios(void **st)
{
	(void)st;
	expect_alert("untrusted-ca", 0, TLS_ALERT_UNKNOWN_CA, 3);
	expect_alert("expired", 0, TLS_ALERT_CERTIFICATE_EXPIRED, 3);
	expect_alert("wrong-host", 0, TLS_ALERT_BAD_CERTIFICATE, 3);
	expect_alert("wrong-purpose", 0, TLS_ALERT_UNSUPPORTED_CERTIFICATE, 3);
	expect_alert("no-shared-cipher", 1, TLS_ALERT_HANDSHAKE_FAILURE, 1);
}

static void test_every_suite_scenario_completes(void **st)
{
	(void)st;
	const char *names[] = {"rsa", "rsa-gcm", "rsa-sha256"};
	const uint16_t ids[] = {0x002F, 0x009C, 0x003D};
	for (int i = 0; i < 3; i++) {
		sim_options o = {.seed = 7, .scenario = names[i], .secure_channel = 1};
		model m;
		run(&o, &m);
		assert_int_equal(m.outcome, MODEL_ESTABLISHED);
		assert_int_equal(m.suite_id, ids[i]);
		assert_string_equal(model_find_msg(&m, 6, MODEL_MSG_FINISHED, 1)->note, "verify_data matches");
		model_free(&m);
	}
}

/* RFC 5246 7.4.7.1: a ClientKeyExchange that does not decrypt must not get
 * an alert of its own; the server goes on with a random premaster and the
 * mismatch shows up at the client's Finished. */
static void test_corrupted_client_key_exchange(void **st)
{
	(void)st;
	for (size_t off = 11; off < 200; off += 37) {
		sim_options o = {.seed = 1, .secure_channel = 1, .tamper = 1, .tamper_step = 5,
				 .tamper_offset = off, .tamper_xor = 0x40};
		model m;
		run(&o, &m);
		assert_int_equal(m.outcome, MODEL_ALERT);
		assert_int_equal(m.alert.by_server, 1);
		assert_int_equal(m.alert.step, 5);
		assert_true(m.alert.desc == TLS_ALERT_DECRYPT_ERROR || m.alert.desc == TLS_ALERT_BAD_RECORD_MAC);
		/* the server did take a premaster: it reached key derivation */
		assert_true(m.steps[5].server.v[MS_MASTER].known);
		model_free(&m);
	}
}

static void test_tampered_server_hello_fails_at_finished(void **st)
{
	(void)st;
	sim_options o = {.seed = 1, .secure_channel = 1, .tamper = 1, .tamper_step = 2,
			 .tamper_offset = 20, .tamper_xor = 1}; /* inside server_random */
	model m;
	run(&o, &m);
	assert_int_equal(m.outcome, MODEL_ALERT);
	assert_int_equal(m.alert.by_server, 1);
	assert_int_equal(m.alert.step, 5);
	model_free(&m);
}

static void test_tampered_finished_record(void **st)
{
	(void)st;
	sim_options o = {.seed = 1, .secure_channel = 1, .tamper = 1, .tamper_step = 6,
			 .tamper_offset = 30, .tamper_xor = 0x80};
	model m;
	run(&o, &m);
	assert_int_equal(m.outcome, MODEL_ALERT);
	assert_int_equal(m.alert.by_server, 0);
	assert_int_equal(m.alert.desc, TLS_ALERT_BAD_RECORD_MAC);
	assert_int_equal(m.alert.step, 6);
	model_free(&m);
}

static void test_fragmented_handshake(void **st)
{
	(void)st;
	for (size_t frag = 1; frag <= 301; frag += 100) {
		sim_options o = {.seed = 1, .secure_channel = 1, .max_fragment = frag};
		model m;
		run(&o, &m);
		assert_int_equal(m.outcome, MODEL_ESTABLISHED);
		assert_true(m.steps[3].n_rec > 1);
		assert_non_null(model_find_msg(&m, 3, MODEL_MSG_CERTIFICATE, 1));
		assert_non_null(model_find_msg(&m, 4, MODEL_MSG_SERVER_HELLO_DONE, 1));
		assert_string_equal(model_find_msg(&m, 6, MODEL_MSG_FINISHED, 1)->note, "verify_data matches");
		model_free(&m);
	}
}

static void test_accept_untrusted(void **st)
{
	(void)st;
	sim_options o = {.seed = 1, .scenario = "untrusted-ca", .accept_untrusted = 1, .secure_channel = 1};
	model m;
	run(&o, &m);
	assert_int_equal(m.outcome, MODEL_ESTABLISHED);
	assert_non_null(strstr(m.steps[3].client.cert_note, "NOT VERIFIED"));
	model_free(&m);
}

static void test_expired_clock(void **st)
{
	(void)st;
	sim_options o = {.seed = 1, .now = 2398377600, .secure_channel = 1}; /* 2046-01-01 */
	model m;
	run(&o, &m);
	assert_int_equal(m.alert.desc, TLS_ALERT_CERTIFICATE_EXPIRED);
	model_free(&m);
}

/* The simulator is handed its certificates and keys and reads no file:
 * without them it refuses with one line, and with them it runs even when
 * the data directory points nowhere. */
static void test_sim_reads_no_file(void **st)
{
	(void)st;
	sim *s = NULL;
	model m;
	char err[256] = "", saved[4096];
	sim_options o = {.seed = 1, .scenario = "mutual"};
	assert_int_not_equal(sim_new(&s, &o, &m, err, sizeof err), 0);
	assert_non_null(strstr(err, "no certificates or keys were given for scenario 'mutual'"));
	assert_null(strchr(err, '\n'));
	o.creds = scenario_creds(o.scenario);
	snprintf(saved, sizeof saved, "%s", app_data_dir());
	app_data_dir_set("/nonexistent/tlsstep-data");
	assert_int_equal(sim_new(&s, &o, &m, err, sizeof err), 0);
	assert_int_equal(sim_run(s), 0);
	sim_free(s);
	app_data_dir_set(saved);
	assert_int_equal(m.outcome, MODEL_ESTABLISHED);
	model_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_full_handshake_seed1),
	    cmocka_unit_test(test_sim_reads_no_file),
	    cmocka_unit_test(test_same_seed_same_bytes_other_seed_differs),
	    cmocka_unit_test(test_spans_cover_every_byte),
	    cmocka_unit_test(test_failure_scenarios),
	    cmocka_unit_test(test_every_suite_scenario_completes),
	    cmocka_unit_test(test_corrupted_client_key_exchange),
	    cmocka_unit_test(test_tampered_server_hello_fails_at_finished),
	    cmocka_unit_test(test_tampered_finished_record),
	    cmocka_unit_test(test_fragmented_handshake),
	    cmocka_unit_test(test_accept_untrusted),
	    cmocka_unit_test(test_expired_clock),
	};
	use_srcdir();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
