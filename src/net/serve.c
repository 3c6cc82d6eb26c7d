#define _GNU_SOURCE /* accept4 */
#include "net/serve.h"

#include "net/pump.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* Where a connection is: the handshake; waiting for the request that
 * follows it; closing (our last records going out, the peer's close_notify
 * or end of stream coming in). */
enum phase { PH_HANDSHAKE, PH_REQUEST, PH_CLOSING };

#define CLOSING_MS 2000 /* how long to wait for the peer to close after us */

struct live {
	pump p;
	tls_rng rng;
	uint8_t req[4096]; /* the request, once it came */
	size_t req_len;
};

typedef struct {
	uint64_t n;
	char peer[64];
	int fd;
	model *m;
	tls_conn *c;
	struct live *e; /* with the first bytes: the rest of a handshake's state */
	tls_buf out;    /* records filed and not yet written */
	size_t out_off;
	enum phase ph;
	int64_t deadline; /* ms, monotonic */
	int shut;         /* our side of the stream is closed */
	int peer_closed;  /* and the peer's */
	int ok;           /* the handshake was established */
	char err[256];
} conn;

struct net_server {
	net_serve_cfg cfg;
	conn **open; /* oldest first */
	size_t n_open;
	struct pollfd *pfd;
	uint64_t accepted;
	int64_t accept_paused_until; /* out of file descriptors: try again later */
};

static int64_t now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

int net_serve_new(net_server **out, const net_serve_cfg *cfg)
{
	net_server *s = calloc(1, sizeof *s);
	if (!s)
		return -1;
	s->cfg = *cfg;
	if (!s->cfg.max_conns)
		s->cfg.max_conns = NET_SERVE_MAX_CONNS;
	s->open = calloc(s->cfg.max_conns, sizeof *s->open);
	s->pfd = calloc(s->cfg.max_conns + 1, sizeof *s->pfd);
	if (!s->open || !s->pfd) {
		net_serve_free(s);
		return -1;
	}
	fcntl(cfg->lfd, F_SETFL, fcntl(cfg->lfd, F_GETFL) | O_NONBLOCK);
	*out = s;
	return 0;
}

static void finish(net_server *s, size_t i)
{
	conn *k = s->open[i];
	model *m = k->m; /* now the caller's */
	int resumed = k->c && k->ok && tls_conn_knowledge(k->c)->resumed;
	if (k->c) {
		pump_outcome(&k->e->p, k->ok, k->err, sizeof k->err);
		pump_free(&k->e->p);
		tls_conn_free(k->c);
		tls_rng_free(&k->e->rng);
	} else if (m || (m = calloc(1, sizeof *m)) != NULL) { /* it never said a word */
		if (!k->m)
			model_init(m, "serve");
		m->outcome = MODEL_INCOMPLETE;
	}
	free(k->e);
	close(k->fd);
	tls_buf_free(&k->out);
	net_served d = {k->n, k->peer, m, k->ok, resumed, k->err};
	memmove(s->open + i, s->open + i + 1, (s->n_open - i - 1) * sizeof *s->open);
	s->n_open--;
	if (s->cfg.done && m) {
		s->cfg.done(s->cfg.ctx, &d);
	} else if (m) {
		model_free(m);
		free(m);
	}
	free(k);
}

static void peer_name(const struct sockaddr_storage *ss, char *out, size_t n)
{
	const void *a = ss->ss_family == AF_INET6
	                    ? (const void *)&((const struct sockaddr_in6 *)ss)->sin6_addr
	                    : (const void *)&((const struct sockaddr_in *)ss)->sin_addr;
	if (!inet_ntop(ss->ss_family, a, out, (socklen_t)n))
		snprintf(out, n, "?");
}

/* A client beyond the cap hears why in the only words TLS has before a
 * hello: a fatal internal_error alert. */
static void refuse(net_server *s, int fd, const char *peer)
{
	static const uint8_t alert[] = {21, 3, 3, 0, 2, 2, 80};
	ssize_t w = send(fd, alert, sizeof alert, MSG_NOSIGNAL | MSG_DONTWAIT);
	(void)w;
	close(fd);
	if (s->cfg.refused)
		s->cfg.refused(s->cfg.ctx, peer, s->n_open);
}

static void admit(net_server *s, int fd, const char *peer)
{
	conn *k = calloc(1, sizeof *k);
	if (!k) {
		close(fd);
		return;
	}
	k->n = s->accepted++;
	snprintf(k->peer, sizeof k->peer, "%s", peer);
	k->fd = fd;
	k->ph = PH_HANDSHAKE;
	k->deadline = now_ms() + (int64_t)s->cfg.handshake_s * 1000;
	s->open[s->n_open++] = k;
}

/* The engine and the model come with the client's first bytes: a browser's
 * speculative connection, or a thousand idle ones, cost a socket and this
 * small record, not the 120 KB a handshake in progress takes. */
static int start(net_server *s, conn *k)
{
	k->m = calloc(1, sizeof *k->m);
	k->e = calloc(1, sizeof *k->e);
	if (!k->m || !k->e)
		return -1;
	model_init(k->m, "serve");
	if (s->cfg.make(s->cfg.ctx, k->n, &k->e->rng, &k->c, k->m)) {
		k->c = NULL;
		snprintf(k->err, sizeof k->err, "could not set up the connection");
		return -1;
	}
	if (pump_init(&k->e->p, k->fd, k->c, k->m, 1)) {
		tls_conn_free(k->c);
		tls_rng_free(&k->e->rng);
		k->c = NULL;
		snprintf(k->err, sizeof k->err, "out of memory");
		return -1;
	}
	k->e->p.page = s->cfg.page;
	tls_conn_start(k->c);
	return 0;
}

static void accept_some(net_server *s)
{
	for (int i = 0; i < 64; i++) {
		if (s->cfg.max_accept && s->accepted >= s->cfg.max_accept)
			return;
		struct sockaddr_storage ss;
		socklen_t l = sizeof ss;
		int fd = accept4(s->cfg.lfd, (struct sockaddr *)&ss, &l, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
				s->accept_paused_until = now_ms() + 100;
			return;
		}
		char peer[64];
		peer_name(&ss, peer, sizeof peer);
		if (s->n_open >= s->cfg.max_conns)
			refuse(s, fd, peer);
		else
			admit(s, fd, peer);
	}
}

/* Writes what it can without waiting. -1 when the peer is gone. */
static int write_out(conn *k)
{
	if (k->c && pump_take(&k->e->p, &k->out))
		return -1;
	while (k->out_off < k->out.len) {
		ssize_t w = send(k->fd, k->out.p + k->out_off, k->out.len - k->out_off, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (w <= 0)
			return -1;
		k->out_off += (size_t)w;
	}
	tls_buf_clear(&k->out);
	k->out_off = 0;
	if (k->ph == PH_CLOSING && !k->shut) {
		shutdown(k->fd, SHUT_WR);
		k->shut = 1;
	}
	return 0;
}

/* The handshake is over (or the request came, or the wait for it ended):
 * answer, then say close_notify. */
static void start_closing(conn *k)
{
	if (k->c && k->ph == PH_REQUEST && tls_conn_status(k->c) != TLS_FAILED)
		pump_http_answer(&k->e->p, k->e->req, k->e->req_len);
	if (k->c && tls_conn_status(k->c) != TLS_FAILED)
		tls_conn_close(k->c);
	k->ph = PH_CLOSING;
	k->deadline = now_ms() + CLOSING_MS;
}

/* After input or a write: what the engine's state means for the phase. */
static void advance(net_server *s, conn *k)
{
	if (!k->c)
		return;
	if (k->ph == PH_HANDSHAKE && tls_conn_status(k->c) != TLS_HANDSHAKING) {
		k->ok = tls_conn_handshake_done(k->c);
		if (k->ok) {
			k->ph = PH_REQUEST;
			k->deadline = now_ms() + (int64_t)s->cfg.idle_s * 1000;
		} else {
			k->ph = PH_CLOSING; /* the alert we owe goes out, then we close */
			k->deadline = now_ms() + CLOSING_MS;
		}
	}
	if (k->ph == PH_REQUEST) {
		k->e->req_len = tls_conn_take_app(k->c, k->e->req, sizeof k->e->req);
		if (k->e->req_len || tls_conn_status(k->c) != TLS_ESTABLISHED || k->peer_closed)
			start_closing(k);
	}
}

/* Reads what is there. 1 when the connection is over. */
static int read_in(net_server *s, conn *k)
{
	uint8_t buf[16384];
	for (;;) {
		ssize_t r = recv(k->fd, buf, sizeof buf, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (r <= 0) {
			k->peer_closed = 1;
			if (k->ph == PH_HANDSHAKE)
				snprintf(k->err, sizeof k->err,
				         "the peer closed the connection in the middle of "
				         "the handshake");
			return k->ph != PH_REQUEST;
		}
		/* Once we have closed, input only counts for the record (a
		 * close_notify); a failed engine takes nothing more. */
		if (!k->c && start(s, k))
			return 1;
		if (tls_conn_status(k->c) != TLS_FAILED && pump_feed(&k->e->p, buf, (size_t)r)) {
			snprintf(k->err, sizeof k->err, "out of memory");
			return 1;
		}
		if ((size_t)r < sizeof buf)
			return 0;
	}
}

static void expire(net_server *s, conn *k, int64_t now)
{
	if (now < k->deadline)
		return;
	if (k->ph == PH_HANDSHAKE) {
		snprintf(k->err, sizeof k->err, "the handshake did not finish within %d seconds (--timeout)",
		         s->cfg.handshake_s);
		k->ph = PH_CLOSING;
		k->deadline = now; /* nothing to say: the client said too little */
	} else if (k->ph == PH_REQUEST) {
		start_closing(k); /* no request: fine, close politely */
	}
}

/* The poll() timeout: the caller's, or sooner when a deadline falls due. */
static int next_wait(const net_server *s, int timeout_ms, int64_t now)
{
	int64_t w = timeout_ms;
	for (size_t i = 0; i < s->n_open; i++) {
		int64_t d = s->open[i]->deadline - now;
		if (d < w)
			w = d < 0 ? 0 : d;
	}
	if (s->accept_paused_until > now && s->accept_paused_until - now < w)
		w = s->accept_paused_until - now;
	return (int)w;
}

int net_serve_step(net_server *s, int timeout_ms)
{
	int64_t now = now_ms();
	size_t np = 0, base;
	int listening =
	    (!s->cfg.max_accept || s->accepted < s->cfg.max_accept) && now >= s->accept_paused_until;
	if (listening)
		s->pfd[np++] = (struct pollfd){s->cfg.lfd, POLLIN, 0};
	base = np;
	for (size_t i = 0; i < s->n_open; i++) {
		conn *k = s->open[i];
		short ev = POLLIN;
		if (k->out_off < k->out.len)
			ev |= POLLOUT;
		s->pfd[np++] = (struct pollfd){k->fd, ev, 0};
	}
	int rc = poll(s->pfd, (nfds_t)np, next_wait(s, timeout_ms, now));
	if (rc < 0)
		return -1;
	size_t n_before = s->n_open;
	int finished = 0;
	now = now_ms();
	/* Walk backwards: finishing one moves the ones after it. */
	for (size_t i = n_before; i-- > 0;) {
		conn *k = s->open[i];
		short re = s->pfd[base + i].revents;
		int over = 0;
		if (re & (POLLIN | POLLHUP | POLLERR))
			over = read_in(s, k);
		advance(s, k);
		expire(s, k, now);
		if (write_out(k))
			over = 1;
		advance(s, k);
		if (!over && write_out(k))
			over = 1;
		if (k->ph == PH_CLOSING && (now >= k->deadline || (k->shut && k->peer_closed)))
			over = 1;
		if (over) {
			finish(s, i);
			finished++;
		}
	}
	if (listening && (s->pfd[0].revents & POLLIN))
		accept_some(s);
	return finished;
}

size_t net_serve_open(const net_server *s, net_open_conn *out, size_t cap)
{
	size_t n = s->n_open < cap ? s->n_open : cap;
	for (size_t i = 0; i < n; i++) {
		const conn *k = s->open[i];
		out[i] = (net_open_conn){k->n, k->peer, k->m, k->ph != PH_HANDSHAKE && k->ok};
	}
	return n;
}

size_t net_serve_count(const net_server *s)
{
	return s->n_open;
}

uint64_t net_serve_accepted(const net_server *s)
{
	return s->accepted;
}

void net_serve_free(net_server *s)
{
	if (!s)
		return;
	while (s->n_open) {
		conn *k = s->open[s->n_open - 1];
		if (!k->err[0])
			snprintf(k->err, sizeof k->err, "the server stopped");
		finish(s, s->n_open - 1);
	}
	free(s->open);
	free(s->pfd);
	free(s);
}
