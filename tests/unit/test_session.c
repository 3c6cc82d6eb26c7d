/* Sessions kept between runs (connect --sess-out / --sess-in): what the
 * engine hands out (a 1.3 ticket with its nonce and a PSK that follows from
 * the resumption master secret; a 1.2 session with its ems flag), the
 * client's RFC 7627 5.3 check when a server resumes with another ems, a
 * 1.2 session offered in a 1.3-capable hello, and the session file: a
 * round trip, mode 0600, and every bad file refused with the right line. */
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
#include "app/session_file.h"
#include "tls/alert.h"
#include "tls/conn.h"
#include "tls/crypto.h"
#include "tls/protect.h"
#include "tls/tls13.h"
#include "tls/tls13_keys.h"
#include "tmpname.h"

#include <sys/stat.h>
#include <unistd.h>

static tls_creds srv, cli;
static const uint16_t suites12[] = {0xC02F, 0x009C};
static const int64_t NOW = 1767225600;

static int setup(void **st)
{
	(void)st;
	char err[256];
	if (app_pki_add_chain(&srv, SRC("assets/server.crt"), err, sizeof err) ||
	    app_pki_load_key(&srv, SRC("assets/server.key"), err, sizeof err) ||
	    app_pki_load_anchors(&cli, SRC("assets/ca.crt"), err, sizeof err)) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

static int teardown(void **st)
{
	(void)st;
	tls_creds_free(&srv);
	tls_creds_free(&cli);
	return 0;
}

typedef struct {
	uint16_t client_max, server_max;
	int client_ems, server_ems, tickets, compat;
	const tls_session *resume;
	tls_session *cache;
} opts;

typedef struct {
	tls_conn *c, *s;
	tls_rng cr, sr;
} pair;

/* A client and a server in memory, run until neither has output. */
static void run(pair *p, const opts *o, uint64_t seed)
{
	tls_config cc = {0}, sc = {0};
	tls_rng_seed(&p->cr, seed, "client");
	tls_rng_seed(&p->sr, seed, "server");
	cc.rng = &p->cr;
	cc.now = NOW;
	cc.suites = suites12;
	cc.n_suites = 2;
	cc.server_name = "localhost";
	cc.anchors = cli.anchors;
	cc.n_anchors = cli.n_anchors;
	cc.max_version = o->client_max;
	cc.ems = o->client_ems;
	cc.middlebox_compat = o->compat;
	cc.resume = o->resume;
	sc.is_server = 1;
	sc.rng = &p->sr;
	sc.now = NOW;
	sc.suites = suites12;
	sc.n_suites = 2;
	sc.chain_der = srv.chain_der;
	sc.chain_len = srv.chain_len;
	sc.chain_n = srv.chain_n;
	sc.key = &srv.key;
	sc.max_version = o->server_max;
	sc.ems = o->server_ems;
	sc.tickets = o->tickets;
	sc.session_cache = o->cache;
	assert_int_equal(tls_conn_new(&p->c, &cc), 0);
	assert_int_equal(tls_conn_new(&p->s, &sc), 0);
	assert_int_equal(tls_conn_start(p->c), 0);
	for (int moved = 1, round = 0; moved && round < 64; round++) {
		moved = 0;
		for (int dir = 0; dir < 2; dir++) {
			tls_conn *from = dir ? p->s : p->c, *to = dir ? p->c : p->s;
			const uint8_t *q;
			size_t n = tls_conn_output(from, &q);
			if (n) {
				tls_conn_recv(to, q, n);
				tls_conn_consume(from, n);
				moved = 1;
			}
		}
	}
}

static void done(pair *p)
{
	tls_conn_free(p->c);
	tls_conn_free(p->s);
	tls_rng_free(&p->cr);
	tls_rng_free(&p->sr);
}

/* The 1.3 ticket session: nonce kept, and its PSK is what RFC 8446 4.6.1
 * makes of the client's resumption master secret and that nonce. */
static void test_ticket_session(void **st)
{
	(void)st;
	tls_session cache = {0}, t;
	opts o = {.client_max = 0x0304, .server_max = 0x0304, .tickets = 2, .cache = &cache};
	pair p;
	run(&p, &o, 1);
	assert_int_equal(tls_conn_status(p.c), TLS_ESTABLISHED);
	assert_int_equal(tls_conn_session(p.c, &t), 0);
	assert_int_equal(t.version, 0x0304);
	assert_true(t.nonce_len > 0);
	assert_int_equal(t.max_early_data, 0);
	assert_int_equal(t.issued, NOW);
	const tls_knowledge *k = tls_conn_knowledge(p.c);
	const tls13_step *rms = tls13_sched_find(&k->tls13.sched, "resumption_master_secret");
	assert_non_null(rms);
	uint8_t psk[48];
	assert_int_equal(
	    tls13_resumption_psk(tls_hash_sha256(), rms->value, rms->len, t.nonce, t.nonce_len, psk), 0);
	assert_int_equal(t.psk_len, 32);
	assert_memory_equal(psk, t.psk, 32);
	done(&p);
}

/* Sends the client a NewSessionTicket as the server would, sealed with the
 * server's application key at sequence number seq. */
static void send_ticket(pair *p, uint64_t seq, uint32_t lifetime, uint8_t id)
{
	const tls_knowledge *k = tls_conn_knowledge(p->c);
	uint8_t nonce[1] = {id}, ticket[3] = {id, id, id};
	tls13_ticket_msg m = {lifetime, 77, nonce, ticket, 1, 3, 0};
	tls_buf body = {0}, msg = {0}, rec = {0};
	assert_int_equal(tls13_nst_encode(&body, &m), 0);
	assert_int_equal(tls_hs_wrap(&msg, TLS_HS_NEW_SESSION_TICKET, body.p, body.len), 0);
	assert_int_equal(tls13_record_seal(k->suite, k->tls13.server_ap_key, k->tls13.server_ap_iv, seq, 22,
	                                   msg.p, msg.len, &rec),
	                 0);
	assert_int_equal(tls_conn_recv(p->c, rec.p, rec.len), 0);
	tls_buf_free(&body);
	tls_buf_free(&msg);
	tls_buf_free(&rec);
}

/* 4.6.1: a ticket of lifetime 0 is to be discarded; the one before stays.
 * A later usable ticket replaces it (the last one is kept). */
static void test_ticket_lifetime_zero(void **st)
{
	(void)st;
	tls_session cache = {0}, t;
	opts o = {.client_max = 0x0304, .server_max = 0x0304, .tickets = 1, .cache = &cache};
	pair p;
	run(&p, &o, 11);
	assert_int_equal(tls_conn_session(p.c, &t), 0);
	size_t first_len = t.ticket_len;
	send_ticket(&p, 1, 0, 0xee);
	assert_int_equal(tls_conn_status(p.c), TLS_ESTABLISHED);
	assert_int_equal(tls_conn_session(p.c, &t), 0);
	assert_int_equal(t.ticket_len, first_len);
	send_ticket(&p, 2, 100, 0x42);
	assert_int_equal(tls_conn_session(p.c, &t), 0);
	assert_int_equal(t.ticket_len, 3);
	assert_int_equal(t.ticket[0], 0x42);
	assert_int_equal(t.lifetime, 100);
	assert_int_equal(t.age_add, 77);
	assert_int_equal(t.nonce_len, 1);
	done(&p);
}

/* NewSessionTicket's early_data extension (4.2.10) is read; a wrong size
 * is a decode error. */
static void test_ticket_early_data(void **st)
{
	(void)st;
	static const uint8_t good[] = {0,    0,    0x1c, 0x20, 1, 2,  3, 4, 1, 7, 0,    2,
	                               0xaa, 0xbb, 0,    8,    0, 42, 0, 4, 0, 0, 0x40, 0};
	static const uint8_t bad[] = {0, 0,    0x1c, 0x20, 1, 2, 3,  4, 1, 7, 0,
	                              2, 0xaa, 0xbb, 0,    6, 0, 42, 0, 2, 0, 0};
	tls13_ticket_msg m;
	assert_int_equal(tls13_nst_decode(good, sizeof good, &m, NULL), 0);
	assert_int_equal(m.lifetime, 7200);
	assert_int_equal(m.max_early_data, 16384);
	assert_int_equal(m.nonce_len, 1);
	assert_int_equal(m.ticket_len, 2);
	assert_int_not_equal(tls13_nst_decode(bad, sizeof bad, &m, NULL), 0);
}

/* A 1.2 session carries its ems flag, and resumes with it. */
static void test_tls12_session(void **st)
{
	(void)st;
	tls_session cache = {0}, s;
	opts o = {.client_ems = 1, .server_ems = 1, .cache = &cache};
	pair p;
	run(&p, &o, 2);
	assert_int_equal(tls_conn_session(p.c, &s), 0);
	assert_int_equal(s.ems, 1);
	assert_int_equal(s.etm, 0);
	assert_int_equal(s.version, 0);
	done(&p);
	o.resume = &s;
	run(&p, &o, 3);
	assert_int_equal(tls_conn_status(p.c), TLS_ESTABLISHED);
	assert_true(tls_conn_knowledge(p.c)->resumed);
	done(&p);
}

/* RFC 7627 5.3: the client aborts when the server resumes a session with
 * another extended-master-secret state than it was made with. */
static void test_ems_change_aborts(void **st)
{
	(void)st;
	tls_session cache = {0}, s;
	opts o = {.client_ems = 1, .server_ems = 1, .cache = &cache};
	pair p;
	run(&p, &o, 4);
	assert_int_equal(tls_conn_session(p.c, &s), 0);
	done(&p);
	s.ems = 0; /* the client believes the session was made without it */
	o.resume = &s;
	run(&p, &o, 5);
	assert_int_equal(tls_conn_status(p.c), TLS_FAILED);
	assert_int_equal(tls_conn_alert_sent(p.c), TLS_ALERT_HANDSHAKE_FAILURE);
	assert_non_null(strstr(tls_conn_error(p.c), "extended_master_secret"));
	done(&p);
}

/* RFC 8446 4.1.2: a client that offers 1.3 and holds a 1.2 session sends
 * its ID; a 1.2 server resumes it. */
static void test_tls12_session_in_tls13_hello(void **st)
{
	(void)st;
	tls_session cache = {0}, s;
	opts o = {.client_ems = 1, .server_ems = 1, .cache = &cache};
	pair p;
	run(&p, &o, 6);
	assert_int_equal(tls_conn_session(p.c, &s), 0);
	done(&p);
	o.client_max = 0x0304;
	o.compat = 1;
	o.resume = &s;
	run(&p, &o, 7);
	assert_int_equal(tls_conn_status(p.c), TLS_ESTABLISHED);
	assert_true(tls_conn_knowledge(p.c)->resumed);
	assert_int_equal(tls_conn_knowledge(p.c)->version, 0x0303);
	done(&p);
}

/* ---- the session file ---- */

static char dir[TMPNAME_MAX];

static const char *path_in_dir(const char *name)
{
	static char p[TMPNAME_MAX + 64];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	return p;
}

static void make_ticket_file(app_session *a)
{
	tls_session cache = {0};
	opts o = {.client_max = 0x0304, .server_max = 0x0304, .tickets = 1, .cache = &cache};
	pair p;
	run(&p, &o, 8);
	char err[256];
	assert_int_equal(app_session_save(path_in_dir("t13"), p.c, "localhost", NOW, err, sizeof err), 0);
	assert_int_equal(app_session_read(path_in_dir("t13"), a, err, sizeof err), 0);
	tls_session s;
	assert_int_equal(tls_conn_session(p.c, &s), 0);
	assert_int_equal(a->s.ticket_len, s.ticket_len);
	assert_memory_equal(a->s.ticket, s.ticket, s.ticket_len);
	assert_memory_equal(a->s.psk, s.psk, s.psk_len);
	assert_int_equal(a->s.age_add, s.age_add);
	assert_int_equal(a->s.lifetime, s.lifetime);
	assert_int_equal(a->res_master_len, 32);
	done(&p);
}

static void test_file_round_trip(void **st)
{
	(void)st;
	app_session a;
	make_ticket_file(&a);
	struct stat sb;
	assert_int_equal(stat(path_in_dir("t13"), &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_string_equal(a.server_name, "localhost");
	assert_int_equal(a.s.issued, NOW);
	/* and a 1.2 session */
	tls_session cache = {0};
	opts o = {.client_ems = 1, .server_ems = 1, .cache = &cache};
	pair p;
	run(&p, &o, 9);
	char err[256];
	assert_int_equal(app_session_save(path_in_dir("t12"), p.c, "localhost", NOW, err, sizeof err), 0);
	app_session b;
	assert_int_equal(app_session_read(path_in_dir("t12"), &b, err, sizeof err), 0);
	assert_int_equal(b.s.ems, 1);
	assert_int_equal(b.s.id_len, 32);
	assert_int_equal(b.s.suite, tls_conn_knowledge(p.c)->suite->id);
	assert_memory_equal(b.s.master, tls_conn_knowledge(p.c)->master, 48);
	done(&p);
}

/* A good file's text with one line replaced (or removed: with == NULL). */
static char *edited(const char *text, const char *key, const char *with)
{
	char *out = calloc(1, strlen(text) + 256);
	const char *p = text;
	while (*p) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p + 1) : strlen(p);
		if (!strncmp(p, key, strlen(key)) && p[strlen(key)] == '=') {
			if (with)
				strcat(strcat(out, with), "\n");
		} else {
			strncat(out, p, n);
		}
		p += n;
	}
	return out;
}

static void test_bad_files(void **st)
{
	(void)st;
	app_session a;
	make_ticket_file(&a);
	tls_buf good = {0};
	char err[512];
	assert_int_equal(app_file_read(path_in_dir("t13"), 1 << 16, &good, err, sizeof err), 0);
	assert_int_equal(tls_buf_u8(&good, 0), 0);
	const char *g = (const char *)good.p;
	/* key to change, its new line (NULL: removed), the error's telling part */
	static const struct {
		const char *key, *line, *want;
	} rows[] = {
	    {"version", NULL, "incomplete (truncated?): no version= line"},
	    {"psk", NULL, "no psk= line"},
	    {"version", "version=1.1", "version must be 1.2 or 1.3"},
	    {"psk", "psk=00", "psk must be hex, 32 or 48 bytes"},
	    {"psk", "psk=zz1dcafe", "psk must be hex"},
	    {"ticket", "ticket=abc", "ticket must be hex"},
	    {"ticket_lifetime", "ticket_lifetime=604801", "ticket_lifetime must be seconds"},
	    {"ticket_age_add", "ticket_age_add=-1", "ticket_age_add must be"},
	    {"cipher_suite", "cipher_suite=c02f", "not a TLS 1.3 suite"},
	    {"cipher_suite", "cipher_suite=1302", "hashes with SHA-384"},
	    {"cipher_suite", "cipher_suite=ffff", "cipher_suite must be a cipher suite tlsstep knows"},
	    {"server_name", "server_name=a b", "server_name must be a host name"},
	    {"max_early_data", "max_early_data=1\nmax_early_data=2", "given twice"},
	    {"received", "received=1\nsession_id=00", "session_id has no place in a TLS 1.3 session"},
	    {"received", "received=1\ncolour=blue", "unknown key 'colour'"},
	    {"received", "received 1", "not key=value"},
	    {"ticket_nonce", "ticket_nonce=ff", "the file was altered"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char *t = edited(g, rows[i].key, rows[i].line);
		if (app_session_parse(t, strlen(t), "F", &a, err, sizeof err) == 0)
			fail_msg("row %zu (%s) was accepted", i, rows[i].key);
		if (!strstr(err, rows[i].want) || strncmp(err, "F", 1) || strchr(err, '\n'))
			fail_msg("row %zu: '%s' does not say '%s' in one line", i, err, rows[i].want);
		free(t);
	}
	/* whole-file problems */
	static const struct {
		const char *text, *want;
	} whole[] = {
	    {"", "not a tlsstep session file"},
	    {"tlsstep-session 2\nversion=1.3\n", "format '2'; this tlsstep reads format 1"},
	    {"-----BEGIN SSL SESSION PARAMETERS-----\nMIIB\n", "an OpenSSL session"},
	    {"hello\n", "not a tlsstep session file"},
	    {"tlsstep-session 1\n", "no version= line"},
	};
	for (size_t i = 0; i < sizeof whole / sizeof whole[0]; i++) {
		assert_int_not_equal(
		    app_session_parse(whole[i].text, strlen(whole[i].text), "F", &a, err, sizeof err), 0);
		if (!strstr(err, whole[i].want))
			fail_msg("whole %zu: '%s' does not say '%s'", i, err, whole[i].want);
	}
	assert_int_not_equal(app_session_parse("tlsstep-session 1\n\0x", 20, "F", &a, err, sizeof err), 0);
	assert_non_null(strstr(err, "binary"));
	/* truncated halfway through the psk line */
	size_t cut = (size_t)(strstr(g, "psk=") - g) + 20;
	assert_int_not_equal(app_session_parse(g, cut, "F", &a, err, sizeof err), 0);
	assert_non_null(strstr(err, "psk must be hex"));
	/* comments, blank lines and CRLF pass */
	char *crlf = edited(g, "max_early_data", "\n# a comment\r\nmax_early_data=0\r");
	assert_int_equal(app_session_parse(crlf, strlen(crlf), "F", &a, err, sizeof err), 0);
	free(crlf);
	assert_int_not_equal(app_session_read(path_in_dir("missing"), &a, err, sizeof err), 0);
	assert_non_null(strstr(err, "cannot open"));
	tls_buf_free(&good);
}

/* A good file that does not fit this connection. */
static void test_check(void **st)
{
	(void)st;
	app_session a;
	make_ticket_file(&a);
	char err[512];
	app_session_want w = {"localhost", 1, 1, suites12, 2, NOW + 10};
	assert_int_equal(app_session_check(&a, "F", &w, err, sizeof err), 0);
	app_session_want other = w;
	other.server_name = "LOCALHOST";
	assert_int_equal(app_session_check(&a, "F", &other, err, sizeof err), 0); /* DNS names ignore case */
	other.server_name = "example.com";
	assert_int_not_equal(app_session_check(&a, "F", &other, err, sizeof err), 0);
	assert_non_null(strstr(err, "F is a session with localhost, not example.com"));
	other = w;
	other.offer13 = 0;
	assert_int_not_equal(app_session_check(&a, "F", &other, err, sizeof err), 0);
	assert_non_null(strstr(err, "F holds a TLS 1.3 session, and this connect does not offer TLS 1.3"));
	other = w;
	other.now = NOW + a.s.lifetime;
	assert_int_not_equal(app_session_check(&a, "F", &other, err, sizeof err), 0);
	assert_non_null(strstr(err, "F: the ticket expired at 2026-01-01T02:00:00Z"));
	/* a 1.2 session whose suite is not offered */
	tls_session cache = {0};
	opts o = {.client_ems = 1, .server_ems = 1, .cache = &cache};
	pair p;
	run(&p, &o, 10);
	assert_int_equal(app_session_save(path_in_dir("t12b"), p.c, "localhost", NOW, err, sizeof err), 0);
	done(&p);
	assert_int_equal(app_session_read(path_in_dir("t12b"), &a, err, sizeof err), 0);
	static const uint16_t gcm256[] = {0x009D};
	other = w;
	other.suites = gcm256;
	other.n_suites = 1;
	assert_int_not_equal(app_session_check(&a, "F", &other, err, sizeof err), 0);
	assert_non_null(strstr(err, "is not among those offered"));
	other = w;
	other.offer12 = 0;
	assert_int_not_equal(app_session_check(&a, "F", &other, err, sizeof err), 0);
	assert_non_null(strstr(err, "F holds a TLS 1.2 session"));
}

static int file_setup(void **st)
{
	(void)st;
	tmpname_template(dir, "tlsstep-sess"); /* under $TMPDIR */
	return mkdtemp(dir) ? 0 : -1;
}

static int file_teardown(void **st)
{
	(void)st;
	static const char *const names[] = {"t13", "t12", "t12b"};
	for (size_t i = 0; i < 3; i++)
		unlink(path_in_dir(names[i]));
	return rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ticket_session),
	    cmocka_unit_test(test_ticket_early_data),
	    cmocka_unit_test(test_ticket_lifetime_zero),
	    cmocka_unit_test(test_tls12_session),
	    cmocka_unit_test(test_ems_change_aborts),
	    cmocka_unit_test(test_tls12_session_in_tls13_hello),
	    cmocka_unit_test_setup_teardown(test_file_round_trip, file_setup, file_teardown),
	    cmocka_unit_test_setup_teardown(test_bad_files, file_setup, file_teardown),
	    cmocka_unit_test_setup_teardown(test_check, file_setup, file_teardown),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
