/* A step's records as annotated bytes: the TUI's field tree (the same
 * rows, from layout_tree_build) beside a hex dump of each buffer, the wire
 * bytes and any decrypted message. Every row is focusable and names the
 * bytes it covers in words, so the page reads without the script; the
 * script only lights the bytes up. The byte the attacker flipped is marked
 * and explained. */
#include "ui/html.h"

#include "tls/msg.h"
#include "ui/layout.h"

#include <string.h>

enum { PER_LINE = 16, MAX_RECORDS = 24 };

typedef struct {
	FILE *f;
	const model *m;
	int step;
	int bad_rec; /* the tampered byte: record and offset, -1 when none */
	size_t bad_off;
	uint8_t bad_xor;
	size_t *budget; /* bytes the page may still dump */
} ctx;

static void buf_id(char *out, size_t n, int step, const lt_row *r)
{
	if (r->in_msg)
		snprintf(out, n, "b%d-%d-m%d", step, r->rec, r->msg);
	else
		snprintf(out, n, "b%d-%d-w", step, r->rec);
}

/* The byte the attacker flipped, as the model recorded it. */
static void tampered_at(const model *m, int step, ctx *c)
{
	size_t rec;
	c->bad_rec = -1;
	if (model_tampered_byte(m, step, &rec, &c->bad_off)) {
		c->bad_rec = (int)rec;
		c->bad_xor = m->tamper.xor_;
	}
}

static int row_bad(const ctx *c, const lt_row *r)
{
	return c->bad_rec >= 0 && !r->in_msg && r->rec == c->bad_rec && c->bad_off >= r->off &&
	       c->bad_off < r->off + r->len;
}

/* What the sender wrote and what arrived, for a short field the attacker changed. */
/* " (TLS_RSA_...)" when the engine has a name for the value. */
static void value_name(FILE *f, const lt_row *r, const uint8_t *v)
{
	char nm[128];
	if (!r->span || !layout_field_name(r->span, v, r->len, nm, sizeof nm))
		return;
	fputs(" (", f);
	html_escs(f, nm);
	fputc(')', f);
}

/* What the sender wrote and what arrived, for a short field the attacker changed. */
static void sent_received(const ctx *c, const lt_row *r, const uint8_t *p, size_t n)
{
	fputs(" <strong class=\"tam\">changed on the wire", c->f);
	if (r->len <= 16 && r->off + r->len <= n) {
		uint8_t sent[16];
		memcpy(sent, p + r->off, r->len);
		sent[c->bad_off - r->off] ^= c->bad_xor;
		fputs(": the sender wrote ", c->f);
		html_hex(c->f, sent, r->len);
		value_name(c->f, r, sent);
		fputs(", the receiver got ", c->f);
		html_hex(c->f, p + r->off, r->len);
		value_name(c->f, r, p + r->off);
	}
	fputs("</strong>", c->f);
}

static void tree_row(const ctx *c, const lt_tree *t, int i)
{
	const lt_row *r = &t->v[i];
	const uint8_t *p;
	size_t n;
	char id[48];
	layout_row_buffer(c->m, c->step, r, &p, &n);
	buf_id(id, sizeof id, c->step, r);
	fprintf(
	    c->f,
	    "<li class=\"d%d\"><span class=\"f\" tabindex=\"0\" data-b=\"%s\" data-o=\"%zu\" data-l=\"%zu\"",
	    r->depth > 9 ? 9 : r->depth, id, r->off, r->len);
	if (r->kind == LT_MSG)
		fprintf(c->f, " id=\"s%d-m%d\"", c->step, r->msg);
	fputs(">", c->f);
	html_escs(c->f, r->label);
	fputs("</span> <span class=\"at\">", c->f);
	if (r->len == 1)
		fprintf(c->f, "byte %zu", r->off);
	else if (r->len)
		fprintf(c->f, "bytes %zu&ndash;%zu", r->off, r->off + r->len - 1);
	else
		fputs("no bytes", c->f);
	if (r->in_msg)
		fputs(" of the plaintext", c->f);
	fputs("</span>", c->f);
	if (r->span && r->span->meaning[0]) {
		fputs(" <span class=\"mn\">", c->f);
		html_escs(c->f, r->span->meaning);
		fputs("</span>", c->f);
	}
	if (row_bad(c, r))
		sent_received(c, r, p, n);
	fputs("</li>\n", c->f);
}

static void dump(const ctx *c, const char *id, const uint8_t *p, size_t n, long bad, const char *caption)
{
	size_t show = n < *c->budget ? n : *c->budget;
	*c->budget -= show;
	fputs("<figure class=\"dump\"><figcaption>", c->f);
	html_escs(c->f, caption);
	fprintf(c->f, " (%zu bytes)</figcaption>\n<div class=\"hex\" id=\"%s\">", n, id);
	for (size_t at = 0; at < show; at += PER_LINE) {
		fprintf(c->f, "<div class=\"ln\"><span class=\"o\">%04zx</span>", at);
		for (size_t k = at; k < at + PER_LINE && k < show; k++) {
			fputs((long)k == bad ? "<i class=\"t\">" : "<i>", c->f);
			html_hex(c->f, p + k, 1);
			fputs("</i>", c->f);
		}
		fputs("</div>", c->f);
	}
	fputs("</div>\n", c->f);
	if (show < n)
		fprintf(c->f,
		        "<p class=\"cut\">The page shows the first %zu bytes; %zu more are in the --plain "
		        "and --json output.</p>\n",
		        show, n - show);
	fputs("</figure>\n", c->f);
}

static void record(const ctx *c, const lt_tree *t, int ri)
{
	const model_record *rec = &c->m->steps[c->step].rec[ri];
	const model_step *st = &c->m->steps[c->step];
	char id[48];
	fprintf(c->f, "<section class=\"rec\" id=\"s%d-r%d\" aria-labelledby=\"s%d-r%d-h\">\n", c->step, ri,
	        c->step, ri);
	fprintf(c->f, "<h4 id=\"s%d-r%d-h\">Record %d: ", c->step, ri, ri + 1);
	html_escs(c->f, tls_content_type_name(rec->type));
	fprintf(c->f, ", %zu bytes, %s%s</h4>\n", rec->wire.len,
	        rec->from_server ? "server &rarr; client" : "client &rarr; server",
	        rec->encrypted ? ", encrypted" : "");
	if (c->bad_rec == ri && c->m->tamper.inside)
		fprintf(c->f,
		        "<p class=\"tam\"><strong>Tampered:</strong> tlsstep opened this record with its keys, "
		        "flipped a byte of the message inside (XOR 0x%02x) and sealed it again, which no "
		        "attacker on the path can do. On the wire the record now differs at byte %zu (the "
		        "sender wrote %02x, the receiver got %02x) and in its tag. The byte is marked in "
		        "the dump.</p>\n",
		        c->bad_xor, c->bad_off, rec->wire.p[c->bad_off] ^ c->bad_xor, rec->wire.p[c->bad_off]);
	else if (c->bad_rec == ri)
		fprintf(
		    c->f,
		    "<p class=\"tam\"><strong>Tampered:</strong> an attacker on the path flipped byte %zu of "
		    "this record (XOR 0x%02x): the sender wrote %02x, the receiver got %02x. The byte is "
		    "marked in the dump and its field says so.</p>\n",
		    c->bad_off, c->bad_xor, rec->wire.p[c->bad_off] ^ c->bad_xor, rec->wire.p[c->bad_off]);
	fputs("<div class=\"pair\">\n<ol class=\"tree\">\n", c->f);
	for (int i = 0; i < t->n; i++)
		if (t->v[i].rec == ri)
			tree_row(c, t, i);
	fputs("</ol>\n<div class=\"dumps\">\n", c->f);
	lt_row w = {.rec = ri};
	buf_id(id, sizeof id, c->step, &w);
	dump(c, id, rec->wire.p, rec->wire.len, c->bad_rec == ri ? (long)c->bad_off : -1,
	     "as sent on the wire");
	for (size_t i = 0; i < st->n_msg; i++) {
		const model_msg *g = &st->msg[i];
		if (g->record != (size_t)ri || !g->encrypted || !g->decrypted)
			continue;
		lt_row r = {.rec = ri, .msg = (int)i, .in_msg = 1};
		char cap[96];
		buf_id(id, sizeof id, c->step, &r);
		snprintf(cap, sizeof cap, "%s, decrypted", model_msg_name(g->kind));
		dump(c, id, g->bytes.p, g->bytes.len, -1, cap);
	}
	fputs("</div>\n</div>\n</section>\n", c->f);
}

void html_step_bytes(FILE *f, const model *m, int step, size_t *budget)
{
	const model_step *st = &m->steps[step];
	lt_tree t;
	ctx c = {.f = f, .m = m, .step = step, .budget = budget};
	tampered_at(m, step, &c);
	if (!st->n_rec) {
		fputs("<p>Nothing crossed the wire at this step.</p>\n", f);
		return;
	}
	if (layout_tree_build(m, step, &t)) {
		layout_tree_free(&t);
		fputs("<p>(out of memory while laying out the fields)</p>\n", f);
		return;
	}
	size_t n = st->n_rec < MAX_RECORDS ? st->n_rec : MAX_RECORDS;
	for (size_t i = 0; i < n; i++)
		record(&c, &t, (int)i);
	if (n < st->n_rec)
		fprintf(f,
		        "<p class=\"cut\">%zu more records at this step are in the --plain and --json "
		        "output.</p>\n",
		        st->n_rec - n);
	for (size_t i = 0; i < st->n_msg; i++) {
		const model_msg *g = &st->msg[i];
		if (!g->note[0])
			continue;
		fputs("<p class=\"mnote\"><strong>", f);
		html_escs(f, model_msg_name(g->kind));
		fprintf(f, " from the %s:</strong> ", g->from_server ? "server" : "client");
		html_escs(f, g->note);
		fputs("</p>\n", f);
	}
	layout_tree_free(&t);
}
