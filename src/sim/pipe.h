/* The in-memory wire between the simulated client and server: two queues
 * of whole records, one per direction. Nothing else connects the sides. */
#ifndef SIM_PIPE_H
#define SIM_PIPE_H

#include "tls/bytes.h"

#include <stddef.h>

#define PIPE_C2S 0
#define PIPE_S2C 1

typedef struct {
	tls_buf q[2]; /* concatenated records, oldest first */
} sim_pipe;

TLS_MUST_USE int sim_pipe_push(sim_pipe *p, int dir, const uint8_t *rec, size_t n);
/* The oldest whole record in a direction: its length, 0 if none. */
size_t sim_pipe_peek(sim_pipe *p, int dir, uint8_t **rec);
void sim_pipe_pop(sim_pipe *p, int dir);
void sim_pipe_free(sim_pipe *p);

#endif
