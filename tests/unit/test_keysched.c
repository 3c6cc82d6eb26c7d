/* The TLS 1.3 key schedule view (src/ui/keysched.c) on the schedule of RFC
 * 8448 section 3 (simple 1-RTT handshake): the tree shows the RFC's values
 * with their labels and transcript hashes, and only what a side knows after
 * the step. The inputs are the RFC's; so are the expected values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "model/model13.h"
#include "tls/crypto.h"
#include "ui/keysched.h"

static size_t unhex(uint8_t *out, size_t cap, const char *hex)
{
	size_t n = 0;
	for (; *hex; hex += 2) {
		unsigned v;
		assert_true(n < cap);
		assert_int_equal(sscanf(hex, "%2x", &v), 1);
		out[n++] = (uint8_t)v;
	}
	return n;
}

static int has(const lt_lines *l, const char *s)
{
	for (int i = 0; i < l->n; i++)
		if (strstr(l->v[i], s))
			return i + 1;
	return 0;
}

/* RFC 8448 3: the x25519 shared secret, Hash(ClientHello..ServerHello) and
 * Hash(ClientHello..server Finished). */
#define ECDHE "8bd4054fb55b9d63fdfbacf9f04b9f0d35e6d63f537563efd46272900f89492d"
#define TH_SH "860c06edc07858ee8e78f0e7428c58edd6b43f2ca3e6e95f02ed063cf0e1cad8"
#define TH_SF "9608102a0f1ccc6db6250b7b7e417b1a000eaada3daae4777a7686c9ff83df13"

static void rfc8448_model(model *m)
{
	uint8_t ecdhe[32], th_sh[32], th_sf[32], key[16], iv[12];
	tls13_sched *s = &m->t13.sched;
	assert_int_equal(tls_crypto_init(), 0);
	model_init(m, "simulation");
	model_set_tls13(m);
	unhex(ecdhe, sizeof ecdhe, ECDHE);
	unhex(th_sh, sizeof th_sh, TH_SH);
	unhex(th_sf, sizeof th_sf, TH_SF);
	assert_int_equal(tls13_sched_init(s, tls_hash_sha256(), NULL, 0, 0), 0);
	assert_int_equal(tls13_sched_handshake(s, ecdhe, 32, th_sh, 32), 0);
	assert_int_equal(tls13_sched_keys(s, TLS13_CLIENT_HANDSHAKE, key, 16, iv, 12), 0);
	assert_int_equal(tls13_sched_keys(s, TLS13_SERVER_HANDSHAKE, key, 16, iv, 12), 0);
	assert_int_equal(tls13_sched_master(s, th_sf, 32), 0);
	assert_int_equal(tls13_sched_keys(s, TLS13_SERVER_APPLICATION, key, 16, iv, 12), 0);
	m->premaster_full.len = 32;
	memcpy(m->premaster_full.v, ecdhe, 32);
	/* What the RFC's two sides know: everything so far, from step 4 on;
	 * at step 2 the rule of model13.h leaves the handshake secrets only. */
	for (int n = 1; n <= 4; n++) {
		m->steps[n].reached = 1;
		for (size_t i = 0; i < model13_count(); i++)
			if (model13_at(i)->step <= n) {
				m->steps[n].client.t13_known |= 1u << i;
				m->steps[n].server.t13_known |= 1u << i;
			}
		model13_mark(&m->steps[4].client, s);
	}
	m->steps[4].server.t13_known &= ~(1u << model13_index("server_application_write_key"));
}

static void test_tree_values(void **state)
{
	(void)state;
	static model m;
	lt_lines l;
	rfc8448_model(&m);
	assert_true(layout_keysched(&m, 4, 200, &l) > 0);
	/* RFC 8448 3, the values printed there */
	assert_true(has(&l, "early_secret = HKDF-Extract(salt: 0, IKM: 0 (zeros))"));
	assert_true(has(&l, "= 33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a"));
	assert_true(has(
	    &l, "handshake_secret = HKDF-Extract(salt: derived_for_handshake, IKM: (EC)DHE shared secret)"));
	assert_true(has(&l, "(EC)DHE shared secret = " ECDHE));
	assert_true(has(&l, "= 1dc826e93606aa6fdc0aadc12f741b01046aa6b99f691ed221a9f0ca043fbeac"));
	int chts =
	    has(&l, "client_handshake_traffic_secret = Derive-Secret(handshake_secret, \"c hs traffic\", "
	            "ClientHello..ServerHello)");
	assert_true(chts);
	assert_non_null(strstr(l.v[chts], "transcript hash = " TH_SH));
	assert_non_null(
	    strstr(l.v[chts + 1], "= b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21"));
	/* the keys hang under their traffic secret, one level deeper */
	int k = has(&l, "client_handshake_write_key = HKDF-Expand-Label(client_handshake_traffic_secret, "
	                "\"key\", \"\", 16)");
	assert_true(k > chts);
	assert_true(strspn(l.v[k - 1], " ") > strspn(l.v[chts - 1], " "));
	assert_non_null(strstr(l.v[k], "= dbfaa693d1762c5b666af5d950258d01"));
	assert_true(has(&l, "= 5d313eb2671276ee13000b30")); /* server handshake IV */
	assert_true(has(&l, "= 18df06843d13a08bf2a449844c5f8a478001bc4d4c627984d5a41da8d0402919"));
	assert_true(has(&l, "transcript hash = " TH_SF));
	assert_true(has(&l, "= 9f02283b6c9c07efc26bb9f2ac92e356")); /* server application key */
	assert_true(
	    has(&l, "server_application_write_key = HKDF-Expand-Label(server_application_traffic_secret_0, "
	            "\"key\", \"\", 16) [client only]"));
	lt_lines_free(&l);

	/* after step 2: the handshake secrets, not the master secret yet */
	assert_true(layout_keysched(&m, 2, 200, &l) > 0);
	assert_true(has(&l, "c hs traffic"));
	assert_false(has(&l, "master_secret"));
	assert_false(has(&l, "18df0684"));
	lt_lines_free(&l);

	/* a narrow pane wraps the hex and keeps every digit */
	assert_true(layout_keysched(&m, 4, 40, &l) > 0);
	for (int i = 0; i < l.n; i++)
		assert_true(strlen(l.v[i]) <= 40 || strchr(l.v[i], '=') != NULL || strchr(l.v[i], '('));
	assert_true(has(&l, "33ad0a1c607e"));
	lt_lines_free(&l);
	model_free(&m);
}

static void test_not_tls13(void **state)
{
	(void)state;
	static model m;
	lt_lines l;
	model_init(&m, "simulation");
	m.steps[4].reached = 1;
	assert_false(layout_keysched_has(&m, 4));
	assert_int_equal(layout_keysched(&m, 4, 80, &l), 0);
	assert_string_equal(m.steps[2].title, "Server hello");
	model_set_tls13(&m);
	assert_string_equal(m.steps[2].title, "Server hello; from here everything is encrypted");
	assert_false(layout_keysched_has(&m, 4)); /* nothing known yet */
	model_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tree_values),
	    cmocka_unit_test(test_not_tls13),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
