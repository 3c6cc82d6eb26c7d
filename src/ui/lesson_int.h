/* Inside the lesson module: what its three parts share.
 *
 * lesson.c loads a lesson and runs the template ({{if}} blocks and
 * placeholders), asking lesson_vars.c what each name means at a step;
 * lesson_md.c reads the Markdown subset into styled text, which
 * lesson_wrap.c lays out in lines. Nothing outside src/ui/lesson*.c
 * includes this header. */
#ifndef UI_LESSON_INT_H
#define UI_LESSON_INT_H

#include "ui/lesson.h"

#include <stddef.h>

/* ---- lesson_vars.c ---- */

/* 1 and the text in val when known at this step, 0 when not known yet,
 * -1 for a name that is not a placeholder at all. */
int lesson_resolve(const model *m, int step, const char *name, char *val, size_t vn);
/* A condition of {{if NAME}}: 1 true, 0 false, -1 unknown name. */
int lesson_condition(const model *m, int step, const char *name);

/* ---- lesson_md.c ---- */

typedef struct lesson_styled lesson_styled;

enum lesson_block { LB_NONE, LB_PARA, LB_HEAD, LB_ITEM };
/* One block of a lesson with its inline markup read: kind, the styled
 * text, and whether a blank line came before it. Non-zero stops the walk. */
typedef int (*lesson_block_fn)(enum lesson_block kind, const lesson_styled *b, int gap, void *ctx);
/* Reads the Markdown subset block by block: 0, or -1 (out of memory or
 * fn failed). */
int lesson_blocks(const char *md, lesson_block_fn fn, void *ctx);

/* ---- lesson_wrap.c ---- */

/* A run of text with one attribute (enum lesson_attr) per byte. */
struct lesson_styled {
	char *t;
	unsigned char *a;
	size_t n, cap;
};

int lesson_styled_put(lesson_styled *s, const char *p, size_t n, unsigned char attr);
void lesson_styled_free(lesson_styled *s);
/* Display columns of UTF-8 text: one per code point. */
size_t lesson_cols(const char *p, size_t n);
int lesson_push_line(lesson_lines *out, const lesson_styled *s);
/* Word-wraps one styled block. first/rest: the prefix of the first and of
 * the following lines (a bullet and its hanging indent). */
int lesson_wrap_block(const lesson_styled *b, int width, const lesson_styled *first,
                      const lesson_styled *rest, unsigned char base, lesson_lines *out);

#endif
