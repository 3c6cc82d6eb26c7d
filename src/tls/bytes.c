#include "tls/bytes.h"

#include "tls/alert.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tomcrypt.h>

int tls_buf_reserve(tls_buf *b, size_t extra)
{
	/* Lengths come from peers: refuse sizes whose sum or doubling wraps. */
	if (extra > SIZE_MAX / 2 - b->len)
		return TLS_ERR_INTERNAL;
	if (b->len + extra <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + extra)
		cap *= 2;
	/* Grow by copy so the old block can be wiped: buffers carry secrets. */
	uint8_t *p = malloc(cap);
	if (!p)
		return TLS_ERR_INTERNAL;
	if (b->p) {
		memcpy(p, b->p, b->len);
		tls_wipe(b->p, b->cap);
		free(b->p);
	}
	b->p = p;
	b->cap = cap;
	return 0;
}

int tls_buf_put(tls_buf *b, const void *data, size_t n)
{
	if (n == 0)
		return 0;
	if (tls_buf_reserve(b, n))
		return TLS_ERR_INTERNAL;
	memcpy(b->p + b->len, data, n);
	b->len += n;
	return 0;
}

int tls_buf_u8(tls_buf *b, unsigned v)
{
	uint8_t x = (uint8_t)v;
	return tls_buf_put(b, &x, 1);
}

int tls_buf_u16(tls_buf *b, unsigned v)
{
	uint8_t x[2] = {(uint8_t)(v >> 8), (uint8_t)v};
	return tls_buf_put(b, x, 2);
}

int tls_buf_u24(tls_buf *b, uint32_t v)
{
	uint8_t x[3] = {(uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
	return tls_buf_put(b, x, 3);
}

size_t tls_buf_len_begin(tls_buf *b, int n)
{
	size_t pos = b->len;
	uint8_t z[3] = {0, 0, 0};
	if (tls_buf_put(b, z, (size_t)n))
		return pos; /* nothing reserved: tls_buf_len_end at pos sees it and fails */
	return pos;
}

int tls_buf_len_end(tls_buf *b, size_t pos, int n)
{
	if (pos + (size_t)n > b->len)
		return TLS_ERR_INTERNAL;
	size_t len = b->len - pos - (size_t)n;
	if (len >> (8 * n))
		return TLS_ERR_INTERNAL;
	for (int i = 0; i < n; i++)
		b->p[pos + i] = (uint8_t)(len >> (8 * (n - 1 - i)));
	return 0;
}

void tls_buf_consume(tls_buf *b, size_t n)
{
	if (n >= b->len) {
		tls_buf_clear(b);
		return;
	}
	memmove(b->p, b->p + n, b->len - n);
	tls_wipe(b->p + b->len - n, n);
	b->len -= n;
}

void tls_buf_clear(tls_buf *b)
{
	if (b->p)
		tls_wipe(b->p, b->cap);
	b->len = 0;
}

void tls_buf_free(tls_buf *b)
{
	if (b->p) {
		tls_wipe(b->p, b->cap);
		free(b->p);
	}
	b->p = NULL;
	b->len = b->cap = 0;
}

/* strlcpy: what snprintf(dst, cap, "%s", src) leaves, without printf's
 * machinery (spans are made by the hundred per handshake). */
static size_t copy_str(char *dst, size_t cap, const char *src)
{
	size_t n = strnlen(src, cap - 1);
	memcpy(dst, src, n);
	dst[n] = 0;
	return n;
}

void tls_rd_init(tls_rd *r, const uint8_t *p, size_t len, tls_spans *spans, size_t base,
		 const char *prefix)
{
	r->p = p;
	r->len = len;
	r->pos = 0;
	r->base = base;
	r->spans = spans;
	r->prefix = prefix;
	r->err = 0;
}

size_t tls_rd_left(const tls_rd *r)
{
	return r->len - r->pos;
}

static int rd_fail(tls_rd *r)
{
	if (!r->err)
		r->err = TLS_FAIL(TLS_ALERT_DECODE_ERROR);
	return r->err;
}

size_t tls_join_path(char *out, size_t n, const char *prefix, const char *field)
{
	size_t at = 0;
	if (prefix && prefix[0]) {
		at = copy_str(out, n, prefix);
		if (at + 1 < n)
			out[at++] = '.';
	}
	return at + copy_str(out + at, n - at, field);
}

static void rd_span(tls_rd *r, const char *path, size_t n, const char *meaning)
{
	if (r->spans && path)
		tls_spans_add_joined(r->spans, r->prefix, path, r->base + r->pos, n, meaning);
}

int tls_rd_bytes(tls_rd *r, const uint8_t **p, size_t n, const char *path, const char *meaning)
{
	if (r->err || tls_rd_left(r) < n)
		return rd_fail(r);
	rd_span(r, path, n, meaning);
	if (p)
		*p = r->p + r->pos;
	r->pos += n;
	return 0;
}

static int rd_uint(tls_rd *r, int n, uint32_t *v, const char *path, const char *meaning)
{
	const uint8_t *p = NULL;
	if (tls_rd_bytes(r, &p, (size_t)n, path, meaning))
		return r->err;
	uint32_t x = 0;
	for (int i = 0; i < n; i++)
		x = (x << 8) | p[i];
	*v = x;
	return 0;
}

int tls_rd_u8(tls_rd *r, unsigned *v, const char *path, const char *meaning)
{
	uint32_t x = 0;
	int rc = rd_uint(r, 1, &x, path, meaning);
	*v = x;
	return rc;
}

int tls_rd_u16(tls_rd *r, unsigned *v, const char *path, const char *meaning)
{
	uint32_t x = 0;
	int rc = rd_uint(r, 2, &x, path, meaning);
	*v = x;
	return rc;
}

int tls_rd_u24(tls_rd *r, uint32_t *v, const char *path, const char *meaning)
{
	return rd_uint(r, 3, v, path, meaning);
}

int tls_rd_vec(tls_rd *r, int n, size_t min, size_t max, tls_rd *sub, const char *path,
	       const char *meaning)
{
	char lpath[TLS_SPAN_PATH];
	uint32_t len = 0;
	if (r->spans && path) /* only a span needs the name */
		tls_join_path(lpath, sizeof lpath, path, "length");
	if (rd_uint(r, n, &len, r->spans && path ? lpath : NULL, "length of the following vector in bytes"))
		return r->err;
	if (len < min || len > max || len > tls_rd_left(r))
		return rd_fail(r);
	const uint8_t *p = r->p + r->pos;
	size_t base = r->base + r->pos;
	if (path && meaning)
		rd_span(r, path, len, meaning);
	r->pos += len;
	tls_rd_init(sub, p, len, r->spans, base, r->prefix);
	return 0;
}

int tls_rd_only_vec(const uint8_t *p, size_t len, int n, size_t min, size_t max, const char *path,
		    const char *meaning, const uint8_t **v, size_t *vlen, tls_spans *sp)
{
	tls_rd r, sub;
	tls_rd_init(&r, p, len, sp, 4, NULL);
	if (tls_rd_vec(&r, n, min, max, &sub, path, meaning))
		return r.err;
	*v = sub.p;
	*vlen = sub.len;
	return tls_rd_done(&r);
}

int tls_rd_u16_list(tls_rd *r, const char *path, const tls_u16_list *l)
{
	tls_rd list;
	char p[TLS_SPAN_PATH], m[TLS_SPAN_MEANING];
	if (tls_rd_vec(r, 2, 2, 0xfffe, &list, path, NULL))
		return r->err;
	if (list.len % 2)
		return rd_fail(r);
	for (size_t i = 0; tls_rd_left(&list); i++) {
		unsigned v = (unsigned)(list.p[list.pos] << 8 | list.p[list.pos + 1]);
		if (list.spans) { /* only a span needs the words */
			snprintf(p, sizeof p, "%s[%zu]", path, i);
			l->describe(i, v, m, sizeof m);
		}
		if (tls_rd_u16(&list, &v, list.spans ? p : NULL, list.spans ? m : NULL))
			return r->err = list.err;
		if (l->out && (l->keep ? l->keep(*l->n_out, l->cap, v) : *l->n_out < l->cap))
			l->out[(*l->n_out)++] = (uint16_t)v;
	}
	return 0;
}

int tls_rd_done(tls_rd *r)
{
	if (r->err)
		return r->err;
	if (tls_rd_left(r) != 0)
		return rd_fail(r);
	return 0;
}

void tls_rd_mean(tls_rd *r, const char *fmt, ...)
{
	if (!r->spans || !r->spans->n)
		return;
	va_list ap;
	va_start(ap, fmt);
	tls_spans_vset_meaning(r->spans, r->spans->n - 1, fmt, ap);
	va_end(ap);
}

void tls_hex(char *out, const uint8_t *p, size_t n)
{
	static const char d[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = d[p[i] >> 4];
		out[2 * i + 1] = d[p[i] & 15];
	}
	out[2 * n] = 0;
}

uint64_t tls_load_be64(const uint8_t p[8])
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

void tls_store_be64(uint8_t p[8], uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

void tls_wipe(void *p, size_t n)
{
	if (p && n)
		explicit_bzero(p, n);
}
