/* Pure view-model functions of the TUI: text for the timeline, hex dump,
 * knowledge pane and help, and the screen's rectangles. */
#include "ui/layout.h"

#include "ui/views.h"
#include "ui/keysched.h"

#include "model/model13.h"

#include "tls/alert.h"
#include "tls/keys.h"
#include "tls/msg.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int layout_cols(const char *s)
{
	int c = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			c++;
	return c;
}

size_t layout_fit(const char *s, int cols)
{
	size_t i = 0;
	int c = 0;
	while (s[i]) {
		if (((unsigned char)s[i] & 0xc0) != 0x80) {
			if (c == cols)
				break;
			c++;
		}
		i++;
	}
	return i;
}

/* ---- timeline ---- */

int layout_step_encrypted(const model *m, int step)
{
	const model_step *st = &m->steps[step];
	if (!st->reached)
		return step >= 5;
	for (size_t i = 0; i < st->n_rec; i++)
		if (st->rec[i].encrypted)
			return 1;
	return 0;
}

const char *layout_arrow(int step, int ascii)
{
	const char *d = step_direction(step);
	if (!strncmp(d, "client", 6))
		return ascii ? "C->S" : "C→S";
	if (!strncmp(d, "server", 6))
		return ascii ? "C<-S" : "C←S";
	return ascii ? "C<>S" : "C⇄S";
}

static const char *const short_titles[] = {"", "ClientHello", "ServerHello", "Certificate", "HelloDone",
					   "Response", "Finished", "Secure"};

static int step_alert(const model *m, int step)
{
	return m->alert.present && m->alert.step == step;
}

/* The session_id of a hello, read from its bytes (type, length, version,
 * random, then the id with its length byte at offset 38), so it works on
 * brief models without field spans too; NULL when there is none. */
static const uint8_t *hello_session(const model *m, int step, enum model_msg_kind kind, size_t *n)
{
	const model_msg *g = model_find_msg(m, step, kind, step == 2);
	*n = 0;
	if (!g || !g->bytes.p || g->bytes.len < 39)
		return NULL;
	size_t k = g->bytes.p[38];
	if (k > 32 || g->bytes.len < 39 + k)
		return NULL;
	*n = k;
	return g->bytes.p + 39;
}

/* Resumed: the server took up the session ID the client offered (RFC 5246
 * 7.4.1.3), whoever made the model (simulation, replay, live). */
int layout_resumed(const model *m)
{
	/* TLS 1.3 echoes any session ID (middlebox compatibility): what
	 * resumes is an accepted pre-shared key (RFC 8446 4.2.11) */
	if (m->t13.active)
		return m->t13.psk_accepted;
	size_t cn, sn;
	const uint8_t *c = hello_session(m, 1, MODEL_MSG_CLIENT_HELLO, &cn);
	const uint8_t *s = hello_session(m, 2, MODEL_MSG_SERVER_HELLO, &sn);
	return c && s && cn && cn == sn && !memcmp(c, s, cn);
}

int layout_step_skipped(const model *m, int step)
{
	const model_step *st = &m->steps[step];
	return (step == 3 || step == 4) && st->reached && !st->n_rec && layout_resumed(m);
}

static const char *mark_of(const model *m, int step, int level)
{
	int enc = layout_step_encrypted(m, step);
	if (step_alert(m, step))
		return level >= 4 ? "!" : "ALERT";
	if (layout_step_skipped(m, step))
		return level >= 4 ? "-" : "skipped";
	if (enc)
		return level >= 4 ? "e" : "enc";
	return level >= 3 ? "" : "clear"; /* cleartext is the default; only the rest is marked */
}

static void entry(const model *m, int step, int cur, int level, int ascii, char *out, size_t n)
{
	const char *mark = mark_of(m, step, level);
	const char *pre = step == cur ? (ascii ? ">" : "▶") : " ";
	if (step == 0) {
		snprintf(out, n, "%s0%s", pre, step == cur || level == 0 ? " Introduction" : level == 1 ? " Intro" : "");
		return;
	}
	const char *arrow = layout_arrow(step, ascii);
	if (step == cur || level == 0)
		snprintf(out, n, "%s%d %s %s %s", pre, step, m->steps[step].title, arrow, mark);
	else if (level == 1)
		snprintf(out, n, "%s%d %s %s %s", pre, step,
			 model_is_tls13(m) ? model13_short_title(step) : short_titles[step], arrow, mark);
	else if (level == 2)
		snprintf(out, n, "%s%d %s %s", pre, step, arrow, mark);
	else if (level == 3)
		snprintf(out, n, "%s%d %s%s%s", pre, step, arrow, *mark ? " " : "", mark);
	else
		snprintf(out, n, "%s%d%s", pre, step, mark);
}

static int timeline_level(const model *m, int cur, int last, int level, int ascii, layout_timeline *t)
{
	char e[160];
	int col = 0;
	t->text[0] = 0;
	t->level = level;
	for (int s = 0; s <= last; s++) {
		entry(m, s, cur, level, ascii, e, sizeof e);
		t->col[s] = col;
		if (s == cur) {
			t->cur_col = col;
			t->cur_width = layout_cols(e);
		}
		col += layout_cols(e) + (s < last ? 2 - (level > 2) : 0);
		strncat(t->text, e, sizeof t->text - strlen(t->text) - 1);
		if (s < last)
			strncat(t->text, level > 2 ? " " : "  ", sizeof t->text - strlen(t->text) - 1);
	}
	return col;
}

void layout_timeline_make(const model *m, int cur, int last, int width, int ascii, layout_timeline *t)
{
	for (int level = 0; level < 4; level++)
		if (timeline_level(m, cur, last, level, ascii, t) <= width)
			return;
	timeline_level(m, cur, last, 4, ascii, t);
}

/* ---- field tree ---- */

static int tree_add(lt_tree *t, const lt_row *r)
{
	if (t->n == t->cap) {
		int cap = t->cap ? t->cap * 2 : 64;
		lt_row *v = realloc(t->v, (size_t)cap * sizeof *v);
		if (!v)
			return -1;
		t->v = v;
		t->cap = cap;
	}
	t->v[t->n] = *r;
	return t->n++;
}

void layout_tree_free(lt_tree *t)
{
	free(t->v);
	memset(t, 0, sizeof *t);
}

#define MAX_COMPS 12
typedef char comp_t[TLS_SPAN_PATH];

/* "client_hello.extensions[0].type" -> "extensions", "[0]", "type": the
 * first component names the message and is dropped. */
static int split_path(const char *path, comp_t *c, int max)
{
	size_t first = strcspn(path, ".[");
	const char *p = path + first;
	int n = 0;
	if (*p == '[') { /* "certificate[0].version": keep "certificate[0]" whole */
		size_t k = strcspn(path, ".");
		snprintf(c[n++], sizeof c[0], "%.*s", (int)k, path);
		p = path + k;
	}
	if (*p == '.')
		p++;
	else if (!*p && !n)
		p = path;
	while (*p && n < max) {
		size_t k = 1;
		while (p[k] && p[k] != '.' && p[k] != '[')
			k++;
		memcpy(c[n], p, k);
		c[n++][k] = 0;
		p += k;
		if (*p == '.')
			p++;
	}
	return n;
}

static void value_preview(const uint8_t *p, size_t len, char *out, size_t n);

/* " 009c TLS_RSA_WITH_AES_128_GCM_SHA256": the value, then its name when
 * the engine has one; a certificate field shows its decoded value only. */
/* Returns the length of the value's hex at the start of out when a name
 * follows it (a narrow tree may drop it), else 0. */
static size_t field_text(const tls_span *s, const uint8_t *p, size_t avail, char *out, size_t n)
{
	char name[128];
	int named = layout_field_name(s, p, avail, name, sizeof name);
	if (named && !strncmp(s->path, "certificate[", 12)) {
		snprintf(out, n, " %s", name);
		return 0;
	}
	value_preview(p, s->length, out, n);
	size_t hex = strlen(out);
	if (named)
		snprintf(out + strlen(out), n - strlen(out), " %s", name);
	return named ? hex : 0;
}

static void value_preview(const uint8_t *p, size_t len, char *out, size_t n)
{
	if (!p || len > 8) {
		snprintf(out, n, " (%zu bytes)", len);
		return;
	}
	if (len == 0) {
		snprintf(out, n, " (empty)");
		return;
	}
	out[0] = ' ';
	for (size_t i = 0; i < len && 2 * i + 3 < n; i++)
		snprintf(out + 1 + 2 * i, n - 1 - 2 * i, "%02x", p[i]);
}

typedef struct {
	lt_tree *t;
	int parent, depth, rec, msg, in_msg, opened;
	size_t base, limit; /* offset added to spans; bytes available */
	const uint8_t *bytes;
	int stack[MAX_COMPS];
	comp_t comps[MAX_COMPS];
	int sp;
} field_ctx;

static void grow_groups(field_ctx *c, size_t off, size_t len)
{
	for (int i = 0; i < c->sp; i++) {
		lt_row *g = &c->t->v[c->stack[i]];
		if (g->span)
			continue;
		size_t end = g->off + g->len > off + len ? g->off + g->len : off + len;
		if (g->len == 0)
			g->off = off;
		else if (off < g->off)
			g->off = off;
		g->len = end - g->off;
	}
}

static int add_field(field_ctx *c, const tls_span *s)
{
	comp_t comp[MAX_COMPS];
	int k = split_path(s->path, comp, MAX_COMPS);
	if (k == 0)
		return 0;
	size_t off = c->base + s->offset;
	int in_msg = c->in_msg;
	if (off + s->length > c->limit)
		return 0;
	int keep = 0;
	while (keep < c->sp && keep < k && !strcmp(c->comps[keep], comp[keep]))
		keep++;
	c->sp = keep;
	if (c->sp == k && !c->t->v[c->stack[k - 1]].span) {
		lt_row *g = &c->t->v[c->stack[k - 1]];
		g->span = s; /* a group whose own bytes come after its parts */
		char pv[140];
		size_t hex = field_text(s, c->bytes + off, c->limit - off, pv, sizeof pv);
		g->hex_at = (uint8_t)strlen(g->label);
		g->hex_len = (uint8_t)hex;
		strncat(g->label, pv, sizeof g->label - strlen(g->label) - 1);
		grow_groups(c, off, s->length);
		return 0;
	}
	while (c->sp < k) {
		lt_row r = {.kind = LT_FIELD,
		            .depth = c->depth + c->sp,
		            .rec = c->rec,
		            .msg = c->msg,
		            .in_msg = in_msg,
		            .opened = c->opened,
		            .off = off,
		            .len = 0};
		r.parent = c->sp ? c->stack[c->sp - 1] : c->parent;
		snprintf(r.label, sizeof r.label, "%s", comp[c->sp]);
		if (c->sp == k - 1) {
			r.span = s;
			r.len = s->length;
			char pv[140];
			size_t hex = field_text(s, c->bytes + off, c->limit - off, pv, sizeof pv);
			r.hex_at = (uint8_t)strlen(r.label);
			r.hex_len = (uint8_t)hex;
			strncat(r.label, pv, sizeof r.label - strlen(r.label) - 1);
		}
		int at = tree_add(c->t, &r);
		if (at < 0)
			return -1;
		strcpy(c->comps[c->sp], comp[c->sp]);
		c->stack[c->sp++] = at;
	}
	grow_groups(c, off, s->length);
	return 0;
}

/* filter: 1 only "record." paths, 2 all but them, 0 everything. */
static int add_fields(field_ctx *c, const tls_spans *sp, int filter)
{
	for (size_t i = 0; i < sp->n; i++) {
		int hdr = !strncmp(sp->v[i].path, "record.", 7);
		if ((filter == 1 && !hdr) || (filter == 2 && hdr))
			continue;
		if (add_field(c, &sp->v[i]))
			return -1;
	}
	return 0;
}

static int add_message(lt_tree *t, const model_step *st, int ri, int rrow, int mi)
{
	const model_msg *g = &st->msg[mi];
	const model_record *rec = &st->rec[ri];
	lt_row r = {.kind = LT_MSG, .depth = 1, .parent = rrow, .rec = ri, .msg = mi};
	size_t woff = 5 + g->record_offset;
	r.in_msg = g->encrypted && g->decrypted;
	if (r.in_msg)
		r.len = g->bytes.len;
	else if (g->encrypted) {
		r.off = 5;
		r.len = rec->wire.len > 5 ? rec->wire.len - 5 : 0;
	} else {
		r.off = woff < rec->wire.len ? woff : rec->wire.len;
		r.len = g->bytes.len < rec->wire.len - r.off ? g->bytes.len : rec->wire.len - r.off;
	}
	snprintf(r.label, sizeof r.label, "%s%s", model_msg_name(g->kind),
		 !g->encrypted ? "" : g->decrypted ? " (decrypted)" : " (encrypted)");
	int at = tree_add(t, &r);
	if (at < 0 || (g->encrypted && !g->decrypted))
		return at < 0 ? -1 : 0;
	field_ctx c = {.t = t, .parent = at, .depth = 2, .rec = ri, .msg = mi, .in_msg = r.in_msg};
	c.base = r.in_msg ? 0 : woff;
	c.bytes = r.in_msg ? g->bytes.p : rec->wire.p;
	c.limit = r.in_msg ? g->bytes.len : rec->wire.len;
	return add_fields(&c, &g->fields, 0);
}

/* The decrypted record under its record: IV, message, MAC, padding. */
static int add_opened(lt_tree *t, const model_record *rec, int ri, int rrow)
{
	lt_row r = {.kind = LT_FIELD,
	            .depth = 1,
	            .parent = rrow,
	            .rec = ri,
	            .msg = -1,
	            .opened = 1,
	            .len = rec->opened.len};
	snprintf(r.label, sizeof r.label, "decrypted, as the receiver holds it");
	int at = tree_add(t, &r);
	if (at < 0)
		return -1;
	field_ctx c = {.t = t,
	               .parent = at,
	               .depth = 2,
	               .rec = ri,
	               .msg = -1,
	               .opened = 1,
	               .bytes = rec->opened.p,
	               .limit = rec->opened.len};
	return add_fields(&c, &rec->opened_fields, 0);
}

static int add_record(lt_tree *t, const model_step *st, int ri)
{
	const model_record *rec = &st->rec[ri];
	lt_row r = {.kind = LT_RECORD, .parent = -1, .rec = ri, .msg = -1, .len = rec->wire.len};
	snprintf(r.label, sizeof r.label, "Record %d: %s, %zu B%s", ri + 1, tls_content_type_name(rec->type),
		 rec->wire.len, rec->encrypted ? ", encrypted" : "");
	int at = tree_add(t, &r), msgs = 0;
	if (at < 0)
		return -1;
	field_ctx c = {.t = t, .parent = at, .depth = 1, .rec = ri, .msg = -1, .bytes = rec->wire.p,
		       .limit = rec->wire.len};
	if (add_fields(&c, &rec->fields, 1))
		return -1;
	for (size_t i = 0; i < st->n_msg; i++)
		if (st->msg[i].record == (size_t)ri) {
			msgs++;
			if (add_message(t, st, ri, at, (int)i))
				return -1;
		}
	if (!msgs && !rec->encrypted) {
		c.sp = 0;
		return add_fields(&c, &rec->fields, 2);
	}
	return rec->opened.len ? add_opened(t, rec, ri, at) : 0;
}

int layout_tree_build(const model *m, int step, lt_tree *t)
{
	memset(t, 0, sizeof *t);
	if (step == 0) /* the introduction: nothing on the wire yet */
		return 0;
	if (step < 1 || step > MODEL_LAST_STEP)
		return -1;
	const model_step *st = &m->steps[step];
	for (size_t i = 0; i < st->n_rec; i++)
		if (add_record(t, st, (int)i))
			return -1;
	return 0;
}

int layout_tree_visible(const lt_tree *t, int *idx, int max)
{
	int n = 0;
	for (int i = 0; i < t->n && n < max; i++) {
		int p = t->v[i].parent, hidden = 0;
		for (; p >= 0 && !hidden; p = t->v[p].parent)
			hidden = t->v[p].collapsed;
		if (!hidden)
			idx[n++] = i;
	}
	return n;
}

static int has_text(const char *s, const char *q)
{
	size_t n = strlen(q);
	if (!n)
		return 0;
	for (; *s; s++)
		if (!strncasecmp(s, q, n))
			return 1;
	return 0;
}

int layout_tree_find(const lt_tree *t, int from, const char *q)
{
	for (int i = from < 0 ? 0 : from; i < t->n; i++)
		if (has_text(t->v[i].label, q) || (t->v[i].span && has_text(t->v[i].span->path, q)))
			return i;
	return -1;
}

void layout_row_buffer(const model *m, int step, const lt_row *r, const uint8_t **p, size_t *n)
{
	const model_step *st = &m->steps[step];
	if (r->in_msg) {
		*p = st->msg[r->msg].bytes.p;
		*n = st->msg[r->msg].bytes.len;
	} else if (r->opened) {
		*p = st->rec[r->rec].opened.p;
		*n = st->rec[r->rec].opened.len;
	} else {
		*p = st->rec[r->rec].wire.p;
		*n = st->rec[r->rec].wire.len;
	}
}

int layout_same_buffer(const lt_row *a, const lt_row *b)
{
	if (a->in_msg != b->in_msg || a->opened != b->opened)
		return 0;
	return a->in_msg ? a->msg == b->msg : a->rec == b->rec;
}

int layout_tree_at(const lt_tree *t, int like, size_t off)
{
	int best = -1;
	if (like < 0 || like >= t->n)
		return -1;
	for (int i = 0; i < t->n; i++) {
		const lt_row *r = &t->v[i];
		if (!layout_same_buffer(r, &t->v[like]) || off < r->off || off >= r->off + r->len)
			continue;
		if (best < 0 || r->len < t->v[best].len ||
		    (r->len == t->v[best].len && r->depth > t->v[best].depth))
			best = i;
	}
	return best;
}

/* ---- hex dump ---- */

int layout_hex_per_line(int width)
{
	static const int per[] = {32, 16, 8};
	for (size_t i = 0; i < sizeof per / sizeof per[0]; i++)
		if (layout_hex_width(per[i]) <= width)
			return per[i];
	return 4;
}

int layout_hex_width(int per) { return 7 + 4 * per; }
int layout_hex_col(int j) { return 6 + 3 * j; }
int layout_ascii_col(int j, int per) { return 7 + 3 * per + j; }

void layout_hex_line(const uint8_t *p, size_t n, size_t start, int per, char *out, size_t outn)
{
	size_t w = 0;
	w += (size_t)snprintf(out, outn, "%04zx  ", start);
	for (int j = 0; j < per && w < outn; j++)
		w += (size_t)snprintf(out + w, outn - w, start + j < n ? "%02x " : "   ",
				     start + j < n ? p[start + j] : 0);
	if (w < outn)
		w += (size_t)snprintf(out + w, outn - w, " ");
	for (int j = 0; j < per && start + j < n && w + 1 < outn; j++) {
		uint8_t b = p[start + j];
		out[w++] = b >= 0x20 && b < 0x7f ? (char)b : '.';
		out[w] = 0;
	}
}

long layout_hex_byte_at(int col, size_t start, int per, size_t n)
{
	int j = -1;
	if (col >= layout_hex_col(0) && col < layout_hex_col(per) - 1)
		j = (col - layout_hex_col(0)) / 3;
	else if (col >= layout_ascii_col(0, per) && col < layout_ascii_col(per, per))
		j = col - layout_ascii_col(0, per);
	if (j < 0 || start + (size_t)j >= n)
		return -1;
	return (long)(start + (size_t)j);
}

/* ---- who knows what ---- */

/* A row shows at most the master secret's 48 bytes; a longer value (a DHE
 * premaster, as long as p) is written whole in the derivation. */
#define KNOW_BYTES 48

static void hex_or(const model_value *v, const model_value *key, char *out, size_t n)
{
	if (v->known && v->len) {
		size_t i;
		for (i = 0; i < v->len && i < KNOW_BYTES && 2 * i + 2 < n; i++)
			snprintf(out + 2 * i, n - 2 * i, "%02x", v->v[i]);
		out[2 * i] = 0;
	} else if ((v->known && !v->len) || (key && key->known))
		snprintf(out, n, "none (AEAD suite)");
	else
		snprintf(out, n, "not yet");
}

static const model_value *mac_key_of(const model_side *s, int i)
{
	if (i == MS_CLIENT_MAC)
		return &s->v[MS_CLIENT_KEY];
	if (i == MS_SERVER_MAC)
		return &s->v[MS_SERVER_KEY];
	return NULL;
}

int layout_knowledge(const model *m, int step, lt_know *rows, int max)
{
	const model_step *st = &m->steps[step];
	int n = 0, tls13 = model_is_tls13(m) || m->t13.titled;
	if (tls13)
		n = layout_knowledge13(m, step, rows, max);
	for (int i = 0; !tls13 && i < MS_COUNT && n < max; i++, n++) {
		snprintf(rows[n].label, sizeof rows[n].label, "%s", model_secret_label(i));
		hex_or(&st->client.v[i], mac_key_of(&st->client, i), rows[n].client, sizeof rows[n].client);
		hex_or(&st->server.v[i], mac_key_of(&st->server, i), rows[n].server, sizeof rows[n].server);
	}
	if (n < max) {
		snprintf(rows[n].label, sizeof rows[n].label, "transcript hash");
		hex_or(&st->client.transcript_hash, NULL, rows[n].client, sizeof rows[n].client);
		hex_or(&st->server.transcript_hash, NULL, rows[n].server, sizeof rows[n].server);
		n++;
	}
	if (n < max) {
		snprintf(rows[n].label, sizeof rows[n].label, "hashed so far");
		snprintf(rows[n].client, sizeof rows[n].client, "%zu bytes", st->client.transcript_len);
		snprintf(rows[n].server, sizeof rows[n].server, "%zu bytes", st->server.transcript_len);
		n++;
	}
	if (n < max && (st->client.inferred || st->server.inferred)) {
		/* a live connection: the peer's column is what the protocol lets it know */
		snprintf(rows[n].label, sizeof rows[n].label, "column");
		snprintf(rows[n].client, sizeof rows[n].client, "%s", st->client.inferred ? "peer's, inferred" : "ours");
		snprintf(rows[n].server, sizeof rows[n].server, "%s", st->server.inferred ? "peer's, inferred" : "ours");
		n++;
	}
	if (n < max && (st->client.cert_note[0] || st->server.cert_note[0])) {
		snprintf(rows[n].label, sizeof rows[n].label, "certificate check");
		snprintf(rows[n].client, sizeof rows[n].client, "%s", st->client.cert_note[0] ? st->client.cert_note : "-");
		snprintf(rows[n].server, sizeof rows[n].server, "%s", st->server.cert_note[0] ? st->server.cert_note : "-");
		n++;
	}
	return n;
}

/* ---- text lines ---- */

int lt_lines_add(lt_lines *l, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (l->n == l->cap) {
		int cap = l->cap ? l->cap * 2 : 32;
		char **v = realloc(l->v, (size_t)cap * sizeof *v);
		if (!v)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	if (!(l->v[l->n] = strdup(buf)))
		return -1;
	l->n++;
	return 0;
}

void lt_lines_free(lt_lines *l)
{
	for (int i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof *l);
}

int layout_wrap(const char *s, int width, lt_lines *out)
{
	memset(out, 0, sizeof *out);
	if (width < 8)
		width = 8;
	while (*s) {
		size_t fit = layout_fit(s, width), cut = fit;
		if (s[fit]) {
			while (cut > 0 && s[cut] != ' ')
				cut--;
			if (cut == 0)
				cut = fit;
		}
		if (lt_lines_add(out, "%.*s", (int)cut, s))
			return -1;
		s += cut;
		while (*s == ' ')
			s++;
	}
	return out->n;
}

/* ---- derivation: each value shown at the step a side computes it ---- */

static const model_side *column(const model *m, int step, int server)
{
	return server ? &m->steps[step].server : &m->steps[step].client;
}

/* 1 when that side first holds secret i after this step. */
static int new_at(const model *m, int step, int server, int i)
{
	return column(m, step, server)->v[i].known && !(step > 1 && column(m, step - 1, server)->v[i].known);
}

/* Who first holds secret i after this step: 0 nobody, 1 client, 2 server,
 * 3 both. */
static int who_new(const model *m, int step, int i)
{
	return new_at(m, step, 0, i) | new_at(m, step, 1, i) << 1;
}

static const char *who_name(int who)
{
	return who == 3 ? "client and server" : who == 1 ? "client" : "server";
}

/* The hash openssl kdf's TLS1-PRF takes for this handshake's PRF. */
static const char *kdf_digest(const model *m)
{
	return tls_version_uses_prf10(m->version) ? "MD5-SHA1" : m->prf_sha384 ? "SHA384" : "SHA256";
}

int layout_has_derivation(const model *m, int step)
{
	if (model_is_tls13(m)) /* the pane shows the key schedule (keysched.h) */
		return layout_keysched_has(m, step);
	if (step < 1 || step > MODEL_LAST_STEP || !m->steps[step].reached)
		return 0;
	return who_new(m, step, MS_MASTER) || who_new(m, step, MS_CLIENT_KEY) ||
	       (step == 5 && m->finished_hash[0].known && m->secrets[MS_CLIENT_VERIFY].known) ||
	       (step == 6 && m->finished_hash[1].known && m->secrets[MS_SERVER_VERIFY].known);
}

/* Hex lines of n bytes indented by indent, wrapped to width. */
static void add_hex_only(lt_lines *l, int indent, const uint8_t *p, size_t n, int width)
{
	int chunk = (width - indent) / 2;
	if (chunk < 4)
		chunk = 4;
	if (chunk > 256)
		chunk = 256;
	for (size_t at = 0; at < n; at += (size_t)chunk) {
		char h[520];
		size_t k = n - at < (size_t)chunk ? n - at : (size_t)chunk;
		for (size_t i = 0; i < k; i++)
			snprintf(h + 2 * i, sizeof h - 2 * i, "%02x", p[at + i]);
		lt_lines_add(l, "%*s%s", indent, "", h);
	}
}

/* "label (n bytes)" then the hex under it. */
static void add_hex(lt_lines *l, int indent, const char *label, const uint8_t *p, size_t n, int width)
{
	lt_lines_add(l, "%*s%s (%zu bytes)", indent, "", label, n);
	add_hex_only(l, indent + 2, p, n, width);
}

/* s word-wrapped to width, each line indented by indent (the first by
 * first). */
static void add_wrapped(lt_lines *l, int first, int indent, const char *s, int width)
{
	lt_lines w;
	layout_wrap(s, width - indent, &w);
	for (int i = 0; i < w.n; i++)
		lt_lines_add(l, "%*s%s", i ? indent : first, "", w.v[i]);
	lt_lines_free(&w);
}

static void hex_into(char *out, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", p[i]);
	out[2 * n] = 0;
}

/* The openssl kdf command line that gives the same bytes: TLS1-PRF with
 * the label as the first seed and the hex seed after it (openssl joins
 * them, as the PRF does). */
static void add_kdf(lt_lines *l, const model *m, size_t len, const uint8_t *secret, size_t slen,
                    const char *label, const uint8_t *seed1, size_t n1, const uint8_t *seed2, size_t n2,
                    int width)
{
	char sec[2 * 1024 + 1], sd[2 * 96 + 1], cmd[2600];
	if (slen > 1024 || n1 + n2 > 96)
		return;
	hex_into(sec, secret, slen);
	hex_into(sd, seed1, n1);
	hex_into(sd + 2 * n1, seed2, n2);
	snprintf(cmd, sizeof cmd,
	         "openssl kdf -keylen %zu -kdfopt digest:%s -kdfopt hexsecret:%s -kdfopt 'seed:%s' "
	         "-kdfopt hexseed:%s TLS1-PRF",
	         len, kdf_digest(m), sec, label, sd);
	lt_lines_add(l, "  reproduce it (prints the same bytes, upper case, with colons):");
	add_wrapped(l, 4, 6, cmd, width);
}

/* When, in protocol terms, a side gets to compute a value at this step. */
static const char *moment(const model *m, int step)
{
	switch (step) {
	case 1: return m->resumed ? "from the session being resumed, computed in an earlier handshake" : "";
	case 2: return "once the ServerHello brought the server random";
	case 4: return "once the ServerHelloDone arrived, before it answers";
	case 5: return "once the ClientKeyExchange arrived";
	default: return "in this step";
	}
}

static void add_master(lt_lines *l, const model *m, int step, int who, int width)
{
	const model_side *c = column(m, step, who == 2);
	const model_value *v = c->v;
	char head[200];
	snprintf(head, sizeof head, "Master secret (%s), %s:", who_name(who), moment(m, step));
	add_wrapped(l, 0, 2, head, width);
	if (m->resumed && step == 1) {
		add_hex(l, 2, "master_secret", v[MS_MASTER].v, v[MS_MASTER].len, width);
		return;
	}
	if (m->ems) {
		lt_lines_add(l, "master_secret = PRF(pre_master_secret, \"extended master secret\",");
		lt_lines_add(l, "                    session_hash)[0..47]   (RFC 7627)");
		lt_lines_add(l, "  session_hash = %s(handshake messages through the ClientKeyExchange)",
		             model_hash_name(m));
	} else {
		lt_lines_add(l, "master_secret = PRF(pre_master_secret, \"master secret\",");
		lt_lines_add(l, "                    client_random + server_random)[0..47]");
	}
	if (v[MS_PREMASTER].known) /* whole: a DHE premaster is as long as p */
		add_hex(l, 2, "pre_master_secret", v[MS_PREMASTER].v, v[MS_PREMASTER].len, width);
	else
		lt_lines_add(l, "  pre_master_secret: not known here (the value below came from a key log)");
	if (m->ems)
		add_hex(l, 2, "session_hash", m->session_hash.v, m->session_hash.len, width);
	else {
		add_hex(l, 2, "client_random", v[MS_CLIENT_RANDOM].v, v[MS_CLIENT_RANDOM].len, width);
		add_hex(l, 2, "server_random", v[MS_SERVER_RANDOM].v, v[MS_SERVER_RANDOM].len, width);
	}
	add_hex(l, 2, "= master_secret", v[MS_MASTER].v, v[MS_MASTER].len, width);
	if (!v[MS_PREMASTER].known)
		return;
	const uint8_t *pms = v[MS_PREMASTER].v;
	size_t pl = v[MS_PREMASTER].len;
	if (m->ems)
		add_kdf(l, m, 48, pms, pl, "extended master secret", m->session_hash.v, m->session_hash.len,
		        NULL, 0, width);
	else
		add_kdf(l, m, 48, pms, pl, "master secret", v[MS_CLIENT_RANDOM].v, 32, v[MS_SERVER_RANDOM].v,
		        32, width);
}

static void add_cut(lt_lines *l, const model *m, const char *name, size_t *at, size_t len, int width)
{
	char h[200];
	if (!len) {
		lt_lines_add(l, "  %-20s none: an AEAD suite has no MAC key", name);
		return;
	}
	if (*at + len > m->key_block_len || 2 * len >= sizeof h)
		return;
	hex_into(h, m->key_block + *at, len);
	if (42 + (int)(2 * len) <= width)
		lt_lines_add(l, "  %-20s key_block[%3zu..%3zu] = %s", name, *at, *at + len - 1, h);
	else {
		lt_lines_add(l, "  %-20s key_block[%3zu..%3zu]", name, *at, *at + len - 1);
		add_hex_only(l, 4, m->key_block + *at, len, width);
	}
	*at += len;
}

static void add_keys(lt_lines *l, const model *m, int step, int who, int width)
{
	const model_value *v = column(m, step, who == 2)->v;
	if (l->n > 1)
		lt_lines_add(l, "%s", "");
	char head[200];
	snprintf(head, sizeof head, "Key block (%s), %s:", who_name(who), moment(m, step));
	add_wrapped(l, 0, 2, head, width);
	if (m->resumed)
		add_wrapped(l, 0, 1, "(from the resumed session's master secret and the two new randoms)",
		            width);
	lt_lines_add(l, "key_block = PRF(master_secret, \"key expansion\",");
	lt_lines_add(l, "                server_random + client_random)[0..%zu]",
	             m->key_block_len ? m->key_block_len - 1 : 0);
	add_hex(l, 2, "= key_block", m->key_block, m->key_block_len, width);
	add_kdf(l, m, m->key_block_len, v[MS_MASTER].v, v[MS_MASTER].len, "key expansion",
	        v[MS_SERVER_RANDOM].v, 32, v[MS_CLIENT_RANDOM].v, 32, width);
	size_t mac = v[MS_CLIENT_MAC].known ? v[MS_CLIENT_MAC].len : 0, at = 0;
	lt_lines_add(l, "cut in order (MAC key %zu, key %zu, IV %zu bytes):", mac, v[MS_CLIENT_KEY].len,
	             v[MS_CLIENT_IV].len);
	add_cut(l, m, "client_write_MAC_key", &at, mac, width);
	add_cut(l, m, "server_write_MAC_key", &at, mac, width);
	add_cut(l, m, "client_write_key", &at, v[MS_CLIENT_KEY].len, width);
	add_cut(l, m, "server_write_key", &at, v[MS_SERVER_KEY].len, width);
	add_cut(l, m, "client_write_IV", &at, v[MS_CLIENT_IV].len, width);
	add_cut(l, m, "server_write_IV", &at, v[MS_SERVER_IV].len, width);
}

/* The hash a Finished covers, with its length, so the student can feed the
 * PRF exactly what the side did. */
static void add_finished(lt_lines *l, const model *m, int server, int width)
{
	const char *who = server ? "server" : "client";
	const model_value *h = &m->finished_hash[server], *vd = &m->secrets[server ? MS_SERVER_VERIFY : MS_CLIENT_VERIFY];
	char f[320], line[400], label[32];
	if (!h->known || !vd->known)
		return;
	if (l->n > 1)
		lt_lines_add(l, "%s", "");
	model_finished_formula(m, server, f, sizeof f);
	snprintf(line, sizeof line, "%s verify_data = %s", who, f);
	add_wrapped(l, 0, 21, line, width);
	add_hex(l, 2, "= verify_data", vd->v, vd->len, width);
	snprintf(label, sizeof label, "%s finished", who);
	if (m->secrets[MS_MASTER].known)
		add_kdf(l, m, 12, m->secrets[MS_MASTER].v, 48, label, h->v, h->len, NULL, 0, width);
}

int layout_derivation(const model *m, int step, int width, lt_lines *out)
{
	memset(out, 0, sizeof *out);
	if (model_is_tls13(m))
		return layout_keysched(m, step, width, out);
	if (!layout_has_derivation(m, step))
		return 0;
	lt_lines_add(out, "%s (RFC 5246 5, 8.1, 6.3)", model_prf_name(m));
	int who = who_new(m, step, MS_MASTER);
	if (who)
		add_master(out, m, step, who, width);
	if ((who = who_new(m, step, MS_CLIENT_KEY)) && m->key_block_len)
		add_keys(out, m, step, who, width);
	if (step == 5 || step == 6)
		add_finished(out, m, step == 6, width);
	return out->n;
}

void layout_alert(const model *m, int step, char *out, size_t n)
{
	out[0] = 0;
	if (!m->alert.present || m->alert.step != step)
		return;
	const char *nm = tls_alert_name(m->alert.desc);
	snprintf(out, n, "ALERT: the %s sent a %s alert %s (%d): %s", m->alert.by_server ? "server" : "client",
		 m->alert.level == 1 ? "warning" : "fatal", nm ? nm : "unknown", m->alert.desc, m->alert.reason);
}

void layout_header(const model *m, int step, int ascii, char *out, size_t n)
{
	const char *dash = ascii ? "--" : "—";
	if (step == 0) {
		snprintf(out, n, "Step 0: Introduction %s what the six steps will do", dash);
		return;
	}
	const char *dir = step_direction(step);
	const model_step *st = &m->steps[step];
	int enc = 0, clear = 0;
	for (size_t i = 0; i < st->n_msg; i++)
		*(st->msg[i].encrypted ? &enc : &clear) += 1;
	const char *prot = enc && clear ? "partly encrypted" : enc ? "encrypted" : "cleartext";
	if (layout_step_skipped(m, step))
		prot = "skipped: the session was resumed";
	/* The handshake has six steps; the secure channel comes after them. */
	if (step == MODEL_LAST_STEP)
		snprintf(out, n, "After the 6 steps: %s %s %s, %s", st->title, dash, dir, prot);
	else
		snprintf(out, n, "Step %d of 6: %s %s %s, %s", step, st->title, dash, dir, prot);
}

const char *layout_plural(long n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

void layout_status(const model *m, char *out, size_t n)
{
	snprintf(out, n, "%s  seed %llu  %s%s", m->scenario[0] ? m->scenario : m->source,
		 (unsigned long long)m->seed, m->suite[0] ? m->suite : "suite not chosen yet",
		 layout_resumed(m) ? "  (resumed)" : "");
}

int layout_help(const lt_key *keys, size_t n, const char *marker, lt_lines *out)
{
	memset(out, 0, sizeof *out);
	lt_lines_add(out, "Keys");
	for (size_t i = 0; i < n; i++)
		lt_lines_add(out, "  %-22s  %s", keys[i].keys, keys[i].what);
	lt_lines_add(out, "%s", "");
	lt_lines_add(out, "Reverse video marks the selected field and its bytes; %s marks", marker);
	lt_lines_add(out, "%s", "the current step, the selected field and the focused pane.");
	return out->n;
}

/* ---- screen ---- */

/* The presenter layout: the field tree above the bytes on the left; on the
 * right the lesson (or the ladder) large, and below it who knows what (or
 * the derivation) when the screen is tall enough, else in the same place.
 * Every pane has one place; focus never moves it. Wide screens give the
 * hex dump 16 bytes a line and the right column the secrets' full width. */
void layout_screen(int w, int h, const lt_place *pl, lt_screen *s)
{
	memset(s, 0, sizeof *s);
	if (w < LAYOUT_MIN_W || h < LAYOUT_MIN_H) {
		s->too_small = 1;
		return;
	}
	s->timeline = (lt_rect){0, 0, 1, w};
	s->header = (lt_rect){1, 0, 1, w};
	s->status = (lt_rect){h - 1, 0, 1, w};
	s->detail = (lt_rect){h - 3, 0, 2, w};
	int y = 2, ch = h - 5;
	if (pl->zoom >= 0 && pl->zoom < P_COUNT) {
		s->pane[pl->zoom] = (lt_rect){y, 0, ch, w};
		return;
	}
	int lw = w >= 160 ? layout_hex_width(16) + 1 : w >= 120 ? 56 : 46;
	int th = ch * 11 / 20;
	s->pane[P_TREE] = (lt_rect){y, 0, th, lw};
	s->pane[P_DUMP] = (lt_rect){y + th, 0, ch - th, lw};
	int rx = lw + 1, rw = w - rx;
	if (h >= 34 && pl->lower >= 0) {
		int uh = ch * 11 / 20;
		if (pl->upper >= 0)
			s->pane[pl->upper] = (lt_rect){y, rx, uh, rw};
		else
			uh = 0;
		s->pane[pl->lower] = (lt_rect){y + uh, rx, ch - uh, rw};
	} else if (pl->single >= 0) {
		s->pane[pl->single] = (lt_rect){y, rx, ch, rw};
	}
}
