#include "tls/der.h"

#include "tls/alert.h"

#include <stdio.h>
#include <string.h>

#define DER_FAIL TLS_FAIL(TLS_ALERT_DECODE_ERROR)

void tls_der_init(tls_der *d, const uint8_t *p, size_t len)
{
	d->buf = p;
	d->pos = 0;
	d->end = p ? len : 0;
	d->depth = 0;
}

int tls_der_more(const tls_der *d)
{
	return d->pos < d->end;
}

/* Decodes the identifier and length at pos without moving any cursor. */
static int der_header(const uint8_t *buf, size_t pos, size_t end, tls_der_item *it)
{
	if (pos >= end || end - pos < 2)
		return DER_FAIL;
	unsigned tag = buf[pos];
	/* High tag numbers never occur in X.509 or PKCS#1/#8; refusing them
	 * keeps the identifier one octet long. */
	if ((tag & 0x1f) == 0x1f)
		return DER_FAIL;
	size_t i = pos + 1;
	unsigned first = buf[i++];
	size_t len = first;
	if (first & 0x80) {
		unsigned nb = first & 0x7f;
		/* nb == 0 is BER's indefinite length; over 4 octets is more than
		 * any certificate needs and could overflow on 32-bit size_t. */
		if (nb == 0 || nb > 4 || end - i < nb)
			return DER_FAIL;
		if (buf[i] == 0)
			return DER_FAIL; /* leading zero octet: not minimal */
		len = 0;
		for (unsigned k = 0; k < nb; k++)
			len = (len << 8) | buf[i++];
		if (len < 0x80)
			return DER_FAIL; /* fits the short form: not minimal */
	}
	if (end - i < len)
		return DER_FAIL;
	it->tag = tag;
	it->off = pos;
	it->body_off = i;
	it->body_len = len;
	it->len = i - pos + len;
	it->body = buf + i;
	return 0;
}

int tls_der_peek(const tls_der *d, unsigned *tag)
{
	if (!tls_der_more(d))
		return 0;
	*tag = d->buf[d->pos];
	return 1;
}

int tls_der_read(tls_der *d, tls_der_item *it)
{
	int rc = der_header(d->buf, d->pos, d->end, it);
	if (rc)
		return rc;
	d->pos += it->len;
	return 0;
}

int tls_der_expect(tls_der *d, unsigned tag, tls_der_item *it)
{
	unsigned t;
	if (!tls_der_peek(d, &t) || t != tag)
		return DER_FAIL;
	return tls_der_read(d, it);
}

int tls_der_optional(tls_der *d, unsigned tag, tls_der_item *it)
{
	unsigned t;
	if (!tls_der_peek(d, &t) || t != tag)
		return 0;
	int rc = tls_der_read(d, it);
	return rc ? rc : 1;
}

int tls_der_enter(const tls_der *parent, const tls_der_item *it, tls_der *sub)
{
	if (!(it->tag & TLS_DER_CONSTRUCTED) || parent->depth + 1 > TLS_DER_MAX_DEPTH)
		return DER_FAIL;
	sub->buf = parent->buf;
	sub->pos = it->body_off;
	sub->end = it->body_off + it->body_len;
	sub->depth = parent->depth + 1;
	return 0;
}

int tls_der_done(const tls_der *d)
{
	return tls_der_more(d) ? DER_FAIL : 0;
}

static int der_walk(const tls_der *d)
{
	tls_der c = *d;
	while (tls_der_more(&c)) {
		tls_der_item it;
		tls_der sub;
		int rc = tls_der_read(&c, &it);
		if (rc)
			return rc;
		if (!(it.tag & TLS_DER_CONSTRUCTED))
			continue;
		if ((rc = tls_der_enter(&c, &it, &sub)) != 0 || (rc = der_walk(&sub)) != 0)
			return rc;
	}
	return 0;
}

int tls_der_walk(const uint8_t *p, size_t len)
{
	tls_der d;
	tls_der_item it;
	tls_der_init(&d, p, len);
	int rc = tls_der_read(&d, &it);
	if (rc || (rc = tls_der_done(&d)) != 0)
		return rc;
	/* Walk the top element itself as a one-element list. */
	tls_der_init(&d, p, len);
	return der_walk(&d);
}

int tls_der_uint(const tls_der_item *it, const uint8_t **p, size_t *n)
{
	if (it->tag != TLS_DER_INTEGER || it->body_len == 0)
		return DER_FAIL;
	const uint8_t *b = it->body;
	size_t len = it->body_len;
	if (b[0] & 0x80)
		return DER_FAIL; /* negative */
	if (len > 1 && b[0] == 0) {
		if (!(b[1] & 0x80))
			return DER_FAIL; /* the zero octet was not needed */
		b++;
		len--;
	}
	*p = b;
	*n = len;
	return 0;
}

int tls_der_small_uint(const tls_der_item *it, uint64_t *v)
{
	const uint8_t *p;
	size_t n;
	int rc = tls_der_uint(it, &p, &n);
	if (rc)
		return rc;
	if (n > 8 || (n == 8 && (p[0] & 0x80)))
		return DER_FAIL;
	uint64_t x = 0;
	for (size_t i = 0; i < n; i++)
		x = (x << 8) | p[i];
	*v = x;
	return 0;
}

int tls_der_bool(const tls_der_item *it, int *v)
{
	if (it->tag != TLS_DER_BOOLEAN || it->body_len != 1)
		return DER_FAIL;
	if (it->body[0] != 0 && it->body[0] != 0xff)
		return DER_FAIL;
	*v = it->body[0] != 0;
	return 0;
}

int tls_der_bits(const tls_der_item *it, const uint8_t **p, size_t *n, unsigned *unused)
{
	if (it->tag != TLS_DER_BIT_STRING || it->body_len == 0)
		return DER_FAIL;
	unsigned u = it->body[0];
	if (u > 7 || (u > 0 && it->body_len == 1))
		return DER_FAIL;
	*p = it->body + 1;
	*n = it->body_len - 1;
	if (unused)
		*unused = u;
	return 0;
}

/* Appends text to out[*pos..n), failing instead of truncating. */
static int put_str(char *out, size_t n, size_t *pos, const char *s)
{
	size_t l = strlen(s);
	if (*pos + l + 1 > n)
		return DER_FAIL;
	memcpy(out + *pos, s, l + 1);
	*pos += l;
	return 0;
}

int tls_der_oid_str(const tls_der_item *it, char *out, size_t n)
{
	if (it->tag != TLS_DER_OID || it->body_len == 0 || n == 0)
		return DER_FAIL;
	size_t pos = 0;
	uint64_t arc = 0;
	int first = 1, fresh = 1;
	out[0] = 0;
	for (size_t i = 0; i < it->body_len; i++) {
		uint8_t b = it->body[i];
		if (fresh && b == 0x80)
			return DER_FAIL; /* leading 0x80: non-minimal arc */
		if (arc >> 56)
			return DER_FAIL;
		arc = (arc << 7) | (b & 0x7f);
		fresh = !(b & 0x80);
		if (!fresh)
			continue;
		char tmp[48];
		if (first) {
			/* The first octet packs two arcs: 40 * X + Y. */
			unsigned x = arc < 40 ? 0 : arc < 80 ? 1 : 2;
			snprintf(tmp, sizeof tmp, "%u.%llu", x, (unsigned long long)(arc - 40u * x));
			first = 0;
		} else {
			snprintf(tmp, sizeof tmp, ".%llu", (unsigned long long)arc);
		}
		if (put_str(out, n, &pos, tmp))
			return DER_FAIL;
		arc = 0;
	}
	return fresh ? 0 : DER_FAIL; /* last arc unterminated */
}

static int digits(const uint8_t *p, int n, int *v)
{
	int x = 0;
	for (int i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return DER_FAIL;
		x = x * 10 + (p[i] - '0');
	}
	*v = x;
	return 0;
}

int tls_der_time(const tls_der_item *it, int64_t *t)
{
	const uint8_t *p = it->body;
	int y, mo, d, h, mi, s, yl;
	if (it->tag == TLS_DER_UTC_TIME && it->body_len == 13)
		yl = 2;
	else if (it->tag == TLS_DER_GENERALIZED_TIME && it->body_len == 15)
		yl = 4;
	else
		return DER_FAIL;
	if (p[it->body_len - 1] != 'Z' || digits(p, yl, &y) || digits(p + yl, 2, &mo) ||
	    digits(p + yl + 2, 2, &d) || digits(p + yl + 4, 2, &h) || digits(p + yl + 6, 2, &mi) ||
	    digits(p + yl + 8, 2, &s))
		return DER_FAIL;
	if (yl == 2)
		y += y >= 50 ? 1900 : 2000; /* RFC 5280 4.1.2.5.1 */
	return tls_utc_mktime(y, mo, d, h, mi, s, t) ? DER_FAIL : 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's method:
 * count from a March-based year so the leap day falls at the end). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int days_in_month(int y, int m)
{
	static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return dim[m - 1] + (m == 2 && leap);
}

int tls_utc_mktime(int y, int mo, int d, int h, int mi, int s, int64_t *out)
{
	if (y < 0 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h < 0 ||
	    h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59)
		return -1;
	*out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
	return 0;
}

void tls_utc_split(int64_t t, int *y, int *mo, int *d, int *h, int *mi, int *s)
{
	int64_t days = t / 86400, sec = t % 86400;
	if (sec < 0) {
		sec += 86400;
		days--;
	}
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (m <= 2));
	*mo = m;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*h = (int)(sec / 3600);
	*mi = (int)(sec / 60 % 60);
	*s = (int)(sec % 60);
}
