#include "ui/keysched.h"

#include "model/model13.h"

#include <stdio.h>
#include <string.h>

/* Which side holds a secret after the step: bit 0 client, bit 1 server. */
static int holders(const model *m, int step, const char *name)
{
	const model_step *st = &m->steps[step];
	return model13_known(&st->client, name) | model13_known(&st->server, name) << 1;
}

int layout_keysched_has(const model *m, int step)
{
	if (!model_is_tls13(m) || step < 1 || step > MODEL_LAST_STEP || !m->steps[step].reached)
		return 0;
	return (m->steps[step].client.t13_known | m->steps[step].server.t13_known) != 0;
}

#define KNOW13_BYTES 48 /* as the TLS 1.2 rows: the pane clips, the JSON has all */

static void know_hex(const uint8_t *p, size_t len, int known, char *out, size_t n)
{
	size_t i = 0;
	if (!known) {
		snprintf(out, n, "not yet");
		return;
	}
	for (; i < len && i < KNOW13_BYTES && 2 * i + 2 < n; i++)
		snprintf(out + 2 * i, n - 2 * i, "%02x", p[i]);
	out[2 * i] = 0;
}

const lt_basic13 lt_basic13_rows[3] = {{MS_CLIENT_RANDOM, "client random"},
                                       {MS_SERVER_RANDOM, "server random"},
                                       {MS_PREMASTER, "(EC)DHE shared secret"}};

int layout_knowledge13(const model *m, int step, lt_know *rows, int max)
{
	const lt_basic13 *basic = lt_basic13_rows;
	const model_side *c = &m->steps[step].client, *s = &m->steps[step].server;
	int n = 0;
	for (size_t b = 0; b < 3 && n < max; b++, n++) {
		const model_value *vc = &c->v[basic[b].i], *vs = &s->v[basic[b].i];
		snprintf(rows[n].label, sizeof rows[n].label, "%s", basic[b].label);
		know_hex(vc->v, vc->len, vc->known, rows[n].client, sizeof rows[n].client);
		know_hex(vs->v, vs->len, vs->known, rows[n].server, sizeof rows[n].server);
	}
	for (size_t i = 0; i < model13_count() && n < max; i++) {
		const model13_secret *d = model13_at(i);
		int kc = model13_known(c, d->name), ks = model13_known(s, d->name);
		const tls13_step *t = model13_value(m, d->name);
		if ((!kc && !ks) || !t)
			continue;
		snprintf(rows[n].label, sizeof rows[n].label, "%s", d->label);
		know_hex(t->value, t->len, kc, rows[n].client, sizeof rows[n].client);
		know_hex(t->value, t->len, ks, rows[n].server, sizeof rows[n].server);
		n++;
	}
	return n;
}

static void hex_lines(lt_lines *l, int indent, const char *lead, const uint8_t *p, size_t n, int width)
{
	int lead_w = (int)strlen(lead);
	int chunk = (width - indent - lead_w) / 2;
	if (chunk < 4)
		chunk = 4;
	if (chunk > 128)
		chunk = 128;
	for (size_t at = 0; at < n; at += (size_t)chunk) {
		char h[260];
		size_t k = n - at < (size_t)chunk ? n - at : (size_t)chunk;
		for (size_t i = 0; i < k; i++)
			snprintf(h + 2 * i, sizeof h - 2 * i, "%02x", p[at + i]);
		lt_lines_add(l, "%*s%s%s", indent, "", at ? "" : lead, h);
		if (!at)
			indent += lead_w;
	}
}

/* The formula that made t, in RFC 8446's words. */
static void formula(const model *m, const tls13_step *t, char *out, size_t n)
{
	const char *covers = model13_covers(t);
	if (!t->label && t->ikm) /* HKDF-Extract */
		snprintf(out, n, "%s = HKDF-Extract(salt: %s, IKM: %s)", t->name,
		         !strcmp(t->from, "zeros") ? "0" : t->from,
		         !strcmp(t->ikm, "psk")       ? "PSK"
		         : !strcmp(t->ikm, "(ec)dhe") ? "(EC)DHE shared secret"
		                                      : "0 (zeros)");
	else if (!t->label) /* verify_data */
		snprintf(out, n, "%s = HMAC-%s(%s, Transcript-Hash(%s))", t->name,
		         m->t13.sched.hash_len == 48 ? "SHA384" : "SHA256", t->from, covers ? covers : "");
	else if (covers)
		snprintf(out, n, "%s = Derive-Secret(%s, \"%s\", %s)", t->name, t->from, t->label,
		         covers[0] ? covers : "\"\"");
	else
		snprintf(out, n, "%s = HKDF-Expand-Label(%s, \"%s\", \"\", %zu)", t->name, t->from, t->label,
		         t->len);
}

static const char *who(int h)
{
	return h == 1 ? " [client only]" : h == 2 ? " [server only]" : "";
}

static void node(const model *m, int step, const tls13_step *t, int depth, int width, lt_lines *l)
{
	const tls13_sched *s = &m->t13.sched;
	char f[400];
	int h = holders(m, step, t->name), ind = 2 * depth;
	if (!h)
		return;
	formula(m, t, f, sizeof f);
	lt_lines_add(l, "%*s%s%s", ind, "", f, who(h));
	if (t->ikm && !strcmp(t->ikm, "(ec)dhe") && m->secrets[MS_PREMASTER].known)
		hex_lines(l, ind + 2, "(EC)DHE shared secret = ", m->secrets[MS_PREMASTER].v,
		          m->secrets[MS_PREMASTER].len, width);
	const char *covers = model13_covers(t);
	if (t->context_len && covers)
		hex_lines(l, ind + 2, covers[0] ? "transcript hash = " : "Hash(\"\") = ", t->context,
		          t->context_len, width);
	hex_lines(l, ind + 2, "= ", t->value, t->len, width);
	for (size_t i = 0; i < s->trace_len; i++)
		if (s->trace[i].from && !strcmp(s->trace[i].from, t->name))
			node(m, step, &s->trace[i], depth + 1, width, l);
}

/* A root is a derivation whose input is no other derivation of the trace. */
static int is_root(const tls13_sched *s, const tls13_step *t)
{
	for (size_t i = 0; i < s->trace_len; i++)
		if (t->from && !strcmp(s->trace[i].name, t->from))
			return 0;
	return 1;
}

int layout_keysched(const model *m, int step, int width, lt_lines *out)
{
	memset(out, 0, sizeof *out);
	if (!layout_keysched_has(m, step))
		return 0;
	const tls13_sched *s = &m->t13.sched;
	lt_lines_add(out, "TLS 1.3 key schedule (RFC 8446 7.1), HKDF with %s; what is known after step %d",
	             s->hash_len == 48 ? "SHA-384" : "SHA-256", step);
	lt_lines_add(out, "%s",
	             "Derive-Secret(S, L, M) = HKDF-Expand-Label(S, L, Transcript-Hash(M), Hash.length)");
	for (size_t i = 0; i < s->trace_len; i++)
		if (is_root(s, &s->trace[i]))
			node(m, step, &s->trace[i], 0, width, out);
	return out->n;
}
