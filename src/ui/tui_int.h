/* Shared state of the TUI's files: tui.c (loop, terminal, stepping),
 * tui_keys.c (what each key does), tui_draw.c and tui_panes.c (drawing).
 * The state only points into the model; layout.c turns it into text. */
#ifndef UI_TUI_INT_H
#define UI_TUI_INT_H

#include "ui/layout.h"
#include "ui/lesson.h"
#include "ui/tui.h"

#include <signal.h>

enum { C_NONE, C_TITLE, C_SEL, C_ALERT, C_CLIENT, C_SERVER, C_DIM, C_CODE, C_COUNT };

typedef struct {
	tui_options opt;
	model m;
	sim *s;
	int step;        /* step on screen */
	int ascii, color;
	lt_tree tree;    /* rows of the step on screen */
	int tree_step;
	int sel;         /* selected tree row */
	int tree_top;    /* first visible row shown */
	size_t cur;      /* hex cursor, in the selected row's buffer */
	int dump_top;    /* first dump line shown */
	int focus;       /* enum lt_pane */
	int bottom;      /* bottom pane to show first */
	int scroll[P_COUNT];
	int help;
	int prompt;      /* asking "accept anyway or sever?" for an untrusted certificate */
	int decided;     /* the user answered it for this run */
	int accept_orig; /* --accept-untrusted as given, restored by r */
	int autoplay_on;
	double next_at;  /* when autoplay steps next (monotonic seconds) */
	char status[256];
	lt_screen scr;
	lesson_lines lesson;
	int lesson_step, lesson_width, lesson_ok;
	char lesson_err[256];
	int quit;
} tui;

extern volatile sig_atomic_t tui_signal;

/* tui.c */
int tui_goto(tui *t, int step);   /* runs steps as needed; 0 or <0 fatal */
int tui_restart(tui *t);
double tui_now(void);
void tui_select_row(tui *t, int row);

/* tui_keys.c */
int tui_key(tui *t, int ch);      /* <0: fatal */
void tui_mouse(tui *t);

/* tui_draw.c */
void tui_draw(tui *t);
int tui_attr(const tui *t, int pair, int extra);
void tui_put(const tui *t, int y, int x, int w, const char *s, int attr);

/* tui_panes.c */
void tui_draw_bottom(tui *t);
void tui_draw_help(tui *t);
void tui_draw_prompt(tui *t);
int tui_prompt_key(tui *t, int ch);
int tui_pane_lines(tui *t, int pane); /* lines of content, for scrolling */

#endif
