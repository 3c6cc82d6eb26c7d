/* Field spans: text cut where the header says, lengths that match the text,
 * text that stays put while the list grows or moves, copies between lists
 * and within one, meanings replaced after the fact. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "tls/spans.h"

#include <stdio.h>
#include <string.h>

static void check_lengths(const tls_spans *s)
{
	for (size_t i = 0; i < s->n; i++) {
		assert_int_equal(s->v[i].path_len, strlen(s->v[i].path));
		assert_int_equal(s->v[i].meaning_len, strlen(s->v[i].meaning));
	}
}

static void test_cut_to_size(void **state)
{
	(void)state;
	char long_text[600];
	memset(long_text, 'p', sizeof long_text - 1);
	long_text[sizeof long_text - 1] = 0;
	tls_spans s = {0};
	assert_int_equal(tls_spans_add_str(&s, long_text, 0, 1, long_text), 0);
	assert_int_equal(tls_spans_add(&s, long_text, 1, 1, "%s%s", long_text, long_text), 0);
	assert_int_equal(tls_spans_add_joined(&s, long_text, "field", 2, 1, NULL), 0);
	assert_int_equal(tls_spans_add_joined(&s, "client_hello", "random", 3, 32, "32 bytes"), 0);
	assert_int_equal(tls_spans_add_joined(&s, NULL, "alone", 4, 1, ""), 0);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(strlen(s.v[i].path), TLS_SPAN_PATH - 1);
		assert_int_equal(strlen(s.v[i].meaning), i < 2 ? TLS_SPAN_MEANING - 1 : 0);
	}
	assert_string_equal(s.v[3].path, "client_hello.random");
	assert_string_equal(s.v[3].meaning, "32 bytes");
	assert_int_equal(s.v[3].offset, 3);
	assert_int_equal(s.v[3].length, 32);
	assert_string_equal(s.v[4].path, "alone");
	check_lengths(&s);
	tls_spans_free(&s);
	assert_int_equal(s.n, 0);
	assert_null(s.v);
	assert_int_equal(tls_spans_add_str(NULL, "x", 0, 0, "y"), 0); /* no list: nothing */
}

/* Thousands of spans: the array is reallocated and the text spread over
 * many chunks; every pointer must still read its own text, also after
 * the list itself is moved (as a growing array of messages moves it). */
static void test_text_stays_put(void **state)
{
	(void)state;
	tls_spans s = {0};
	for (int i = 0; i < 5000; i++)
		assert_int_equal(tls_spans_add(&s, "item", (size_t)i, 1, "meaning number %d", i), 0);
	tls_spans moved = s; /* what realloc of the holder does */
	memset(&s, 0, sizeof s);
	for (int i = 0; i < 5000; i++) {
		char want[40];
		snprintf(want, sizeof want, "meaning number %d", i);
		assert_string_equal(moved.v[i].meaning, want);
		assert_string_equal(moved.v[i].path, "item");
	}
	check_lengths(&moved);
	tls_spans_free(&moved);
}

static void test_append_and_mean(void **state)
{
	(void)state;
	tls_spans a = {0}, b = {0};
	assert_int_equal(tls_spans_add_str(&a, "handshake.msg_type", 0, 1, "type"), 0);
	assert_int_equal(tls_spans_add_str(&a, "handshake.length", 1, 3, "length"), 0);
	assert_int_equal(tls_spans_append(&b, a.v, a.n, 5), 0);
	tls_spans_free(&a); /* b has its own text */
	assert_int_equal(b.n, 2);
	assert_string_equal(b.v[1].path, "handshake.length");
	assert_int_equal(b.v[1].offset, 6);
	/* from its own array, which grows meanwhile */
	for (int k = 0; k < 6; k++)
		assert_int_equal(tls_spans_append(&b, b.v, b.n, 100), 0);
	assert_int_equal(b.n, 128);
	assert_string_equal(b.v[127].path, "handshake.length");
	assert_int_equal(b.v[127].offset, 606);
	tls_spans_set_meaning(&b, 0, "now %s (%u)", "decided", 7u);
	assert_string_equal(b.v[0].meaning, "now decided (7)");
	assert_string_equal(b.v[1].meaning, "length");
	tls_spans_set_meaning(&b, 500, "out of range: %d", 1); /* ignored */
	check_lengths(&b);
	tls_spans_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cut_to_size),
	    cmocka_unit_test(test_text_stays_put),
	    cmocka_unit_test(test_append_and_mean),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
