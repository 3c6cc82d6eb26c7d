/* The simulator: a client and a server over an in-memory pipe, run one of
 * the six steps at a time, recording the model as it goes.
 *
 * Step k delivers the records that belong to step k (in wire order), lets
 * the receiving side react, and then snapshots what each side knows. */
#ifndef SIM_SIM_H
#define SIM_SIM_H

#include "model/model.h"
#include "sim/scenario.h"
#include "tls/creds.h"

#include <stddef.h>
#include <stdint.h>

/* What a scenario's two sides hold: loaded from files by the command
 * layer (app_pki_load_scenario) and handed down; the simulator reads no
 * file. */
typedef struct {
	tls_creds server, client;
} sim_creds;

typedef struct {
	const char *scenario; /* NULL = default */
	const sim_creds *creds; /* this scenario's; borrowed, outlives the sim */
	uint64_t seed;
	int64_t now;          /* simulated clock, Unix seconds */
	int tamper;           /* flip a byte on the wire */
	int tamper_step;
	size_t tamper_offset; /* into the step's records, concatenated */
	uint8_t tamper_xor;
	int tamper_inside;    /* TLS 1.3: the offset counts in the decrypted messages and
			       * the record is sealed again (sim_scenario.tamper_inside) */
	int accept_untrusted; /* the client skips its certificate check */
	size_t max_fragment;  /* split handshake messages into records this small */
	int secure_channel;   /* run step 7: one message each way and close_notify */
} sim_options;

#define SIM_DEFAULT_TIME 1767225600 /* 2026-01-01T00:00:00Z */

typedef struct sim sim;

/* Fills what a scenario decides in both sides' configurations (suites,
 * names, certificates, keys, extensions); the caller adds the randomness,
 * the clock and anything of its own. */
typedef struct tls_config tls_config;
void sim_scenario_configs(const sim_scenario *sc, const sim_creds *cr, tls_config *cc, tls_config *scfg);
void sim_creds_free(sim_creds *cr);

/* err gets one line naming the problem (no credentials, an unknown scenario). */
TLS_MUST_USE int sim_new(sim **out, const sim_options *opt, model *m, char *err, size_t errlen);
/* Runs the next step. Returns its number, 0 when nothing is left, <0 on an
 * internal error. */
int sim_step(sim *s);
int sim_run(sim *s); /* every step; 0 or <0 */
int sim_finished(const sim *s);
void sim_free(sim *s);

#endif
