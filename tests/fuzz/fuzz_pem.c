/* The key and certificate file readers: tls_pem_next over every block,
 * tls_rsa_private_import (PEM PKCS#1 / PKCS#8, raw DER),
 * tls_privkey_import (RSA or EC: SEC1, PKCS#8; PEM or DER) and
 * tls_x509_load_all (PEM bundle or one DER certificate), on the same
 * bytes. Inputs are capped at 64 KiB: bigger ones only cost time. */
#include "tls/bytes.h"
#include "tls/crypto.h"
#include "tls/pem.h"
#include "tls/privkey.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return tls_crypto_init() ? 1 : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 65536)
		return 0;
	uint8_t *p = malloc(size ? size : 1);
	if (!p)
		abort();
	if (size)
		memcpy(p, data, size);

	tls_buf der = {0};
	char label[64];
	size_t pos = 0;
	int rc, blocks = 0;
	while ((rc = tls_pem_next((const char *)p, size, &pos, NULL, &der, label, sizeof label)) == 1) {
		if (pos > size || !memchr(label, 0, sizeof label) || ++blocks > 100000)
			abort();
	}
	tls_buf_free(&der);

	rsa_key k;
	if (tls_rsa_private_import(p, size, &k) == 0)
		rsa_free(&k);
	tls_privkey pk;
	if (tls_privkey_import(p, size, &pk) == 0)
		tls_privkey_free(&pk);

	tls_x509 *certs = NULL;
	size_t n = 0;
	if (tls_x509_load_all(p, size, &certs, &n) == 0) {
		if (n == 0)
			abort(); /* documented: no certificate is an error */
		for (size_t i = 0; i < n; i++)
			tls_x509_free(&certs[i]);
		free(certs);
	}
	free(p);
	return 0;
}
