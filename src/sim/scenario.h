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
	/* TLS 1.3 (RFC 8446): both sides offer and accept it */
	int tls13;
	const uint16_t *suites13;  /* both sides' 1.3 suites, NULL = the engine's three */
	size_t n_suites13;
	const uint16_t *server_groups; /* the server's group preference, NULL = the engine's */
	size_t n_server_groups;
	int compat;              /* middlebox compatibility mode (RFC 8446 D.4) */
	int tickets;             /* NewSessionTickets the server sends */
	uint16_t server_version; /* the server is held to this version (0 = as the client) */
	/* the tamper offset counts in the step's decrypted messages, and the
	 * record is sealed again with the sender's keys: an attacker who could
	 * change what is inside the encryption (tlsstep can, it holds the keys) */
	int tamper_inside;
	/* the client's signature_algorithms, NULL = the engine's (RSA PKCS#1
	 * for TLS 1.2, which an ECDSA certificate cannot sign with) */
	const uint16_t *client_sig_algs;
	size_t n_client_sig_algs;
} sim_scenario;

const sim_scenario *sim_scenario_find(const char *name);
/* name, or the default scenario when name is NULL; err names an unknown one. */
const sim_scenario *sim_scenario_lookup(const char *name, char *err, size_t errlen);
size_t sim_scenario_count(void);
const sim_scenario *sim_scenario_at(size_t i);
/* The TLS 1.3 scenario a --tls 1.3 run without --scenario shows. */
#define SCENARIO_DEFAULT13 "tls13"
#define SCENARIO_DEFAULT "rsa"

#endif
