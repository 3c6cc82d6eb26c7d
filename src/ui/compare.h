/* tlsstep compare: a TLS 1.2 and a TLS 1.3 handshake from the same seed,
 * step against step. Reads two models; says which messages exist in one
 * and not the other, what is encrypted where, how many round trips the
 * client waits before it may send data, and where the keys come from. */
#ifndef UI_COMPARE_H
#define UI_COMPARE_H

#include "model/model.h"

#include <stdio.h>

/* What the comparison counts in one model. */
typedef struct {
	int round_trips;        /* server flights up to the one with the server's Finished */
	int first_encrypted;    /* first step with an encrypted handshake message, 0 none */
	size_t handshake_bytes; /* records of steps 1..6 */
	size_t messages;        /* handshake messages of steps 1..6 */
} compare_facts;

void compare_count(const model *m, compare_facts *f);
/* Names of the handshake messages (steps 1..6) in a but not in b, comma
 * separated, into out; "" when none. */
void compare_only_in(const model *a, const model *b, char *out, size_t n);
void compare_plain(FILE *f, const model *a, const model *b);
void compare_json(FILE *f, const model *a, const model *b);

#endif
