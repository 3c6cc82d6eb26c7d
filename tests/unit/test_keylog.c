/* NSS key log reader: good lines of both kinds, everything a real or broken
 * file may hold (CRLF, comments, TLS 1.3 labels, short or non-hex fields,
 * NUL bytes, huge lines, duplicates), and lookups. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "replay/keylog.h"
#include "tmpname.h"

#define CR64 "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define MS96                                                                                                 \
	"916abf9da55973e13614ae0a3f5d3f37b023ba129aee02cc9134338127cd7049781c8e19fc1eb2a7387ac06ae237344c"
#define PMS96                                                                                                \
	"0303aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

static const char text[] = "# written by a test\r\n"
                           "\r\n"
                           "CLIENT_RANDOM " CR64 " " MS96 "\r\n"
                           "CLIENT_HANDSHAKE_TRAFFIC_SECRET " CR64 " " MS96 "\n"
                           "SERVER_TRAFFIC_SECRET_0 " CR64 " " MS96 "\n"
                           "RSA 0102030405060708 " PMS96 "\n"
                           "CLIENT_RANDOM 0001 " MS96 "\n"       /* line 7: short random */
                           "CLIENT_RANDOM " CR64 " zz" MS96 "\n" /* line 8: non-hex */
                           "CLIENT_RANDOM " CR64 "\n"            /* line 9: missing field */
                           "SOMETHING_ELSE " CR64 " " MS96 "\n"  /* line 10: unknown label */
                           "CLIENT_RANDOM " CR64 " " MS96 "\n";  /* line 11: duplicate, same value */

static void test_lines(void **state)
{
	(void)state;
	char *buf = NULL;
	size_t len = 0;
	FILE *warn = open_memstream(&buf, &len);
	keylog k;
	replay_keylog_init(&k, "k.txt", warn);
	replay_keylog_text(&k, text, sizeof text - 1);
	replay_keylog_finish(&k);
	fclose(warn);
	assert_int_equal(k.n[0], 2); /* the duplicate is kept but harmless */
	assert_int_equal(k.n[1], 1);
	assert_int_equal(k.tls13_lines, 2);
	assert_int_equal(k.warnings, 4);
	assert_non_null(strstr(buf, "k.txt line 7: CLIENT_RANDOM needs 64 hex digits"));
	assert_non_null(strstr(buf, "k.txt line 8: CLIENT_RANDOM needs 96 hex digits of master secret"));
	assert_non_null(strstr(buf, "k.txt line 9: CLIENT_RANDOM needs 2 fields, found 1"));
	assert_non_null(strstr(buf, "k.txt line 10: unknown label 'SOMETHING_ELSE'"));
	uint8_t cr[32], head[8] = {1, 2, 3, 4, 5, 6, 7, 8};
	for (int i = 0; i < 32; i++)
		cr[i] = (uint8_t)i;
	const uint8_t *ms = replay_keylog_master(&k, cr);
	assert_non_null(ms);
	assert_int_equal(ms[0], 0x91);
	assert_int_equal(ms[47], 0x4c);
	const uint8_t *pms = replay_keylog_rsa(&k, head);
	assert_non_null(pms);
	assert_int_equal(pms[0], 3);
	cr[0] = 9;
	assert_null(replay_keylog_master(&k, cr));
	replay_keylog_free(&k);
	free(buf);
}

static void test_nul_huge_and_conflict(void **state)
{
	(void)state;
	char path[TMPNAME_MAX];
	tmpname_template(path, "tlsstep-keylog");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "wb");
	fputs("CLIENT_RANDOM " CR64 " " MS96 "\n", f);
	fwrite("CLIENT_RANDOM \0" CR64 "\n", 1, 80, f); /* line 2: a NUL byte */
	fputc('\n', f);
	for (int i = 0; i < 100000; i++) /* line 4: 100 kB */
		fputc('a', f);
	fputc('\n', f);
	fprintf(f, "CLIENT_RANDOM %s 00%.94s", CR64, MS96 + 2); /* line 5: another secret, no newline */
	fclose(f);
	char *buf = NULL;
	size_t len = 0;
	FILE *warn = open_memstream(&buf, &len);
	keylog k;
	char err[256];
	replay_keylog_init(&k, "k.txt", warn);
	assert_int_equal(replay_keylog_load(&k, path, err, sizeof err), 0);
	replay_keylog_finish(&k);
	fclose(warn);
	unlink(path);
	assert_non_null(strstr(buf, "line 2: contains a NUL byte"));
	assert_non_null(strstr(buf, "line 4: longer than 4096 bytes"));
	assert_non_null(strstr(buf, "line 5: same client random as line 1 with a different secret"));
	uint8_t cr[32];
	for (int i = 0; i < 32; i++)
		cr[i] = (uint8_t)i;
	assert_int_equal(replay_keylog_master(&k, cr)[0], 0x91); /* the first line wins */
	replay_keylog_free(&k);
	free(buf);
	replay_keylog_init(&k, "missing", NULL);
	assert_int_equal(replay_keylog_load(&k, "/nonexistent/keys", err, sizeof err), -1);
	assert_non_null(strstr(err, "cannot open key log /nonexistent/keys"));
	replay_keylog_free(&k);
}

#define S64B "bb0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define S64  "aa0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"

/* TLS 1.3 labels: kept per label, SHA-256 or SHA-384 long, later
 * generations skipped, bad lines named. */
static void test_tls13(void **state)
{
	(void)state;
	static const char t13[] =
	    "CLIENT_EARLY_TRAFFIC_SECRET " CR64 " " S64 "\n"
	    "CLIENT_HANDSHAKE_TRAFFIC_SECRET " CR64 " " MS96 "\n"
	    "SERVER_HANDSHAKE_TRAFFIC_SECRET " CR64 " " S64 "\n"
	    "CLIENT_TRAFFIC_SECRET_1 " CR64 " " S64 "\n"           /* line 4: skipped */
	    "SERVER_TRAFFIC_SECRET_0 " CR64 " 00" S64 "\n"         /* line 5: 66 digits */
	    "EXPORTER_SECRET 00" CR64 " " S64 "\n"                 /* line 6: long random */
	    "CLIENT_TRAFFIC_SECRET_0 " CR64 "\n"                   /* line 7: one field */
	    "SERVER_HANDSHAKE_TRAFFIC_SECRET " CR64 " " S64B "\n"; /* line 8: same label, other */
	char *buf = NULL;
	size_t len = 0, n;
	FILE *warn = open_memstream(&buf, &len);
	keylog k;
	replay_keylog_init(&k, "k.txt", warn);
	replay_keylog_text(&k, t13, sizeof t13 - 1);
	replay_keylog_finish(&k);
	fclose(warn);
	uint8_t cr[32];
	for (int i = 0; i < 32; i++)
		cr[i] = (uint8_t)i;
	const uint8_t *v = replay_keylog_tls13(&k, cr, KL13_CLIENT_HANDSHAKE, &n);
	assert_non_null(v);
	assert_int_equal(n, 48);
	assert_int_equal(v[0], 0x91);
	v = replay_keylog_tls13(&k, cr, KL13_SERVER_HANDSHAKE, &n);
	assert_non_null(v);
	assert_int_equal(n, 32);
	assert_int_equal(v[0], 0xaa); /* the earlier line wins */
	v = replay_keylog_tls13(&k, cr, KL13_CLIENT_EARLY, &n);
	assert_non_null(v);
	assert_null(replay_keylog_tls13(&k, cr, KL13_CLIENT_TRAFFIC, &n));
	assert_int_equal(n, 0);
	assert_null(replay_keylog_tls13(&k, cr, KL13_SERVER_TRAFFIC, &n));
	assert_null(replay_keylog_master(&k, cr)); /* 1.3 lines are no CLIENT_RANDOM */
	cr[31] = 0;
	assert_null(replay_keylog_tls13(&k, cr, KL13_CLIENT_HANDSHAKE, &n));
	assert_int_equal(replay_keylog_count(&k), 4);
	assert_non_null(strstr(buf, "line 5: SERVER_TRAFFIC_SECRET_0 needs 64 or 96 hex digits of secret"));
	assert_non_null(strstr(buf, "line 6: EXPORTER_SECRET needs 64 hex digits of client random"));
	assert_non_null(strstr(buf, "line 7: CLIENT_TRAFFIC_SECRET_0 needs 2 fields, found 1"));
	assert_non_null(
	    strstr(buf, "line 8: same SERVER_HANDSHAKE_TRAFFIC_SECRET and client random as line 3"));
	assert_null(strstr(buf, "line 4"));
	assert_string_equal(replay_keylog13_name(KL13_EXPORTER), "EXPORTER_SECRET");
	replay_keylog_free(&k);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lines),
	    cmocka_unit_test(test_nul_huge_and_conflict),
	    cmocka_unit_test(test_tls13),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
