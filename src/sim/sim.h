/* The simulator: a client and a server over an in-memory pipe, run one of
 * the six steps at a time, recording the model as it goes.
 *
 * Step k delivers the records that belong to step k (in wire order), lets
 * the receiving side react, and then snapshots what each side knows. */
#ifndef SIM_SIM_H
#define SIM_SIM_H

#include "model/model.h"
#include "sim/scenario.h"

#include <stddef.h>
#include <stdint.h>

typedef struct {
	const char *scenario; /* NULL = default */
	uint64_t seed;
	int64_t now;          /* simulated clock, Unix seconds */
	int tamper;           /* flip a byte on the wire */
	int tamper_step;
	size_t tamper_offset; /* into the step's records, concatenated */
	uint8_t tamper_xor;
	int accept_untrusted; /* the client skips its certificate check */
	size_t max_fragment;  /* split handshake messages into records this small */
	int secure_channel;   /* run step 7: one message each way and close_notify */
} sim_options;

#define SIM_DEFAULT_TIME 1767225600 /* 2026-01-01T00:00:00Z */

typedef struct sim sim;

/* Loads what a scenario's sides need from assets/: the server's chain and
 * key, the client's trusted roots and, for mutual authentication, the
 * client's certificate and key. */
struct pki;
int sim_load_pki(const sim_scenario *sc, struct pki *server, struct pki *client, char *err,
		 size_t errlen);

/* Fills what a scenario decides in both sides' configurations (suites,
 * names, certificates, keys, extensions); the caller adds the randomness,
 * the clock and anything of its own. */
typedef struct tls_config tls_config;
void sim_scenario_configs(const sim_scenario *sc, const struct pki *server, const struct pki *client,
			  tls_config *cc, tls_config *scfg);

/* err gets one line naming the problem (a missing asset, an unknown scenario). */
int sim_new(sim **out, const sim_options *opt, model *m, char *err, size_t errlen);
/* Runs the next step. Returns its number, 0 when nothing is left, <0 on an
 * internal error. */
int sim_step(sim *s);
int sim_run(sim *s); /* every step; 0 or <0 */
int sim_finished(const sim *s);
void sim_free(sim *s);

#endif
