/* Unit tests for the HTML view: the one escaper, lesson Markdown as HTML,
 * and pages of simulated handshakes (every step,
 * every record's bytes, the master secret, the tampered byte, hostile text
 * escaped, a long secure channel bounded). The browser checks are in
 * tests/e2e/html.sh. */
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

#include "app/files.h"
#include "model/model.h"
#include "sim/sim.h"
#include "ui/html.h"
#include "ui/lesson.h"

typedef struct {
	char *p;
	size_t n;
	FILE *f;
} mem;

static void mem_open(mem *m)
{
	m->p = NULL;
	m->n = 0;
	m->f = open_memstream(&m->p, &m->n);
	assert_non_null(m->f);
}

static char *mem_close(mem *m)
{
	assert_int_equal(fclose(m->f), 0);
	return m->p;
}

static void run(const char *name, model *m, int tamper_step, size_t off)
{
	sim_options o;
	memset(&o, 0, sizeof o);
	o.scenario = name;
	o.seed = 1;
	o.now = SIM_DEFAULT_TIME;
	o.secure_channel = 1;
	o.creds = scenario_creds(name);
	if (tamper_step) {
		o.tamper = 1;
		o.tamper_step = tamper_step;
		o.tamper_offset = off;
		o.tamper_xor = 1;
	}
	sim *s = NULL;
	char err[256] = "";
	model_init(m, "simulation");
	if (sim_new(&s, &o, m, err, sizeof err) < 0)
		fail_msg("sim_new(%s): %s", name, err);
	sim_run(s);
	sim_free(s);
}

static char *page(const model *m, const html_options *o)
{
	char *p;
	size_t n;
	assert_int_equal(html_page_mem(m, o, &p, &n), 0);
	assert_int_equal(strlen(p), n);
	return p;
}

static size_t count(const char *hay, const char *needle)
{
	size_t k = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p++)
		k++;
	return k;
}

static void test_escape(void **state)
{
	(void)state;
	mem m;
	mem_open(&m);
	const char in[] = "<a href=\"x\">&'\x01tab\there";
	html_esc(m.f, in, sizeof in - 1);
	html_esc(m.f, "\0z", 2); /* a NUL is not text */
	html_hex(m.f, (const uint8_t *)"\x00\xff\x10", 3);
	char *s = mem_close(&m);
	assert_string_equal(s,
	                    "&lt;a href=&quot;x&quot;&gt;&amp;&#39;\xef\xbf\xbdtab\there\xef\xbf\xbdz00ff10");
	free(s);
}

static void test_lesson_html(void **state)
{
	(void)state;
	mem m;
	mem_open(&m);
	assert_int_equal(lesson_html(m.f,
	                             "# Title `x`\n\nPara with **bold**, *em* and `code` <b>\\*.\nmore\n"
	                             "- one\n- two **b**\n<!-- step 3 -->\nAfter & done.\n",
	                             4),
	                 0);
	char *s = mem_close(&m);
	assert_string_equal(
	    s, "<h4>Title x</h4>\n"
	       "<p>Para with <strong>bold</strong>, <em>em</em> and <code>code</code> &lt;b&gt;*. "
	       "more</p>\n<ul>\n<li>one</li>\n<li>two <strong>b</strong></li>\n</ul>\n"
	       "<p>After &amp; done.</p>\n");
	free(s);
}

static void hex(char *out, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
}

static void test_page_holds_the_handshake(void **state)
{
	(void)state;
	model m;
	run("ecdhe", &m, 0, 0);
	char *p = page(&m, NULL);
	assert_true(!strncmp(p, "<!DOCTYPE html>\n<html lang=\"en\">", 32));
	char buf[70000], ms[97];
	for (int s = 1; s <= MODEL_LAST_STEP; s++) {
		const model_step *st = &m.steps[s];
		snprintf(buf, sizeof buf, "<h2 id=\"step-%d-h\">Step %d: %s</h2>", s, s, model_step_title(s));
		if (!strstr(p, buf))
			fail_msg("no heading %s", buf);
		for (size_t r = 0; r < st->n_rec; r++) {
			/* the record's bytes, one element each, in order */
			char *at = strstr(p, "<div class=\"hex\" id=\"b");
			snprintf(buf, sizeof buf, "id=\"b%d-%zu-w\">", s, r);
			at = strstr(p, buf);
			assert_non_null(at);
			for (size_t i = 0; i < st->rec[r].wire.len; i++) {
				char b[3];
				hex(b, st->rec[r].wire.p + i, 1);
				at = strstr(at, "<i");
				assert_non_null(at);
				at = strchr(at, '>') + 1;
				if (strncmp(at, b, 2))
					fail_msg("step %d record %zu byte %zu", s, r, i);
			}
		}
	}
	hex(ms, m.secrets[MS_MASTER].v, 48);
	assert_non_null(strstr(p, ms));
	/* master secret, key block, both verify_data: each with its command */
	assert_true(count(p, "class=\"kdf\">openssl kdf ") >= 4);
	assert_int_equal(count(p, "<script"), 1); /* the page's own, inline */
	assert_null(strstr(p, "src=\""));
	assert_null(strstr(p, "http://"));
	assert_null(strstr(p, "https://"));
	/* each message of the ladder links to its row in the field tree */
	for (int s = 1; s <= MODEL_LAST_STEP; s++)
		for (size_t i = 0; i < m.steps[s].n_msg; i++) {
			snprintf(buf, sizeof buf, "href=\"#s%d-m%zu\"", s, i);
			assert_non_null(strstr(p, buf));
			snprintf(buf, sizeof buf, "id=\"s%d-m%zu\"", s, i);
			assert_non_null(strstr(p, buf));
		}
	free(p);
	model_free(&m);
}

static void test_tampered_byte_marked(void **state)
{
	(void)state;
	model m;
	run("rsa", &m, 1, 47);
	char *p = page(&m, NULL); /* the model holds the flip */
	assert_int_equal(count(p, "<i class=\"t\">"), 1);
	assert_non_null(strstr(p, "flipped byte 47 of this record (XOR 0x01)"));
	assert_non_null(strstr(p, "changed on the wire: the sender wrote"));
	free(p);
	model_free(&m);
	/* an untouched run marks nothing */
	run("rsa", &m, 0, 0);
	p = page(&m, NULL);
	assert_int_equal(count(p, "<i class=\"t\">"), 0);
	free(p);
	model_free(&m);
}

static void test_alert_shown(void **state)
{
	(void)state;
	model m;
	run("expired", &m, 0, 0);
	char *p = page(&m, NULL);
	assert_non_null(strstr(p,
	                       "<div class=\"alert\" role=\"note\"><strong>The handshake ends here.</strong> "
	                       "ALERT: the client sent a fatal alert certificate_expired (45)"));
	assert_non_null(
	    strstr(p, "Outcome: failed: the client sent the fatal alert certificate_expired at step 3"));
	free(p);
	model_free(&m);
}

static void test_hostile_text_escaped(void **state)
{
	(void)state;
	model m;
	run("rsa", &m, 0, 0);
	/* text from a capture or a certificate reaches the page: make it markup */
	tls_spans_set_meaning(&m.steps[1].rec[0].fields, 0, "</script><script>alert(1)</script>");
	snprintf(m.scenario, sizeof m.scenario, "<b onclick=x>");
	snprintf(m.alert.reason, sizeof m.alert.reason, "<img src=x>");
	m.alert.present = 1;
	m.alert.step = 7;
	char *p = page(&m, NULL);
	assert_int_equal(count(p, "<script"), 1);
	assert_null(strstr(p, "<b onclick"));
	assert_null(strstr(p, "<img"));
	assert_non_null(strstr(p, "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_non_null(strstr(p, "&lt;b onclick=x&gt;"));
	free(p);
	model_free(&m);
}

static void test_long_channel_bounded(void **state)
{
	(void)state;
	model m;
	run("rsa", &m, 0, 0);
	/* a capture's secure channel: 200 full records */
	static uint8_t rec[5 + 16384];
	memset(rec, 0xab, sizeof rec);
	rec[0] = 23, rec[1] = 3, rec[2] = 3, rec[3] = 0x40, rec[4] = 0;
	for (int i = 0; i < 200; i++) {
		model_record *r = model_add_record(&m.steps[7]);
		assert_non_null(r);
		r->type = 23;
		r->encrypted = 1;
		assert_int_equal(tls_buf_put(&r->wire, rec, sizeof rec), 0);
	}
	char *p = page(&m, NULL);
	if (strlen(p) >= 400 * 1024)
		fail_msg("page of %zu bytes", strlen(p));
	assert_non_null(strstr(p, "more records at this step are in the --plain and --json output"));
	assert_non_null(strstr(p, "more are in the --plain and --json output"));
	free(p);
	model_free(&m);
}

int main(void)
{
	use_srcdir();
	lesson_set_reader(data_lesson_read);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_escape),
	    cmocka_unit_test(test_lesson_html),
	    cmocka_unit_test(test_page_holds_the_handshake),
	    cmocka_unit_test(test_tampered_byte_marked),
	    cmocka_unit_test(test_alert_shown),
	    cmocka_unit_test(test_hostile_text_escaped),
	    cmocka_unit_test(test_long_channel_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
