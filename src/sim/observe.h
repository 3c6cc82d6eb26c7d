/* The observer: turns records seen on the wire into the model.
 *
 * It sits where an eavesdropper with (optionally) the keys would sit. Each
 * record is filed under its step, split into messages (reassembled across
 * records), decoded with the engine's own decoders to get field spans and,
 * once the master secret is known, decrypted and its Finished checked. The
 * simulator, replay and live modes all build their model through it. */
#ifndef SIM_OBSERVE_H
#define SIM_OBSERVE_H

#include "sim/model.h"
#include "tls/keys.h"
#include "tls/protect.h"
#include "tls/suites.h"

#include <tomcrypt.h>

typedef struct {
	model *m;
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
	hash_state th256, th384;
	int last_step;
} observer;

void obs_init(observer *o, model *m);
void obs_free(observer *o);
/* Gives the master secret (from a side's knowledge or a key log). */
void obs_set_master(observer *o, const uint8_t ms[48]);
/* The step a record belongs to, without filing it. */
int obs_classify(observer *o, int from_server, const uint8_t *wire, size_t n);
/* Files one whole record (header included). step 0 = classify it; alerts
 * should be given the step in which they were sent. Returns its step. */
int obs_record(observer *o, int from_server, const uint8_t *wire, size_t n, int step);

#endif
