/* The pane table and the panes on the right (lesson, ladder, who knows
 * what, derivation), plus the overlays (help, the untrusted-certificate
 * question, the scenario chooser). Each pane scrolls with t->scroll[pane]
 * and marks content that goes on below it. */
#define _XOPEN_SOURCE_EXTENDED 1
#include "ui/tui_int.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

static int max_scroll(tui *t, int pane)
{
	int n = tui_panes[pane].lines(t) - (t->scr.pane[pane].h - 1);
	return n > 0 ? n : 0;
}

void tui_scroll(tui *t, int pane, int by)
{
	int s = t->scroll[pane] + by, max = max_scroll(t, pane);
	t->scroll[pane] = s < 0 ? 0 : s > max ? max : s;
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

/* ---- who knows what ---- */

/* Under 60 columns two hex columns would show a few bytes each: each row
 * gets the label on one line and the values, full width, under it. */
static int know_narrow(const tui *t)
{
	return t->scr.pane[P_KNOW].w < 60;
}

static int know_row_lines(const lt_know *r)
{
	return !strcmp(r->client, r->server) ? 2 : 3;
}

static int know_lines(tui *t)
{
	lt_know rows[MS_COUNT + 4];
	int n = layout_knowledge(t->vm, t->step, rows, MS_COUNT + 4), k = 0;
	if (!know_narrow(t))
		return n + 2;
	for (int i = 0; i < n; i++)
		k += know_row_lines(&rows[i]);
	return k + 1;
}

static void draw_know_narrow(tui *t, const lt_know *rows, int n, int y)
{
	const lt_rect *r = &t->scr.pane[P_KNOW];
	lt_lines l = {0};
	int kind[(MS_COUNT + 4) * 3], k = 0;
	for (int i = 0; i < n; i++) {
		int same = !strcmp(rows[i].client, rows[i].server);
		lt_lines_add(&l, "%s%s", rows[i].label, same ? " (both sides)" : "");
		kind[k++] = 0;
		if (same) {
			lt_lines_add(&l, "  %s", rows[i].client);
			kind[k++] = 3;
			continue;
		}
		lt_lines_add(&l, "  C %s", rows[i].client);
		kind[k++] = 1;
		lt_lines_add(&l, "  S %s", rows[i].server);
		kind[k++] = 2;
	}
	int top = clamp_scroll(t, P_KNOW, l.n + (y - r->y - 1)), i;
	for (i = top; i < l.n && y < r->y + r->h; i++, y++) {
		int nv = strstr(l.v[i], "not yet") != NULL;
		int a = kind[i] == 0   ? (int)A_BOLD
		        : nv           ? (int)A_DIM
		        : kind[i] == 1 ? tui_attr(t, C_CLIENT, 0)
		        : kind[i] == 2 ? tui_attr(t, C_SERVER, 0)
		                       : tui_attr(t, C_CODE, 0);
		cell(t, y, r->x, r->w, l.v[i], a);
	}
	tui_more_mark(t, P_KNOW, l.n - i);
	lt_lines_free(&l);
}

static void draw_know(tui *t)
{
	const lt_rect *r = &t->scr.pane[P_KNOW];
	lt_know rows[MS_COUNT + 4];
	lt_lines al = {0};
	char a[512], ttl[80];
	int n = layout_knowledge(t->vm, t->step, rows, MS_COUNT + 4);
	layout_alert(t->vm, t->step, a, sizeof a);
	if (a[0])
		layout_wrap(a, r->w - 1, &al);
	snprintf(ttl, sizeof ttl, "Who knows what after step %d", t->step);
	tui_pane_title(t, P_KNOW, ttl);
	int y = r->y + 1, lw = r->w < 70 ? 17 : 20, vw = (r->w - lw - 2) / 2;
	for (int i = 0; i < al.n && y < r->y + r->h; i++)
		tui_put(t, y++, r->x, r->w, al.v[i], tui_attr(t, C_ALERT, A_BOLD));
	lt_lines_free(&al);
	if (y >= r->y + r->h)
		return;
	if (know_narrow(t)) {
		draw_know_narrow(t, rows, n, y);
		return;
	}
	tui_put(t, y, r->x, lw, "", A_UNDERLINE);
	tui_put(t, y, r->x + lw + 1, vw, "client", tui_attr(t, C_CLIENT, A_BOLD | A_UNDERLINE));
	tui_put(t, y++, r->x + lw + 2 + vw, vw, "server", tui_attr(t, C_SERVER, A_BOLD | A_UNDERLINE));
	int top = clamp_scroll(t, P_KNOW, n + (y - r->y - 1)), shown = 0;
	for (int i = top; i < n && y < r->y + r->h; i++, y++, shown++) {
		int cn = !strcmp(rows[i].client, "not yet"), sn = !strcmp(rows[i].server, "not yet");
		cell(t, y, r->x, lw, rows[i].label, A_BOLD);
		if (!cn && !strcmp(rows[i].client, rows[i].server)) {
			/* the same value on both sides gets both columns: secrets in full */
			cell(t, y, r->x + lw + 1, 2 * vw + 1, rows[i].client, tui_attr(t, C_CODE, 0));
			continue;
		}
		cell(t, y, r->x + lw + 1, vw, rows[i].client, cn ? (int)A_DIM : tui_attr(t, C_CLIENT, 0));
		cell(t, y, r->x + lw + 2 + vw, vw, rows[i].server,
		     sn ? (int)A_DIM : tui_attr(t, C_SERVER, 0));
	}
	tui_more_mark(t, P_KNOW, n - top - shown);
}

/* ---- plain line panes: derivation, ladder ---- */

static void draw_lines(tui *t, int pane, const lt_lines *l, const int *hl)
{
	const lt_rect *r = &t->scr.pane[pane];
	int top = clamp_scroll(t, pane, l->n), i;
	for (i = 0; i + 1 < r->h && top + i < l->n; i++) {
		int cur = hl && hl[top + i] == t->step;
		tui_put(t, r->y + 1 + i, r->x, r->w, l->v[top + i],
		        cur ? tui_attr(t, C_SEL, A_BOLD) : (int)A_NORMAL);
	}
	tui_more_mark(t, pane, l->n - top - i);
}

static int deriv_lines(tui *t)
{
	lt_lines l;
	int n = layout_derivation(t->vm, t->step, t->scr.pane[P_DERIV].w - 1, &l);
	lt_lines_free(&l);
	return n;
}

static void draw_deriv(tui *t)
{
	lt_lines l;
	layout_derivation(t->vm, t->step, t->scr.pane[P_DERIV].w - 1, &l);
	tui_pane_title(t, P_DERIV, t->vm->t13.active ? "Key schedule: HKDF secrets and keys (RFC 8446 7.1)"
	                                             : "Derivation: master secret and keys");
	draw_lines(t, P_DERIV, &l, NULL);
	lt_lines_free(&l);
}

#define LADDER_MAX 256

static int ladder_lines(tui *t)
{
	lt_lines l;
	int ls[LADDER_MAX];
	int n = layout_ladder(t->vm, t->step, t->scr.pane[P_LADDER].w - 1, t->ascii, &l, ls, LADDER_MAX);
	lt_lines_free(&l);
	return n;
}

static void draw_ladder(tui *t)
{
	lt_lines l;
	int ls[LADDER_MAX];
	int n = layout_ladder(t->vm, t->step, t->scr.pane[P_LADDER].w - 1, t->ascii, &l, ls, LADDER_MAX);
	for (int i = n; i < LADDER_MAX; i++)
		ls[i] = -1;
	tui_pane_title(t, P_LADDER, "Ladder (= encrypted; L: lesson)");
	draw_lines(t, P_LADDER, &l, ls);
	lt_lines_free(&l);
}

/* ---- lesson: the step's, then the scenario's part for this step ---- */

static int append(tls_buf *md, const char *s)
{
	return tls_buf_put(md, (const uint8_t *)s, strlen(s));
}

static int lesson_text(tui *t, tls_buf *md)
{
	tls_buf part = {0};
	if (t->prompt) /* the step's lesson gives the verdict away */
		return append(
		    md, "# Decide first\n\nThe client has not decided yet. Choose **a** (accept anyway) or "
		        "**s** (sever the connection); the lesson goes on after your choice.\n");
	if (lesson_load(t->vm, t->step, lesson_file_for(t->vm, t->step), md, t->lesson_err, sizeof t->lesson_err))
		return -1;
	if (md->len && !md->p[md->len - 1])
		md->len--; /* more follows; load_lesson ends the text */
	const char *extra = lesson_extra_for(t->vm, t->step);
	if (extra) { /* a live run: what the server chose, and why */
		if (lesson_load(t->vm, t->step, extra, &part, t->lesson_err, sizeof t->lesson_err)) {
			tls_buf_free(&part);
			return -1;
		}
		int r = append(md, "\n\n") || append(md, (const char *)part.p);
		tls_buf_free(&part);
		if (r)
			return -1;
	}
	if (!t->opt.scenario_text)
		return 0;
	if (lesson_scenario_part(t->vm, t->step, t->opt.scenario_text, &part, t->lesson_err,
	                         sizeof t->lesson_err)) {
		tls_buf_free(&part);
		return -1;
	}
	int r = 0;
	if (part.len > 1) {
		char h[120];
		snprintf(h, sizeof h, "\n\n# In this scenario (%s)\n\n", t->vm->scenario);
		r = append(md, h) || append(md, (const char *)part.p);
	}
	tls_buf_free(&part);
	return r;
}

static void load_lesson(tui *t, int width)
{
	tls_buf md = {0};
	if (t->lesson_step == t->step && t->lesson_width == width && t->lesson_hidden == t->prompt)
		return;
	lesson_lines_free(&t->lesson);
	t->lesson_step = t->step;
	t->lesson_width = width;
	t->lesson_hidden = t->prompt;
	t->lesson_err[0] = 0;
	t->scroll[P_LESSON] = 0;
	t->lesson_ok = !lesson_text(t, &md) && !tls_buf_u8(&md, 0) &&
	               !lesson_wrap((const char *)md.p, width, &t->lesson);
	if (!t->lesson_ok && !t->lesson_err[0])
		snprintf(t->lesson_err, sizeof t->lesson_err, "the lesson for step %d could not be laid out",
		         t->step);
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

static int lesson_lines_n(tui *t)
{
	if (t->scr.pane[P_LESSON].h)
		load_lesson(t, t->scr.pane[P_LESSON].w - 1);
	return (int)t->lesson.n;
}

int tui_lesson_more(tui *t)
{
	if (!t->scr.pane[P_LESSON].h)
		return 0;
	return lesson_lines_n(t) - t->scroll[P_LESSON] - (t->scr.pane[P_LESSON].h - 1);
}

static void draw_lesson(tui *t)
{
	const lt_rect *r = &t->scr.pane[P_LESSON];
	char ttl[120];
	load_lesson(t, r->w - 1);
	snprintf(ttl, sizeof ttl, "Lesson: %s", t->step ? t->vm->steps[t->step].title : "Introduction");
	tui_pane_title(t, P_LESSON, ttl);
	if (!t->lesson_ok) {
		tui_put(t, r->y + 1, r->x, r->w, t->lesson_err, tui_attr(t, C_ALERT, A_BOLD));
		return;
	}
	int top = clamp_scroll(t, P_LESSON, (int)t->lesson.n), i;
	for (i = 0; i + 1 < r->h && (size_t)(top + i) < t->lesson.n; i++)
		lesson_line_draw(t, r->y + 1 + i, r->x, r->w, &t->lesson.v[top + i]);
	tui_more_mark(t, P_LESSON, (int)t->lesson.n - top - i);
}

/* ---- the table ---- */

static int has_lesson(const tui *t)
{
	return !t->opt.no_lessons;
}
static int has_deriv(const tui *t)
{
	return layout_has_derivation(t->vm, t->step);
}

static void move_tree(tui *t, int by)
{
	tui_tree_move(t, by);
}
static void move_dump(tui *t, int by)
{
	tui_dump_move(t, (long)by * tui_dump_per(t));
}
static void move_lesson(tui *t, int by)
{
	tui_scroll(t, P_LESSON, by);
}
static void move_ladder(tui *t, int by)
{
	tui_scroll(t, P_LADDER, by);
}
static void move_know(tui *t, int by)
{
	tui_scroll(t, P_KNOW, by);
}
static void move_deriv(tui *t, int by)
{
	tui_scroll(t, P_DERIV, by);
}

const tui_pane_ops tui_panes[P_COUNT] = {
    [P_TREE] = {"fields", tui_draw_tree, tui_tree_lines, NULL, move_tree},
    [P_DUMP] = {"bytes", tui_draw_dump, tui_dump_lines, NULL, move_dump},
    [P_LESSON] = {"lesson", draw_lesson, lesson_lines_n, has_lesson, move_lesson},
    [P_LADDER] = {"ladder", draw_ladder, ladder_lines, NULL, move_ladder},
    [P_KNOW] = {"knowledge", draw_know, know_lines, NULL, move_know},
    [P_DERIV] = {"derivation", draw_deriv, deriv_lines, has_deriv, move_deriv},
};

/* ---- overlays ---- */

static void draw_box(tui *t, lt_lines *lp, const char *title, int hl);

void tui_draw_help(tui *t)
{
	lt_lines l;
	tui_help_lines(t, &l);
	draw_box(t, &l, " Help: any key closes ", -1);
}

/* draw_box frees what it is given: it gets a copy of the lines that fit
 * from compare_top on. */
void tui_draw_compare(tui *t)
{
	lt_lines l;
	memset(&l, 0, sizeof l);
	int room = LINES > 4 ? LINES - 2 : 2;
	for (int i = t->compare_top; i < t->compare.n && l.n < room; i++)
		lt_lines_add(&l, "%s", t->compare.v[i]);
	draw_box(t, &l, " TLS 1.2 against TLS 1.3: Up Down scroll, any key closes ", -1);
}

/* Browsers stop here and ask; so does the classroom client. No verdict
 * shows until the user chooses. */
void tui_draw_prompt(tui *t)
{
	lt_lines l;
	memset(&l, 0, sizeof l);
	lt_lines_add(&l, "%s", "The server sent a certificate for the right name.");
	lt_lines_add(&l, "%s", "Before it goes on, the client must decide whether");
	lt_lines_add(&l, "%s", "to trust it. What would you do?");
	lt_lines_add(&l, "%s", "");
	lt_lines_add(&l, "%s", "  a  accept anyway and go on with the handshake");
	lt_lines_add(&l, "%s", "  s  sever the connection");
	draw_box(t, &l, " The client's choice ", -1);
}

void tui_draw_pick(tui *t)
{
	lt_lines l;
	memset(&l, 0, sizeof l);
	if (t->picking == 2) {
		lt_lines_add(&l, "scenario %s", t->opt.scenarios[t->pick_sel]);
		lt_lines_add(&l, "seed: %s_", t->seed_buf);
		lt_lines_add(&l, "%s", "");
		lt_lines_add(&l, "%s", "digits, Enter runs it, Esc cancels");
		draw_box(t, &l, " Choose a seed ", -1);
		return;
	}
	for (size_t i = 0; i < t->opt.n_scenarios; i++)
		lt_lines_add(&l, "%s %s", (int)i == t->pick_sel ? (t->ascii ? ">" : "▶") : " ",
		             t->opt.scenarios[i]);
	lt_lines_add(&l, "%s", "");
	lt_lines_add(&l, "%s", "j/k move, Enter picks, Esc cancels");
	draw_box(t, &l, " Choose a scenario ", t->pick_sel);
}

static void draw_box(tui *t, lt_lines *lp, const char *title, int hl)
{
	lt_lines l = *lp;
	int h, w, bw = layout_cols(title) + 2;
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
		for (int i = 0; i < l.n && i + 1 < bh - 1; i++) {
			if (i == hl)
				wattrset(win, tui_attr(t, C_SEL, A_REVERSE | A_BOLD));
			mvwaddnstr(win, i + 1, 2, l.v[i], (int)layout_fit(l.v[i], bw - 4));
			wattrset(win, A_NORMAL);
		}
		wnoutrefresh(stdscr);
		wnoutrefresh(win);
		doupdate();
		delwin(win);
	}
	lt_lines_free(&l);
}
