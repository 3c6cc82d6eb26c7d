/* The default command: simulate a handshake and show it. */
#include "app/cli.h"
#include "app/files.h"
#include "app/pki.h"
#include "app/record.h"
#include "sim/scenario.h"
#include "sim/sim.h"
#include "tls/x509.h"
#include "ui/html.h"
#include "ui/lesson.h"
#include "ui/predict.h"
#include "ui/tui.h"
#include "ui/views.h"

#include <getopt.h>
#include <unistd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	O_SCENARIO = 256, O_SEED, O_TIME, O_STEP, O_PLAIN, O_JSON, O_RECORD, O_KEYLOG, O_TAMPER,
	O_UNTRUSTED, O_AUTOPLAY, O_NO_LESSONS, O_ASCII, O_DATA_DIR, O_FRAGMENT, O_HTML, O_PREDICT, O_TLS,
};

static const struct option opts[] = {
	{"scenario", required_argument, 0, O_SCENARIO}, {"seed", required_argument, 0, O_SEED},
	{"time", required_argument, 0, O_TIME}, {"step", required_argument, 0, O_STEP},
	{"plain", no_argument, 0, O_PLAIN}, {"json", no_argument, 0, O_JSON},
	{"record", required_argument, 0, O_RECORD}, {"keylog", required_argument, 0, O_KEYLOG},
	{"tamper", required_argument, 0, O_TAMPER}, {"accept-untrusted", no_argument, 0, O_UNTRUSTED},
	{"autoplay", required_argument, 0, O_AUTOPLAY}, {"no-lessons", no_argument, 0, O_NO_LESSONS},
	{"ascii", no_argument, 0, O_ASCII}, {"data-dir", required_argument, 0, O_DATA_DIR},
	{"max-fragment", required_argument, 0, O_FRAGMENT}, {"html", required_argument, 0, O_HTML},
	{"predict", no_argument, 0, O_PREDICT},
	{"tls", required_argument, 0, O_TLS},
	{0, 0, 0, 0},
};

static int parse_tamper(const char *s, sim_options *o)
{
	char *end;
	long step = strtol(s, &end, 10);
	if (end == s || *end != ':')
		return -1;
	if (step < 1 || step > MODEL_LAST_STEP)
		return app_usage_error("--tamper: the step is 1 to %d, not %ld", MODEL_LAST_STEP, step);
	s = end + 1;
	unsigned long off = strtoul(s, &end, 0);
	if (end == s || *s == '-' || (*end && *end != ':'))
		return -1;
	unsigned long x = 1;
	if (*end == ':') {
		s = end + 1;
		x = strtoul(s, &end, 0);
		if (end == s || *end || x == 0 || x > 255)
			return -1;
	}
	o->tamper = 1;
	o->tamper_step = (int)step;
	o->tamper_offset = off;
	o->tamper_xor = (uint8_t)x;
	return 0;
}

#define SIM_CLI_MAX_SCENARIOS 64

typedef struct {
	sim_options sim;
	enum out_mode mode;
	const char *record, *keylog;
	const char *html; /* --html FILE */
	int quiet;        /* --html without --plain or --json: the page only */
	int stop_step;
	int predict; /* ask before each step, then reveal it */
	tui_options tui;
	tls_buf lesson; /* the scenario lesson, raw */
	/* each scenario's certificates and keys, loaded once when first run:
	 * a sim only borrows them, and the TUI's s may restart with another */
	sim_creds creds[SIM_CLI_MAX_SCENARIOS];
	int creds_loaded[SIM_CLI_MAX_SCENARIOS];
} sim_cli;

/* The credentials of a scenario, loading them on first use; NULL with a
 * line in err when they cannot be read. */
static const sim_creds *sim_cli_creds(sim_cli *c, const char *name, char *err, size_t n)
{
	const sim_scenario *sc = sim_scenario_lookup(name ? name : SCENARIO_DEFAULT, err, n);
	if (!sc)
		return NULL;
	size_t i = 0;
	while (i < sim_scenario_count() && sim_scenario_at(i) != sc)
		i++;
	if (i >= SIM_CLI_MAX_SCENARIOS) {
		snprintf(err, n, "too many scenarios");
		return NULL;
	}
	if (!c->creds_loaded[i]) {
		if (app_pki_load_scenario(sc->name, &c->creds[i], err, n))
			return NULL;
		c->creds_loaded[i] = 1;
	}
	return &c->creds[i];
}

/* --tls picks the protocol: each scenario runs one version, so --tls 1.3
 * alone runs the tls13 scenario, and a scenario of the other version is a
 * usage error that names the ones that fit. */
static int pick_version(sim_cli *c, int tls)
{
	const sim_scenario *sc = sim_scenario_find(c->sim.scenario ? c->sim.scenario : SCENARIO_DEFAULT);
	if (tls == 13 && !c->sim.scenario)
		c->sim.scenario = SCENARIO_DEFAULT13;
	else if (tls && sc && (tls == 13) != (sc->tls13 != 0))
		return app_usage_error("--tls %s: scenario '%s' is a TLS %s scenario (the TLS %s ones are "
		                       "named %s; tlsstep scenarios lists them)",
		                       tls == 13 ? "1.3" : "1.2", sc->name, sc->tls13 ? "1.3" : "1.2",
		                       tls == 13 ? "1.3" : "1.2", tls == 13 ? "tls13*" : "without tls13");
	return 0;
}

static int parse(int argc, char **argv, sim_cli *c)
{
	int o, tls = 0;
	uint64_t v;
	int64_t t;
	memset(c, 0, sizeof *c);
	c->sim.seed = 1;
	c->sim.secure_channel = 1;
	c->stop_step = MODEL_LAST_STEP;
	optind = 1;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (o) {
		case O_SCENARIO:
			if (!sim_scenario_find(optarg))
				return app_usage_error("unknown scenario '%s' (tlsstep scenarios lists them)",
				                       optarg);
			c->sim.scenario = optarg;
			break;
		case O_SEED:
			if (app_parse_u64(optarg, &v))
				return app_usage_error("--seed needs a non-negative number, not '%s'",
				                       optarg);
			c->sim.seed = v;
			break;
		case O_TIME:
			if (tls_parse_iso8601(optarg, &t) || t <= 0)
				return app_usage_error(
				    "--time needs a date like 2026-01-01T00:00:00Z, not '%s'", optarg);
			c->sim.now = t;
			break;
		case O_STEP:
			if (app_parse_u64(optarg, &v) || v < 1 || v > 7)
				return app_usage_error("--step needs a step number from 1 to 7, not '%s'",
				                       optarg);
			c->stop_step = (int)v;
			c->tui.start_step = (int)v;
			break;
		case O_PLAIN: c->mode = OUT_PLAIN; break;
		case O_JSON: c->mode = OUT_JSON; break;
		case O_RECORD: c->record = optarg; break;
		case O_KEYLOG: c->keylog = optarg; break;
		case O_HTML: c->html = optarg; break;
		case O_TAMPER: {
			int r = parse_tamper(optarg, &c->sim);
			if (r < 0)
				return app_usage_error("--tamper needs STEP:OFFSET[:XOR] (e.g. 5:100 or 3:20:0x80), not '%s'",
						   optarg);
			if (r)
				return r;
			break;
		}
		case O_UNTRUSTED: c->sim.accept_untrusted = 1; break;
		case O_AUTOPLAY: {
			char *end;
			double d = strtod(optarg, &end);
			if (end == optarg || *end || d <= 0 || d > 3600)
				return app_usage_error("--autoplay needs a number of seconds, not '%s'",
				                       optarg);
			c->tui.autoplay = d;
			break;
		}
		case O_NO_LESSONS: c->tui.no_lessons = 1; break;
		case O_ASCII: c->tui.ascii = 1; break;
		case O_DATA_DIR: app_data_dir_set(optarg); break;
		case O_PREDICT: c->predict = 1; break;
		case O_FRAGMENT:
			if (app_parse_u64(optarg, &v) || v < 1 || v > 16384)
				return app_usage_error(
				    "--max-fragment needs a size from 1 to 16384, not '%s'", optarg);
			c->sim.max_fragment = (size_t)v;
			break;
		case O_TLS:
			if (app_parse_tls_version(optarg, &tls))
				return app_usage_error("--tls needs 1.2 or 1.3, not '%s'", optarg);
			break;
		case ':': return app_usage_error("option %s needs a value", argv[optind - 1]);
		default: return app_usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return app_usage_error("unexpected argument '%s'", argv[optind]);
	if (c->predict && c->mode == OUT_JSON)
		return app_usage_error("--predict asks questions: use it with --plain or on a terminal, not --json");
	return pick_version(c, tls);
}

/* An offset past the step's bytes would flip nothing, and the run would
 * look untouched. A dry run with nothing flipped measures the step: the
 * same seed gives the same bytes up to the tampered one, so the byte exists
 * in the real run exactly when the untouched step is longer than the offset
 * (measuring a tampered run would not do: a flipped length field can make
 * the step vanish). The no-op tamper also keeps a scenario's own attacker
 * away, as the user's --tamper replaces it. */
static int check_tamper(const sim_cli *c)
{
	if (!c->sim.tamper)
		return 0;
	model m;
	sim *s;
	char err[512];
	sim_options dry = c->sim;
	dry.tamper_offset = SIZE_MAX;
	if (sim_new(&s, &dry, &m, err, sizeof err))
		return 0; /* the real run reports it */
	sim_run(s);
	const int n = c->sim.tamper_step;
	const model_step *st = &m.steps[n];
	size_t len = 0;
	for (size_t i = 0; i < st->n_rec; i++)
		len += st->rec[i].wire.len;
	int rc = 0;
	if (!st->reached || !len)
		rc = app_usage_error("--tamper %d:%zu: step %d is not reached, the handshake ends at step %d", n,
				 c->sim.tamper_offset, n, m.current);
	else if (c->sim.tamper_offset >= len)
		rc = app_usage_error("--tamper %d:%zu: step %d has %zu bytes on the wire (offsets 0 to %zu)", n,
				 c->sim.tamper_offset, n, len, len - 1);
	sim_free(s);
	model_free(&m);
	return rc;
}

static const char *scenario_lesson(const char *name, tls_buf *out);

/* --html: the page, with the scenario's lesson (the byte its attacker or
 * --tamper flipped is in the model). */
static int write_html(const model *m, const sim_cli *c, char *err, size_t n)
{
	tls_buf story = {0};
	html_options h = {.no_lessons = c->tui.no_lessons};
	h.scenario_text = c->tui.no_lessons ? NULL : scenario_lesson(c->sim.scenario, &story);
	int r = html_page_write(c->html, m, &h, err, n);
	tls_buf_free(&story);
	return r;
}

static int write_files(const model *m, const sim_cli *c)
{
	char err[512];
	if (c->html && write_html(m, c, err, sizeof err)) {
		fprintf(stderr, "tlsstep: %s\n", err);
		return 1;
	}
	if (c->record && app_record_pcap(m, c->record, err, sizeof err)) {
		fprintf(stderr, "tlsstep: %s\n", err);
		return 1;
	}
	if (c->keylog && app_record_keylog(m, c->keylog, err, sizeof err)) {
		fprintf(stderr, "tlsstep: %s\n", err);
		return 1;
	}
	return 0;
}

/* The raw text of a scenario's lesson, or NULL when it has none or it
 * cannot be read (the lesson pane then shows the step lessons only). */
static const char *scenario_lesson(const char *name, tls_buf *out)
{
	const sim_scenario *sc = sim_scenario_find(name ? name : SCENARIO_DEFAULT);
	char err[256];
	tls_buf_free(out);
	if (!sc || !sc->lesson)
		return NULL;
	if (data_lesson_read(sc->lesson, 64 * 1024, out, err, sizeof err) < 0 || tls_buf_u8(out, 0) < 0) {
		tls_buf_free(out);
		return NULL;
	}
	return (const char *)out->p;
}

static int run_batch(sim_cli *c)
{
	model m;
	sim *s;
	char err[512];
	if (sim_new(&s, &c->sim, &m, err, sizeof err)) {
		fprintf(stderr, "tlsstep: %s\n", err);
		return EXIT_USAGE; /* a missing or broken asset: the set-up is wrong */
	}
	int lessons = c->mode == OUT_PLAIN && !c->tui.no_lessons;
	const char *story = lessons ? scenario_lesson(c->sim.scenario, &c->lesson) : NULL;
	while (m.current < c->stop_step && sim_step(s) > 0)
		;
	if (c->quiet) {
		/* --html alone: the page is the output */
	} else if (c->mode == OUT_PLAIN) {
		text_header(stdout, &m);
		text_ladder(stdout, &m);
		for (int step = lessons ? 0 : 1; step <= m.current; step++) {
			if (step)
				text_step(stdout, &m, step);
			if (lessons)
				text_lesson(stdout, &m, step, lesson_file_for(&m, step));
			if (story)
				text_scenario_part(stdout, &m, step, story);
		}
		text_summary(stdout, &m);
	} else {
		json_model(stdout, &m);
	}
	int rc = write_files(&m, c);
	if (!rc)
		rc = m.outcome == MODEL_ALERT || m.outcome == MODEL_INCOMPLETE ? 1 : 0;
	sim_free(s);
	model_free(&m);
	tls_buf_free(&c->lesson);
	return rc;
}

/* The TUI's w: the whole handshake as it runs now (same seed, same
 * choice at the untrusted-certificate question), whatever step is on
 * screen, in files named after the scenario and seed. */
static int tui_save(void *ctx, const tui_options *o, char *msg, size_t n)
{
	const sim_cli *c = ctx;
	model m;
	sim *s;
	char err[512], base[512];
	if (sim_new(&s, &o->sim, &m, err, sizeof err)) {
		snprintf(msg, n, "write failed: %s", err);
		return -1;
	}
	int r = sim_run(s);
	if (c->record) {
		size_t k = strlen(c->record);
		int ext = k > 5 && !strcmp(c->record + k - 5, ".pcap");
		snprintf(base, sizeof base, "%.*s", (int)(ext ? k - 5 : k), c->record);
	} else {
		snprintf(base, sizeof base, "tlsstep-%s-seed%llu", m.scenario, (unsigned long long)m.seed);
	}
	if (r < 0)
		snprintf(msg, n, "write failed: the simulation failed (status %d)", r);
	else
		r = app_record_save(&m, base, msg, n);
	sim_free(s);
	model_free(&m);
	return r;
}

/* --predict without the TUI: the whole run first (the questions are
 * made from it), then asked step by step on stdin. Exit 0 whatever the
 * score; 1 when the answers run out or one is not a letter. */
static int run_predict(sim_cli *c)
{
	model m;
	sim *s;
	char err[512];
	if (sim_new(&s, &c->sim, &m, err, sizeof err)) {
		fprintf(stderr, "tlsstep: %s\n", err);
		return EXIT_USAGE;
	}
	int rc = sim_run(s) < 0 ? 1 : 0;
	if (rc)
		fprintf(stderr, "tlsstep: the simulation failed\n");
	if (!rc)
		rc = predict_plain(stdin, stdout, &m, isatty(STDIN_FILENO));
	sim_free(s);
	model_free(&m);
	return rc;
}

/* The TUI's s: another scenario and seed, everything else as given. */
static int tui_choose(void *ctx, tui_options *o, const char *name, uint64_t seed, char *err, size_t n)
{
	sim_cli *c = ctx;
	const sim_scenario *sc = sim_scenario_find(name);
	if (!sc) {
		snprintf(err, n, "unknown scenario '%s'", name);
		return -1;
	}
	const sim_creds *cr = sim_cli_creds(c, sc->name, err, n);
	if (!cr)
		return -1;
	o->sim.scenario = sc->name;
	o->sim.creds = cr;
	o->sim.seed = seed;
	o->sim.tamper = 0; /* a --tamper was meant for the first scenario; the
	                    * simulator brings the scenario's own attacker */
	o->scenario_text = o->no_lessons ? NULL : scenario_lesson(sc->name, &c->lesson);
	return 0;
}

/* The TUI's c: tlsstep compare from the seed on screen and the clock given. */
static int tui_compare(void *ctx, uint64_t seed, FILE *out)
{
	sim_cli *c = ctx;
	sim_options o = {.seed = seed, .now = c->sim.now};
	return app_compare_write(out, &o, 0) < 0 ? -1 : 0;
}

static int run_tui(sim_cli *c)
{
	static const char *names[64];
	size_t n = 0;
	for (; n < sim_scenario_count() && n < 64; n++)
		names[n] = sim_scenario_at(n)->name;
	c->tui.sim = c->sim;
	c->tui.scenario_text = c->tui.no_lessons ? NULL : scenario_lesson(c->sim.scenario, &c->lesson);
	c->tui.save = tui_save;
	c->tui.save_ctx = c;
	c->tui.scenarios = names;
	c->tui.n_scenarios = n;
	c->tui.choose = tui_choose;
	c->tui.choose_ctx = c;
	c->tui.compare = tui_compare;
	c->tui.compare_ctx = c;
	int rc = tui_run(&c->tui);
	tls_buf_free(&c->lesson);
	return rc;
}

int cmd_simulate(int argc, char **argv)
{
	sim_cli c;
	int rc = parse(argc, argv, &c);
	if (rc)
		return rc;
	if (c.html && c.mode == OUT_AUTO)
		c.quiet = 1, c.mode = OUT_PLAIN;
	c.mode = app_out_mode_resolve(c.mode);
	/* The simulator reads no file: the scenario's certificates and keys
	 * are loaded here and outlive every run (the TUI restarts). */
	char err[512];
	c.sim.creds = sim_cli_creds(&c, c.sim.scenario, err, sizeof err);
	if (!c.sim.creds) {
		fprintf(stderr, "tlsstep: %s\n", err);
		rc = EXIT_USAGE; /* a missing or broken asset: the set-up is wrong */
	} else if (!(rc = check_tamper(&c))) {
		c.tui.predict = c.predict;
		rc = c.mode == OUT_TUI ? run_tui(&c) : c.predict ? run_predict(&c) : run_batch(&c);
	}
	for (size_t i = 0; i < SIM_CLI_MAX_SCENARIOS; i++)
		if (c.creds_loaded[i])
			sim_creds_free(&c.creds[i]);
	return rc;
}

int cmd_scenarios(int argc, char **argv)
{
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		puts("Usage: tlsstep scenarios\nLists the scenarios: tlsstep --scenario NAME runs one.");
		return 0;
	}
	if (argc > 1)
		return app_usage_error("'scenarios' takes no arguments");
	for (size_t i = 0; i < sim_scenario_count(); i++)
		printf("%-16s %s\n", sim_scenario_at(i)->name, sim_scenario_at(i)->summary);
	return 0;
}
