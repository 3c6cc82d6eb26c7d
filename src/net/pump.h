/* One connection's engine and the model it fills, with the socket at
 * arm's length: bytes from the peer go in with pump_feed, records for the
 * peer come out with pump_take (each one filed in the model as it leaves),
 * and whoever owns the socket writes them, blocking (connect) or from an
 * event loop (serve). */
#ifndef NET_PUMP_H
#define NET_PUMP_H

#include "model/model.h"
#include "model/observe.h"
#include "tls/bytes.h"
#include "tls/conn.h"

/* serve: the page a browser gets for its own handshake, made by a view the
 * command layer installs (net knows no views). 0 with *out (malloc'd) and
 * *len, or -1: then the plain-text summary goes out instead. */
typedef int (*pump_page_fn)(const model *m, char **out, size_t *len);

typedef struct {
	int fd;
	tls_conn *c;
	model *m;
	observer *obs;
	tls_buf in; /* bytes from the peer not yet a whole record */
	int is_server;
	int peer_closed;
	pump_page_fn page; /* NULL: the plain-text summary */
} pump;

/* 0, or -1 when out of memory (then only pump_free may follow). */
int pump_init(pump *p, int fd, tls_conn *c, model *m, int is_server);
void pump_free(pump *p);
/* Moves every record the engine has for the peer to out, filing each. */
int pump_take(pump *p, tls_buf *out);
/* Bytes received from the peer: every whole record goes to the engine. */
/* -1 when out of memory. */
TLS_MUST_USE int pump_feed(pump *p, const uint8_t *in, size_t n);
/* serve: a GET gets a page about the handshake (HEAD its headers);
 * anything else is echoed. */
void pump_http_answer(pump *p, const uint8_t *req, size_t n);
/* Writes the model's outcome once the connection is over; handshake_ok is
 * whether the handshake was established. err gets a line on failure. */
void pump_outcome(pump *p, int handshake_ok, char *err, size_t errlen);

#endif
