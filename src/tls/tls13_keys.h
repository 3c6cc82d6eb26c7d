/* The TLS 1.3 key schedule (RFC 8446 section 7), with a record of each step.
 *
 * TLS 1.3 replaces the 1.2 PRF with HKDF (RFC 5869). Three HKDF-Extract
 * calls chain the early secret (from a PSK, or zeros), the handshake secret
 * (from the (EC)DHE shared secret) and the master secret; every other secret
 * is HKDF-Expand-Label of one of them with a label ("c hs traffic", "s ap
 * traffic", ...) and the transcript hash at that point of the handshake.
 * Traffic keys and IVs, Finished keys and the PSK a ticket stands for are
 * expanded from those secrets the same way.
 *
 * HKDF-Extract/Expand are libtomcrypt's; HKDF-Expand-Label and Derive-Secret
 * (7.1) are protocol constructions and live here. A tls13_sched runs the
 * schedule in the order the protocol allows and records each derivation
 * (name, label, input, context, output) in trace[], so a key-schedule view
 * can show the tree with its real values. It does no I/O and draws no
 * randomness; transcript hashes are computed by the caller (or with
 * tls13_transcript_hash). Everything is wiped by tls13_sched_free. */
#ifndef TLS_TLS13_KEYS_H
#define TLS_TLS13_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include "tls/bytes.h" /* TLS_MUST_USE */

#define TLS13_HASH_MAX    48   /* SHA-384, the largest hash a TLS 1.3 suite uses */
#define TLS13_LABEL_MAX   249  /* "tls13 " + label fits opaque label<7..255> */
#define TLS13_CONTEXT_MAX 255  /* opaque context<0..255> */
#define TLS13_SHARED_MAX  1024 /* ffdhe8192's shared secret, the largest group */
#define TLS13_PSK_MAX     255
#define TLS13_TRACE_MAX   32

/* The four traffic secrets keys and IVs are expanded from; then the
 * exporter master secret, which a key log gives too (tls13_sched_given)
 * but nothing is expanded from here. */
enum tls13_traffic {
	TLS13_CLIENT_HANDSHAKE,
	TLS13_SERVER_HANDSHAKE,
	TLS13_CLIENT_APPLICATION,
	TLS13_SERVER_APPLICATION,
	TLS13_EXPORTER_MASTER,
};

/* One derivation. For HKDF-Extract, label is NULL, from names the salt and
 * ikm the input keying material; for HKDF-Expand-Label, from names the
 * secret expanded and context holds the transcript hash (or other context,
 * such as a ticket nonce) it was expanded with. */
typedef struct {
	const char *name;  /* RFC 8446 name: "client_handshake_traffic_secret" */
	const char *label; /* without the "tls13 " prefix, or NULL */
	const char *from;
	const char *ikm; /* extract only: "psk", "zeros", "(ec)dhe" */
	uint8_t context[TLS13_CONTEXT_MAX];
	size_t context_len;
	uint8_t value[TLS13_HASH_MAX];
	size_t len;
} tls13_step;

enum tls13_stage {
	TLS13_STAGE_NONE,
	TLS13_STAGE_EARLY,
	TLS13_STAGE_HANDSHAKE,
	TLS13_STAGE_MASTER,
	TLS13_STAGE_DONE
};

typedef struct {
	int hash; /* libtomcrypt hash index: SHA-256 or SHA-384 */
	size_t hash_len;
	enum tls13_stage stage;
	int has_psk;
	uint8_t early[TLS13_HASH_MAX], binder_key[TLS13_HASH_MAX];
	uint8_t handshake[TLS13_HASH_MAX], master[TLS13_HASH_MAX];
	uint8_t client_hs[TLS13_HASH_MAX], server_hs[TLS13_HASH_MAX];
	uint8_t client_ap[TLS13_HASH_MAX], server_ap[TLS13_HASH_MAX];
	uint8_t exporter[TLS13_HASH_MAX], resumption[TLS13_HASH_MAX];
	tls13_step trace[TLS13_TRACE_MAX];
	size_t trace_len;
} tls13_sched;

/* HKDF-Extract(salt, ikm) into out (the hash's length). */
TLS_MUST_USE int tls13_hkdf_extract(int hash, const uint8_t *salt, size_t salt_len, const uint8_t *ikm,
                                    size_t ikm_len, uint8_t *out);
/* HKDF-Expand-Label(secret, label, context, out_len) (RFC 8446 7.1): label
 * is given without "tls13 " and must be 1..TLS13_LABEL_MAX bytes, context at
 * most TLS13_CONTEXT_MAX, out_len 1..255 hash lengths; otherwise
 * TLS_ERR_INTERNAL and nothing is written. */
TLS_MUST_USE int tls13_expand_label(int hash, const uint8_t *secret, size_t secret_len, const char *label,
                                    const uint8_t *context, size_t context_len, uint8_t *out, size_t out_len);
/* Derive-Secret(secret, label, messages), given Transcript-Hash(messages)
 * (th, the hash's length): out gets the hash's length. */
TLS_MUST_USE int tls13_derive_secret(int hash, const uint8_t *secret, size_t secret_len, const char *label,
                                     const uint8_t *th, size_t th_len, uint8_t *out);
/* Hash of the concatenated handshake messages (headers included). */
TLS_MUST_USE int tls13_transcript_hash(int hash, const uint8_t *msgs, size_t len, uint8_t *out);

/* The traffic key and IV of a traffic secret (RFC 8446 7.3). */
TLS_MUST_USE int tls13_traffic_keys(int hash, const uint8_t *secret, size_t secret_len, uint8_t *key,
                                    size_t key_len, uint8_t *iv, size_t iv_len);
/* finished_key = HKDF-Expand-Label(base_key, "finished", "", Hash.length) and
 * verify_data = HMAC(finished_key, th) (RFC 8446 4.4.4); base_key is the
 * sender's handshake traffic secret. Both outputs are the hash's length;
 * finished_key may be NULL. */
TLS_MUST_USE int tls13_finished(int hash, const uint8_t *base_key, size_t base_len, const uint8_t *th,
                                size_t th_len, uint8_t *finished_key, uint8_t *verify_data);
/* The PSK a NewSessionTicket stands for (RFC 8446 4.6.1):
 * HKDF-Expand-Label(resumption_master_secret, "resumption", ticket_nonce,
 * Hash.length); the nonce is 0..255 bytes. */
TLS_MUST_USE int tls13_resumption_psk(int hash, const uint8_t *res_master, size_t res_len,
                                      const uint8_t *nonce, size_t nonce_len, uint8_t *out);

/* Starts a schedule: early secret from psk (NULL/0: no PSK, zeros), and with
 * a PSK the binder key, "res binder" for a resumption PSK, else "ext binder". */
TLS_MUST_USE int tls13_sched_init(tls13_sched *s, int hash, const uint8_t *psk, size_t psk_len,
                                  int resumption);
/* Handshake secret from the (EC)DHE shared secret (1..TLS13_SHARED_MAX
 * bytes) and both handshake traffic secrets; th_sh = Hash(ClientHello ..
 * ServerHello). */
TLS_MUST_USE int tls13_sched_handshake(tls13_sched *s, const uint8_t *shared, size_t shared_len,
                                       const uint8_t *th_sh, size_t th_len);
/* Master secret, both application traffic secrets and the exporter master
 * secret; th_sf = Hash(ClientHello .. server Finished). */
TLS_MUST_USE int tls13_sched_master(tls13_sched *s, const uint8_t *th_sf, size_t th_len);
/* Resumption master secret; th_cf = Hash(ClientHello .. client Finished). */
TLS_MUST_USE int tls13_sched_resumption(tls13_sched *s, const uint8_t *th_cf, size_t th_len);
/* A schedule whose roots are not known (a key log gives the secrets below
 * them): empty, at stage NONE, for tls13_sched_given. */
TLS_MUST_USE int tls13_sched_init_given(tls13_sched *s, int hash, int has_psk);
/* A secret Derive-Secret made over transcript hash th, known from outside
 * (a key log): kept and recorded in the trace as that derivation, and the
 * stage raised to the one that makes it, so tls13_sched_keys and
 * tls13_sched_finished can expand from it. len and th_len: the hash's. */
TLS_MUST_USE int tls13_sched_given(tls13_sched *s, enum tls13_traffic which, const uint8_t *secret, size_t len,
                                   const uint8_t *th, size_t th_len);
/* Key and IV of one traffic secret, recorded in the trace. */
TLS_MUST_USE int tls13_sched_keys(tls13_sched *s, enum tls13_traffic which, uint8_t *key, size_t key_len,
                                  uint8_t *iv, size_t iv_len);
/* Finished key and verify_data of one side (client != 0: the client's),
 * recorded in the trace; th = Hash(ClientHello .. the message before it). */
TLS_MUST_USE int tls13_sched_finished(tls13_sched *s, int client, const uint8_t *th, size_t th_len,
                                      uint8_t *verify_data);
/* The finished key alone, recorded in the trace: for a Finished whose
 * transcript is not known. */
TLS_MUST_USE int tls13_sched_finished_key(tls13_sched *s, int client);
/* The last trace step with this name, or NULL. */
const tls13_step *tls13_sched_find(const tls13_sched *s, const char *name);
/* Wipes every secret. */
void tls13_sched_free(tls13_sched *s);

#endif
