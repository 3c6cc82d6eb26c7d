#include "tls/creds.h"

#include <stdlib.h>
#include <string.h>

void tls_creds_free(tls_creds *c)
{
	for (size_t i = 0; i < TLS_MAX_CERTS; i++)
		tls_buf_free(&c->der[i]);
	tls_privkey_free(&c->key);
	for (size_t i = 0; i < c->n_anchors; i++)
		tls_x509_free(&c->anchors[i]);
	free(c->anchors);
	memset(c, 0, sizeof *c);
}
