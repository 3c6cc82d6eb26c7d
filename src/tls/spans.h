/* Field spans: which bytes of a record or message are which field, and what
 * that field says.
 *
 * A list is a growable array of spans plus a string arena for their text
 * (paths and meanings). The arena's blocks never move, so a span's text
 * stays valid while the array grows and while the list itself is copied,
 * as the arrays holding lists grow; a pointer to a span is valid until
 * the next span is added. Paths are cut at TLS_SPAN_PATH - 1 bytes and
 * meanings at TLS_SPAN_MEANING - 1, as snprintf into buffers of those
 * sizes would. */
#ifndef TLS_SPANS_H
#define TLS_SPANS_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define TLS_SPAN_PATH    96
#define TLS_SPAN_MEANING 192

typedef struct {
	const char *path, *meaning; /* never NULL once added */
	uint32_t offset, length;
	uint16_t path_len, meaning_len; /* strlen of each, kept for the writers */
} tls_span;

typedef struct tls_span_text tls_span_text;

typedef struct {
	tls_span *v;
	size_t n, cap;
	tls_span_text *text; /* the arena holding paths and meanings */
} tls_spans;

/* Each returns 0, or TLS_ERR_INTERNAL when memory ran out; a NULL list
 * records nothing and succeeds. */
int tls_spans_add(tls_spans *s, const char *path, size_t off, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* The same with a fixed meaning (no format): the common case, and cheaper. */
int tls_spans_add_str(tls_spans *s, const char *path, size_t off, size_t len, const char *meaning);
/* Path "prefix.field" (field alone when prefix is NULL or empty). */
int tls_spans_add_joined(tls_spans *s, const char *prefix, const char *field, size_t off, size_t len,
                         const char *meaning);
/* Copies n spans (from any list, s itself too) to the end of s, offsets
 * moved by shift. */
int tls_spans_append(tls_spans *s, const tls_span *v, size_t n, size_t shift);
/* Gives span i of s a new meaning. */
void tls_spans_set_meaning(tls_spans *s, size_t i, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void tls_spans_vset_meaning(tls_spans *s, size_t i, const char *fmt, va_list ap);
void tls_spans_free(tls_spans *s);

#endif
