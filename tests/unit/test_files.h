/* Reading test inputs: whole files and the DER of a PEM certificate.
 * Included by the certificate tests; cmocka must be included first. */
#ifndef TEST_FILES_H
#define TEST_FILES_H

#include "app/files.h"
#include "tls/pem.h"

#include <stdlib.h>
#include <string.h>

static inline uint8_t *slurp(const char *path, size_t *len)
{
	tls_buf b = {0};
	char err[256];
	if (app_file_read(path, 1 << 24, &b, err, sizeof err))
		fail_msg("%s", err);
	assert_int_equal(tls_buf_u8(&b, 0), 0); /* terminated, for text searches */
	*len = b.len - 1;
	return b.p; /* the caller frees it */
}

/* The DER of the single certificate in a PEM file. */
static inline uint8_t *der_of(const char *path, size_t *len)
{
	size_t tl, pos = 0;
	uint8_t *text = slurp(path, &tl);
	tls_buf der = {0};
	assert_int_equal(tls_pem_next((const char *)text, tl, &pos, "CERTIFICATE", &der, NULL, 0), 1);
	free(text);
	uint8_t *p = malloc(der.len);
	assert_non_null(p);
	memcpy(p, der.p, der.len);
	*len = der.len;
	tls_buf_free(&der);
	return p;
}

#endif
