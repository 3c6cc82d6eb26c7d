/* Shared state of the TUI's files: tui.c (loop, terminal, stepping),
 * tui_keys.c (the key table), tui_draw.c (timeline, header, tree, dump,
 * status) and tui_panes.c (the pane table: lesson, ladder, knowledge,
 * derivation, and the overlays). The state only points into the model;
 * layout.c turns it into text. */
#ifndef UI_TUI_INT_H
#define UI_TUI_INT_H

#include "ui/layout.h"
#include "ui/lesson.h"
#include "ui/tui.h"

#include <signal.h>

enum { C_NONE, C_TITLE, C_SEL, C_ALERT, C_CLIENT, C_SERVER, C_DIM, C_CODE, C_TAMPER, C_COUNT };

typedef struct tui tui;

struct tui {
	tui_options opt;
	model m;
	model hidden;    /* m without the verdict, while the user decides */
	const model *vm; /* what the panes draw: &m, or &hidden */
	sim *s;
	int step; /* step on screen, 0 = introduction */
	int ascii, color;
	lt_tree tree; /* rows of the step on screen */
	int tree_step, tree_hidden;
	int sel;        /* selected tree row */
	int tree_top;   /* first visible row shown */
	size_t cur;     /* hex cursor, in the selected row's buffer */
	int dump_top;   /* first dump line shown */
	int focus;      /* enum lt_pane */
	lt_place place; /* which pane shows where on the right */
	int scroll[P_COUNT];
	int help;
	lt_lines compare; /* c: the comparison shown over the panes (n 0: closed) */
	int compare_top;  /* its first line on screen (Up and Down scroll) */
	int prompt;      /* asking "accept anyway or sever?" for an untrusted certificate */
	int decided;     /* the user answered it for this run */
	int accept_orig; /* --accept-untrusted as given, restored by r */
	int autoplay_on;
	double next_at; /* when autoplay steps next (monotonic seconds) */
	char status[256];
	lt_screen scr;
	lesson_lines lesson;
	int lesson_step, lesson_width, lesson_ok, lesson_hidden;
	char lesson_err[256];
	int searching; /* typing a / search */
	char search[64];
	int picking; /* s: 1 choosing a scenario, 2 typing a seed */
	struct tui_predict *predict; /* --predict: the questions, NULL without */
	int pick_sel;
	char seed_buf[24];
	int quit;
};

/* One pane: how to draw it, how many lines it has (for scrolling and the
 * "more below" mark), when it exists, how Up/Down move in it. */
typedef struct {
	const char *name;
	void (*draw)(tui *t);
	int (*lines)(tui *t);
	int (*avail)(const tui *t);
	void (*step_by)(tui *t, int by);
} tui_pane_ops;

extern const tui_pane_ops tui_panes[P_COUNT];
extern volatile sig_atomic_t tui_signal;

/* tui.c */
int tui_goto(tui *t, int step); /* runs steps as needed; <0 fatal */
int tui_restart(tui *t);
double tui_now(void);
void tui_select_row(tui *t, int row);
void tui_show(tui *t, int pane); /* focus a pane, bringing it into its place */

/* tui_keys.c */
int tui_key(tui *t, int ch); /* <0: fatal */
void tui_mouse(tui *t);
int tui_help_lines(const tui *t, lt_lines *out);
int tui_dump_per(const tui *t);
void tui_dump_move(tui *t, long by);
void tui_tree_move(tui *t, int by);

/* tui_draw.c */
void tui_draw(tui *t);
int tui_attr(const tui *t, int pair, int extra);
void tui_put(const tui *t, int y, int x, int w, const char *s, int attr);
void tui_fill(const tui *t, int y, int x, int w, int attr);
void tui_pane_title(tui *t, int pane, const char *text);
void tui_more_mark(tui *t, int pane, int more);
void tui_draw_tree(tui *t);
void tui_draw_dump(tui *t);
int tui_tree_lines(tui *t);
int tui_dump_lines(tui *t);
/* the tampered byte of the step on screen: record index and offset; 0 when none */
int tui_tampered(const tui *t, int *rec, size_t *off);

/* predict_tui.c: --predict's questions in place of a step's panes */
int tui_predict_start(tui *t, char *err, size_t n); /* (re)builds them; 0 without --predict */
void tui_predict_stop(tui *t);
int tui_predict_active(const tui *t); /* the step on screen waits for answers */
void tui_predict_draw(tui *t);
int tui_predict_key(tui *t, int ch);
void tui_predict_score(const tui *t, FILE *f); /* "score: N/M" */

/* tui_panes.c */
void tui_draw_help(tui *t);
void tui_draw_compare(tui *t);
void tui_draw_prompt(tui *t);
void tui_draw_pick(tui *t);
int tui_prompt_key(tui *t, int ch);
void tui_scroll(tui *t, int pane, int by);
int tui_lesson_more(tui *t); /* lines of the lesson below the pane */

#endif
