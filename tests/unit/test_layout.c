/* Unit tests for the TUI's view model (src/ui/layout.c), on models made by
 * running real simulations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "scenario_creds.h"
#include "srcdir.h"

#include "sim/sim.h"
#include "ui/layout.h"
#include "ui/lesson.h"

static model *run(const char *scenario)
{
	static model ms[4];
	static const char *names[4];
	for (int i = 0; i < 4; i++) {
		if (names[i] && !strcmp(names[i], scenario))
			return &ms[i];
		if (!names[i]) {
			sim_options o = {.scenario = scenario, .seed = 1, .secure_channel = 1};
			sim *s;
			char err[256];
			o.creds = scenario_creds(o.scenario);
			assert_int_equal(sim_new(&s, &o, &ms[i], err, sizeof err), 0);
			sim_run(s);
			sim_free(s);
			names[i] = scenario;
			return &ms[i];
		}
	}
	fail();
	return NULL;
}

static void hex(char *out, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
}

static int find_path(const lt_tree *t, const char *path)
{
	for (int i = 0; i < t->n; i++)
		if (t->v[i].span && !strcmp(t->v[i].span->path, path))
			return i;
	return -1;
}

static int lines_have(const lt_lines *l, const char *s)
{
	for (int i = 0; i < l->n; i++)
		if (strstr(l->v[i], s))
			return 1;
	return 0;
}

static void test_cols(void **state)
{
	(void)state;
	assert_int_equal(layout_cols("C→S"), 3);
	assert_int_equal(layout_fit("C→S", 2), 4);
	assert_int_equal(layout_fit("abc", 10), 3);
}

static void test_timeline(void **state)
{
	(void)state;
	model *m = run("rsa");
	layout_timeline t;
	for (int cur = 0; cur <= 7; cur++) {
		layout_timeline_make(m, cur, 7, 80, 0, &t);
		assert_true(layout_cols(t.text) <= 80);
		assert_non_null(strstr(t.text, cur ? model_step_title(cur) : "Introduction"));
		assert_memory_equal(t.text + layout_fit(t.text, t.cur_col), "▶", 3);
		assert_int_equal(t.col[cur], t.cur_col);
	}
	layout_timeline_make(m, 2, 6, 200, 1, &t);
	assert_int_equal(t.level, 0);
	assert_non_null(strstr(t.text, ">2 Server hello C<-S clear"));
	assert_non_null(strstr(t.text, "6 Server finished C<-S enc"));
	for (const char *p = t.text; *p; p++)
		assert_true((unsigned char)*p < 0x80);
}

static void test_tree_step1(void **state)
{
	(void)state;
	model *m = run("rsa");
	lt_tree t;
	assert_int_equal(layout_tree_build(m, 1, &t), 0);
	assert_int_equal(t.v[0].kind, LT_RECORD);
	assert_non_null(strstr(t.v[0].label, "Record 1: handshake"));
	int r = find_path(&t, "client_hello.random");
	assert_true(r > 0);
	assert_int_equal(t.v[r].off, 11);
	assert_int_equal(t.v[r].len, 32);
	int p = t.v[r].parent;
	assert_int_equal(t.v[p].kind, LT_MSG);
	assert_string_equal(t.v[p].label, "ClientHello");
	/* the narrowest field under a byte: gmt_unix_time inside random */
	int at = layout_tree_at(&t, 0, 12);
	assert_string_equal(t.v[at].span->path, "client_hello.random.gmt_unix_time");
	at = layout_tree_at(&t, 0, 0);
	assert_string_equal(t.v[at].span->path, "record.content_type");
	/* every row stays inside its buffer */
	for (int i = 0; i < t.n; i++) {
		const uint8_t *b;
		size_t n;
		layout_row_buffer(m, 1, &t.v[i], &b, &n);
		assert_true(t.v[i].off + t.v[i].len <= n);
	}
	layout_tree_free(&t);
}

static void test_tree_groups_and_folding(void **state)
{
	(void)state;
	model *m = run("rsa");
	lt_tree t;
	int idx[512];
	layout_tree_build(m, 1, &t);
	int s0 = find_path(&t, "client_hello.cipher_suites[0]");
	int g = t.v[s0].parent;
	assert_string_equal(t.v[g].label, "cipher_suites");
	assert_null(t.v[g].span);
	assert_int_equal(t.v[g].off, 0x2c); /* from its length prefix on */
	assert_int_equal(t.v[g].len, 14);
	int all = layout_tree_visible(&t, idx, 512);
	assert_int_equal(all, t.n);
	int msg = t.v[g].parent;
	t.v[msg].collapsed = 1;
	int some = layout_tree_visible(&t, idx, 512);
	assert_true(some < all);
	for (int i = 0; i < some; i++)
		assert_true(idx[i] <= msg || t.v[idx[i]].parent < msg);
	layout_tree_free(&t);
}

static void test_tree_encrypted(void **state)
{
	(void)state;
	model *m = run("rsa");
	lt_tree t;
	layout_tree_build(m, 5, &t);
	int v = find_path(&t, "finished.verify_data");
	assert_true(v > 0);
	assert_true(t.v[v].in_msg);
	assert_int_equal(t.v[v].off, 4);
	assert_int_equal(t.v[v].len, 12);
	const uint8_t *b;
	size_t n;
	layout_row_buffer(m, 5, &t.v[v], &b, &n);
	assert_memory_equal(b + 4, m->secrets[MS_CLIENT_VERIFY].v, 12);
	int msg = t.v[v].parent;
	assert_non_null(strstr(t.v[msg].label, "Finished (decrypted)"));
	/* the record's ciphertext is on another buffer */
	assert_false(layout_same_buffer(&t.v[v], &t.v[t.v[msg].parent]));
	/* the decrypted record under it: the 20-byte MAC and the padding,
	 * on a third buffer as long as the record */
	int mac = find_path(&t, "record.mac"), pl = find_path(&t, "record.padding_length");
	assert_true(mac > 0 && pl > 0);
	assert_true(t.v[mac].opened);
	assert_int_equal(t.v[mac].len, 20);
	assert_int_equal(t.v[t.v[mac].parent].parent, t.v[msg].parent);
	layout_row_buffer(m, 5, &t.v[pl], &b, &n);
	assert_int_equal(n, m->steps[5].rec[t.v[pl].rec].wire.len);
	assert_int_equal(t.v[pl].off, n - 1);
	assert_int_equal(b[n - 1], 11);
	assert_true(layout_same_buffer(&t.v[mac], &t.v[pl]));
	assert_false(layout_same_buffer(&t.v[mac], &t.v[v]));
	assert_int_equal(layout_tree_at(&t, mac, n - 1), pl);
	layout_tree_free(&t);
}

static void test_hex(void **state)
{
	(void)state;
	model *m = run("rsa");
	const tls_buf *w = &m->steps[1].rec[0].wire;
	char line[256];
	layout_hex_line(w->p, w->len, 0, 8, line, sizeof line);
	assert_string_equal(line, "0000  16 03 03 00 68 01 00 00  ....h...");
	assert_int_equal((int)strlen(line), layout_hex_width(8));
	assert_int_equal(layout_hex_per_line(39), 8);
	assert_int_equal(layout_hex_per_line(71), 16);
	assert_int_equal(layout_hex_byte_at(layout_hex_col(3), 8, 8, w->len), 11);
	assert_int_equal(layout_hex_byte_at(layout_ascii_col(7, 8), 8, 8, w->len), 15);
	assert_int_equal(layout_hex_byte_at(2, 8, 8, w->len), -1);
	layout_hex_line(w->p, w->len, 104, 8, line, sizeof line); /* last, short line */
	assert_int_equal(strncmp(line, "0068  ff 01 00 01 00          ", 30), 0);
	assert_string_equal(line + layout_ascii_col(0, 8), ".....");
}

static void test_knowledge(void **state)
{
	(void)state;
	model *m = run("rsa");
	lt_know k[MS_COUNT + 4];
	char h[200];
	int n = layout_knowledge(m, 1, k, MS_COUNT + 4);
	assert_true(n >= MS_COUNT + 1);
	assert_string_equal(k[MS_MASTER].client, "not yet");
	assert_string_equal(k[MS_SERVER_RANDOM].client, "not yet");
	/* the server draws its random for the ServerHello: step 2, not 1 */
	assert_string_equal(k[MS_SERVER_RANDOM].server, "not yet");
	layout_knowledge(m, 2, k, MS_COUNT + 4);
	assert_string_not_equal(k[MS_SERVER_RANDOM].server, "not yet");
	layout_knowledge(m, 6, k, MS_COUNT + 4);
	hex(h, m->secrets[MS_MASTER].v, m->secrets[MS_MASTER].len);
	assert_string_equal(k[MS_MASTER].client, h);
	assert_string_equal(k[MS_MASTER].server, h);
	assert_string_equal(k[MS_COUNT].label, "transcript hash");
	layout_knowledge(m, 4, k, MS_COUNT + 4);
	assert_string_equal(k[MS_PREMASTER].server, "not yet");
}

static void test_derivation(void **state)
{
	(void)state;
	model *m = run("rsa");
	lt_lines l;
	char h[400], want[200];
	/* the client derives at step 4 (ServerHelloDone), the server at 5 */
	assert_int_equal(layout_derivation(m, 3, 200, &l), 0);
	assert_true(layout_derivation(m, 4, 200, &l) > 10);
	assert_true(lines_have(&l, "Master secret (client)"));
	assert_false(lines_have(&l, "verify_data"));
	lt_lines_free(&l);
	assert_true(layout_derivation(m, 5, 200, &l) > 10);
	assert_true(lines_have(&l, "Master secret (server), once the ClientKeyExchange arrived"));
	assert_true(lines_have(&l, "client verify_data"));
	hex(h, m->secrets[MS_MASTER].v, 48);
	assert_true(lines_have(&l, h));
	assert_true(lines_have(&l, "\"master secret\""));
	assert_true(lines_have(&l, "\"key expansion\""));
	hex(h, m->secrets[MS_CLIENT_KEY].v, 16);
	snprintf(want, sizeof want, "client_write_key     key_block[ 40.. 55] = %s", h);
	assert_true(lines_have(&l, want));
	lt_lines_free(&l);
	layout_derivation(m, 5, 40, &l);
	for (int i = 0; i < l.n; i++)
		if (strspn(l.v[i], " 0123456789abcdef") == strlen(l.v[i]))
			assert_true(layout_cols(l.v[i]) <= 40);
	lt_lines_free(&l);
}

/* Resuming, both sides hold the session's master secret from step 1 and
 * make the key block at step 2; no step derives a master secret again. */
static void test_derivation_resumed(void **state)
{
	(void)state;
	model *m = run("resume");
	lt_lines l;
	assert_true(layout_derivation(m, 1, 200, &l) > 0);
	assert_true(lines_have(&l, "Master secret (client and server), from the session being resumed"));
	assert_false(lines_have(&l, "key_block"));
	lt_lines_free(&l);
	assert_true(layout_derivation(m, 2, 200, &l) > 0);
	assert_true(lines_have(&l, "Key block (client and server)"));
	assert_true(lines_have(&l, "'seed:key expansion'"));
	lt_lines_free(&l);
	for (int step = 3; step <= 6; step++) {
		layout_derivation(m, step, 200, &l);
		assert_false(lines_have(&l, "Master secret"));
		assert_false(lines_have(&l, "Key block"));
		lt_lines_free(&l);
	}
	assert_int_equal(layout_derivation(m, 7, 200, &l), 0);
}

static void test_gcm(void **state)
{
	(void)state;
	model *m = run("rsa-gcm");
	lt_lines l;
	lt_know k[MS_COUNT + 4];
	layout_derivation(m, 5, 120, &l);
	assert_true(lines_have(&l, "client_write_MAC_key"));
	assert_true(lines_have(&l, "AEAD"));
	assert_true(lines_have(&l, "client_write_key     key_block[  0.. 15]"));
	lt_lines_free(&l);
	layout_knowledge(m, 5, k, MS_COUNT + 4);
	assert_string_equal(k[MS_CLIENT_MAC].client, "none (AEAD suite)");
	layout_knowledge(m, 2, k, MS_COUNT + 4);
	assert_string_equal(k[MS_CLIENT_MAC].client, "not yet");
}

static void test_alert(void **state)
{
	(void)state;
	model *m = run("untrusted-ca");
	char a[512];
	layout_alert(m, 3, a, sizeof a);
	assert_non_null(strstr(a, "client"));
	assert_non_null(strstr(a, "unknown_ca"));
	layout_alert(m, 2, a, sizeof a);
	assert_string_equal(a, "");
	layout_timeline t;
	layout_timeline_make(m, 3, 6, 200, 1, &t);
	assert_non_null(strstr(t.text, "Server certificate C<-S ALERT"));
	layout_alert(run("rsa"), 3, a, sizeof a);
	assert_string_equal(a, "");
}

static int overlap(const lt_rect *a, const lt_rect *b)
{
	return a->h && b->h && a->y < b->y + b->h && b->y < a->y + a->h && a->x < b->x + b->w && b->x < a->x + a->w;
}

static void check_screen(const lt_screen *s, int w, int h)
{
	for (int p = 0; p < P_COUNT; p++) {
		const lt_rect *r = &s->pane[p];
		if (!r->h)
			continue;
		assert_true(r->x >= 0 && r->x + r->w <= w && r->y >= 2 && r->y + r->h <= h - 1);
		assert_true(r->h >= 4);
		for (int q = p + 1; q < P_COUNT; q++)
			assert_false(overlap(r, &s->pane[q]));
		assert_false(overlap(r, &s->detail));
	}
}

static void test_screen(void **state)
{
	(void)state;
	lt_place pl = {.upper = P_LESSON, .lower = P_KNOW, .single = P_LESSON, .zoom = -1};
	lt_screen s;
	layout_screen(79, 24, &pl, &s);
	assert_true(s.too_small);
	layout_screen(80, 23, &pl, &s);
	assert_true(s.too_small);
	layout_screen(80, 24, &pl, &s);
	assert_false(s.too_small);
	check_screen(&s, 80, 24);
	assert_int_equal(layout_hex_per_line(s.pane[P_DUMP].w), 8);
	assert_true(s.pane[P_LESSON].h >= 18); /* the lesson large beside tree and bytes */
	assert_int_equal(s.pane[P_KNOW].h, 0);
	lt_rect lesson = s.pane[P_LESSON];
	pl.single = P_KNOW; /* another pane takes the same place */
	layout_screen(80, 24, &pl, &s);
	assert_memory_equal(&s.pane[P_KNOW], &lesson, sizeof lesson);
	layout_screen(200, 60, &pl, &s);
	check_screen(&s, 200, 60);
	assert_int_equal(layout_hex_per_line(s.pane[P_DUMP].w), 16);
	assert_true(s.pane[P_LESSON].h > 0 && s.pane[P_KNOW].h > 0);
	assert_true(s.pane[P_KNOW].w - 22 >= 96); /* a 48-byte secret in full */
	pl.zoom = P_LESSON;
	layout_screen(120, 40, &pl, &s);
	assert_int_equal(s.pane[P_LESSON].w, 120);
	assert_int_equal(s.pane[P_TREE].h, 0);
}

static void test_help_and_wrap(void **state)
{
	(void)state;
	lt_lines l;
	const lt_key k[] = {{"Right  n", "next step"}, {"?", "this help"}};
	layout_help(k, 2, "'>'", &l);
	assert_true(lines_have(&l, "Right  n"));
	assert_true(lines_have(&l, "this help"));
	assert_true(lines_have(&l, "'>' marks"));
	for (int i = 0; i < l.n; i++)
		assert_true(layout_cols(l.v[i]) <= 76);
	lt_lines_free(&l);
	layout_wrap("the quick brown fox jumps over the lazy dog again and again", 12, &l);
	assert_true(l.n >= 5);
	for (int i = 0; i < l.n; i++)
		assert_true(layout_cols(l.v[i]) <= 12);
	assert_string_equal(l.v[0], "the quick");
	lt_lines_free(&l);
}

static int tree_has(const lt_tree *t, const char *s)
{
	for (int i = 0; i < t->n; i++)
		if (strstr(t->v[i].label, s))
			return 1;
	return 0;
}

static void test_names_inline(void **state)
{
	(void)state;
	lt_tree t;
	model *m = run("rsa");
	assert_int_equal(layout_tree_build(m, 1, &t), 0);
	assert_true(tree_has(&t, "[0] 009c TLS_RSA_WITH_AES_128_GCM_SHA256"));
	assert_true(tree_has(&t, "type 000d signature_algorithms"));
	assert_true(tree_has(&t, "client_version 0303 TLS 1.2"));
	assert_true(tree_has(&t, "rsa_pkcs1_sha256"));
	assert_int_equal(layout_tree_find(&t, 0, "aes_256_gcm"), find_path(&t, "client_hello.cipher_suites[1]"));
	assert_int_equal(layout_tree_find(&t, 0, "no such field"), -1);
	layout_tree_free(&t);
	layout_tree_build(m, 3, &t);
	assert_true(tree_has(&t, "version X.509 v3"));
	layout_tree_free(&t);
	assert_int_equal(layout_tree_build(m, 0, &t), 0); /* the introduction: no bytes */
	assert_int_equal(t.n, 0);
}

static void test_ladder(void **state)
{
	(void)state;
	lt_lines l;
	int ls[64];
	model *m = run("rsa");
	int n = layout_ladder(m, 5, 80, 1, &l, ls, 64);
	assert_int_equal(n, 1 + 1 + 1 + 1 + 1 + 3 + 2 + 4); /* header + every message */
	assert_true(lines_have(&l, "|-- ClientHello --"));
	assert_true(lines_have(&l, "-- ServerHello --|"));
	assert_true(lines_have(&l, "|== Finished [encrypted] =="));
	assert_true(lines_have(&l, ">  5  |-- ClientKeyExchange"));
	for (int i = 0; i < l.n; i++)
		assert_true(layout_cols(l.v[i]) <= 80);
	lt_lines_free(&l);
	layout_ladder(run("untrusted-ca"), 3, 80, 1, &l, ls, 64);
	assert_true(lines_have(&l, "Alert unknown_ca"));
	assert_true(lines_have(&l, "the client sent the fatal alert unknown_ca"));
	lt_lines_free(&l);
}

static void test_scenario_parts(void **state)
{
	(void)state;
	model *m = run("rsa");
	const char *text = "intro {{scenario}}\n<!-- step 2 -->\n{{if cipher_suite}}suite {{cipher_suite}}{{end}}\n"
			   "<!-- step 5 -->\nmaster {{master_secret_length}}\n";
	tls_buf out = {0};
	char err[256];
	assert_int_equal(lesson_scenario_part(m, 0, text, &out, err, sizeof err), 0);
	assert_non_null(strstr((char *)out.p, "intro rsa"));
	assert_int_equal(lesson_scenario_part(m, 2, text, &out, err, sizeof err), 0);
	assert_non_null(strstr((char *)out.p, "suite TLS_RSA"));
	assert_null(strstr((char *)out.p, "master"));
	assert_int_equal(lesson_scenario_part(m, 5, text, &out, err, sizeof err), 0);
	assert_non_null(strstr((char *)out.p, "master 48"));
	assert_int_equal(lesson_scenario_part(m, 3, text, &out, err, sizeof err), 0);
	assert_string_equal((char *)out.p, "");
	/* a part that names a value before it is known is an error, as in any lesson */
	assert_int_equal(lesson_scenario_part(m, 1, "<!-- step 1 -->\n{{master_secret}}\n", &out, err, sizeof err), -1);
	tls_buf_free(&out);
}

static void test_header_steps(void **state)
{
	(void)state;
	char h[256];
	model *m = run("resume");
	layout_header(m, 0, 1, h, sizeof h);
	assert_non_null(strstr(h, "Step 0: Introduction"));
	layout_header(m, 3, 1, h, sizeof h);
	assert_non_null(strstr(h, "Step 3 of 6"));
	assert_non_null(strstr(h, "skipped"));
	layout_header(m, 7, 1, h, sizeof h);
	assert_non_null(strstr(h, "After the 6 steps: Secure channel"));
	assert_true(layout_resumed(m));
	assert_false(layout_resumed(run("rsa")));
	layout_status(m, h, sizeof h);
	assert_non_null(strstr(h, "(resumed)"));
	assert_string_equal(layout_plural(1, "row", "rows"), "row");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cols),
	    cmocka_unit_test(test_timeline),
	    cmocka_unit_test(test_tree_step1),
	    cmocka_unit_test(test_tree_groups_and_folding),
	    cmocka_unit_test(test_tree_encrypted),
	    cmocka_unit_test(test_hex),
	    cmocka_unit_test(test_knowledge),
	    cmocka_unit_test(test_derivation),
	    cmocka_unit_test(test_derivation_resumed),
	    cmocka_unit_test(test_gcm),
	    cmocka_unit_test(test_alert),
	    cmocka_unit_test(test_screen),
	    cmocka_unit_test(test_help_and_wrap),
	    cmocka_unit_test(test_names_inline),
	    cmocka_unit_test(test_ladder),
	    cmocka_unit_test(test_scenario_parts),
	    cmocka_unit_test(test_header_steps),
	};
	use_srcdir();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
