/* The JSON writer's strings: what is escaped and how, and strings longer
 * than the writer's buffer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "ui/views.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *written(const char *s)
{
	char *out = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&out, &n);
	assert_non_null(f);
	json_string(f, s);
	fclose(f);
	return out;
}

static void test_escapes(void **state)
{
	(void)state;
	const struct {
		const char *in, *out;
	} cases[] = {
		{"", "\"\""},
		{"plain text", "\"plain text\""},
		{"a\"b\\c", "\"a\\\"b\\\\c\""},
		{"tab\there\nnl", "\"tab\\u0009here\\u000anl\""},
		{"\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\""},
		{"caf\xc3\xa9", "\"caf\\u00c3\\u00a9\""}, /* bytes above ASCII, one by one */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *got = written(cases[i].in);
		assert_string_equal(got, cases[i].out);
		free(got);
	}
}

/* Longer than the 64 KB buffer, escapes included, so it is cut into
 * pieces: the pieces must join up. */
static void test_long(void **state)
{
	(void)state;
	size_t n = 200000;
	char *in = malloc(n + 1), *want = malloc(2 * n + 3);
	assert_non_null(in);
	assert_non_null(want);
	size_t w = 0;
	want[w++] = '"';
	for (size_t i = 0; i < n; i++) {
		in[i] = i % 7 == 0 ? '"' : (char)('a' + i % 26);
		if (in[i] == '"')
			want[w++] = '\\';
		want[w++] = in[i];
	}
	in[n] = 0;
	want[w++] = '"';
	want[w] = 0;
	char *got = written(in);
	assert_string_equal(got, want);
	free(got);
	free(in);
	free(want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_long),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
