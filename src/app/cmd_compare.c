/* tlsstep compare: the default TLS 1.2 comparison scenario and tls13 from
 * the same seed, shown step against step (ui/compare.h). */
#include "app/cli.h"
#include "app/pki.h"
#include "sim/scenario.h"
#include "sim/sim.h"
#include "ui/compare.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

/* ECDHE, not the rsa default: both handshakes then have forward secrecy
 * and an (EC)DHE shared secret, so what differs is the protocol, not the
 * key exchange. */
#define COMPARE_TLS12 "ecdhe"

static void help(void)
{
	puts("Usage: tlsstep compare [--seed N] [--time ISO8601] [--plain | --json]\n"
	     "Runs a TLS 1.2 handshake (scenario " COMPARE_TLS12
	     ") and a TLS 1.3 handshake (scenario " SCENARIO_DEFAULT13 ")\n"
	     "from the same seed and shows them step against step: the messages only one of them\n"
	     "has, what is encrypted where, the round trips before the client may send data (two\n"
	     "against one) and where the keys come from. The TLS 1.2 side uses ECDHE, not RSA key\n"
	     "exchange, so that both have forward secrecy and an (EC)DHE shared secret: what\n"
	     "differs is the protocol, not the key exchange.\n"
	     "  --seed N        every random byte comes from N (default 1)\n"
	     "  --time ISO8601  the simulated clock\n"
	     "  --plain         text (the default)\n"
	     "  --json          one JSON object (doc/json.md, \"tlsstep compare\")");
}

static int run_one(const char *name, const sim_options *base, model *m, sim_creds *cr)
{
	char err[512];
	sim *s;
	sim_options o = *base;
	o.scenario = name;
	if (app_pki_load_scenario(name, cr, err, sizeof err)) {
		fprintf(stderr, "tlsstep: %s\n", err);
		return -1;
	}
	o.creds = cr;
	if (sim_new(&s, &o, m, err, sizeof err)) {
		fprintf(stderr, "tlsstep: %s\n", err);
		sim_creds_free(cr);
		return -1;
	}
	int rc = sim_run(s);
	sim_free(s);
	return rc < 0 ? -1 : 0;
}

int cmd_compare(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"seed", required_argument, 0, 's'}, {"time", required_argument, 0, 't'},
	    {"plain", no_argument, 0, 'p'},      {"json", no_argument, 0, 'j'},
	    {"help", no_argument, 0, 'h'},       {0, 0, 0, 0}};
	sim_options o = {.seed = 1, .secure_channel = 1};
	int json = 0, c;
	uint64_t v;
	int64_t t;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (app_parse_u64(optarg, &v))
				return app_usage_error("--seed needs a non-negative number, not '%s'",
				                       optarg);
			o.seed = v;
			break;
		case 't':
			if (tls_parse_iso8601(optarg, &t) || t <= 0)
				return app_usage_error(
				    "--time needs a date like 2026-01-01T00:00:00Z, not '%s'", optarg);
			o.now = t;
			break;
		case 'p': json = 0; break;
		case 'j': json = 1; break;
		case 'h': help(); return 0;
		case ':': return app_usage_error("option %s needs a value", argv[optind - 1]);
		default: return app_usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return app_usage_error("unexpected argument '%s'", argv[optind]);
	return app_compare_write(stdout, &o, json) == 0 ? 0 : 1;
}

int app_compare_write(FILE *f, const sim_options *base, int json)
{
	static model a, b;
	sim_creds ca, cb;
	sim_options o = {.seed = base->seed, .now = base->now, .secure_channel = 1};
	int rc = -1;
	if (run_one(COMPARE_TLS12, &o, &a, &ca) == 0) {
		if (run_one(SCENARIO_DEFAULT13, &o, &b, &cb) == 0) {
			if (json)
				compare_json(f, &a, &b);
			else
				compare_plain(f, &a, &b);
			rc = a.outcome == MODEL_ESTABLISHED && b.outcome == MODEL_ESTABLISHED ? 0 : 1;
			model_free(&b);
			sim_creds_free(&cb);
		}
		model_free(&a);
		sim_creds_free(&ca);
	}
	return rc;
}
