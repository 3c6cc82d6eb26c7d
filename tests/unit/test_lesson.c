/* Unit tests for the lessons: every lesson of every scenario loads at every
 * step the simulation reaches (so no placeholder is unresolved or used too
 * early), placeholder errors, and the Markdown layout. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "scenario_creds.h"
#include "srcdir.h"

#include "app/files.h"
#include "model/model.h"
#include "sim/scenario.h"
#include "sim/sim.h"
#include "ui/lesson.h"

static int run_scenario(const char *name, model *m)
{
	sim_options o;
	memset(&o, 0, sizeof o);
	o.scenario = name;
	o.seed = 1;
	o.now = SIM_DEFAULT_TIME;
	o.secure_channel = 1;
	sim *s = NULL;
	char err[256] = "";
	model_init(m, "simulation");
	o.creds = scenario_creds(o.scenario);
	if (sim_new(&s, &o, m, err, sizeof err) < 0) {
		print_error("sim_new(%s): %s\n", name, err);
		return -1;
	}
	int r = sim_run(s);
	sim_free(s);
	return r;
}

/* The scenario's lesson: from the scenario table, else scenario-NAME.md
 * when that file exists. */
static const char *scenario_lesson(const sim_scenario *sc, char *buf, size_t n)
{
	if (sc->lesson)
		return sc->lesson;
	char sub[128], path[4096];
	struct stat st;
	snprintf(buf, n, "scenario-%s.md", sc->name);
	snprintf(sub, sizeof sub, "lessons/%s", buf);
	app_data_path(path, sizeof path, sub);
	return stat(path, &st) == 0 ? buf : NULL;
}

static int cols(const char *p, size_t n)
{
	int c = 0;
	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)p[i] & 0xC0) != 0x80;
	return c;
}

static void check_lines(const lesson_lines *l, int width)
{
	for (size_t i = 0; i < l->n; i++) {
		const lesson_line *ln = &l->v[i];
		assert_int_equal(strlen(ln->text), ln->len);
		if (cols(ln->text, ln->len) > width)
			fail_msg("width %d: line %zu has %d columns: %s", width, i,
				 cols(ln->text, ln->len), ln->text);
		/* no UTF-8 sequence cut: a line never starts or ends mid-character */
		if (ln->len) {
			assert_false(((unsigned char)ln->text[0] & 0xC0) == 0x80);
			unsigned char last = (unsigned char)ln->text[ln->len - 1];
			assert_false(last >= 0xC0);
			size_t k = ln->len;
			while (k > 0 && ((unsigned char)ln->text[k - 1] & 0xC0) == 0x80)
				k--;
			if (k > 0 && k < ln->len) {
				unsigned char lead = (unsigned char)ln->text[k - 1];
				size_t need = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : 1;
				assert_int_equal(ln->len - k, need);
			}
		}
		for (size_t b = 0; b < ln->len; b++)
			assert_true(ln->attr[b] <= LA_BULLET);
	}
}

static int count_words(const char *p)
{
	int n = 0, in = 0;
	for (; *p; p++) {
		int sp = *p == ' ' || *p == '\n' || *p == '\t';
		n += !sp && !in;
		in = !sp;
	}
	return n;
}

/* lessons/live-choice.md, the extra lesson of a live run, filled as if each
 * scenario's run had been a connect or a serve: it loads wherever
 * lesson_extra_for puts it, and says what the version case is. */
static void test_live_choice(void **state)
{
	(void)state;
	static const struct {
		const char *scenario, *source, *says;
	} runs[] = {
	    {"ecdhe", "connect", "That is --tls 1.2"},
	    {"ecdhe", "serve", "A browser would have offered"},
	    {"tls13", "connect", "answered with supported_versions = TLS 1.3"},
	    {"tls13", "serve", "The server, tlsstep, speaks TLS 1.3"},
	    {"tls13-hrr", "connect", "with a HelloRetryRequest"},
	    {"tls13-downgrade", "connect", "ends in the DOWNGRD marker"},
	    {"old-version", "serve", "No version in common"},
	    {"rsa", "simulation", NULL},
	};
	for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
		model *m = calloc(1, sizeof *m);
		assert_non_null(m);
		assert_int_equal(run_scenario(runs[i].scenario, m), 0);
		snprintf(m->source, sizeof m->source, "%s", runs[i].source);
		int at = 0;
		const char *file = lesson_extra_file(m, &at);
		if (!runs[i].says) {
			assert_null(file);
			model_free(m);
			free(m);
			continue;
		}
		assert_non_null(file);
		assert_int_equal(at, m->current < 2 ? m->current : 2);
		tls_buf md = {0}, txt = {0};
		char err[512] = "";
		if (lesson_load(m, at, file, &md, err, sizeof err))
			fail_msg("%s as %s: %s", runs[i].scenario, runs[i].source, err);
		assert_int_equal(lesson_plain((char *)md.p, &txt), 0);
		if (!strstr((char *)txt.p, runs[i].says))
			fail_msg("%s as %s does not say \"%s\": %s", runs[i].scenario, runs[i].source,
			         runs[i].says, (char *)txt.p);
		assert_null(strstr((char *)txt.p, "{{"));
		assert_null(strchr((char *)txt.p, '`'));
		tls_buf_free(&md);
		tls_buf_free(&txt);
		model_free(m);
		free(m);
	}
}

/* Every step lesson at every reached step, every scenario lesson at the
 * last step, laid out at 76 columns and printed without a placeholder. */
static void test_all_scenarios(void **state)
{
	(void)state;
	size_t loaded = 0;
	for (size_t i = 0; i < sim_scenario_count(); i++) {
		const sim_scenario *sc = sim_scenario_at(i);
		model *m = calloc(1, sizeof *m);
		assert_non_null(m);
		assert_int_equal(run_scenario(sc->name, m), 0);
		assert_true(m->current >= 1);
		for (int step = 0; step <= m->current; step++) {
			const char *files[2] = {lesson_file_for(m, step), NULL};
			char buf[64];
			if (step == m->current)
				files[1] = scenario_lesson(sc, buf, sizeof buf);
			for (int f = 0; f < 2; f++) {
				if (!files[f])
					continue;
				tls_buf out = {0};
				char err[512] = "";
				if (lesson_load(m, step, files[f], &out, err, sizeof err) != 0)
					fail_msg("scenario %s step %d: %s", sc->name, step, err);
				assert_non_null(out.p);
				assert_int_equal(strlen((char *)out.p), out.len);
				assert_null(strstr((char *)out.p, "{{"));
				/* read aloud in about two minutes (400 words: the RFC
				 * context a teacher adds made the longest ones grow) */
				int words = count_words((char *)out.p);
				if (words > 400 || words < 100)
					fail_msg("%s at step %d has %d words", files[f], step, words);
				lesson_lines l;
				assert_int_equal(lesson_wrap((char *)out.p, 76, &l), 0);
				assert_true(l.n > 5);
				check_lines(&l, 76);
				lesson_lines_free(&l);
				char *pb = NULL;
				size_t pn = 0;
				FILE *pf = open_memstream(&pb, &pn);
				assert_non_null(pf);
				lesson_print(pf, (char *)out.p, 76);
				fclose(pf);
				assert_null(strstr(pb, "{{"));
				assert_null(strstr(pb, "**"));
				assert_null(strchr(pb, '`'));
				free(pb);
				tls_buf_free(&out);
				loaded++;
			}
		}
		/* the scenarios the issue names each have a lesson */
		char buf[64];
		if (strcmp(sc->name, "rsa") && strcmp(sc->name, "rsa-sha256"))
			assert_non_null(scenario_lesson(sc, buf, sizeof buf));
		model_free(m);
		free(m);
	}
	assert_true(loaded > 40);
}

/* Runs that end early or oddly still have a lesson at every reached step,
 * and the scenario's lesson loads at the last one (the lessons suggest
 * several of these runs in their "Try this"). */
static void test_tampered_runs(void **state)
{
	(void)state;
	static const struct {
		const char *scenario;
		int step;
		size_t offset;
		int untrusted;
	} runs[] = {
		{"rsa", 5, 100, 0},         {"rsa", 6, 30, 0},          {"rsa-gcm", 5, 300, 0},
		{"rsa", 1, 20, 0},          {"rsa", 2, 40, 0},          {"untrusted-ca", 0, 0, 1},
		{"wrong-host", 0, 0, 1},    {"rsa", 7, 30, 0},          {"ecdhe", 4, 20, 0},
		{"ecdhe", 5, 20, 0},        {"ecdhe", 6, 30, 0},        {"dhe", 5, 100, 0},
		{"dhe", 4, 300, 0},         {"mutual", 5, 1000, 0},     {"mutual", 5, 100, 0},
		{"resume", 5, 20, 0},       {"resume", 6, 20, 0},       {"tampered", 6, 30, 0},
		{"tampered", 1, 20, 0},     {"tampered", 5, 5000, 0},   {"ems", 5, 100, 0},
		{"ecdhe-sha384", 5, 300, 0}, {"old-version", 1, 20, 0},
	};
	for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
		sim_options o;
		memset(&o, 0, sizeof o);
		o.scenario = runs[i].scenario;
		o.seed = 1;
		o.now = SIM_DEFAULT_TIME;
		o.secure_channel = 1;
		o.accept_untrusted = runs[i].untrusted;
		if (runs[i].step) {
			o.tamper = 1;
			o.tamper_step = runs[i].step;
			o.tamper_offset = runs[i].offset;
			o.tamper_xor = 0x01;
		}
		model *m = calloc(1, sizeof *m);
		assert_non_null(m);
		model_init(m, "simulation");
		sim *s = NULL;
		char err[512] = "";
		o.creds = scenario_creds(o.scenario);
		assert_int_equal(sim_new(&s, &o, m, err, sizeof err), 0);
		sim_run(s);
		sim_free(s);
		const sim_scenario *sc = sim_scenario_find(runs[i].scenario);
		assert_non_null(sc);
		char buf[64];
		const char *own = scenario_lesson(sc, buf, sizeof buf);
		for (int step = 0; step <= m->current; step++) {
			const char *files[2] = {lesson_file_for(m, step), step == m->current ? own : NULL};
			for (int f = 0; f < 2; f++) {
				if (!files[f])
					continue;
				tls_buf out = {0};
				if (lesson_load(m, step, files[f], &out, err, sizeof err) != 0)
					fail_msg("%s tamper %d:%zu step %d: %s", runs[i].scenario,
						 runs[i].step, runs[i].offset, step, err);
				assert_null(strstr((char *)out.p, "{{"));
				tls_buf_free(&out);
			}
		}
		model_free(m);
		free(m);
	}
}

/* A model of a scenario run with seed 1; the caller frees it. */
static model *scenario_model(const char *name)
{
	model *m = calloc(1, sizeof *m);
	assert_non_null(m);
	assert_int_equal(run_scenario(name, m), 0);
	return m;
}

/* out is the text filled at step, which must succeed. */
static const char *filled(model *m, int step, const char *text, tls_buf *out)
{
	char err[512] = "";
	if (lesson_fill(m, step, text, out, err, sizeof err) != 0)
		fail_msg("step %d, %s: %s", step, text, err);
	return (const char *)out->p;
}

/* Key exchange and handshake variants, as the conditions see them. */
static void test_variants(void **state)
{
	(void)state;
	static const char conds[] = "{{if rsa_kx}}R{{end}}{{if ecdhe}}E{{end}}{{if dhe}}D{{end}}"
				    "{{if ephemeral}}F{{end}}{{if mutual}}M{{end}}{{if resumed}}S{{end}}"
				    "{{if session_offered}}O{{end}}{{if ems}}X{{end}}{{if ecdsa}}A{{end}}";
	static const struct {
		const char *scenario;
		int step;
		const char *want;
	} cases[] = {
		/* nothing is known about the key exchange before the ServerHello */
		{"ecdhe", 1, ""},     {"ecdhe", 2, "EF"},   {"ecdhe-sha384", 6, "EF"},
		{"dhe", 4, "DF"},     {"rsa", 6, "R"},      {"rsa-gcm", 5, "R"},
		{"mutual", 3, "EF"},  {"mutual", 4, "EFM"}, {"mutual", 7, "EFM"},
		{"resume", 1, "O"},   {"resume", 2, "EFSO"}, {"resume", 7, "EFSO"},
		{"tampered", 5, "R"}, {"ems", 1, ""},       {"ems", 4, "RX"},
		{"old-version", 1, ""},
	};
	tls_buf out = {0};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		model *m = scenario_model(cases[i].scenario);
		if (strcmp(filled(m, cases[i].step, conds, &out), cases[i].want))
			fail_msg("%s at step %d: conditions give \"%s\", want \"%s\"", cases[i].scenario,
				 cases[i].step, (char *)out.p, cases[i].want);
		model_free(m);
		free(m);
	}

	char err[512] = "";
	model *m = scenario_model("dhe");
	/* the whole premaster secret counts, not the 48 bytes a model_value holds */
	assert_string_equal(filled(m, 4, "{{premaster_secret_length}} {{dh_p_bits}}", &out), "256 2048");
	assert_int_equal(lesson_fill(m, 3, "{{dh_p_bits}}", &out, err, sizeof err), -1);
	assert_int_equal(lesson_fill(m, 6, "{{named_curve}}", &out, err, sizeof err), -1);
	model_free(m);
	free(m);

	m = scenario_model("ecdhe");
	assert_string_equal(filled(m, 4, "{{named_curve}} {{premaster_secret_length}}", &out),
			    "secp256r1 (P-256) 32");
	assert_int_equal(lesson_fill(m, 3, "{{named_curve}}", &out, err, sizeof err), -1);
	assert_int_equal(lesson_fill(m, 6, "{{session_hash}}", &out, err, sizeof err), -1);
	model_free(m);
	free(m);

	m = scenario_model("old-version");
	assert_string_equal(filled(m, 1, "{{client_version}} {{client_version_hex}}", &out),
			    "TLS 1.0 0301");
	assert_string_equal(filled(m, 1, "{{if alert_protocol_version}}P{{end}}"
					 "{{if alert_decrypt_error}}D{{end}}",
				   &out),
			    "P");
	assert_int_equal(lesson_fill(m, 1, "{{if alert_no_such_alert}}x{{end}}", &out, err, sizeof err), -1);
	assert_int_equal(lesson_fill(m, 0, "{{client_version}}", &out, err, sizeof err), -1);
	model_free(m);
	free(m);

	m = scenario_model("ecdhe");
	assert_string_equal(filled(m, 7, "{{if finished_mismatch}}F{{end}}", &out), "");
	model_free(m);
	free(m);

	m = scenario_model("mutual");
	assert_int_equal(lesson_fill(m, 4, "{{client_certificate_check}}", &out, err, sizeof err), -1);
	assert_non_null(strstr(filled(m, 5, "{{client_certificate_check}}", &out), "student.tlsstep.test"));
	model_free(m);
	free(m);

	m = scenario_model("ems");
	assert_int_equal(lesson_fill(m, 3, "{{session_hash}}", &out, err, sizeof err), -1);
	assert_int_equal(strlen(filled(m, 4, "{{session_hash}}", &out)), 16 + strlen("\u2026"));
	model_free(m);
	free(m);

	m = scenario_model("tampered");
	static const char caught[] = "{{if alert_decrypt_error}}D{{end}}{{if finished_mismatch}}F{{end}}";
	assert_string_equal(filled(m, 4, caught, &out), "");
	assert_string_equal(filled(m, 5, caught, &out), "DF");
	model_free(m);
	free(m);
	tls_buf_free(&out);
}

static model *rsa_model(void)
{
	model *m = calloc(1, sizeof *m);
	assert_non_null(m);
	assert_int_equal(run_scenario("rsa", m), 0);
	return m;
}

static void test_not_known_yet(void **state)
{
	(void)state;
	model *m = rsa_model();
	tls_buf out = {0};
	char err[512] = "";
	assert_int_equal(lesson_fill(m, 2, "x {{master_secret}} y", &out, err, sizeof err), -1);
	assert_non_null(strstr(err, "{{master_secret}}, which nobody knows at step 2"));
	/* the same text is fine once the client has computed it */
	assert_int_equal(lesson_fill(m, 4, "x {{master_secret}} y", &out, err, sizeof err), 0);
	/* the server random belongs to the ServerHello: nobody has it at step 1 */
	assert_int_equal(lesson_fill(m, 1, "{{server_random}}", &out, err, sizeof err), -1);
	assert_int_equal(lesson_fill(m, 2, "{{server_random}}", &out, err, sizeof err), 0);
	assert_int_equal(lesson_fill(m, 0, "{{client_random}}", &out, err, sizeof err), -1);
	assert_non_null(strstr(err, "nobody knows at step 0"));
	assert_int_equal(lesson_fill(m, 1, "{{cipher_suite}}", &out, err, sizeof err), -1);
	/* a file name appears in the message of lesson_load */
	assert_int_equal(lesson_load(m, 2, "no-such-lesson.md", &out, err, sizeof err), -1);
	assert_non_null(strstr(err, "no-such-lesson.md"));
	tls_buf_free(&out);
	model_free(m);
	free(m);
}

static void test_unknown_and_malformed(void **state)
{
	(void)state;
	model *m = rsa_model();
	tls_buf out = {0};
	char err[512] = "";
	assert_int_equal(lesson_fill(m, 6, "a {{no_such_value}} b", &out, err, sizeof err), -1);
	assert_non_null(strstr(err, "{{no_such_value}}"));
	assert_non_null(strstr(err, "not a placeholder"));
	assert_int_equal(lesson_fill(m, 6, "a {{client_random", &out, err, sizeof err), -1);
	assert_int_equal(lesson_fill(m, 6, "{{if aead}}x", &out, err, sizeof err), -1);
	assert_int_equal(lesson_fill(m, 6, "x{{end}}", &out, err, sizeof err), -1);
	assert_int_equal(lesson_fill(m, 6, "{{if bogus}}x{{end}}", &out, err, sizeof err), -1);
	/* an unknown name is an error even inside a false block */
	assert_int_equal(lesson_fill(m, 6, "{{if aead}}{{bogus}}{{end}}", &out, err, sizeof err), -1);
	assert_int_equal(lesson_fill(m, 9, "x", &out, err, sizeof err), -1);
	tls_buf_free(&out);
	model_free(m);
	free(m);
}

static void test_values(void **state)
{
	(void)state;
	model *m = rsa_model();
	tls_buf out = {0};
	char err[512] = "", want[128];
	assert_int_equal(lesson_fill(m, 2, "{{cipher_suite}} {{cipher_suite_id}}", &out, err, sizeof err), 0);
	assert_string_equal((char *)out.p, "TLS_RSA_WITH_AES_128_CBC_SHA 0x002F");
	/* 32-byte values are shortened to 8 bytes and an ellipsis */
	assert_int_equal(lesson_fill(m, 1, "{{client_random}}", &out, err, sizeof err), 0);
	char hex[17];
	for (int i = 0; i < 8; i++)
		snprintf(hex + 2 * i, 3, "%02x", m->secrets[MS_CLIENT_RANDOM].v[i]);
	snprintf(want, sizeof want, "%s\u2026", hex);
	assert_string_equal((char *)out.p, want);
	/* 16 bytes and less in full */
	assert_int_equal(lesson_fill(m, 5, "{{client_write_key}}|{{client_verify_data}}", &out, err,
				     sizeof err),
			 0);
	assert_int_equal(strlen((char *)out.p), 32 + 1 + 24);
	assert_int_equal(lesson_fill(m, 4, "{{premaster_version}} {{premaster_secret_length}}", &out,
				     err, sizeof err),
			 0);
	assert_string_equal((char *)out.p, "0303 48");
	assert_int_equal(lesson_fill(m, 6, "{{server_verify_data}} {{transcript_hash}} {{seed}} "
					   "{{scenario}} {{server_name}} {{certificate_subject}} "
					   "{{client_write_mac_key}} {{key_block_length}}",
				     &out, err, sizeof err),
			 0);
	assert_non_null(strstr((char *)out.p, " 1 rsa server.tlsstep.test "));
	assert_non_null(strstr((char *)out.p, " 104"));
	/* conditional blocks; a tag alone on its line leaves no blank line */
	assert_int_equal(lesson_fill(m, 6, "a\n{{if aead}}\nG\n{{else}}\nC\n{{end}}\nb", &out, err,
				     sizeof err),
			 0);
	assert_string_equal((char *)out.p, "a\nC\nb");
	/* a value not known yet may appear inside a false block */
	assert_int_equal(lesson_fill(m, 2, "{{if master_secret}}{{master_secret}}{{else}}none{{end}}",
				     &out, err, sizeof err),
			 0);
	assert_string_equal((char *)out.p, "none");
	assert_int_equal(lesson_fill(m, 3, "{{if alert}}A{{end}}{{if established}}E{{end}}", &out, err,
				     sizeof err),
			 0);
	assert_string_equal((char *)out.p, "");
	assert_int_equal(lesson_fill(m, 6, "{{if established}}E{{end}}", &out, err, sizeof err), 0);
	assert_string_equal((char *)out.p, "E");
	tls_buf_free(&out);
	model_free(m);
	free(m);
}

static void test_alert_values(void **state)
{
	(void)state;
	model *m = calloc(1, sizeof *m);
	assert_non_null(m);
	assert_int_equal(run_scenario("untrusted-ca", m), 0);
	tls_buf out = {0};
	char err[512] = "";
	assert_int_equal(lesson_fill(m, 2, "{{alert}}", &out, err, sizeof err), -1);
	assert_int_equal(lesson_fill(m, 3, "{{alert_sender}}: {{alert}}", &out, err, sizeof err), 0);
	assert_string_equal((char *)out.p, "client: unknown_ca (48)");
	tls_buf_free(&out);
	model_free(m);
	free(m);
}

static const char sample[] =
	"# A heading with `code` inside\n"
	"\n"
	"Plain words, **bold words**, *emphasised words* and `a code span` in one\n"
	"paragraph that goes on long enough to need wrapping at every width: "
	"verify_data = PRF(master_secret, label, hash)[0..11]. Ünïcödé wörds — "
	"π ≈ 3.14159 … 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdefπ\n"
	"\n"
	"- a list item that is long enough to wrap onto a second line with a "
	"hanging indent under the text\n"
	"- ‘another’ item with an éèê accented tail ééééééééééééééééééééééééééééééééééééééééééé\n"
	"\n"
	"## Second heading\n"
	"Last paragraph.\n";

static void test_wrap_widths(void **state)
{
	(void)state;
	for (int w = 20; w <= 120; w++) {
		lesson_lines l;
		assert_int_equal(lesson_wrap(sample, w, &l), 0);
		check_lines(&l, w);
		/* no markers left */
		for (size_t i = 0; i < l.n; i++) {
			assert_null(strstr(l.v[i].text, "**"));
			assert_null(strchr(l.v[i].text, '`'));
			assert_null(strchr(l.v[i].text, '#'));
		}
		lesson_lines_free(&l);
	}
}

/* The attribute of the first byte of needle in the wrapped lines. */
static int attr_of(const lesson_lines *l, const char *needle)
{
	for (size_t i = 0; i < l->n; i++) {
		const char *p = strstr(l->v[i].text, needle);
		if (p)
			return l->v[i].attr[p - l->v[i].text];
	}
	return -1;
}

static void test_wrap_attributes(void **state)
{
	(void)state;
	lesson_lines l;
	assert_int_equal(lesson_wrap(sample, 120, &l), 0);
	assert_string_equal(l.v[0].text, "A heading with code inside");
	for (size_t b = 0; b < l.v[0].len; b++)
		assert_int_equal(l.v[0].attr[b], LA_HEADING);
	assert_int_equal(l.v[1].len, 0); /* blank line between blocks */
	assert_int_equal(attr_of(&l, "Plain"), LA_NORMAL);
	assert_int_equal(attr_of(&l, "bold words"), LA_BOLD);
	assert_int_equal(attr_of(&l, "words*"), -1);
	assert_int_equal(attr_of(&l, "emphasised"), LA_EMPH);
	assert_int_equal(attr_of(&l, "a code span"), LA_CODE);
	assert_int_equal(attr_of(&l, "code span") , LA_CODE); /* the inner space too */
	assert_int_equal(attr_of(&l, " in one"), LA_NORMAL);
	assert_int_equal(attr_of(&l, "Second heading"), LA_HEADING);
	/* list items: bullet marked, text after it, hanging indent */
	int item = -1;
	for (size_t i = 0; i < l.n; i++)
		if (strstr(l.v[i].text, "a list item") == l.v[i].text + 2) {
			item = (int)i;
			break;
		}
	assert_true(item >= 0);
	assert_int_equal(l.v[item].attr[0], LA_BULLET);
	lesson_lines_free(&l);

	assert_int_equal(lesson_wrap(sample, 40, &l), 0);
	for (size_t i = 0; i + 1 < l.n; i++)
		if (strstr(l.v[i].text, "a list item") == l.v[i].text + 2) {
			assert_memory_equal(l.v[i + 1].text, "  ", 2);
			assert_true(l.v[i + 1].text[2] != ' ');
		}
	lesson_lines_free(&l);

	/* a lone asterisk stays */
	assert_int_equal(lesson_wrap("2 * 3 is six", 40, &l), 0);
	assert_string_equal(l.v[0].text, "2 * 3 is six");
	lesson_lines_free(&l);
}

static void test_print(void **state)
{
	(void)state;
	char *pb = NULL;
	size_t pn = 0;
	FILE *f = open_memstream(&pb, &pn);
	assert_non_null(f);
	lesson_print(f, "# Title\n\nSome **bold** text.\n", 40);
	fclose(f);
	assert_string_equal(pb, "Title\n-----\n\nSome bold text.\n");
	free(pb);
}

/* What the hellos and the key block say, as the lessons quote them. */
static void test_hellos_and_key_block(void **state)
{
	(void)state;
	static const char conds[] = "{{if first_offer}}F{{end}}{{if first_offer_unknown}}U{{end}}"
				    "{{if client_ext_supported_groups}}G{{end}}"
				    "{{if client_ext_signature_algorithms}}S{{end}}"
				    "{{if server_ext_ec_point_formats}}P{{end}}"
				    "{{if server_ext_encrypt_then_mac}}E{{end}}"
				    "{{if server_ext_extended_master_secret}}X{{end}}";
	static const struct {
		const char *scenario;
		int step;
		const char *want;
	} cases[] = {
		/* the client listed GCM first, the server took 0x002F */
		{"rsa", 2, "S"},
		{"ecdhe", 1, "GS"},
		{"ecdhe", 2, "FGSP"},
		{"etm", 2, "SE"},
		{"ems", 2, "SX"},
		/* the old-version hello has no signature_algorithms */
		{"old-version", 1, ""},
		/* the attacker's 0xC0AF, as the server received it */
		{"tampered", 1, "UGS"},
	};
	tls_buf out = {0};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		model *m = scenario_model(cases[i].scenario);
		if (strcmp(filled(m, cases[i].step, conds, &out), cases[i].want))
			fail_msg("%s at step %d: conditions give \"%s\", want \"%s\"", cases[i].scenario,
				 cases[i].step, (char *)out.p, cases[i].want);
		model_free(m);
		free(m);
	}
	/* RFC 5246 6.3: no IVs in a CBC suite's key block; tlsstep derives them too */
	static const struct {
		const char *scenario, *want;
	} blocks[] = {
		{"rsa", "72 104"},
		{"rsa-sha256", "128 160"},
		{"rsa-gcm", "40 40"},
		{"ecdhe-sha384", "72 72"},
	};
	for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++) {
		model *m = scenario_model(blocks[i].scenario);
		assert_string_equal(filled(m, 7, "{{key_block_rfc_length}} {{key_block_length}}", &out),
				    blocks[i].want);
		model_free(m);
		free(m);
	}
	char err[512] = "";
	model *m = scenario_model("rsa");
	/* a misspelt extension is an error, not a false condition */
	assert_int_equal(lesson_fill(m, 2, "{{if client_ext_no_such}}x{{end}}", &out, err, sizeof err), -1);
	assert_int_equal(lesson_fill(m, 1, "{{key_block_rfc_length}}", &out, err, sizeof err), -1);
	model_free(m);
	free(m);
	tls_buf_free(&out);
}

/* A scenario lesson is shown in parts: the text before the first
 * "<!-- step N -->" line, then each part at its step. Every part must fill
 * at its own step, since the view fills it then, not at the last step. */
static void test_scenario_parts(void **state)
{
	(void)state;
	size_t parts = 0;
	for (size_t i = 0; i < sim_scenario_count(); i++) {
		const sim_scenario *sc = sim_scenario_at(i);
		char buf[64], err[512] = "";
		const char *file = scenario_lesson(sc, buf, sizeof buf);
		if (!file)
			continue;
		model *m = scenario_model(sc->name);
		tls_buf raw = {0}, out = {0};
		assert_int_equal(data_lesson_read(file, 64 * 1024, &raw, err, sizeof err), 0);
		assert_int_equal(tls_buf_u8(&raw, 0), 0);
		char *text = (char *)raw.p;
		int step = 0;
		for (char *p = text; p;) {
			char *mark = strstr(p, "<!-- step ");
			if (mark)
				*mark = 0;
			if (step <= m->current && lesson_fill(m, step, p, &out, err, sizeof err) != 0)
				fail_msg("%s, part of step %d: %s", file, step, err);
			parts++;
			if (!mark)
				break;
			step = atoi(mark + 10);
			assert_true(step >= 0 && step <= 7);
			p = strchr(mark + 1, '\n');
		}
		tls_buf_free(&raw);
		tls_buf_free(&out);
		model_free(m);
		free(m);
	}
	assert_true(parts > 30);
}

/* A marker line is not text: it ends a paragraph and prints nothing. */
static void test_comment_lines(void **state)
{
	(void)state;
	lesson_lines l;
	assert_int_equal(lesson_wrap("one\n<!-- step 3 -->\ntwo\n", 76, &l), 0);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[0].text, "one");
	assert_string_equal(l.v[1].text, "");
	assert_string_equal(l.v[2].text, "two");
	lesson_lines_free(&l);
}

int main(void)
{
	lesson_set_reader(data_lesson_read);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_scenarios),  cmocka_unit_test(test_not_known_yet),
		cmocka_unit_test(test_unknown_and_malformed), cmocka_unit_test(test_values),
		cmocka_unit_test(test_alert_values),   cmocka_unit_test(test_wrap_widths),
		cmocka_unit_test(test_wrap_attributes), cmocka_unit_test(test_print),
		cmocka_unit_test(test_tampered_runs),  cmocka_unit_test(test_variants),
		cmocka_unit_test(test_hellos_and_key_block), cmocka_unit_test(test_scenario_parts),
		cmocka_unit_test(test_comment_lines),  cmocka_unit_test(test_live_choice),
	};
	use_srcdir();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
