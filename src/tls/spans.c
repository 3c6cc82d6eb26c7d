#include "tls/spans.h"

#include "tls/alert.h"
#include "tls/bytes.h"
#include "tls/fmt.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* A chunk of span text, and of the span array too: a list lives in its
 * chunks alone, so a short one costs one allocation (a replay makes a few
 * dozen lists per connection). The first chunk is small (a record header
 * needs three short spans) and each next one doubles, up to TEXT_MAX. */
struct tls_span_text {
	tls_span_text *next;
	size_t used, cap;
	_Alignas(tls_span) char data[]; /* arrays of spans live here too */
};

#define TEXT_FIRST 1024
#define TEXT_MAX   16384
#define SPANS_FIRST 8 /* the array's first size; each next one doubles */

/* With every chunk and array size a multiple of a span's alignment, an
 * array that fits in a chunk also fits with its padding (reserve). */
_Static_assert(TEXT_FIRST % _Alignof(tls_span) == 0 && TEXT_MAX % _Alignof(tls_span) == 0 &&
                   sizeof(tls_span) % _Alignof(tls_span) == 0,
               "chunk sizes keep span arrays aligned");

/* n bytes of room in s's text; the caller writes them and then commits
 * what it used with commit(). NULL when memory ran out. */
static char *room(tls_spans *s, size_t n)
{
	tls_span_text *t = s->text;
	if (t && t->cap - t->used >= n)
		return t->data + t->used;
	size_t cap = t ? (t->cap * 2 < TEXT_MAX ? t->cap * 2 : TEXT_MAX) : TEXT_FIRST;
	if (cap < n)
		cap = n;
	tls_span_text *c = malloc(sizeof *c + cap);
	if (!c)
		return NULL;
	c->next = t;
	c->used = 0;
	c->cap = cap;
	s->text = c;
	return c->data;
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

/* A copy of str in s's text, cut to max - 1 bytes. */
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
	return commit(s, p, tls_vfmt(p, TLS_SPAN_MEANING, fmt, ap));
}

static const text none = {"", 0};

/* Room for k more spans. A bigger array is taken from the chunks like text
 * and the spans copied over; the old array's bytes stay unused until the
 * list is freed (at most as many as the final array's). */
static int reserve(tls_spans *s, size_t k)
{
	if (s->n + k <= s->cap)
		return 0;
	if (k > SIZE_MAX / (4 * sizeof(tls_span)) - s->n)
		return TLS_ERR_INTERNAL; /* no size computed below can wrap */
	size_t cap = s->cap ? s->cap * 2 : SPANS_FIRST;
	while (cap < s->n + k)
		cap *= 2;
	size_t bytes = cap * sizeof(tls_span);
	tls_span_text *t = s->text;
	size_t pad = t ? (size_t)(-(uintptr_t)(t->data + t->used) & (_Alignof(tls_span) - 1)) : 0;
	char *p;
	if (t && t->cap - t->used >= bytes + pad) {
		t->used += pad;
		p = t->data + t->used;
	} else if ((p = room(s, bytes)) == NULL) { /* a new chunk: aligned as malloc's */
		return TLS_ERR_INTERNAL;
	}
	if (s->n)
		memcpy(p, s->v, s->n * sizeof(tls_span));
	s->text->used += bytes;
	s->v = (tls_span *)(void *)p;
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
	/* v may lie in s's own array: reserve leaves the old array where it is */
	if (reserve(s, n))
		return TLS_ERR_INTERNAL;
	for (size_t i = 0; i < n; i++) {
		text p = keep(s, v[i].path, TLS_SPAN_PATH);
		text m = keep(s, v[i].meaning, TLS_SPAN_MEANING);
		if (file(s, p, m, v[i].offset + shift, v[i].length))
			return TLS_ERR_INTERNAL;
	}
	return 0;
}

void tls_spans_vset_meaning(tls_spans *s, size_t i, const char *fmt, va_list ap)
{
	if (!s || i >= s->n)
		return;
	text m = keep_fmt(s, fmt, ap); /* the old text stays in its chunk */
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
	s->v = NULL;
	s->text = NULL;
	s->n = s->cap = 0;
}
