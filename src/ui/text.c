/* --plain: the handshake as annotated text, step by step. */
#include "ui/views.h"

#include "tls/alert.h"
#include "ui/layout.h"
#include "ui/lesson.h"

#include <string.h>

const char *step_direction(int step)
{
	switch (step) {
	case 1:
	case 5: return "client -> server";
	case 7: return "both ways";
	default: return "server -> client";
	}
}

static void hex_line(FILE *f, const uint8_t *p, size_t n, size_t max)
{
	for (size_t i = 0; i < n && i < max; i++)
		fprintf(f, "%02x", p[i]);
	if (n > max)
		fprintf(f, "...(%zu bytes)", n);
}

/* One line per field: offset, up to 16 bytes of hex, path and meaning. */
static void fields(FILE *f, const uint8_t *p, size_t n, const tls_spans *sp, const char *indent)
{
	for (size_t i = 0; i < sp->n; i++) {
		const tls_span *s = &sp->v[i];
		if (s->offset + (size_t)s->length > n)
			continue;
		fprintf(f, "%s%04x  ", indent, s->offset);
		hex_line(f, p + s->offset, s->length, 16);
		fprintf(f, "\n%s      %s: %s\n", indent, s->path, s->meaning);
	}
}

static void dump(FILE *f, const uint8_t *p, size_t n, const char *indent)
{
	for (size_t off = 0; off < n; off += 16) {
		fprintf(f, "%s%04zx ", indent, off);
		for (size_t i = off; i < off + 16; i++)
			if (i < n)
				fprintf(f, " %02x", p[i]);
			else
				fprintf(f, "   ");
		fprintf(f, "  ");
		for (size_t i = off; i < off + 16 && i < n; i++)
			fputc(p[i] >= 0x20 && p[i] < 0x7f ? p[i] : '.', f);
		fputc('\n', f);
	}
}

static void records(FILE *f, const model_step *st)
{
	for (size_t i = 0; i < st->n_rec; i++) {
		const model_record *r = &st->rec[i];
		fprintf(f, "\nRecord %zu: %s, %zu bytes, %s%s\n", i + 1,
			r->wire.p[0] == 22 ? "handshake" : r->wire.p[0] == 20 ? "change_cipher_spec"
			: r->wire.p[0] == 21 ? "alert" : "application_data",
			r->wire.len, r->from_server ? "server -> client" : "client -> server",
			r->encrypted ? ", encrypted" : "");
		dump(f, r->wire.p, r->wire.len, "  ");
		fprintf(f, "  Fields:\n");
		fields(f, r->wire.p, r->wire.len, &r->fields, "    ");
	}
}

static void messages(FILE *f, const model_step *st)
{
	for (size_t i = 0; i < st->n_msg; i++) {
		const model_msg *g = &st->msg[i];
		if (!g->encrypted && !g->note[0])
			continue; /* its fields were listed with its record */
		fprintf(f, "\n%s from the %s (%s)\n", g->name, g->from_server ? "server" : "client",
			g->decrypted ? "decrypted" : "encrypted, not readable");
		if (g->decrypted && g->encrypted) {
			dump(f, g->bytes.p, g->bytes.len, "  ");
			fields(f, g->bytes.p, g->bytes.len, &g->fields, "    ");
		}
		if (g->note[0])
			fprintf(f, "  %s\n", g->note);
	}
}

static void value(FILE *f, const model_value *v)
{
	if (!v->known)
		fprintf(f, "(not known yet)");
	else
		hex_line(f, v->v, v->len, 64);
}

static void knowledge(FILE *f, const model_step *st)
{
	fprintf(f, "\nWho knows what after this step:\n");
	if (st->client.inferred || st->server.inferred)
		fprintf(f, "  (the %s's column is inferred: what the protocol lets the peer know by now, "
			   "not read from it)\n", st->client.inferred ? "client" : "server");
	for (int i = 0; i < MS_COUNT; i++) {
		const model_value *c = &st->client.v[i], *s = &st->server.v[i];
		if (!c->known && !s->known)
			continue;
		fprintf(f, "  %-22s client: ", model_secret_label(i));
		value(f, c);
		fprintf(f, "\n  %-22s server: ", "");
		value(f, s);
		fputc('\n', f);
	}
	if (st->client.transcript_hash.known) {
		fprintf(f, "  %-22s client: ", "transcript hash");
		value(f, &st->client.transcript_hash);
		fprintf(f, " (%zu bytes of handshake messages)\n", st->client.transcript_len);
	}
	if (st->client.cert_note[0])
		fprintf(f, "  client's certificate check: %s\n", st->client.cert_note);
	if (st->server.cert_note[0])
		fprintf(f, "  server's check of the client certificate: %s\n", st->server.cert_note);
}

static void cut(FILE *f, const model *m, const char *name, size_t *at, size_t len)
{
	if (!len)
		return;
	fprintf(f, "    %-22s key_block[%3zu..%3zu] = ", name, *at, *at + len - 1);
	hex_line(f, m->key_block + *at, len, 64);
	fputc('\n', f);
	*at += len;
}

static void derivation(FILE *f, const model *m)
{
	const model_value *s = m->secrets;
	const char *h = model_hash_name(m);
	if (!s[MS_MASTER].known)
		return;
	const model_long_value *pf = &m->premaster_full;
	size_t plen = pf->len > s[MS_PREMASTER].len ? pf->len : s[MS_PREMASTER].len;
	fprintf(f, "\nDerivation (%s):\n  premaster secret (%zu bytes) = ", model_prf_name(m), plen);
	if (pf->len > s[MS_PREMASTER].len)
		hex_line(f, pf->v, pf->len, pf->len);
	else
		value(f, &s[MS_PREMASTER]);
	if (m->ems) {
		fprintf(f, "\n  session_hash = %s(every handshake message up to the ClientKeyExchange)\n"
			   "               = ", h);
		value(f, &m->session_hash);
		fprintf(f, "\n  master_secret = PRF(premaster_secret, \"extended master secret\", session_hash)[0..47]"
			   " (RFC 7627)\n                = ");
	} else {
		fprintf(f, "\n  master_secret = PRF(premaster_secret, \"master secret\", client_random + server_random)[0..47]\n"
			   "                = ");
	}
	value(f, &s[MS_MASTER]);
	fprintf(f, "\n  key_block = PRF(master_secret, \"key expansion\", server_random + client_random), %zu bytes, cut as:\n",
		m->key_block_len);
	size_t at = 0;
	size_t mac = s[MS_CLIENT_MAC].known ? s[MS_CLIENT_MAC].len : 0;
	cut(f, m, "client_write_MAC_key", &at, mac);
	cut(f, m, "server_write_MAC_key", &at, mac);
	cut(f, m, "client_write_key", &at, s[MS_CLIENT_KEY].len);
	cut(f, m, "server_write_key", &at, s[MS_SERVER_KEY].len);
	cut(f, m, "client_write_IV", &at, s[MS_CLIENT_IV].len);
	cut(f, m, "server_write_IV", &at, s[MS_SERVER_IV].len);
}

static void verify(FILE *f, const model *m, int server)
{
	const model_value *v = &m->secrets[server ? MS_SERVER_VERIFY : MS_CLIENT_VERIFY];
	if (!v->known)
		return;
	char formula[256];
	model_finished_formula(m, server, formula, sizeof formula);
	fprintf(f, "\n  %s verify_data = %s\n                     = ", server ? "server" : "client", formula);
	value(f, v);
	fputc('\n', f);
}

void text_header(FILE *f, const model *m)
{
	fprintf(f, "tlsstep: %s", m->source);
	if (m->scenario[0])
		fprintf(f, ", scenario %s", m->scenario);
	if (m->has_seed)
		fprintf(f, ", seed %llu", (unsigned long long)m->seed);
	fputc('\n', f);
}

void text_step(FILE *f, const model *m, int step)
{
	const model_step *st = &m->steps[step];
	fprintf(f, "\n==== Step %d: %s (%s) ====\n", step, st->title, step_direction(step));
	if (st->note[0])
		fprintf(f, "Note: %s\n", st->note);
	records(f, st);
	messages(f, st);
	if (m->t13.active) { /* the key schedule holds the derivation and both Finished */
		text13_knowledge(f, m, step);
		text13_keysched(f, m, step);
	} else {
		knowledge(f, st);
		if (step == 5)
			derivation(f, m);
		if (step == 5 || step == 6)
			verify(f, m, step == 6);
	}
	if (m->alert.present && m->alert.step == step) {
		const char *nm = tls_alert_name(m->alert.desc);
		fprintf(f, "\n!! The %s sent a fatal alert: %s (%d)\n   why: %s\n", m->alert.by_server ? "server" : "client",
			nm ? nm : "unknown", m->alert.desc, m->alert.reason);
	}
}

void text_summary(FILE *f, const model *m)
{
	fprintf(f, "\nOutcome: %s", model_outcome_name(m->outcome));
	if (m->suite[0])
		fprintf(f, ", cipher suite %s (0x%04X)", m->suite, m->suite_id);
	fputc('\n', f);
}

void text_lesson(FILE *f, const model *m, int step, const char *file)
{
	tls_buf md = {0};
	char err[512];
	if (lesson_load(m, step, file, &md, err, sizeof err) == 0) {
		fputc('\n', f);
		lesson_print(f, (const char *)md.p, 76);
	} else {
		fprintf(f, "\n(lesson unavailable: %s)\n", err);
	}
	tls_buf_free(&md);
}

void text_scenario_part(FILE *f, const model *m, int step, const char *raw)
{
	tls_buf md = {0};
	char err[512];
	if (lesson_scenario_part(m, step, raw, &md, err, sizeof err) == 0) {
		if (md.len > 1) {
			fprintf(f, "\n-- In this scenario (%s) --\n\n", m->scenario);
			lesson_print(f, (const char *)md.p, 76);
		}
	} else {
		fprintf(f, "\n(scenario lesson unavailable: %s)\n", err);
	}
	tls_buf_free(&md);
}

void text_ladder(FILE *f, const model *m)
{
	lt_lines l;
	int ls[256];
	layout_ladder(m, -1, 72, 1, &l, ls, 256);
	fputc('\n', f);
	for (int i = 0; i < l.n; i++)
		fprintf(f, "%s\n", l.v[i]);
	lt_lines_free(&l);
}
