/* Lessons as HTML: the blocks lesson_blocks() reads (the same parser the
 * terminal uses), written as headings, paragraphs and lists, with the
 * inline styles as <strong>, <em> and <code>. */
#include "ui/html.h"
#include "ui/lesson_int.h"

#include <stdio.h>

typedef struct {
	FILE *f;
	int h;
	int in_list;
} html_ctx;

static const char *tag(unsigned char a)
{
	switch (a) {
	case LA_BOLD: return "strong";
	case LA_EMPH: return "em";
	case LA_CODE: return "code";
	default: return NULL;
	}
}

/* Runs of one attribute become one element. */
static void runs(FILE *f, const lesson_styled *b)
{
	for (size_t i = 0; i < b->n;) {
		size_t j = i;
		while (j < b->n && b->a[j] == b->a[i])
			j++;
		const char *t = tag(b->a[i]);
		if (t)
			fprintf(f, "<%s>", t);
		html_esc(f, b->t + i, j - i);
		if (t)
			fprintf(f, "</%s>", t);
		i = j;
	}
}

static int block(enum lesson_block kind, const lesson_styled *b, int gap, void *ctx)
{
	html_ctx *c = ctx;
	(void)gap;
	if (c->in_list && kind != LB_ITEM) {
		fputs("</ul>\n", c->f);
		c->in_list = 0;
	}
	switch (kind) {
	case LB_HEAD:
		fprintf(c->f, "<h%d>", c->h);
		runs(c->f, b);
		fprintf(c->f, "</h%d>\n", c->h);
		break;
	case LB_ITEM:
		if (!c->in_list)
			fputs("<ul>\n", c->f);
		c->in_list = 1;
		fputs("<li>", c->f);
		runs(c->f, b);
		fputs("</li>\n", c->f);
		break;
	default:
		fputs("<p>", c->f);
		runs(c->f, b);
		fputs("</p>\n", c->f);
	}
	return 0;
}

int lesson_html(FILE *f, const char *md, int h)
{
	html_ctx c = {.f = f, .h = h < 1 ? 1 : h > 6 ? 6 : h};
	int r = lesson_blocks(md, block, &c);
	if (c.in_list)
		fputs("</ul>\n", f);
	return r;
}
