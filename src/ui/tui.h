/* The step-through ncurses UI. It drives a simulation one step at a time
 * (sim_step) and only reads the model to draw. What belongs to the command
 * layer (the list of scenarios, writing files) comes in as callbacks. */
#ifndef UI_TUI_H
#define UI_TUI_H

#include "sim/sim.h"

#include <stdio.h>

typedef struct tui_options tui_options;

struct tui_options {
	sim_options sim; /* what to simulate (r restarts with the same) */
	int start_step;  /* open at this step (0 = 1) */
	double autoplay; /* seconds per step, 0 = off */
	int no_lessons;
	int ascii;                 /* force ASCII line drawing */
	int predict;               /* ask before each step, reveal it once answered */
	const model *view;         /* show this finished model (replay, connect, serve)
	                            * instead of simulating; the caller keeps it */
	const char *scenario_text; /* the scenario lesson, raw, or NULL */
	/* w: writes the whole handshake (o->sim as now, or o->view) and says
	 * what it wrote, or why not, in msg. NULL: w is not offered. */
	int (*save)(void *ctx, const tui_options *o, char *msg, size_t n);
	void *save_ctx;
	/* s: the scenarios to choose from, and how to set o up for one (its
	 * options and lesson text); 0 or -1 with a reason in err. */
	const char *const *scenarios;
	size_t n_scenarios;
	int (*choose)(void *ctx, tui_options *o, const char *scenario, uint64_t seed, char *err, size_t n);
	void *choose_ctx;
	/* c: TLS 1.2 against TLS 1.3 from this seed, as text into out (tlsstep
	 * compare); 0 on success. NULL: c is not offered. */
	int (*compare)(void *ctx, uint64_t seed, FILE *out);
	void *compare_ctx;
	/* Called about every 200 ms while no key is pressed, so work the caller
	 * owns goes on while the view is open (serve keeps answering clients).
	 * NULL: none. */
	int (*idle)(void *ctx);
	void *idle_ctx;
};

/* Runs until the user quits; restores the terminal. Returns the exit status. */
int tui_run(const tui_options *o);

#endif
