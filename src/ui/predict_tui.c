/* --predict in the TUI: before a step's panes are shown, its questions
 * take their place; a..d (or Up/Down and Enter) answers, the verdict and
 * its explanation follow, and after the last one the step is revealed
 * with the field the explanation names selected.
 *
 * The questions are the ones --predict --plain asks (predict.c), made
 * from the whole run: a simulation is run once to its end for them, as
 * the answers of a step may lie in later ones (a tampered byte is noticed
 * later). */
#define _XOPEN_SOURCE_EXTENDED 1
#include "ui/predict.h"
#include "ui/tui_int.h"
#include "ui/views.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

struct tui_predict {
	model own; /* the whole simulated run (unused for a view) */
	sim *s;
	const model *full;
	predict_session ses;
	int step, at;                  /* the question on screen: step and index */
	int sel;                       /* the highlighted choice */
	int verdict;                   /* the answer to `at` is on screen */
	int done[MODEL_LAST_STEP + 1]; /* the step's questions are answered */
};

int tui_predict_start(tui *t, char *err, size_t n)
{
	tui_predict_stop(t);
	if (!t->opt.predict)
		return 0;
	struct tui_predict *p = calloc(1, sizeof *p);
	if (!p) {
		snprintf(err, n, "out of memory");
		return -1;
	}
	if (t->opt.view) {
		p->full = t->opt.view;
	} else {
		if (sim_new(&p->s, &t->opt.sim, &p->own, err, n)) {
			free(p);
			return -1;
		}
		if (sim_run(p->s) < 0) {
			sim_free(p->s);
			model_free(&p->own);
			free(p);
			snprintf(err, n, "the simulation for the questions failed");
			return -1;
		}
		p->full = &p->own;
	}
	t->predict = p;
	if (predict_session_init(&p->ses, p->full, err, n)) {
		tui_predict_stop(t);
		return -1;
	}
	return 0;
}

void tui_predict_stop(tui *t)
{
	struct tui_predict *p = t->predict;
	if (!p)
		return;
	if (p->s) {
		sim_free(p->s);
		model_free(&p->own);
	}
	free(p);
	t->predict = NULL;
}

/* 1 while the step on screen has a question to ask or a verdict to show. */
int tui_predict_active(const tui *t)
{
	const struct tui_predict *p = t->predict;
	if (!p || t->step < 1 || t->step > MODEL_LAST_STEP || p->done[t->step])
		return 0;
	return p->ses.steps[t->step].n > 0;
}

static void sync_step(tui *t)
{
	struct tui_predict *p = t->predict;
	if (p->step != t->step) {
		p->step = t->step;
		p->at = p->sel = p->verdict = 0;
	}
}

/* Text of several lines, each word-wrapped to w columns. */
static void put_wrapped(tui *t, int *y, int ymax, int w, const char *text, int attr)
{
	char line[1024];
	for (const char *s = text; *s && *y < ymax;) {
		size_t n = strcspn(s, "\n");
		snprintf(line, sizeof line, "%.*s", (int)n, s);
		s += n + (s[n] == '\n');
		lt_lines l;
		memset(&l, 0, sizeof l);
		if (layout_wrap(line, w, &l) >= 0)
			for (int i = 0; i < l.n && *y < ymax; i++)
				tui_put(t, (*y)++, 2, w, l.v[i], attr);
		lt_lines_free(&l);
	}
}

void tui_predict_draw(tui *t)
{
	struct tui_predict *p = t->predict;
	sync_step(t);
	int h, w;
	getmaxyx(stdscr, h, w);
	int y = 0, ymax = h - 1, tw = w - 4;
	/* the timeline, header and status line too: they name the suite and
	 * the alert once the step has run */
	for (int r = y; r <= ymax; r++)
		tui_fill(t, r, 0, w, A_NORMAL);
	char st[128];
	snprintf(st, sizeof st, " --predict: step %d is shown once its questions are answered | q quit",
	         t->step);
	tui_fill(t, ymax, 0, w, tui_attr(t, C_TITLE, A_REVERSE));
	tui_put(t, ymax, 0, w, st, tui_attr(t, C_TITLE, A_REVERSE));
	const predict_step *ps = &p->ses.steps[t->step];
	const predict_q *q = &ps->q[p->at];
	char line[256];
	snprintf(line, sizeof line,
	         "Predict before step %d is shown: question %d of %d   (score so far %d/%d)", t->step,
	         p->at + 1, ps->n, p->ses.right, p->ses.asked);
	tui_put(t, y++, 2, tw, line, tui_attr(t, C_TITLE, A_BOLD));
	snprintf(line, sizeof line, "Step %d: %s, %s", t->step, model_step_title(t->step),
	         step_direction(t->step));
	tui_put(t, y++, 2, tw, line, (int)A_BOLD);
	y++;
	put_wrapped(t, &y, ymax, tw, q->ask, A_BOLD);
	y++;
	if (q->dump[0] && !p->verdict) {
		put_wrapped(t, &y, ymax, tw, q->dump, tui_attr(t, C_CODE, 0));
		y++;
	}
	for (int c = 0; c < q->n_choices && y < ymax; c++) {
		int mark = p->verdict ? (c == q->right ? '+' : c == ps->answer[p->at] ? 'x' : ' ') : ' ';
		snprintf(line, sizeof line, "%c %c) %s",
		         p->verdict    ? mark
		         : c == p->sel ? '>'
		                       : ' ',
		         'a' + c, q->choice[c]);
		int a = (int)A_NORMAL;
		if (!p->verdict && c == p->sel)
			a = tui_attr(t, C_SEL, (int)(A_REVERSE | A_BOLD));
		else if (p->verdict && c == q->right)
			a = tui_attr(t, C_SERVER, (int)A_BOLD);
		put_wrapped(t, &y, ymax, tw, line, a);
	}
	y++;
	if (!p->verdict) {
		snprintf(line, sizeof line, "a-%c answers (or Up/Down and Enter); q quits",
		         'a' + q->n_choices - 1);
		tui_put(t, y < ymax ? y : ymax - 1, 2, tw, line, tui_attr(t, C_DIM, 0));
		return;
	}
	char v[2048];
	predict_verdict(q, ps->answer[p->at], v, sizeof v);
	int ok = ps->answer[p->at] == q->right;
	size_t first = strcspn(v, "\n");
	char head[512];
	snprintf(head, sizeof head, "%.*s", (int)first, v);
	put_wrapped(t, &y, ymax, tw, head, tui_attr(t, ok ? C_SERVER : C_ALERT, (int)A_BOLD));
	if (v[first])
		put_wrapped(t, &y, ymax, tw, v + first + 1, (int)A_NORMAL);
	y++;
	tui_put(t, y < ymax ? y : ymax - 1, 2, tw,
	        p->at + 1 < ps->n ? "Enter: the next question" : "Enter: reveal the step",
	        tui_attr(t, C_DIM, 0));
}

/* The step is answered: show it, with the first field an explanation
 * names selected. */
static void reveal(tui *t)
{
	struct tui_predict *p = t->predict;
	const predict_step *ps = &p->ses.steps[t->step];
	p->done[t->step] = 1;
	for (int i = 0; i < ps->n; i++) {
		if (!ps->q[i].field[0])
			continue;
		for (int r = 0; r < t->tree.n; r++)
			if (t->tree.v[r].span && !strcmp(t->tree.v[r].span->path, ps->q[i].field)) {
				tui_select_row(t, r);
				i = ps->n;
				break;
			}
	}
	int last = 1;
	for (int s = 1; s <= p->full->current; s++)
		last &= p->done[s] || !p->ses.steps[s].n;
	snprintf(t->status, sizeof t->status, "step %d: %d/%d right; %s %d/%d", t->step,
	         predict_step_right(&p->ses, t->step), ps->n, last ? "final score:" : "score so far",
	         p->ses.right, p->ses.asked);
}

int tui_predict_key(tui *t, int ch)
{
	struct tui_predict *p = t->predict;
	sync_step(t);
	const predict_step *ps = &p->ses.steps[t->step];
	const predict_q *q = &ps->q[p->at];
	if (p->verdict) {
		if (ch != '\n' && ch != '\r' && ch != KEY_ENTER && ch != ' ' && ch != 'n')
			return 0;
		p->verdict = 0;
		p->sel = 0;
		if (++p->at >= ps->n)
			reveal(t);
		return 0;
	}
	int pick = -1;
	if (ch >= 'a' && ch < 'a' + q->n_choices)
		pick = ch - 'a';
	else if (ch >= 'A' && ch < 'A' + q->n_choices)
		pick = ch - 'A';
	else if (ch == KEY_DOWN || ch == 'j')
		p->sel = (p->sel + 1) % q->n_choices;
	else if (ch == KEY_UP || ch == 'k')
		p->sel = (p->sel + q->n_choices - 1) % q->n_choices;
	else if (ch == '\n' || ch == '\r' || ch == KEY_ENTER)
		pick = p->sel;
	if (pick >= 0) {
		p->sel = pick;
		predict_answer(&p->ses, t->step, p->at, pick);
		p->verdict = 1;
	}
	return 0;
}

void tui_predict_score(const tui *t, FILE *f)
{
	if (t->predict)
		fprintf(f, "score: %d/%d\n", t->predict->ses.right, t->predict->ses.asked);
}
