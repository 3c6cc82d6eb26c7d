#define _XOPEN_SOURCE_EXTENDED 1
#include "ui/picker.h"

#include <curses.h>
#include <locale.h>
#include <stdio.h>

static void draw(const char *title, const char *const *lines, size_t n, size_t sel, size_t *top,
		 const char *empty)
{
	int h, w;
	getmaxyx(stdscr, h, w);
	int rows = h - 3 > 1 ? h - 3 : 1;
	if (sel < *top)
		*top = sel;
	if (sel >= *top + (size_t)rows)
		*top = sel - (size_t)rows + 1;
	erase();
	attron(A_BOLD);
	mvaddnstr(0, 0, title, w);
	attroff(A_BOLD);
	if (n == 0 && empty)
		mvaddnstr(2, 2, empty, w - 2);
	for (int i = 0; i < rows && *top + (size_t)i < n; i++) {
		size_t k = *top + (size_t)i;
		int a = k == sel ? A_REVERSE | A_BOLD : A_NORMAL;
		attron(a);
		mvaddstr(i + 2, 0, k == sel ? "> " : "  ");
		addnstr(lines[k], w - 2);
		attroff(a);
	}
	mvaddnstr(h - 1, 0, "Up/Down or j/k: move   Enter: show this connection   q: quit", w);
	refresh();
}

static int pick(const char *title, const char *empty, const char *const *lines, size_t n, ui_pick_get get,
		int (*idle)(void *ctx), void *ctx, size_t start)
{
	setlocale(LC_ALL, "");
	SCREEN *s = newterm(NULL, stdout, stdin);
	if (!s)
		return -2;
	set_term(s);
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	curs_set(0);
	size_t sel = start < n ? start : 0, top = 0;
	int picked = -1;
	if (idle)
		timeout(250);
	for (;;) {
		draw(title, lines, n, sel, &top, empty);
		int ch = getch();
		if (ch == ERR && idle) {
			if (idle(ctx) == 1) {
				lines = get(ctx, &n);
				sel = 0; /* the newest comes first */
			}
			continue;
		}
		if (ch == 'q' || ch == 'Q' || ch == 27 || ch == ERR)
			break;
		if ((ch == KEY_DOWN || ch == 'j') && sel + 1 < n)
			sel++;
		else if ((ch == KEY_UP || ch == 'k') && sel > 0)
			sel--;
		else if ((ch == '\n' || ch == '\r' || ch == KEY_ENTER) && n > 0) {
			picked = (int)sel;
			break;
		}
	}
	endwin();
	delscreen(s);
	return picked;
}

int ui_pick(const char *title, const char *const *lines, size_t n, size_t start)
{
	if (n == 0)
		return -1;
	return pick(title, NULL, lines, n, NULL, NULL, NULL, start);
}

int ui_pick_live(const char *title, const char *empty, ui_pick_get get, int (*idle)(void *ctx), void *ctx,
		 size_t start)
{
	size_t n;
	const char *const *lines = get(ctx, &n);
	return pick(title, empty, lines, n, get, idle, ctx, start);
}
