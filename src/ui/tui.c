/* The step-through TUI: terminal setup and teardown, the event loop, and
 * moving between steps (forward runs the simulation, back is instant since
 * the model keeps every step). Keys are in tui_keys.c, drawing in
 * tui_draw.c and tui_panes.c. */
#define _XOPEN_SOURCE_EXTENDED 1
#include "ui/tui_int.h"

#include "tls/alert.h"

#include <curses.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

volatile sig_atomic_t tui_signal;

static void on_signal(int sig)
{
	tui_signal = sig;
}

double tui_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void tui_select_row(tui *t, int row)
{
	if (row < 0 || row >= t->tree.n)
		return;
	t->sel = row;
	for (int p = t->tree.v[row].parent; p >= 0; p = t->tree.v[p].parent)
		t->tree.v[p].collapsed = 0;
	t->cur = t->tree.v[row].off;
}

/* While the client asks whether to accept an untrusted certificate, the
 * screen must not give the answer away: the panes draw a copy of the model
 * without the alert, its record and the client's verdict. */
static void hide_verdict(tui *t)
{
	t->vm = &t->m;
	if (!t->prompt)
		return;
	t->hidden = t->m;
	model *h = &t->hidden;
	int a = h->alert.step;
	h->alert.present = 0;
	h->outcome = MODEL_RUNNING;
	if (a >= 1 && a <= MODEL_LAST_STEP) {
		model_step *st = &h->steps[a];
		while (st->n_msg && st->msg[st->n_msg - 1].kind == MODEL_MSG_ALERT)
			st->n_msg--;
		while (st->n_rec && st->rec[st->n_rec - 1].type == 21)
			st->n_rec--;
		st->client.cert_note[0] = 0;
	}
	t->vm = h;
}

void tui_show(tui *t, int pane)
{
	t->focus = pane;
	if (pane == P_LESSON || pane == P_LADDER)
		t->place.upper = pane;
	if (pane == P_KNOW || pane == P_DERIV)
		t->place.lower = pane;
	if (pane >= P_LESSON)
		t->place.single = pane;
	if (t->place.zoom >= 0)
		t->place.zoom = pane;
}

static int show_step(tui *t, int step)
{
	hide_verdict(t);
	if (step != t->tree_step || !t->tree.v || t->tree_hidden != t->prompt) {
		layout_tree_free(&t->tree);
		if (layout_tree_build(t->vm, step, &t->tree))
			return -1;
		t->tree_step = step;
		t->tree_hidden = t->prompt;
		t->sel = t->tree_top = t->dump_top = 0;
		t->cur = 0;
		memset(t->scroll, 0, sizeof t->scroll);
	}
	t->step = step;
	return 0;
}

int tui_goto(tui *t, int n)
{
	if (n < 0)
		n = 0;
	if (n > MODEL_LAST_STEP)
		n = MODEL_LAST_STEP;
	while (t->s && t->m.current < n) {
		int r = sim_step(t->s);
		if (r < 0)
			return r;
		if (r == 0)
			break;
	}
	if (n > t->m.current && n > 0) {
		n = t->m.current;
		if (t->m.alert.present)
			snprintf(t->status, sizeof t->status, "the handshake ended with an alert at step %d",
			         t->m.alert.step);
		else
			snprintf(t->status, sizeof t->status, "the handshake has no step after %d", n);
	}
	if (t->s && !t->decided && t->m.alert.present && !t->m.alert.by_server &&
	    t->m.alert.desc == TLS_ALERT_UNKNOWN_CA && n == t->m.alert.step && !t->opt.predict)
		t->prompt = 1;
	return n < 0 ? -1 : show_step(t, n);
}

static int start_sim(tui *t, char *err, size_t n)
{
	if (tui_predict_start(t, err, n))
		return -1;
	if (t->opt.view) {
		/* A shallow copy: the caller owns the model's arrays. */
		t->m = *t->opt.view;
		t->tree_step = 0;
		if (t->m.current < 1) {
			snprintf(err, n, "nothing to show: no TLS record was seen");
			return -1;
		}
		return tui_goto(t, t->opt.start_step > 0 ? t->opt.start_step : 1);
	}
	if (sim_new(&t->s, &t->opt.sim, &t->m, err, n))
		return -1;
	t->tree_step = 0;
	int r = tui_goto(t, t->opt.start_step > 0 ? t->opt.start_step : 1);
	if (r < 0)
		snprintf(err, n, "the simulation failed (status %d)", r);
	return r;
}

static void stop_sim(tui *t)
{
	if (t->s)
		sim_free(t->s);
	t->s = NULL;
	tui_predict_stop(t);
	if (t->opt.view)
		memset(&t->m, 0, sizeof t->m);
	else
		model_free(&t->m);
	layout_tree_free(&t->tree);
	lesson_lines_free(&t->lesson);
	t->lesson_step = 0;
}

int tui_restart(tui *t)
{
	char err[512];
	if (t->opt.view) {
		snprintf(t->status, sizeof t->status, "a recorded handshake cannot be rerun");
		return 0;
	}
	int start = t->opt.start_step;
	stop_sim(t);
	t->opt.start_step = 1;
	int r = start_sim(t, err, sizeof err);
	t->opt.start_step = start;
	if (!r)
		snprintf(t->status, sizeof t->status, "restarted from step 1");
	return r;
}

static void colours(tui *t)
{
	const char *nc = getenv("NO_COLOR");
	t->color = has_colors() && !(nc && *nc);
	if (!t->color)
		return;
	start_color();
	use_default_colors();
	init_pair(C_TITLE, COLOR_CYAN, -1);
	init_pair(C_SEL, COLOR_YELLOW, COLOR_BLACK);
	init_pair(C_ALERT, COLOR_RED, -1);
	init_pair(C_CLIENT, COLOR_CYAN, -1);
	init_pair(C_SERVER, COLOR_GREEN, -1);
	init_pair(C_DIM, COLOR_BLUE, -1);
	init_pair(C_CODE, COLOR_GREEN, -1);
	init_pair(C_TAMPER, COLOR_MAGENTA, -1);
}

static SCREEN *open_terminal(tui *t)
{
	SCREEN *scr = newterm(NULL, stdout, stdin);
	if (!scr)
		return NULL;
	raw(); /* Ctrl-C arrives as a key: quitting goes through endwin */
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);
	mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED, NULL);
	mouseinterval(0);
	colours(t);
	return scr;
}

static void signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

/* How long getch may wait: until the next autoplay step, else a while
 * (so a signal is noticed even when the read is restarted). */
static int wait_ms(const tui *t)
{
	if (!t->autoplay_on)
		return 1000;
	double left = t->next_at - tui_now();
	return left <= 0 ? 0 : left > 1 ? 1000 : (int)(left * 1000) + 1;
}

/* Autoplay reads like a presenter: the lesson comes into view and is paged
 * through before the next step; a question waits for its answer. */
static int autoplay_tick(tui *t)
{
	if (!t->autoplay_on || tui_now() < t->next_at)
		return 0;
	t->next_at = tui_now() + t->opt.autoplay;
	if (t->prompt) {
		snprintf(t->status, sizeof t->status, "autoplay: waiting for your choice (a or s)");
		return 0;
	}
	if (tui_predict_active(t))
		return 0; /* a question waits for its answer */
	if (!t->opt.no_lessons) {
		if (t->place.upper != P_LESSON && t->place.single != P_LESSON) {
			t->place.upper = t->place.single = P_LESSON;
			return 0;
		}
		if (tui_lesson_more(t) > 0) {
			tui_scroll(t, P_LESSON, t->scr.pane[P_LESSON].h - 2);
			return 0;
		}
	}
	if (t->step >= MODEL_LAST_STEP || (sim_finished(t->s) && t->step >= t->m.current)) {
		t->autoplay_on = 0;
		snprintf(t->status, sizeof t->status, "autoplay: reached the end");
		return 0;
	}
	return tui_goto(t, t->step + 1);
}

static int loop(tui *t)
{
	int r = 0;
	while (!t->quit && !tui_signal && r >= 0) {
		tui_draw(t);
		int ms = wait_ms(t);
		timeout(t->opt.idle && ms > 200 ? 200 : ms);
		int ch = getch();
		if (ch == ERR && t->opt.idle)
			t->opt.idle(t->opt.idle_ctx);
		if (ch == ERR)
			r = autoplay_tick(t);
		else
			r = tui_key(t, ch);
	}
	return r;
}

/* TLSSTEP_TUI_BENCH=1: first frame, then every step redrawn, timed. */
static int bench(tui *t, double t0)
{
	tui_draw(t);
	double first = tui_now() - t0, sum = 0;
	int n = 0;
	for (int s = 2; s <= MODEL_LAST_STEP && s <= t->m.current + 1 && !t->prompt; s++) {
		double a = tui_now();
		if (tui_goto(t, s) < 0) {
			endwin();
			return -1;
		}
		tui_draw(t);
		sum += tui_now() - a;
		n++;
	}
	endwin();
	fprintf(stderr, "first_frame_ms=%.3f redraw_ms=%.3f\n", first * 1e3, n ? sum * 1e3 / n : 0.0);
	return 0;
}

int tui_run(const tui_options *o)
{
	double t0 = tui_now();
	char err[512];
	const char *b = getenv("TLSSTEP_TUI_BENCH");
	tui *t = calloc(1, sizeof *t);
	if (!t)
		return 1;
	t->opt = *o;
	t->accept_orig = o->sim.accept_untrusted;
	t->opt.sim.secure_channel = 1;
	setlocale(LC_ALL, "");
	t->ascii = o->ascii || strcmp(nl_langinfo(CODESET), "UTF-8") != 0;
	t->autoplay_on = o->autoplay > 0;
	t->vm = &t->m;
	t->focus = P_TREE;
	t->place = (lt_place){.upper = o->no_lessons ? P_LADDER : P_LESSON,
	                      .lower = P_KNOW,
	                      .single = o->no_lessons ? P_KNOW : P_LESSON,
	                      .zoom = -1};
	t->next_at = tui_now() + o->autoplay;
	if (start_sim(t, err, sizeof err)) {
		fprintf(stderr, "tlsstep: %s\n", err);
		stop_sim(t);
		free(t);
		return 1;
	}
	signals();
	SCREEN *scr = open_terminal(t);
	int r;
	if (!scr) {
		fprintf(stderr, "tlsstep: cannot open the terminal (TERM=%s); try --plain\n", getenv("TERM"));
		r = -1;
	} else if (b && *b && strcmp(b, "0")) {
		r = bench(t, t0);
	} else {
		r = loop(t);
		endwin();
		tui_predict_score(t, stdout);
		if (r < 0)
			fprintf(stderr, "tlsstep: the simulation failed at step %d (status %d)\n",
			        t->m.current + 1, r);
	}
	if (scr)
		delscreen(scr);
	stop_sim(t);
	lt_lines_free(&t->compare);
	free(t);
	return r < 0 ? 1 : tui_signal ? 130 : 0;
}
