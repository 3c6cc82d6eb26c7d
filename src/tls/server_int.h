/* The parts of the server's handshake that only some suites or scenarios
 * use (server_auth.c): signing the ServerKeyExchange, asking for and
 * checking a client certificate. */
#ifndef TLS_SERVER_INT_H
#define TLS_SERVER_INT_H

#include "tls/conn_int.h"

/* The SignatureAndHashAlgorithm the ServerKeyExchange will use, 0 when
 * nothing the client offered can be made with our RSA key. */
uint16_t tls_server_sig_alg(const tls_conn *c);
/* Sends the ServerKeyExchange when the suite's key exchange has one. */
int tls_server_send_key_exchange(tls_conn *c);
int tls_server_send_cert_request(tls_conn *c);
int tls_server_on_client_certificate(tls_conn *c, const uint8_t *msg, size_t n);
/* Checks the client's chain of count certificates, already in c->peer
 * (none: handshake_failure), against the client anchors (both versions). */
int tls_server_client_chain(tls_conn *c, size_t count);
int tls_server_on_certificate_verify(tls_conn *c, const uint8_t *msg, size_t n);

#endif
