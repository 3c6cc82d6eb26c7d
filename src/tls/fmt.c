#include "tls/fmt.h"

#include <stdio.h>
#include <string.h>

/* Output that stops at the end of the buffer, leaving room for the NUL. */
typedef struct {
	char *p, *end; /* end: where the NUL goes at the latest */
} out;

static void put(out *o, const char *s, size_t k)
{
	size_t room = (size_t)(o->end - o->p);
	if (k > room)
		k = room;
	memcpy(o->p, s, k);
	o->p += k;
}

/* v in base 10 or 16, at least width digits (zero-padded). */
static void num(out *o, unsigned long long v, int neg, int base, int upper, int width)
{
	const char *d = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char b[24];
	int i = sizeof b;
	do {
		b[--i] = d[v % (unsigned)base];
		v /= (unsigned)base;
	} while (v);
	int digits = (int)sizeof b - i;
	if (neg)
		put(o, "-", 1);
	for (; digits < width - neg; digits++)
		put(o, "0", 1);
	put(o, b + i, sizeof b - (size_t)i);
}

/* One conversion starting after its '%'; returns where the format goes on,
 * or NULL for a conversion left to vsnprintf (it may have taken arguments
 * from its own copy of the list by then; the caller starts over). */
static const char *conv(out *o, const char *f, va_list *ap)
{
	int zero = 0, width = 0, prec = -1;
	if (*f == '0') {
		zero = 1;
		f++;
	}
	while (*f >= '0' && *f <= '9')
		width = width * 10 + (*f++ - '0');
	if (*f == '.') {
		f++;
		if (*f == '*') {
			prec = va_arg(*ap, int);
			f++;
		} else {
			prec = 0;
			while (*f >= '0' && *f <= '9')
				prec = prec * 10 + (*f++ - '0');
		}
	}
	if ((width && !zero) || (prec >= 0 && *f != 's'))
		return NULL; /* space padding and number precision: not used here */
	switch (*f) {
	case 's': {
		if (width)
			return NULL;
		const char *s = va_arg(*ap, const char *);
		if (!s) /* as glibc prints it: whole or not at all */
			s = prec < 0 || prec >= 6 ? "(null)" : "";
		size_t k = prec >= 0 ? strnlen(s, (size_t)prec) : strlen(s);
		put(o, s, k);
		return f + 1;
	}
	case 'c': {
		if (width || zero)
			return NULL;
		char c = (char)va_arg(*ap, int);
		if (!c)
			return NULL; /* the string would end here: see tls_vfmt */
		put(o, &c, 1);
		return f + 1;
	}
	case 'd': {
		int v = va_arg(*ap, int);
		num(o, v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v, v < 0, 10, 0, width);
		return f + 1;
	}
	case 'u': num(o, va_arg(*ap, unsigned), 0, 10, 0, width); return f + 1;
	case 'x':
	case 'X': num(o, va_arg(*ap, unsigned), 0, 16, *f == 'X', width); return f + 1;
	case 'z':
		if (f[1] != 'u')
			return NULL;
		num(o, va_arg(*ap, size_t), 0, 10, 0, width);
		return f + 2;
	case 'l':
		if (f[1] != 'l' || f[2] != 'u')
			return NULL;
		num(o, va_arg(*ap, unsigned long long), 0, 10, 0, width);
		return f + 3;
	case '%':
		if (width || zero)
			return NULL;
		put(o, "%", 1);
		return f + 1;
	default: return NULL;
	}
}

size_t tls_vfmt(char *buf, size_t n, const char *fmt, va_list ap)
{
	if (!n)
		return 0;
	out o = {buf, buf + n - 1};
	va_list aq;
	va_copy(aq, ap);
	const char *f = fmt;
	while (*f) {
		const char *pc = strchr(f, '%');
		if (!pc) {
			put(&o, f, strlen(f));
			break;
		}
		put(&o, f, (size_t)(pc - f));
		f = conv(&o, pc + 1, &aq);
		if (!f) { /* a conversion conv leaves to vsnprintf: start over, with
			   * the untouched argument list */
			va_end(aq);
			if (vsnprintf(buf, n, fmt, ap) < 0)
				buf[0] = 0; /* an encoding error leaves buf undefined */
			return strlen(buf); /* a %c of 0 would end the string early */
		}
	}
	va_end(aq);
	*o.p = 0;
	return (size_t)(o.p - buf);
}

size_t tls_fmt(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t len = tls_vfmt(buf, n, fmt, ap);
	va_end(ap);
	return len;
}
