/* The default command: simulate a handshake and show it. */
#include "app/cli.h"
#include "app/files.h"
#include "app/pki.h"
#include "app/record.h"
#include "sim/scenario.h"
#include "sim/sim.h"
#include "tls/x509.h"
#include "ui/lesson.h"
#include "ui/tui.h"
#include "ui/views.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	O_SCENARIO = 256, O_SEED, O_TIME, O_STEP, O_PLAIN, O_JSON, O_RECORD, O_KEYLOG, O_TAMPER,
	O_UNTRUSTED, O_AUTOPLAY, O_NO_LESSONS, O_ASCII, O_DATA_DIR, O_FRAGMENT,
};

static const struct option opts[] = {
	{"scenario", required_argument, 0, O_SCENARIO}, {"seed", required_argument, 0, O_SEED},
	{"time", required_argument, 0, O_TIME}, {"step", required_argument, 0, O_STEP},
	{"plain", no_argument, 0, O_PLAIN}, {"json", no_argument, 0, O_JSON},
	{"record", required_argument, 0, O_RECORD}, {"keylog", required_argument, 0, O_KEYLOG},
	{"tamper", required_argument, 0, O_TAMPER}, {"accept-untrusted", no_argument, 0, O_UNTRUSTED},
	{"autoplay", required_argument, 0, O_AUTOPLAY}, {"no-lessons", no_argument, 0, O_NO_LESSONS},
	{"ascii", no_argument, 0, O_ASCII}, {"data-dir", required_argument, 0, O_DATA_DIR},
	{"max-fragment", required_argument, 0, O_FRAGMENT}, {0, 0, 0, 0},
};

static int parse_tamper(const char *s, sim_options *o)
{
	char *end;
	long step = strtol(s, &end, 10);
	if (end == s || *end != ':' || step < 1 || step > 7)
		return -1;
	s = end + 1;
	unsigned long off = strtoul(s, &end, 0);
	if (end == s || (*end && *end != ':'))
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

typedef struct {
	sim_options sim;
	enum out_mode mode;
	const char *record, *keylog;
	int stop_step;
	tui_options tui;
} sim_cli;

static int parse(int argc, char **argv, sim_cli *c)
{
	int o;
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
		case O_TAMPER:
			if (parse_tamper(optarg, &c->sim))
				return app_usage_error(
				    "--tamper needs STEP:OFFSET[:XOR] (e.g. 5:100 or 3:20:0x80), not '%s'",
				    optarg);
			break;
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
		case O_DATA_DIR: data_dir_set(optarg); break;
		case O_FRAGMENT:
			if (app_parse_u64(optarg, &v) || v < 1 || v > 16384)
				return app_usage_error(
				    "--max-fragment needs a size from 1 to 16384, not '%s'", optarg);
			c->sim.max_fragment = (size_t)v;
			break;
		case ':': return app_usage_error("option %s needs a value", argv[optind - 1]);
		default: return app_usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return app_usage_error("unexpected argument '%s'", argv[optind]);
	return 0;
}

static int write_files(const model *m, const sim_cli *c)
{
	char err[512];
	if (c->record && record_pcap(m, c->record, err, sizeof err)) {
		fprintf(stderr, "tlsstep: %s\n", err);
		return 1;
	}
	if (c->keylog && record_keylog(m, c->keylog, err, sizeof err)) {
		fprintf(stderr, "tlsstep: %s\n", err);
		return 1;
	}
	return 0;
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
	int step, lessons = c->mode == OUT_PLAIN && !c->tui.no_lessons;
	if (c->mode == OUT_PLAIN)
		text_header(stdout, &m);
	if (lessons)
		text_lesson(stdout, &m, 0, lesson_file(0));
	while (m.current < c->stop_step && (step = sim_step(s)) > 0)
		if (c->mode == OUT_PLAIN) {
			text_step(stdout, &m, step);
			if (lessons)
				text_lesson(stdout, &m, step, lesson_file(step));
		}
	const sim_scenario *sc = sim_scenario_find(m.scenario);
	if (lessons && sc && sc->lesson)
		text_lesson(stdout, &m, m.current, sc->lesson);
	if (c->mode == OUT_PLAIN)
		text_summary(stdout, &m);
	else
		json_model(stdout, &m);
	int rc = write_files(&m, c);
	if (!rc)
		rc = m.outcome == MODEL_ALERT || m.outcome == MODEL_INCOMPLETE ? 1 : 0;
	sim_free(s);
	model_free(&m);
	return rc;
}

int cmd_simulate(int argc, char **argv)
{
	sim_cli c;
	int rc = parse(argc, argv, &c);
	if (rc)
		return rc;
	c.mode = app_out_mode_resolve(c.mode);
	/* The simulator reads no file: the scenario's certificates and keys
	 * are loaded here, once, and outlive every run (the TUI restarts). */
	sim_creds creds;
	char err[512];
	if (app_pki_load_scenario(c.sim.scenario, &creds, err, sizeof err)) {
		fprintf(stderr, "tlsstep: %s\n", err);
		return EXIT_USAGE; /* a missing or broken asset: the set-up is wrong */
	}
	c.sim.creds = &creds;
	if (c.mode == OUT_TUI) {
		c.tui.sim = c.sim;
		c.tui.record = c.record;
		c.tui.keylog = c.keylog;
		rc = tui_run(&c.tui);
	} else
		rc = run_batch(&c);
	sim_creds_free(&creds);
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
