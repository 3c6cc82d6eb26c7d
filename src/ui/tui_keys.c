/* What each key and mouse click does. Every action only changes the tui
 * state; the loop redraws after each one. */
#define _XOPEN_SOURCE_EXTENDED 1
#include "app/record.h"
#include "ui/tui_int.h"

#include <curses.h>
#include <stdio.h>

static int pane_avail(const tui *t, int p)
{
	if (p == P_DERIV)
		return layout_has_derivation(&t->m, t->step);
	if (p == P_LESSON)
		return !t->opt.no_lessons;
	return 1;
}

static void focus_next(tui *t, int dir)
{
	int p = t->focus;
	do
		p = (p + dir + P_COUNT) % P_COUNT;
	while (!pane_avail(t, p));
	t->focus = p;
	if (p >= P_KNOW)
		t->bottom = p;
}

static const lt_row *sel_row(const tui *t)
{
	return t->sel >= 0 && t->sel < t->tree.n ? &t->tree.v[t->sel] : NULL;
}

static void tree_move(tui *t, int by)
{
	int idx[4096];
	int n = layout_tree_visible(&t->tree, idx, 4096), at = 0;
	for (int i = 0; i < n; i++)
		if (idx[i] == t->sel)
			at = i;
	at += by;
	at = at < 0 ? 0 : at >= n ? n - 1 : at;
	if (n)
		tui_select_row(t, idx[at]);
}

/* Moves the hex cursor and selects the field under it. */
static void dump_move(tui *t, long by)
{
	const lt_row *r = sel_row(t);
	const uint8_t *p;
	size_t n;
	if (!r)
		return;
	layout_row_buffer(&t->m, t->step, r, &p, &n);
	long c = (long)t->cur + by;
	c = c < 0 ? 0 : c >= (long)n ? (long)n - 1 : c;
	if (c < 0)
		return;
	t->cur = (size_t)c;
	int row = layout_tree_at(&t->tree, t->sel, t->cur);
	if (row >= 0) {
		size_t keep = t->cur;
		tui_select_row(t, row);
		t->cur = keep;
	}
}

static int dump_per(const tui *t)
{
	int w = t->scr.pane[P_DUMP].w;
	return layout_hex_per_line(w > 0 ? w : 39);
}

static void pane_move(tui *t, int by)
{
	if (t->focus == P_TREE)
		tree_move(t, by);
	else if (t->focus == P_DUMP)
		dump_move(t, (long)by * dump_per(t));
	else {
		int s = t->scroll[t->focus] + by, max = tui_pane_lines(t, t->focus);
		t->scroll[t->focus] = s < 0 ? 0 : s > max ? max : s;
	}
}

static void toggle(tui *t)
{
	if (t->focus != P_TREE || t->sel + 1 >= t->tree.n || t->tree.v[t->sel + 1].parent != t->sel)
		return;
	t->tree.v[t->sel].collapsed = !t->tree.v[t->sel].collapsed;
}

static void write_files(tui *t)
{
	char pcap[512], keys[512], err[512];
	unsigned long long seed = (unsigned long long)t->m.seed;
	snprintf(pcap, sizeof pcap, "%s", t->opt.record ? t->opt.record : "");
	snprintf(keys, sizeof keys, "%s", t->opt.keylog ? t->opt.keylog : "");
	if (!pcap[0])
		snprintf(pcap, sizeof pcap, "tlsstep-seed%llu.pcap", seed);
	if (!keys[0])
		snprintf(keys, sizeof keys, "tlsstep-seed%llu.keys", seed);
	if (record_pcap(&t->m, pcap, err, sizeof err) || record_keylog(&t->m, keys, err, sizeof err))
		snprintf(t->status, sizeof t->status, "write failed: %s", err);
	else
		snprintf(t->status, sizeof t->status, "wrote %s and %s (steps 1-%d)", pcap, keys, t->m.current);
}

static int step_key(tui *t, int ch)
{
	t->next_at = tui_now() + t->opt.autoplay;
	switch (ch) {
	case KEY_RIGHT: case 'n': case ' ': case KEY_NPAGE:
		return tui_goto(t, t->step + 1);
	case KEY_LEFT: case 'p': case KEY_PPAGE: case KEY_BACKSPACE: case 127: case 8:
		return t->step > 1 ? tui_goto(t, t->step - 1) : 0;
	default:
		return tui_goto(t, ch - '0');
	}
}

int tui_key(tui *t, int ch)
{
	if (ch == KEY_RESIZE)
		return 0;
	if (t->help && ch != KEY_MOUSE) {
		t->help = 0;
		return 0;
	}
	t->status[0] = 0;
	if (t->prompt && ch != 'q' && ch != 'Q' && ch != 3 && ch != KEY_MOUSE)
		return tui_prompt_key(t, ch);
	switch (ch) {
	case 'q': case 'Q': case 3: t->quit = 1; return 0;
	case ' ':
		if (t->opt.autoplay > 0) {
			t->autoplay_on = !t->autoplay_on;
			t->next_at = tui_now() + t->opt.autoplay;
			snprintf(t->status, sizeof t->status, "autoplay %s", t->autoplay_on ? "resumed" : "paused");
			return 0;
		}
		return step_key(t, ch);
	case KEY_RIGHT: case 'n': case KEY_NPAGE: case KEY_LEFT: case 'p': case KEY_PPAGE:
	case KEY_BACKSPACE: case 127: case 8: case '1': case '2': case '3': case '4': case '5': case '6': case '7':
		return step_key(t, ch);
	case '\t': focus_next(t, 1); return 0;
	case KEY_BTAB: focus_next(t, -1); return 0;
	case KEY_UP: case 'k': pane_move(t, -1); return 0;
	case KEY_DOWN: case 'j': pane_move(t, 1); return 0;
	case KEY_HOME: case 'g': pane_move(t, -100000); return 0;
	case KEY_END: case 'G': pane_move(t, 100000); return 0;
	case 'h': if (t->focus == P_DUMP) dump_move(t, -1); return 0;
	case 'l': if (t->focus == P_DUMP) dump_move(t, 1); return 0;
	case '\n': case '\r': case KEY_ENTER: toggle(t); return 0;
	case '?': t->help = 1; return 0;
	case 'w': write_files(t); return 0;
	case 'r':
		t->opt.sim.accept_untrusted = t->accept_orig;
		t->decided = 0;
		return tui_restart(t);
	case KEY_MOUSE: tui_mouse(t); return 0;
	default: return 0;
	}
}

int tui_prompt_key(tui *t, int ch)
{
	if (ch == 's' || ch == 'S') {
		t->prompt = 0;
		t->decided = 1;
		snprintf(t->status, sizeof t->status, "severed");
		return 0;
	}
	if (ch != 'a' && ch != 'A')
		return 0;
	/* Same seed, same bytes: rerun with the client told to accept. */
	int keep = t->accept_orig;
	t->opt.sim.accept_untrusted = 1;
	int r = tui_restart(t);
	t->accept_orig = keep;
	t->prompt = 0;
	t->decided = 1;
	if (!r)
		r = tui_goto(t, 3);
	snprintf(t->status, sizeof t->status, "accepted anyway");
	return r;
}

static int inside(const lt_rect *r, int y, int x)
{
	return r->h > 0 && y >= r->y && y < r->y + r->h && x >= r->x && x < r->x + r->w;
}

static void click_tree(tui *t, int line)
{
	int idx[4096];
	int n = layout_tree_visible(&t->tree, idx, 4096);
	if (line >= 0 && t->tree_top + line < n)
		tui_select_row(t, idx[t->tree_top + line]);
}

static void click_dump(tui *t, int line, int col)
{
	const lt_row *r = sel_row(t);
	const uint8_t *p;
	size_t n;
	if (!r || line < 0)
		return;
	layout_row_buffer(&t->m, t->step, r, &p, &n);
	int per = dump_per(t);
	long b = layout_hex_byte_at(col, (size_t)(t->dump_top + line) * (size_t)per, per, n);
	if (b >= 0)
		dump_move(t, b - (long)t->cur);
}

static void click_timeline(tui *t, int x)
{
	layout_timeline tl;
	int last = t->m.steps[7].reached ? 7 : 6;
	layout_timeline_make(&t->m, t->step, last, t->scr.timeline.w, t->ascii, &tl);
	for (int s = last; s >= 1; s--)
		if (x >= tl.col[s]) {
			tui_goto(t, s);
			return;
		}
}

void tui_mouse(tui *t)
{
	MEVENT ev;
	if (getmouse(&ev) != OK || !(ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED)))
		return;
	if (inside(&t->scr.timeline, ev.y, ev.x)) {
		click_timeline(t, ev.x);
		return;
	}
	for (int p = 0; p < P_COUNT; p++) {
		const lt_rect *r = &t->scr.pane[p];
		if (!inside(r, ev.y, ev.x))
			continue;
		t->focus = p;
		if (p == P_TREE)
			click_tree(t, ev.y - r->y - 1);
		else if (p == P_DUMP)
			click_dump(t, ev.y - r->y - 1, ev.x - r->x);
	}
}
