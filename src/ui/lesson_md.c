/* Lesson Markdown: the small subset lessons are written in.
 *
 * Blocks: "# " headings, "- " list items, blank-line paragraphs; a line
 * that is only an HTML comment (<!-- ... -->, e.g. a scenario lesson's
 * step marker) is not text and is dropped. Inline: `code`, **bold**,
 * *emphasis*, backslash escapes. lesson_wrap.c does the line breaking. */
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

enum { B_NONE, B_PARA, B_HEAD, B_ITEM };

static int flush(int kind, const char *txt, size_t n, int width, int *blank, lesson_lines *out)
{
	if (kind == B_NONE)
		return 0;
	lesson_styled b = {0}, first = {0}, rest = {0};
	int r = -1;
	unsigned char base = kind == B_HEAD ? LA_HEADING : LA_NORMAL;
	if (*blank && out->n) {
		lesson_styled empty = {0};
		if (lesson_push_line(out, &empty) < 0)
			return -1;
	}
	*blank = 0;
	if (inline_parse(txt, n, base, &b) < 0)
		goto done;
	if (kind == B_ITEM && width >= 3) {
		if (lesson_styled_put(&first, "-", 1, LA_BULLET) < 0 ||
		    lesson_styled_put(&first, " ", 1, LA_NORMAL) < 0)
			goto done;
		if (width >= 8 && lesson_styled_put(&rest, "  ", 2, LA_NORMAL) < 0)
			goto done;
	}
	r = lesson_wrap_block(&b, width, &first, &rest, base, out);
done:
	lesson_styled_free(&b);
	lesson_styled_free(&first);
	lesson_styled_free(&rest);
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

int lesson_wrap(const char *md, int width, lesson_lines *out)
{
	memset(out, 0, sizeof *out);
	if (!md)
		return 0;
	if (width < 1)
		width = 1;
	lesson_styled cur = {0};
	int kind = B_NONE, blank = 0, r = -1;
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
			fail = flush(kind, cur.t, cur.n, width, &blank, out);
			kind = B_NONE;
			cur.n = 0;
			blank = 1;
		} else if (ln[s] == '#') {
			fail = flush(kind, cur.t, cur.n, width, &blank, out);
			size_t h = s;
			while (ln[h] == '#')
				h++;
			while (ln[h] == ' ')
				h++;
			cur.n = 0;
			kind = B_NONE;
			fail = fail || flush(B_HEAD, ln + h, strlen(ln + h), width, &blank, out);
		} else if (ln[s] == '-' && ln[s + 1] == ' ') {
			fail = flush(kind, cur.t, cur.n, width, &blank, out);
			cur.n = 0;
			kind = B_ITEM;
			fail = fail || lesson_styled_put(&cur, ln + s + 2, strlen(ln + s + 2), 0);
		} else {
			if (kind == B_NONE)
				kind = B_PARA;
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
	if (flush(kind, cur.t, cur.n, width, &blank, out) < 0)
		goto done;
	r = 0;
done:
	lesson_styled_free(&cur);
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
