/* --html: a handshake as one self-contained web page, written from the
 * model only: the ladder at the top, then each step with its lesson, its
 * records as annotated bytes (hover or focus a field and its bytes light
 * up, and the reverse), who knows what, the derivations with the openssl
 * commands that reproduce them, and the alert or the tampered byte. No
 * request leaves the page: the CSS and the small script are inline, and
 * with the script off everything is still there, only the highlighting is
 * lost. Every piece of text goes through the escaping in html_esc.c. */
#ifndef UI_HTML_H
#define UI_HTML_H

#include "model/model.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct {
	const char *scenario_text; /* the scenario's lesson, raw, or NULL */
	int no_lessons;            /* leave the step lessons out */
	const char *origin; /* one line on where the handshake came from, or NULL */
} html_options;

/* The whole page. 0, or -1 when writing failed. */
int html_page(FILE *f, const model *m, const html_options *o);
/* The page into a file: 0, or -1 with a one-line reason in err. */
int html_page_write(const char *path, const model *m, const html_options *o, char *err, size_t errlen);
/* The page in memory (serve): 0 with *out (malloc'd) and *len, or -1. */
int html_page_mem(const model *m, const html_options *o, char **out, size_t *len);

/* ---- html_esc.c: the only place text becomes HTML ---- */

/* Text for an element's content or a quoted attribute: & < > " ' escaped. */
void html_esc(FILE *f, const char *s, size_t n);
void html_escs(FILE *f, const char *s);
/* Lower-case hex of n bytes. */
void html_hex(FILE *f, const uint8_t *p, size_t n);

/* ---- lesson_html.c ---- */

/* Lesson Markdown (filled) as HTML: headings at level h, paragraphs,
 * lists, code, bold and emphasis. 0, or -1 out of memory. */
int lesson_html(FILE *f, const char *md, int h);

/* ---- html_ladder.c ---- */

/* The ladder diagram as inline SVG, each message a link to its record. */
void html_ladder(FILE *f, const model *m);

/* ---- html_bytes.c ---- */

/* A step's records as annotated bytes: field tree and hex side by side. */
/* budget: bytes the page may still dump (a capture's step 7 can be long). */
void html_step_bytes(FILE *f, const model *m, int step, size_t *budget);

/* ---- html_style.c ---- */

extern const char html_css[];
extern const char html_script[];

#endif
