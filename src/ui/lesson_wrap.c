/* Lesson layout: styled text laid out in lines of a given width.
 *
 * Widths count code points (every lesson character is one column wide);
 * a word longer than a line is cut at a code point, never inside one. */
#include "ui/lesson_int.h"

#include <stdlib.h>
#include <string.h>

int lesson_styled_put(lesson_styled *s, const char *p, size_t n, unsigned char attr)
{
	if (s->n + n + 1 > s->cap) {
		size_t cap = s->cap ? s->cap : 128;
		while (cap < s->n + n + 1)
			cap *= 2;
		char *t = realloc(s->t, cap);
		if (!t)
			return -1;
		s->t = t;
		unsigned char *a = realloc(s->a, cap);
		if (!a)
			return -1;
		s->a = a;
		s->cap = cap;
	}
	memcpy(s->t + s->n, p, n);
	memset(s->a + s->n, attr, n);
	s->n += n;
	s->t[s->n] = 0;
	return 0;
}

void lesson_styled_free(lesson_styled *s)
{
	free(s->t);
	free(s->a);
	memset(s, 0, sizeof *s);
}

static int is_cont(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

size_t lesson_cols(const char *p, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += !is_cont((unsigned char)p[i]);
	return c;
}

/* Byte length of the first k code points of p[0..n). */
static size_t cp_prefix(const char *p, size_t n, size_t k)
{
	size_t i = 0;
	while (i < n && k) {
		i++;
		while (i < n && is_cont((unsigned char)p[i]))
			i++;
		k--;
	}
	return i;
}

int lesson_push_line(lesson_lines *out, const lesson_styled *s)
{
	if (out->n == out->cap) {
		size_t cap = out->cap ? out->cap * 2 : 32;
		lesson_line *v = realloc(out->v, cap * sizeof *v);
		if (!v)
			return -1;
		out->v = v;
		out->cap = cap;
	}
	lesson_line *l = &out->v[out->n];
	l->text = malloc(s->n + 1);
	l->attr = malloc(s->n + 1);
	if (!l->text || !l->attr) {
		free(l->text);
		free(l->attr);
		return -1;
	}
	if (s->n) {
		memcpy(l->text, s->t, s->n);
		memcpy(l->attr, s->a, s->n);
	}
	l->text[s->n] = 0;
	l->attr[s->n] = LA_NORMAL;
	l->len = s->n;
	out->n++;
	return 0;
}

/* Ends the line being filled and starts the next with the continuation
 * prefix (a list item's indent); used gets the prefix's width. */
static int next_line(lesson_lines *out, lesson_styled *line, const lesson_styled *rest, size_t *used)
{
	if (lesson_push_line(out, line) < 0)
		return -1;
	line->n = 0;
	if (lesson_styled_put(line, rest->t ? rest->t : "", rest->n, LA_NORMAL) < 0)
		return -1;
	*used = lesson_cols(rest->t ? rest->t : "", rest->n);
	return 0;
}

/* Word-wraps one styled block (see lesson_int.h). */
int lesson_wrap_block(const lesson_styled *b, int width, const lesson_styled *first,
                      const lesson_styled *rest, unsigned char base, lesson_lines *out)
{
	lesson_styled line = {0};
	int r = -1;
	const lesson_styled *pre = first;
	size_t w = width > 0 ? (size_t)width : 1;
	if (lesson_styled_put(&line, pre->t ? pre->t : "", pre->n, LA_NORMAL) < 0)
		goto done;
	if (pre->n)
		memcpy(line.a, pre->a, pre->n);
	size_t used = lesson_cols(pre->t ? pre->t : "", pre->n), words = 0;
	size_t i = 0;
	while (i < b->n) {
		while (i < b->n && b->t[i] == ' ')
			i++;
		if (i >= b->n)
			break;
		size_t s = i;
		while (i < b->n && b->t[i] != ' ')
			i++;
		const char *wp = b->t + s;
		const unsigned char *wa = b->a + s;
		size_t wn = i - s;
		while (wn) {
			size_t wc = lesson_cols(wp, wn);
			if (words && used + 1 + wc > w) {
				if (next_line(out, &line, rest, &used) < 0)
					goto done;
				words = 0;
			}
			if (words) {
				/* the space takes the attribute of its neighbours when they agree */
				unsigned char sa = line.a[line.n - 1] == wa[0] ? wa[0] : base;
				if (lesson_styled_put(&line, " ", 1, sa) < 0)
					goto done;
				used++;
			}
			size_t room = w > used ? w - used : 0;
			size_t take = wc;
			if (wc > room) {
				/* Only a word longer than a whole line gets here (a shorter
				 * one went to a fresh line above): cut it at a code point. */
				take = room ? room : 1;
			}
			size_t bytes = cp_prefix(wp, wn, take);
			size_t at = line.n;
			if (lesson_styled_put(&line, wp, bytes, LA_NORMAL) < 0)
				goto done;
			memcpy(line.a + at, wa, bytes);
			used += take;
			words++;
			wp += bytes;
			wa += bytes;
			wn -= bytes;
			if (wn) {
				if (next_line(out, &line, rest, &used) < 0)
					goto done;
				words = 0;
			}
		}
	}
	if (words || !out->n || line.n)
		if (lesson_push_line(out, &line) < 0)
			goto done;
	r = 0;
done:
	lesson_styled_free(&line);
	return r;
}

void lesson_lines_free(lesson_lines *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].text);
		free(l->v[i].attr);
	}
	free(l->v);
	memset(l, 0, sizeof *l);
}
