#include "net/net.h"

#include "net/pump.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>

static int wait_fd(int fd, short ev, int timeout_s)
{
	struct pollfd p = {fd, ev, 0};
	int rc;
	do
		rc = poll(&p, 1, timeout_s * 1000);
	while (rc < 0 && errno == EINTR);
	return rc;
}

int net_dial(const char *host, const char *port, int timeout_s, char *err, size_t errlen)
{
	struct addrinfo hints = {0}, *res, *ai;
	hints.ai_socktype = SOCK_STREAM;
	int rc = getaddrinfo(host, port, &hints, &res);
	if (rc) {
		snprintf(err, errlen, "cannot resolve %s: %s", host, gai_strerror(rc));
		return -1;
	}
	int fd = -1;
	snprintf(err, errlen, "cannot connect to %s:%s", host, port);
	for (ai = res; ai && fd < 0; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK, ai->ai_protocol);
		if (fd < 0)
			continue;
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		int soerr = errno;
		if (soerr == EINPROGRESS && wait_fd(fd, POLLOUT, timeout_s) > 0) {
			socklen_t l = sizeof soerr;
			getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &l);
			if (soerr == 0)
				break;
		} else if (soerr == EINPROGRESS) {
			soerr = ETIMEDOUT;
		}
		snprintf(err, errlen, "cannot connect to %s:%s: %s", host, port, strerror(soerr));
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd >= 0)
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
}

int net_listen(const char *addr, const char *port, int *bound, char *err, size_t errlen)
{
	struct addrinfo hints = {0}, *res;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST;
	int rc = getaddrinfo(addr, port, &hints, &res);
	if (rc) {
		snprintf(err, errlen, "cannot listen on %s port %s: %s", addr, port, gai_strerror(rc));
		return -1;
	}
	int fd = socket(res->ai_family, SOCK_STREAM, 0), one = 1;
	if (fd >= 0)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (fd < 0 || bind(fd, res->ai_addr, res->ai_addrlen) || listen(fd, SOMAXCONN)) {
		snprintf(err, errlen, "cannot listen on %s port %s: %s", addr, port, strerror(errno));
		if (fd >= 0)
			close(fd);
		freeaddrinfo(res);
		return -1;
	}
	freeaddrinfo(res);
	struct sockaddr_storage ss;
	socklen_t l = sizeof ss;
	getsockname(fd, (struct sockaddr *)&ss, &l);
	*bound = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
						: ((struct sockaddr_in *)&ss)->sin_port);
	return fd;
}

int net_accept(int lfd, int timeout_s, char *peer, size_t peerlen, char *err, size_t errlen)
{
	if (timeout_s > 0 && wait_fd(lfd, POLLIN, timeout_s) <= 0) {
		snprintf(err, errlen, "no client connected within %d seconds", timeout_s);
		return -1;
	}
	struct sockaddr_storage ss;
	socklen_t l = sizeof ss;
	int fd = accept(lfd, (struct sockaddr *)&ss, &l);
	if (fd < 0) {
		snprintf(err, errlen, "accept failed: %s", strerror(errno));
		return -1;
	}
	char host[64] = "?";
	void *a = ss.ss_family == AF_INET6 ? (void *)&((struct sockaddr_in6 *)&ss)->sin6_addr
					   : (void *)&((struct sockaddr_in *)&ss)->sin_addr;
	inet_ntop(ss.ss_family, a, host, sizeof host);
	snprintf(peer, peerlen, "%s", host);
	return fd;
}

/* ---- connect: the pump over a blocking socket ---------------------- */

static int flush_out(pump *p)
{
	tls_buf out = {0};
	int rc = pump_take(p, &out);
	for (size_t off = 0; rc == 0 && off < out.len;) {
		ssize_t w = send(p->fd, out.p + off, out.len - off, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			rc = -1;
		else
			off += (size_t)w;
	}
	tls_buf_free(&out);
	return rc;
}

static int read_some(pump *p, int timeout_ms, char *err, size_t errlen)
{
	uint8_t buf[16384];
	struct pollfd pf = {p->fd, POLLIN, 0};
	int w;
	do
		w = poll(&pf, 1, timeout_ms);
	while (w < 0 && errno == EINTR);
	if (w == 0) {
		snprintf(err, errlen, "the peer sent nothing for %d seconds (timeout)",
		         (timeout_ms + 999) / 1000);
		return -1;
	}
	ssize_t r = recv(p->fd, buf, sizeof buf, 0);
	if (r < 0 && errno == EINTR)
		return 0;
	if (r <= 0) {
		p->peer_closed = 1;
		snprintf(err, errlen, "the peer closed the connection %s",
			 tls_conn_status(p->c) == TLS_HANDSHAKING ? "in the middle of the handshake"
								     : "");
		return -1;
	}
	if (pump_feed(p, buf, (size_t)r)) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

static int handshake(pump *p, const net_options *o, char *err, size_t errlen)
{
	tls_conn_start(p->c);
	while (tls_conn_status(p->c) == TLS_HANDSHAKING) {
		if (flush_out(p) || read_some(p, o->timeout_s * 1000, err, errlen))
			break;
	}
	flush_out(p);
	return tls_conn_handshake_done(p->c) ? 0 : -1;
}

static int has_ticket(const tls_conn *c)
{
	tls_session s;
	int rc = tls_conn_session(c, &s) == 0;
	tls_session_wipe(&s);
	return rc;
}

/* TLS 1.3 sends tickets after the handshake (4.6.1), and a client that
 * closes at once never reads them: wait for one, then for the rest of the
 * server's burst (openssl sends two), so the last one is kept. */
static void await_tickets(pump *p, int timeout_s)
{
	char e[128];
	if (!tls_conn_knowledge(p->c)->tls13.active)
		return;
	for (int i = 0; i < 64 && !has_ticket(p->c); i++)
		if (tls_conn_status(p->c) != TLS_ESTABLISHED || read_some(p, timeout_s * 1000, e, sizeof e))
			return;
	for (int i = 0; i < 16 && tls_conn_status(p->c) == TLS_ESTABLISHED; i++)
		if (read_some(p, 250, e, sizeof e))
			return;
}

static void after(pump *p, const net_options *o)
{
	char e[128];
	if (!o->is_server && o->want_ticket)
		await_tickets(p, o->timeout_s);
	if (o->is_server && o->http) {
		uint8_t req[4096];
		size_t n = tls_conn_take_app(p->c, req, sizeof req);
		/* Wait briefly for a request; a client that sends nothing is fine. */
		while (n == 0 && tls_conn_status(p->c) == TLS_ESTABLISHED && !p->peer_closed &&
		       read_some(p, 2000, e, sizeof e) == 0)
			n = tls_conn_take_app(p->c, req, sizeof req);
		pump_http_answer(p, req, n);
	}
	tls_conn_close(p->c);
	flush_out(p);
	shutdown(p->fd, SHUT_WR);
	/* Read the peer's close_notify, if it sends one, for the record. */
	for (int i = 0; i < 64 && !p->peer_closed && tls_conn_status(p->c) != TLS_FAILED; i++)
		if (read_some(p, 1000, e, sizeof e))
			break;
}

int net_run(int fd, tls_conn *c, model *m, const net_options *o, char *err, size_t errlen)
{
	pump p;
	if (pump_init(&p, fd, c, m, o->is_server)) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	err[0] = 0;
	int rc = handshake(&p, o, err, errlen);
	if (rc == 0)
		after(&p, o);
	pump_outcome(&p, rc == 0, err, errlen);
	pump_free(&p);
	return rc;
}
