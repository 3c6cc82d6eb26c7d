/* A TLS 1.3 connection in a replay: what an eavesdropper holding the key
 * log (NSS labels, keylog.h) can open and check. Internal to src/replay.
 *
 * TLS 1.3 encrypts everything after ServerHello under keys expanded from
 * traffic secrets (RFC 8446 7.3). A key log gives those secrets, never the
 * (EC)DHE shared secret, the early, handshake or master secret they were
 * derived from: the key schedule can be shown from the traffic secrets
 * down (keys, IVs, finished keys, the next generation after a KeyUpdate),
 * not above them. From the hellos (always in the clear) come the version,
 * suite, group, SNI, ALPN offer, PSK and early-data offers; from the
 * decrypted flight the rest. Both Finished are recomputed (finished_key of
 * each side's handshake traffic secret, HMAC over the transcript hash) and
 * CertificateVerify is checked with the certificate's public key over the
 * RFC 8446 4.4.3 content. Records are opened with a per-direction sequence
 * number that restarts at every key change. */
#ifndef REPLAY_TLS13_H
#define REPLAY_TLS13_H

#include "replay/keylog.h"
#include "tls/bytes.h"

#include <stddef.h>
#include <stdint.h>

#define T13_MAX_HS (64 * 1024) /* a handshake message longer than this is not followed */

enum t13_stage { T13_NONE, T13_EARLY, T13_HANDSHAKE, T13_APPLICATION };

typedef struct {
	enum t13_stage stage;
	int generation; /* application traffic secret N (KeyUpdate) */
	int have;       /* key and iv set */
	uint8_t secret[48];
	uint8_t key[32], iv[12];
	uint64_t seq;
	tls_buf hs; /* handshake bytes of a message not yet whole */
	size_t opened, failed;
} t13_dir;

/* What one decrypted record held: its handshake messages (each a pointer
 * into the record's plaintext, or the whole message once reassembled). */
typedef struct {
	uint8_t type; /* the real content type (TLSInnerPlaintext) */
	int from_server;
	enum t13_stage stage; /* of the key that opened it */
	tls_buf plain;
} t13_record;

typedef struct {
	const keylog *keys;
	uint8_t client_random[32];
	int have_random;
	int active;          /* the ServerHello chose TLS 1.3 */
	int final_sh;        /* the ServerHello (not a retry request) went by */
	int pending_step[2]; /* step of a handshake message continued in the next record */
	int hrr, hrr_group, resumed, psk_offered, psk_dhe, early_offered, early_accepted;
	int ech_outer, pq_share; /* ClientHello: encrypted_client_hello, a hybrid post-quantum share */
	uint16_t suite, group;
	uint16_t early_suite; /* the suite early data opened with, before the ServerHello */
	uint16_t early_guess; /* the suite being tried for it */
	char sni[256], alpn_offer[128], alpn[64];
	int hash; /* libtomcrypt hash index */
	size_t hash_len, key_len;
	tls_buf transcript; /* handshake messages in order (HRR: message_hash rule) */
	uint8_t th_before_cv[2][48], th_before_fin[2][48];
	/* Transcript-Hash(ClientHello..ServerHello) and (..server Finished):
	 * the contexts of the handshake and application traffic secrets */
	uint8_t th_sh[48], th_sf[48];
	int have_th_sh, have_th_sf;
	int transcript_gap; /* a handshake record did not open: no Finished can be checked */
	t13_dir d[2]; /* [0] client -> server, [1] server -> client */
	uint8_t client_hs[48], server_hs[48];
	size_t client_hs_len, server_hs_len;
	/* -1 not checked, 0 wrong, 1 right */
	int fin_ok[2], cv_ok[2];
	uint16_t cv_alg; /* the server's CertificateVerify scheme */
	uint8_t fin_expect[2][48];
	tls_buf cert[2]; /* each side's first certificate (DER) */
	int key_updates[2];
	int missing[KL13_COUNT]; /* a secret the stages needed and the key log lacked */
	size_t early_records;
	char note[240]; /* the first problem (wrong secret, truncated message) */
} replay_t13;

void replay_t13_init(replay_t13 *t, const keylog *keys);
void replay_t13_free(replay_t13 *t); /* zeroes the secrets */
/* A plaintext handshake message (ClientHello, ServerHello/HRR) as it went
 * by; dir 0 client, 1 server. Sets active when the ServerHello is 1.3. */
void replay_t13_plain_msg(replay_t13 *t, int dir, const uint8_t *msg, size_t n);
/* Opens a protected record (type 23 after a 1.3 ServerHello). 0 and out
 * filled, or -1 when no key opens it (out empty). */
int replay_t13_open(replay_t13 *t, int dir, const uint8_t *wire, size_t n, t13_record *out);
/* A decrypted handshake message of dir: transcript, verification, key
 * changes (Finished, KeyUpdate, EndOfEarlyData). Returns the note to show
 * with it ("" when none) in note. */
void replay_t13_hs_msg(replay_t13 *t, int dir, const uint8_t *msg, size_t n, char *note, size_t note_len);
/* The next whole handshake message of dir's reassembly buffer (d[].hs,
 * where the caller appends each record's handshake bytes) moved into out:
 * 1, or 0 while none is whole. */
int replay_t13_next_msg(replay_t13 *t, int dir, tls_buf *out);
/* Between the tls13_*.c files: */
/* The secret of a label for this connection from the key log (notes a
 * missing one); NULL when absent. */
const uint8_t *replay_t13_secret(replay_t13 *t, enum keylog13_label l, size_t *len);
/* Key and IV of a traffic secret (RFC 8446 7.3); the sequence number
 * starts again at 0 with every new key. 0, or -1 (no key then). */
int replay_t13_set_key(replay_t13 *t, int dir, enum t13_stage stage, const uint8_t *secret, size_t len);
/* Transcript-Hash of the handshake so far into out (hash_len bytes). */
int replay_t13_th(const replay_t13 *t, uint8_t *out);
/* Adds a handshake message to the transcript. */
void replay_t13_append(replay_t13 *t, const uint8_t *msg, size_t n);
/* The next application traffic secret of dir after its KeyUpdate. */
int replay_t13_key_update(replay_t13 *t, int dir);
/* Hash, key length and AEAD of a 1.3 suite (unknown codes: SHA-256, AES-128-GCM). */
void replay_t13_use_suite(replay_t13 *t, uint16_t suite);
/* "X25519MLKEM768" ... for a named group (1.3 and hybrid codes too). */
const char *replay_t13_group_name(unsigned g);

#endif
