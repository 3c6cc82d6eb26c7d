/* Connection internals shared by conn.c (records), client.c and server.c.
 * Nothing outside src/tls/ includes this. */
#ifndef TLS_CONN_INT_H
#define TLS_CONN_INT_H

#include "tls/alert.h"
#include "tls/bytes.h"
#include "tls/conn.h"
#include "tls/msg.h"
#include "tls/protect.h"
#include "tls/tls13_keys.h"

#define TLS13_MAX_SHARES_SENT 3

#include <tomcrypt.h>

/* Where the handshake is: the message or record this side expects next. */
enum tls_hs_state {
	ST_START,
	ST_WAIT_CLIENT_HELLO,
	ST_WAIT_SERVER_HELLO,
	ST_WAIT_CERTIFICATE,
	ST_WAIT_SERVER_KEY_EXCHANGE,
	ST_WAIT_SERVER_HELLO_DONE, /* or a CertificateRequest first */
	ST_WAIT_CLIENT_CERTIFICATE,
	ST_WAIT_CLIENT_KEY_EXCHANGE,
	ST_WAIT_CERTIFICATE_VERIFY,
	ST_WAIT_CCS,
	ST_WAIT_FINISHED,
	ST_WAIT_ENCRYPTED_EXTENSIONS, /* TLS 1.3 client */
	ST_WAIT_CERT_OR_REQUEST,      /* TLS 1.3 client: Certificate or CertificateRequest */
	ST_DONE,
};

/* One row of a side's handshake table: in state `st`, a message of `type`
 * goes to `on`. A message that matches no row is unexpected. */
typedef int (*tls_hs_handler)(struct tls_conn *c, const uint8_t *msg, size_t n);
typedef struct {
	enum tls_hs_state st;
	enum tls_hs_type type;
	tls_hs_handler on;
} tls_hs_row;
/* The handler for (st, type) in a table, or NULL. */
tls_hs_handler tls_hs_lookup(const tls_hs_row *rows, size_t n, enum tls_hs_state st, enum tls_hs_type type);

/* Ephemeral keys of a DHE or ECDHE exchange (ours and the peer's public
 * value); wiped and freed with the connection. */
typedef struct {
	ecc_key ec, ec_peer;
	dh_key dh, dh_peer;
	int has_ec, has_ec_peer, has_dh, has_dh_peer;
	const void *curve; /* the tls_curve in use (kx_ecdhe.c) */
	tls_buf dh_params; /* client: the server's p, g, Ys, until the ClientKeyExchange */
} tls_kx_state;

/* One direction of TLS 1.3 record protection (tls13_record.c). */
typedef struct {
	const tls_suite *suite;
	uint8_t secret[48]; /* the traffic secret, for KeyUpdate */
	uint8_t key[32], iv[12];
	uint64_t seq;
	int on;
} tls13_dir;

/* TLS 1.3 state beside the 1.2 fields (tls13_*.c). */
typedef struct {
	int on; /* 1.3 negotiated: records and messages go to tls13_*.c */
	tls13_sched sched;
	tls13_dir rd, wr;
	tls_buf base;       /* client: the ClientHello's TLS 1.2 extensions, as wire bytes */
	uint8_t x25519[32]; /* our X25519 private key */
	int has_x25519;
	uint8_t x25519_peer[32]; /* client: a TLS 1.2 server's X25519 key (kx_ecdhe.c) */
	int has_x25519_peer;
	uint16_t shares[TLS13_MAX_SHARES_SENT]; /* client: groups it sent a share for */
	size_t n_shares;
	uint16_t group;
	const tls_suite *hrr_suite; /* client: the suite a HelloRetryRequest named */
	int hrr, ccs_sent, ccs_seen, compat;
	uint8_t cookie[512];
	size_t cookie_len;
	uint8_t legacy_sid[32]; /* the ClientHello's legacy_session_id */
	size_t legacy_sid_len;
	int psk_offered, psk_accepted;
	uint16_t psk_suite;
	uint8_t psk[48];
	size_t psk_len;
	/* authentication */
	int cert_requested;  /* client: the server sent a CertificateRequest; server: we did */
	uint8_t cr_context[255];
	size_t cr_context_len;
	uint16_t cr_sig_algs[32]; /* client: what the request allows */
	size_t n_cr_sig_algs;
	uint16_t peer_sig_algs[32]; /* server: the client's signature_algorithms */
	size_t n_peer_sig_algs;
	int peer_cert_sent;  /* server: the client's Certificate was not empty */
	unsigned tickets_sent;
	tls_session ticket; /* client: the last NewSessionTicket */
	int has_ticket;
} tls13_state;

struct tls_conn {
	tls_config cfg;
	enum tls_hs_state st;
	enum tls_status status;
	tls_buf in, out, hs_in, app_in;
	hash_state th256, th384; /* running transcript hashes */
	tls_protect rd, wr;
	int rd_on, wr_on;
	int close_sent;
	tls_knowledge k;
	int alert_sent, alert_recv, alert_recv_level;
	char error[320];
	uint16_t offered_version;
	int secure_renegotiation;
	tls_x509 peer[TLS_MAX_CERTS];
	size_t n_peer;
	uint16_t rec_version;   /* version in our record headers: 0x0303, or lower for an old client */
	tls_kx_state kx;
	/* server: the client's signature_algorithms that an RSA key can make,
	 * each once, in the client's order (the list itself may be 32,767 long) */
	uint16_t peer_sig_algs[32];
	size_t n_peer_sig_algs;
	int peer_sent_sig_algs;
	uint16_t peer_groups[32];   /* server: the client's supported_groups */
	size_t n_peer_groups;
	int peer_sent_groups, peer_sent_point_formats, peer_uncompressed_ok;
	int peer_offered_etm;
	int cert_requested;      /* client: the server asked for a certificate */
	int sent_client_cert;    /* client: and we had one to send */
	int client_cert_ok;      /* server: the client sent a certificate we must see verified */
	tls13_state t13;
};

/* Times one statement into a phase when a profile is attached. */
static inline double tls_prof_start(const tls_conn *c)
{
	return c->cfg.prof ? c->cfg.prof->clock() : 0;
}
static inline void tls_prof_stop(const tls_conn *c, int phase, double t0)
{
	if (c->cfg.prof)
		c->cfg.prof->seconds[phase] += c->cfg.prof->clock() - t0;
}
#define TLS_TIMED(c, phase, stmt)                      \
	do {                                           \
		double t0_ = tls_prof_start(c);        \
		stmt;                                  \
		tls_prof_stop(c, phase, t0_);          \
	} while (0)

/* Appends a handshake message to the transcript and updates the knowledge. */
void tls_transcript_add(tls_conn *c, const uint8_t *msg, size_t n);
/* The transcript hash with the negotiated PRF hash (SHA-256 before that). */
size_t tls_transcript_hash(tls_conn *c, uint8_t out[48]);
/* Wraps body as a handshake message, adds it to the transcript, sends it in
 * one or more records of its own. */
int tls_send_hs(tls_conn *c, enum tls_hs_type type, const tls_buf *body);
int tls_send_record(tls_conn *c, enum tls_content_type type, const uint8_t *p, size_t n);
int tls_send_ccs(tls_conn *c); /* and switch on write protection */
int tls_start_read_protection(tls_conn *c);
int tls_fail(tls_conn *c, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void tls_gmt_random(tls_conn *c, uint8_t random[32]);
int tls_derive_all(tls_conn *c);
int tls_finished_make(tls_conn *c, int from_server, uint8_t vd[12]);

/* Sends a Certificate message with the first n certificates of this side's chain. */
int tls_send_certificate(tls_conn *c, size_t n);
/* Both Finished directions, shared by full and abbreviated handshakes. */
int tls_send_finished(tls_conn *c);
int tls_check_finished(tls_conn *c, const uint8_t *msg, size_t n);
/* Parses the peer's Certificate into c->peer (adds it to the transcript). */
int tls_read_peer_chain(tls_conn *c, const uint8_t *msg, size_t n, size_t *count);
int tls_resume_keys(tls_conn *c, const tls_session *s);
void tls_established(tls_conn *c);

int tls_client_start(tls_conn *c);
int tls_client_handle(tls_conn *c, enum tls_hs_type type, const uint8_t *msg, size_t n);
int tls_server_handle(tls_conn *c, enum tls_hs_type type, const uint8_t *msg, size_t n);

#endif
