/* One side's credentials, parsed: its certificate chain (DER, leaf first),
 * its private key and the roots it trusts. A tls_config points into one of
 * these. The engine never reads a file: the command layer fills them
 * (app/pki.c) and hands them down. */
#ifndef TLS_CREDS_H
#define TLS_CREDS_H

#include "tls/bytes.h"
#include "tls/msg.h"
#include "tls/privkey.h"
#include "tls/x509.h"

#include <stddef.h>
#include <stdint.h>

typedef struct tls_creds {
	tls_buf der[TLS_MAX_CERTS]; /* owns the bytes chain_der points at */
	const uint8_t *chain_der[TLS_MAX_CERTS];
	size_t chain_len[TLS_MAX_CERTS];
	size_t chain_n;
	tls_privkey key; /* RSA or EC */
	int has_key;
	tls_x509 *anchors;
	size_t n_anchors;
} tls_creds;

/* Frees everything and clears the struct, which can be filled again. */
void tls_creds_free(tls_creds *c);

#endif
