/* The TLS 1.3 engine, client against server in memory: every suite and
 * group, HelloRetryRequest, resumption with a ticket, mutual
 * authentication, middlebox compatibility on and off; both sides derive
 * the same secrets; wire bytes repeat for a seed; a TLS 1.2 peer still
 * works; the downgrade sentinel; and bad input ends in the right alert. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "srcdir.h"

#include "app/pki.h"
#include "tls/alert.h"
#include "tls/conn.h"
#include "tls/msg.h"
#include "tls/protect.h"

#include <tomcrypt.h>

static tls_creds server_pki, client_pki, client_own, ec_server, ec_client;
static const uint16_t suites12[] = {0xC02F, 0x009C};
static const int64_t NOW = 1767225600;

static int setup(void **st)
{
	(void)st;
	char err[256];
	if (app_pki_add_chain(&server_pki, SRC("assets/server.crt"), err, sizeof err) ||
	    app_pki_load_key(&server_pki, SRC("assets/server.key"), err, sizeof err) ||
	    app_pki_load_anchors(&server_pki, SRC("assets/ca.crt"), err, sizeof err) ||
	    app_pki_load_anchors(&client_pki, SRC("assets/ca.crt"), err, sizeof err) ||
	    app_pki_add_chain(&client_own, SRC("assets/client.crt"), err, sizeof err) ||
	    app_pki_load_key(&client_own, SRC("assets/client.key"), err, sizeof err) ||
	    app_pki_add_chain(&ec_server, SRC("assets/ecdsa.crt"), err, sizeof err) ||
	    app_pki_load_key(&ec_server, SRC("assets/ecdsa.key"), err, sizeof err) ||
	    app_pki_add_chain(&ec_client, SRC("assets/ecdsa-client.crt"), err, sizeof err) ||
	    app_pki_load_key(&ec_client, SRC("assets/ecdsa-client.key"), err, sizeof err)) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

static int teardown(void **st)
{
	(void)st;
	tls_creds_free(&server_pki);
	tls_creds_free(&client_pki);
	tls_creds_free(&client_own);
	tls_creds_free(&ec_server);
	tls_creds_free(&ec_client);
	return 0;
}

/* One run's settings; zero = defaults. */
typedef struct {
	uint64_t seed;
	uint16_t client_max, server_max; /* 0 = 1.2, else 0x0304 */
	uint16_t client_min, server_min; /* 0 = 1.2, 0x0304 = 1.3 only */
	const uint16_t *suites13;
	size_t n_suites13;
	const uint16_t *cgroups, *sgroups;
	size_t n_cgroups, n_sgroups, n_shares;
	int compat, mutual, tickets;
	int ec;                   /* both sides' own certificates are the EC ones */
	const uint16_t *sig_algs; /* the client's signature_algorithms, NULL = default */
	size_t n_sig_algs;
	const uint16_t *suites12; /* both sides' TLS 1.2 suites, NULL = suites12 */
	size_t n_suites12;
	const tls_session *resume;
	tls_session *cache;
	/* a hook that may change bytes on their way: dir 0 client->server */
	void (*tamper)(int dir, size_t index, uint8_t *rec, size_t n, void *arg);
	void *arg;
} run_opts;

typedef struct {
	tls_conn *c, *s;
	tls_rng crng, srng;
	uint8_t wire[65536];
	size_t wire_len;
} pair;

static void make_pair(pair *p, const run_opts *o)
{
	tls_config cc = {0}, sc = {0};
	memset(p, 0, sizeof *p);
	tls_rng_seed(&p->crng, o->seed, "client");
	tls_rng_seed(&p->srng, o->seed, "server");
	cc.rng = &p->crng;
	cc.now = NOW;
	cc.suites = o->suites12 ? o->suites12 : suites12;
	cc.n_suites = o->suites12 ? o->n_suites12 : 2;
	cc.server_name = "localhost";
	cc.anchors = client_pki.anchors;
	cc.n_anchors = client_pki.n_anchors;
	cc.max_version = o->client_max;
	cc.min_version = o->client_min;
	cc.suites13 = o->suites13;
	cc.n_suites13 = o->n_suites13;
	cc.groups = o->cgroups;
	cc.n_groups = o->n_cgroups;
	cc.n_key_shares = o->n_shares;
	cc.middlebox_compat = o->compat;
	cc.resume = o->resume;
	cc.sig_algs = o->sig_algs;
	cc.n_sig_algs = o->n_sig_algs;
	const tls_creds *cown = o->ec ? &ec_client : &client_own, *sown = o->ec ? &ec_server : &server_pki;
	if (o->mutual) {
		cc.chain_der = cown->chain_der;
		cc.chain_len = cown->chain_len;
		cc.chain_n = cown->chain_n;
		cc.key = &cown->key;
	}
	sc.is_server = 1;
	sc.rng = &p->srng;
	sc.now = NOW;
	sc.suites = cc.suites;
	sc.n_suites = cc.n_suites;
	sc.chain_der = sown->chain_der;
	sc.chain_len = sown->chain_len;
	sc.chain_n = sown->chain_n;
	sc.key = &sown->key;
	sc.max_version = o->server_max;
	sc.min_version = o->server_min;
	sc.suites13 = o->suites13;
	sc.n_suites13 = o->n_suites13;
	sc.groups = o->sgroups;
	sc.n_groups = o->n_sgroups;
	sc.tickets = o->tickets;
	sc.session_cache = o->cache;
	sc.request_client_cert = o->mutual;
	sc.client_anchors = server_pki.anchors;
	sc.n_client_anchors = server_pki.n_anchors;
	assert_int_equal(tls_conn_new(&p->c, &cc), 0);
	assert_int_equal(tls_conn_new(&p->s, &sc), 0);
}

static void free_pair(pair *p)
{
	tls_conn_free(p->c);
	tls_conn_free(p->s);
	tls_rng_free(&p->crng);
	tls_rng_free(&p->srng);
}

/* Moves records one at a time until neither side has output. */
static void pump(pair *p, const run_opts *o)
{
	size_t idx[2] = {0, 0};
	for (int round = 0; round < 64; round++) {
		int moved = 0;
		for (int dir = 0; dir < 2; dir++) {
			tls_conn *from = dir ? p->s : p->c, *to = dir ? p->c : p->s;
			size_t n;
			while ((n = tls_conn_next_record(from)) > 0) {
				const uint8_t *q;
				uint8_t rec[20000];
				tls_conn_output(from, &q);
				assert_true(n <= sizeof rec);
				memcpy(rec, q, n);
				tls_conn_consume(from, n);
				if (o->tamper)
					o->tamper(dir, idx[dir], rec, n, o->arg);
				idx[dir]++;
				if (p->wire_len + n <= sizeof p->wire) {
					memcpy(p->wire + p->wire_len, rec, n);
					p->wire_len += n;
				}
				tls_conn_recv(to, rec, n);
				moved = 1;
			}
		}
		if (!moved)
			return;
	}
}

static void handshake(pair *p, const run_opts *o)
{
	make_pair(p, o);
	assert_int_equal(tls_conn_start(p->c), 0);
	pump(p, o);
}

static void assert_same_secrets(pair *p)
{
	const tls_knowledge *a = tls_conn_knowledge(p->c), *b = tls_conn_knowledge(p->s);
	assert_int_equal(tls_conn_status(p->c), TLS_ESTABLISHED);
	assert_int_equal(tls_conn_status(p->s), TLS_ESTABLISHED);
	assert_true(a->tls13.active && b->tls13.active);
	assert_int_equal(a->version, 0x0304);
	assert_ptr_equal(a->suite, b->suite);
	size_t hl = a->tls13.sched.hash_len;
	assert_true(hl == 32 || hl == 48);
	assert_memory_equal(a->tls13.sched.handshake, b->tls13.sched.handshake, hl);
	assert_memory_equal(a->tls13.sched.master, b->tls13.sched.master, hl);
	assert_memory_equal(a->tls13.sched.client_ap, b->tls13.sched.client_ap, hl);
	assert_memory_equal(a->tls13.sched.server_ap, b->tls13.sched.server_ap, hl);
	assert_memory_equal(a->tls13.sched.exporter, b->tls13.sched.exporter, hl);
	assert_memory_equal(a->tls13.sched.resumption, b->tls13.sched.resumption, hl);
	assert_memory_equal(a->tls13.client_ap_key, b->tls13.client_ap_key, a->tls13.key_len);
	assert_memory_equal(a->tls13.server_hs_iv, b->tls13.server_hs_iv, 12);
	assert_memory_equal(a->tls13.client_finished, b->tls13.client_finished, hl);
	assert_memory_equal(a->tls13.server_finished, b->tls13.server_finished, hl);
	assert_int_equal(a->premaster_len, b->premaster_len);
	assert_memory_equal(a->premaster, b->premaster, a->premaster_len);
	/* application data both ways under the application keys */
	uint8_t buf[64];
	assert_int_equal(tls_conn_send_app(p->c, (const uint8_t *)"ping", 4), 0);
	assert_int_equal(tls_conn_send_app(p->s, (const uint8_t *)"pong!", 5), 0);
	run_opts none = {0};
	pump(p, &none);
	assert_int_equal(tls_conn_take_app(p->s, buf, sizeof buf), 4);
	assert_memory_equal(buf, "ping", 4);
	assert_int_equal(tls_conn_take_app(p->c, buf, sizeof buf), 5);
	assert_memory_equal(buf, "pong!", 5);
}

static void test_every_suite_and_group(void **st)
{
	(void)st;
	static const uint16_t suites[] = {0x1301, 0x1302, 0x1303};
	static const uint16_t groups[] = {0x001d, 0x0017, 0x0018, 0x0100};
	static const size_t z_len[] = {32, 32, 48, 256}; /* x25519, P-256 x, P-384 x, padded p */
	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 4; j++) {
			run_opts o = {.seed = 1,
			              .client_max = 0x0304,
			              .server_max = 0x0304,
			              .suites13 = &suites[i],
			              .n_suites13 = 1,
			              .cgroups = &groups[j],
			              .n_cgroups = 1};
			pair p;
			handshake(&p, &o);
			assert_same_secrets(&p);
			const tls_knowledge *k = tls_conn_knowledge(p.c);
			assert_int_equal(k->suite->id, suites[i]);
			assert_int_equal(k->named_group, groups[j]);
			assert_int_equal(k->premaster_len, z_len[j]);
			assert_false(k->tls13.hrr);
			assert_int_equal(k->tls13.cert_verify_alg, 0x0804);
			free_pair(&p);
		}
}

/* EC certificates: the server's CertificateVerify, and with mutual
 * authentication the client's, are ecdsa_secp256r1_sha256; the same seed
 * gives the same bytes. */
static void test_ecdsa_cert_verify(void **st)
{
	(void)st;
	for (int mutual = 0; mutual < 2; mutual++) {
		run_opts o = {.seed = 9, .client_max = 0x0304, .server_max = 0x0304, .ec = 1, .mutual = mutual};
		pair p, q;
		handshake(&p, &o);
		handshake(&q, &o);
		assert_int_equal(p.wire_len, q.wire_len);
		assert_memory_equal(p.wire, q.wire, p.wire_len);
		assert_same_secrets(&p);
		assert_int_equal(tls_conn_knowledge(p.c)->tls13.cert_verify_alg, 0x0403);
		assert_int_equal(tls_conn_knowledge(p.s)->tls13.cert_verify_alg, 0x0403);
		if (mutual)
			assert_true(tls_conn_knowledge(p.s)->client_cert_checked && !tls_conn_knowledge(p.s)->client_cert_status);
		free_pair(&p);
		free_pair(&q);
	}
}

/* An EC server refuses, with handshake_failure, a client that offers no
 * ECDSA scheme for its curve, and a TLS 1.2 client without an ECDHE_ECDSA
 * suite. */
static void test_ecdsa_refusals(void **st)
{
	(void)st;
	static const uint16_t pss_only[] = {0x0804, 0x0805, 0x0401};
	run_opts a = {.seed = 3, .client_max = 0x0304, .server_max = 0x0304, .ec = 1,
	              .sig_algs = pss_only, .n_sig_algs = 3};
	run_opts b = {.seed = 3, .client_max = 0, .server_max = 0x0304, .ec = 1};
	const run_opts *v[] = {&a, &b};
	for (int i = 0; i < 2; i++) {
		pair p;
		handshake(&p, v[i]);
		assert_int_equal(tls_conn_status(p.s), TLS_FAILED);
		assert_int_equal(tls_conn_alert_sent(p.s), 40); /* handshake_failure */
		assert_non_null(strstr(tls_conn_error(p.s), i ? "key is EC" : "ecdsa_secp256r1_sha256"));
		free_pair(&p);
	}
}

/* TLS 1.2 with an EC key: an ECDHE_ECDSA suite, the ServerKeyExchange
 * signed with ecdsa_secp256r1_sha256 and checked by the client. */
static void test_ecdsa_tls12(void **st)
{
	(void)st;
	static const uint16_t ecdsa_suites[] = {0xC02B, 0xC02F, 0xC009};
	static const uint16_t algs[] = {0x0401, 0x0403}; /* a 1.2 client offers RSA only by default */
	run_opts o = {.seed = 4, .ec = 1, .suites12 = ecdsa_suites, .n_suites12 = 3, .sig_algs = algs, .n_sig_algs = 2};
	pair p;
	handshake(&p, &o);
	/* without the ECDSA scheme there is no suite the key can sign for */
	o.n_sig_algs = 1;
	pair q;
	handshake(&q, &o);
	assert_int_equal(tls_conn_alert_sent(q.s), 40);
	free_pair(&q);
	assert_int_equal(tls_conn_status(p.c), TLS_ESTABLISHED);
	assert_int_equal(tls_conn_status(p.s), TLS_ESTABLISHED);
	const tls_knowledge *k = tls_conn_knowledge(p.c);
	assert_int_equal(k->version, 0x0303);
	assert_int_equal(k->suite->id, 0xC02B);
	assert_int_equal(k->ske_sig_alg, 0x0403);
	assert_memory_equal(k->master, tls_conn_knowledge(p.s)->master, 48);
	free_pair(&p);
}

static void test_hello_retry_request(void **st)
{
	(void)st;
	static const uint16_t cg[] = {0x001d, 0x0017}, sg[] = {0x0017, 0x001d};
	for (int compat = 0; compat < 2; compat++) {
		run_opts o = {.seed = 2,
		              .client_max = 0x0304,
		              .server_max = 0x0304,
		              .cgroups = cg,
		              .n_cgroups = 2,
		              .sgroups = sg,
		              .n_sgroups = 2,
		              .compat = compat};
		pair p;
		handshake(&p, &o);
		assert_same_secrets(&p);
		assert_true(tls_conn_knowledge(p.c)->tls13.hrr);
		assert_true(tls_conn_knowledge(p.s)->tls13.hrr);
		assert_int_equal(tls_conn_knowledge(p.c)->named_group, 0x0017);
		free_pair(&p);
	}
}

/* Two shares: the server takes its preferred one, no retry. */
static void test_two_shares_no_retry(void **st)
{
	(void)st;
	static const uint16_t cg[] = {0x001d, 0x0017}, sg[] = {0x0017, 0x001d};
	run_opts o = {.seed = 3,
	              .client_max = 0x0304,
	              .server_max = 0x0304,
	              .cgroups = cg,
	              .n_cgroups = 2,
	              .sgroups = sg,
	              .n_sgroups = 2,
	              .n_shares = 2};
	pair p;
	handshake(&p, &o);
	assert_same_secrets(&p);
	assert_false(tls_conn_knowledge(p.c)->tls13.hrr);
	assert_int_equal(tls_conn_knowledge(p.c)->named_group, 0x0017);
	free_pair(&p);
}

static void test_compat_mode(void **st)
{
	(void)st;
	run_opts o = {.seed = 4, .client_max = 0x0304, .server_max = 0x0304, .compat = 1};
	pair p;
	handshake(&p, &o);
	assert_same_secrets(&p);
	assert_true(tls_conn_knowledge(p.c)->tls13.compat);
	assert_true(tls_conn_knowledge(p.s)->tls13.compat);
	assert_int_equal(tls_conn_knowledge(p.c)->session_id_len, 32);
	/* a CCS record (20 03 03 00 01 01) travels in both directions */
	int ccs = 0;
	for (size_t i = 0; i + 6 <= p.wire_len; i++)
		ccs += !memcmp(p.wire + i, "\x14\x03\x03\x00\x01\x01", 6);
	assert_true(ccs >= 2);
	free_pair(&p);
}

static void test_mutual(void **st)
{
	(void)st;
	run_opts o = {.seed = 5, .client_max = 0x0304, .server_max = 0x0304, .mutual = 1};
	pair p;
	handshake(&p, &o);
	assert_same_secrets(&p);
	assert_true(tls_conn_knowledge(p.s)->client_cert_checked);
	assert_int_equal(tls_conn_knowledge(p.s)->client_cert_status, 0);
	free_pair(&p);
}

static void test_resumption(void **st)
{
	(void)st;
	tls_session cache = {0}, ticket;
	run_opts o = {.seed = 6, .client_max = 0x0304, .server_max = 0x0304, .tickets = 2, .cache = &cache};
	pair p;
	handshake(&p, &o);
	assert_same_secrets(&p);
	assert_int_equal(tls_conn_session(p.c, &ticket), 0);
	assert_int_equal(ticket.version, 0x0304);
	assert_int_equal(cache.ticket_len, ticket.ticket_len);
	assert_memory_equal(cache.psk, ticket.psk, ticket.psk_len);
	free_pair(&p);
	run_opts r = o;
	r.seed = 7;
	r.resume = &ticket;
	handshake(&p, &r);
	assert_same_secrets(&p);
	const tls_knowledge *k = tls_conn_knowledge(p.c);
	assert_true(k->tls13.psk_offered && k->tls13.psk_accepted && k->tls13.psk_dhe);
	assert_true(tls_conn_knowledge(p.s)->tls13.psk_accepted);
	assert_false(k->cert_checked); /* no Certificate in a PSK handshake */
	free_pair(&p);
}

static void test_same_seed_same_bytes(void **st)
{
	(void)st;
	run_opts o = {.seed = 8, .client_max = 0x0304, .server_max = 0x0304, .compat = 1};
	pair a, b, c;
	handshake(&a, &o);
	handshake(&b, &o);
	o.seed = 9;
	handshake(&c, &o);
	assert_true(a.wire_len > 1000);
	assert_int_equal(a.wire_len, b.wire_len);
	assert_memory_equal(a.wire, b.wire, a.wire_len);
	assert_true(a.wire_len != c.wire_len || memcmp(a.wire, c.wire, a.wire_len));
	free_pair(&a);
	free_pair(&b);
	free_pair(&c);
}

/* A TLS 1.3 client and a TLS 1.2-only server agree on 1.2; a 1.2 client
 * and a 1.3 server too, the server's random then ending in DOWNGRD\1. */
static void test_tls12_peers(void **st)
{
	(void)st;
	run_opts o = {.seed = 10, .client_max = 0x0304, .server_max = 0};
	pair p;
	handshake(&p, &o);
	assert_int_equal(tls_conn_status(p.c), TLS_ESTABLISHED);
	assert_int_equal(tls_conn_knowledge(p.c)->version, 0x0303);
	assert_false(tls_conn_knowledge(p.c)->tls13.active);
	free_pair(&p);
	run_opts q = {.seed = 10, .client_max = 0, .server_max = 0x0304};
	handshake(&p, &q);
	assert_int_equal(tls_conn_status(p.c), TLS_ESTABLISHED);
	assert_int_equal(tls_conn_knowledge(p.s)->version, 0x0303);
	assert_memory_equal(tls_conn_knowledge(p.c)->server_random + 24, "DOWNGRD\x01", 8);
	free_pair(&p);
}

/* The ClientHello's supported_versions list (its bytes after the length). */
static size_t hello_versions(const uint8_t *wire, size_t n, uint8_t out[8])
{
	tls_client_hello ch;
	size_t rec = (size_t)(wire[3] << 8 | wire[4]);
	assert_true(n > 9 && rec > 4 && 5 + rec <= n);
	assert_int_equal(tls_client_hello_decode(wire + 9, rec - 4, &ch, NULL), 0);
	const tls_ext *e = tls_ext_find(ch.exts, ch.n_exts, TLS_EXT_SUPPORTED_VERSIONS);
	assert_non_null(e);
	assert_true(e->len >= 1 && e->len <= 9 && e->data[0] == e->len - 1);
	memcpy(out, e->data + 1, e->len - 1);
	for (size_t i = 0; i < ch.n_suites; i++) /* a 1.3-only hello offers no 1.2 suite */
		assert_true((ch.suites[i] >= 0x1301 && ch.suites[i] <= 0x1303) || e->len != 3);
	assert_true(e->len != 3 || !tls_ext_find(ch.exts, ch.n_exts, TLS_EXT_EXTENDED_MASTER_SECRET));
	return e->len - 1;
}

/* The ClientHello's supported_versions [1.3, 1.2] made [1.2, 1.2]. */
static void versions_12_only(int dir, size_t index, uint8_t *rec, size_t n, void *arg)
{
	(void)arg;
	static const uint8_t sv[] = {0x00, 0x2b, 0x00, 0x05, 0x04, 0x03, 0x04, 0x03, 0x03};
	if (dir != 0 || index != 0)
		return;
	for (size_t i = 0; i + sizeof sv <= n; i++)
		if (!memcmp(rec + i, sv, sizeof sv)) {
			rec[i + 6] = 0x03;
			return;
		}
	fail_msg("no supported_versions in the ClientHello");
}

/* A 1.3-only client given a 1.2 server's ServerHello (from a run where
 * the client offered both) refuses it with protocol_version. */
static void only13_client_meets_12_server(void)
{
	pair p;
	run_opts o = {.seed = 13, .client_max = 0x0304, .server_max = 0};
	handshake(&p, &o);
	assert_int_equal(tls_conn_status(p.c), TLS_ESTABLISHED);
	size_t ch = 5 + (size_t)(p.wire[3] << 8 | p.wire[4]);
	size_t sh = 5 + (size_t)(p.wire[ch + 3] << 8 | p.wire[ch + 4]);
	tls_config cc = {0};
	tls_rng r;
	tls_conn *c = NULL;
	tls_rng_seed(&r, 13, "client");
	cc.rng = &r;
	cc.now = NOW;
	cc.insecure = 1;
	cc.max_version = cc.min_version = 0x0304;
	assert_int_equal(tls_conn_new(&c, &cc), 0);
	assert_int_equal(tls_conn_start(c), 0);
	tls_conn_recv(c, p.wire + ch, sh);
	assert_int_equal(tls_conn_status(c), TLS_FAILED);
	assert_int_equal(tls_conn_alert_sent(c), TLS_ALERT_PROTOCOL_VERSION);
	assert_non_null(strstr(tls_conn_error(c), "offered only TLS 1.3"));
	tls_conn_free(c);
	tls_rng_free(&r);
	free_pair(&p);
}

/* min_version 0x0304: a client offering only 1.3 still meets a 1.3 server;
 * a 1.2-only server refuses its hello (no version in common); a 1.3-only
 * server refuses a 1.2 client with protocol_version; a 1.3-only client
 * refuses a 1.2 ServerHello (the 1.3-capable server made to answer 1.2 by
 * its own setting) with protocol_version too. */
static void test_min_version(void **st)
{
	(void)st;
	uint8_t v[8];
	pair p;
	run_opts both = {.seed = 12, .client_max = 0x0304, .server_max = 0x0304};
	handshake(&p, &both);
	assert_int_equal(tls_conn_status(p.c), TLS_ESTABLISHED);
	assert_int_equal(hello_versions(p.wire, p.wire_len, v), 4);
	assert_memory_equal(v, "\x03\x04\x03\x03", 4);
	free_pair(&p);

	run_opts only = {.seed = 12, .client_max = 0x0304, .client_min = 0x0304, .server_max = 0x0304,
	                 .server_min = 0x0304};
	handshake(&p, &only);
	assert_int_equal(tls_conn_status(p.c), TLS_ESTABLISHED);
	assert_true(tls_conn_knowledge(p.c)->tls13.active);
	assert_int_equal(hello_versions(p.wire, p.wire_len, v), 2);
	assert_memory_equal(v, "\x03\x04", 2);
	free_pair(&p);

	run_opts old_client = {.seed = 12, .client_max = 0, .server_max = 0x0304, .server_min = 0x0304};
	handshake(&p, &old_client);
	assert_int_equal(tls_conn_status(p.s), TLS_FAILED);
	assert_int_equal(tls_conn_alert_sent(p.s), TLS_ALERT_PROTOCOL_VERSION);
	assert_non_null(strstr(tls_conn_error(p.s), "only TLS 1.3"));
	free_pair(&p);

	/* a hello offering 1.2 alone in supported_versions is refused too */
	run_opts old12 = {.seed = 12, .client_max = 0x0304, .server_max = 0x0304, .server_min = 0x0304,
	                  .tamper = versions_12_only};
	handshake(&p, &old12);
	assert_int_equal(tls_conn_alert_sent(p.s), TLS_ALERT_PROTOCOL_VERSION);
	assert_non_null(strstr(tls_conn_error(p.s), "lacks 0x0304"));
	free_pair(&p);

	/* the 1.2-only server ignores supported_versions and answers 1.2 */
	run_opts new_client = {.seed = 12, .client_max = 0x0304, .client_min = 0x0304, .server_max = 0};
	handshake(&p, &new_client);
	assert_int_equal(tls_conn_status(p.c), TLS_FAILED);
	assert_int_not_equal(tls_conn_status(p.s), TLS_ESTABLISHED);
	free_pair(&p);

	only13_client_meets_12_server();

	/* nothing to offer: min above max */
	tls_config bad = {0};
	tls_rng r;
	tls_conn *c = NULL;
	tls_rng_seed(&r, 1, "x");
	bad.rng = &r;
	bad.min_version = 0x0304;
	assert_int_not_equal(tls_conn_new(&c, &bad), 0);
	tls_rng_free(&r);
}

/* A hello of 1.3 and 1.2 that offers a 1.2 ECDHE_ECDSA suite lists P-384
 * too (a 1.2 server's ECDSA certificate must be on a listed curve); one
 * without, or of 1.3 alone, lists the 1.3 groups only. */
static void test_p384_for_ecdsa12(void **st)
{
	(void)st;
	static const uint16_t ecdsa[] = {0xC02B, 0xC02F};
	for (int k = 0; k < 3; k++) {
		tls_config cc = {0};
		tls_rng r;
		tls_conn *c = NULL;
		const uint8_t *out;
		tls_client_hello ch;
		tls_rng_seed(&r, 14, "client");
		cc.rng = &r;
		cc.now = NOW;
		cc.insecure = 1;
		cc.suites = k == 1 ? suites12 : ecdsa;
		cc.n_suites = 2;
		cc.max_version = 0x0304;
		cc.min_version = k == 2 ? 0x0304 : 0;
		assert_int_equal(tls_conn_new(&c, &cc), 0);
		assert_int_equal(tls_conn_start(c), 0);
		size_t n = tls_conn_output(c, &out);
		assert_true(n > 9);
		assert_int_equal(tls_client_hello_decode(out + 9, n - 9, &ch, NULL), 0);
		int p384 = 0;
		for (size_t i = 0; i < ch.n_groups; i++)
			p384 |= ch.groups[i] == 0x0018;
		assert_int_equal(p384, k == 0);
		assert_int_equal(ch.groups[0], 0x001d); /* the 1.3 groups first */
		tls_conn_free(c);
		tls_rng_free(&r);
	}
}

/* A client offering 1.3 and 1.2 resumes a TLS 1.2 session: its ID goes
 * in legacy_session_id (RFC 8446 4.1.2), and a 1.2 server takes it up. */
static void test_resume_12_session_from_13_hello(void **st)
{
	(void)st;
	tls_session cache = {0}, got = {0};
	run_opts o = {.seed = 15, .client_max = 0x0304, .server_max = 0, .compat = 1, .cache = &cache};
	pair p;
	handshake(&p, &o);
	assert_int_equal(tls_conn_status(p.c), TLS_ESTABLISHED);
	assert_int_equal(tls_conn_session(p.c, &got), 0);
	assert_true(got.valid && got.id_len == 32);
	free_pair(&p);
	run_opts r = {.seed = 16, .client_max = 0x0304, .server_max = 0, .compat = 1, .cache = &cache, .resume = &got};
	handshake(&p, &r);
	assert_int_equal(tls_conn_status(p.c), TLS_ESTABLISHED);
	assert_true(tls_conn_knowledge(p.c)->resumed);
	assert_memory_equal(tls_conn_knowledge(p.c)->session_id, got.id, 32);
	free_pair(&p);
	tls_session_wipe(&cache);
	tls_session_wipe(&got);
}

/* An attacker removes supported_versions from the ClientHello: the 1.3
 * server answers with 1.2 and the sentinel, the client aborts. */
static void strip_versions(int dir, size_t index, uint8_t *rec, size_t n, void *arg)
{
	(void)arg;
	static const uint8_t sv[] = {0x00, 0x2b, 0x00, 0x05, 0x04, 0x03, 0x04, 0x03, 0x03};
	if (dir != 0 || index != 0)
		return;
	for (size_t i = 0; i + sizeof sv <= n; i++)
		if (!memcmp(rec + i, sv, sizeof sv)) {
			rec[i] = rec[i + 1] = 0xfa; /* now an unknown extension */
			return;
		}
	fail_msg("no supported_versions in the ClientHello");
}

static void test_downgrade_sentinel(void **st)
{
	(void)st;
	run_opts o = {.seed = 11, .client_max = 0x0304, .server_max = 0x0304, .tamper = strip_versions};
	pair p;
	handshake(&p, &o);
	assert_int_equal(tls_conn_status(p.c), TLS_FAILED);
	assert_int_equal(tls_conn_alert_sent(p.c), TLS_ALERT_ILLEGAL_PARAMETER);
	assert_non_null(strstr(tls_conn_error(p.c), "DOWNGRD"));
	free_pair(&p);
}

/* Opens each encrypted server record with the server's handshake keys,
 * changes the last byte of a message of type *(int *)arg and seals again. */
typedef struct {
	pair *p;
	int type;
	uint64_t seq;
} retamper;

static void tamper_inner(int dir, size_t index, uint8_t *rec, size_t n, void *arg)
{
	retamper *t = arg;
	(void)index;
	const tls_knowledge *k = tls_conn_knowledge(t->p->s);
	if (dir != 1 || rec[0] != 23 || !k->tls13.has_hs_keys || k->tls13.has_client_finished)
		return;
	uint8_t pt[20000], type;
	size_t pl;
	uint64_t seq = t->seq++;
	if (tls13_record_open(k->suite, k->tls13.server_hs_key, k->tls13.server_hs_iv, seq, rec, n, pt, &pl,
	                      &type))
		return; /* application keys already */
	if (type != 22 || pt[0] != t->type)
		return;
	pt[pl - 1] ^= 1;
	tls_buf out = {0};
	assert_int_equal(tls13_record_seal(k->suite, k->tls13.server_hs_key, k->tls13.server_hs_iv, seq, type,
	                                   pt, pl, &out),
	                 0);
	assert_int_equal(out.len, n);
	memcpy(rec, out.p, n);
	tls_buf_free(&out);
}

static void expect_client_alert(run_opts *o, int desc)
{
	pair p;
	handshake(&p, o);
	assert_int_equal(tls_conn_status(p.c), TLS_FAILED);
	assert_int_equal(tls_conn_alert_sent(p.c), desc);
	assert_int_not_equal(tls_conn_status(p.s), TLS_ESTABLISHED);
	free_pair(&p);
}

static void test_tampered_cert_verify_and_finished(void **st)
{
	(void)st;
	pair holder;
	retamper t = {&holder, TLS_HS_CERTIFICATE_VERIFY, 0};
	run_opts o = {
	    .seed = 12, .client_max = 0x0304, .server_max = 0x0304, .tamper = tamper_inner, .arg = &t};
	/* the hook needs the pair before the handshake starts */
	make_pair(&holder, &o);
	assert_int_equal(tls_conn_start(holder.c), 0);
	pump(&holder, &o);
	assert_int_equal(tls_conn_alert_sent(holder.c), TLS_ALERT_DECRYPT_ERROR);
	assert_non_null(strstr(tls_conn_error(holder.c), "CertificateVerify"));
	free_pair(&holder);
	retamper f = {&holder, TLS_HS_FINISHED, 0};
	o.arg = &f;
	make_pair(&holder, &o);
	assert_int_equal(tls_conn_start(holder.c), 0);
	pump(&holder, &o);
	assert_int_equal(tls_conn_alert_sent(holder.c), TLS_ALERT_DECRYPT_ERROR);
	assert_non_null(strstr(tls_conn_error(holder.c), "Finished"));
	free_pair(&holder);
}

static void flip_ciphertext(int dir, size_t index, uint8_t *rec, size_t n, void *arg)
{
	(void)arg;
	(void)index;
	if (dir == 1 && rec[0] == 23)
		rec[n - 1] ^= 0x80;
}

static void sh_legacy_version(int dir, size_t index, uint8_t *rec, size_t n, void *arg)
{
	(void)arg;
	if (dir == 1 && index == 0 && n > 10)
		rec[10] = 0x02; /* legacy_version 0x0302 */
}

static void test_bad_records_and_hellos(void **st)
{
	(void)st;
	run_opts o = {.seed = 13, .client_max = 0x0304, .server_max = 0x0304, .tamper = flip_ciphertext};
	expect_client_alert(&o, TLS_ALERT_BAD_RECORD_MAC);
	o.tamper = sh_legacy_version;
	expect_client_alert(&o, TLS_ALERT_ILLEGAL_PARAMETER);
}

/* ---- ClientHellos built by hand, fed to a TLS 1.3 server ---- */

static const uint8_t sv13[] = {0x02, 0x03, 0x04};
static const uint8_t groups_x25519[] = {0x00, 0x02, 0x00, 0x1d};
static const uint8_t sig_pss[] = {0x00, 0x02, 0x08, 0x04};

static int server_alert_for(const tls_ext *exts, size_t n, int cut)
{
	tls_client_hello ch;
	tls_buf body = {0}, msg = {0}, rec = {0};
	memset(&ch, 0, sizeof ch);
	ch.version = 0x0303;
	ch.suites[ch.n_suites++] = 0x1301;
	memcpy(ch.exts, exts, n * sizeof *exts);
	ch.n_exts = n;
	assert_int_equal(tls_client_hello_encode(&body, &ch), 0);
	body.len -= (size_t)cut;
	assert_int_equal(tls_hs_wrap(&msg, TLS_HS_CLIENT_HELLO, body.p, body.len), 0);
	assert_int_equal(tls_buf_u8(&rec, 22) || tls_buf_u16(&rec, 0x0301) ||
	                     tls_buf_u16(&rec, (unsigned)msg.len) || tls_buf_put(&rec, msg.p, msg.len),
	                 0);
	run_opts o = {.seed = 14, .client_max = 0x0304, .server_max = 0x0304};
	pair p;
	make_pair(&p, &o);
	tls_conn_recv(p.s, rec.p, rec.len);
	int a = tls_conn_status(p.s) == TLS_FAILED ? tls_conn_alert_sent(p.s) : -1;
	if (getenv("T13_DEBUG"))
		fprintf(stderr, "server: %s\n", tls_conn_error(p.s));
	free_pair(&p);
	tls_buf_free(&body);
	tls_buf_free(&msg);
	tls_buf_free(&rec);
	return a;
}

static void test_bad_client_hellos(void **st)
{
	(void)st;
	uint8_t share[2 + 2 + 2 + 32] = {0x00, 36, 0x00, 0x1d, 0x00, 32};
	for (int i = 0; i < 32; i++)
		share[6 + i] = (uint8_t)(9 + i);
	tls_ext good[] = {{43, sv13, 3}, {10, groups_x25519, 4}, {13, sig_pss, 4}, {51, share, sizeof share}};
	/* the good hello itself goes through (no alert) */
	assert_int_equal(server_alert_for(good, 4, 0), -1);
	/* missing key_share */
	assert_int_equal(server_alert_for(good, 3, 0), TLS_ALERT_MISSING_EXTENSION);
	/* duplicate extension */
	tls_ext dup[] = {good[0], good[1], good[2], good[3], good[0]};
	assert_int_equal(server_alert_for(dup, 5, 0), TLS_ALERT_DECODE_ERROR);
	/* truncated: the last share is cut short */
	assert_int_equal(server_alert_for(good, 4, 3), TLS_ALERT_DECODE_ERROR);
	/* a key share whose inner length overruns the extension */
	uint8_t bad_share[sizeof share];
	memcpy(bad_share, share, sizeof share);
	bad_share[5] = 40;
	tls_ext overrun[] = {good[0], good[1], good[2], {51, bad_share, sizeof bad_share}};
	assert_int_equal(server_alert_for(overrun, 4, 0), TLS_ALERT_DECODE_ERROR);
	/* a share for a group supported_groups does not list */
	static const uint8_t groups_p256[] = {0x00, 0x02, 0x00, 0x17};
	tls_ext unlisted[] = {good[0], {10, groups_p256, 4}, good[2], good[3]};
	assert_int_equal(server_alert_for(unlisted, 4, 0), TLS_ALERT_ILLEGAL_PARAMETER);
	/* pre_shared_key not last */
	static const uint8_t psk[] = {0x00, 0x0b, 0x00, 0x05, 1,  2,  3,  4,  5,  0,  0,  0,
	                              0,    0x00, 0x21, 0x20, 1,  2,  3,  4,  5,  6,  7,  8,
	                              9,    10,   11,   12,   13, 14, 15, 16, 17, 18, 19, 20,
	                              21,   22,   23,   24,   25, 26, 27, 28, 29, 30, 31, 32};
	static const uint8_t modes[] = {1, 1};
	tls_ext psk_first[] = {good[0], good[1], {41, psk, sizeof psk}, good[2], good[3], {45, modes, 2}};
	assert_int_equal(server_alert_for(psk_first, 6, 0), TLS_ALERT_ILLEGAL_PARAMETER);
	/* an unknown ticket is not an error: a full handshake */
	tls_ext psk_last[] = {good[0], good[1], good[2], good[3], {45, modes, 2}, {41, psk, sizeof psk}};
	assert_int_equal(server_alert_for(psk_last, 6, 0), -1);
	/* X25519 share of the wrong size */
	uint8_t short_share[] = {0x00, 6, 0x00, 0x1d, 0x00, 2, 1, 2};
	tls_ext wrong[] = {good[0], good[1], good[2], {51, short_share, sizeof short_share}};
	assert_int_equal(server_alert_for(wrong, 4, 0), TLS_ALERT_ILLEGAL_PARAMETER);
}

/* KeyUpdate (4.6.3): the server asks, the client answers; both
 * directions then run on the next generation of traffic keys. */
static void test_key_update(void **st)
{
	(void)st;
	run_opts o = {.seed = 15, .client_max = 0x0304, .server_max = 0x0304};
	pair p;
	handshake(&p, &o);
	assert_same_secrets(&p);
	assert_int_equal(tls_conn_key_update(p.s, 1), 0);
	run_opts none = {0};
	pump(&p, &none);
	assert_int_equal(tls_conn_status(p.c), TLS_ESTABLISHED);
	assert_int_equal(tls_conn_status(p.s), TLS_ESTABLISHED);
	uint8_t buf[16];
	assert_int_equal(tls_conn_send_app(p.c, (const uint8_t *)"after", 5), 0);
	assert_int_equal(tls_conn_send_app(p.s, (const uint8_t *)"update", 6), 0);
	pump(&p, &none);
	assert_int_equal(tls_conn_take_app(p.s, buf, sizeof buf), 5);
	assert_int_equal(tls_conn_take_app(p.c, buf, sizeof buf), 6);
	assert_memory_equal(buf, "update", 6);
	/* a KeyUpdate of a TLS 1.2 connection does not exist */
	free_pair(&p);
	run_opts q = {.seed = 15};
	handshake(&p, &q);
	assert_int_equal(tls_conn_key_update(p.c, 0), TLS_ERR_INTERNAL);
	free_pair(&p);
}

/* Every byte of the hellos and of the server's encrypted flight has a
 * named field when read with tls13_hs_describe. */
static void check_covered(const uint8_t *msg, size_t n, int from_server)
{
	tls_spans sp = {0};
	uint8_t seen[20000] = {0};
	assert_true(n <= sizeof seen);
	assert_int_equal(tls13_hs_describe(msg, n, from_server, &sp), 0);
	for (size_t k = 0; k < sp.n; k++) {
		assert_true(sp.v[k].offset + (size_t)sp.v[k].length <= n);
		memset(seen + sp.v[k].offset, 1, sp.v[k].length);
	}
	for (size_t b = 0; b < n; b++)
		if (!seen[b])
			fail_msg("%s byte %zu of %zu has no field", tls_hs_name(msg[0]), b, n);
	tls_spans_free(&sp);
}

static void test_spans_cover_every_byte(void **st)
{
	(void)st;
	tls_session cache = {0};
	run_opts o = {.seed = 16,
	              .client_max = 0x0304,
	              .server_max = 0x0304,
	              .mutual = 1,
	              .tickets = 1,
	              .cache = &cache};
	pair p;
	handshake(&p, &o);
	assert_same_secrets(&p);
	const tls_knowledge *k = tls_conn_knowledge(p.s);
	/* ClientHello, then ServerHello, then the server's records under its handshake keys */
	size_t at = 0, seq = 0, msgs = 0;
	int dir_server = 0;
	while (at + 5 <= p.wire_len) {
		const uint8_t *r = p.wire + at;
		size_t n = 5 + (size_t)(r[3] << 8 | r[4]);
		if (r[0] == 22) {
			check_covered(r + 5, n - 5, dir_server);
			dir_server = 1;
			msgs++;
		} else if (r[0] == 23) {
			uint8_t pt[20000], type;
			size_t pl;
			if (!tls13_record_open(k->suite, k->tls13.server_hs_key, k->tls13.server_hs_iv, seq,
			                       r, n, pt, &pl, &type)) {
				seq++;
				if (type == 22) {
					check_covered(pt, pl, 1);
					msgs++;
				}
			}
		}
		at += n;
	}
	assert_true(msgs >= 7); /* CH, SH, EE, CR, Certificate, CertificateVerify, Finished */
	free_pair(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_suite_and_group),
	    cmocka_unit_test(test_hello_retry_request),
	    cmocka_unit_test(test_two_shares_no_retry),
	    cmocka_unit_test(test_compat_mode),
	    cmocka_unit_test(test_mutual),
	    cmocka_unit_test(test_resumption),
	    cmocka_unit_test(test_same_seed_same_bytes),
	    cmocka_unit_test(test_tls12_peers),
	    cmocka_unit_test(test_downgrade_sentinel),
	    cmocka_unit_test(test_min_version),
	    cmocka_unit_test(test_p384_for_ecdsa12),
	    cmocka_unit_test(test_resume_12_session_from_13_hello),
	    cmocka_unit_test(test_tampered_cert_verify_and_finished),
	    cmocka_unit_test(test_bad_records_and_hellos),
	    cmocka_unit_test(test_bad_client_hellos),
	    cmocka_unit_test(test_key_update),
	    cmocka_unit_test(test_ecdsa_cert_verify),
	    cmocka_unit_test(test_ecdsa_refusals),
	    cmocka_unit_test(test_ecdsa_tls12),
	    cmocka_unit_test(test_spans_cover_every_byte),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
