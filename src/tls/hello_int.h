/* Shared by the hello describers (hello_exts.c, hello_groups.c). */
#ifndef TLS_HELLO_INT_H
#define TLS_HELLO_INT_H

#include <stdio.h>

#define GREASE_MEANING "GREASE (RFC 8701): a reserved value the peer must ignore; sent at random so servers keep tolerating values they do not know"

/* A vector's span gets its meaning once its contents are read. */
#define LATER "-"

static inline const char *tls_hello_idx(char *buf, size_t n, const char *what, size_t i)
{
	snprintf(buf, n, "%s[%zu]", what, i);
	return buf;
}

#endif
