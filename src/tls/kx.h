/* Key exchange methods, one table row each: RSA, DHE_RSA, ECDHE_RSA and
 * ECDHE_ECDSA (the same ECDHE, signed with an EC certificate).
 *
 * The client and server state machines reach the premaster secret only
 * through these operations, so adding a method is a new row, not new
 * branches in the handshake. Each operation returns 0 or the status from
 * tls_fail (it names the alert and the reason itself). */
#ifndef TLS_KX_H
#define TLS_KX_H

#include "tls/conn_int.h"

typedef struct {
	enum tls_kx kx;
	/* server: can this method be used with what the client offered? */
	int (*server_can)(const tls_conn *c);
	/* server: make the ephemeral key and append ServerParams; NULL for a
	 * method without ServerKeyExchange */
	int (*server_params)(tls_conn *c, tls_buf *params);
	/* client: check the parameters of a decoded ServerKeyExchange */
	int (*client_params)(tls_conn *c, const tls_ske *m);
	/* client: append the ClientKeyExchange body and set the premaster */
	int (*client_exchange)(tls_conn *c, tls_buf *body);
	/* server: read a ClientKeyExchange body and set the premaster */
	int (*server_exchange)(tls_conn *c, const uint8_t *body, size_t n);
} tls_kx_ops;

extern const tls_kx_ops tls_kx_rsa, tls_kx_dhe, tls_kx_ecdhe, tls_kx_ecdhe_ecdsa;

/* Client: fails (unsupported_certificate) unless the server's certificate
 * holds the kind of key the suite's key exchange needs. */
int tls_kx_check_cert(tls_conn *c);

const tls_kx_ops *tls_kx_ops_for(const tls_suite *s);
/* server_can for a method nothing in a ClientHello rules out (RSA, DHE
 * with the server's own group). */
int tls_kx_always(const tls_conn *c);
/* Frees the ephemeral keys (the private ones are overwritten first). */
void tls_kx_free(tls_kx_state *k);
/* Sets the premaster in the knowledge (both sides). */
void tls_kx_set_premaster(tls_conn *c, const uint8_t *p, size_t n);
/* RSA key exchange, server side: decrypts a PKCS#1 v1.5 block that must
 * hold exactly 48 bytes (a TLS premaster secret). Returns 1 when it does,
 * 0 otherwise, without a branch on anything secret; msg is written either
 * way. */
unsigned tls_kx_rsa_decrypt48(const rsa_key *key, const uint8_t *in, size_t in_len, uint8_t msg[48]);
/* The ffdhe2048 prime (RFC 7919 A.1), big-endian; its generator is 2. */
void tls_ffdhe2048_p(uint8_t p[256]);
/* Client: the groups it offers in supported_groups, as wire bytes. */
size_t tls_kx_groups_ext(uint8_t *out, size_t cap);

#endif
