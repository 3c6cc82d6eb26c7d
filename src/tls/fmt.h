/* tls_fmt: snprintf for the text of field spans, several times faster.
 *
 * A replay of a thousand handshakes formats hundreds of thousands of short
 * meanings and paths, and glibc's vsnprintf spends most of its time setting
 * up a string stream per call. tls_fmt does the conversions that text uses
 * itself (%s %.*s %.Ns %c %d %u %zu %llu %x %X with an optional 0 and width,
 * %%) and hands any other format to vsnprintf, so its output is always what
 * snprintf would write: truncated to n - 1 bytes and NUL-terminated (n > 0). */
#ifndef TLS_FMT_H
#define TLS_FMT_H

#include <stdarg.h>
#include <stddef.h>

size_t tls_fmt(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Returns strlen(buf) afterwards (0, with buf untouched, when n is 0). */
size_t tls_vfmt(char *buf, size_t n, const char *fmt, va_list ap);

#endif
