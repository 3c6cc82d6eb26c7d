/* Live connections: pumps the sans-I/O engine over a TCP socket and files
 * every record into the same model a simulation builds. This is the only
 * place (with the CLI) that touches sockets. */
#ifndef NET_NET_H
#define NET_NET_H

#include "model/model.h"
#include "tls/conn.h"

#include <stddef.h>
#include <stdint.h>

typedef struct {
	int timeout_s;          /* bounded wait for the peer, per read */
	const char *servername; /* connect: name to check and send as SNI */
	int is_server;
	int http;               /* serve: answer an HTTP request with a page */
	int want_ticket;        /* connect --sess-out: in TLS 1.3, wait (at most timeout_s) for
	                         * the server's NewSessionTickets before closing */
} net_options;

/* Connects to host:port. Returns a socket or -1 with err set. */
int net_dial(const char *host, const char *port, int timeout_s, char *err, size_t errlen);
/* Listens on addr:port (port "0" = ephemeral); *bound gets the port. */
int net_listen(const char *addr, const char *port, int *bound, char *err, size_t errlen);
/* Waits up to timeout_s for a client. */
int net_accept(int lfd, int timeout_s, char *peer, size_t peerlen, char *err, size_t errlen);

/* Runs a handshake on fd with the engine c (already created, client or
 * server), filling m. After the handshake the server answers one request
 * (opts->http) and both sides send close_notify. Returns 0 when the
 * handshake was established; err says why not. */
int net_run(int fd, tls_conn *c, model *m, const net_options *o, char *err, size_t errlen);

#endif
