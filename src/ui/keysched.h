/* The TLS 1.3 key schedule view: HKDF-Extract and Derive-Secret as a tree
 * with the real values (RFC 8446 7.1), the label and the transcript hash
 * each derivation took, and the traffic keys and IVs expanded from each
 * traffic secret (7.3). Only what a side knows after the step is shown.
 * Pure text: the TUI's derivation pane and --plain both print these lines. */
#ifndef UI_KEYSCHED_H
#define UI_KEYSCHED_H

#include "ui/layout.h"

/* 1 when the step has a key schedule to show (TLS 1.3, a secret known). */
int layout_keysched_has(const model *m, int step);
/* The values a TLS 1.3 key schedule starts from, as every view lists
 * them before the schedule's secrets. */
typedef struct {
	enum model_secret i;
	const char *label;
} lt_basic13;
extern const lt_basic13 lt_basic13_rows[3];

/* Rows of the knowledge pane for TLS 1.3, as text13 prints them: the
 * randoms and the (EC)DHE shared secret, then every schedule secret either
 * side holds after the step under its RFC 8446 name (a TLS 1.2 row such as
 * "master secret" or "client write MAC key" means something else or
 * nothing in 1.3). Returns the count, at most max. */
int layout_knowledge13(const model *m, int step, lt_know *rows, int max);
/* The tree as lines of at most width columns (hex wrapped); the count. */
int layout_keysched(const model *m, int step, int width, lt_lines *out);

#endif
