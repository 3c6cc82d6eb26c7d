/* TLS 1.3 (RFC 8446) inside the engine: messages, key shares and the two
 * state machines, behind the same tls_conn as TLS 1.2.
 *
 * The ClientHello and ServerHello keep their TLS 1.2 shape (legacy_version
 * 0x0303), so the 1.2 codec reads and writes them; what is new lives in
 * extensions (supported_versions, key_share, pre_shared_key, ...) and in
 * the messages that follow, which travel encrypted under the handshake
 * traffic keys. conn.c hands records and handshake messages here once
 * c->t13.on is set (after the ServerHello on the client, the ClientHello on
 * the server); everything else stays the 1.2 engine's. */
#ifndef TLS_TLS13_H
#define TLS_TLS13_H

#include "tls/conn_int.h"

#define TLS_VERSION_13        0x0304
#define TLS13_GROUP_X25519    0x001d
#define TLS13_GROUP_P256      0x0017
#define TLS13_GROUP_P384      0x0018
#define TLS13_GROUP_FFDHE2048 0x0100
#define TLS13_FFDHE2048_LEN   256

enum {
	TLS_EXT_PRE_SHARED_KEY = 41,
	TLS_EXT_EARLY_DATA = 42,
	TLS_EXT_COOKIE = 44,
	TLS_EXT_PSK_KEY_EXCHANGE_MODES = 45,
	TLS_EXT_CERTIFICATE_AUTHORITIES = 47,
	TLS_EXT_SIGNATURE_ALGORITHMS_CERT = 50,
	TLS_EXT_KEY_SHARE = 51,
};

/* ---- tls13_msg.c: codecs (bodies without the 4-byte header) ---- */

#define TLS13_MAX_SHARES 8
typedef struct {
	uint16_t group;
	const uint8_t *key; /* into the message */
	size_t len;
} tls13_share;

/* Extensions of a ClientHello that TLS 1.3 reads. */
typedef struct {
	int has_versions, has_shares, has_groups, has_sig_algs, has_modes, has_psk, has_cookie;
	uint16_t versions[16];
	size_t n_versions;
	tls13_share shares[TLS13_MAX_SHARES];
	size_t n_shares;
	int psk_dhe_ke; /* psk_key_exchange_modes offers psk_dhe_ke (1) */
	/* pre_shared_key: first identity and binder (the only ones tlsstep uses) */
	const uint8_t *identity, *binder;
	size_t identity_len, binder_len, n_identities;
	uint32_t obfuscated_age;
	size_t binders_len; /* bytes of the binders list, with its 2-byte length */
	int psk_last;       /* pre_shared_key was the last extension */
	const uint8_t *cookie;
	size_t cookie_len;
} tls13_ch_exts;

/* Reads the 1.3 extensions of a decoded ClientHello: malformed ones give
 * TLS_FAIL(decode_error), pre_shared_key not last illegal_parameter. */
TLS_MUST_USE int tls13_ch_exts_read(const tls_client_hello *ch, tls13_ch_exts *x);

/* Extensions of a ServerHello or HelloRetryRequest. */
typedef struct {
	int has_version, has_share, has_psk, has_cookie;
	uint16_t version;
	tls13_share share; /* HRR: only the group */
	uint16_t psk_identity;
	const uint8_t *cookie;
	size_t cookie_len;
} tls13_sh_exts;
TLS_MUST_USE int tls13_sh_exts_read(const tls_server_hello *sh, int hrr, tls13_sh_exts *x);

/* The HelloRetryRequest random (RFC 8446 4.1.3): SHA-256("HelloRetryRequest"). */
extern const uint8_t tls13_hrr_random[32];
/* Last 8 bytes of a ServerHello.random from a 1.3 server that chose 1.2. */
extern const uint8_t tls13_downgrade_12[8];

TLS_MUST_USE int tls13_ee_encode(tls_buf *out, const tls_ext *exts, size_t n);
TLS_MUST_USE int tls13_ee_decode(const uint8_t *p, size_t n, tls_ext *exts, size_t *n_exts, tls_spans *sp);

typedef struct {
	uint8_t context[255];
	size_t context_len;
	const uint8_t *der[TLS_MAX_CERTS];
	size_t len[TLS_MAX_CERTS];
	size_t n;
} tls13_certificate;
TLS_MUST_USE int tls13_certificate_encode(tls_buf *out, const tls13_certificate *m);
TLS_MUST_USE int tls13_certificate_decode(const uint8_t *p, size_t n, tls13_certificate *m, tls_spans *sp);

typedef struct {
	uint8_t context[255];
	size_t context_len;
	uint16_t sig_algs[32];
	size_t n_sig_algs;
	int has_sig_algs;
} tls13_cert_request;
TLS_MUST_USE int tls13_cert_request_encode(tls_buf *out, const tls13_cert_request *m);
TLS_MUST_USE int tls13_cert_request_decode(const uint8_t *p, size_t n, tls13_cert_request *m, tls_spans *sp);

TLS_MUST_USE int tls13_cert_verify_decode(const uint8_t *p, size_t n, uint16_t *alg, const uint8_t **sig,
                                          size_t *len, tls_spans *sp);
TLS_MUST_USE int tls13_finished_decode(const uint8_t *p, size_t n, size_t hash_len, tls_spans *sp);

typedef struct {
	uint32_t lifetime, age_add;
	const uint8_t *nonce, *ticket;
	size_t nonce_len, ticket_len;
	uint32_t max_early_data; /* its early_data extension (4.2.10); 0 when absent */
} tls13_ticket_msg;
TLS_MUST_USE int tls13_nst_encode(tls_buf *out, const tls13_ticket_msg *m);
TLS_MUST_USE int tls13_nst_decode(const uint8_t *p, size_t n, tls13_ticket_msg *m, tls_spans *sp);
TLS_MUST_USE int tls13_key_update_decode(const uint8_t *p, size_t n, unsigned *request, tls_spans *sp);
TLS_MUST_USE int tls13_eoed_decode(const uint8_t *p, size_t n, tls_spans *sp);

/* Extension bodies the client and server write. */
TLS_MUST_USE int tls13_ext_u16(tls_buf *out, uint16_t v); /* selected_version, group, identity */
TLS_MUST_USE int tls13_ext_u16_list(tls_buf *out, int len_bytes, const uint16_t *v, size_t n);
TLS_MUST_USE int tls13_ext_share(tls_buf *out, uint16_t group, const uint8_t *key, size_t len);
TLS_MUST_USE int tls13_ext_exts(tls_buf *out, const tls_ext *exts, size_t n); /* extensions<0..2^16-1> */

/* ---- tls13_kx.c: key shares ---- */

int tls13_group_known(uint16_t g);
/* Makes our key pair for group g (randomness from cfg->rng), public key to out. */
int tls13_share_make(tls_conn *c, uint16_t g, tls_buf *out);
/* Shared secret of our key for g and the peer's key share, into the knowledge's premaster. */
int tls13_share_agree(tls_conn *c, uint16_t g, const uint8_t *peer, size_t n);

/* ---- tls13_common.c ---- */

int tls13_hash(const tls_conn *c); /* libtomcrypt index of the suite's hash */
size_t tls13_hash_len(const tls_conn *c);
/* Hash of the transcript so far, plus extra bytes not (yet) in it. */
size_t tls13_th(tls_conn *c, const uint8_t *extra, size_t extra_len, uint8_t out[48]);
/* RFC 8446 4.4.1: replaces ClientHello1 in the transcript with message_hash. */
void tls13_transcript_hrr(tls_conn *c);
/* Installs keys from a traffic secret: direction rd (1) or wr (0). */
int tls13_install(tls_conn *c, int rd, enum tls13_traffic which);
void tls13_sync_knowledge(tls_conn *c);
int tls13_send_ccs_plain(tls_conn *c);
/* Certificate, CertificateVerify and Finished, both sides. */
int tls13_send_certificate(tls_conn *c, int with_chain);
int tls13_send_cert_verify(tls_conn *c, uint16_t alg);
int tls13_check_cert_verify(tls_conn *c, const uint8_t *msg, size_t n, const uint16_t *allowed,
                            size_t n_allowed);
int tls13_read_certificate(tls_conn *c, const uint8_t *msg, size_t n, size_t *count);
int tls13_send_finished(tls_conn *c);
int tls13_check_finished(tls_conn *c, const uint8_t *msg, size_t n);
/* Binder of a PSK over the transcript plus a truncated ClientHello. */
int tls13_binder(tls_conn *c, const tls_suite *s, const uint8_t *psk, size_t psk_len, const uint8_t *trunc,
                 size_t trunc_len, uint8_t out[48]);
/* The record layer's hooks (conn.c). */
int tls13_seal_record(tls_conn *c, uint8_t type, const uint8_t *p, size_t n);
/* Handshake, ccs, alert or data after opening; 1.3 rules for CCS. */
int tls13_post_handshake(tls_conn *c, const uint8_t *msg, size_t n);
int tls13_key_update(tls_conn *c, int rd);

/* Whether the (1.3-capable) client's hello offered this signature scheme. */
int tls13_client_offered_sig_alg(const tls_conn *c, uint16_t alg);
/* Client: keeps the 1.2 part of the hello client.c built, then sends the
 * 1.3 ClientHello (again after a HelloRetryRequest). */
int tls13_client_extend_hello(tls_conn *c, tls_client_hello *ch);
int tls13_client_send_hello(tls_conn *c);
int tls13_client_server_hello(tls_conn *c, const uint8_t *msg, size_t n, const tls_server_hello *sh);
int tls13_client_handle(tls_conn *c, enum tls_hs_type type, const uint8_t *msg, size_t n);
int tls13_server_offered(const tls_conn *c, const tls_client_hello *ch);
int tls13_server_client_hello(tls_conn *c, const uint8_t *msg, size_t n, const tls_client_hello *ch);
int tls13_server_handle(tls_conn *c, enum tls_hs_type type, const uint8_t *msg, size_t n);

/* client.c's certificate check, shared with 1.3. */
int tls_client_check_chain(tls_conn *c);

#endif
