/* What each key and mouse click does: one table, from which the help
 * screen is also made, so the two cannot drift apart. Every action only
 * changes the tui state; the loop redraws after each one. */
#define _XOPEN_SOURCE_EXTENDED 1
#include "ui/tui_int.h"

#include <ctype.h>
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const lt_row *sel_row(const tui *t)
{
	return t->sel >= 0 && t->sel < t->tree.n ? &t->tree.v[t->sel] : NULL;
}

void tui_tree_move(tui *t, int by)
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
void tui_dump_move(tui *t, long by)
{
	const lt_row *r = sel_row(t);
	const uint8_t *p;
	size_t n;
	if (!r)
		return;
	layout_row_buffer(t->vm, t->step, r, &p, &n);
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

int tui_dump_per(const tui *t)
{
	int w = t->scr.pane[P_DUMP].w;
	return layout_hex_per_line(w > 0 ? w : 39);
}

static int avail(const tui *t, int p)
{
	return !tui_panes[p].avail || tui_panes[p].avail(t);
}

static void focus_next(tui *t, int dir)
{
	int p = t->focus;
	do
		p = (p + dir + P_COUNT) % P_COUNT;
	while (!avail(t, p));
	tui_show(t, p);
}

/* ---- actions ---- */

static int k_next(tui *t, int ch)
{
	(void)ch;
	t->next_at = tui_now() + t->opt.autoplay;
	return tui_goto(t, t->step + 1);
}

static int k_space(tui *t, int ch)
{
	if (t->opt.autoplay > 0) {
		t->autoplay_on = !t->autoplay_on;
		t->next_at = tui_now() + t->opt.autoplay;
		snprintf(t->status, sizeof t->status, "autoplay %s", t->autoplay_on ? "resumed" : "paused");
		return 0;
	}
	return k_next(t, ch);
}

static int k_prev(tui *t, int ch)
{
	(void)ch;
	t->next_at = tui_now() + t->opt.autoplay;
	return t->step > 0 ? tui_goto(t, t->step - 1) : 0;
}

static int k_jump(tui *t, int ch)
{
	t->next_at = tui_now() + t->opt.autoplay;
	return tui_goto(t, ch - '0');
}

static int k_tab(tui *t, int ch)
{
	focus_next(t, ch == KEY_BTAB ? -1 : 1);
	return 0;
}

static int k_move(tui *t, int ch)
{
	int by = ch == KEY_UP || ch == 'k'     ? -1
	         : ch == KEY_DOWN || ch == 'j' ? 1
	         : ch == KEY_HOME || ch == 'g' ? -100000
	                                       : 100000;
	if (tui_panes[t->focus].step_by)
		tui_panes[t->focus].step_by(t, by);
	return 0;
}

static int k_byte(tui *t, int ch)
{
	if (t->focus == P_DUMP)
		tui_dump_move(t, ch == 'h' ? -1 : 1);
	return 0;
}

static int k_fold(tui *t, int ch)
{
	(void)ch;
	if (t->focus != P_TREE || t->sel + 1 >= t->tree.n || t->tree.v[t->sel + 1].parent != t->sel)
		return 0;
	t->tree.v[t->sel].collapsed = !t->tree.v[t->sel].collapsed;
	return 0;
}

static int k_zoom(tui *t, int ch)
{
	(void)ch;
	t->place.zoom = t->place.zoom >= 0 ? -1 : t->focus;
	snprintf(t->status, sizeof t->status, "%s", t->place.zoom >= 0 ? "zoomed: z goes back" : "zoom off");
	return 0;
}

static int k_ladder(tui *t, int ch)
{
	(void)ch;
	if (t->focus == P_LADDER && !t->opt.no_lessons)
		tui_show(t, P_LESSON);
	else
		tui_show(t, P_LADDER);
	return 0;
}

static int k_search(tui *t, int ch)
{
	(void)ch;
	t->searching = 1;
	t->search[0] = 0;
	return 0;
}

static int k_choose(tui *t, int ch)
{
	(void)ch;
	if (!t->opt.choose || !t->opt.n_scenarios) {
		snprintf(t->status, sizeof t->status, "a recorded handshake has no scenario to choose");
		return 0;
	}
	t->picking = 1;
	t->pick_sel = 0;
	for (size_t i = 0; i < t->opt.n_scenarios; i++)
		if (!strcmp(t->opt.scenarios[i], t->m.scenario))
			t->pick_sel = (int)i;
	return 0;
}

/* c: the comparison of TLS 1.2 and TLS 1.3 from this seed, wrapped to the
 * screen, over the panes until any key. */
static int k_compare(tui *t, int ch)
{
	(void)ch;
	char *text = NULL;
	size_t len = 0;
	FILE *f = t->opt.compare ? open_memstream(&text, &len) : NULL;
	if (!f) {
		snprintf(t->status, sizeof t->status, "%s", "no comparison here: run tlsstep compare");
		return 0;
	}
	int rc = t->opt.compare(t->opt.compare_ctx, t->opt.sim.seed, f);
	fclose(f);
	lt_lines_free(&t->compare);
	t->compare_top = 0;
	for (char *line = text, *nl; rc == 0 && line && *line; line = nl ? nl + 1 : NULL) {
		if ((nl = strchr(line, '\n')))
			*nl = 0;
		if (!*line && t->compare.n && !t->compare.v[t->compare.n - 1][0])
			continue; /* one blank line between parts is enough */
		lt_lines w;
		layout_wrap(*line ? line : " ", COLS > 24 ? COLS - 10 : 16, &w);
		for (int i = 0; i < w.n; i++)
			lt_lines_add(&t->compare, "%s%s", i ? "    " : "", w.v[i]);
		lt_lines_free(&w);
	}
	free(text);
	if (!t->compare.n)
		snprintf(t->status, sizeof t->status, "%s", "the comparison could not run");
	return 0;
}

static int k_help(tui *t, int ch)
{
	(void)ch;
	t->help = 1;
	return 0;
}

static int k_write(tui *t, int ch)
{
	(void)ch;
	char msg[200];
	if (!t->opt.save) {
		snprintf(t->status, sizeof t->status, "nothing to write in this view");
		return 0;
	}
	tui_options o = t->opt;
	o.view = t->opt.view ? t->vm : NULL;
	t->opt.save(t->opt.save_ctx, &o, msg, sizeof msg);
	snprintf(t->status, sizeof t->status, "%s", msg);
	return 0;
}

static int k_restart(tui *t, int ch)
{
	(void)ch;
	t->opt.sim.accept_untrusted = t->accept_orig;
	t->decided = 0;
	t->prompt = 0;
	return tui_restart(t);
}

static int k_quit(tui *t, int ch)
{
	(void)ch;
	t->quit = 1;
	return 0;
}

static int k_mouse(tui *t, int ch)
{
	(void)ch;
	tui_mouse(t);
	return 0;
}

typedef struct {
	int keys[10]; /* ends at the first 0 */
	lt_key help;  /* help.keys NULL: not listed (a second spelling) */
	int (*act)(tui *t, int ch);
} tui_keydef;

static const tui_keydef keymap[] = {
    {{KEY_RIGHT, 'n', KEY_NPAGE}, {"Right  n  PgDn", "next step (runs it the first time)"}, k_next},
    {{' '}, {"Space", "next step; with --autoplay: pause or resume"}, k_space},
    {{KEY_LEFT, 'p', KEY_PPAGE, KEY_BACKSPACE, 127, 8},
     {"Left  p  PgUp  Bksp", "previous step (instant); step 1 -> 0"},
     k_prev},
    {{'0', '1', '2', '3', '4', '5', '6', '7'}, {"0 .. 7", "jump to a step (0: the introduction)"}, k_jump},
    {{'\t', KEY_BTAB}, {"Tab  Shift-Tab", "next / previous pane (panes stay in place)"}, k_tab},
    {{KEY_UP, 'k', KEY_DOWN, 'j'}, {"Up Down  j k", "move in the pane (field, byte line, scroll)"}, k_move},
    {{KEY_HOME, 'g', KEY_END, 'G'}, {"Home End  g G", "first / last line of the pane"}, k_move},
    {{'h', 'l'}, {"h l", "in the hex dump: previous / next byte"}, k_byte},
    {{'\n', '\r', KEY_ENTER}, {"Enter", "expand or collapse a record or message"}, k_fold},
    {{'z'}, {"z", "zoom the focused pane to the whole screen and back"}, k_zoom},
    {{'L'}, {"L", "the ladder diagram of every message"}, k_ladder},
    {{'/'}, {"/", "search the field tree (Enter: next match, Esc: stop)"}, k_search},
    {{'s'}, {"s", "choose a scenario and a seed, and restart"}, k_choose},
    {{'w'}, {"w", "write the whole handshake as .pcap and .keys"}, k_write},
    {{'r'}, {"r", "restart the handshake from step 1"}, k_restart},
    {{'c'}, {"c", "TLS 1.2 against TLS 1.3 from this seed (Up Down scroll, any key closes)"}, k_compare},
    {{'?'}, {"?", "this help (any key closes it)"}, k_help},
    {{'q', 'Q', 3}, {"q  Ctrl-C", "quit"}, k_quit},
    {{KEY_MOUSE}, {"mouse click", "select a field, a byte, a pane or a step"}, k_mouse},
};

#define N_KEYS (sizeof keymap / sizeof keymap[0])

int tui_help_lines(const tui *t, lt_lines *out)
{
	lt_key k[N_KEYS];
	size_t n = 0;
	for (size_t i = 0; i < N_KEYS; i++)
		if (keymap[i].help.keys)
			k[n++] = keymap[i].help;
	return layout_help(k, n, t->ascii ? "'>'" : "'▶'", out);
}

/* Typing a search: printable characters add, Backspace removes, Enter
 * selects the next row whose name or path holds the text, Esc stops. */
static int search_key(tui *t, int ch)
{
	size_t n = strlen(t->search);
	if (ch == 27) {
		t->searching = 0;
		return 0;
	}
	if ((ch == KEY_BACKSPACE || ch == 127 || ch == 8) && n) {
		t->search[n - 1] = 0;
		return 0;
	}
	if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
		int row = layout_tree_find(&t->tree, t->sel + 1, t->search);
		if (row < 0)
			row = layout_tree_find(&t->tree, 0, t->search);
		if (row >= 0) {
			int idx[4096], n;
			tui_select_row(t, row);
			tui_show(t, P_TREE);
			n = layout_tree_visible(&t->tree, idx, 4096);
			for (int i = 0; i < n; i++)
				if (idx[i] == row) /* the match at the top, what it holds below it */
					t->tree_top = i > 0 ? i - 1 : 0;
			snprintf(t->status, sizeof t->status, "found '%s' (Enter: next, Esc: done)",
			         t->search);
		} else {
			snprintf(t->status, sizeof t->status, "no field matches '%s' in this step",
			         t->search);
		}
		return 0;
	}
	if (ch >= 0x20 && ch < 0x7f && n + 1 < sizeof t->search) {
		t->search[n] = (char)ch;
		t->search[n + 1] = 0;
	}
	return 0;
}

/* Choosing a scenario (j/k, Enter), then typing a seed (Enter keeps it). */
static int pick_key(tui *t, int ch)
{
	int n = (int)t->opt.n_scenarios;
	if (ch == 27 || ch == 'q') {
		t->picking = 0;
		return 0;
	}
	if (t->picking == 1) {
		if (ch == KEY_UP || ch == 'k')
			t->pick_sel = (t->pick_sel + n - 1) % n;
		else if (ch == KEY_DOWN || ch == 'j')
			t->pick_sel = (t->pick_sel + 1) % n;
		else if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
			t->picking = 2;
			snprintf(t->seed_buf, sizeof t->seed_buf, "%llu",
			         (unsigned long long)t->opt.sim.seed);
		}
		return 0;
	}
	size_t len = strlen(t->seed_buf);
	if (isdigit(ch) && len + 1 < sizeof t->seed_buf && len < 19) {
		t->seed_buf[len] = (char)ch;
		t->seed_buf[len + 1] = 0;
	} else if ((ch == KEY_BACKSPACE || ch == 127 || ch == 8) && len) {
		t->seed_buf[len - 1] = 0;
	} else if ((ch == '\n' || ch == '\r' || ch == KEY_ENTER) && len) {
		char err[200];
		uint64_t seed = strtoull(t->seed_buf, NULL, 10);
		t->picking = 0;
		if (t->opt.choose(t->opt.choose_ctx, &t->opt, t->opt.scenarios[t->pick_sel], seed, err,
		                  sizeof err)) {
			snprintf(t->status, sizeof t->status, "%s", err);
			return 0;
		}
		t->accept_orig = t->opt.sim.accept_untrusted;
		t->decided = t->prompt = 0;
		int r = tui_restart(t);
		if (!r)
			snprintf(t->status, sizeof t->status, "scenario %s, seed %llu",
			         t->opt.scenarios[t->pick_sel], (unsigned long long)seed);
		return r;
	}
	return 0;
}

int tui_key(tui *t, int ch)
{
	if (ch == KEY_RESIZE)
		return 0;
	if (t->help && ch != KEY_MOUSE) {
		t->help = 0;
		return 0;
	}
	if (t->compare.n && ch != KEY_MOUSE) { /* Up and Down scroll it, any other key closes */
		if (ch == KEY_DOWN || ch == 'j')
			t->compare_top += t->compare_top + 1 < t->compare.n;
		else if (ch == KEY_UP || ch == 'k')
			t->compare_top -= t->compare_top > 0;
		else
			lt_lines_free(&t->compare);
		return 0;
	}
	if (t->picking)
		return pick_key(t, ch);
	if (t->searching)
		return search_key(t, ch);
	t->status[0] = 0;
	if (tui_predict_active(t) && ch != 'q' && ch != 'Q' && ch != 3 && ch != KEY_MOUSE)
		return tui_predict_key(t, ch);
	if (t->prompt && ch != 'q' && ch != 'Q' && ch != 3 && ch != KEY_MOUSE)
		return tui_prompt_key(t, ch);
	for (size_t i = 0; i < N_KEYS; i++)
		for (int k = 0; k < 10 && keymap[i].keys[k]; k++)
			if (keymap[i].keys[k] == ch)
				return keymap[i].act(t, ch);
	return 0;
}

int tui_prompt_key(tui *t, int ch)
{
	if (ch == 's' || ch == 'S') {
		t->prompt = 0;
		t->decided = 1;
		t->tree_step = -1; /* the verdict can be shown now */
		snprintf(t->status, sizeof t->status, "severed");
		return tui_goto(t, t->step);
	}
	if (ch != 'a' && ch != 'A')
		return 0;
	/* Same seed, same bytes: rerun with the client told to accept. */
	int keep = t->accept_orig;
	t->opt.sim.accept_untrusted = 1;
	t->prompt = 0;
	int r = tui_restart(t);
	t->accept_orig = keep;
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
	layout_row_buffer(t->vm, t->step, r, &p, &n);
	int per = tui_dump_per(t);
	long b = layout_hex_byte_at(col, (size_t)(t->dump_top + line) * (size_t)per, per, n);
	if (b >= 0)
		tui_dump_move(t, b - (long)t->cur);
}

static void click_timeline(tui *t, int x)
{
	layout_timeline tl;
	int last = t->m.steps[7].reached ? 7 : 6;
	layout_timeline_make(t->vm, t->step, last, t->scr.timeline.w, t->ascii, &tl);
	for (int s = last; s >= 0; s--)
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
