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
#include "tls/keys.h"
#include "tls/protect.h"
#include "tls/suites.h"

#include <tomcrypt.h>

typedef struct {
	model *m;
	int brief;      /* for a list of connections, where only the version, suite,
			 * keys and completion matter: no field spans, certificates,
			 * knowledge columns or decryption */
	tls_buf hs[2];  /* partial handshake message, per direction (0 client, 1 server) */
	int hs_step[2]; /* step of that partial message */
	int ccs[2];
	tls_protect rd[2];
	int rd_on[2];
	uint8_t master[48];
	int have_master;
	uint8_t cr[32], sr[32];
	int have_cr, have_sr;
	const tls_suite *suite;
	tls_keys keys;
	int have_keys;
	/* The handshake hash runs only the hash the ServerHello calls for
	 * (th_kind: 0 not known yet, TH_MD5_SHA1 for TLS 1.0/1.1, TH_SHA256,
	 * TH_SHA384); until then the messages wait in th_pending. */
	int th_kind;
	hash_state th, th_sha1;
	tls_buf th_pending;
	int last_step;
	/* what a replay adds */
	const rsa_key *rsa; /* server private key: opens an RSA ClientKeyExchange */
	uint8_t premaster[48];
	size_t pms_len;
	int have_pms;
	uint8_t epms_head[8]; /* first 8 bytes of the encrypted premaster: key log
				 "RSA" lines */
	int have_epms;
	int etm_offered, etm;     /* encrypt_then_mac (RFC 7366) offered / agreed */
	int ems_offered, ems;     /* extended master secret (RFC 7627) offered / agreed */
	uint8_t session_hash[48]; /* transcript hash through ClientKeyExchange, for EMS */
	size_t session_hash_len;
	int tls13;
	int t13_client_fin;   /* the client's encrypted Finished flight has gone by */
	int enc_seen[2];      /* protected records seen per direction */
	int finished_seen[2]; /* Finished (or its protected record) seen per direction
			       */
	uint8_t verify[2][12];
	int have_verify[2];
	size_t transcript_len;
	char key_note[200]; /* why no keys can be derived (version, suite, RSA
			       failure) */
} observer;

void obs_init(observer *o, model *m);
void obs_free(observer *o);
/* Gives the master secret (from a side's knowledge or a key log). */
void obs_set_master(observer *o, const uint8_t ms[48]);
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
