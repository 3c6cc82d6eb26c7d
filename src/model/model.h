/* The model every view reads: steps -> records and messages -> field spans,
 * and what each side knows after each step.
 *
 * Three producers fill it the same way (the simulator, a replayed capture and
 * a live connection), through the observer (observe.h); the views (TUI, plain
 * text, JSON) only read it. */
#ifndef SIM_MODEL_H
#define SIM_MODEL_H

#include "tls/bytes.h"
#include "tls/tls13_keys.h"

#include <stddef.h>
#include <stdint.h>

#define MODEL_LAST_STEP 7 /* 1..6 the handshake, 7 the secure channel */

/* What a message is: a handshake message by its type, a record of another
 * content type, or a protected record nobody could read. The TLS 1.3 kinds
 * are here for the 1.3 engine. model_msg_name gives each its name. */
enum model_msg_kind {
	MODEL_MSG_HELLO_REQUEST,
	MODEL_MSG_CLIENT_HELLO,
	MODEL_MSG_SERVER_HELLO,
	MODEL_MSG_HELLO_RETRY_REQUEST, /* a ServerHello by type (RFC 8446 4.1.3) */
	MODEL_MSG_NEW_SESSION_TICKET,
	MODEL_MSG_END_OF_EARLY_DATA,
	MODEL_MSG_ENCRYPTED_EXTENSIONS,
	MODEL_MSG_CERTIFICATE,
	MODEL_MSG_SERVER_KEY_EXCHANGE,
	MODEL_MSG_CERTIFICATE_REQUEST,
	MODEL_MSG_SERVER_HELLO_DONE,
	MODEL_MSG_CERTIFICATE_VERIFY,
	MODEL_MSG_CLIENT_KEY_EXCHANGE,
	MODEL_MSG_FINISHED,
	MODEL_MSG_KEY_UPDATE,
	MODEL_MSG_UNKNOWN_HANDSHAKE, /* a handshake type none of the above */
	MODEL_MSG_HANDSHAKE_FRAGMENT, /* the start of a protected message that continues later */
	MODEL_MSG_CHANGE_CIPHER_SPEC,
	MODEL_MSG_ALERT,
	MODEL_MSG_APPLICATION_DATA,
	MODEL_MSG_ENCRYPTED_HANDSHAKE, /* protected, not readable */
	MODEL_MSG_ENCRYPTED_ALERT,
	MODEL_MSG_ENCRYPTED_APPLICATION_DATA,
	MODEL_MSG_KIND_COUNT
};

typedef struct {
	enum model_msg_kind kind;
	int hs_type;          /* handshake type byte as on the wire, MODEL_HS_OPAQUE, or MODEL_NOT_HS */
	int from_server;
	int encrypted;        /* travelled under record protection */
	int decrypted;        /* its plaintext is known (bytes holds it) */
	size_t record;        /* index, in its step, of the record holding its first byte */
	size_t record_offset; /* where it starts in that record's plaintext */
	tls_buf bytes;        /* the message itself (plaintext when known) */
	tls_spans fields;     /* offsets relative to bytes */
	char note[256];       /* e.g. "verify_data matches" */
} model_msg;

/* model_msg.hs_type of a record that is not a handshake message, and of an
 * encrypted handshake message nobody could read. */
#define MODEL_NOT_HS (-1)
#define MODEL_HS_OPAQUE 256

typedef struct {
	int from_server;
	uint8_t type;     /* content type */
	int encrypted;
	tls_buf wire;     /* exactly as on the wire */
	tls_spans fields; /* offsets relative to wire; together they cover every byte */
	/* A decrypted record as its receiver holds it: the wire bytes with the
	 * ciphertext replaced by what it decrypts to (message, MAC, padding),
	 * and their spans; empty unless decrypted. */
	tls_buf opened;
	tls_spans opened_fields;
} model_record;

enum model_secret {
	MS_CLIENT_RANDOM,
	MS_SERVER_RANDOM,
	MS_PREMASTER,
	MS_MASTER,
	MS_CLIENT_MAC,
	MS_SERVER_MAC,
	MS_CLIENT_KEY,
	MS_SERVER_KEY,
	MS_CLIENT_IV,
	MS_SERVER_IV,
	MS_CLIENT_VERIFY,
	MS_SERVER_VERIFY,
	MS_COUNT
};

/* Room for the longest secret, a DHE premaster: as long as p (256 bytes
 * with ffdhe2048, TLS_MAX_PREMASTER at most), so every secret has one
 * form, its whole value. */
#define MODEL_VALUE_MAX 1024

typedef struct {
	int known;
	size_t len;
	uint8_t v[MODEL_VALUE_MAX];
} model_value;

/* One side's knowledge at the end of a step. */
typedef struct {
	model_value v[MS_COUNT];
	model_value transcript_hash;
	size_t transcript_len;
	char cert_note[320];
	int inferred; /* the peer's column of a live connection: what the
		       * protocol lets it know, inferred from ours */
	uint32_t t13_known; /* TLS 1.3: bit i = model13_at(i) is known (model13.h) */
} model_side;

typedef struct {
	int number;
	const char *title;
	model_record *rec;
	size_t n_rec, cap_rec;
	model_msg *msg;
	size_t n_msg, cap_msg;
	model_side client, server;
	int reached;
	/* Why a step is empty or out of time order (a resumed
	 * handshake skips steps 3-4 and the server's step 6 comes before step 5);
	 * "" when there is nothing to say. */
	char note[512];
} model_step;

enum model_outcome { MODEL_RUNNING, MODEL_ESTABLISHED, MODEL_ALERT, MODEL_INCOMPLETE };

typedef struct {
	char source[16];   /* simulation, replay, connect, serve */
	char scenario[32];
	uint64_t seed;
	int has_seed;
	uint16_t version;
	uint16_t suite_id;
	char suite[64];
	char server_name[256];
	char cert_subject[256];
	enum model_outcome outcome;
	struct {
		int present, by_server, level, desc, step;
		char reason[320];
	} alert;
	model_step steps[MODEL_LAST_STEP + 1]; /* [1..7] */
	int current;                           /* last step reached */
	model_value secrets[MS_COUNT];         /* final, for JSON */
	size_t key_block_len;
	uint8_t key_block[192];
	int prf_sha384;
	int ems;                  /* extended master secret (RFC 7627) */
	int etm;                  /* encrypt-then-MAC (RFC 7366) */
	model_value session_hash; /* with ems: what the master secret was made from */
	int resumed;              /* abbreviated handshake: the master secret came from a session */
	/* An attacker's flip on the wire (the simulator's --tamper): the byte at
	 * offset of record `record` of step `step` was XORed with xor_ after the
	 * sender wrote it. The sender hashed the original, the receiver what
	 * arrived: their transcripts part there. Or, with inside (scenario
	 * tls13-tampered), the simulator opened a record of step `step`, XORed
	 * a byte of its decrypted message and sealed it again; record and
	 * offset then name the wire byte that changed with it (the ciphertext
	 * byte in its place; the tag changed too). present stays 0 then, as
	 * JSON's "tamper" is an attacker's flip of one wire byte. */
	struct {
		int present, step;
		size_t record, offset;
		uint8_t xor_;
		int inside;
	} tamper;
	/* Per side (0 client, 1 server): the Hash(handshake_messages) its
	 * Finished.verify_data was computed over, and how many bytes it covers. */
	model_value finished_hash[2];
	size_t finished_len[2];
	/* TLS 1.3 (model13.h); all zero for the older versions. */
	struct {
		int active;                /* a TLS 1.3 handshake */
		int titled;                /* the steps carry the 1.3 titles (a 1.3 run, before its ServerHello too) */
		int hrr;                   /* the server asked for another key share */
		int psk_offered, psk_accepted;
		int compat;                /* middlebox compatibility mode (RFC 8446 D.4) */
		uint16_t group;            /* the key share's named group */
		uint16_t cert_verify_alg;  /* signature scheme of the server's CertificateVerify */
		tls13_sched sched;         /* the schedule as far as it went: values, labels, hashes */
	} t13;
} model;

void model_init(model *m, const char *source);
void model_free(model *m); /* zeroes secrets */
const char *model_step_title(int number);
/* JSON key of a secret: "client_random", "master_secret" ... */
const char *model_secret_key(enum model_secret s);
/* Human label: "client random", "master secret" ... */
const char *model_secret_label(enum model_secret s);
model_record *model_add_record(model_step *s);
model_msg *model_add_msg(model_step *s);
void model_value_set(model_value *v, const uint8_t *p, size_t n);
const char *model_outcome_name(enum model_outcome o);
/* How this handshake's PRF and handshake hash are named: "TLS 1.2 PRF with
 * HMAC-SHA-256" and "SHA-256", or SHA-384, or the TLS 1.0/1.1 pair. */
const char *model_prf_name(const model *m);
const char *model_hash_name(const model *m);
/* How a side's verify_data was made, with the real numbers:
 * PRF(master_secret, "client finished", SHA-256(1,371 bytes of handshake
 * messages) = 7e2c...)[0..11], the whole hash written out. Without the
 * hash, the formula alone. */
void model_finished_formula(const model *m, int server, char *out, size_t n);
/* 1371 as "1,371": a count a student copies should read like one. */
void model_thousands(char *out, size_t n, size_t v);
/* The byte of step `step` a view marks as changed by the attacker: 1 with
 * its record and its offset in that record's wire bytes, 0 when none. */
int model_tampered_byte(const model *m, int step, size_t *rec, size_t *off);
/* SHA-256 of every record in wire order, as lower-case hex: the fingerprint
 * tests pin to prove a run is byte-for-byte the same. */
void model_wire_hash(const model *m, char out[65]);
/* "ClientHello", "ChangeCipherSpec", "Encrypted handshake message" ... */
const char *model_msg_name(enum model_msg_kind k);
/* The kind of a handshake message of type byte t: MODEL_MSG_SERVER_HELLO for
 * 2 (a HelloRetryRequest is told apart by its random, not its type),
 * MODEL_MSG_UNKNOWN_HANDSHAKE for a type without a kind. */
enum model_msg_kind model_msg_kind_of_hs(int t);
/* The first message of that kind from that side in a step, or NULL. */
const model_msg *model_find_msg(const model *m, int step, enum model_msg_kind kind, int from_server);

#endif
