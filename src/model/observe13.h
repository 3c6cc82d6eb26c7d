/* The observer's TLS 1.3 part (RFC 8446 5): from the ServerHello on,
 * every record is application_data on the wire, an AEAD of the real content
 * and its type. With the traffic keys a side knows (handshake keys until
 * that side's Finished, then the application keys) the observer opens each
 * record, so the views show the hidden messages with their fields, marked
 * encrypted, and file them under the step their type belongs to. */
#ifndef MODEL_OBSERVE13_H
#define MODEL_OBSERVE13_H

#include "tls/bytes.h"
#include "tls/spans.h"
#include "tls/suites.h"

#include <stddef.h>
#include <stdint.h>

typedef struct {
	uint8_t key[2][2][32], iv[2][2][12]; /* [direction][0 handshake, 1 application] */
	size_t key_len;
	int have[2][2];
	int stage[2];     /* which keys a direction uses now */
	uint64_t seq[2];  /* records opened under those keys */
	int hrr;          /* a HelloRetryRequest went by, no ServerHello yet */
	int server_hello; /* the real ServerHello went by */
} obs13;

/* Keys of one direction (1 = the server's) and stage (1 = application);
 * the first non-zero key given stays. */
void obs13_set_key(obs13 *t, int dir, int app, const uint8_t *key, size_t key_len, const uint8_t *iv);
/* Opens a whole protected record with the direction's current keys; with
 * advance, counts it (the sequence number goes up and a Finished in it
 * switches the direction to its application keys). 0 ok, <0 when the keys
 * are missing or the record does not open. out has room for n bytes. */
int obs13_open(obs13 *t, const tls_suite *s, int dir, const uint8_t *wire, size_t n, uint8_t *out,
               size_t *out_len, uint8_t *inner, int advance);
/* See obs_tls13_tamper (observe.h). */
int obs13_tamper(obs13 *t, const tls_suite *s, int dir, uint8_t *wire, size_t n, size_t *seen, size_t off,
                 uint8_t x);
/* Field spans of a TLS 1.3 handshake message that only 1.3 has, or that
 * 1.3 reshaped (EncryptedExtensions, Certificate, CertificateRequest,
 * CertificateVerify, Finished, NewSessionTicket, KeyUpdate...): the
 * engine's describer (tls13_hs_describe), and on top of it each
 * certificate's fields and the first one's subject into subject. The
 * observer and the replay both describe with it. Returns 1 for a message
 * the 1.2 codecs describe (the hellos). */
int obs13_describe(const uint8_t *msg, size_t n, tls_spans *sp, char *subject, size_t sn);
/* The step of an opened record, from its real type and first message. */
int obs13_step(int from_server, uint8_t inner, const uint8_t *pt, size_t n, int last_step);
/* The step of a compatibility ChangeCipherSpec (RFC 8446 D.4): with the
 * hello it follows (server) or precedes (client). */
int obs13_ccs_step(const obs13 *t, int from_server, int client_finished_seen);
/* Spans of a protected 1.3 record's body (after the 5-byte header). */
void obs13_spans(tls_spans *sp, size_t body_len, int opened, uint8_t inner, size_t pt_len);

#endif
