#include "tls/spans.h"

#include "tls/alert.h"
#include "tls/bytes.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The string arena: blocks that are never moved or freed before
 * tls_spans_free, so a span's text pointers stay valid while the span
 * array is reallocated and while the list itself is copied around. */
struct tls_span_text {
	tls_span_text *next;
	size_t used, cap;
	char data[];
};

#define TEXT_BLOCK 4096

/* n bytes of room at the end of the arena; the caller writes them and
 * then takes what it used with commit(). NULL when memory ran out. */
static char *room(tls_spans *s, size_t n)
{
	tls_span_text *t = s->text;
	if (t && t->cap - t->used >= n)
		return t->data + t->used;
	size_t cap = n > TEXT_BLOCK ? n : TEXT_BLOCK;
	tls_span_text *b = malloc(sizeof *b + cap);
	if (!b)
		return NULL;
	b->next = t;
	b->used = 0;
	b->cap = cap;
	s->text = b;
	return b->data;
}

/* A kept string: where it is (NULL when memory ran out) and its length. */
typedef struct {
	const char *p;
	size_t n;
} text;

/* The n-byte string just written at p (and its NUL) now belongs to s. */
static text commit(tls_spans *s, char *p, size_t n)
{
	s->text->used += n + 1;
	return (text){p, n};
}

/* A copy of str in the arena, cut to max - 1 bytes. */
static text keep(tls_spans *s, const char *str, size_t max)
{
	size_t n = strnlen(str, max - 1);
	char *p = room(s, n + 1);
	if (!p)
		return (text){NULL, 0};
	memcpy(p, str, n);
	p[n] = 0;
	return commit(s, p, n);
}

static text keep_fmt(tls_spans *s, const char *fmt, va_list ap)
{
	char *p = room(s, TLS_SPAN_MEANING);
	if (!p)
		return (text){NULL, 0};
	int n = vsnprintf(p, TLS_SPAN_MEANING, fmt, ap);
	if (n < 0) {
		p[0] = 0;
		n = 0;
	}
	return commit(s, p, (size_t)n < TLS_SPAN_MEANING ? (size_t)n : TLS_SPAN_MEANING - 1);
}

static const text none = {"", 0};

/* Room for k more spans in the array (doubling). */
static int reserve(tls_spans *s, size_t k)
{
	if (s->n + k <= s->cap)
		return 0;
	if (k > SIZE_MAX / (4 * sizeof(tls_span)) - s->n)
		return TLS_ERR_INTERNAL; /* no size computed below can wrap */
	size_t cap = s->cap ? s->cap * 2 : 8;
	while (cap < s->n + k)
		cap *= 2;
	tls_span *v = realloc(s->v, cap * sizeof *v);
	if (!v)
		return TLS_ERR_INTERNAL;
	s->v = v;
	s->cap = cap;
	return 0;
}

/* Files a span whose text is already kept (NULL text: memory ran out). */
static int file(tls_spans *s, text path, text meaning, size_t off, size_t len)
{
	if (!path.p || !meaning.p || reserve(s, 1))
		return TLS_ERR_INTERNAL;
	s->v[s->n++] = (tls_span){path.p,        meaning.p,        (uint32_t)off,
	                          (uint32_t)len, (uint16_t)path.n, (uint16_t)meaning.n};
	return 0;
}

int tls_spans_add(tls_spans *s, const char *path, size_t off, size_t len, const char *fmt, ...)
{
	if (!s)
		return 0;
	text p = keep(s, path, TLS_SPAN_PATH), m = none;
	if (fmt) {
		va_list ap;
		va_start(ap, fmt);
		m = keep_fmt(s, fmt, ap);
		va_end(ap);
	}
	return file(s, p, m, off, len);
}

int tls_spans_add_str(tls_spans *s, const char *path, size_t off, size_t len, const char *meaning)
{
	if (!s)
		return 0;
	text p = keep(s, path, TLS_SPAN_PATH);
	return file(s, p, meaning ? keep(s, meaning, TLS_SPAN_MEANING) : none, off, len);
}

int tls_spans_add_joined(tls_spans *s, const char *prefix, const char *field, size_t off, size_t len,
                         const char *meaning)
{
	if (!s)
		return 0;
	char *p = room(s, TLS_SPAN_PATH);
	if (!p)
		return TLS_ERR_INTERNAL;
	text path = commit(s, p, tls_join_path(p, TLS_SPAN_PATH, prefix, field));
	return file(s, path, meaning ? keep(s, meaning, TLS_SPAN_MEANING) : none, off, len);
}

int tls_spans_append(tls_spans *s, const tls_span *v, size_t n, size_t shift)
{
	if (!s || !n)
		return 0;
	/* v may lie in s's own array, which reserve may move: read it by
	 * index then. Only the first n spans are copied, so the copies added
	 * meanwhile are never read. */
	int own = s->v && v >= s->v && v < s->v + s->n;
	size_t from = own ? (size_t)(v - s->v) : 0;
	if (reserve(s, n))
		return TLS_ERR_INTERNAL;
	for (size_t i = 0; i < n; i++) {
		const tls_span *x = own ? &s->v[from + i] : &v[i];
		/* the text is shared by both copies when it is s's own */
		text p = own ? (text){x->path, x->path_len} : keep(s, x->path, TLS_SPAN_PATH);
		text m = own ? (text){x->meaning, x->meaning_len} : keep(s, x->meaning, TLS_SPAN_MEANING);
		if (file(s, p, m, x->offset + shift, x->length))
			return TLS_ERR_INTERNAL;
	}
	return 0;
}

void tls_spans_vset_meaning(tls_spans *s, size_t i, const char *fmt, va_list ap)
{
	if (!s || i >= s->n)
		return;
	text m = keep_fmt(s, fmt, ap); /* the old text stays in the arena */
	if (m.p) {
		s->v[i].meaning = m.p;
		s->v[i].meaning_len = (uint16_t)m.n;
	}
}

void tls_spans_set_meaning(tls_spans *s, size_t i, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	tls_spans_vset_meaning(s, i, fmt, ap);
	va_end(ap);
}

void tls_spans_free(tls_spans *s)
{
	for (tls_span_text *t = s->text, *next; t; t = next) {
		next = t->next;
		free(t);
	}
	free(s->v);
	s->v = NULL;
	s->text = NULL;
	s->n = s->cap = 0;
}
