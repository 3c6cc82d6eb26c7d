/* Drawing the frame of the screen (timeline, step header, the selected
 * field's detail, status line) and the two left panes, the field tree and
 * the hex dump. Selection is always reverse video plus a marker, so
 * nothing depends on colour. */
#define _XOPEN_SOURCE_EXTENDED 1
#include "ui/tui_int.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

int tui_attr(const tui *t, int pair, int extra)
{
	return extra | (t->color && pair ? (int)COLOR_PAIR(pair) : 0);
}

void tui_put(const tui *t, int y, int x, int w, const char *s, int attr)
{
	(void)t;
	if (w <= 0)
		return;
	attrset(attr);
	mvaddnstr(y, x, s, (int)layout_fit(s, w));
	attrset(A_NORMAL);
}

void tui_fill(const tui *t, int y, int x, int w, int attr)
{
	char sp[512];
	if (w > (int)sizeof sp - 1)
		w = (int)sizeof sp - 1;
	memset(sp, ' ', (size_t)(w > 0 ? w : 0));
	sp[w > 0 ? w : 0] = 0;
	tui_put(t, y, x, w, sp, attr);
}

/* A pane's first row: its name, reverse video and a marker when focused;
 * a bar on its left edge when another pane is beside it. */
void tui_pane_title(tui *t, int pane, const char *text)
{
	const lt_rect *r = &t->scr.pane[pane];
	char buf[300];
	int f = t->focus == pane;
	snprintf(buf, sizeof buf, "%s%s", f ? (t->ascii ? "> " : "▶ ") : "  ", text);
	int a = f ? tui_attr(t, C_TITLE, A_REVERSE | A_BOLD) : tui_attr(t, C_TITLE, A_BOLD | A_UNDERLINE);
	tui_fill(t, r->y, r->x, r->w, a);
	tui_put(t, r->y, r->x, r->w, buf, a);
	if (r->x > 0)
		for (int i = 0; i < r->h; i++)
			tui_put(t, r->y + i, r->x - 1, 1, t->ascii ? "|" : "│", tui_attr(t, C_DIM, 0));
}

/* "more below" at the foot of a pane whose content goes on. */
void tui_more_mark(tui *t, int pane, int more)
{
	const lt_rect *r = &t->scr.pane[pane];
	if (more <= 0 || r->h < 2)
		return;
	char buf[48];
	snprintf(buf, sizeof buf, " %s %d more below ", t->ascii ? "v" : "↓", more);
	int w = layout_cols(buf);
	tui_put(t, r->y + r->h - 1, r->x + r->w - w, w, buf, tui_attr(t, C_TITLE, A_REVERSE | A_BOLD));
}

static void draw_timeline(tui *t)
{
	layout_timeline tl;
	int last = t->m.steps[7].reached ? 7 : 6;
	layout_timeline_make(t->vm, t->step, last, t->scr.timeline.w, t->ascii, &tl);
	tui_put(t, 0, 0, t->scr.timeline.w, tl.text, A_NORMAL);
	const char *cur = tl.text + layout_fit(tl.text, tl.cur_col);
	tui_put(t, 0, tl.cur_col, tl.cur_width, cur, tui_attr(t, C_SEL, A_REVERSE | A_BOLD));
}

static void draw_header(tui *t)
{
	char buf[512];
	layout_alert(t->vm, t->step, buf, sizeof buf);
	if (buf[0]) {
		char line[540];
		snprintf(line, sizeof line, "!! %s", buf);
		int a = tui_attr(t, C_ALERT, A_REVERSE | A_BOLD);
		tui_fill(t, 1, 0, t->scr.header.w, a);
		tui_put(t, 1, 0, t->scr.header.w, line, a);
		return;
	}
	layout_header(t->vm, t->step, t->ascii, buf, sizeof buf);
	tui_put(t, 1, 0, t->scr.header.w, buf, A_BOLD);
}

int tui_tampered(const tui *t, int *rec, size_t *off)
{
	size_t r;
	if (!model_tampered_byte(t->vm, t->step, &r, off))
		return 0;
	*rec = (int)r;
	return 1;
}

/* 1 when row covers the byte the attacker changed. */
static int row_tampered(const tui *t, const lt_row *v)
{
	int rec;
	size_t off;
	return tui_tampered(t, &rec, &off) && !v->in_msg && !v->opened && v->rec == rec && off >= v->off &&
	       off < v->off + v->len;
}

static void tree_line(tui *t, const lt_rect *r, int y, int row)
{
	const lt_row *v = &t->tree.v[row];
	int kids = row + 1 < t->tree.n && t->tree.v[row + 1].parent == row;
	const char *fold = !kids ? "  " : v->collapsed ? (t->ascii ? "+ " : "▸ ") : (t->ascii ? "- " : "▾ ");
	const char *mark = row == t->sel ? (t->ascii ? ">" : "▶") : " ";
	int bad = row_tampered(t, v),
	    sp = r->w < 50 ? (v->depth > 0 ? v->depth - 1 : 0) : v->depth * (r->w < 60 ? 1 : 2);
	char buf[400], label[160];
	snprintf(label, sizeof label, "%s", v->label);
	if (r->w < 50 && v->hex_len &&
	    v->hex_at + v->hex_len < sizeof label) /* narrow: the name, not the code */
		memmove(label + v->hex_at, label + v->hex_at + v->hex_len,
		        strlen(label + v->hex_at + v->hex_len) + 1);
	snprintf(buf, sizeof buf, "%s%*s%s%s%s", mark, sp, "", fold, bad ? "!! " : "", label);
	int a = v->kind == LT_FIELD ? A_NORMAL : A_BOLD;
	if (bad)
		a = tui_attr(t, C_TAMPER, A_BOLD);
	if (row == t->sel) {
		a = tui_attr(t, C_SEL, A_REVERSE | A_BOLD);
		tui_fill(t, y, r->x, r->w, a);
	}
	tui_put(t, y, r->x, r->w, buf, a);
}

int tui_tree_lines(tui *t)
{
	int idx[4096];
	return layout_tree_visible(&t->tree, idx, 4096);
}

void tui_draw_tree(tui *t)
{
	const lt_rect *r = &t->scr.pane[P_TREE];
	int idx[4096], n = layout_tree_visible(&t->tree, idx, 4096), at = 0, h = r->h - 1;
	for (int i = 0; i < n; i++)
		if (idx[i] == t->sel)
			at = i;
	if (at < t->tree_top)
		t->tree_top = at;
	if (at >= t->tree_top + h)
		t->tree_top = at - h + 1;
	char title[120];
	if (t->searching)
		snprintf(title, sizeof title, "Search: %s_", t->search);
	else if (!n)
		snprintf(title, sizeof title, "Fields (none in this step)");
	else
		snprintf(title, sizeof title, "Fields (%d %s, Enter folds, / finds)", n,
		         layout_plural(n, "row", "rows"));
	tui_pane_title(t, P_TREE, title);
	for (int i = 0; i < h && t->tree_top + i < n; i++)
		tree_line(t, r, r->y + 1 + i, idx[t->tree_top + i]);
	tui_more_mark(t, P_TREE, n - t->tree_top - h);
}

static void dump_byte(tui *t, int y, int x, const uint8_t *p, size_t b, int per, int attr, int next_sel)
{
	char hx[4], asc[2];
	int j = (int)(b % (size_t)per);
	snprintf(hx, sizeof hx, next_sel && j < per - 1 ? "%02x " : "%02x", p[b]);
	asc[0] = p[b] >= 0x20 && p[b] < 0x7f ? (char)p[b] : '.';
	asc[1] = 0;
	tui_put(t, y, x + layout_hex_col(j), 3, hx, attr);
	tui_put(t, y, x + layout_ascii_col(j, per), 1, asc, attr);
}

static void dump_line(tui *t, const lt_rect *r, int y, const uint8_t *p, size_t n, size_t start, int per,
                      long bad)
{
	const lt_row *s = &t->tree.v[t->sel];
	char buf[300];
	layout_hex_line(p, n, start, per, buf, sizeof buf);
	tui_put(t, y, r->x, r->w, buf, A_NORMAL);
	for (size_t b = start; b < start + (size_t)per && b < n; b++) {
		int in = b >= s->off && b < s->off + s->len, nx = b + 1 >= s->off && b + 1 < s->off + s->len;
		int curs = b == t->cur && t->focus == P_DUMP, a = A_NORMAL;
		if (!in && !curs && (long)b != bad)
			continue;
		if (in)
			a = tui_attr(t, C_SEL, A_REVERSE | A_BOLD);
		if ((long)b == bad) /* the attacker's byte stands out even inside a selection */
			a = tui_attr(t, C_TAMPER, A_REVERSE | A_BOLD | A_UNDERLINE);
		if (curs)
			a |= A_UNDERLINE | A_BOLD;
		dump_byte(t, y, r->x, p, b, per, a, in && nx && b + 1 < n);
	}
}

int tui_dump_lines(tui *t)
{
	const uint8_t *p;
	size_t n;
	if (!t->tree.n)
		return 0;
	layout_row_buffer(t->vm, t->step, &t->tree.v[t->sel], &p, &n);
	int per = tui_dump_per(t);
	return (int)((n + (size_t)per - 1) / (size_t)per);
}

void tui_draw_dump(tui *t)
{
	const lt_rect *r = &t->scr.pane[P_DUMP];
	char title[160];
	if (!t->tree.n) {
		tui_pane_title(t, P_DUMP,
		               t->step ? "Bytes (none in this step)"
		                       : "Bytes (none yet: step 1 sends the first)");
		return;
	}
	const lt_row *s = &t->tree.v[t->sel];
	const uint8_t *p;
	size_t n;
	layout_row_buffer(t->vm, t->step, s, &p, &n);
	const model_step *st = &t->vm->steps[t->step];
	if (s->in_msg)
		snprintf(title, sizeof title, "Bytes: %s, decrypted (%zu)", model_msg_name(st->msg[s->msg].kind), n);
	else if (s->opened)
		snprintf(title, sizeof title, "Bytes: record %d decrypted (%zu)", s->rec + 1, n);
	else
		snprintf(title, sizeof title, "Bytes: record %d on the wire (%zu)", s->rec + 1, n);
	tui_pane_title(t, P_DUMP, title);
	int per = layout_hex_per_line(r->w), h = r->h - 1;
	int lines = (int)((n + (size_t)per - 1) / (size_t)per), cl = (int)(t->cur / (size_t)per);
	if (cl < t->dump_top)
		t->dump_top = cl;
	if (cl >= t->dump_top + h)
		t->dump_top = cl - h + 1;
	int sl = (int)(s->off / (size_t)per); /* show the selection's start when the cursor allows */
	if (t->focus != P_DUMP && (sl < t->dump_top || sl >= t->dump_top + h))
		t->dump_top = sl;
	int rec;
	size_t off;
	long bad = !s->in_msg && !s->opened && tui_tampered(t, &rec, &off) && rec == s->rec ? (long)off : -1;
	for (int i = 0; i < h && t->dump_top + i < lines; i++)
		dump_line(t, r, r->y + 1 + i, p, n, (size_t)(t->dump_top + i) * (size_t)per, per, bad);
	tui_more_mark(t, P_DUMP, lines - t->dump_top - h);
}

/* What the sender wrote and what arrived, for a field the attacker
 * changed, each with its name when the field has one. */
static int sent_received(const tui *t, const lt_row *s, char *out, size_t n)
{
	int rec;
	size_t off;
	if (!row_tampered(t, s) || s->len > 16)
		return 0;
	const uint8_t *p;
	size_t len;
	layout_row_buffer(t->vm, t->step, s, &p, &len);
	if (s->off + s->len > len)
		return 0;
	uint8_t sent[16];
	char a[40] = "", b[40] = "", na[130] = "", nb[130] = "";
	tui_tampered(t, &rec, &off);
	memcpy(sent, p + s->off, s->len);
	sent[off - s->off] ^= t->vm->tamper.xor_;
	for (size_t i = 0; i < s->len; i++) {
		snprintf(a + 2 * i, sizeof a - 2 * i, "%02x", sent[i]);
		snprintf(b + 2 * i, sizeof b - 2 * i, "%02x", p[s->off + i]);
	}
	if (s->span && layout_field_name(s->span, sent, s->len, na + 1, sizeof na - 1))
		na[0] = ' ';
	if (s->span && layout_field_name(s->span, p + s->off, s->len, nb + 1, sizeof nb - 1))
		nb[0] = ' ';
	snprintf(out, n, "  !! changed on the wire: the sender wrote %s%s, the receiver got %s%s", a, na, b,
	         nb);
	return 1;
}

static void draw_detail(tui *t)
{
	const lt_rect *r = &t->scr.detail;
	const model_step *st = &t->vm->steps[t->step];
	char a[512], b[512];
	a[0] = b[0] = 0;
	if (t->step == 0) {
		snprintf(a, sizeof a, "%s", "before the handshake: nothing on the wire yet");
		snprintf(b, sizeof b, "  %s",
		         "the lesson says what the six steps will do; Right or 1 starts");
	} else if (!t->tree.n && st->note[0]) {
		snprintf(a, sizeof a, "%s", "nothing on the wire in this step");
		snprintf(b, sizeof b, "  %s", st->note);
	} else if (t->tree.n && t->sel == 0 && st->note[0]) {
		snprintf(a, sizeof a, "%s", "about this step");
		snprintf(b, sizeof b, "  %s", st->note);
	} else if (t->tree.n) {
		const lt_row *s = &t->tree.v[t->sel];
		const char *what = s->span ? s->span->path : s->label;
		snprintf(a, sizeof a, "selected: %s  bytes %zu..%zu (%zu)", what, s->off,
		         s->len ? s->off + s->len - 1 : s->off, s->len);
		if (t->focus == P_DUMP)
			snprintf(a + strlen(a), sizeof a - strlen(a), "  cursor 0x%04zx", t->cur);
		if (sent_received(t, s, b, sizeof b))
			;
		else if (s->span)
			snprintf(b, sizeof b, "  %s", s->span->meaning);
		else if (s->kind == LT_MSG && st->msg[s->msg].note[0])
			snprintf(b, sizeof b, "  %s", st->msg[s->msg].note);
		else if (s->kind == LT_RECORD)
			snprintf(b, sizeof b,
			         "  a %s record: 5-byte header (type, version, length), then the body",
			         st->rec[s->rec].encrypted ? "protected" : "cleartext");
		else if (s->kind == LT_MSG)
			snprintf(b, sizeof b, "  the %s message from the %s", model_msg_name(st->msg[s->msg].kind),
			         st->msg[s->msg].from_server ? "server" : "client");
	}
	tui_fill(t, r->y, 0, r->w, A_NORMAL);
	tui_put(t, r->y, 0, r->w, a, A_BOLD);
	tui_put(t, r->y + 1, 0, r->w, b,
	        strstr(b, "!! changed") ? tui_attr(t, C_TAMPER, A_BOLD) : (int)A_NORMAL);
}

static void draw_status(tui *t)
{
	const lt_rect *r = &t->scr.status;
	char left[256], buf[600];
	layout_status(t->vm, left, sizeof left);
	const char *keys = t->ascii ? "<-/-> step  Tab pane  z zoom  L ladder  ? help  q quit"
	                            : "←/→ step  Tab pane  z zoom  L ladder  ? help  q quit";
	char ap[64] = "";
	if (t->opt.autoplay > 0)
		snprintf(ap, sizeof ap, "  autoplay %gs%s", t->opt.autoplay,
		         t->autoplay_on ? "" : " (paused)");
	if (t->status[0]) /* a message first, so a narrow screen does not cut it */
		snprintf(buf, sizeof buf, " %s | %s%s", t->status, left, ap);
	else
		snprintf(buf, sizeof buf, " %s%s | %s", left, ap, keys);
	int a = tui_attr(t, C_TITLE, A_REVERSE);
	tui_fill(t, r->y, 0, r->w, a);
	tui_put(t, r->y, 0, r->w, buf, a);
}

static void too_small(tui *t)
{
	int h, w;
	char buf[80], now[40];
	getmaxyx(stdscr, h, w);
	snprintf(buf, sizeof buf, "terminal too small (need %dx%d)", LAYOUT_MIN_W, LAYOUT_MIN_H);
	snprintf(now, sizeof now, "now %dx%d; q quits", w, h);
	int len = (int)strlen(buf), x = w > len ? (w - len) / 2 : 0;
	tui_put(t, h / 2, x, w, buf, A_BOLD | A_REVERSE);
	len = (int)strlen(now);
	tui_put(t, h / 2 + 1, w > len ? (w - len) / 2 : 0, w, now, A_NORMAL);
}

/* A pane that is gone at this step (the derivation where nothing is derived) gives
 * its place back. */
static void fix_place(tui *t)
{
	const tui_pane_ops *o = tui_panes;
	if (o[t->focus].avail && !o[t->focus].avail(t))
		t->focus = P_TREE;
	if (o[t->place.lower].avail && !o[t->place.lower].avail(t))
		t->place.lower = P_KNOW;
	if (o[t->place.upper].avail && !o[t->place.upper].avail(t))
		t->place.upper = P_LADDER;
	if (o[t->place.single].avail && !o[t->place.single].avail(t))
		t->place.single = o[P_LESSON].avail(t) ? P_LESSON : P_KNOW;
	if (t->place.zoom >= 0 && o[t->place.zoom].avail && !o[t->place.zoom].avail(t))
		t->place.zoom = -1;
}

void tui_draw(tui *t)
{
	int h, w;
	getmaxyx(stdscr, h, w);
	fix_place(t);
	layout_screen(w, h, &t->place, &t->scr);
	erase();
	if (t->scr.too_small) {
		too_small(t);
	} else {
		draw_timeline(t);
		draw_header(t);
		for (int p = 0; p < P_COUNT; p++)
			if (t->scr.pane[p].h)
				tui_panes[p].draw(t);
		draw_detail(t);
		draw_status(t);
		if (tui_predict_active(t))
			tui_predict_draw(t);
		else if (t->help)
			tui_draw_help(t);
		else if (t->compare.n)
			tui_draw_compare(t);
		else if (t->picking)
			tui_draw_pick(t);
		else if (t->prompt)
			tui_draw_prompt(t);
	}
	refresh();
}
