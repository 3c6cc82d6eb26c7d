/* What each side knows after each step, and the rule every producer of a
 * model (simulator, replay, connect, serve) is held to.
 *
 * "After step N" means: a side's column holds what that side has received
 * or computed by the end of step N, and steps[N].client.transcript_hash and
 * steps[N].server.transcript_hash are the hash of exactly the handshake
 * messages of steps 1..N, in the order they crossed the wire (handshake
 * headers included; record headers, ChangeCipherSpec and HelloRequest
 * excluded). A resumed handshake sends step 6 before step 5, so from step 5
 * on its hash covers both.
 *
 * A side knows a value only from the step in which the protocol lets it
 * have it; a value computed while building the next flight belongs to the
 * step that carries that flight (the engines run ahead: a server builds its
 * step 2 flight the moment the ClientHello arrives). So:
 *   client random          from step 1 (ClientHello)
 *   server random          from step 2 (ServerHello)
 *   premaster secret       client: once the ServerHelloDone arrived (step
 *                          4), it has all it needs and makes it before
 *                          answering; server: once the ClientKeyExchange
 *                          arrived (step 5)
 *   master secret, keys    likewise; resuming, the session's master secret
 *                          from step 1 (both cached it: the client offers
 *                          its ID, the server finds it on receipt), the
 *                          keys from step 2 (they need the server random)
 *   client verify_data     from the step with the client's Finished
 *   server verify_data     from the step with the server's Finished
 * A key log or a private key tells a replay values, never moments: the same
 * rule decides when they appear. */
#ifndef SIM_KNOWLEDGE_H
#define SIM_KNOWLEDGE_H

#include "model/model.h"
#include "tls/conn.h"
#include "tls/keys.h"

void knowledge_snapshot(model_side *out, const tls_knowledge *k);
/* Copies the session keys into a column (MAC keys only when the suite has
 * them). */
void knowledge_put_keys(model_side *out, const tls_keys *k);
/* Merges a side's values into m->secrets (what is known by anyone). */
void knowledge_merge_secrets(model *m, const tls_knowledge *k);
/* Sets outcome and alert from a connection's end state. by_server says
 * which side c is. Returns 1 if c ended the handshake with an alert. */
int knowledge_outcome(model *m, const tls_conn *c, int by_server, int step);
/* Notes on the steps an abbreviated (resumed) handshake skips or reorders;
 * marks the model resumed. */
void knowledge_resume_notes(model *m);
/* Holds steps 1..upto to the rule above: a step without records of its own
 * takes the columns of the step before, values the protocol does not allow
 * yet are dropped, the transcript hashes are computed from the model's
 * messages, and so are the hashes the two Finished messages cover. A
 * producer calls it after each step it files, or once at the end. */
void knowledge_settle(model *m, int upto);
/* The same rule for TLS 1.3 (knowledge13.c); knowledge_settle calls it. */
void knowledge13_merge(model *m, const tls_knowledge *k);
/* Notes on what a TLS 1.3 resumption (a PSK from a ticket) leaves out. */
void knowledge13_resume_notes(model *m);
/* Step 1's part of it: the ClientHello offers a ticket. */
void knowledge13_offer_note(model *m);
/* The client offered a session (a 1.3 ticket, or a 1.2 session ID) and
 * the server did not take it (tls13: it chose TLS 1.3): step 2's note says
 * so, the handshake is full. */
void knowledge_resume_declined(model *m, int ticket, int tls13);
/* The notes a live connection's end state calls for: resumed (1.2 or
 * 1.3), or, for a client that offered a session, declined. */
void knowledge_session_notes(model *m, const tls_knowledge *k, int is_server);
void knowledge13_settle(model *m, int upto);
/* A live connection sees only its own engine: fills the peer's column of
 * every step from ours, as far as the protocol lets the peer know the same
 * values at that step, marked inferred; then settles the model. */
void knowledge_infer_peer(model *m, int peer_is_server);

#endif
