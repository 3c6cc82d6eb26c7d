/* Lesson Markdown: the small subset lessons are written in.
 *
 * Blocks: "# " headings, "- " list items, blank-line paragraphs; a line
 * that is only an HTML comment (<!-- ... -->, e.g. a scenario lesson's
 * step marker) is not text and is dropped. Inline: `code`, **bold**,
 * *emphasis*, backslash escapes. lesson_blocks() reads it once for every
 * renderer: lesson_wrap.c breaks it into lines for the terminal,
 * lesson_html.c writes it as HTML. */
#include "ui/lesson_int.h"

#include <stdlib.h>
#include <string.h>

/* Inline markup of one block into styled text: `code`, **bold**, *emph*,
 * backslash escapes. A marker without its partner stays literal. */
static int inline_parse(const char *p, size_t n, unsigned char base, lesson_styled *o)
{
	int bold = 0, emph = 0;
	for (size_t i = 0; i < n;) {
		unsigned char attr = base == LA_HEADING ? LA_HEADING : bold ? LA_BOLD : emph ? LA_EMPH : base;
		if (p[i] == '\\' && i + 1 < n && strchr("\\`*_{}#-", p[i + 1])) {
			if (lesson_styled_put(o, p + i + 1, 1, attr) < 0)
				return -1;
			i += 2;
			continue;
		}
		if (p[i] == '`') {
			const char *e = memchr(p + i + 1, '`', n - i - 1);
			if (e) {
				size_t len = (size_t)(e - (p + i + 1));
				if (lesson_styled_put(o, p + i + 1, len,
				                      base == LA_HEADING ? LA_HEADING : LA_CODE) < 0)
					return -1;
				i += len + 2;
				continue;
			}
		}
		if (p[i] == '*' && i + 1 < n && p[i + 1] == '*') {
			if (bold) {
				bold = 0;
				i += 2;
				continue;
			}
			for (size_t j = i + 2; j + 1 < n; j++)
				if (p[j] == '*' && p[j + 1] == '*' && j > i + 2) {
					bold = 1;
					break;
				}
			if (bold) {
				i += 2;
				continue;
			}
		} else if (p[i] == '*') {
			if (emph && i > 0 && p[i - 1] != ' ') {
				emph = 0;
				i++;
				continue;
			}
			if (!emph && i + 1 < n && p[i + 1] != ' ') {
				for (size_t j = i + 2; j < n; j++)
					if (p[j] == '*' && p[j - 1] != ' ' &&
					    (j + 1 >= n || p[j + 1] != '*')) {
						emph = 1;
						break;
					}
				if (emph) {
					i++;
					continue;
				}
			}
		}
		if (lesson_styled_put(o, p + i, 1, attr) < 0)
			return -1;
		i++;
	}
	return 0;
}

/* Lays one block out in lines: a blank line before it when the source had
 * one (not at the very top), list items with a bullet and a hanging indent. */
typedef struct {
	int width;
	lesson_lines *out;
} wrap_ctx;

static int wrap_block(enum lesson_block kind, const lesson_styled *b, int gap, void *ctx)
{
	wrap_ctx *w = ctx;
	lesson_styled first = {0}, rest = {0};
	int r = -1;
	unsigned char base = kind == LB_HEAD ? LA_HEADING : LA_NORMAL;
	if (gap && w->out->n) {
		lesson_styled empty = {0};
		if (lesson_push_line(w->out, &empty) < 0)
			return -1;
	}
	if (kind == LB_ITEM && w->width >= 3) {
		if (lesson_styled_put(&first, "-", 1, LA_BULLET) < 0 ||
		    lesson_styled_put(&first, " ", 1, LA_NORMAL) < 0)
			goto done;
		if (w->width >= 8 && lesson_styled_put(&rest, "  ", 2, LA_NORMAL) < 0)
			goto done;
	}
	r = lesson_wrap_block(b, w->width, &first, &rest, base, w->out);
done:
	lesson_styled_free(&first);
	lesson_styled_free(&rest);
	return r;
}

/* Parses the inline markup of a finished block and hands it on; gap says
 * a blank line came before it, and is used up. */
static int flush(int kind, const char *txt, size_t n, int *blank, lesson_block_fn fn, void *ctx)
{
	if (kind == LB_NONE)
		return 0;
	lesson_styled b = {0};
	int gap = *blank;
	*blank = 0;
	int r = inline_parse(txt, n, kind == LB_HEAD ? LA_HEADING : LA_NORMAL, &b);
	if (r == 0)
		r = fn(kind, &b, gap, ctx);
	lesson_styled_free(&b);
	return r;
}

/* A line that is one HTML comment: a marker for tools, not text. It ends
 * a paragraph like a blank line. */
static int is_comment(const char *s)
{
	size_t n = strlen(s);
	while (n && s[n - 1] == ' ')
		n--;
	return n >= 7 && !strncmp(s, "<!--", 4) && !strncmp(s + n - 3, "-->", 3);
}

int lesson_blocks(const char *md, lesson_block_fn fn, void *ctx)
{
	if (!md)
		return 0;
	lesson_styled cur = {0};
	int kind = LB_NONE, blank = 0, r = -1;
	const char *p = md;
	while (*p) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		/* the line, with tabs as spaces and CR dropped */
		char *ln = malloc(n + 1);
		if (!ln)
			goto done;
		size_t k = 0;
		for (size_t i = 0; i < n; i++)
			if (p[i] != '\r')
				ln[k++] = p[i] == '\t' ? ' ' : p[i];
		ln[k] = 0;
		size_t s = 0;
		while (ln[s] == ' ')
			s++;
		int fail = 0;
		if (!ln[s] || is_comment(ln + s)) {
			fail = flush(kind, cur.t, cur.n, &blank, fn, ctx);
			kind = LB_NONE;
			cur.n = 0;
			blank = 1;
		} else if (ln[s] == '#') {
			fail = flush(kind, cur.t, cur.n, &blank, fn, ctx);
			size_t h = s;
			while (ln[h] == '#')
				h++;
			while (ln[h] == ' ')
				h++;
			cur.n = 0;
			kind = LB_NONE;
			fail = fail || flush(LB_HEAD, ln + h, strlen(ln + h), &blank, fn, ctx);
		} else if (ln[s] == '-' && ln[s + 1] == ' ') {
			fail = flush(kind, cur.t, cur.n, &blank, fn, ctx);
			cur.n = 0;
			kind = LB_ITEM;
			fail = fail || lesson_styled_put(&cur, ln + s + 2, strlen(ln + s + 2), 0);
		} else {
			if (kind == LB_NONE)
				kind = LB_PARA;
			else if (lesson_styled_put(&cur, " ", 1, 0) < 0)
				fail = 1;
			fail = fail || lesson_styled_put(&cur, ln + s, strlen(ln + s), 0);
		}
		free(ln);
		if (fail)
			goto done;
		p += n;
		if (*p == '\n')
			p++;
	}
	if (flush(kind, cur.t, cur.n, &blank, fn, ctx) < 0)
		goto done;
	r = 0;
done:
	lesson_styled_free(&cur);
	return r;
}

int lesson_wrap(const char *md, int width, lesson_lines *out)
{
	memset(out, 0, sizeof *out);
	wrap_ctx w = {.width = width < 1 ? 1 : width, .out = out};
	int r = lesson_blocks(md, wrap_block, &w);
	if (r < 0)
		lesson_lines_free(out);
	return r;
}

static int is_heading(const lesson_line *l)
{
	return l->len && l->attr[0] == LA_HEADING;
}

void lesson_print(FILE *f, const char *md, int width)
{
	lesson_lines l;
	if (lesson_wrap(md, width, &l) < 0)
		return;
	size_t under = 0;
	for (size_t i = 0; i < l.n; i++) {
		fprintf(f, "%s\n", l.v[i].text);
		if (is_heading(&l.v[i])) {
			size_t c = lesson_cols(l.v[i].text, l.v[i].len);
			under = c > under ? c : under;
			if (i + 1 == l.n || !is_heading(&l.v[i + 1])) {
				for (size_t k = 0; k < under; k++)
					fputc('-', f);
				fputc('\n', f);
				under = 0;
			}
		}
	}
	lesson_lines_free(&l);
}
