/* Byte buffers, the reading cursor and field spans shared by every codec.
 *
 * tls_buf is a growable byte string that is zeroed when freed (it often holds
 * secrets). tls_rd is one cursor type for all parsing: every read checks the
 * remaining length first and, when a span list is attached, records
 * {path, offset, length, meaning} for the bytes it consumed, so each byte
 * shown to a learner has a name. */
#ifndef TLS_BYTES_H
#define TLS_BYTES_H

#include <stddef.h>
#include <stdint.h>

/* On a function whose failure matters (an append that can run out of
 * memory, a parser, a cryptographic call): the compiler refuses a call
 * that ignores the result, so a failure cannot pass unnoticed. */
#define TLS_MUST_USE __attribute__((warn_unused_result))

typedef struct {
	uint8_t *p;
	size_t len, cap;
} tls_buf;

/* Appends: 0, or negative when memory ran out (the buffer is unchanged). */
TLS_MUST_USE int tls_buf_reserve(tls_buf *b, size_t extra);
TLS_MUST_USE int tls_buf_put(tls_buf *b, const void *data, size_t n);
TLS_MUST_USE int tls_buf_u8(tls_buf *b, unsigned v);
TLS_MUST_USE int tls_buf_u16(tls_buf *b, unsigned v);
TLS_MUST_USE int tls_buf_u24(tls_buf *b, uint32_t v);
/* Reserves an n-byte length prefix; returns its position for
 * tls_buf_len_end, which fills it in and fails when the reservation did
 * (memory ran out) or the contents outgrew n bytes. */
size_t tls_buf_len_begin(tls_buf *b, int n);
TLS_MUST_USE int tls_buf_len_end(tls_buf *b, size_t pos, int n);
void tls_buf_consume(tls_buf *b, size_t n); /* drop n bytes from the front */
void tls_buf_clear(tls_buf *b);             /* zero, keep capacity */
void tls_buf_free(tls_buf *b);              /* zero and release */
/* Wipes memory that held secrets, in a way the compiler may not drop.
 * Unlike libtomcrypt's zeromem (a byte loop), it runs at memset speed, which
 * matters for the large model and connection structures. NULL is fine. */
void tls_wipe(void *p, size_t n);

#include "tls/spans.h"

/* "prefix.field" (or field alone when prefix is NULL or empty) into out,
 * cut to fit as snprintf would. Returns the length written. */
size_t tls_join_path(char *out, size_t n, const char *prefix, const char *field);

/* Parsing cursor. base is the offset of p[0] within whatever the spans
 * describe (a record, a message), prefix is prepended to every path. */
typedef struct {
	const uint8_t *p;
	size_t len, pos;
	size_t base;
	tls_spans *spans;
	const char *prefix;
	int err; /* sticky: first failure, TLS_FAIL(decode_error) */
} tls_rd;

void tls_rd_init(tls_rd *r, const uint8_t *p, size_t len, tls_spans *spans, size_t base,
		 const char *prefix);
size_t tls_rd_left(const tls_rd *r);
/* Each reader fails (returns negative, sets r->err) when too few bytes are
 * left. path/meaning may be NULL to record no span. */
int tls_rd_u8(tls_rd *r, unsigned *v, const char *path, const char *meaning);
int tls_rd_u16(tls_rd *r, unsigned *v, const char *path, const char *meaning);
int tls_rd_u24(tls_rd *r, uint32_t *v, const char *path, const char *meaning);
int tls_rd_bytes(tls_rd *r, const uint8_t **p, size_t n, const char *path, const char *meaning);
/* Reads an n-byte length prefix (span "<path>.length") and gives a sub-cursor
 * over the vector; fails when the vector overruns its parent or its length is
 * outside [min, max]. */
int tls_rd_vec(tls_rd *r, int n, size_t min, size_t max, tls_rd *sub, const char *path,
	       const char *meaning);
/* A whole body that is one vector (n-byte length, contents in [min, max])
 * and nothing else, as ClientKeyExchange bodies are; offsets count a 4-byte
 * handshake header. */
int tls_rd_only_vec(const uint8_t *p, size_t len, int n, size_t min, size_t max, const char *path,
		    const char *meaning, const uint8_t **v, size_t *vlen, tls_spans *sp);
/* How tls_rd_u16_list names and keeps the values of one list. */
typedef struct {
	/* The meaning of value i; called only when spans are recorded. */
	void (*describe)(size_t i, unsigned v, char *mean, size_t n);
	/* Whether to keep v when n_kept are kept; NULL keeps the first cap. */
	int (*keep)(size_t n_kept, size_t cap, unsigned v);
	uint16_t *out; /* NULL keeps nothing */
	size_t *n_out, cap;
} tls_u16_list;
/* A vector of 16-bit values (cipher suites, signature algorithms, groups):
 * 2-byte length, even, 2 to 0xfffe bytes. Each value gets a span
 * "<path>[i]"; the list's length and parity are checked before any value
 * is read (decode_error). */
int tls_rd_u16_list(tls_rd *r, const char *path, const tls_u16_list *l);
/* Fails with decode_error unless every byte was consumed. */
int tls_rd_done(tls_rd *r);
/* Sets the meaning of the span r added last (for meanings decided after the
 * read); nothing when r records no spans. */
void tls_rd_mean(tls_rd *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Big-endian 64-bit words (sequence numbers, GHASH blocks, field limbs). */
uint64_t tls_load_be64(const uint8_t p[8]);
void tls_store_be64(uint8_t p[8], uint64_t v);

/* Lower-case hex of n bytes into out (2n+1 bytes). */
void tls_hex(char *out, const uint8_t *p, size_t n);

#endif
