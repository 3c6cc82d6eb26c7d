/* The observer: turns records seen on the wire into the model.
 *
 * It sits where an eavesdropper with (optionally) the keys would sit. Each
 * record is filed under its step, split into messages (reassembled across
 * records), decoded with the engine's own decoders to get field spans and,
 * once the master secret is known, decrypted and its Finished checked. The
 * simulator, replay and live modes all build their model through it.
 *
 * A capture reader knows less than the two engines: it may hold the server's
 * RSA key (to open ClientKeyExchange), a premaster or master secret from a
 * key log, or nothing. What it could reconstruct is kept here too, so the
 * replay can fill the knowledge columns and the final secrets. TLS 1.0, 1.1
 * and 1.2 are decrypted (the version in the ServerHello picks the PRF, the
 * Finished hash and the record shape); TLS 1.3 is recognised only. */
#ifndef SIM_OBSERVE_H
#define SIM_OBSERVE_H

#include "model/model.h"
#include "tls/conn.h"
#include "tls/suites.h"

#include <tomcrypt.h>

typedef struct observer observer;

/* An observer filing into m (not owned); NULL when out of memory. */
observer *obs_new(model *m);
void obs_free(observer *o); /* NULL is fine; zeroes the secrets */
/* For a list of connections, where only the version, suite, keys and
 * completion matter: no field spans, certificates or decryption. */
void obs_set_brief(observer *o, int brief);
int obs_has_master(const observer *o);
/* The step the last record was filed under. */
int obs_last_step(const observer *o);
/* Both Finished messages (or their protected records) went by. */
int obs_channel_started(const observer *o);
/* The ClientHello's random, NULL before one went by. */
const uint8_t *obs_client_random(const observer *o);
/* The first 8 bytes of an RSA-encrypted premaster (what a key log's "RSA"
 * line names), NULL unless one went by and the premaster is still unknown. */
const uint8_t *obs_rsa_head(const observer *o);
/* The suite of the ServerHello (NULL before one, or when tlsstep lacks it),
 * and whether a ServerHello went by at all. */
const tls_suite *obs_suite(const observer *o);
int obs_server_hello_seen(const observer *o);
/* Why no keys can be derived (version, suite, RSA failure); "" if nothing
 * stands in the way. */
const char *obs_key_note(const observer *o);
/* Gives the master secret (from a side's knowledge or a key log). */
void obs_set_master(observer *o, const uint8_t ms[48]);
/* TLS 1.3: the traffic key and IV of one direction (dir 1 = the
 * server's), app 0 for the handshake keys, 1 for the application keys. The
 * first given of each stays. */
void obs_set_tls13_key(observer *o, int dir, int app, const uint8_t *key, size_t key_len, const uint8_t *iv);
/* Hands the observer the TLS 1.3 traffic keys one side's engine holds
 * now (nothing before 1.3 is negotiated), so it can open the records that
 * follow: the simulator, connect and serve call it as they go. */
void obs_take_tls13_keys(observer *o, const tls_knowledge *k);
/* The simulator's attacker inside TLS 1.3 encryption: opens a protected
 * record of that direction with its current keys, flips byte off (counted
 * in the decrypted content of the step so far, *seen, which grows by this
 * record's) and seals it again in place. Returns 1 if a byte was flipped. */
int obs_tls13_tamper(observer *o, int dir, uint8_t *wire, size_t n, size_t *seen, size_t off, uint8_t x);
/* The server's RSA private key (not owned); used when ClientKeyExchange goes
 * by. */
void obs_set_rsa_key(observer *o, const rsa_key *k);
/* Gives the premaster secret (key log "RSA" line); derives the master secret
 * once both randoms and the suite are known. 0 ok, negative if it cannot. */
int obs_set_premaster(observer *o, const uint8_t *pms, size_t n);
/* What the observer can reconstruct now, as one side's knowledge column. */
void obs_knowledge(const observer *o, model_side *out);
/* Copies what is known into m->secrets and m->key_block. */
void obs_secrets(const observer *o, model *m);
/* The step a record belongs to, without filing it. */
int obs_classify(observer *o, int from_server, const uint8_t *wire, size_t n);
/* Files one whole record (header included). step 0 = classify it; alerts
 * should be given the step in which they were sent. Returns its step. */
int obs_record(observer *o, int from_server, const uint8_t *wire, size_t n, int step);

#endif
