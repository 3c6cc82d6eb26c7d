/* Shared set-up for the libFuzzer harnesses: the classroom PKI, a fixed
 * clock and a fixed random stream, so every input replays exactly.
 *
 * Harnesses run from the repository root (make fuzz does), or with
 * TLSSTEP_DATA_DIR pointing at it; the assets are read once. */
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

#include "app/files.h"
#include "app/pki.h"
#include "tls/conn.h"
#include "tls/crypto.h"
#include "tls/suites.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_NOW 1767225600 /* 2026-01-01T00:00:00Z, as the simulator */
#define FUZZ_HOST "server.tlsstep.test"
#define FUZZ_SEED 1 /* both sides' random streams: tls_rng_seed(FUZZ_SEED, "client"/"server") */

static tls_creds fuzz_server_pki, fuzz_client_pki;
static uint16_t fuzz_suites[64];
static size_t fuzz_n_suites;

static inline void fuzz_die(const char *what, const char *err)
{
	fprintf(stderr, "fuzz set-up: %s: %s (run from the repository root)\n", what, err);
	exit(1);
}

/* Loads the server's chain and key, the client's anchors, and every suite
 * the engine knows (new key exchanges join the fuzzing by themselves). */
static inline void fuzz_setup_pki(void)
{
	char err[256], path[1024];
	if (tls_crypto_init())
		fuzz_die("libtomcrypt", "init failed");
	app_data_path(path, sizeof path, "assets/server.crt");
	if (app_pki_add_chain(&fuzz_server_pki, path, err, sizeof err))
		fuzz_die(path, err);
	app_data_path(path, sizeof path, "assets/server.key");
	if (app_pki_load_key(&fuzz_server_pki, path, err, sizeof err))
		fuzz_die(path, err);
	app_data_path(path, sizeof path, "assets/ca.crt");
	if (app_pki_load_anchors(&fuzz_client_pki, path, err, sizeof err))
		fuzz_die(path, err);
	for (size_t i = 0; i < tls_suite_count() && fuzz_n_suites < 64; i++)
		if (!tls_suite_at(i)->tls13) /* the 1.3 ones come from suites13 */
			fuzz_suites[fuzz_n_suites++] = tls_suite_at(i)->id;
}

static inline void fuzz_config(tls_config *cfg, int is_server, tls_rng *rng)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->is_server = is_server;
	cfg->rng = rng;
	cfg->now = FUZZ_NOW;
	cfg->suites = fuzz_suites;
	cfg->n_suites = fuzz_n_suites;
	if (is_server) {
		cfg->chain_der = fuzz_server_pki.chain_der;
		cfg->chain_len = fuzz_server_pki.chain_len;
		cfg->chain_n = fuzz_server_pki.chain_n;
		cfg->key = &fuzz_server_pki.key;
	} else {
		cfg->server_name = FUZZ_HOST;
		cfg->anchors = fuzz_client_pki.anchors;
		cfg->n_anchors = fuzz_client_pki.n_anchors;
	}
}

/* Reads everything the engine wants to say and what it knows: the
 * accessors must be safe in every state. */
static inline void fuzz_drain(tls_conn *c)
{
	const uint8_t *p;
	uint8_t app[256];
	size_t n;
	while ((n = tls_conn_next_record(c)) > 0)
		tls_conn_consume(c, n);
	n = tls_conn_output(c, &p);
	tls_conn_consume(c, n);
	while (tls_conn_take_app(c, app, sizeof app) > 0)
		;
	(void)tls_conn_knowledge(c);
	(void)tls_conn_error(c);
	(void)tls_conn_alert_sent(c);
	(void)tls_conn_alert_received(c, NULL);
	(void)tls_conn_handshake_done(c);
}

#endif
