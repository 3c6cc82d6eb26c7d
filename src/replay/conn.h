/* One TCP connection of a replay: direction bookkeeping, reassembly of both
 * directions, cutting the streams into TLS records and feeding them, in
 * capture order, to the observer that builds the connection's model.
 * Internal to src/replay. */
#ifndef REPLAY_CONN_H
#define REPLAY_CONN_H

#include "replay/packet.h"
#include "replay/reasm.h"
#include "replay/replay.h"
#include "model/observe.h"
#include "replay/tls13.h"

/* Records filed per connection; past this they are counted, not kept, so a
 * long-lived connection cannot grow the model without bound. */
#define CONN_MAX_RECORDS 256
#define CONN_MAX_CHANNEL_RECORDS 32 /* of those, in the secure channel */

enum conn_state {
	CS_WAIT,    /* no ClientHello yet */
	CS_TLS,     /* a TLS connection being followed */
	CS_IGNORED, /* TLS, but not the one asked for */
	CS_NOT_TLS,
	CS_DONE, /* handed over; waits for its FIN/RST to be forgotten */
};

typedef struct replay_conn replay_conn;

typedef struct {
	const replay_options *opt;
	replay_stats *st;
	int stop;        /* the connection asked for was handed over */
} replay_ctx;

typedef struct {
	replay_conn *c;
	int dir;
} conn_dir_ctx;

struct replay_conn {
	replay_conn *next; /* hash chain */
	replay_ctx *ctx;
	int family;
	replay_endpoint ep[2]; /* [0] client, [1] server; a guess until SYN or ClientHello */
	int syn[2], fin[2], rst;
	uint32_t fin_seq[2]; /* where each stream ended, to spot a lost tail */
	enum conn_state state;
	double last_ts;
	reasm rs[2];
	tls_buf rec[2]; /* bytes of records not yet whole */
	int dead[2];    /* direction no longer read (gap, not TLS, cap) */
	conn_dir_ctx dc[2];
	replay_conn_info info;
	model *m;
	observer *obs;
	replay_t13 *t13; /* what the key log opens of a TLS 1.3 connection */
	size_t filed, channel, not_filed;
};

replay_conn *replay_conn_new(replay_ctx *ctx, const replay_seg *s);
/* Which side sent s: 0 client, 1 server (by the current guess). */
int replay_conn_dir(const replay_conn *c, const replay_seg *s);
int replay_conn_matches(const replay_conn *c, const replay_seg *s);
void replay_conn_segment(replay_conn *c, const replay_seg *s, double ts);
/* Ends the connection: flushes reassembly, hands the model over. */
void replay_conn_finish(replay_conn *c);
void replay_conn_free(replay_conn *c);
/* Adds a note to the connection (gaps, caps, missing keys). */
void replay_conn_note(replay_conn *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Both sides sent FIN, or one RST: nothing more will come. */
int replay_conn_closed(const replay_conn *c);

#endif
