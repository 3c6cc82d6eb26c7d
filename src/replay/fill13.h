/* TLS 1.3 records of a replayed connection into its model, opened with
 * the key log's traffic secrets (tls13.h). Internal to src/replay. */
#ifndef REPLAY_FILL13_H
#define REPLAY_FILL13_H

#include "replay/conn.h"

void replay_fill13_start(replay_conn *c);
void replay_fill13_free(replay_conn *c);
/* A record in the clear (the hellos): read by the 1.3 tracker. */
void replay_fill13_plain(replay_conn *c, int dir, const uint8_t *w, size_t n);
/* A protected 1.3 record: filed and, when the key log opens it, its
 * messages decrypted into the model. Returns 0 when it is not one (the
 * caller files it), else the step it went to (-1: not filed). */
int replay_fill13_record(replay_conn *c, int dir, const uint8_t *w, size_t n);
/* The key schedule below the logged secrets into the model (sched13.c). */
void replay_fill13_sched(replay_conn *c);
/* The connection's summary: list fields and notes. */
void replay_fill13_finish(replay_conn *c);

#endif
