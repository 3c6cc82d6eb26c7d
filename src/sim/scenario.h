/* Named scenarios: what the simulated client and server are configured to
 * do. Each is a row of data; the simulator has no per-scenario code. */
#ifndef SIM_SCENARIO_H
#define SIM_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
	const char *name;
	const char *summary;
	const uint16_t *client_suites; /* offered, in order */
	size_t n_client;
	const uint16_t *server_suites; /* accepted, in preference order */
	size_t n_server;
	const char *server_cert; /* file names under assets/ */
	const char *server_key;
	const char *chain_extra; /* another certificate the server sends, or NULL */
	const char *server_name; /* the name the client expects */
	const char *lesson;      /* lesson file for this scenario, or NULL */
	/* mutual authentication */
	int request_client_cert;              /* the server sends CertificateRequest */
	const char *client_cert, *client_key; /* what the client presents, or NULL */
	uint16_t client_version; /* highest version the client offers; 0 = TLS 1.2 */
	int resume;              /* a full handshake first; the model shows the resumed one */
	int tamper_step;         /* an attacker on the wire by default (as --tamper), 0 = none */
	size_t tamper_offset;
	uint8_t tamper_xor;
	int ems; /* both sides use the extended master secret (RFC 7627) */
	int etm; /* both sides use encrypt-then-MAC (RFC 7366) */
} sim_scenario;

const sim_scenario *sim_scenario_find(const char *name);
/* name, or the default scenario when name is NULL; err names an unknown one. */
const sim_scenario *sim_scenario_lookup(const char *name, char *err, size_t errlen);
size_t sim_scenario_count(void);
const sim_scenario *sim_scenario_at(size_t i);
#define SCENARIO_DEFAULT "rsa"

#endif
