/* A TLS 1.2 connection endpoint with no I/O (the engine's public face).
 *
 * Bytes from the peer go in with tls_conn_recv; bytes for the peer come out
 * of tls_conn_output / tls_conn_consume. The caller moves them (an in-memory
 * pipe, a socket, a test). A failure is sticky: the engine queues the fatal
 * alert it owes the peer, records why, and refuses further input. What each
 * side has learned so far is readable through tls_conn_knowledge, which is
 * how the simulator shows "who knows what" without reaching into the state. */
#ifndef TLS_CONN_H
#define TLS_CONN_H

#include "tls/keys.h"
#include "tls/privkey.h"
#include "tls/rng.h"
#include "tls/suites.h"
#include "tls/tls13_keys.h"
#include "tls/x509.h"

#include <stddef.h>
#include <stdint.h>

#define TLS13_TICKET_MAX 2048 /* largest ticket identity kept (openssl's are ~200 bytes) */

/* What a session leaves behind for resumption (RFC 5246 7.3): its ID, the
 * suite and the master secret. Zero it when done (tls_session_wipe). */
typedef struct {
	int valid;
	uint8_t id[32];
	size_t id_len;
	uint16_t suite;
	uint8_t master[48];
	int ems, etm; /* a resumption keeps what the session agreed (RFC 7627 5.3, RFC 7366 3.1) */
	/* TLS 1.3 (RFC 8446 4.6.1): a NewSessionTicket and the PSK it stands for */
	uint16_t version; /* 0x0304 for a ticket session, else 0 (a 1.2 session) */
	uint8_t ticket[TLS13_TICKET_MAX];
	size_t ticket_len;
	uint8_t psk[TLS13_HASH_MAX];
	size_t psk_len;
	uint32_t age_add, lifetime; /* ticket_age_add; lifetime in seconds */
	int64_t issued;             /* cfg->now when the ticket arrived (or was issued) */
	uint8_t nonce[255];         /* ticket_nonce: psk = HKDF-Expand-Label(resumption_master_secret, */
	size_t nonce_len;           /*   "resumption", nonce, hash length) (4.6.1) */
	uint32_t max_early_data;    /* the ticket's early_data extension, 0 if none */
} tls_session;

void tls_session_wipe(tls_session *s);

#define TLS_MAX_PREMASTER 1024 /* a DHE premaster is as long as p (8192 bits at most) */

/* Where a handshake's time goes, for `tlsstep bench`. The engine reads no
 * clock of its own: the caller passes one. */
enum tls_phase { TLS_PH_KX, TLS_PH_SIG, TLS_PH_CERT, TLS_PH_PRF, TLS_PH_RECORD, TLS_PH_HASH, TLS_PH_COUNT };
typedef struct {
	double (*clock)(void); /* seconds, monotonic */
	double seconds[TLS_PH_COUNT];
} tls_profile;
const char *tls_phase_name(int phase);

typedef struct tls_config {
	int is_server;
	tls_rng *rng;       /* every random byte comes from here */
	int64_t now;        /* Unix seconds: gmt_unix_time and certificate validity */
	const uint16_t *suites; /* client: offered, in order; server: accepted, in preference order */
	size_t n_suites;
	size_t max_fragment; /* largest plaintext per record we send; 0 = 16384 */
	tls_profile *prof;   /* NULL, or where to add up time per phase */
	int ems;             /* client: offer, server: accept extended_master_secret (RFC 7627) */
	int etm;             /* client: offer, server: accept encrypt_then_mac for CBC (RFC 7366) */
	/* client */
	const char *server_name;  /* checked against the certificate; sent as SNI unless an IP */
	const tls_x509 *anchors;  /* trusted roots */
	size_t n_anchors;
	int insecure;             /* skip the chain check (connect --insecure) */
	uint16_t max_version;     /* both: highest version; 0 = TLS 1.2, 0x0304 = offer/accept TLS 1.3 */
	/* both: lowest version; 0 = TLS 1.2, 0x0304 = TLS 1.3 only (needs max_version
	 * 0x0304): the client offers only 0x0304 in supported_versions and no 1.2
	 * suites; either side answers a peer that cannot do 1.3 with protocol_version. */
	uint16_t min_version;
	const tls_session *resume; /* offer to resume this session (its ID in the ClientHello) */
	/* both: own certificate chain and key (the client's only for mutual authentication) */
	const uint8_t *const *chain_der; /* leaf first */
	const size_t *chain_len;
	size_t chain_n;
	const tls_privkey *key; /* RSA or EC; TLS 1.2 needs RSA */
	/* server */
	int request_client_cert;        /* send CertificateRequest; a client must answer with one */
	const tls_x509 *client_anchors; /* roots a client certificate must chain to */
	size_t n_client_anchors;
	tls_session *session_cache;     /* one entry: filled after a full handshake, offered back */
	/* client: signature_algorithms to offer, preferred first (at most 32);
	 * NULL = rsa_pkcs1 with SHA-256, -384, -512, SHA-1 (the simulator's). */
	const uint16_t *sig_algs;
	size_t n_sig_algs;
	/* TLS 1.3 (with max_version 0x0304) */
	const uint16_t *groups;   /* named groups, preferred first; NULL = x25519, secp256r1, ffdhe2048 */
	size_t n_groups;
	size_t n_key_shares;      /* client: key_share entries for the first n groups (0 = 1) */
	const uint16_t *suites13; /* 1.3 suites; NULL = 0x1301, 0x1302, 0x1303 */
	size_t n_suites13;
	int middlebox_compat;     /* client: fake session id + ChangeCipherSpec (RFC 8446 D.4) */
	int tickets;              /* server: NewSessionTickets sent after the handshake */
} tls_config;

enum tls_status { TLS_HANDSHAKING, TLS_ESTABLISHED, TLS_FAILED, TLS_CLOSED };

/* What one side knows. Flags say which values are known yet. */
typedef struct {
	int has_client_random, has_server_random, has_premaster, has_master, has_keys;
	int has_client_verify, has_server_verify;
	/* client: master holds the cached session's master secret it offers to
	 * resume (has_master stays 0 until the server takes the offer up) */
	int has_cached_master;
	uint8_t client_random[32], server_random[32];
	uint8_t premaster[TLS_MAX_PREMASTER];
	size_t premaster_len;
	uint8_t master[48];
	tls_keys keys;
	uint8_t transcript_hash[48]; /* over every handshake message so far */
	size_t transcript_hash_len;
	size_t transcript_len;       /* bytes hashed */
	uint8_t client_verify[12], server_verify[12];
	const tls_suite *suite;      /* once chosen */
	uint16_t version;
	char server_name[256];
	/* client: the certificate check */
	int cert_checked, cert_status;
	char cert_note[320];
	char cert_field[96]; /* span path of the field that decided a refusal, or "" */
	char cert_subject[256];
	char peer_name[256];
	/* server: the client's certificate check (mutual authentication) */
	int client_cert_checked, client_cert_status;
	char client_cert_note[320];
	char client_cert_field[96]; /* as cert_field */
	/* the session and how this handshake went */
	uint8_t session_id[32];
	size_t session_id_len;
	int resumed;            /* abbreviated handshake: the master secret came from a session */
	int ems;                /* extended master secret negotiated (RFC 7627) */
	int etm;                /* encrypt-then-MAC negotiated (RFC 7366) */
	uint8_t session_hash[48]; /* with ems: the hash the master secret was made from */
	size_t session_hash_len;
	uint16_t named_group;   /* ECDHE curve or 256 (ffdhe2048) for DHE; 0 for RSA */
	uint16_t ske_sig_alg;   /* signature algorithm of the ServerKeyExchange */
	/* TLS 1.3: premaster holds the (EC)DHE shared secret, transcript_* the
	 * running 1.3 transcript (after a HelloRetryRequest, the message_hash
	 * rule of RFC 8446 4.4.1). Each value is set once this side knows it. */
	struct {
		int active;                             /* 1.3 negotiated */
		int hrr;                                /* a HelloRetryRequest happened */
		int psk_offered, psk_accepted, psk_dhe; /* resumption */
		int compat;                             /* middlebox compatibility mode used */
		uint16_t cert_verify_alg;               /* signature scheme of the server's CertificateVerify */
		tls13_sched sched;                      /* copy: secrets and trace[] so far */
		int has_hs_keys, has_ap_keys;
		size_t key_len, iv_len;
		uint8_t client_hs_key[32], client_hs_iv[12], server_hs_key[32], server_hs_iv[12];
		uint8_t client_ap_key[32], client_ap_iv[12], server_ap_key[32], server_ap_iv[12];
		/* Finished verify_data (hash length) and the transcript hash each covers */
		int has_client_finished, has_server_finished;
		uint8_t client_finished[48], server_finished[48];
		uint8_t client_finished_hash[48], server_finished_hash[48];
		size_t finished_len;
	} tls13;
} tls_knowledge;

typedef struct tls_conn tls_conn;

TLS_MUST_USE int tls_conn_new(tls_conn **out, const tls_config *cfg);
void tls_conn_free(tls_conn *c); /* zeroes every secret */
/* Client: queues the ClientHello. Server: nothing to do. */
int tls_conn_start(tls_conn *c);
/* Feeds bytes from the peer; processes every complete record. */
int tls_conn_recv(tls_conn *c, const uint8_t *in, size_t n);
/* Bytes waiting to be sent, and how many were sent. */
size_t tls_conn_output(tls_conn *c, const uint8_t **p);
void tls_conn_consume(tls_conn *c, size_t n);
/* Size of the next whole record in the output (0 if none): lets a driver
 * move one record at a time. */
size_t tls_conn_next_record(tls_conn *c);
int tls_conn_send_app(tls_conn *c, const uint8_t *data, size_t n);
/* Application data received so far (drained by tls_conn_take_app). */
size_t tls_conn_take_app(tls_conn *c, uint8_t *out, size_t cap);
int tls_conn_close(tls_conn *c); /* queues close_notify */
/* TLS 1.3, once established: sends KeyUpdate (RFC 8446 4.6.3) and moves
 * this side's write keys on; request_update asks the peer to do the same.
 * TLS_ERR_INTERNAL for a 1.2 connection or before the handshake ends. */
int tls_conn_key_update(tls_conn *c, int request_update);

enum tls_status tls_conn_status(const tls_conn *c);
/* 1 once both Finished messages checked, even if the peer closed since. */
int tls_conn_handshake_done(const tls_conn *c);
/* The longest record body the engine accepts now: 2^14, or 2^14 + 2048
 * once records are protected. Lets a driver refuse early. */
size_t tls_conn_record_limit(const tls_conn *c);
const tls_knowledge *tls_conn_knowledge(const tls_conn *c);
/* The alert this side sent (-1 if none) and the one it received. */
int tls_conn_alert_sent(const tls_conn *c);
int tls_conn_alert_received(const tls_conn *c, int *level);
/* Client, after the handshake: the session to offer next time. 0 or -1.
 * TLS 1.2: its ID, suite, master secret, ems and etm flags.
 * TLS 1.3: the last NewSessionTicket that may be used (lifetime above 0),
 * with its nonce and the PSK derived from it. */
int tls_conn_session(const tls_conn *c, tls_session *out);
/* One line saying why the connection failed, "" if it did not. */
const char *tls_conn_error(const tls_conn *c);

#endif
