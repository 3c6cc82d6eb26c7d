/* tlsstep connect / serve: the engine against a real peer over TCP. */
#include "app/cli.h"
#include "app/files.h"
#include "app/pki.h"
#include "net/choices.h"
#include "net/net.h"
#include "tls/alert.h"
#include "tls/conn.h"
#include "tls/suites.h"
#include "ui/picker.h"
#include "ui/tui.h"
#include "ui/views.h"

#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>

enum {
	O_CA = 256, O_INSECURE, O_SERVERNAME, O_TIMEOUT, O_PLAIN, O_JSON, O_SEED, O_TIME, O_CERT, O_KEY,
	O_CIPHER, O_KEEP, O_BIND, O_DATA_DIR, O_HELP, O_CLIENT_CA,
};

static const struct option opts[] = {
	{"ca", required_argument, 0, O_CA}, {"insecure", no_argument, 0, O_INSECURE},
	{"servername", required_argument, 0, O_SERVERNAME}, {"timeout", required_argument, 0, O_TIMEOUT},
	{"plain", no_argument, 0, O_PLAIN}, {"json", no_argument, 0, O_JSON},
	{"seed", required_argument, 0, O_SEED}, {"time", required_argument, 0, O_TIME},
	{"cert", required_argument, 0, O_CERT}, {"key", required_argument, 0, O_KEY},
	{"cipher", required_argument, 0, O_CIPHER}, {"keep-serving", no_argument, 0, O_KEEP},
	{"bind", required_argument, 0, O_BIND}, {"data-dir", required_argument, 0, O_DATA_DIR},
	{"help", no_argument, 0, O_HELP}, {"client-ca", required_argument, 0, O_CLIENT_CA}, {0, 0, 0, 0},
};

typedef struct {
	const char *ca, *servername, *cert, *key, *bind, *client_ca;
	int insecure, timeout, keep, has_seed;
	uint64_t seed;
	int64_t now;
	enum out_mode mode;
	uint16_t suites[16];
	size_t n_suites;
	const char *target; /* HOST:PORT or PORT */
} net_cli;

static const char connect_help[] =
	"Usage: tlsstep connect HOST:PORT [OPTIONS]\n"
	"Runs tlsstep's client against a real TLS 1.2 server and shows the handshake.\n"
	"  --ca FILE            trusted CA certificates (PEM); default: the system's CA bundle\n"
	"  --insecure           do not verify the server's certificate (said loudly)\n"
	"  --servername NAME    name to check and send as SNI (default: HOST)\n"
	"  --cipher NAME        offer only this suite (IANA or OpenSSL name)\n"
	"  --cert FILE --key FILE   a client certificate, for a server that asks for one\n"
	"  --timeout SECONDS    give up on a silent server (default 10)\n"
	"  --seed N             deterministic randomness (for tests)\n"
	"  --time ISO8601       clock for certificate validity (default: now)\n"
	"  --plain | --json     output format\n";

static const char serve_help[] =
	"Usage: tlsstep serve PORT [OPTIONS]\n"
	"Runs tlsstep's server for a real TLS 1.2 client (curl, openssl s_client, a browser).\n"
	"  --cert FILE --key FILE   certificate chain and RSA key (default: the classroom server)\n"
	"  --cipher NAME        accept only this suite\n"
	"  --client-ca FILE     ask the client for a certificate issued by these CAs (PEM)\n"
	"  --bind ADDR          address to listen on (default 127.0.0.1)\n"
	"  --keep-serving       accept connections one after another until interrupted\n"
	"  --timeout SECONDS    give up on a silent client (default 10)\n"
	"  --seed N             deterministic randomness (for tests)\n"
	"  --plain | --json     output format\n"
	"PORT 0 picks a free port; the port is printed on stderr.\n";

static int add_cipher(net_cli *c, const char *name)
{
	const tls_suite *s = tls_suite_by_name(name);
	if (!s)
		return usage_error("unknown or unsupported cipher suite '%s'", name);
	if (c->n_suites < 16)
		c->suites[c->n_suites++] = s->id;
	return 0;
}

static int parse(int argc, char **argv, net_cli *c, const char *help)
{
	int o;
	uint64_t v;
	memset(c, 0, sizeof *c);
	c->timeout = 10;
	c->bind = "127.0.0.1";
	optind = 1;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (o) {
		case O_CA: c->ca = optarg; break;
		case O_INSECURE: c->insecure = 1; break;
		case O_SERVERNAME: c->servername = optarg; break;
		case O_TIMEOUT:
			if (parse_u64(optarg, &v) || v < 1 || v > 3600)
				return usage_error("--timeout needs seconds from 1 to 3600, not '%s'", optarg);
			c->timeout = (int)v;
			break;
		case O_PLAIN: c->mode = OUT_PLAIN; break;
		case O_JSON: c->mode = OUT_JSON; break;
		case O_SEED:
			if (parse_u64(optarg, &v))
				return usage_error("--seed needs a non-negative number, not '%s'", optarg);
			c->seed = v;
			c->has_seed = 1;
			break;
		case O_TIME:
			if (tls_parse_iso8601(optarg, &c->now) || c->now <= 0)
				return usage_error("--time needs a date like 2026-01-01T00:00:00Z, not '%s'", optarg);
			break;
		case O_CERT: c->cert = optarg; break;
		case O_KEY: c->key = optarg; break;
		case O_CLIENT_CA: c->client_ca = optarg; break;
		case O_CIPHER:
			if (add_cipher(c, optarg))
				return EXIT_USAGE;
			break;
		case O_KEEP: c->keep = 1; break;
		case O_BIND: c->bind = optarg; break;
		case O_DATA_DIR: data_dir_set(optarg); break;
		case 'h':
		case O_HELP: fputs(help, stdout); exit(0);
		case ':': return usage_error("option %s needs a value", argv[optind - 1]);
		default: return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind + 1 != argc)
		return usage_error(optind < argc ? "one target expected, got '%s' too" : "missing %s",
				   optind < argc ? argv[optind + 1] : (help == serve_help ? "PORT" : "HOST:PORT"));
	c->target = argv[optind];
	c->mode = out_mode_resolve(c->mode);
	return 0;
}

static int make_rng(tls_rng *r, const net_cli *c, const char *label)
{
	if (c->has_seed)
		return tls_rng_seed(r, c->seed, label);
	uint8_t e[32];
	if (getrandom(e, sizeof e, 0) != (ssize_t)sizeof e)
		return -1;
	return tls_rng_from_entropy(r, e, sizeof e);
}

static void show(const model *m, enum out_mode mode)
{
	if (mode == OUT_TUI) {
		tui_options t = {0};
		t.view = m;
		tui_run(&t);
		return;
	}
	if (mode == OUT_JSON) {
		json_model(stdout, m);
	} else {
		text_header(stdout, m);
		for (int i = 1; i <= MODEL_LAST_STEP; i++)
			if (m->steps[i].reached)
				text_step(stdout, m, i);
		text_summary(stdout, m);
	}
	fflush(stdout);
}

/* Every suite tlsstep implements. Forward secrecy first (ECDHE, then DHE),
 * AEAD before CBC within each, RSA key exchange last. */
static const uint16_t default_suites[] = {
	0xC02B, 0xC02C, 0xC023, 0xC024, 0xC009, 0xC00A, /* ECDHE_ECDSA (the client's; serve has an RSA key) */
	0xC02F, 0xC030, 0xC027, 0xC028, 0xC013, 0xC014, /* ECDHE_RSA */
	0x009E, 0x009F, 0x0067, 0x0033,                 /* DHE_RSA */
	0x009C, 0x009D, 0x003D, 0x003C, 0x0035, 0x002F, /* RSA */
};

/* What connect offers in signature_algorithms, as browsers order them:
 * ECDSA and RSA-PSS first, PKCS#1 v1.5 after. No SHA-1 (rsa_pkcs1_sha1,
 * ecdsa_sha1): browsers refuse it, so a server must not sign with it. */
static const uint16_t connect_sig_algs[] = {
	0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0603, 0x0806, 0x0601,
};

/* The system's trusted roots (Debian's ca-certificates, then other
 * distributions' usual places). */
static const char *system_bundle(void)
{
	static const char *const paths[] = {
		"/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/cert.pem",
	};
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
		if (access(paths[i], R_OK) == 0)
			return paths[i];
	return NULL;
}

/* What the user most likely needs to know beside the alert itself. */
static const char *failure_hint(const model *m, const net_cli *c)
{
	if (!m->alert.present)
		return "";
	if (m->alert.by_server && m->alert.desc == TLS_ALERT_PROTOCOL_VERSION && m->alert.step <= 2)
		return " (the server does not speak TLS 1.2: it probably accepts TLS 1.3 only)";
	if (!c->ca && !c->insecure && !m->alert.by_server && m->alert.desc == TLS_ALERT_UNKNOWN_CA)
		return " (the system CAs do not know this issuer; a classroom server needs --ca assets/ca.crt)";
	return "";
}

static int split_target(const char *t, char *host, size_t hn, char *port, size_t pn)
{
	const char *colon = strrchr(t, ':');
	if (!colon || colon == t || !colon[1])
		return -1;
	const char *h = t;
	size_t len = (size_t)(colon - t);
	if (t[0] == '[' && colon[-1] == ']') {
		h = t + 1;
		len -= 2;
	}
	if (len >= hn)
		return -1;
	memcpy(host, h, len);
	host[len] = 0;
	snprintf(port, pn, "%s", colon + 1);
	return 0;
}

int cmd_connect(int argc, char **argv)
{
	net_cli c;
	char host[256], port[16], err[512];
	int rc = parse(argc, argv, &c, connect_help);
	if (rc)
		return rc;
	if (split_target(c.target, host, sizeof host, port, sizeof port))
		return usage_error("connect needs HOST:PORT, not '%s'", c.target);
	pki p = {0};
	if ((c.cert == NULL) != (c.key == NULL))
		return usage_error("--cert and --key go together");
	if (c.cert && (pki_add_chain(&p, c.cert, err, sizeof err) || pki_load_key(&p, c.key, err, sizeof err))) {
		fprintf(stderr, "tlsstep: %s\n", err);
		pki_free(&p);
		return 1;
	}
	if (!c.insecure) {
		const char *ca = c.ca ? c.ca : system_bundle();
		if (!ca) {
			fprintf(stderr, "tlsstep: no system CA bundle found (install ca-certificates); "
					"give --ca FILE or --insecure\n");
			return 1;
		}
		if (pki_load_anchors(&p, ca, err, sizeof err)) {
			fprintf(stderr, "tlsstep: %s\n", err);
			return 1;
		}
	}
	tls_rng rng;
	if (make_rng(&rng, &c, "client")) {
		fprintf(stderr, "tlsstep: cannot seed the random generator\n");
		pki_free(&p);
		return 1;
	}
	uint8_t ip[16];
	int is_ip = inet_pton(AF_INET, host, ip) == 1 || inet_pton(AF_INET6, host, ip) == 1;
	tls_config cfg = {0};
	cfg.rng = &rng;
	cfg.now = c.now ? c.now : (int64_t)time(NULL);
	cfg.suites = c.n_suites ? c.suites : default_suites;
	cfg.n_suites = c.n_suites ? c.n_suites : sizeof default_suites / sizeof default_suites[0];
	cfg.server_name = c.servername ? c.servername : host;
	(void)is_ip;
	cfg.anchors = p.anchors;
	cfg.n_anchors = p.n_anchors;
	cfg.insecure = c.insecure;
	cfg.ems = 1; /* as real clients do */
	cfg.etm = 1;
	cfg.sig_algs = connect_sig_algs;
	cfg.n_sig_algs = sizeof connect_sig_algs / sizeof connect_sig_algs[0];
	cfg.chain_der = p.chain_der;
	cfg.chain_len = p.chain_len;
	cfg.chain_n = p.chain_n;
	cfg.key = p.has_key ? &p.key : NULL;
	if (c.insecure)
		fprintf(stderr, "tlsstep: WARNING: --insecure: the server's certificate will NOT be verified\n");
	model m;
	model_init(&m, "connect");
	m.seed = c.seed;
	m.has_seed = c.has_seed;
	int fd = net_dial(host, port, c.timeout, err, sizeof err);
	rc = 1;
	if (fd < 0) {
		fprintf(stderr, "tlsstep: %s\n", err);
	} else {
		tls_conn *conn = NULL;
		net_options no = {c.timeout, cfg.server_name, 0, 0};
		if (tls_conn_new(&conn, &cfg) == 0) {
			rc = net_run(fd, conn, &m, &no, err, sizeof err) ? 1 : 0;
			net_mark_server_choices(&m, tls_conn_knowledge(conn));
			show(&m, c.mode);
			if (rc)
				fprintf(stderr, "tlsstep: handshake failed: %s%s\n", err, failure_hint(&m, &c));
		}
		tls_conn_free(conn);
		close(fd);
	}
	model_free(&m);
	tls_rng_free(&rng);
	pki_free(&p);
	return rc;
}

/* Accepts one client and runs its handshake into m (initialised here; the
 * caller frees it). peer gets the client's address. */
static int serve_conn(int lfd, const net_cli *c, const pki *p, uint64_t n, model *m, char *peer,
		      size_t peerlen, tls_session *cache)
{
	char err[512];
	model_init(m, "serve");
	int fd = net_accept(lfd, c->keep ? 0 : c->timeout * 6, peer, peerlen, err, sizeof err);
	if (fd < 0) {
		if (c->mode != OUT_TUI)
			fprintf(stderr, "tlsstep: %s\n", err);
		return 1;
	}
	tls_rng rng;
	net_cli cc = *c;
	cc.seed = c->seed + n;
	if (make_rng(&rng, &cc, "server")) {
		close(fd);
		return 1;
	}
	tls_config cfg = {0};
	cfg.is_server = 1;
	cfg.rng = &rng;
	cfg.now = c->now ? c->now : (int64_t)time(NULL);
	cfg.suites = c->n_suites ? c->suites : default_suites;
	cfg.n_suites = c->n_suites ? c->n_suites : sizeof default_suites / sizeof default_suites[0];
	cfg.chain_der = p->chain_der;
	cfg.chain_len = p->chain_len;
	cfg.chain_n = p->chain_n;
	cfg.key = &p->key;
	cfg.ems = 1;
	cfg.etm = 1;
	cfg.request_client_cert = c->client_ca != NULL;
	cfg.client_anchors = p->anchors;
	cfg.n_client_anchors = p->n_anchors;
	cfg.session_cache = cache; /* the last full handshake can be resumed */
	m->seed = cc.seed;
	m->has_seed = c->has_seed;
	tls_conn *conn = NULL;
	int rc = 1;
	net_options no = {c->timeout, NULL, 1, 1};
	if (tls_conn_new(&conn, &cfg) == 0) {
		rc = net_run(fd, conn, m, &no, err, sizeof err) ? 1 : 0;
		if (rc && c->mode != OUT_TUI)
			fprintf(stderr, "tlsstep: handshake with %s failed: %s\n", peer, err);
	}
	tls_conn_free(conn);
	close(fd);
	tls_rng_free(&rng);
	return rc;
}

static int serve_one(int lfd, const net_cli *c, const pki *p, uint64_t n, tls_session *cache)
{
	model m;
	char peer[64];
	int rc = serve_conn(lfd, c, p, n, &m, peer, sizeof peer, cache);
	if (m.current > 0)
		show(&m, c->mode);
	model_free(&m);
	return rc;
}

/* --keep-serving on a terminal: the connections so far, newest first; Enter
 * opens one in the step-through view, q in the list stops the server. New
 * clients are served while the list is on screen. */
#define SERVE_KEEP 32
typedef struct {
	int lfd;
	const net_cli *c;
	const pki *p;
	uint64_t n;
	model *m[SERVE_KEEP];
	char label[SERVE_KEEP][160];
	const char *lines[SERVE_KEEP];
	size_t count;
	tls_session *cache;
} serve_list;

static const char *const *serve_lines(void *ctx, size_t *n)
{
	serve_list *s = ctx;
	for (size_t i = 0; i < s->count; i++)
		s->lines[i] = s->label[i];
	*n = s->count;
	return s->lines;
}

static int serve_idle(void *ctx)
{
	serve_list *s = ctx;
	struct pollfd pf = {s->lfd, POLLIN, 0};
	if (poll(&pf, 1, 0) <= 0)
		return 0;
	model *m = calloc(1, sizeof *m);
	char peer[64] = "?";
	if (!m)
		return 0;
	serve_conn(s->lfd, s->c, s->p, s->n, m, peer, sizeof peer, s->cache);
	if (s->count == SERVE_KEEP) { /* forget the oldest */
		model_free(s->m[SERVE_KEEP - 1]);
		free(s->m[SERVE_KEEP - 1]);
		s->count--;
	}
	memmove(s->m + 1, s->m, s->count * sizeof s->m[0]);
	memmove(s->label + 1, s->label, s->count * sizeof s->label[0]);
	s->m[0] = m;
	s->count++;
	const char *nm = m->alert.present ? tls_alert_name(m->alert.desc) : NULL;
	snprintf(s->label[0], sizeof s->label[0], "#%llu  %-15s  %s  %s%s", (unsigned long long)++s->n, peer,
		 m->suite[0] ? m->suite : "(no suite)",
		 m->outcome == MODEL_ESTABLISHED ? "established" : m->alert.present ? "alert: " : "incomplete",
		 m->outcome != MODEL_ESTABLISHED && nm ? nm : "");
	return 1;
}

static int serve_browse(int lfd, const net_cli *c, const pki *p, int port, tls_session *cache)
{
	serve_list s = {.lfd = lfd, .c = c, .p = p, .cache = cache};
	char title[128];
	snprintf(title, sizeof title, "tlsstep serve: listening on %s port %d (newest first)", c->bind, port);
	for (;;) {
		int pick = ui_pick_live(title, "waiting for a client...", serve_lines, serve_idle, &s, 0);
		if (pick < 0)
			break;
		tui_options t = {0};
		t.view = s.m[pick];
		tui_run(&t);
	}
	for (size_t i = 0; i < s.count; i++) {
		model_free(s.m[i]);
		free(s.m[i]);
	}
	return 0;
}

int cmd_serve(int argc, char **argv)
{
	net_cli c;
	char err[512], path[1024];
	uint64_t portnum;
	int rc = parse(argc, argv, &c, serve_help);
	if (rc)
		return rc;
	if (parse_u64(c.target, &portnum) || portnum > 65535)
		return usage_error("serve needs a port number, not '%s'", c.target);
	if ((c.cert == NULL) != (c.key == NULL))
		return usage_error("--cert and --key go together");
	pki p = {0};
	char cert[1024], key[1024];
	data_path(cert, sizeof cert, "assets/server.crt");
	data_path(key, sizeof key, "assets/server.key");
	if (pki_add_chain(&p, c.cert ? c.cert : cert, err, sizeof err) ||
	    pki_load_key(&p, c.key ? c.key : key, err, sizeof err) ||
	    (c.client_ca && pki_load_anchors(&p, c.client_ca, err, sizeof err))) {
		fprintf(stderr, "tlsstep: %s\n", err);
		pki_free(&p);
		return 1;
	}
	(void)path;
	int bound;
	int lfd = net_listen(c.bind, c.target, &bound, err, sizeof err);
	if (lfd < 0) {
		fprintf(stderr, "tlsstep: %s\n", err);
		pki_free(&p);
		return 1;
	}
	fprintf(stderr, "tlsstep: listening on %s port %d\n", c.bind, bound);
	fflush(stderr);
	uint64_t n = 0;
	tls_session cache = {0};
	if (c.keep && c.mode == OUT_TUI)
		rc = serve_browse(lfd, &c, &p, bound, &cache);
	else
		do
			rc = serve_one(lfd, &c, &p, n++, &cache);
		while (c.keep);
	tls_session_wipe(&cache);
	close(lfd);
	pki_free(&p);
	return rc;
}
