/* The JSON writer's strings: what is escaped and how, and strings longer
 * than the writer's buffer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "model/model.h"
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
	    {"caf\xc3\xa9", "\"caf\xc3\xa9\""}, /* UTF-8 passes through */
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

/* Valid UTF-8 is copied; each byte that is not part of a valid sequence
 * becomes the text \xHH (in JSON: "\\xHH"), never \u00HH. */
static void test_utf8(void **state)
{
	(void)state;
	const struct {
		const char *in, *out;
	} cases[] = {
	    {"\xc3\xa9\xe2\x82\xac\xf0\x9f\x94\x92",
	     "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x94\x92\""}, /* 2, 3, 4 bytes */
	    {"\xf4\x8f\xbf\xbf\xef\xbf\xbd\xed\x9f\xbf",
	     "\"\xf4\x8f\xbf\xbf\xef\xbf\xbd\xed\x9f\xbf\""}, /* U+10FFFF, U+FFFD, U+D7FF */
	    {"a\x80"
	     "b",
	     "\"a\\\\x80b\""}, /* stray continuation byte */
	    {"\xbf\xbf", "\"\\\\xbf\\\\xbf\""},
	    {"\xc0\xaf", "\"\\\\xc0\\\\xaf\""}, /* overlong '/' */
	    {"\xc1\xbf", "\"\\\\xc1\\\\xbf\""},
	    {"\xe0\x80\xaf", "\"\\\\xe0\\\\x80\\\\xaf\""},            /* overlong, 3 bytes */
	    {"\xf0\x80\x80\xaf", "\"\\\\xf0\\\\x80\\\\x80\\\\xaf\""}, /* overlong, 4 bytes */
	    {"\xed\xa0\x80", "\"\\\\xed\\\\xa0\\\\x80\""},            /* surrogate U+D800 */
	    {"\xed\xbf\xbf", "\"\\\\xed\\\\xbf\\\\xbf\""},            /* surrogate U+DFFF */
	    {"\xf4\x90\x80\x80", "\"\\\\xf4\\\\x90\\\\x80\\\\x80\""}, /* past U+10FFFF */
	    {"\xf5\xfe\xff", "\"\\\\xf5\\\\xfe\\\\xff\""},            /* never in UTF-8 */
	    {"ab\xe2\x82", "\"ab\\\\xe2\\\\x82\""},                   /* cut short at the end */
	    {"\xe2\x82z", "\"\\\\xe2\\\\x82z\""},                     /* cut short by ASCII */
	    {"\xc3\xc3\xa9", "\"\\\\xc3\xc3\xa9\""},                  /* cut short by a new sequence */
	    {"\xf0\x9f\x94", "\"\\\\xf0\\\\x9f\\\\x94\""},
	    {"\\x80", "\"\\\\x80\""}, /* the text \x80 itself reads the same */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *got = written(cases[i].in);
		if (strcmp(got, cases[i].out))
			fail_msg("case %zu: got %s, want %s", i, got, cases[i].out);
		free(got);
	}
}

/* Multi-byte characters across the writer's pieces, at every alignment:
 * a piece must never end inside a sequence. */
static void test_utf8_long(void **state)
{
	(void)state;
	static const char lock[] = "\xf0\x9f\x94\x92", e[] = "\xc3\xa9";
	size_t n = 100000;
	for (size_t lead = 0; lead < 4; lead++)
		for (int which = 0; which < 2; which++) {
			const char *ch = which ? lock : e;
			size_t cl = strlen(ch), w = 0;
			char *in = malloc(n + 8), *want = malloc(n + 16);
			assert_non_null(in);
			assert_non_null(want);
			memset(in, 'a', lead);
			w = lead;
			while (w + cl <= n) {
				memcpy(in + w, ch, cl);
				w += cl;
			}
			in[w] = 0;
			sprintf(want, "\"%s\"", in);
			char *got = written(in);
			assert_string_equal(got, want);
			free(got);
			free(in);
			free(want);
		}
}

/* The escaping the writer must match, one byte at a time, for bytes
 * that stand alone (so that one above ASCII is never valid UTF-8). */
static size_t ref_escape(char *o, const unsigned char *s, size_t n)
{
	size_t w = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned c = s[i];
		if (c == '"' || c == '\\')
			w += (size_t)sprintf(o + w, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			w += (size_t)sprintf(o + w, "\\u%04x", c);
		else if (c > 0x7f)
			w += (size_t)sprintf(o + w, "\\\\x%02x", c);
		else
			o[w++] = (char)c;
	}
	o[w] = 0;
	return w;
}

/* Every byte that needs escaping, at every position of a string of 25,
 * next to clean ones. */
static void test_each_position(void **state)
{
	(void)state;
	const unsigned char special[] = {'"', '\\', 0x01, 0x1f, 0x20, 0x7e, 0x7f, 0x80, 0xa0, 0xff, '!', '#'};
	for (size_t k = 0; k < sizeof special; k++)
		for (size_t at = 0; at < 25; at++) {
			unsigned char in[26];
			memset(in, 'x', 25);
			in[at] = special[k];
			in[25] = 0;
			char want[200];
			want[0] = '"';
			size_t n = ref_escape(want + 1, in, 25);
			want[n + 1] = '"';
			want[n + 2] = 0;
			char *got = written((const char *)in);
			if (strcmp(got, want))
				fail_msg("byte 0x%02x at %zu: got %s", special[k], at, got);
			free(got);
		}
}

/* A replay model whose first step holds one empty record. */
static model_record *one_record(model *m)
{
	model_init(m, "replay");
	m->steps[1].reached = 1;
	model_record *r = model_add_record(&m->steps[1]);
	assert_non_null(r);
	return r;
}

/* json_model's text for m, `times` times over; the caller frees it. */
static char *model_json(const model *m, int times)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	assert_non_null(f);
	for (int i = 0; i < times; i++)
		json_model(f, m);
	fclose(f);
	return out;
}

/* Hex of every byte value and of every length around the 16-byte blocks,
 * and span text with escapes, through a whole model. */
static void test_model_hex_and_spans(void **state)
{
	(void)state;
	model m;
	model_record *r = one_record(&m);
	uint8_t all[256];
	for (int i = 0; i < 256; i++)
		all[i] = (uint8_t)(255 - i);
	assert_int_equal(tls_buf_put(&r->wire, all, sizeof all), 0);
	assert_int_equal(tls_spans_add_str(&r->fields, "record.\"odd\"\tpath", 3, 2, "a \\ b\x01"), 0);
	char *out = model_json(&m, 1);
	char want[600];
	want[0] = '"';
	for (int i = 0; i < 256; i++)
		sprintf(want + 1 + 2 * i, "%02x", all[i]);
	strcat(want, "\"");
	assert_non_null(strstr(out, want));
	assert_non_null(strstr(out, "{\"path\":\"record.\\\"odd\\\"\\u0009path\",\"offset\":3,\"length\":2,"
	                            "\"meaning\":\"a \\\\ b\\u0001\"}"));
	free(out);
	for (size_t n = 0; n <= 40; n++) {
		model_free(&m);
		r = one_record(&m);
		assert_int_equal(tls_buf_put(&r->wire, all + 7, n), 0);
		out = model_json(&m, 1);
		char w2[100] = "\"records\":[\"";
		for (size_t i = 0; i < n; i++)
			sprintf(w2 + strlen(w2), "%02x", all[7 + i]);
		strcat(w2, "\"]");
		if (!strstr(out, w2))
			fail_msg("hex of %zu bytes: %s not in the output", n, w2);
		free(out);
	}
	model_free(&m);
}

/* The longest path and meaning a span keeps, every byte escaped (\u00XX,
 * the longest escape, in the meaning):
 * the most one span can take of the writer's buffer. */
static void test_widest_span(void **state)
{
	(void)state;
	model m;
	model_record *r = one_record(&m);
	char path[300], meaning[300];
	memset(path, 0x01, sizeof path - 1);
	path[sizeof path - 1] = 0;
	memset(meaning, 0x1f, sizeof meaning - 1);
	meaning[sizeof meaning - 1] = 0;
	assert_int_equal(tls_spans_add_str(&r->fields, path, 0, 0, meaning), 0);
	char want[4000] = "{\"path\":\"";
	ref_escape(want + strlen(want), (const unsigned char *)path, TLS_SPAN_PATH - 1);
	strcat(want, "\",\"offset\":0,\"length\":0,\"meaning\":\"");
	ref_escape(want + strlen(want), (const unsigned char *)meaning, TLS_SPAN_MEANING - 1);
	strcat(want, "\"}");
	char *out = model_json(&m, 100); /* enough to cross the 64 KB buffer */
	size_t found = 0;
	for (const char *p = out; (p = strstr(p, want)) != NULL; p++)
		found++;
	assert_int_equal(found, 100);
	free(out);
	model_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_escapes),       cmocka_unit_test(test_utf8),
	    cmocka_unit_test(test_utf8_long),     cmocka_unit_test(test_long),
	    cmocka_unit_test(test_each_position), cmocka_unit_test(test_model_hex_and_spans),
	    cmocka_unit_test(test_widest_span),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
