/* serve: many clients at once in one thread. One poll() loop drives every
 * connection's sans-I/O engine, so a silent, slow or hostile client never
 * delays another: each has its own deadline for the whole handshake and an
 * idle limit after it, and the number open at once is capped (a client
 * beyond the cap gets a fatal internal_error alert and is closed). */
#ifndef NET_SERVE_H
#define NET_SERVE_H

#include "model/model.h"
#include "net/pump.h"
#include "tls/conn.h"
#include "tls/rng.h"

#include <stddef.h>
#include <stdint.h>

#define NET_SERVE_MAX_CONNS 1024 /* a lecture hall */

/* A connection that is over: its model (now the callee's to free) and how it went. */
typedef struct {
	uint64_t n; /* 0 for the first client accepted */
	const char *peer;
	model *m;
	int ok;      /* the handshake was established */
	int resumed; /* ... as an abbreviated handshake */
	const char *err;
} net_served;

/* A connection still open, for a live list. */
typedef struct {
	uint64_t n;
	const char *peer;
	const model *m; /* NULL until the client's first bytes */
	int established;
} net_open_conn;

typedef struct {
	int lfd;             /* listening socket */
	size_t max_conns;    /* 0 = NET_SERVE_MAX_CONNS */
	uint64_t max_accept; /* stop accepting after this many (0 = no limit) */
	int handshake_s;     /* the whole handshake, from accept to Finished */
	int idle_s;          /* after the handshake: waiting for a request */
	/* Makes the engine for the n-th client; rng lives as long as it. */
	int (*make)(void *ctx, uint64_t n, tls_rng *rng, tls_conn **c, model *m);
	void (*done)(void *ctx, const net_served *s);
	void (*refused)(void *ctx, const char *peer, size_t open);
	void *ctx;
	pump_page_fn page; /* what a browser's GET gets; NULL: a text summary */
} net_serve_cfg;

typedef struct net_server net_server;

int net_serve_new(net_server **out, const net_serve_cfg *cfg);
/* One round: waits up to timeout_ms for something to do, then accepts,
 * reads, writes and expires. Returns the number of connections finished,
 * or -1 when poll failed (EINTR included: a signal wants attention). */
int net_serve_step(net_server *s, int timeout_ms);
/* Connections open now, oldest first. */
size_t net_serve_open(const net_server *s, net_open_conn *out, size_t cap);
size_t net_serve_count(const net_server *s);
uint64_t net_serve_accepted(const net_server *s);
/* Closes every open connection (each reported through done, as incomplete). */
void net_serve_free(net_server *s);

#endif
