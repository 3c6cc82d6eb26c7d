/* From a replayed connection's records to its finished model: what the
 * simulator gets from its two engines (keys, knowledge per step, outcome)
 * a replay must reconstruct from the key log, the server key and the
 * records themselves. Internal to src/replay. */
#ifndef REPLAY_MODEL_FILL_H
#define REPLAY_MODEL_FILL_H

#include "replay/conn.h"

/* Files one whole record through the observer, then learns what it can. */
void replay_fill_record(replay_conn *c, int dir, const uint8_t *wire, size_t n);
/* Secrets, outcome, reached steps and the connection's summary. */
void replay_fill_finish(replay_conn *c);

#endif
