/* A full-screen list to pick one line from (replay: which connection).
 * Arrow keys or j/k move, Enter picks, q quits. */
#ifndef UI_PICKER_H
#define UI_PICKER_H

#include <stddef.h>

/* Returns the index picked, -1 when the user quit, -2 when the terminal
 * cannot be used. start is the line selected first. */
int ui_pick(const char *title, const char *const *lines, size_t n, size_t start);

#endif
