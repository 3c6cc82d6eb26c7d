/* tlsstep connect / serve: the engine against a real peer over TCP. */
#include "app/cli.h"
#include "app/files.h"
#include "app/record.h"
#include "app/pki.h"
#include "app/session_file.h"
#include "net/choices.h"
#include "net/net.h"
#include "net/serve.h"
#include "tls/alert.h"
#include "tls/conn.h"
#include "tls/msg.h"
#include "tls/suites.h"
#include "ui/html.h"
#include "ui/lesson.h"
#include "ui/picker.h"
#include "ui/predict.h"
#include "ui/tui.h"
#include "ui/views.h"

#include <getopt.h>
#include <netdb.h>
#include <signal.h>
#include <sys/resource.h>
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
	O_CIPHER, O_KEEP, O_BIND, O_DATA_DIR, O_HELP, O_CLIENT_CA, O_MAX_CONNS, O_HTML, O_PREDICT, O_TLS,
	O_SESS_IN, O_SESS_OUT,
};

static const struct option opts[] = {
	{"ca", required_argument, 0, O_CA}, {"insecure", no_argument, 0, O_INSECURE},
	{"servername", required_argument, 0, O_SERVERNAME}, {"timeout", required_argument, 0, O_TIMEOUT},
	{"plain", no_argument, 0, O_PLAIN}, {"json", no_argument, 0, O_JSON},
	{"seed", required_argument, 0, O_SEED}, {"time", required_argument, 0, O_TIME},
	{"cert", required_argument, 0, O_CERT}, {"key", required_argument, 0, O_KEY},
	{"cipher", required_argument, 0, O_CIPHER}, {"keep-serving", no_argument, 0, O_KEEP},
	{"bind", required_argument, 0, O_BIND}, {"data-dir", required_argument, 0, O_DATA_DIR},
	{"help", no_argument, 0, O_HELP}, {"client-ca", required_argument, 0, O_CLIENT_CA},
	{"max-conns", required_argument, 0, O_MAX_CONNS}, {"html", required_argument, 0, O_HTML},
	{"predict", no_argument, 0, O_PREDICT}, {"tls", required_argument, 0, O_TLS},
	{"sess-in", required_argument, 0, O_SESS_IN}, {"sess-out", required_argument, 0, O_SESS_OUT},
	{0, 0, 0, 0},
};

typedef struct {
	const char *ca, *servername, *cert, *key, *bind, *client_ca;
	const char *html; /* connect --html FILE */
	const char *sess_in, *sess_out; /* connect: session files (app/session_file.h) */
	int quiet;        /* --html without --plain or --json: the page only */
	int insecure, timeout, keep, has_seed;
	int predict; /* connect: questions before each step of the finished handshake */
	int tls;     /* --tls: 12 or 13 only that version; 0 (default): 1.3 and 1.2, as a browser */
	size_t max_conns; /* serve: open at once; 0 = NET_SERVE_MAX_CONNS */
	uint64_t seed;
	int64_t now;
	enum out_mode mode;
	uint16_t suites[16], suites13[4]; /* --cipher: TLS 1.2 suites, TLS 1.3 suites */
	size_t n_suites, n_suites13;
	const char *target; /* HOST:PORT or PORT */
} net_cli;

static const char connect_help[] =
	"Usage: tlsstep connect HOST:PORT [OPTIONS]\n"
	"Runs tlsstep's client against a real TLS server and shows the handshake. It offers TLS 1.3\n"
	"and 1.2 as a browser does, steps through whichever the server picks and says why.\n"
	"  --ca FILE            trusted CA certificates (PEM); default: the system's CA bundle\n"
	"  --insecure           do not verify the server's certificate (said loudly)\n"
	"  --servername NAME    name to check and send as SNI (default: HOST)\n"
	"  --cipher NAME        offer only this suite (IANA or OpenSSL name), and so its version\n"
	"  --cert FILE --key FILE   a client certificate, for a server that asks for one\n"
	"  --timeout SECONDS    give up on a silent server (default 10)\n"
	"  --tls 1.2|1.3        offer only that version (default: 1.3 and 1.2; the server picks)\n"
	"  --seed N             deterministic randomness (tests; loopback only)\n"
	"  --time ISO8601       clock for certificate validity (default: now)\n"
	"  --plain | --json     output format\n"
	"  --html FILE          write the handshake as one self-contained web page\n"
	"  --predict            before each step, questions to answer (with --plain: one letter a line on stdin)\n"
	"  --sess-out FILE      keep the session this handshake leaves (TLS 1.3: the server's last ticket;\n"
	"                       TLS 1.2: the session ID). FILE holds a secret (the PSK or master secret):\n"
	"                       written mode 0600; anyone who has it can resume the session\n"
	"  --sess-in FILE       offer that session again (1.3: a pre_shared_key with a binder; 1.2: the\n"
	"                       session ID); a server that declines gives a full handshake, said plainly.\n"
	"                       A bad, expired or foreign file (another server name) is refused, exit 1\n";

static const char serve_help[] =
	"Usage: tlsstep serve PORT [OPTIONS]\n"
	"Runs tlsstep's server for a real TLS client (curl, openssl s_client, a browser): TLS 1.3 when\n"
	"the client offers it, else 1.2; each handshake is shown with what the client offered.\n"
	"  --cert FILE --key FILE   certificate chain and key, RSA or EC (default: the classroom server)\n"
	"  --cipher NAME        accept only this suite (and so its version)\n"
	"  --client-ca FILE     ask the client for a certificate issued by these CAs (PEM)\n"
	"  --bind ADDR          address to listen on (default 127.0.0.1)\n"
	"  --keep-serving       serve clients (many at once) until interrupted; Ctrl-C prints a summary\n"
	"  --max-conns N        connections open at once (default 1024); one more gets an alert\n"
	"  --timeout SECONDS    deadline for each client's whole handshake, and how long to wait for\n"
	"                       its request afterwards (default 10)\n"
	"  --tls 1.2|1.3        accept only that version (default: both, 1.3 preferred)\n"
	"  --seed N             deterministic randomness (tests; loopback only)\n"
	"  --plain | --json     output format\n"
	"PORT 0 picks a free port; the port is printed on stderr.\n";

static int add_cipher(net_cli *c, const char *name)
{
	const tls_suite *s = tls_suite_by_name(name);
	if (!s)
		return app_usage_error("unknown or unsupported cipher suite '%s'", name);
	if (s->tls13 && c->n_suites13 < 4)
		c->suites13[c->n_suites13++] = s->id;
	else if (!s->tls13 && c->n_suites < 16)
		c->suites[c->n_suites++] = s->id;
	return 0;
}

/* --cipher naming suites of one version only means that version: a 1.2
 * suite is never used by a 1.3 handshake, nor a 1.3 suite by a 1.2 one. */
static int cipher_version(net_cli *c)
{
	int want = c->n_suites && !c->n_suites13 ? 12 : c->n_suites13 && !c->n_suites ? 13 : 0;
	if (want && c->tls && c->tls != want)
		return app_usage_error("--cipher names only TLS 1.%d suites, which --tls 1.%d cannot use",
				       want - 10, c->tls - 10);
	if (want)
		c->tls = want;
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
		case O_TLS:
			if (app_parse_tls_version(optarg, &c->tls))
				return app_usage_error("--tls needs 1.2 or 1.3, not '%s'", optarg);
			break;
		case O_SERVERNAME: c->servername = optarg; break;
		case O_TIMEOUT:
			if (app_parse_u64(optarg, &v) || v < 1 || v > 3600)
				return app_usage_error("--timeout needs seconds from 1 to 3600, not '%s'",
				                       optarg);
			c->timeout = (int)v;
			break;
		case O_PLAIN: c->mode = OUT_PLAIN; break;
		case O_JSON: c->mode = OUT_JSON; break;
		case O_SEED:
			if (app_parse_u64(optarg, &v))
				return app_usage_error("--seed needs a non-negative number, not '%s'",
				                       optarg);
			c->seed = v;
			c->has_seed = 1;
			break;
		case O_TIME:
			if (tls_parse_iso8601(optarg, &c->now) || c->now <= 0)
				return app_usage_error(
				    "--time needs a date like 2026-01-01T00:00:00Z, not '%s'", optarg);
			break;
		case O_CERT: c->cert = optarg; break;
		case O_KEY: c->key = optarg; break;
		case O_CLIENT_CA: c->client_ca = optarg; break;
		case O_CIPHER:
			if (add_cipher(c, optarg))
				return EXIT_USAGE;
			break;
		case O_KEEP: c->keep = 1; break;
		case O_PREDICT:
			if (help == serve_help)
				return app_usage_error("--predict is for connect, replay and the simulator, not serve");
			c->predict = 1;
			break;
		case O_MAX_CONNS:
			if (app_parse_u64(optarg, &v) || v < 1 || v > 65536)
				return app_usage_error("--max-conns needs a number from 1 to 65536, not '%s'", optarg);
			c->max_conns = (size_t)v;
			break;
		case O_BIND: c->bind = optarg; break;
		case O_HTML:
			if (help == serve_help)
				return app_usage_error("serve sends each browser its own page; --html is for connect");
			c->html = optarg;
			break;
		case O_DATA_DIR: app_data_dir_set(optarg); break;
		case O_SESS_IN:
		case O_SESS_OUT:
			if (help == serve_help)
				return app_usage_error("--sess-in and --sess-out are for connect; serve keeps its sessions");
			*(o == O_SESS_IN ? &c->sess_in : &c->sess_out) = optarg;
			break;
		case 'h':
		case O_HELP: fputs(help, stdout); exit(0);
		case ':': return app_usage_error("option %s needs a value", argv[optind - 1]);
		default: return app_usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind + 1 != argc)
		return app_usage_error(optind < argc ? "one target expected, got '%s' too" : "missing %s",
				   optind < argc ? argv[optind + 1] : (help == serve_help ? "PORT" : "HOST:PORT"));
	c->target = argv[optind];
	if (cipher_version(c))
		return EXIT_USAGE;
	if (c->html && c->mode == OUT_AUTO)
		c->quiet = 1, c->mode = OUT_PLAIN;
	if (c->predict && c->mode == OUT_JSON)
		return app_usage_error("--predict asks questions: use it with --plain or on a terminal, not --json");
	c->mode = app_out_mode_resolve(c->mode);
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

static void show(const model *m, enum out_mode mode, int predict)
{
	if (mode == OUT_TUI) {
		tui_options t = {0};
		t.view = m;
		t.predict = predict;
		t.save = app_record_save_view;
		t.save_ctx = "tlsstep-connect";
		tui_run(&t);
		return;
	}
	if (mode == OUT_JSON) {
		json_model(stdout, m);
	} else {
		text_header(stdout, m);
		for (int i = 1; i <= MODEL_LAST_STEP; i++) {
			if (m->steps[i].reached)
				text_step(stdout, m, i);
			const char *extra = lesson_extra_for(m, i); /* what the server chose, and why */
			if (extra)
				text_lesson(stdout, m, i, extra);
		}
		text_summary(stdout, m);
	}
	fflush(stdout);
}

/* connect --html: the page of this connection. */
static int write_page(const model *m, const char *path)
{
	char err[512];
	html_options h = {.origin = "A live connection: tlsstep's client against a real server. The server's "
	                            "column is inferred from what the protocol lets it know."};
	if (html_page_write(path, m, &h, err, sizeof err) == 0)
		return 0;
	fprintf(stderr, "tlsstep: %s\n", err);
	return -1;
}

/* serve: the page a browser gets for the handshake it just made. */
static int serve_page(const model *m, char **out, size_t *len)
{
	char origin[200];
	const char *vn = tls_version_name(m->version);
	snprintf(origin, sizeof origin,
	         "tlsstep served your %s handshake: this page is the one your browser (or curl) just made, "
	         "and it came back over that connection.",
	         vn ? vn : "TLS");
	html_options h = {.origin = origin};
	return html_page_mem(m, &h, out, len);
}

/* Every suite tlsstep implements. Forward secrecy first (ECDHE, then DHE),
 * AEAD before CBC within each, RSA key exchange last. */
static const uint16_t default_suites[] = {
	0xC02B, 0xC02C, 0xCCA9, 0xC023, 0xC024, 0xC009, 0xC00A, /* ECDHE_ECDSA (serve with an EC key) */
	0xC02F, 0xC030, 0xCCA8, 0xC027, 0xC028, 0xC013, 0xC014, /* ECDHE_RSA */
	0x009E, 0x009F, 0xCCAA, 0x0067, 0x006B, 0x0033, 0x0039, /* DHE_RSA */
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

/* A protocol_version alert in the hellos, by who sent it and --tls. */
static const struct {
	int by_server, tls;
	const char *hint;
} version_hints[] = {
	{1, 12, " (the server does not speak TLS 1.2: it probably accepts TLS 1.3 only; try without --tls 1.2)"},
	{1, 13, " (the server does not speak TLS 1.3: it speaks an older version only; try without --tls 1.3)"},
	{1, 0, " (the server speaks neither TLS 1.3 nor TLS 1.2)"},
	{0, 13, " (the server speaks TLS 1.2 only; try without --tls 1.3)"},
};

/* What the user most likely needs to know beside the alert itself. */
static const char *failure_hint(const model *m, const net_cli *c)
{
	if (!m->alert.present)
		return "";
	for (size_t i = 0; i < sizeof version_hints / sizeof version_hints[0]; i++)
		if (m->alert.desc == TLS_ALERT_PROTOCOL_VERSION && m->alert.step <= 2 &&
		    m->alert.by_server == version_hints[i].by_server && c->tls == version_hints[i].tls)
			return version_hints[i].hint;
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

/* Is addr one of this machine's loopback addresses? A name is resolved. */
static int is_loopback(const char *host)
{
	struct addrinfo hints = {0}, *res, *ai;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host, NULL, &hints, &res))
		return 0;
	int all = 1;
	for (ai = res; ai; ai = ai->ai_next) {
		if (ai->ai_family == AF_INET)
			all &= (ntohl(((struct sockaddr_in *)ai->ai_addr)->sin_addr.s_addr) >> 24) == 127;
		else if (ai->ai_family == AF_INET6)
			all &= IN6_IS_ADDR_LOOPBACK(&((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr);
		else
			all = 0;
	}
	freeaddrinfo(res);
	return all;
}

/* --seed makes every random byte, so an ECDHE premaster, known to anyone
 * who knows the seed: only for the machine's own loopback. */
static int seed_policy(const net_cli *c, const char *host)
{
	if (!c->has_seed)
		return 0;
	if (!is_loopback(host))
		return app_usage_error("--seed makes every random byte (and so the session keys) predictable: "
				   "refused for %s, which is not a loopback address",
				   host);
	fprintf(stderr, "tlsstep: warning: --seed makes every random byte predictable; fine on "
			"loopback, never for real traffic\n");
	return 0;
}

/* After a connect with --sess-in / --sess-out: how the offered session
 * fared (stderr), and the one this handshake left, saved. */
static int session_after(const net_cli *c, const tls_conn *conn, const tls_config *cfg)
{
	char line[512];
	if (c->sess_in) {
		app_session_report(c->sess_in, tls_conn_knowledge(conn), line, sizeof line);
		fprintf(stderr, "tlsstep: %s\n", line);
	}
	if (c->sess_out && app_session_save(c->sess_out, conn, cfg->server_name, cfg->now, line, sizeof line)) {
		fprintf(stderr, "tlsstep: %s\n", line);
		return 1;
	}
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
		return app_usage_error("connect needs HOST:PORT, not '%s'", c.target);
	if ((rc = seed_policy(&c, host)))
		return rc;
	tls_creds p = {0};
	if ((c.cert == NULL) != (c.key == NULL))
		return app_usage_error("--cert and --key go together");
	if (c.cert && (app_pki_add_chain(&p, c.cert, err, sizeof err) ||
	               app_pki_load_key(&p, c.key, err, sizeof err))) {
		fprintf(stderr, "tlsstep: %s\n", err);
		tls_creds_free(&p);
		return 1;
	}
	if (!c.insecure) {
		const char *ca = c.ca ? c.ca : system_bundle();
		if (!ca) {
			fprintf(stderr, "tlsstep: no system CA bundle found (install ca-certificates); "
					"give --ca FILE or --insecure\n");
			return 1;
		}
		if (app_pki_load_anchors(&p, ca, err, sizeof err)) {
			fprintf(stderr, "tlsstep: %s\n", err);
			return 1;
		}
	}
	tls_rng rng;
	if (make_rng(&rng, &c, "client")) {
		fprintf(stderr, "tlsstep: cannot seed the random generator\n");
		tls_creds_free(&p);
		return 1;
	}
	uint8_t ip[16];
	int is_ip = inet_pton(AF_INET, host, ip) == 1 || inet_pton(AF_INET6, host, ip) == 1;
	tls_config cfg = {0};
	cfg.rng = &rng;
	cfg.now = c.now ? c.now : (int64_t)time(NULL);
	cfg.suites = c.n_suites ? c.suites : default_suites;
	cfg.n_suites = c.n_suites ? c.n_suites : sizeof default_suites / sizeof default_suites[0];
	cfg.suites13 = c.n_suites13 ? c.suites13 : NULL;
	cfg.n_suites13 = c.n_suites13;
	cfg.server_name = c.servername ? c.servername : host;
	(void)is_ip;
	cfg.anchors = p.anchors;
	cfg.n_anchors = p.n_anchors;
	cfg.insecure = c.insecure;
	cfg.ems = 1; /* as real clients do */
	cfg.etm = 1;
	if (c.tls != 12) { /* offer 1.3 (and 1.2) as a browser does, compatibility mode too */
		cfg.max_version = 0x0304;
		cfg.middlebox_compat = 1;
	}
	if (c.tls == 13)
		cfg.min_version = 0x0304; /* supported_versions holds 0x0304 alone */
	cfg.sig_algs = connect_sig_algs;
	cfg.n_sig_algs = sizeof connect_sig_algs / sizeof connect_sig_algs[0];
	cfg.chain_der = p.chain_der;
	cfg.chain_len = p.chain_len;
	cfg.chain_n = p.chain_n;
	cfg.key = p.has_key ? &p.key : NULL;
	app_session sess;
	if (c.sess_in) {
		/* The versions this hello offers: both by default, one with --tls. */
		app_session_want w = {cfg.server_name, cfg.min_version < 0x0304, cfg.max_version >= 0x0304, cfg.suites,
		                      cfg.n_suites, cfg.now};
		if (app_session_load(c.sess_in, &w, &sess, err, sizeof err)) {
			fprintf(stderr, "tlsstep: %s\n", err);
			tls_rng_free(&rng);
			tls_creds_free(&p);
			return 1;
		}
		cfg.resume = &sess.s;
	}
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
		net_options no = {c.timeout, cfg.server_name, 0, 0, c.sess_out != NULL};
		if (tls_conn_new(&conn, &cfg) == 0) {
			rc = net_run(fd, conn, &m, &no, err, sizeof err) ? 1 : 0;
			net_mark_server_choices(&m, tls_conn_knowledge(conn));
			if (c.predict && c.mode != OUT_TUI) {
				int prc = predict_plain(stdin, stdout, &m, isatty(STDIN_FILENO));
				rc = rc ? rc : prc;
			} else if (!c.quiet) {
				show(&m, c.mode, c.predict);
			}
			if (c.html && write_page(&m, c.html))
				rc = 1;
			if (!rc && (c.sess_in || c.sess_out) && session_after(&c, conn, &cfg))
				rc = 1;
			if (rc)
				fprintf(stderr, "tlsstep: handshake failed: %s%s\n", err, failure_hint(&m, &c));
		}
		tls_conn_free(conn);
		close(fd);
	}
	model_free(&m);
	tls_rng_free(&rng);
	tls_creds_free(&p);
	if (c.sess_in)
		tls_session_wipe(&sess.s);
	return rc;
}

#define SERVE_KEEP 32 /* finished connections the live list keeps */

/* ---- serve ---------------------------------------------------------- */

/* What every connection of one serve shares, and what it adds up. */
typedef struct {
	const net_cli *c;
	const tls_creds *p;
	tls_session cache; /* the last full handshake can be resumed */
	net_server *srv;
	int bound;
	uint64_t done, established, resumed, alert_by_server, alert_by_client, incomplete, refused;
	model *last; /* without --keep-serving: the one connection, shown at the end */
	int last_rc;
	/* the live list (--keep-serving on a terminal): finished ones, newest first */
	model *m[SERVE_KEEP];
	char label[SERVE_KEEP][160];
	uint64_t num[SERVE_KEEP];
	size_t count;
	/* what the list shows: open connections, then finished ones */
	char open_label[SERVE_KEEP][160];
	const model *shown[2 * SERVE_KEEP];
	const char *lines[2 * SERVE_KEEP];
	/* the finished one on screen: serving goes on meanwhile, so when it
	 * falls off the list it is kept here until the view is closed */
	const model *viewing;
	model *orphan;
} serve_ctx;

static int serve_make(void *ctx, uint64_t n, tls_rng *rng, tls_conn **conn, model *m)
{
	serve_ctx *sc = ctx;
	const net_cli *c = sc->c;
	net_cli cc = *c;
	cc.seed = c->seed + n;
	if (make_rng(rng, &cc, "server"))
		return -1;
	tls_config cfg = {0};
	cfg.is_server = 1;
	cfg.rng = rng;
	cfg.now = c->now ? c->now : (int64_t)time(NULL);
	cfg.suites = c->n_suites ? c->suites : default_suites;
	cfg.n_suites = c->n_suites ? c->n_suites : sizeof default_suites / sizeof default_suites[0];
	cfg.suites13 = c->n_suites13 ? c->suites13 : NULL;
	cfg.n_suites13 = c->n_suites13;
	cfg.chain_der = sc->p->chain_der;
	cfg.chain_len = sc->p->chain_len;
	cfg.chain_n = sc->p->chain_n;
	cfg.key = &sc->p->key;
	cfg.ems = 1;
	cfg.etm = 1;
	if (c->tls != 12) { /* 1.3 when the client offers it, a ticket after it */
		cfg.max_version = 0x0304;
		cfg.tickets = 1;
	}
	if (c->tls == 13)
		cfg.min_version = 0x0304; /* a client without 1.3 gets protocol_version */
	cfg.request_client_cert = c->client_ca != NULL;
	cfg.client_anchors = sc->p->anchors;
	cfg.n_client_anchors = sc->p->n_anchors;
	cfg.session_cache = &sc->cache;
	m->seed = cc.seed;
	m->has_seed = c->has_seed;
	if (tls_conn_new(conn, &cfg)) {
		tls_rng_free(rng);
		return -1;
	}
	return 0;
}

/* "established, resumed", "alert: unknown_ca (sent by the client)"... */
static void outcome_text(const model *m, int open, int resumed, char *out, size_t n)
{
	const char *nm = m->alert.present ? tls_alert_name(m->alert.desc) : NULL;
	if (m->outcome == MODEL_ESTABLISHED)
		snprintf(out, n, "established%s", resumed ? ", resumed" : "");
	else if (m->alert.present)
		snprintf(out, n, "alert: %s (sent by the %s)", nm ? nm : "?",
			 m->alert.by_server ? "server" : "client");
	else if (open)
		snprintf(out, n, "in progress: step %d", m->current > 0 ? m->current : 1);
	else
		snprintf(out, n, "incomplete");
}

static void serve_label(char *out, size_t n, uint64_t num, const char *peer, const model *m, int open,
			int resumed)
{
	char o[96];
	if (!m) {
		snprintf(out, n, "#%llu  %-15s  connected, nothing received yet", (unsigned long long)num + 1, peer);
		return;
	}
	const char *vn = m->suite[0] ? tls_version_name(m->version) : NULL; /* what the server picked */
	outcome_text(m, open, resumed, o, sizeof o);
	snprintf(out, n, "#%llu  %-15s  %s%s%s  %s", (unsigned long long)num + 1, peer, vn ? vn : "", vn ? "  " : "",
		 m->suite[0] ? m->suite : "(no suite yet)", o);
}

static void serve_done(void *ctx, const net_served *d)
{
	serve_ctx *sc = ctx;
	const model *m = d->m;
	sc->done++;
	if (m->outcome == MODEL_ESTABLISHED)
		sc->established++;
	else if (m->alert.present && m->alert.by_server)
		sc->alert_by_server++;
	else if (m->alert.present)
		sc->alert_by_client++;
	else
		sc->incomplete++;
	sc->resumed += d->resumed;
	if (!d->ok && sc->c->mode != OUT_TUI)
		fprintf(stderr, "tlsstep: handshake with %s failed: %s\n", d->peer, d->err);
	if (!sc->c->keep) {
		sc->last = d->m;
		sc->last_rc = d->ok ? 0 : 1;
		return;
	}
	if (sc->c->mode != OUT_TUI) {
		if (m->current > 0)
			show(m, sc->c->mode, 0);
		model_free(d->m);
		free(d->m);
		return;
	}
	if (sc->count == SERVE_KEEP) { /* forget the oldest */
		if (sc->m[SERVE_KEEP - 1] == sc->viewing) {
			sc->orphan = sc->m[SERVE_KEEP - 1];
		} else {
			model_free(sc->m[SERVE_KEEP - 1]);
			free(sc->m[SERVE_KEEP - 1]);
		}
		sc->count--;
	}
	memmove(sc->m + 1, sc->m, sc->count * sizeof sc->m[0]);
	memmove(sc->label + 1, sc->label, sc->count * sizeof sc->label[0]);
	memmove(sc->num + 1, sc->num, sc->count * sizeof sc->num[0]);
	sc->m[0] = d->m;
	sc->num[0] = d->n;
	sc->count++;
	serve_label(sc->label[0], sizeof sc->label[0], d->n, d->peer, m, 0, d->resumed);
}

static void serve_refused(void *ctx, const char *peer, size_t open)
{
	serve_ctx *sc = ctx;
	sc->refused++;
	if (sc->c->mode != OUT_TUI)
		fprintf(stderr, "tlsstep: refused %s: %zu connections are open (the cap); it got an "
				"internal_error alert\n",
			peer, open);
}

static void serve_summary(const serve_ctx *sc)
{
	fprintf(stderr,
		"tlsstep: served %llu connections: %llu established (%llu resumed), %llu failed by alert "
		"(%llu sent by the server, %llu by the client), %llu incomplete; %llu refused at the cap\n",
		(unsigned long long)sc->done, (unsigned long long)sc->established,
		(unsigned long long)sc->resumed,
		(unsigned long long)(sc->alert_by_server + sc->alert_by_client),
		(unsigned long long)sc->alert_by_server, (unsigned long long)sc->alert_by_client,
		(unsigned long long)sc->incomplete, (unsigned long long)sc->refused);
}

/* The live list: connections in progress (newest first), then finished ones. */
static const char *const *serve_lines(void *ctx, size_t *n)
{
	serve_ctx *sc = ctx;
	net_open_conn oc[SERVE_KEEP];
	size_t no = net_serve_open(sc->srv, oc, SERVE_KEEP), k = 0;
	for (size_t i = no; i-- > 0; k++) {
		serve_label(sc->open_label[k], sizeof sc->open_label[k], oc[i].n, oc[i].peer, oc[i].m, 1, 0);
		sc->lines[k] = sc->open_label[k];
		sc->shown[k] = oc[i].m;
	}
	for (size_t i = 0; i < sc->count; i++, k++) {
		sc->lines[k] = sc->label[i];
		sc->shown[k] = sc->m[i];
	}
	*n = k;
	return sc->lines;
}

static volatile sig_atomic_t serve_stop;
static void on_stop(int sig)
{
	(void)sig;
	serve_stop = 1;
}

static int64_t mono_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* The live list's idle hook: serve for a moment, then let keys through. */
static int serve_idle(void *ctx)
{
	serve_ctx *sc = ctx;
	int64_t end = mono_ms() + 150;
	int changed = 0;
	size_t before = net_serve_count(sc->srv);
	uint64_t acc = net_serve_accepted(sc->srv);
	while (!serve_stop && mono_ms() < end)
		if (net_serve_step(sc->srv, 50) != 0)
			changed = 1;
	/* Progress of open connections shows too: redraw while any are open. */
	return changed || before || net_serve_count(sc->srv) || acc != net_serve_accepted(sc->srv);
}

static int is_finished(const serve_ctx *sc, const model *m)
{
	for (size_t i = 0; i < sc->count; i++)
		if (sc->m[i] == m)
			return 1;
	return 0;
}

static int serve_browse(serve_ctx *sc)
{
	char title[160];
	snprintf(title, sizeof title, "tlsstep serve: listening on %s port %d (newest first)", sc->c->bind,
		 sc->bound);
	for (;;) {
		int pick = ui_pick_live(title, "waiting for a client...", serve_lines, serve_idle, sc, 0);
		if (pick < 0 || serve_stop)
			break;
		size_t n;
		serve_lines(sc, &n);
		if ((size_t)pick >= n || !sc->shown[pick])
			continue;
		tui_options t = {0};
		char base[64];
		snprintf(base, sizeof base, "tlsstep-serve-%zu", (size_t)pick + 1);
		t.view = sc->shown[pick];
		t.save = app_record_save_view;
		t.save_ctx = base;
		if (is_finished(sc, t.view)) {
			/* other clients are answered while this one is shown; one still
			 * in progress grows under the view, so it pauses serving */
			t.idle = serve_idle;
			t.idle_ctx = sc;
			sc->viewing = t.view;
		}
		tui_run(&t);
		sc->viewing = NULL;
		if (sc->orphan) {
			model_free(sc->orphan);
			free(sc->orphan);
			sc->orphan = NULL;
		}
	}
	return 0;
}

/* Without --keep-serving: the first client, shown when it is done. */
static int serve_once(serve_ctx *sc)
{
	int64_t give_up = mono_ms() + (int64_t)sc->c->timeout * 6000;
	while (!serve_stop && !sc->last) {
		if (net_serve_accepted(sc->srv) == 0 && mono_ms() >= give_up) {
			fprintf(stderr, "tlsstep: no client connected within %d seconds\n", sc->c->timeout * 6);
			return 1;
		}
		net_serve_step(sc->srv, 200);
	}
	if (!sc->last)
		return 1;
	if (sc->last->current > 0)
		show(sc->last, sc->c->mode, 0);
	model_free(sc->last);
	free(sc->last);
	return sc->last_rc;
}

static int serve_loop(int lfd, const net_cli *c, const tls_creds *p, int bound)
{
	serve_ctx sc = {.c = c, .p = p, .bound = bound};
	net_serve_cfg cfg = {
		.lfd = lfd, .max_conns = c->max_conns, .max_accept = c->keep ? 0 : 1,
		.handshake_s = c->timeout, .idle_s = c->timeout, .make = serve_make,
		.done = serve_done, .refused = serve_refused, .ctx = &sc, .page = serve_page,
	};
	if (net_serve_new(&sc.srv, &cfg)) {
		fprintf(stderr, "tlsstep: out of memory\n");
		return 1;
	}
	struct sigaction sa = {0};
	sa.sa_handler = on_stop; /* no SA_RESTART: poll returns at once */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	int rc = 0;
	if (!c->keep)
		rc = serve_once(&sc);
	else if (c->mode == OUT_TUI)
		rc = serve_browse(&sc);
	else
		while (!serve_stop)
			net_serve_step(sc.srv, 1000);
	if (c->keep)
		serve_summary(&sc);
	net_serve_free(sc.srv);
	for (size_t i = 0; i < sc.count; i++) {
		model_free(sc.m[i]);
		free(sc.m[i]);
	}
	tls_session_wipe(&sc.cache);
	return rc;
}

/* Each open connection is a descriptor; the usual soft limit (1,024) is
 * below the cap plus stdio and the listener. */
static void raise_fd_limit(size_t conns)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl))
		return;
	rlim_t want = (rlim_t)conns + 64;
	if (rl.rlim_cur < want) {
		rl.rlim_cur = rl.rlim_max < want ? rl.rlim_max : want;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

int cmd_serve(int argc, char **argv)
{
	net_cli c;
	char err[512], path[1024];
	uint64_t portnum;
	int rc = parse(argc, argv, &c, serve_help);
	if (rc)
		return rc;
	if (app_parse_u64(c.target, &portnum) || portnum > 65535)
		return app_usage_error("serve needs a port number, not '%s'", c.target);
	if ((c.cert == NULL) != (c.key == NULL))
		return app_usage_error("--cert and --key go together");
	tls_creds p = {0};
	char cert[1024], key[1024];
	app_data_path(cert, sizeof cert, "assets/server.crt");
	app_data_path(key, sizeof key, "assets/server.key");
	if (app_pki_add_chain(&p, c.cert ? c.cert : cert, err, sizeof err) ||
	    app_pki_load_key(&p, c.key ? c.key : key, err, sizeof err) ||
	    (c.client_ca && app_pki_load_anchors(&p, c.client_ca, err, sizeof err))) {
		fprintf(stderr, "tlsstep: %s\n", err);
		tls_creds_free(&p);
		return 1;
	}
	(void)path;
	if ((rc = seed_policy(&c, c.bind))) {
		tls_creds_free(&p);
		return rc;
	}
	if (!c.key && !is_loopback(c.bind))
		fprintf(stderr, "tlsstep: warning: the classroom key (assets/server.key) is public: anyone can "
				"decrypt or impersonate this server; give --cert and --key for anything private\n");
	int bound;
	int lfd = net_listen(c.bind, c.target, &bound, err, sizeof err);
	if (lfd < 0) {
		fprintf(stderr, "tlsstep: %s\n", err);
		tls_creds_free(&p);
		return 1;
	}
	raise_fd_limit(c.max_conns ? c.max_conns : NET_SERVE_MAX_CONNS);
	fprintf(stderr, "tlsstep: listening on %s port %d\n", c.bind, bound);
	fflush(stderr);
	rc = serve_loop(lfd, &c, &p, bound);
	close(lfd);
	tls_creds_free(&p);
	return rc;
}
