/* A small, strict DER reader for certificates and keys.
 *
 * Certificates arrive from the network, so every tag and length is checked
 * before it is trusted: indefinite lengths, lengths longer than 4 octets or
 * running past the enclosing element, non-minimal length encodings and
 * high tag numbers are all refused, and nesting is bounded. Offsets are
 * always measured from the start of the outermost buffer, so a caller can
 * record field spans without arithmetic. Failures return
 * TLS_FAIL(TLS_ALERT_DECODE_ERROR); callers remap it to the alert that
 * fits (bad_certificate for certificates). */
#ifndef TLS_DER_H
#define TLS_DER_H

#include "tls/bytes.h" /* TLS_MUST_USE */

#include <stddef.h>
#include <stdint.h>

enum {
	TLS_DER_BOOLEAN = 0x01,
	TLS_DER_INTEGER = 0x02,
	TLS_DER_BIT_STRING = 0x03,
	TLS_DER_OCTET_STRING = 0x04,
	TLS_DER_NULL = 0x05,
	TLS_DER_OID = 0x06,
	TLS_DER_UTF8_STRING = 0x0c,
	TLS_DER_PRINTABLE_STRING = 0x13,
	TLS_DER_T61_STRING = 0x14,
	TLS_DER_IA5_STRING = 0x16,
	TLS_DER_UTC_TIME = 0x17,
	TLS_DER_GENERALIZED_TIME = 0x18,
	TLS_DER_UNIVERSAL_STRING = 0x1c,
	TLS_DER_BMP_STRING = 0x1e,
	TLS_DER_SEQUENCE = 0x30,
	TLS_DER_SET = 0x31,
};
#define TLS_DER_CONSTRUCTED 0x20
#define TLS_DER_CONTEXT(n) (0x80u | (unsigned)(n))   /* [n] IMPLICIT, primitive */
#define TLS_DER_CONTEXT_C(n) (0xa0u | (unsigned)(n)) /* [n] constructed or EXPLICIT */
#define TLS_DER_MAX_DEPTH 16

/* One element: where it sits and where its contents are. */
typedef struct {
	unsigned tag;       /* the identifier octet */
	size_t off, len;    /* whole element: identifier, length octets, contents */
	size_t body_off;    /* contents */
	size_t body_len;
	const uint8_t *body;
} tls_der_item;

/* Cursor over the contents of one constructed element (or a whole buffer). */
typedef struct {
	const uint8_t *buf; /* outermost buffer; every offset is relative to it */
	size_t pos, end;
	int depth;
} tls_der;

void tls_der_init(tls_der *d, const uint8_t *p, size_t len);
int tls_der_more(const tls_der *d);
/* 1 and the next tag, or 0 at the end of the cursor. */
int tls_der_peek(const tls_der *d, unsigned *tag);
TLS_MUST_USE int tls_der_read(tls_der *d, tls_der_item *it);
/* Reads the next element and fails unless its tag is `tag`. */
TLS_MUST_USE int tls_der_expect(tls_der *d, unsigned tag, tls_der_item *it);
/* 1 (read) when the next element has `tag`, 0 (nothing read) otherwise. */
TLS_MUST_USE int tls_der_optional(tls_der *d, unsigned tag, tls_der_item *it);
/* Cursor over a constructed element's contents; fails past TLS_DER_MAX_DEPTH. */
TLS_MUST_USE int tls_der_enter(const tls_der *parent, const tls_der_item *it, tls_der *sub);
/* Fails unless every byte of the cursor was read. */
TLS_MUST_USE int tls_der_done(const tls_der *d);
/* Checks that p holds exactly one well-formed element, descending into every
 * constructed element (bounded depth, so hostile nesting cannot exhaust the
 * stack). */
TLS_MUST_USE int tls_der_walk(const uint8_t *p, size_t len);

/* A non-negative INTEGER's magnitude without the sign octet. Refuses empty,
 * negative and non-minimally encoded integers. */
TLS_MUST_USE int tls_der_uint(const tls_der_item *it, const uint8_t **p, size_t *n);
/* A non-negative INTEGER that fits in 63 bits. */
TLS_MUST_USE int tls_der_small_uint(const tls_der_item *it, uint64_t *v);
/* BOOLEAN: DER allows only 0x00 and 0xff. */
TLS_MUST_USE int tls_der_bool(const tls_der_item *it, int *v);
/* BIT STRING contents after the unused-bits octet (unused must be 0..7 and 0
 * for an empty string). */
TLS_MUST_USE int tls_der_bits(const tls_der_item *it, const uint8_t **p, size_t *n, unsigned *unused);
/* OBJECT IDENTIFIER as dotted text, e.g. "2.5.29.17". */
TLS_MUST_USE int tls_der_oid_str(const tls_der_item *it, char *out, size_t n);
/* UTCTime (YYMMDDHHMMSSZ) or GeneralizedTime (YYYYMMDDHHMMSSZ), the only
 * forms RFC 5280 allows, to seconds since the Unix epoch. */
TLS_MUST_USE int tls_der_time(const tls_der_item *it, int64_t *t);

/* Calendar time (UTC) to seconds since the epoch; fails on an invalid date. */
TLS_MUST_USE int tls_utc_mktime(int y, int mo, int d, int h, int mi, int s, int64_t *out);
/* The inverse, for printing. */
void tls_utc_split(int64_t t, int *y, int *mo, int *d, int *h, int *mi, int *s);

#endif
