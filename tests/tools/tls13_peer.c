/* The TLS 1.3 engine on a real socket, for interop tests only
 * (tests/e2e/tls13_interop.sh): a client or a server on 127.0.0.1 that
 * prints one line per handshake, writes the NSS key log of its TLS 1.3
 * secrets, and keeps a ticket session in a file between runs.
 *
 *   tls13_peer client PORT [options]    connect, send a request, read
 *   tls13_peer server [options]         listen on an ephemeral port
 *
 * Options: --suite ID, --group ID (repeatable, preference order),
 * --shares N, --compat, --ca FILE, --cert FILE --key FILE, --mutual
 * (server: ask for a client certificate), --keylog FILE, --sess-out FILE,
 * --sess-in FILE, --tickets N, --accept N, --servername NAME, --max12
 * (offer/accept TLS 1.2 only). Randomness comes from getrandom. Every wait
 * is bounded (alarm). */
#include "app/pki.h"
#include "tls/conn.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

typedef struct {
	int server, port, shares, compat, mutual, tickets, accept_n, max12;
	uint16_t suites[3], groups[3];
	size_t n_suites, n_groups;
	const char *ca, *cert, *key, *keylog, *sess_out, *sess_in, *servername;
} opts;

static void die(const char *what)
{
	fprintf(stderr, "tls13_peer: %s\n", what);
	exit(2);
}

static void parse(int argc, char **argv, opts *o)
{
	memset(o, 0, sizeof *o);
	o->accept_n = 1;
	o->servername = "localhost";
	if (argc < 2)
		die("usage: tls13_peer client PORT | server [options]");
	o->server = !strcmp(argv[1], "server");
	int i = 2;
	if (!o->server) {
		if (argc < 3)
			die("client needs a port");
		o->port = atoi(argv[2]);
		i = 3;
	}
	for (; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		int takes = 1;
		if (!strcmp(a, "--suite") && v && o->n_suites < 3)
			o->suites[o->n_suites++] = (uint16_t)strtoul(v, NULL, 0);
		else if (!strcmp(a, "--group") && v && o->n_groups < 3)
			o->groups[o->n_groups++] = (uint16_t)strtoul(v, NULL, 0);
		else if (!strcmp(a, "--shares") && v)
			o->shares = atoi(v);
		else if (!strcmp(a, "--tickets") && v)
			o->tickets = atoi(v);
		else if (!strcmp(a, "--accept") && v)
			o->accept_n = atoi(v);
		else if (!strcmp(a, "--ca") && v)
			o->ca = v;
		else if (!strcmp(a, "--cert") && v)
			o->cert = v;
		else if (!strcmp(a, "--key") && v)
			o->key = v;
		else if (!strcmp(a, "--keylog") && v)
			o->keylog = v;
		else if (!strcmp(a, "--sess-out") && v)
			o->sess_out = v;
		else if (!strcmp(a, "--sess-in") && v)
			o->sess_in = v;
		else if (!strcmp(a, "--servername") && v)
			o->servername = v;
		else {
			takes = 0;
			if (!strcmp(a, "--compat"))
				o->compat = 1;
			else if (!strcmp(a, "--mutual"))
				o->mutual = 1;
			else if (!strcmp(a, "--max12"))
				o->max12 = 1;
			else
				die("unknown option");
		}
		i += takes;
	}
}

static void hex(FILE *f, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%02x", p[i]);
}

static void keylog(const opts *o, const tls_knowledge *k)
{
	if (!o->keylog || !k->tls13.active)
		return;
	FILE *f = fopen(o->keylog, "a");
	if (!f)
		die("cannot write the key log");
	const tls13_sched *s = &k->tls13.sched;
	const struct {
		const char *label;
		const uint8_t *v;
	} rows[] = {{"CLIENT_HANDSHAKE_TRAFFIC_SECRET", s->client_hs},
	            {"SERVER_HANDSHAKE_TRAFFIC_SECRET", s->server_hs},
	            {"CLIENT_TRAFFIC_SECRET_0", s->client_ap},
	            {"SERVER_TRAFFIC_SECRET_0", s->server_ap},
	            {"EXPORTER_SECRET", s->exporter}};
	for (size_t i = 0; i < 5; i++) {
		fprintf(f, "%s ", rows[i].label);
		hex(f, k->client_random, 32);
		fputc(' ', f);
		hex(f, rows[i].v, s->hash_len);
		fputc('\n', f);
	}
	fclose(f);
}

static int flush(int fd, tls_conn *c)
{
	const uint8_t *p;
	size_t n;
	while ((n = tls_conn_output(c, &p)) > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w <= 0)
			return -1;
		tls_conn_consume(c, (size_t)w);
	}
	return 0;
}

/* Reads what arrives within ms milliseconds (or until the peer closes). */
static int read_some(int fd, tls_conn *c, int ms)
{
	struct pollfd pf = {fd, POLLIN, 0};
	uint8_t buf[16384];
	if (poll(&pf, 1, ms) <= 0)
		return 0;
	ssize_t r = recv(fd, buf, sizeof buf, 0);
	if (r <= 0)
		return -1;
	tls_conn_recv(c, buf, (size_t)r);
	return 1;
}

static int handshake(int fd, tls_conn *c)
{
	while (tls_conn_status(c) == TLS_HANDSHAKING) {
		if (flush(fd, c) || read_some(fd, c, 10000) <= 0)
			break;
	}
	flush(fd, c);
	return tls_conn_handshake_done(c) && tls_conn_status(c) == TLS_ESTABLISHED ? 0 : -1;
}

static void report(const char *who, tls_conn *c)
{
	const tls_knowledge *k = tls_conn_knowledge(c);
	if (!tls_conn_handshake_done(c)) {
		printf("%s failed: %s (alert sent %d, received %d)\n", who, tls_conn_error(c),
		       tls_conn_alert_sent(c), tls_conn_alert_received(c, NULL));
		return;
	}
	printf("%s established version=0x%04x suite=0x%04x group=0x%04x hrr=%d psk=%d compat=%d cv=0x%04x "
	       "client_cert=%d\n",
	       who, k->version, k->suite ? k->suite->id : 0, k->named_group, k->tls13.hrr,
	       k->tls13.psk_accepted, k->tls13.compat, k->tls13.cert_verify_alg,
	       k->client_cert_checked && !k->client_cert_status);
}

static void base_config(const opts *o, tls_config *cfg, tls_rng *rng, tls_creds *own, tls_creds *ca)
{
	uint8_t e[48];
	char err[256];
	if (getrandom(e, sizeof e, 0) != (ssize_t)sizeof e || tls_rng_from_entropy(rng, e, sizeof e))
		die("no randomness");
	memset(cfg, 0, sizeof *cfg);
	cfg->rng = rng;
	cfg->now = (int64_t)time(NULL);
	cfg->max_version = o->max12 ? 0 : 0x0304;
	static const uint16_t suites12[] = {0xC02F, 0xC030, 0x009C};
	cfg->suites = suites12;
	cfg->n_suites = 3;
	if (o->n_suites) {
		cfg->suites13 = o->suites;
		cfg->n_suites13 = o->n_suites;
	}
	if (o->n_groups) {
		cfg->groups = o->groups;
		cfg->n_groups = o->n_groups;
	}
	cfg->n_key_shares = (size_t)o->shares;
	cfg->middlebox_compat = o->compat;
	if (o->cert && (app_pki_add_chain(own, o->cert, err, sizeof err) ||
	                app_pki_load_key(own, o->key, err, sizeof err)))
		die(err);
	if (o->ca && app_pki_load_anchors(ca, o->ca, err, sizeof err))
		die(err);
	if (o->cert) {
		cfg->chain_der = own->chain_der;
		cfg->chain_len = own->chain_len;
		cfg->chain_n = own->chain_n;
		cfg->key = &own->key;
	}
}

static int run_client(const opts *o)
{
	tls_config cfg;
	tls_rng rng;
	tls_creds own = {0}, ca = {0};
	tls_session resume = {0};
	base_config(o, &cfg, &rng, &own, &ca);
	cfg.server_name = o->servername;
	cfg.anchors = ca.anchors;
	cfg.n_anchors = ca.n_anchors;
	cfg.insecure = !o->ca;
	if (o->sess_in) {
		FILE *f = fopen(o->sess_in, "rb");
		if (!f || fread(&resume, sizeof resume, 1, f) != 1)
			die("cannot read the session file");
		fclose(f);
		cfg.resume = &resume;
	}
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)o->port)};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a))
		die("cannot connect");
	tls_conn *c;
	if (tls_conn_new(&c, &cfg) || tls_conn_start(c))
		die("cannot start");
	int rc = handshake(fd, c);
	report("client", c);
	keylog(o, tls_conn_knowledge(c));
	if (!rc) {
		static const char req[] = "GET / HTTP/1.0\r\n\r\n";
		uint8_t got[4096];
		size_t total = 0;
		if (tls_conn_send_app(c, (const uint8_t *)req, sizeof req - 1) == 0)
			flush(fd, c);
		/* answers and tickets, until the peer closes or goes quiet */
		while (read_some(fd, c, 1500) > 0 && tls_conn_status(c) == TLS_ESTABLISHED) {
			flush(fd, c);
			total += tls_conn_take_app(c, got, sizeof got);
		}
		total += tls_conn_take_app(c, got, sizeof got);
		printf("client read %zu bytes of application data\n", total);
		tls_session s;
		if (o->sess_out && tls_conn_session(c, &s) == 0) {
			FILE *f = fopen(o->sess_out, "wb");
			if (!f || fwrite(&s, sizeof s, 1, f) != 1)
				die("cannot write the session file");
			fclose(f);
			printf("client kept a ticket of %zu bytes\n", s.ticket_len);
		}
		tls_conn_close(c);
		flush(fd, c);
	}
	tls_conn_free(c);
	close(fd);
	tls_creds_free(&own);
	tls_creds_free(&ca);
	tls_rng_free(&rng);
	return rc ? 1 : 0;
}

static int run_server(const opts *o)
{
	tls_config cfg;
	tls_rng rng;
	tls_creds own = {0}, ca = {0};
	tls_session cache = {0};
	base_config(o, &cfg, &rng, &own, &ca);
	cfg.is_server = 1;
	cfg.session_cache = &cache;
	cfg.tickets = o->tickets;
	cfg.request_client_cert = o->mutual;
	cfg.client_anchors = ca.anchors;
	cfg.n_client_anchors = ca.n_anchors;
	int ls = socket(AF_INET, SOCK_STREAM, 0), one = 1, failed = 0;
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t al = sizeof a;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (ls < 0 || bind(ls, (struct sockaddr *)&a, sizeof a) || listen(ls, 4) ||
	    getsockname(ls, (struct sockaddr *)&a, &al))
		die("cannot listen");
	fprintf(stderr, "listening on port %d\n", ntohs(a.sin_port));
	for (int i = 0; i < o->accept_n; i++) {
		int fd = accept(ls, NULL, NULL);
		tls_conn *c;
		if (fd < 0 || tls_conn_new(&c, &cfg))
			die("accept");
		int rc = handshake(fd, c);
		report("server", c);
		keylog(o, tls_conn_knowledge(c));
		if (!rc) {
			static const char hello[] = "hello from tlsstep\n";
			uint8_t got[4096];
			size_t total = 0;
			if (tls_conn_send_app(c, (const uint8_t *)hello, sizeof hello - 1) == 0)
				flush(fd, c);
			while (read_some(fd, c, 1500) > 0 && tls_conn_status(c) == TLS_ESTABLISHED) {
				flush(fd, c);
				total += tls_conn_take_app(c, got, sizeof got);
			}
			total += tls_conn_take_app(c, got, sizeof got);
			printf("server read %zu bytes of application data\n", total);
			tls_conn_close(c);
			flush(fd, c);
		}
		failed |= rc;
		fflush(stdout);
		tls_conn_free(c);
		close(fd);
	}
	close(ls);
	tls_session_wipe(&cache);
	tls_creds_free(&own);
	tls_creds_free(&ca);
	tls_rng_free(&rng);
	return failed ? 1 : 0;
}

int main(int argc, char **argv)
{
	opts o;
	parse(argc, argv, &o);
	setvbuf(stdout, NULL, _IOLBF, 0);
	alarm(30);
	return o.server ? run_server(&o) : run_client(&o);
}
