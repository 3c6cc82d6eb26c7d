/* Handshake message codec (RFC 5246 7.4): one encode/decode pair per message.
 *
 * Encoders append the message body (without the 4-byte handshake header) to a
 * tls_buf; tls_hs_wrap adds the header. Decoders take the body, check every
 * length against its parent, reject trailing bytes and record a span for each
 * field when given a span list (paths like "client_hello.cipher_suites[0]",
 * offsets relative to the start of the handshake header). */
#ifndef TLS_MSG_H
#define TLS_MSG_H

#include "tls/bytes.h"

#include <stddef.h>
#include <stdint.h>

enum tls_content_type {
	TLS_CT_CHANGE_CIPHER_SPEC = 20,
	TLS_CT_ALERT = 21,
	TLS_CT_HANDSHAKE = 22,
	TLS_CT_APPLICATION_DATA = 23,
};

enum tls_hs_type {
	TLS_HS_HELLO_REQUEST = 0,
	TLS_HS_CLIENT_HELLO = 1,
	TLS_HS_SERVER_HELLO = 2,
	TLS_HS_NEW_SESSION_TICKET = 4,
	TLS_HS_END_OF_EARLY_DATA = 5,     /* TLS 1.3 */
	TLS_HS_ENCRYPTED_EXTENSIONS = 8,  /* TLS 1.3 */
	TLS_HS_CERTIFICATE = 11,
	TLS_HS_SERVER_KEY_EXCHANGE = 12,
	TLS_HS_CERTIFICATE_REQUEST = 13,
	TLS_HS_SERVER_HELLO_DONE = 14,
	TLS_HS_CERTIFICATE_VERIFY = 15,
	TLS_HS_CLIENT_KEY_EXCHANGE = 16,
	TLS_HS_FINISHED = 20,
	TLS_HS_KEY_UPDATE = 24,    /* TLS 1.3 */
	TLS_HS_MESSAGE_HASH = 254, /* TLS 1.3: stands for ClientHello1 after a HelloRetryRequest */
};

enum tls_ext_type {
	TLS_EXT_SERVER_NAME = 0,
	TLS_EXT_SUPPORTED_GROUPS = 10,
	TLS_EXT_EC_POINT_FORMATS = 11,
	TLS_EXT_SIGNATURE_ALGORITHMS = 13,
	TLS_EXT_ALPN = 16,
	TLS_EXT_ENCRYPT_THEN_MAC = 22,
	TLS_EXT_EXTENDED_MASTER_SECRET = 23,
	TLS_EXT_SESSION_TICKET = 35,
	TLS_EXT_SUPPORTED_VERSIONS = 43,
	TLS_EXT_RENEGOTIATION_INFO = 0xff01,
};

#define TLS_VERSION_12 0x0303
#define TLS_SCSV_RENEGOTIATION 0x00ff
#define TLS_MAX_HS_MSG (64 * 1024) /* cap on any handshake message we accept */
/* A ClientHello can be longer: its largest legal form (session_id 32,
 * 32,767 suites, 255 compression methods, 65,535 bytes of extensions) is
 * 131,396 bytes. Accepting exactly that much is the per-connection memory
 * cap for a hello; anything longer cannot be a ClientHello. */
#define TLS_MAX_CLIENT_HELLO (2 + 32 + 1 + 32 + 2 + 65534 + 1 + 255 + 2 + 65535)
static inline size_t tls_hs_limit(unsigned type)
{
	return type == TLS_HS_CLIENT_HELLO ? TLS_MAX_CLIENT_HELLO : TLS_MAX_HS_MSG;
}
#define TLS_MAX_SUITES 128
#define TLS_MAX_EXTS 32
#define TLS_MAX_CERTS 10

typedef struct {
	uint16_t type;
	const uint8_t *data; /* points into the decoded message */
	size_t len;
} tls_ext;

typedef struct {
	uint16_t version;
	uint8_t random[32];
	uint8_t session_id[32];
	size_t session_id_len;
	uint16_t suites[TLS_MAX_SUITES];
	size_t n_suites; /* suites beyond TLS_MAX_SUITES are checked and dropped */
	int null_compression;
	tls_ext exts[TLS_MAX_EXTS];
	size_t n_exts;
	char server_name[256]; /* from server_name, "" if absent */
	uint16_t sig_algs[32];
	size_t n_sig_algs;
	uint16_t groups[32]; /* from supported_groups */
	size_t n_groups;
} tls_client_hello;

typedef struct {
	uint16_t version;
	uint8_t random[32];
	uint8_t session_id[32];
	size_t session_id_len;
	uint16_t suite;
	uint8_t compression;
	tls_ext exts[TLS_MAX_EXTS];
	size_t n_exts;
} tls_server_hello;

typedef struct {
	const uint8_t *der[TLS_MAX_CERTS];
	size_t len[TLS_MAX_CERTS];
	size_t n;
} tls_certificate_msg;

/* Header: msg_type(1) + uint24 length, then the body. */
TLS_MUST_USE int tls_hs_wrap(tls_buf *out, enum tls_hs_type type, const uint8_t *body, size_t len);
/* "ClientHello", or "Handshake(<n>)" in buf for unknown types. */
const char *tls_hs_name(enum tls_hs_type type);
const char *tls_ext_name(uint16_t type); /* NULL when unknown */
int tls_ext_by_name(const char *name);   /* the type, -1 when unknown */
const char *tls_content_type_name(enum tls_content_type type);
/* "rsa_pss_rsae_sha256", "secp256r1"...; "unknown" for others. */
const char *tls_sig_alg_name(unsigned v);
const char *tls_group_name(unsigned v);
/* hello_exts.c: RFC 8701's reserved values (0x0a0a, 0x1a1a ... 0xfafa). */
int tls_is_grease(unsigned v);
/* "X25519MLKEM768 (0x11ec): hybrid: ..." for a field's meaning. */
void tls_group_meaning(unsigned v, char *out, size_t n);
/* "preferred: TLS 1.3 (0x0304)" for an entry of supported_versions (first:
 * no version before it but GREASE), "also: ..." for the next. */
void tls_version_list_meaning(int first, unsigned v, char *out, size_t n);
/* For a hybrid group (X25519MLKEM768...): its two parts in words; "" else. */
void tls_hybrid_parts_text(unsigned g, char *out, size_t n);
/* The first hybrid group among a ClientHello key_share body's shares, 0 if none. */
unsigned tls_key_share_hybrid(const uint8_t *p, size_t n);
/* key_share's body (RFC 8446 4.2.8), hybrid shares split into their parts. */
void tls_key_share_describe(tls_rd *r, int client);
/* The body of extension type as child fields (display), or for the ones the
 * engine reads a strict decode (in the hellos); 0 when tlsstep has no
 * describer for it. in: the handshake type of the message it is in
 * (TLS_HS_CLIENT_HELLO, TLS_HS_SERVER_HELLO, TLS_HS_ENCRYPTED_EXTENSIONS...),
 * as some extensions have a body per message (RFC 8446 4.2). */
int tls_ext_describe(uint16_t type, tls_rd *r, int in);
/* One extension's body in a TLS 1.3 message after the hellos (in:
 * EncryptedExtensions, Certificate, CertificateRequest, NewSessionTicket),
 * for display only, by the hellos' describers: a body that does not parse
 * is shown as its bytes, never an error; nothing without spans. */
void tls_ext_show(uint16_t type, tls_rd *r, int in);
/* For a learner: "secp256r1 (P-256)", with the NIST name where there is
 * one; NULL for a group tlsstep does not know. */
const char *tls_group_label(unsigned v);
/* "TLS 1.2" for 0x0303 and so on back to SSL 3.0; NULL for anything else. */
const char *tls_version_name(unsigned version);

TLS_MUST_USE int tls_client_hello_encode(tls_buf *out, const tls_client_hello *m);
TLS_MUST_USE int tls_client_hello_decode(const uint8_t *p, size_t n, tls_client_hello *m, tls_spans *sp);
TLS_MUST_USE int tls_server_hello_encode(tls_buf *out, const tls_server_hello *m);
TLS_MUST_USE int tls_server_hello_decode(const uint8_t *p, size_t n, tls_server_hello *m, tls_spans *sp);
TLS_MUST_USE int tls_certificate_encode(tls_buf *out, const tls_certificate_msg *m);
TLS_MUST_USE int tls_certificate_decode(const uint8_t *p, size_t n, tls_certificate_msg *m, tls_spans *sp);
TLS_MUST_USE int tls_server_hello_done_decode(const uint8_t *p, size_t n, tls_spans *sp);
/* RSA ClientKeyExchange: EncryptedPreMasterSecret with its uint16 length. */
TLS_MUST_USE int tls_cke_rsa_encode(tls_buf *out, const uint8_t *enc, size_t len);
TLS_MUST_USE int tls_cke_rsa_decode(const uint8_t *p, size_t n, const uint8_t **enc, size_t *len,
                                    tls_spans *sp);
TLS_MUST_USE int tls_finished_encode(tls_buf *out, const uint8_t vd[12]);
TLS_MUST_USE int tls_finished_decode(const uint8_t *p, size_t n, uint8_t vd[12], tls_spans *sp);
TLS_MUST_USE int tls_alert_decode(const uint8_t *p, size_t n, unsigned *level, unsigned *desc, tls_spans *sp);
TLS_MUST_USE int tls_ccs_decode(const uint8_t *p, size_t n, tls_spans *sp);

/* ---- kx_msg.c: messages of DHE/ECDHE suites and mutual authentication -- */

typedef struct {
	unsigned curve_type, named_curve; /* ECDHE: ECParameters */
	const uint8_t *point;             /* ECDHE: the server's ECPoint */
	size_t point_len;
	const uint8_t *dh_p, *dh_g, *dh_ys; /* DHE: ServerDHParams */
	size_t dh_p_len, dh_g_len, dh_ys_len;
	const uint8_t *params; /* the ServerParams bytes, as signed */
	size_t params_len;
	uint16_t sig_alg;
	const uint8_t *sig;
	size_t sig_len;
} tls_ske;

typedef struct {
	uint8_t types[16];
	size_t n_types;
	uint16_t sig_algs[32];
	size_t n_sig_algs;
	const uint8_t *cas[16]; /* DER Names */
	size_t ca_len[16];
	size_t n_cas;
} tls_cert_request;

/* ecdhe: 1 for ECDHE, 0 for DHE. A curve_type other than named_curve gives
 * TLS_FAIL(handshake_failure); any other malformation decode_error. */
TLS_MUST_USE int tls_ske_decode(const uint8_t *p, size_t n, int ecdhe, tls_ske *m, tls_spans *sp);
TLS_MUST_USE int tls_ecdhe_params_encode(tls_buf *out, unsigned curve, const uint8_t *pt, size_t n);
TLS_MUST_USE int tls_dhe_params_encode(tls_buf *out, const uint8_t *p, size_t pl, const uint8_t *g, size_t gl,
                                       const uint8_t *ys, size_t yl);
/* digitally-signed: SignatureAndHashAlgorithm + signature<0..2^16-1>. */
TLS_MUST_USE int tls_signed_encode(tls_buf *out, uint16_t alg, const uint8_t *sig, size_t n);
TLS_MUST_USE int tls_cke_ecdhe_encode(tls_buf *out, const uint8_t *pt, size_t n);
TLS_MUST_USE int tls_cke_ecdhe_decode(const uint8_t *p, size_t n, const uint8_t **pt, size_t *len,
                                      tls_spans *sp);
/* DHE's ClientKeyExchange has the RSA one's shape: use tls_cke_rsa_encode. */
TLS_MUST_USE int tls_cke_dhe_decode(const uint8_t *p, size_t n, const uint8_t **y, size_t *len,
                                    tls_spans *sp);
TLS_MUST_USE int tls_cert_request_encode(tls_buf *out, const tls_cert_request *m);
TLS_MUST_USE int tls_cert_request_decode(const uint8_t *p, size_t n, tls_cert_request *m, tls_spans *sp);
TLS_MUST_USE int tls_cert_verify_decode(const uint8_t *p, size_t n, uint16_t *alg, const uint8_t **sig,
                                        size_t *len, tls_spans *sp);
/* Body spans of ServerKeyExchange, ClientKeyExchange, CertificateRequest and
 * CertificateVerify; kx is the suite's enum tls_kx, or -1 when unknown (then
 * the shape decides). Returns 1 for other message types. */
int tls_hs_describe_kx_body(enum tls_hs_type type, const uint8_t *b, size_t len, int from_server, int kx,
                            tls_spans *sp);

/* Decodes any whole handshake message (header + body) for display: records
 * the header spans and the body's spans. Returns the decoder's status.
 * Key exchange messages are read by their shape; an observer that knows the
 * suite should call tls_hs_describe_kx, which reads them exactly. */
int tls_hs_describe(const uint8_t *msg, size_t n, int from_server, tls_spans *sp);
/* kx: the suite's enum tls_kx, or -1 when unknown. */
int tls_hs_describe_kx(const uint8_t *msg, size_t n, int from_server, int kx, tls_spans *sp);

/* The same for a message of a TLS 1.3 handshake (tls13_msg.c): Certificate,
 * CertificateRequest, CertificateVerify, Finished and NewSessionTicket have
 * their 1.3 shapes, and EncryptedExtensions, KeyUpdate, EndOfEarlyData
 * exist; the hellos are read as by tls_hs_describe. */
int tls13_hs_describe(const uint8_t *msg, size_t n, int from_server, tls_spans *sp);

/* Finds an extension by type; NULL when absent. */
const tls_ext *tls_ext_find(const tls_ext *exts, size_t n, uint16_t type);

#endif
