/* tlsstep replay FILE: the handshakes of a capture, in the same views as a
 * simulation. Connections are printed as the replay hands them over (the
 * file is read once; see replay/replay.h). */
#include "app/cli.h"
#include "app/record.h"
#include "app/files.h"
#include "replay/pcapin.h"
#include "replay/replay.h"
#include "tls/pem.h"
#include "ui/html.h"
#include "ui/picker.h"
#include "ui/layout.h"
#include "ui/predict.h"
#include "ui/tui.h"
#include "ui/views.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

#define MAX_KEY_FILE (64 * 1024)

enum { O_KEYLOG = 256, O_KEY, O_LIST, O_CONN, O_PLAIN, O_JSON, O_HTML, O_PREDICT, O_HELP = 'h' };

static const char replay_help[] =
	"Usage: tlsstep replay FILE [OPTIONS]\n"
	"Steps through the TLS handshakes of a capture (pcap or pcapng), as for a simulation.\n"
	"  --keylog FILE        NSS key log (CLIENT_RANDOM or RSA lines), as SSLKEYLOGFILE writes it\n"
	"  --key FILE           the server's RSA private key (PEM), for RSA key exchanges\n"
	"  --list               one line per TLS connection in the capture\n"
	"  --conn N             only connection N of that list\n"
	"  --plain | --json     output format (default: the TUI on a terminal)\n"
	"  --html FILE          write connection N (--conn, default 1) as one web page\n"
	"  --predict            before each step, questions to answer (with --plain: one letter a line on stdin)\n"
	"Without --keylog or --key the keys stay unknown and Finished stays encrypted.\n";

static const struct option opts[] = {
    {"keylog", required_argument, 0, O_KEYLOG},
    {"key", required_argument, 0, O_KEY},
    {"list", no_argument, 0, O_LIST},
    {"conn", required_argument, 0, O_CONN},
    {"plain", no_argument, 0, O_PLAIN},
    {"json", no_argument, 0, O_JSON},
    {"html", required_argument, 0, O_HTML},
    {"predict", no_argument, 0, O_PREDICT},
    {"help", no_argument, 0, O_HELP},
    {0, 0, 0, 0},
};

typedef struct {
	const char *file, *keylog, *key;
	const char *html; /* --html FILE: the chosen connection's page */
	int html_failed;
	int list, conn;
	enum out_mode mode;
	int shown;
	int predict, predict_rc; /* --predict; 1 once the answers failed */
	char (*rows)[200]; /* TUI: the connection list for the picker */
	size_t n_rows;
} replay_cli;

static int parse(int argc, char **argv, replay_cli *c)
{
	int o;
	uint64_t v;
	memset(c, 0, sizeof *c);
	optind = 1;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (o) {
		case O_KEYLOG: c->keylog = optarg; break;
		case O_KEY: c->key = optarg; break;
		case O_LIST: c->list = 1; break;
		case O_CONN:
			if (app_parse_u64(optarg, &v) || v < 1 || v > 1000000000)
				return app_usage_error(
				    "--conn needs a connection number (1, 2 ...), not '%s'",
				    optarg);
			c->conn = (int)v;
			break;
		case O_PLAIN: c->mode = OUT_PLAIN; break;
		case O_JSON: c->mode = OUT_JSON; break;
		case O_HTML: c->html = optarg; break;
		case O_PREDICT: c->predict = 1; break;
		case O_HELP: fputs(replay_help, stdout); exit(0);
		case ':': return app_usage_error("option %s needs a value", argv[optind - 1]);
		default: return app_usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return app_usage_error("replay needs a capture file: tlsstep replay FILE "
				   "[--keylog F | --key KEY]");
	c->file = argv[optind++];
	if (optind < argc)
		return app_usage_error("unexpected argument '%s'", argv[optind]);
	if (c->list && c->mode == OUT_JSON)
		return app_usage_error("--list prints a table; leave out --json");
	if (c->list && c->html)
		return app_usage_error("--html writes one connection's page; leave out --list");
	if (c->predict && (c->list || c->mode == OUT_JSON))
		return app_usage_error("--predict asks questions: use it with --plain or on a terminal, not --%s",
				   c->list ? "list" : "json");
	return 0;
}

/* What the hellos tell of a connection beyond its suite (TLS 1.3: group,
 * PSK, retry, early data; any version: server name and ALPN). */
static void print_list_extra(const replay_conn_info *i, const model *m)
{
	if (i->version == 0x0304) {
		if (i->resumed)
			printf("  resumed (PSK%s)", i->psk_dhe ? " + (EC)DHE" : " only, no (EC)DHE");
		if (i->group)
			printf("  group %s", replay_group_name(i->group));
		if (i->hrr)
			printf("  HRR");
		if (i->early)
			printf("  0-RTT %s", i->early == 2 ? "accepted" : "rejected");
	} else if (layout_resumed(m)) {
		printf("  resumed");
	}
	if (i->sni[0])
		printf("  SNI %s", i->sni);
	if (i->alpn[0])
		printf("  ALPN %s", i->alpn);
}

static void print_list(const replay_conn_info *i, const model *m)
{
	char ends[140];
	snprintf(ends, sizeof ends, "%s -> %s", i->client, i->server);
	printf("%3d  %-47s  %-7s  %s (0x%04X)  keys: %s  %s", i->number, ends,
	       i->version ? replay_version_name(i->version) : "-", i->suite, i->suite_id,
	       i->keys ? "yes" : "no", i->complete ? "complete" : "incomplete");
	print_list_extra(i, m);
	putchar('\n');
}

static void print_plain(const replay_conn_info *i, const model *m)
{
	text_header(stdout, m);
	printf("Connection %d: %s -> %s, %s, keys %s\n", i->number, i->client, i->server,
	       i->version ? replay_version_name(i->version) : "no ServerHello",
	       i->keys ? "known" : "not known");
	for (int s = 1; s <= MODEL_LAST_STEP; s++)
		if (m->steps[s].reached)
			text_step(stdout, m, s);
	text_summary(stdout, m);
	if (i->n_notes)
		printf("Notes:\n");
	for (size_t k = 0; k < i->n_notes; k++)
		printf("  - %s\n", i->notes[k]);
	if (i->more_notes)
		printf("  - (%zu more notes)\n", i->more_notes);
	putchar('\n');
}

static void conn_members(FILE *f, const void *ctx)
{
	const replay_conn_info *i = ctx;
	fprintf(f, "\"connection\":%d,\"client\":", i->number);
	json_string(f, i->client);
	fputs(",\"server\":", f);
	json_string(f, i->server);
	fprintf(f, ",\"tls_version\":\"%s\",\"keys\":%s,\"complete\":%s,",
		i->version ? replay_version_name(i->version) : "unknown", i->keys ? "true" : "false",
		i->complete ? "true" : "false");
	if (i->version == 0x0304) {
		fprintf(f, "\"group\":\"%s\",\"resumed\":%s,\"psk_dhe\":%s,\"hrr\":%s,"
			   "\"early_data\":\"%s\",\"sni\":",
			replay_group_name(i->group), i->resumed ? "true" : "false",
			i->psk_dhe ? "true" : "false", i->hrr ? "true" : "false",
			i->early == 2 ? "accepted" : i->early ? "rejected" : "none");
		json_string(f, i->sni);
		fputs(",\"alpn\":", f);
		json_string(f, i->alpn);
		fputc(',', f);
	}
	fputs("\"notes\":[", f);
	for (size_t k = 0; k < i->n_notes; k++) {
		fputs(k ? "," : "", f);
		json_string(f, i->notes[k]);
	}
	fputs("],", f);
}

/* json_model's object, with the connection's identity and notes first. */
static void print_json(const replay_conn_info *i, const model *m)
{
	json_model_with(stdout, m, conn_members, i);
}

/* TUI: first a list of the connections, then the chosen one browsed. */
static void emit_tui(replay_cli *c, const replay_conn_info *i, model *m)
{
	if (c->list) {
		void *v = realloc(c->rows, (c->n_rows + 1) * sizeof *c->rows);
		if (!v)
			return;
		c->rows = v;
		snprintf(c->rows[c->n_rows++], sizeof c->rows[0], "%3d  %s -> %s  %s  %s  keys: %s  %s%s", i->number,
			 i->client, i->server, i->version ? replay_version_name(i->version) : "-", i->suite,
			 i->keys ? "yes" : "no", i->complete ? "complete" : "incomplete",
			 layout_resumed(m) ? "  resumed" : "");
		return;
	}
	tui_options t = {0};
	char base[300];
	app_record_base_for(c->file, i->number, base, sizeof base);
	t.view = m;
	t.predict = c->predict;
	t.save = app_record_save_view;
	t.save_ctx = base;
	tui_run(&t);
}

/* A long capture's output reaches a pipe in pieces as it is made (a reader
 * sees progress), but not one write per connection: a thousand small
 * writes cost more than listing the connections. */
static void flush_now_and_then(void)
{
	static double last;
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	double now = (double)t.tv_sec + (double)t.tv_nsec / 1e9;
	if (now - last >= 0.1) {
		fflush(stdout);
		last = now;
	}
}

/* --html: the page of the chosen connection, with where it came from. */
static void write_html(replay_cli *c, const replay_conn_info *i, const model *m)
{
	char origin[600], err[512];
	snprintf(origin, sizeof origin, "Connection %d of the capture %s: %s -> %s, keys %s.", i->number, c->file,
	         i->client, i->server, i->keys ? "known" : "not known (Finished and data stay encrypted)");
	html_options h = {.origin = origin};
	if (html_page_write(c->html, m, &h, err, sizeof err)) {
		fprintf(stderr, "tlsstep: %s\n", err);
		c->html_failed = 1;
	}
}

static void emit(void *ctx, const replay_conn_info *i, model *m)
{
	replay_cli *c = ctx;
	c->shown++;
	if (c->html)
		write_html(c, i, m);
	if (c->html && c->mode == OUT_AUTO)
		; /* --html alone: the page is the output */
	else if (c->mode == OUT_TUI)
		emit_tui(c, i, m);
	else if (c->list)
		print_list(i, m);
	else if (c->mode == OUT_JSON)
		print_json(i, m);
	else if (c->predict) {
		if (!c->predict_rc)
			c->predict_rc = predict_plain(stdin, stdout, m, isatty(STDIN_FILENO));
	}
	else
		print_plain(i, m);
	flush_now_and_then();
}

static int load_key(const char *path, rsa_key *key)
{
	tls_buf b = {0};
	char err[512];
	if (app_file_read(path, MAX_KEY_FILE, &b, err, sizeof err)) {
		fprintf(stderr, "tlsstep: %s\n", err);
		return -1;
	}
	int rc = tls_rsa_private_import(b.p, b.len, key);
	tls_buf_free(&b);
	if (rc)
		fprintf(stderr,
			"tlsstep: %s: not a usable RSA private key (PEM or DER, PKCS#1 or PKCS#8, "
			"unencrypted, 1024 to 8192 bits)\n",
			path);
	return rc ? -1 : 0;
}

/* One line saying why nothing could be shown. */
static void nothing_shown(const replay_cli *c, const replay_stats *st)
{
	const char *f = c->file;
	if (c->conn && st->tls_conns)
		fprintf(stderr,
			"tlsstep: %s: no connection %d; the file has %llu TLS connection%s "
			"(--list shows them)\n",
			f, c->conn, (unsigned long long)st->tls_conns,
			st->tls_conns == 1 ? "" : "s");
	else if (!st->packets)
		fprintf(stderr, "tlsstep: %s: no packets in the file\n", f);
	else if (!st->tcp_packets)
		fprintf(stderr,
			"tlsstep: %s: no TCP packets (%llu packet%s: %llu not IP, %llu not TCP, "
			"%llu IP fragments, %llu malformed%s%s)\n",
			f, (unsigned long long)st->packets, st->packets == 1 ? "" : "s",
			(unsigned long long)st->not_ip, (unsigned long long)st->not_tcp,
			(unsigned long long)st->fragments, (unsigned long long)st->skipped,
			st->first_problem[0] ? ", first: " : "", st->first_problem);
	else
		fprintf(stderr,
			"tlsstep: %s: no TLS connection found (%llu TCP connection%s, none "
			"starting with a ClientHello)\n",
			f, (unsigned long long)st->tcp_conns, st->tcp_conns == 1 ? "" : "s");
}

static int run(replay_cli *c, const keylog *kl, const rsa_key *key)
{
	int only = c->list ? 0 : c->html && !c->conn ? 1 : c->conn; /* a page is one connection's */
	replay_options o = {.keys = kl, .rsa = key, .only = only, .brief = c->list, .emit = emit, .ctx = c};
	replay_stats st;
	char err[512];
	int rc = replay_run(c->file, &o, &st, err, sizeof err);
	fflush(stdout); /* what was shown comes before any line on stderr */
	if (rc < 0 || (rc > 0 && !c->shown)) {
		fprintf(stderr, "tlsstep: %s\n", err);
		return 1;
	}
	if (rc > 0)
		fprintf(stderr, "tlsstep: %s (connections before it are shown)\n", err);
	if (!c->shown) {
		nothing_shown(c, &st);
		return 1;
	}
	if (st.skipped)
		fprintf(stderr, "tlsstep: %s: %llu malformed packet%s skipped (first: %s)\n",
			c->file, (unsigned long long)st.skipped, st.skipped == 1 ? "" : "s",
			st.first_problem);
	return c->html_failed ? 1 : 0;
}

/* Several connections on a terminal: list them, show the one picked, come
 * back to the list. One connection: show it. */
static int pick_and_show(replay_cli *c, const keylog *kl, const rsa_key *key)
{
	c->list = 1;
	int rc = run(c, kl, key);
	c->list = 0;
	if (rc || !c->n_rows) {
		free(c->rows);
		return rc;
	}
	size_t at = 0;
	for (;;) {
		int pick = 0;
		if (c->n_rows > 1) {
			const char *lines[c->n_rows];
			for (size_t i = 0; i < c->n_rows; i++)
				lines[i] = c->rows[i];
			pick = ui_pick("TLS connections in the capture: pick one", lines, c->n_rows, at);
		}
		if (pick < 0)
			break;
		at = (size_t)pick;
		c->conn = pick + 1;
		c->shown = 0;
		rc = run(c, kl, key);
		c->conn = 0;
		if (c->n_rows == 1 || rc)
			break;
	}
	free(c->rows);
	return rc;
}

int cmd_replay(int argc, char **argv)
{
	replay_cli c;
	int rc = parse(argc, argv, &c);
	if (rc)
		return rc;
	if (!c.html || c.mode != OUT_AUTO)
		c.mode = app_out_mode_resolve(c.mode);
	if (c.mode == OUT_TUI && c.list)
		c.mode = OUT_PLAIN; /* --list is a list, on a terminal too */
	keylog kl;
	replay_keylog_init(&kl, c.keylog ? c.keylog : "pcapng Decryption Secrets Block", stderr);
	char err[512];
	if (c.keylog && replay_keylog_load(&kl, c.keylog, err, sizeof err)) {
		fprintf(stderr, "tlsstep: %s\n", err);
		replay_keylog_free(&kl);
		return 1;
	}
	kl.name = "pcapng Decryption Secrets Block";
	replay_input_secrets(c.file, &kl);
	kl.name = c.keylog ? c.keylog : kl.name;
	replay_keylog_finish(&kl);
	rsa_key key;
	int have_key = 0;
	if (c.key) {
		if (load_key(c.key, &key)) {
			replay_keylog_free(&kl);
			return 1;
		}
		have_key = 1;
	}
	if (c.mode == OUT_TUI && !c.conn)
		rc = pick_and_show(&c, replay_keylog_count(&kl) ? &kl : NULL, have_key ? &key : NULL);
	else
		rc = run(&c, replay_keylog_count(&kl) ? &kl : NULL, have_key ? &key : NULL);
	if (have_key)
		rsa_free(&key);
	replay_keylog_free(&kl);
	return rc ? rc : c.predict_rc;
}
