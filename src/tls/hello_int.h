/* Shared by the hello describers (hello_exts.c, hello_groups.c, hello_ech.c). */
#ifndef TLS_HELLO_INT_H
#define TLS_HELLO_INT_H

#include "tls/bytes.h"
#include "tls/msg.h"

#include <stddef.h>
#include <stdio.h>

#define GREASE_MEANING "GREASE (RFC 8701): a reserved value the peer must ignore; sent at random so servers keep tolerating values they do not know"

/* A vector's span gets its meaning once its contents are read. */
#define LATER "-"

/* in: the handshake type of the message that carries the extension */
#define FROM_CLIENT(in) ((in) == TLS_HS_CLIENT_HELLO)

/* A code and its name, for the small lists of the extension bodies. */
typedef struct {
	unsigned v;
	const char *name;
} name_row;

static inline const char *row_name(const name_row *t, size_t n, unsigned v)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].v == v)
			return t[i].name;
	return NULL;
}
#define ROW_NAME(t, v) row_name(t, sizeof t / sizeof t[0], v)

/* hello_ech.c: the body of encrypted_client_hello in message in. */
void tls_hello_ech(tls_rd *r, int in);

static inline const char *tls_hello_idx(char *buf, size_t n, const char *what, size_t i)
{
	snprintf(buf, n, "%s[%zu]", what, i);
	return buf;
}

#endif
