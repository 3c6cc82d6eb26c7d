/* Loading the certificates and keys a side needs from files: a server's
 * chain and private key, a client's trusted roots. */
#ifndef APP_PKI_H
#define APP_PKI_H

#include "tls/bytes.h"
#include "tls/msg.h"
#include "tls/x509.h"

typedef struct pki {
	tls_buf der[TLS_MAX_CERTS];
	const uint8_t *chain_der[TLS_MAX_CERTS];
	size_t chain_len[TLS_MAX_CERTS];
	size_t chain_n;
	rsa_key key;
	int has_key;
	tls_x509 *anchors;
	size_t n_anchors;
} pki;

/* Appends every certificate in path (PEM or DER) to the chain. */
int pki_add_chain(pki *p, const char *path, char *err, size_t errlen);
int pki_load_key(pki *p, const char *path, char *err, size_t errlen);
int pki_load_anchors(pki *p, const char *path, char *err, size_t errlen);
void pki_free(pki *p);

#endif
