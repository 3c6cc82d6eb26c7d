/* The certificates and keys of a scenario, loaded from assets/ the way the
 * command layer loads them for a run, once per scenario per test binary:
 * the simulator is handed them and reads no file itself. They stay
 * reachable until the process ends. */
#ifndef TESTS_SCENARIO_CREDS_H
#define TESTS_SCENARIO_CREDS_H

#include "app/pki.h"
#include "sim/scenario.h"

#include <stdio.h>
#include <stdlib.h>

static inline const sim_creds *scenario_creds(const char *scenario)
{
	static struct {
		const sim_scenario *sc;
		sim_creds creds;
	} loaded[64];
	char err[512];
	const sim_scenario *sc = sim_scenario_lookup(scenario, err, sizeof err);
	if (!sc)
		return NULL; /* sim_new then names the unknown scenario */
	size_t i = 0;
	for (; i < sizeof loaded / sizeof loaded[0] && loaded[i].sc; i++)
		if (loaded[i].sc == sc)
			return &loaded[i].creds;
	if (i == sizeof loaded / sizeof loaded[0] ||
	    app_pki_load_scenario(sc->name, &loaded[i].creds, err, sizeof err)) {
		fprintf(stderr, "scenario_creds(%s): %s\n", sc->name, i < 64 ? err : "too many scenarios");
		abort();
	}
	loaded[i].sc = sc;
	return &loaded[i].creds;
}

#endif
