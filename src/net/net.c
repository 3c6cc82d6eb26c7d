#include "net/net.h"

#include "model/knowledge.h"
#include "model/observe.h"
#include "tls/msg.h"

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
	if (fd < 0 || bind(fd, res->ai_addr, res->ai_addrlen) || listen(fd, 8)) {
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

/* ---- the pump ------------------------------------------------------- */

typedef struct {
	int fd;
	tls_conn *c;
	model *m;
	observer *obs;
	tls_buf in; /* bytes from the peer not yet a whole record */
	int is_server;
	int peer_closed;
} pump;

static void snapshot(pump *p, int step)
{
	model_side *mine = p->is_server ? &p->m->steps[step].server : &p->m->steps[step].client;
	knowledge_snapshot(mine, tls_conn_knowledge(p->c));
	p->m->steps[step].reached = 1;
	knowledge_merge_secrets(p->m, tls_conn_knowledge(p->c));
	if (!obs_has_master(p->obs) && tls_conn_knowledge(p->c)->has_master)
		obs_set_master(p->obs, tls_conn_knowledge(p->c)->master);
}

/* An alert belongs to the step in progress; after the handshake, to the
 * secure channel. */
static int alert_step(pump *p)
{
	return tls_conn_handshake_done(p->c) ? MODEL_LAST_STEP : obs_last_step(p->obs);
}

static int flush_out(pump *p)
{
	size_t n;
	const uint8_t *rec;
	while ((n = tls_conn_next_record(p->c)) > 0) {
		tls_conn_output(p->c, &rec);
		int alert = rec[0] == TLS_CT_ALERT;
		int step = obs_record(p->obs, p->is_server, rec, n, alert ? alert_step(p) : 0);
		size_t off = 0;
		while (off < n) {
			ssize_t w = send(p->fd, rec + off, n - off, MSG_NOSIGNAL);
			if (w <= 0) {
				if (w < 0 && errno == EINTR)
					continue;
				return -1;
			}
			off += (size_t)w;
		}
		tls_conn_consume(p->c, n);
		if (step > 0)
			snapshot(p, step);
	}
	return 0;
}

/* Feeds every whole record received so far to the observer and the engine. */
static void feed(pump *p)
{
	while (p->in.len >= 5) {
		size_t n = 5 + (size_t)((p->in.p[3] << 8) | p->in.p[4]);
		/* A header the engine will refuse anyway (unknown type, not TLS,
		 * longer than any record may be) goes to it now: waiting for a body
		 * that may never come would turn an alert into a timeout. */
		int bad_header = p->in.p[0] < 20 || p->in.p[0] > 23 || p->in.p[1] != 3 ||
				 n > 5 + tls_conn_record_limit(p->c);
		if (bad_header || n > p->in.len) {
			if (bad_header) /* let the engine name the problem */
				tls_conn_recv(p->c, p->in.p, p->in.len), tls_buf_clear(&p->in);
			return;
		}
		int alert = p->in.p[0] == TLS_CT_ALERT;
		int step = obs_record(p->obs, !p->is_server, p->in.p, n, alert ? alert_step(p) : 0);
		tls_conn_recv(p->c, p->in.p, n);
		tls_buf_consume(&p->in, n);
		if (step > 0)
			snapshot(p, step);
		if (tls_conn_status(p->c) == TLS_FAILED)
			return;
	}
}

static int read_some(pump *p, int timeout_s, char *err, size_t errlen)
{
	uint8_t buf[16384];
	int w = wait_fd(p->fd, POLLIN, timeout_s);
	if (w == 0) {
		snprintf(err, errlen, "the peer sent nothing for %d seconds (timeout)", timeout_s);
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
	tls_buf_put(&p->in, buf, (size_t)r);
	feed(p);
	return 0;
}

/* serve: a GET gets a page about the handshake; anything else is echoed. */
static void http_answer(pump *p, const uint8_t *req, size_t n)
{
	char body[2048], ms[97] = "", resp[2600];
	const model *m = p->m;
	if (m->secrets[MS_MASTER].known)
		tls_hex(ms, m->secrets[MS_MASTER].v, 48);
	int bl = snprintf(body, sizeof body,
			  "tlsstep served your TLS 1.2 handshake.\n\ncipher suite: %s (0x%04X)\n"
			  "server name you asked for: %s\nmaster secret: %s\n"
			  "\nRun tlsstep serve --plain to see every byte of it.\n",
			  m->suite, m->suite_id, m->server_name[0] ? m->server_name : "(none)", ms);
	if (n >= 4 && (!memcmp(req, "GET ", 4) || !memcmp(req, "HEAD", 4))) {
		int rl = snprintf(resp, sizeof resp,
				  "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n"
				  "Connection: close\r\n\r\n%s",
				  bl, body);
		tls_conn_send_app(p->c, (const uint8_t *)resp, (size_t)rl);
	} else if (n) {
		tls_conn_send_app(p->c, req, n);
	}
}

static int handshake(pump *p, const net_options *o, char *err, size_t errlen)
{
	tls_conn_start(p->c);
	while (tls_conn_status(p->c) == TLS_HANDSHAKING) {
		if (flush_out(p) || read_some(p, o->timeout_s, err, errlen))
			break;
	}
	flush_out(p);
	return tls_conn_handshake_done(p->c) ? 0 : -1;
}

static void after(pump *p, const net_options *o)
{
	char e[128];
	if (o->is_server && o->http) {
		uint8_t req[4096];
		size_t n = tls_conn_take_app(p->c, req, sizeof req);
		/* Wait briefly for a request; a client that sends nothing is fine. */
		while (n == 0 && tls_conn_status(p->c) == TLS_ESTABLISHED && !p->peer_closed &&
		       read_some(p, 2, e, sizeof e) == 0)
			n = tls_conn_take_app(p->c, req, sizeof req);
		http_answer(p, req, n);
	}
	tls_conn_close(p->c);
	flush_out(p);
	shutdown(p->fd, SHUT_WR);
	/* Read the peer's close_notify, if it sends one, for the record. */
	for (int i = 0; i < 64 && !p->peer_closed && tls_conn_status(p->c) != TLS_FAILED; i++)
		if (read_some(p, 1, e, sizeof e))
			break;
}

int net_run(int fd, tls_conn *c, model *m, const net_options *o, char *err, size_t errlen)
{
	pump p = {0};
	p.fd = fd;
	p.c = c;
	p.m = m;
	p.is_server = o->is_server;
	p.obs = obs_new(m);
	if (!p.obs) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	err[0] = 0;
	int rc = handshake(&p, o, err, errlen);
	int step = obs_last_step(p.obs);
	if (rc == 0) {
		m->outcome = MODEL_ESTABLISHED;
		if (tls_conn_knowledge(c)->resumed)
			knowledge_resume_notes(m);
		after(&p, o);
		/* An alert after the handshake (a bad record, say) is still news. */
		if (tls_conn_alert_sent(c) >= 0 && !m->alert.present) {
			knowledge_outcome(m, c, o->is_server, MODEL_LAST_STEP);
			m->outcome = MODEL_ESTABLISHED;
		}
	} else if (knowledge_outcome(m, c, o->is_server, step)) {
		snprintf(err, errlen, "%s", tls_conn_error(c));
	} else {
		int lvl, recv = tls_conn_alert_received(c, &lvl);
		if (recv >= 0) {
			m->outcome = MODEL_ALERT;
			m->alert.present = 1;
			m->alert.by_server = !o->is_server;
			m->alert.level = lvl;
			m->alert.desc = recv;
			m->alert.step = step;
			snprintf(m->alert.reason, sizeof m->alert.reason, "sent by the peer");
			snprintf(err, errlen, "%s", tls_conn_error(c));
		} else {
			m->outcome = MODEL_INCOMPLETE;
			if (!err[0])
				snprintf(err, errlen, "the handshake did not complete");
		}
	}
	knowledge_infer_peer(m, !o->is_server);
	tls_buf_free(&p.in);
	obs_free(p.obs);
	return rc;
}
