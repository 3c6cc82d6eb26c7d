/* The step-through ncurses UI. It drives a simulation one step at a time
 * (sim_step) and only reads the model to draw. */
#ifndef UI_TUI_H
#define UI_TUI_H

#include "sim/sim.h"

typedef struct {
	sim_options sim;     /* what to simulate (r restarts with the same) */
	int start_step;      /* open at this step (0 = 1) */
	double autoplay;     /* seconds per step, 0 = off */
	int no_lessons;
	int ascii;           /* force ASCII line drawing */
	const char *record;  /* where w writes the pcap (default tlsstep-<seed>.pcap) */
	const char *keylog;  /* and the key log (default tlsstep-<seed>.keys) */
	const model *view;   /* show this finished model (replay, connect, serve)
			      * instead of simulating; the caller keeps it */
} tui_options;

/* Runs until the user quits; restores the terminal. Returns the exit status. */
int tui_run(const tui_options *o);

#endif
