/* A private key of either kind tlsstep signs with: RSA (PKCS#1 v1.5 and
 * RSA-PSS) or EC on P-256 / P-384 (ECDSA). A small tagged struct, so a
 * tls_config holds one pointer whatever the certificate's key is, and every
 * caller that only knows RSA (the RSA key exchange, TLS 1.2 signing) checks
 * type first. type uses the certificate's TLS_X509_KEY_* codes, so a key
 * and a certificate compare directly. */
#ifndef TLS_PRIVKEY_H
#define TLS_PRIVKEY_H

#include "tls/bytes.h"
#include "tls/ecdsa.h"
#include "tls/x509.h"

#include <stddef.h>
#include <stdint.h>

#include <tomcrypt.h>

typedef struct tls_privkey {
	int type;                 /* TLS_X509_KEY_RSA or TLS_X509_KEY_EC; 0 = none */
	rsa_key rsa;              /* type RSA */
	ecc_key ec;               /* type EC: private scalar and public point */
	const tls_ec_curve *curve; /* type EC */
} tls_privkey;

/* An RSA or EC private key from PEM ("RSA PRIVATE KEY", "EC PRIVATE KEY"
 * (SEC1, RFC 5915) or "PRIVATE KEY" (PKCS#8, RFC 5208 / 5915)) or raw DER of
 * any of them. 0 or a negative code as tls_rsa_private_import (pem.h); on
 * failure *k holds nothing to free. */
TLS_MUST_USE int tls_privkey_import(const uint8_t *data, size_t len, tls_privkey *k);
/* Zeroes and frees; safe on a zeroed or freed key. */
void tls_privkey_free(tls_privkey *k);
/* 1 when leaf's public key is this private key's (same type, RSA modulus
 * and exponent or EC curve and point), 0 otherwise: a key that does not
 * match its certificate makes signatures no peer accepts. */
int tls_privkey_matches(const tls_privkey *k, const tls_x509 *leaf);
/* "RSA 2048 bits" / "EC secp256r1 (P-256)" for messages. */
void tls_privkey_describe(const tls_privkey *k, char *out, size_t n);

/* EC private key alone (SEC1 or PKCS#8, PEM or DER): the scalar d must be in
 * [1, n-1] and, when the file carries the public point, d*G must be it. */
TLS_MUST_USE int tls_ec_private_import(const uint8_t *data, size_t len, ecc_key *key, const tls_ec_curve **cv);

#endif
