/* Lessons: the teaching text of each step, from lessons/, with live values.
 *
 * A lesson is plain text in a small Markdown subset (# headings, **bold**,
 * *emphasis*, `code`, "- " list items, blank-line paragraphs; a line that is
 * only an <!-- HTML comment --> is dropped). Placeholders
 * such as {{client_random}} are filled from the model as it stands at that
 * step; a placeholder that is unknown, or whose value nobody knows yet at
 * that step, is an error (the lesson must not use it there). */
#ifndef UI_LESSON_H
#define UI_LESSON_H

#include "model/model.h"
#include "tls/bytes.h"

#include <stdio.h>

/* Reads lesson `file` (a bare name such as "01-client-hello.md") into out,
 * at most max bytes: 0, or -1 with a one-line reason in err. The command
 * layer, which knows where the data lives, installs one before any lesson
 * is loaded; lessons never open files themselves. */
typedef int (*lesson_reader)(const char *file, size_t max, tls_buf *out, char *err, size_t errlen);
void lesson_set_reader(lesson_reader read);

/* File name (without directory) of the lesson for a step: 0 introduction,
 * 1..6 the steps, 7 secure channel. */
const char *lesson_file(int step);
/* The lesson of a step for this model's version (TLS 1.3 has its own). */
const char *lesson_file_for(const model *m, int step);

/* Loads lessons/<file> from the data directory and fills its placeholders
 * from m at step `step`. out gets NUL-terminated Markdown. Returns 0, or -1
 * with a one-line reason in err (missing file, unknown placeholder, value
 * not known yet at that step). */
int lesson_load(const model *m, int step, const char *file, tls_buf *out, char *err, size_t errlen);
/* The raw text of lessons/<file>, NUL-terminated: 0, or -1 with a reason. */
int lesson_read(const char *file, tls_buf *raw, char *err, size_t errlen);
/* Same as lesson_load, from text already in memory (for tests). */
int lesson_fill(const model *m, int step, const char *text, tls_buf *out, char *err, size_t errlen);

/* The part of a scenario lesson (its raw text) for one step, filled at that
 * step: the text before the first `<!-- step N -->` line is part 0 (the
 * introduction), each marker starts the part for step N; at the last step
 * of a run that ended in an alert, the parts of later steps follow. out gets
 * NUL-terminated Markdown, empty when the scenario says nothing at this
 * step. Returns 0, or -1 with a reason in err. */
int lesson_scenario_part(const model *m, int step, const char *text, tls_buf *out, char *err, size_t errlen);

/* A lesson that follows the step's own for this run (a live connection's
 * "what the server chose, and why" at step 2, or at its last step when it
 * ended before), or NULL. lesson_extra_file: the run's one such lesson and
 * its step, or NULL. */
const char *lesson_extra_for(const model *m, int step);
const char *lesson_extra_file(const model *m, int *step);
/* Filled lesson Markdown as one line of plain text (for JSON): the
 * blocks' text joined by spaces, markup and headings left out. 0 or -1. */
int lesson_plain(const char *md, tls_buf *out);

enum lesson_attr { LA_NORMAL = 0, LA_HEADING = 1, LA_BOLD = 2, LA_EMPH = 3, LA_CODE = 4, LA_BULLET = 5 };

typedef struct {
	char *text;          /* one display line, UTF-8, no newline */
	unsigned char *attr; /* one enum lesson_attr per byte of text */
	size_t len;
} lesson_line;

typedef struct {
	lesson_line *v;
	size_t n, cap;
} lesson_lines;

/* Lays Markdown out in lines of at most width columns, markers removed and
 * turned into attributes, list items indented. */
int lesson_wrap(const char *md, int width, lesson_lines *out);
void lesson_lines_free(lesson_lines *l);
/* For --plain: the wrapped lesson as text (headings underlined). */
void lesson_print(FILE *f, const char *md, int width);

#endif
