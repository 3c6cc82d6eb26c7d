/* Drawing the top of the screen: timeline, step header, field tree, hex
 * dump, the selected field's detail and the status line. Selection is
 * always reverse video plus a marker, so nothing depends on colour. */
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

static void fill(const tui *t, int y, int x, int w, int attr)
{
	char sp[512];
	if (w > (int)sizeof sp - 1)
		w = (int)sizeof sp - 1;
	memset(sp, ' ', (size_t)w);
	sp[w > 0 ? w : 0] = 0;
	tui_put(t, y, x, w, sp, attr);
}

/* A pane's first row: its name, reverse video and a marker when focused. */
static void pane_title(const tui *t, int pane, const char *text)
{
	const lt_rect *r = &t->scr.pane[pane];
	char buf[300];
	int f = t->focus == pane;
	snprintf(buf, sizeof buf, "%s%s", f ? (t->ascii ? "> " : "▶ ") : "  ", text);
	int a = f ? tui_attr(t, C_TITLE, A_REVERSE | A_BOLD) : tui_attr(t, C_TITLE, A_BOLD | A_UNDERLINE);
	fill(t, r->y, r->x, r->w, a);
	tui_put(t, r->y, r->x, r->w, buf, a);
}

static void vline_at(const tui *t, int y, int x, int h)
{
	for (int i = 0; i < h; i++)
		tui_put(t, y + i, x, 1, t->ascii ? "|" : "│", tui_attr(t, C_DIM, 0));
}

static void draw_timeline(tui *t)
{
	layout_timeline tl;
	int last = t->m.steps[7].reached ? 7 : 6;
	layout_timeline_make(&t->m, t->step, last, t->scr.timeline.w, t->ascii, &tl);
	tui_put(t, 0, 0, t->scr.timeline.w, tl.text, A_NORMAL);
	const char *cur = tl.text + layout_fit(tl.text, tl.cur_col);
	tui_put(t, 0, tl.cur_col, tl.cur_width, cur, tui_attr(t, C_SEL, A_REVERSE | A_BOLD));
}

static void draw_header(tui *t)
{
	char buf[512];
	layout_alert(&t->m, t->step, buf, sizeof buf);
	if (buf[0]) {
		char line[540];
		snprintf(line, sizeof line, "!! %s", buf);
		int a = tui_attr(t, C_ALERT, A_REVERSE | A_BOLD);
		fill(t, 1, 0, t->scr.header.w, a);
		tui_put(t, 1, 0, t->scr.header.w, line, a);
		return;
	}
	layout_header(&t->m, t->step, t->ascii, buf, sizeof buf);
	tui_put(t, 1, 0, t->scr.header.w, buf, A_BOLD);
}

static void tree_line(tui *t, const lt_rect *r, int y, int row)
{
	const lt_row *v = &t->tree.v[row];
	int kids = row + 1 < t->tree.n && t->tree.v[row + 1].parent == row;
	const char *fold = !kids ? "  " : v->collapsed ? (t->ascii ? "+ " : "▸ ") : (t->ascii ? "- " : "▾ ");
	const char *mark = row == t->sel ? (t->ascii ? ">" : "▶") : " ";
	char buf[400];
	snprintf(buf, sizeof buf, "%s%*s%s%s", mark, v->depth * 2, "", fold, v->label);
	int a = v->kind == LT_FIELD ? A_NORMAL : A_BOLD;
	if (row == t->sel) {
		a = tui_attr(t, C_SEL, A_REVERSE | A_BOLD);
		fill(t, y, r->x, r->w, a);
	}
	tui_put(t, y, r->x, r->w, buf, a);
}

static void draw_tree(tui *t)
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
	char title[80];
	snprintf(title, sizeof title, "Fields (%d rows, Enter folds)", n);
	pane_title(t, P_TREE, title);
	for (int i = 0; i < h && t->tree_top + i < n; i++)
		tree_line(t, r, r->y + 1 + i, idx[t->tree_top + i]);
	vline_at(t, r->y, r->x + r->w, r->h);
}

static void dump_byte(tui *t, int y, int x, const uint8_t *p, size_t b, int per, int sel, int next_sel)
{
	char hx[4], asc[2];
	int j = (int)(b % (size_t)per), a = A_NORMAL;
	if (sel)
		a = tui_attr(t, C_SEL, A_REVERSE | A_BOLD);
	if (b == t->cur && t->focus == P_DUMP)
		a |= A_UNDERLINE | A_BOLD;
	snprintf(hx, sizeof hx, next_sel && j < per - 1 ? "%02x " : "%02x", p[b]);
	asc[0] = p[b] >= 0x20 && p[b] < 0x7f ? (char)p[b] : '.';
	asc[1] = 0;
	tui_put(t, y, x + layout_hex_col(j), 3, hx, a);
	tui_put(t, y, x + layout_ascii_col(j, per), 1, asc, a);
}

static void dump_line(tui *t, const lt_rect *r, int y, const uint8_t *p, size_t n, size_t start, int per)
{
	const lt_row *s = &t->tree.v[t->sel];
	char buf[300];
	layout_hex_line(p, n, start, per, buf, sizeof buf);
	tui_put(t, y, r->x, r->w, buf, A_NORMAL);
	for (size_t b = start; b < start + (size_t)per && b < n; b++) {
		int in = b >= s->off && b < s->off + s->len, nx = b + 1 >= s->off && b + 1 < s->off + s->len;
		if (in || (b == t->cur && t->focus == P_DUMP))
			dump_byte(t, y, r->x, p, b, per, in, nx && b + 1 < n);
	}
}

static void draw_dump(tui *t)
{
	const lt_rect *r = &t->scr.pane[P_DUMP];
	char title[160];
	if (!t->tree.n) {
		pane_title(t, P_DUMP, "Bytes (none)");
		return;
	}
	const lt_row *s = &t->tree.v[t->sel];
	const uint8_t *p;
	size_t n;
	layout_row_buffer(&t->m, t->step, s, &p, &n);
	const model_step *st = &t->m.steps[t->step];
	if (s->in_msg)
		snprintf(title, sizeof title, "Bytes: %s, decrypted (%zu)", st->msg[s->msg].name, n);
	else
		snprintf(title, sizeof title, "Bytes: record %d on the wire (%zu)", s->rec + 1, n);
	pane_title(t, P_DUMP, title);
	int per = layout_hex_per_line(r->w), h = r->h - 1;
	int lines = (int)((n + (size_t)per - 1) / (size_t)per), cl = (int)(t->cur / (size_t)per);
	if (cl < t->dump_top)
		t->dump_top = cl;
	if (cl >= t->dump_top + h)
		t->dump_top = cl - h + 1;
	int sl = (int)(s->off / (size_t)per); /* show the selection's start when the cursor allows */
	if (t->focus != P_DUMP && (sl < t->dump_top || sl >= t->dump_top + h))
		t->dump_top = sl;
	for (int i = 0; i < h && t->dump_top + i < lines; i++)
		dump_line(t, r, r->y + 1 + i, p, n, (size_t)(t->dump_top + i) * (size_t)per, per);
}

static void draw_detail(tui *t)
{
	const lt_rect *r = &t->scr.detail;
	char a[512], b[512];
	a[0] = b[0] = 0;
	if (!t->tree.n && t->m.steps[t->step].note[0]) {
		snprintf(a, sizeof a, "%s", "nothing on the wire in this step");
		snprintf(b, sizeof b, "  %s", t->m.steps[t->step].note);
	} else if (t->tree.n && t->sel == 0 && t->m.steps[t->step].note[0]) {
		snprintf(a, sizeof a, "%s", "about this step");
		snprintf(b, sizeof b, "  %s", t->m.steps[t->step].note);
	} else if (t->tree.n) {
		const lt_row *s = &t->tree.v[t->sel];
		const model_step *st = &t->m.steps[t->step];
		const char *what = s->span ? s->span->path : s->label;
		snprintf(a, sizeof a, "selected: %s  bytes %zu..%zu (%zu)", what, s->off,
			 s->len ? s->off + s->len - 1 : s->off, s->len);
		if (t->focus == P_DUMP)
			snprintf(a + strlen(a), sizeof a - strlen(a), "  cursor 0x%04zx", t->cur);
		if (s->span)
			snprintf(b, sizeof b, "  %s", s->span->meaning);
		else if (s->kind == LT_MSG && st->msg[s->msg].note[0])
			snprintf(b, sizeof b, "  %s", st->msg[s->msg].note);
		else if (s->kind == LT_RECORD)
			snprintf(b, sizeof b, "  a %s record: 5-byte header (type, version, length), then the body",
				 st->rec[s->rec].encrypted ? "protected" : "cleartext");
		else if (s->kind == LT_MSG)
			snprintf(b, sizeof b, "  the %s message from the %s", st->msg[s->msg].name,
				 st->msg[s->msg].from_server ? "server" : "client");
	}
	fill(t, r->y, 0, r->w, A_NORMAL);
	tui_put(t, r->y, 0, r->w, a, A_BOLD);
	tui_put(t, r->y + 1, 0, r->w, b, A_NORMAL);
}

static void draw_status(tui *t)
{
	const lt_rect *r = &t->scr.status;
	char left[256], buf[600];
	layout_status(&t->m, left, sizeof left);
	const char *keys = t->ascii ? "<-/-> step  Tab pane  ? help  q quit" : "←/→ step  Tab pane  ? help  q quit";
	char ap[64] = "";
	if (t->opt.autoplay > 0)
		snprintf(ap, sizeof ap, "  autoplay %gs%s", t->opt.autoplay, t->autoplay_on ? "" : " (paused)");
	snprintf(buf, sizeof buf, " %s%s | %s", left, ap, t->status[0] ? t->status : keys);
	int a = tui_attr(t, C_TITLE, A_REVERSE);
	fill(t, r->y, 0, r->w, a);
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

void tui_draw(tui *t)
{
	int h, w, avail[P_COUNT] = {1, 1, 1, 0, 0};
	getmaxyx(stdscr, h, w);
	avail[P_DERIV] = layout_has_derivation(&t->m, t->step);
	avail[P_LESSON] = !t->opt.no_lessons;
	if (!avail[t->focus]) {
		t->focus = P_TREE;
		t->bottom = P_KNOW;
	}
	layout_screen(w, h, avail, t->bottom, &t->scr);
	erase();
	if (t->scr.too_small) {
		too_small(t);
	} else {
		draw_timeline(t);
		draw_header(t);
		draw_tree(t);
		draw_dump(t);
		draw_detail(t);
		tui_draw_bottom(t);
		draw_status(t);
		if (t->help)
			tui_draw_help(t);
		else if (t->prompt)
			tui_draw_prompt(t);
	}
	refresh();
}
