/* Drawing the bottom panes (who knows what, derivation, lesson) and the
 * help overlay. Each pane scrolls with t->scroll[pane]. */
#define _XOPEN_SOURCE_EXTENDED 1
#include "ui/tui_int.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

static void title(tui *t, int pane, const char *text)
{
	const lt_rect *r = &t->scr.pane[pane];
	char buf[300];
	int f = t->focus == pane;
	snprintf(buf, sizeof buf, "%s%s", f ? (t->ascii ? "> " : "▶ ") : "  ", text);
	int a = f ? tui_attr(t, C_TITLE, A_REVERSE | A_BOLD) : tui_attr(t, C_TITLE, A_BOLD | A_UNDERLINE);
	char sp[512];
	int w = r->w < 511 ? r->w : 511;
	memset(sp, ' ', (size_t)w);
	sp[w] = 0;
	tui_put(t, r->y, r->x, r->w, sp, a);
	tui_put(t, r->y, r->x, r->w, buf, a);
	if (r->x > 0)
		for (int i = 0; i < r->h; i++)
			tui_put(t, r->y + i, r->x - 1, 1, t->ascii ? "|" : "│", tui_attr(t, C_DIM, 0));
}

/* What is hidden at 80 columns: the other bottom panes, named in the title. */
static void title_with_others(tui *t, int pane, const char *name)
{
	char buf[300];
	int n = snprintf(buf, sizeof buf, "%s", name);
	static const char *const names[P_COUNT] = {"", "", "knowledge", "derivation", "lesson"};
	for (int p = P_KNOW; p <= P_LESSON; p++)
		if (p != pane && !t->scr.pane[p].h && (p != P_DERIV || layout_has_derivation(&t->m, t->step)) &&
		    (p != P_LESSON || !t->opt.no_lessons))
			n += snprintf(buf + n, sizeof buf - (size_t)n, "%s%s", n == (int)strlen(name) ? "  [Tab: " : ", ",
				      names[p]);
	if (n > (int)strlen(name))
		snprintf(buf + n, sizeof buf - (size_t)n, "]");
	title(t, pane, buf);
}

static int clamp_scroll(tui *t, int pane, int lines)
{
	int max = lines - (t->scr.pane[pane].h - 1);
	if (max < 0)
		max = 0;
	if (t->scroll[pane] > max)
		t->scroll[pane] = max;
	return t->scroll[pane];
}

/* "abc…" when a value is wider than its column. */
static void cell(tui *t, int y, int x, int w, const char *s, int attr)
{
	if (layout_cols(s) <= w) {
		tui_put(t, y, x, w, s, attr);
		return;
	}
	tui_put(t, y, x, w - 1, s, attr);
	tui_put(t, y, x + w - 1, 1, t->ascii ? "~" : "…", attr);
}

static void draw_know(tui *t)
{
	const lt_rect *r = &t->scr.pane[P_KNOW];
	lt_know rows[MS_COUNT + 4];
	lt_lines al = {0};
	char a[512], ttl[80];
	int n = layout_knowledge(&t->m, t->step, rows, MS_COUNT + 4);
	layout_alert(&t->m, t->step, a, sizeof a);
	if (a[0])
		layout_wrap(a, r->w - 1, &al);
	snprintf(ttl, sizeof ttl, "Who knows what after step %d", t->step);
	title_with_others(t, P_KNOW, ttl);
	int y = r->y + 1, lw = r->w < 70 ? 17 : 20, vw = (r->w - lw - 2) / 2;
	for (int i = 0; i < al.n && y < r->y + r->h; i++)
		tui_put(t, y++, r->x, r->w, al.v[i], tui_attr(t, C_ALERT, A_BOLD));
	lt_lines_free(&al);
	if (y >= r->y + r->h)
		return;
	tui_put(t, y, r->x, lw, "", A_UNDERLINE);
	tui_put(t, y, r->x + lw + 1, vw, "client", tui_attr(t, C_CLIENT, A_BOLD | A_UNDERLINE));
	tui_put(t, y++, r->x + lw + 2 + vw, vw, "server", tui_attr(t, C_SERVER, A_BOLD | A_UNDERLINE));
	int top = clamp_scroll(t, P_KNOW, n + (y - r->y - 1));
	for (int i = top; i < n && y < r->y + r->h; i++, y++) {
		int cn = !strcmp(rows[i].client, "not yet"), sn = !strcmp(rows[i].server, "not yet");
		cell(t, y, r->x, lw, rows[i].label, A_BOLD);
		cell(t, y, r->x + lw + 1, vw, rows[i].client, cn ? (int)A_DIM : tui_attr(t, C_CLIENT, 0));
		cell(t, y, r->x + lw + 2 + vw, vw, rows[i].server, sn ? (int)A_DIM : tui_attr(t, C_SERVER, 0));
	}
}

static void draw_lines(tui *t, int pane, const lt_lines *l)
{
	const lt_rect *r = &t->scr.pane[pane];
	int top = clamp_scroll(t, pane, l->n);
	for (int i = 0; i + 1 < r->h && top + i < l->n; i++)
		tui_put(t, r->y + 1 + i, r->x, r->w, l->v[top + i], A_NORMAL);
}

static void draw_deriv(tui *t)
{
	lt_lines l;
	layout_derivation(&t->m, t->step, t->scr.pane[P_DERIV].w - 1, &l);
	title_with_others(t, P_DERIV, "Derivation: master secret and keys");
	draw_lines(t, P_DERIV, &l);
	lt_lines_free(&l);
}

static void load_lesson(tui *t, int width)
{
	tls_buf md = {0};
	if (t->lesson_step == t->step && t->lesson_width == width)
		return;
	lesson_lines_free(&t->lesson);
	t->lesson_step = t->step;
	t->lesson_width = width;
	t->lesson_err[0] = 0;
	t->lesson_ok = !lesson_load(&t->m, t->step, lesson_file(t->step), &md, t->lesson_err, sizeof t->lesson_err) &&
		       md.p && !lesson_wrap((const char *)md.p, width, &t->lesson);
	if (!t->lesson_ok && !t->lesson_err[0])
		snprintf(t->lesson_err, sizeof t->lesson_err, "the lesson for step %d could not be laid out", t->step);
	tls_buf_free(&md);
}

static int lesson_attr(const tui *t, unsigned char a)
{
	switch (a) {
	case LA_HEADING: return tui_attr(t, C_TITLE, A_BOLD | A_UNDERLINE);
	case LA_BOLD: return A_BOLD;
	case LA_EMPH: return A_UNDERLINE;
	case LA_CODE: return tui_attr(t, C_CODE, A_BOLD);
	default: return A_NORMAL;
	}
}

static void lesson_line_draw(tui *t, int y, int x, int w, const lesson_line *l)
{
	char run[1024];
	size_t i = 0;
	int col = 0;
	while (i < l->len && col < w) {
		size_t j = i;
		while (j < l->len && l->attr[j] == l->attr[i] && j - i < sizeof run - 1)
			j++;
		memcpy(run, l->text + i, j - i);
		run[j - i] = 0;
		tui_put(t, y, x + col, w - col, run, lesson_attr(t, l->attr[i]));
		col += layout_cols(run);
		i = j;
	}
}

static void draw_lesson(tui *t)
{
	const lt_rect *r = &t->scr.pane[P_LESSON];
	char ttl[80];
	load_lesson(t, r->w - 1);
	snprintf(ttl, sizeof ttl, "Lesson: %s", model_step_title(t->step));
	title_with_others(t, P_LESSON, ttl);
	if (!t->lesson_ok) {
		tui_put(t, r->y + 1, r->x, r->w, t->lesson_err, tui_attr(t, C_ALERT, A_BOLD));
		return;
	}
	int top = clamp_scroll(t, P_LESSON, (int)t->lesson.n);
	for (int i = 0; i + 1 < r->h && (size_t)(top + i) < t->lesson.n; i++)
		lesson_line_draw(t, r->y + 1 + i, r->x, r->w, &t->lesson.v[top + i]);
}

int tui_pane_lines(tui *t, int pane)
{
	int n = 0, h = t->scr.pane[pane].h - 1;
	if (pane == P_KNOW) {
		lt_know rows[MS_COUNT + 4];
		n = layout_knowledge(&t->m, t->step, rows, MS_COUNT + 4) + 3;
	} else if (pane == P_DERIV) {
		lt_lines l;
		n = layout_derivation(&t->m, t->step, t->scr.pane[P_DERIV].w - 1, &l);
		lt_lines_free(&l);
	} else if (pane == P_LESSON) {
		n = (int)t->lesson.n;
	}
	return n - h > 0 ? n - h : 0;
}

void tui_draw_bottom(tui *t)
{
	if (t->scr.pane[P_KNOW].h)
		draw_know(t);
	if (t->scr.pane[P_DERIV].h)
		draw_deriv(t);
	if (t->scr.pane[P_LESSON].h)
		draw_lesson(t);
}

static void draw_box(tui *t, lt_lines *lp, const char *title);

void tui_draw_help(tui *t)
{
	lt_lines l;
	layout_help(&l);
	draw_box(t, &l, " Help: any key closes ");
}

/* Browsers stop here and ask; so does the classroom client. */
void tui_draw_prompt(tui *t)
{
	lt_lines l;
	memset(&l, 0, sizeof l);
	lt_lines_add(&l, "%s", "The server's certificate was signed by a CA that");
	lt_lines_add(&l, "%s", "this client does not trust. Anyone can make such a");
	lt_lines_add(&l, "%s", "certificate for any name. A browser would stop here.");
	lt_lines_add(&l, "%s", "");
	lt_lines_add(&l, "%s", "  a  accept anyway: the channel will be encrypted,");
	lt_lines_add(&l, "%s", "     but the client cannot know who is at the other end");
	lt_lines_add(&l, "%s", "  s  sever the connection: send the unknown_ca alert");
	draw_box(t, &l, " Untrusted certificate ");
}

static void draw_box(tui *t, lt_lines *lp, const char *title)
{
	lt_lines l = *lp;
	int h, w, bw = 0;
	getmaxyx(stdscr, h, w);
	for (int i = 0; i < l.n; i++)
		bw = layout_cols(l.v[i]) > bw ? layout_cols(l.v[i]) : bw;
	bw += 4;
	int bh = l.n + 2, y = (h - bh) / 2 > 0 ? (h - bh) / 2 : 0, x = (w - bw) / 2 > 0 ? (w - bw) / 2 : 0;
	WINDOW *win = newwin(bh < h ? bh : h, bw < w ? bw : w, y, x);
	if (win) {
		if (t->ascii)
			wborder(win, '|', '|', '-', '-', '+', '+', '+', '+');
		else
			box(win, 0, 0);
		mvwaddstr(win, 0, 2, title);
		for (int i = 0; i < l.n && i + 1 < bh - 1; i++)
			mvwaddnstr(win, i + 1, 2, l.v[i], (int)layout_fit(l.v[i], bw - 4));
		wnoutrefresh(stdscr);
		wnoutrefresh(win);
		doupdate();
		delwin(win);
	}
	lt_lines_free(&l);
}
