/* PEM armour, RSA private keys and certificate files, from bytes.
 *
 * The engine never does I/O: callers read the file and pass its bytes here.
 * PEM is base64 between "-----BEGIN <label>-----" and "-----END <label>-----"
 * lines; libtomcrypt has no reader for it. Every input is checked strictly:
 * a broken block is an error, never a partial key. Errors are negative:
 * TLS_FAIL(TLS_ALERT_DECODE_ERROR) for bad encoding,
 * TLS_FAIL(TLS_ALERT_UNSUPPORTED_CERTIFICATE) for keys of the wrong kind or
 * size, TLS_ERR_INTERNAL when out of memory. */
#ifndef TLS_PEM_H
#define TLS_PEM_H

#include <stddef.h>
#include <stdint.h>

#include <tomcrypt.h>

#include "tls/bytes.h"
#include "tls/x509.h"

/* Files with more certificates than this are refused (a system CA bundle
 * holds about 150). */
#define TLS_PEM_MAX_CERTS 1024

/* Finds the next "-----BEGIN <label>-----" block at or after *pos in text
 * (label NULL = any), base64-decodes it into der (cleared first), copies the
 * label into label_out (may be NULL), advances *pos past the END line.
 * Returns 1 found, 0 no more blocks, negative on a broken block (bad
 * base64, headers such as an encrypted key's Proc-Type, missing END). */
TLS_MUST_USE int tls_pem_next(const char *text, size_t len, size_t *pos, const char *label, tls_buf *der,
                              char *label_out, size_t label_n);

/* RSA private key from PEM ("RSA PRIVATE KEY" PKCS#1 or "PRIVATE KEY"
 * PKCS#8, unencrypted; the first such block) or raw DER (PKCS#1 or PKCS#8).
 * The key must be a private key of 1024 to 8192 bits that is consistent
 * (n = p*q, dP and dQ agree with d, a private operation undoes a public one).
 * 0 or negative; on failure *key holds nothing to free. */
TLS_MUST_USE int tls_rsa_private_import(const uint8_t *data, size_t len, rsa_key *key);

/* Certificates from PEM (all CERTIFICATE blocks, in order) or one DER
 * certificate; *out is a malloc'd array of parsed certificates, free each
 * with tls_x509_free and then the array with free(). Certificates with a
 * key tlsstep cannot use (an EC curve other than P-256 or P-384, say; a
 * system CA bundle holds a few) are skipped; a malformed one fails the whole
 * load. 0 certificates is an error. */
TLS_MUST_USE int tls_x509_load_all(const uint8_t *data, size_t len, tls_x509 **out, size_t *n);

#endif
