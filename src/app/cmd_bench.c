/* tlsstep bench: full in-process handshakes (client + server, all crypto,
 * no observer, no output) per second, median of several rounds. */
#include "app/cli.h"
#include "app/files.h"
#include "app/pki.h"
#include "sim/scenario.h"
#include "sim/sim.h"
#include "tls/conn.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

typedef struct {
	const sim_scenario *sc;
	sim_creds creds;
	tls_profile prof; /* time per phase, over every handshake */
} bench_env;

static int load(bench_env *e, char *err, size_t n)
{
	return app_pki_load_scenario(e->sc->name, &e->creds, err, n);
}

/* Moves every byte one side wrote to the other. */
static int pass(tls_conn *from, tls_conn *to)
{
	const uint8_t *p;
	size_t n = tls_conn_output(from, &p);
	if (!n)
		return 0;
	tls_conn_recv(to, p, n);
	tls_conn_consume(from, n);
	return 1;
}

static int one_handshake(bench_env *e, uint64_t seed)
{
	tls_rng rc, rs;
	tls_config cc, sc;
	tls_conn *c = NULL, *s = NULL;
	tls_rng_seed(&rc, seed, "client");
	tls_rng_seed(&rs, seed, "server");
	sim_scenario_configs(e->sc, &e->creds, &cc, &sc);
	cc.rng = &rc;
	sc.rng = &rs;
	cc.now = sc.now = SIM_DEFAULT_TIME;
	cc.prof = sc.prof = &e->prof;
	int rc_ = -1;
	if (tls_conn_new(&c, &cc) == 0 && tls_conn_new(&s, &sc) == 0 && tls_conn_start(c) == 0) {
		while (pass(c, s) | pass(s, c))
			;
		rc_ = tls_conn_handshake_done(c) && tls_conn_handshake_done(s) ? 0 : -1;
	}
	tls_conn_free(c);
	tls_conn_free(s);
	tls_rng_free(&rc);
	tls_rng_free(&rs);
	return rc_;
}

static int cmp(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return a < b ? -1 : a > b;
}

int cmd_bench(int argc, char **argv)
{
	static const struct option opts[] = {{"scenario", required_argument, 0, 's'},
					     {"json", no_argument, 0, 'j'},
					     {"rounds", required_argument, 0, 'r'},
					     {"help", no_argument, 0, 'h'},
					     {0, 0, 0, 0}};
	const char *name = SCENARIO_DEFAULT;
	uint64_t n = 200, rounds = 5;
	int json = 0, o;
	optind = 1;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "n:h", opts, NULL)) != -1) {
		switch (o) {
		case 's': name = optarg; break;
		case 'j': json = 1; break;
		case 'n':
			if (app_parse_u64(optarg, &n) || n < 1 || n > 1000000)
				return app_usage_error("-n needs a number of handshakes, not '%s'", optarg);
			break;
		case 'r':
			if (app_parse_u64(optarg, &rounds) || rounds < 1 || rounds > 64)
				return app_usage_error("--rounds needs 1 to 64, not '%s'", optarg);
			break;
		case 'h':
			puts("Usage: tlsstep bench [--scenario NAME] [-n HANDSHAKES] [--rounds R] [--json]\n"
			     "Full in-process handshakes per second (median of R rounds of N).");
			return 0;
		default: return app_usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	bench_env e = {0};
	char err[512];
	e.sc = sim_scenario_find(name);
	if (!e.sc)
		return app_usage_error("unknown scenario '%s'", name);
	if (load(&e, err, sizeof err)) {
		fprintf(stderr, "tlsstep: %s\n", err);
		return 1;
	}
	double per[64], total = 0;
	e.prof.clock = now;
	int rc = one_handshake(&e, 0); /* warm-up, not counted */
	memset(e.prof.seconds, 0, sizeof e.prof.seconds);
	for (uint64_t r = 0; !rc && r < rounds; r++) {
		double t0 = now();
		for (uint64_t i = 0; i < n && !rc; i++)
			rc = one_handshake(&e, i + 1);
		per[r] = (now() - t0) / (double)n;
		total += per[r] * (double)n;
	}
	if (rc) {
		fprintf(stderr, "tlsstep: scenario %s does not complete a handshake\n", name);
		sim_creds_free(&e.creds);
		return 1;
	}
	qsort(per, (size_t)rounds, sizeof per[0], cmp);
	double med = per[rounds / 2], count = (double)(n * rounds), crypto = 0;
	for (int i = 0; i < TLS_PH_COUNT; i++)
		crypto += e.prof.seconds[i];
	/* Everything outside the timed primitives: encoding, decoding, state
	 * machines, buffers, the timing itself. */
	double other = total - crypto;
	if (json) {
		printf("{\"scenario\":\"%s\",\"handshakes\":%llu,\"rounds\":%llu,\"seconds_per_handshake\":%.6f,"
		       "\"handshakes_per_second\":%.1f,\"phases\":{",
		       name, (unsigned long long)n, (unsigned long long)rounds, med, 1.0 / med);
		for (int i = 0; i < TLS_PH_COUNT; i++)
			printf("\"%s\":%.7f,", tls_phase_name(i), e.prof.seconds[i] / count);
		printf("\"encoding_and_engine\":%.7f},\"engine_overhead_ratio\":%.3f}\n", other / count,
		       crypto > 0 ? total / crypto : 0);
	} else {
		printf("%s: %.1f handshakes/s (%.3f ms each, median of %llu rounds of %llu)\n", name, 1.0 / med,
		       med * 1000, (unsigned long long)rounds, (unsigned long long)n);
		for (int i = 0; i < TLS_PH_COUNT; i++)
			printf("  %-20s %8.3f ms\n", tls_phase_name(i), e.prof.seconds[i] / count * 1000);
		printf("  %-20s %8.3f ms\n  a handshake costs %.3fx the sum of its timed primitives\n",
		       "encoding and engine", other / count * 1000, crypto > 0 ? total / crypto : 0);
	}
	sim_creds_free(&e.creds);
	return 0;
}
