#include "sim/scenario.h"

#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const uint16_t rsa_cbc[] = {0x002F};
static const uint16_t rsa_gcm[] = {0x009C};
static const uint16_t rsa_sha256[] = {0x003D};
/* The client's usual list: it offers several, the server picks. */
static const uint16_t client_all[] = {0x009C, 0x009D, 0x003D, 0x003C, 0x0035, 0x002F};

/* clang-format off */
static const sim_scenario scenarios[] = {
	{"rsa", "RSA key exchange, AES-128-CBC with HMAC-SHA1 (TLS_RSA_WITH_AES_128_CBC_SHA)",
	 client_all, N(client_all), rsa_cbc, N(rsa_cbc), "server.crt", "server.key", NULL,
	 "server.tlsstep.test", NULL},
	{"rsa-gcm", "RSA key exchange, AES-128-GCM (TLS_RSA_WITH_AES_128_GCM_SHA256): an AEAD suite",
	 client_all, N(client_all), rsa_gcm, N(rsa_gcm), "server.crt", "server.key", NULL,
	 "server.tlsstep.test", NULL},
	{"rsa-sha256", "RSA key exchange, AES-256-CBC with HMAC-SHA256 (TLS_RSA_WITH_AES_256_CBC_SHA256)",
	 client_all, N(client_all), rsa_sha256, N(rsa_sha256), "server.crt", "server.key", NULL,
	 "server.tlsstep.test", NULL},
	{"untrusted-ca", "the server's certificate is signed by a CA the client does not trust: unknown_ca",
	 client_all, N(client_all), rsa_cbc, N(rsa_cbc), "untrusted.crt", "untrusted.key", "rogue-ca.crt",
	 "server.tlsstep.test", NULL},
	{"expired", "the server's certificate expired in 2021: certificate_expired",
	 client_all, N(client_all), rsa_cbc, N(rsa_cbc), "expired.crt", "expired.key", NULL,
	 "server.tlsstep.test", NULL},
	{"wrong-name", "the certificate names another host than the one the client asked for: bad_certificate",
	 client_all, N(client_all), rsa_cbc, N(rsa_cbc), "wrong-name.crt", "wrong-name.key", NULL,
	 "server.tlsstep.test", NULL},
	{"no-common-suite", "the client offers only AES-GCM, the server accepts only AES-CBC: handshake_failure",
	 rsa_gcm, N(rsa_gcm), rsa_cbc, N(rsa_cbc), "server.crt", "server.key", NULL,
	 "server.tlsstep.test", NULL},
};
/* clang-format on */

size_t scenario_count(void)
{
	return N(scenarios);
}

const sim_scenario *scenario_at(size_t i)
{
	return i < N(scenarios) ? &scenarios[i] : NULL;
}

const sim_scenario *scenario_find(const char *name)
{
	for (size_t i = 0; i < N(scenarios); i++)
		if (!strcmp(scenarios[i].name, name))
			return &scenarios[i];
	return NULL;
}
