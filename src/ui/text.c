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
		if (!r->opened.len)
			continue;
		fprintf(f, "  Decrypted, as the receiver holds it (the ciphertext replaced by what it "
		           "decrypts to):\n");
		dump(f, r->opened.p, r->opened.len, "  ");
		fields(f, r->opened.p, r->opened.len, &r->opened_fields, "    ");
	}
}

static void messages(FILE *f, const model_step *st)
{
	for (size_t i = 0; i < st->n_msg; i++) {
		const model_msg *g = &st->msg[i];
		if (!g->encrypted && !g->note[0])
			continue; /* its fields were listed with its record */
		fprintf(f, "\n%s from the %s (%s)\n", model_msg_name(g->kind), g->from_server ? "server" : "client",
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

/* A row of the table shows at most the master secret's 48 bytes; a longer
 * value (a DHE premaster, as long as p) is written whole under Derivation. */
#define KNOW_BYTES 48

static void row_value(FILE *f, const model_value *v)
{
	if (!v->known)
		fprintf(f, "(not known yet)");
	else
		hex_line(f, v->v, v->len < KNOW_BYTES ? v->len : KNOW_BYTES, 64);
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
		row_value(f, c);
		fprintf(f, "\n  %-22s server: ", "");
		row_value(f, s);
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

/* The derivation view's lines, unwrapped: each value at the step where a
 * side computes it, with the openssl command that reproduces it. */
static void derivation(FILE *f, const model *m, int step)
{
	lt_lines l;
	if (layout_derivation(m, step, 1 << 20, &l) > 0) {
		fprintf(f, "\nDerivation in this step:\n");
		for (int i = 0; i < l.n; i++)
			fprintf(f, "%s%s\n", l.v[i][0] ? "  " : "", l.v[i]);
	}
	lt_lines_free(&l);
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
		derivation(f, m, step);
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
