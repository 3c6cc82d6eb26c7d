/* A full-screen list to pick one line from (replay: which connection).
 * Arrow keys or j/k move, Enter picks, q quits. */
#ifndef UI_PICKER_H
#define UI_PICKER_H

#include <stddef.h>

/* Returns the index picked, -1 when the user quit, -2 when the terminal
 * cannot be used. start is the line selected first. */
int ui_pick(const char *title, const char *const *lines, size_t n, size_t start);

/* A list that can grow while it is on screen (serve --keep-serving): when
 * no key comes for a moment, idle(ctx) runs; if it returns 1, the lines are
 * read again through get(ctx, &n). An empty list shows `empty` and waits. */
typedef const char *const *(*ui_pick_get)(void *ctx, size_t *n);
int ui_pick_live(const char *title, const char *empty, ui_pick_get get, int (*idle)(void *ctx), void *ctx,
		 size_t start);

#endif
