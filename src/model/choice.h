/* What the client offered and what the server chose from it, read from the
 * two hellos in the model: the versions (supported_versions, or the legacy
 * version field when a hello has none), the suite and, in TLS 1.3, the
 * key share's group. A live connection's view says from this why the
 * server answered as it did (lessons/live-choice.md, the JSON "choice"). */
#ifndef MODEL_CHOICE_H
#define MODEL_CHOICE_H

#include "model/model.h"

#include <stddef.h>
#include <stdint.h>

typedef struct {
	int has_client_hello, has_server_hello;
	/* the ClientHello: versions from supported_versions when it has one
	 * (client_sv), else its legacy version alone */
	int client_sv;
	uint16_t versions[8];
	size_t n_versions;
	size_t n_suites;       /* cipher suites offered (GREASE left out) */
	uint16_t groups[32];   /* supported_groups */
	size_t n_groups;
	uint16_t shares[8];    /* groups of its key_share entries */
	size_t n_shares;
	/* the ServerHello (the real one, after any HelloRetryRequest) */
	int server_sv;         /* the version came from supported_versions */
	uint16_t version;      /* the version chosen */
	uint16_t suite;
	size_t suite_rank;     /* 1 = the client's first suite (GREASE left out); 0 = not in its list */
	int downgrade;         /* random ends in DOWNGRD 01 or 00 (RFC 8446 4.1.3) */
} model_choice;

/* Fills c from the model's hellos: 1 when there is a ClientHello, else 0. */
int model_choice_read(const model *m, model_choice *c);
/* "TLS 1.3 and TLS 1.2" (a hello's list in its order). */
void model_choice_versions(const model_choice *c, char *out, size_t n);
/* "x25519, secp256r1, ffdhe2048" (supported_groups or key shares). */
void model_choice_groups(const uint16_t *g, size_t k, char *out, size_t n);

#endif
