/* --plain for TLS 1.3: who knows what under the RFC 8446 names, and the key
 * schedule tree (keysched.h) after each step. */
#include "ui/views.h"

#include "model/model13.h"
#include "ui/keysched.h"

#include <string.h>

static void hex(FILE *f, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%02x", p[i]);
}

static void row(FILE *f, const char *label, const model_side *c, const model_side *s, const uint8_t *v,
                size_t n, int kc, int ks)
{
	(void)c;
	(void)s;
	fprintf(f, "  %-34s client: ", label);
	if (kc)
		hex(f, v, n);
	else
		fputs("(not known yet)", f);
	fprintf(f, "\n  %-34s server: ", "");
	if (ks)
		hex(f, v, n);
	else
		fputs("(not known yet)", f);
	fputc('\n', f);
}

void text13_knowledge(FILE *f, const model *m, int step)
{
	const model_step *st = &m->steps[step];
	const model_side *c = &st->client, *s = &st->server;
	fprintf(f, "\nWho knows what after this step:\n");
	const lt_basic13 *basic = lt_basic13_rows;
	for (size_t b = 0; b < 3; b++) {
		const model_value *vc = &c->v[basic[b].i], *vs = &s->v[basic[b].i];
		if (!vc->known && !vs->known)
			continue;
		const model_value *v = vc->known ? vc : vs;
		row(f, basic[b].label, c, s, v->v, v->len, vc->known, vs->known);
	}
	for (size_t i = 0; i < model13_count(); i++) {
		const model13_secret *d = model13_at(i);
		int kc = model13_known(c, d->name), ks = model13_known(s, d->name);
		const tls13_step *t = model13_value(m, d->name);
		if ((!kc && !ks) || !t)
			continue;
		row(f, d->label, c, s, t->value, t->len, kc, ks);
	}
	if (c->transcript_hash.known) {
		fprintf(f, "  %-34s client: ", "transcript hash");
		hex(f, c->transcript_hash.v, c->transcript_hash.len);
		fprintf(f, " (%zu bytes of handshake messages)\n", c->transcript_len);
	}
	if (c->cert_note[0])
		fprintf(f, "  client's certificate check: %s\n", c->cert_note);
	if (s->cert_note[0])
		fprintf(f, "  server's check of the client certificate: %s\n", s->cert_note);
}

void text13_keysched(FILE *f, const model *m, int step)
{
	lt_lines l;
	if (layout_keysched(m, step, 1000, &l) > 0) {
		fputs("\nKey schedule:\n", f);
		for (int i = 0; i < l.n; i++)
			fprintf(f, "  %s\n", l.v[i]);
	}
	lt_lines_free(&l);
}
