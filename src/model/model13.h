/* TLS 1.3 in the model: its step titles, the secrets of its key schedule
 * under their RFC 8446 names, and the step from which each side may know
 * each of them (the "after step N" rule of knowledge.h, for TLS 1.3).
 *
 * TLS 1.3 (RFC 8446) keeps the six steps but fills them differently: the
 * client sends its key share in the ClientHello, the server answers with
 * its own and everything after the ServerHello is encrypted. The secrets
 * come from the HKDF key schedule (RFC 8446 7.1); the model keeps the
 * schedule the engines ran (its trace has every value, label and transcript
 * hash) and, per step and side, which of its secrets that side knows. */
#ifndef MODEL_MODEL13_H
#define MODEL_MODEL13_H

#include "model/model.h"

#include <stddef.h>

typedef struct {
	const char *name;  /* RFC 8446 name, as tls13_sched's trace and --json spell it */
	const char *label; /* for people: "client handshake traffic secret" */
	int step;          /* the first step after which either side may know it */
} model13_secret;

/* The secrets a 1.3 schedule can hold, in schedule order. */
size_t model13_count(void);
const model13_secret *model13_at(size_t i);
/* Index of a secret by name, -1 when the schedule has no such secret. */
int model13_index(const char *name);
/* Step titles of a TLS 1.3 handshake (RFC 8446 2: one round trip). */
const char *model13_step_title(int n);
/* The same in a word or two, for a narrow timeline. */
const char *model13_short_title(int n);
/* The step titles of TLS 1.3 (tls13 != 0) or of the older versions. */
void model13_titles(model *m, int tls13);
/* Marks the model TLS 1.3: its titles, version and t13.active. */
void model_set_tls13(model *m);
/* 1 when the model holds a TLS 1.3 handshake. */
int model_is_tls13(const model *m);
/* The last value of that name in the model's schedule, NULL when none. */
const tls13_step *model13_value(const model *m, const char *name);
/* Whether a side's column holds that secret (by name). */
int model13_known(const model_side *s, const char *name);
/* Sets a column's bits from a schedule: every secret the schedule holds. */
void model13_mark(model_side *s, const tls13_sched *sc);
/* The messages the transcript hash of a derivation covers, in words:
 * "ClientHello..ServerHello" for "c hs traffic", "" for no messages (the
 * "derived" steps: the hash of the empty string); NULL when its context is
 * no transcript hash. */
const char *model13_covers(const tls13_step *t);
/* The HelloRetryRequest's special ServerHello.random (RFC 8446 4.1.3). */
extern const uint8_t model13_hrr_random[32];

#endif
