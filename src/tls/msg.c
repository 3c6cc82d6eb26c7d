#include "tls/msg.h"

#include "tls/alert.h"
#include "tls/suites.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define DECODE_ERROR TLS_FAIL(TLS_ALERT_DECODE_ERROR)
#define HDR 4 /* body offsets are shown relative to the handshake header */

int tls_hs_wrap(tls_buf *out, enum tls_hs_type type, const uint8_t *body, size_t len)
{
	if (len > 0xffffff)
		return TLS_ERR_INTERNAL;
	if (tls_buf_u8(out, type) || tls_buf_u24(out, (uint32_t)len) || tls_buf_put(out, body, len))
		return TLS_ERR_INTERNAL;
	return 0;
}

const char *tls_hs_name(enum tls_hs_type type)
{
	switch (type) {
	case TLS_HS_HELLO_REQUEST: return "HelloRequest";
	case TLS_HS_CLIENT_HELLO: return "ClientHello";
	case TLS_HS_SERVER_HELLO: return "ServerHello";
	case TLS_HS_NEW_SESSION_TICKET: return "NewSessionTicket";
	case TLS_HS_CERTIFICATE: return "Certificate";
	case TLS_HS_SERVER_KEY_EXCHANGE: return "ServerKeyExchange";
	case TLS_HS_CERTIFICATE_REQUEST: return "CertificateRequest";
	case TLS_HS_SERVER_HELLO_DONE: return "ServerHelloDone";
	case TLS_HS_CERTIFICATE_VERIFY: return "CertificateVerify";
	case TLS_HS_CLIENT_KEY_EXCHANGE: return "ClientKeyExchange";
	case TLS_HS_FINISHED: return "Finished";
	case TLS_HS_END_OF_EARLY_DATA: return "EndOfEarlyData";
	case TLS_HS_ENCRYPTED_EXTENSIONS: return "EncryptedExtensions";
	case TLS_HS_KEY_UPDATE: return "KeyUpdate";
	case TLS_HS_MESSAGE_HASH: return "message_hash";
	default: return "UnknownHandshake";
	}
}

const char *tls_version_name(unsigned v)
{
	switch (v) {
	case 0x0300: return "SSL 3.0";
	case 0x0301: return "TLS 1.0";
	case 0x0302: return "TLS 1.1";
	case 0x0303: return "TLS 1.2";
	case 0x0304: return "TLS 1.3";
	default: return NULL;
	}
}

const char *tls_group_label(unsigned v)
{
	switch (v) {
	case 23: return "secp256r1 (P-256)";
	case 24: return "secp384r1 (P-384)";
	case 25: return "secp521r1 (P-521)";
	default: return strcmp(tls_group_name(v), "unknown") ? tls_group_name(v) : NULL;
	}
}

const char *tls_content_type_name(enum tls_content_type type)
{
	switch (type) {
	case TLS_CT_CHANGE_CIPHER_SPEC: return "change_cipher_spec";
	case TLS_CT_ALERT: return "alert";
	case TLS_CT_HANDSHAKE: return "handshake";
	case TLS_CT_APPLICATION_DATA: return "application_data";
	default: return "unknown";
	}
}

/* ---- extensions ---------------------------------------------------- */

int tls_ext_encode(tls_buf *out, uint16_t type, const uint8_t *data, size_t len);

int tls_ext_encode(tls_buf *out, uint16_t type, const uint8_t *data, size_t len)
{
	if (tls_buf_u16(out, type) || tls_buf_u16(out, (unsigned)len) || tls_buf_put(out, data, len))
		return TLS_ERR_INTERNAL;
	return 0;
}


/* Paths and meanings are only read into spans: a cursor that keeps none
 * (the engine's own decoding, a replay's list) skips the formatting. */
static void fmt_if(const tls_rd *r, char *buf, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void fmt_if(const tls_rd *r, char *buf, size_t n, const char *fmt, ...)
{
	buf[0] = 0;
	if (!r->spans)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, n, fmt, ap);
	va_end(ap);
}

static int exts_encode(tls_buf *out, const tls_ext *exts, size_t n)
{
	if (n == 0)
		return 0; /* an absent extensions block, not an empty one */
	size_t at = tls_buf_len_begin(out, 2);
	for (size_t i = 0; i < n; i++)
		if (tls_ext_encode(out, exts[i].type, exts[i].data, exts[i].len))
			return TLS_ERR_INTERNAL;
	return tls_buf_len_end(out, at, 2);
}

static void describe_sni(tls_rd *r, char *name, size_t name_n)
{
	tls_rd list, host;
	unsigned type;
	if (tls_rd_vec(r, 2, 1, 0xffff, &list, "server_name_list", NULL))
		return;
	while (tls_rd_left(&list) && !list.err) {
		if (tls_rd_u8(&list, &type, "name_type", "name type: host_name (0)"))
			return;
		if (tls_rd_vec(&list, 2, 1, 0xffff, &host, "host_name", NULL))
			return;
		const uint8_t *p;
		size_t n = tls_rd_left(&host);
		char shown[256];
		snprintf(shown, sizeof shown, "%.*s", (int)(n < 255 ? n : 255), (const char *)host.p);
		for (char *c = shown; *c; c++)
			if (*c < 0x20 || *c > 0x7e)
				*c = '?';
		if (tls_rd_bytes(&host, &p, n, "host_name", NULL))
			return;
		tls_rd_mean(&host, "the host name the client wants: %s", shown);
		if (type == 0 && name && !name[0])
			snprintf(name, name_n, "%s", shown);
	}
	r->err = list.err;
}

static void sig_alg_meaning(size_t i, unsigned v, char *mean, size_t n)
{
	(void)i;
	const char *nm = tls_sig_alg_name(v);
	snprintf(mean, n, "%s (0x%04x)", strcmp(nm, "unknown") ? nm : "a scheme tlsstep does not know", v);
}

static void group_meaning(size_t i, unsigned v, char *mean, size_t n)
{
	(void)i;
	tls_group_meaning(v, mean, n);
}

/* TLS 1.3 extensions (RFC 8446 4.2): client is 0 in a ServerHello or
 * HelloRetryRequest, whose forms are shorter. */
static void describe_tls13_ext(uint16_t type, tls_rd *r, int client)
{
	tls_rd sub = {0};
	unsigned v;
	switch (type) {
	case 44: /* cookie */
		tls_rd_vec(r, 2, 1, 0xffff, &sub, "cookie", "state the server asks the client to send back");
		break;
	case 41: /* pre_shared_key */
		if (!client) {
			if (!tls_rd_u16(r, &v, "selected_identity", NULL))
				tls_rd_mean(r, "the server takes PSK identity %u: a resumed session", v);
			break;
		}
		if (!tls_rd_vec(r, 2, 7, 0xffff, &sub, "identities",
				"the tickets offered, each with its obfuscated_ticket_age (age in ms + ticket_age_add)"))
			tls_rd_vec(r, 2, 33, 0xffff, &sub, "binders",
				   "HMAC over the ClientHello so far under a key from the PSK: proves the client holds it");
		break;
	default: break;
	}
}

/* Body of one extension, for display and for the few the engine reads;
 * in is the handshake type of the message it is in (ch: a ClientHello's,
 * to fill). */
static int ext_body(uint16_t type, tls_rd *r, tls_client_hello *ch, int in)
{
	switch (type) {
	case TLS_EXT_SERVER_NAME:
		if (tls_rd_left(r))
			describe_sni(r, ch ? ch->server_name : NULL, ch ? sizeof ch->server_name : 0);
		else
			tls_ext_describe(type, r, in); /* the server's empty one: what it says */
		break;
	case TLS_EXT_SIGNATURE_ALGORITHMS: {
		tls_u16_list l = {sig_alg_meaning, NULL, ch ? ch->sig_algs : NULL,
		                  ch ? &ch->n_sig_algs : NULL,
		                  ch ? sizeof ch->sig_algs / sizeof ch->sig_algs[0] : 0};
		tls_rd_u16_list(r, "supported_signature_algorithms", &l);
		break;
	}
	case TLS_EXT_SUPPORTED_GROUPS: {
		tls_u16_list l = {group_meaning, NULL, ch ? ch->groups : NULL, ch ? &ch->n_groups : NULL,
		                  ch ? sizeof ch->groups / sizeof ch->groups[0] : 0};
		tls_rd_u16_list(r, "named_group_list", &l);
		break;
	}
	case TLS_EXT_RENEGOTIATION_INFO: {
		tls_rd sub;
		tls_rd_vec(r, 1, 0, 255, &sub, "renegotiated_connection",
			   "verify_data of the previous handshake (empty: this is the first)");
		break;
	}
	case 41: /* pre_shared_key */
	case 44: /* cookie */
		describe_tls13_ext(type, r, in == TLS_HS_CLIENT_HELLO);
		break;
	default:
		if (!tls_ext_describe(type, r, in) && tls_rd_left(r))
			tls_rd_bytes(r, NULL, tls_rd_left(r), "extension_data",
				     "extension contents (not interpreted by tlsstep)");
	}
	if (r->err)
		return r->err;
	return tls_rd_done(r);
}

void tls_ext_show(uint16_t type, tls_rd *r, int in)
{
	if (!r->spans) {
		r->pos = r->len;
		return;
	}
	size_t before = r->spans->n, pos = r->pos;
	if (!ext_body(type, r, NULL, in))
		return;
	r->spans->n = before; /* malformed: the bytes, not half a tree */
	r->err = 0;
	r->pos = pos;
	tls_rd_bytes(r, NULL, tls_rd_left(r), "extension_data", "extension contents that do not parse as this extension");
}

/* Extensions the engine acts on: kept even behind many others, so a peer
 * cannot hide one (say a non-empty renegotiation_info) past the table. */
#define ENGINE_EXTS 5
static int engine_reads(unsigned type)
{
	return type == TLS_EXT_SERVER_NAME || type == TLS_EXT_SUPPORTED_GROUPS ||
	       type == TLS_EXT_EC_POINT_FORMATS || type == TLS_EXT_SIGNATURE_ALGORITHMS ||
	       type == TLS_EXT_RENEGOTIATION_INFO;
}

static int exts_decode(tls_rd *r, const char *who, tls_ext *exts, size_t *n, tls_client_hello *ch)
{
	uint8_t seen[65536 / 8] = {0}; /* every type so far, for the duplicate check */
	tls_rd all;
	char path[TLS_SPAN_PATH];
	*n = 0;
	if (tls_rd_left(r) == 0)
		return 0; /* extensions are optional */
	fmt_if(r, path, sizeof path, "%s.extensions", who);
	if (tls_rd_vec(r, 2, 0, 0xffff, &all, path, NULL))
		return r->err;
	for (size_t i = 0; tls_rd_left(&all); i++) {
		unsigned type;
		tls_rd body;
		fmt_if(r, path, sizeof path, "%s.extensions[%zu]", who, i);
		const char *nm = tls_rd_left(&all) >= 2 ? tls_ext_name((uint16_t)((all.p[all.pos] << 8) |
										all.p[all.pos + 1]))
						       : NULL;
		char tpath[TLS_SPAN_PATH + 8];
		fmt_if(r, tpath, sizeof tpath, "%s.type", path);
		if (tls_rd_u16(&all, &type, tpath, NULL))
			return all.err;
		tls_rd_mean(&all, "extension type %s (%u)", nm ? nm : "unknown to tlsstep", type);
		if (tls_rd_vec(&all, 2, 0, 0xffff, &body, path, NULL))
			return all.err;
		if (seen[type >> 3] & (1u << (type & 7)))
			return DECODE_ERROR; /* RFC 5246 7.4.1.4: at most one of each */
		seen[type >> 3] |= (uint8_t)(1u << (type & 7));
		if (*n < TLS_MAX_EXTS - ENGINE_EXTS || (*n < TLS_MAX_EXTS && engine_reads(type))) {
			exts[*n].type = (uint16_t)type;
			exts[*n].data = body.p;
			exts[*n].len = body.len;
			(*n)++;
		}
		char bprefix[TLS_SPAN_PATH];
		fmt_if(r, bprefix, sizeof bprefix, "%s", path);
		body.prefix = bprefix;
		if (ext_body((uint16_t)type, &body, ch, ch ? TLS_HS_CLIENT_HELLO : TLS_HS_SERVER_HELLO))
			return DECODE_ERROR;
	}
	return tls_rd_done(r);
}

const tls_ext *tls_ext_find(const tls_ext *exts, size_t n, uint16_t type)
{
	for (size_t i = 0; i < n; i++)
		if (exts[i].type == type)
			return &exts[i];
	return NULL;
}

/* ---- shared hello fields ------------------------------------------- */

static void version_meaning(char *m, size_t n, unsigned v, const char *what)
{
	const char *name = v == 0x0303 ? "TLS 1.2" : v == 0x0302 ? "TLS 1.1" : v == 0x0301 ? "TLS 1.0"
			 : v == 0x0300 ? "SSL 3.0" : "unknown version";
	/* RFC 8446 4.1.2, 4.1.3: a hello of TLS 1.3 freezes this field at TLS
	 * 1.2 and says the real version in supported_versions */
	snprintf(m, n, "%s: %s (0x%04x)%s", what, name, v,
		 v != 0x0303 ? ""
		 : what[0] == 'h' ? "; only a legacy field when supported_versions follows (RFC 8446 4.1.2)"
				  : "; only a legacy field when supported_versions follows (RFC 8446 4.1.3)");
}

static int hello_common(tls_rd *r, const char *who, unsigned *version, uint8_t random[32],
			uint8_t *sid, size_t *sid_len)
{
	char path[TLS_SPAN_PATH], m[TLS_SPAN_MEANING];
	const uint8_t *p;
	tls_rd s;
	fmt_if(r, path, sizeof path, "%s.%s_version", who, who[0] == 'c' ? "client" : "server");
	m[0] = 0;
	if (r->spans && tls_rd_left(r) >= 2)
		version_meaning(m, sizeof m, (unsigned)((r->p[r->pos] << 8) | r->p[r->pos + 1]),
				who[0] == 'c' ? "highest version the client supports"
					      : "version the server chose");
	if (tls_rd_u16(r, version, path, m))
		return r->err;
	fmt_if(r, path, sizeof path, "%s.random", who);
	if (tls_rd_bytes(r, &p, 32, path, who[0] == 'c' ? "client random: 32 bytes, fresh for this handshake"
							: "server random: 32 bytes, fresh for this handshake"))
		return r->err;
	memcpy(random, p, 32);
	r->pos -= 32;
	fmt_if(r, path, sizeof path, "%s.random.gmt_unix_time", who);
	tls_rd_bytes(r, NULL, 4, path, "first 4 bytes: the sender's clock in TLS 1.2 (RFC 5246), or random; TLS 1.3 makes all 32 random");
	fmt_if(r, path, sizeof path, "%s.random.random_bytes", who);
	tls_rd_bytes(r, NULL, 28, path, "28 bytes from the sender's random generator");
	fmt_if(r, path, sizeof path, "%s.session_id", who);
	int offered = tls_rd_left(r) ? r->p[r->pos] : 0;
	if (tls_rd_vec(r, 1, 0, 32, &s, path,
		       who[0] != 'c' ? "identifier of this session, for later resumption (TLS 1.2); TLS 1.3 echoes the client's"
		       : offered ? "the session the client asks to resume (TLS 1.2), or the dummy of TLS 1.3's compatibility mode (RFC 8446 D.4)"
				 : "session to resume (empty: a new session)"))
		return r->err;
	memcpy(sid, s.p, s.len);
	*sid_len = s.len;
	return 0;
}

/* ---- ClientHello --------------------------------------------------- */

int tls_client_hello_encode(tls_buf *out, const tls_client_hello *m)
{
	if (tls_buf_u16(out, m->version) || tls_buf_put(out, m->random, 32) ||
	    tls_buf_u8(out, (unsigned)m->session_id_len) ||
	    tls_buf_put(out, m->session_id, m->session_id_len))
		return TLS_ERR_INTERNAL;
	size_t at = tls_buf_len_begin(out, 2);
	for (size_t i = 0; i < m->n_suites; i++)
		if (tls_buf_u16(out, m->suites[i]))
			return TLS_ERR_INTERNAL;
	if (tls_buf_len_end(out, at, 2) || tls_buf_u8(out, 1) /* one compression method: null */ ||
	    tls_buf_u8(out, 0))
		return TLS_ERR_INTERNAL;
	return exts_encode(out, m->exts, m->n_exts);
}

#define KEEP_USABLE 24 /* room for every suite tlsstep implements, and the SCSV */

static void suite_meaning(size_t i, unsigned v, char *mean, size_t n)
{
	const char *nm = tls_suite_iana_name((uint16_t)v);
	if (!nm && tls_is_grease(v))
		snprintf(mean, n, "GREASE (0x%04X, RFC 8701): a reserved value the server must ignore", v);
	else
		snprintf(mean, n, "%s %s (0x%04X)",
		         i == 0 ? "offered first:" : "offered:", nm ? nm : "a suite tlsstep does not implement", v);
}

/* Past the table's end only suites the server could pick are kept: a long
 * list must not hide the one acceptable suite. */
static int suite_keep(size_t n_kept, size_t cap, unsigned v)
{
	int usable = tls_suite_by_id((uint16_t)v) || v == TLS_SCSV_RENEGOTIATION;
	return n_kept < cap - KEEP_USABLE || (n_kept < cap && usable);
}

static int suites_decode(tls_rd *r, tls_client_hello *m)
{
	tls_u16_list l = {suite_meaning, suite_keep, m->suites, &m->n_suites, TLS_MAX_SUITES};
	m->n_suites = 0;
	return tls_rd_u16_list(r, "client_hello.cipher_suites", &l);
}

int tls_client_hello_decode(const uint8_t *p, size_t n, tls_client_hello *m, tls_spans *sp)
{
	tls_rd r, comp;
	unsigned v;
	memset(m, 0, sizeof *m);
	tls_rd_init(&r, p, n, sp, HDR, NULL);
	if (hello_common(&r, "client_hello", &v, m->random, m->session_id, &m->session_id_len))
		return DECODE_ERROR;
	m->version = (uint16_t)v;
	if (suites_decode(&r, m))
		return DECODE_ERROR;
	if (tls_rd_vec(&r, 1, 1, 255, &comp, "client_hello.compression_methods", NULL))
		return DECODE_ERROR;
	for (size_t i = 0; tls_rd_left(&comp); i++) {
		char path[TLS_SPAN_PATH];
		fmt_if(&comp, path, sizeof path, "client_hello.compression_methods[%zu]", i);
		tls_rd_u8(&comp, &v, path, v == 0 ? "null compression" : "a compression method");
		if (v == 0)
			m->null_compression = 1;
		tls_rd_mean(&comp, "%s (%u)", v == 0 ? "null: no compression" : v == 1 ? "DEFLATE" : "unknown method",
			    v);
	}
	if (exts_decode(&r, "client_hello", m->exts, &m->n_exts, m))
		return DECODE_ERROR;
	return tls_rd_done(&r);
}

/* ---- ServerHello --------------------------------------------------- */

int tls_server_hello_encode(tls_buf *out, const tls_server_hello *m)
{
	if (tls_buf_u16(out, m->version) || tls_buf_put(out, m->random, 32) ||
	    tls_buf_u8(out, (unsigned)m->session_id_len) ||
	    tls_buf_put(out, m->session_id, m->session_id_len) || tls_buf_u16(out, m->suite) ||
	    tls_buf_u8(out, m->compression))
		return TLS_ERR_INTERNAL;
	return exts_encode(out, m->exts, m->n_exts);
}

int tls_server_hello_decode(const uint8_t *p, size_t n, tls_server_hello *m, tls_spans *sp)
{
	tls_rd r;
	unsigned v;
	char mean[TLS_SPAN_MEANING];
	memset(m, 0, sizeof *m);
	tls_rd_init(&r, p, n, sp, HDR, NULL);
	if (hello_common(&r, "server_hello", &v, m->random, m->session_id, &m->session_id_len))
		return DECODE_ERROR;
	m->version = (uint16_t)v;
	if (tls_rd_left(&r) >= 2) {
		unsigned id = (unsigned)((r.p[r.pos] << 8) | r.p[r.pos + 1]);
		const char *nm = tls_suite_iana_name((uint16_t)id);
		fmt_if(&r, mean, sizeof mean, "the server's choice: %s (0x%04X)", nm ? nm : "a suite tlsstep does not implement", id);
	}
	if (tls_rd_u16(&r, &v, "server_hello.cipher_suite", mean))
		return DECODE_ERROR;
	m->suite = (uint16_t)v;
	if (tls_rd_u8(&r, &v, "server_hello.compression_method", "compression: null (0)"))
		return DECODE_ERROR;
	m->compression = (uint8_t)v;
	if (exts_decode(&r, "server_hello", m->exts, &m->n_exts, NULL))
		return DECODE_ERROR;
	return tls_rd_done(&r);
}

/* ---- Certificate --------------------------------------------------- */

int tls_certificate_encode(tls_buf *out, const tls_certificate_msg *m)
{
	size_t at = tls_buf_len_begin(out, 3);
	for (size_t i = 0; i < m->n; i++)
		if (tls_buf_u24(out, (uint32_t)m->len[i]) || tls_buf_put(out, m->der[i], m->len[i]))
			return TLS_ERR_INTERNAL;
	return tls_buf_len_end(out, at, 3);
}

int tls_certificate_decode(const uint8_t *p, size_t n, tls_certificate_msg *m, tls_spans *sp)
{
	tls_rd r, list, cert;
	char path[TLS_SPAN_PATH];
	memset(m, 0, sizeof *m);
	tls_rd_init(&r, p, n, sp, HDR, NULL);
	if (tls_rd_vec(&r, 3, 0, 0xffffff, &list, "certificate.certificate_list", NULL))
		return DECODE_ERROR;
	for (size_t i = 0; tls_rd_left(&list); i++) {
		fmt_if(&list, path, sizeof path, "certificate.certificate_list[%zu]", i);
		if (tls_rd_vec(&list, 3, 1, 0xffffff, &cert, path,
			       i == 0 ? "the server's own certificate (DER)"
				      : "a certificate of the chain, towards a root (DER)"))
			return DECODE_ERROR;
		if (m->n == TLS_MAX_CERTS)
			return DECODE_ERROR; /* a chain longer than any we accept */
		m->der[m->n] = cert.p;
		m->len[m->n] = cert.len;
		m->n++;
	}
	return tls_rd_done(&r);
}

int tls_server_hello_done_decode(const uint8_t *p, size_t n, tls_spans *sp)
{
	(void)p;
	(void)sp;
	return n == 0 ? 0 : DECODE_ERROR;
}

/* ---- ClientKeyExchange, Finished, Alert, ChangeCipherSpec ---------- */

int tls_cke_rsa_encode(tls_buf *out, const uint8_t *enc, size_t len)
{
	if (tls_buf_u16(out, (unsigned)len) || tls_buf_put(out, enc, len))
		return TLS_ERR_INTERNAL;
	return 0;
}

int tls_cke_rsa_decode(const uint8_t *p, size_t n, const uint8_t **enc, size_t *len,
		       tls_spans *sp)
{
	return tls_rd_only_vec(p, n, 2, 1, 0xffff, "client_key_exchange.encrypted_pre_master_secret",
			       "the premaster secret, RSA-encrypted (PKCS#1 v1.5) to the server's public key",
			       enc, len, sp)
		       ? DECODE_ERROR
		       : 0;
}

int tls_finished_encode(tls_buf *out, const uint8_t vd[12])
{
	return tls_buf_put(out, vd, 12);
}

int tls_finished_decode(const uint8_t *p, size_t n, uint8_t vd[12], tls_spans *sp)
{
	tls_rd r;
	const uint8_t *q;
	tls_rd_init(&r, p, n, sp, HDR, NULL);
	if (tls_rd_bytes(&r, &q, 12, "finished.verify_data",
			 "verify_data: PRF(master_secret, finished_label, hash of the handshake messages)[0..11]"))
		return DECODE_ERROR;
	memcpy(vd, q, 12);
	return tls_rd_done(&r);
}

int tls_alert_decode(const uint8_t *p, size_t n, unsigned *level, unsigned *desc, tls_spans *sp)
{
	tls_rd r;
	char m[TLS_SPAN_MEANING];
	tls_rd_init(&r, p, n, sp, 0, NULL);
	if (n >= 1)
		snprintf(m, sizeof m, "level: %s (%u)", p[0] == 2 ? "fatal" : p[0] == 1 ? "warning" : "unknown",
			 p[0]);
	if (tls_rd_u8(&r, level, "alert.level", m))
		return DECODE_ERROR;
	if (n >= 2) {
		const char *nm = tls_alert_name(p[1]);
		snprintf(m, sizeof m, "description: %s (%u)", nm ? nm : "unknown", p[1]);
	}
	if (tls_rd_u8(&r, desc, "alert.description", m))
		return DECODE_ERROR;
	return tls_rd_done(&r);
}

int tls_ccs_decode(const uint8_t *p, size_t n, tls_spans *sp)
{
	tls_rd r;
	unsigned v;
	tls_rd_init(&r, p, n, sp, 0, NULL);
	if (tls_rd_u8(&r, &v, "change_cipher_spec.type",
		      "change_cipher_spec (1): from the next record on, this side encrypts"))
		return DECODE_ERROR;
	if (v != 1)
		return DECODE_ERROR;
	return tls_rd_done(&r);
}

static void client_cert_meanings(tls_spans *sp, size_t from)
{
	for (size_t i = from; sp && i < sp->n; i++)
		if (!strcmp(sp->v[i].path, "certificate.certificate_list[0]"))
			tls_spans_set_meaning(sp, i, "%s", "the client's own certificate (DER): who the client is");
}

int tls_hs_describe(const uint8_t *msg, size_t n, int from_server, tls_spans *sp)
{
	return tls_hs_describe_kx(msg, n, from_server, -1, sp);
}

int tls_hs_describe_kx(const uint8_t *msg, size_t n, int from_server, int kx, tls_spans *sp)
{
	tls_rd r;
	unsigned type;
	uint32_t len;
	char m[TLS_SPAN_MEANING];
	tls_rd_init(&r, msg, n, sp, 0, NULL);
	snprintf(m, sizeof m, "handshake type: %s (%u)", n ? tls_hs_name(msg[0]) : "?", n ? msg[0] : 0);
	if (tls_rd_u8(&r, &type, "handshake.msg_type", m) ||
	    tls_rd_u24(&r, &len, "handshake.length", "length of the message body in bytes"))
		return DECODE_ERROR;
	if (len != tls_rd_left(&r))
		return DECODE_ERROR;
	const uint8_t *b = msg + 4;
	switch (type) {
	case TLS_HS_CLIENT_HELLO: {
		tls_client_hello ch;
		return tls_client_hello_decode(b, len, &ch, sp);
	}
	case TLS_HS_SERVER_HELLO: {
		tls_server_hello sh;
		return tls_server_hello_decode(b, len, &sh, sp);
	}
	case TLS_HS_CERTIFICATE: {
		tls_certificate_msg c;
		size_t before = sp ? sp->n : 0;
		int rc = tls_certificate_decode(b, len, &c, sp);
		if (!from_server)
			client_cert_meanings(sp, before);
		return rc;
	}
	case TLS_HS_SERVER_HELLO_DONE:
		return tls_server_hello_done_decode(b, len, sp);
	case TLS_HS_SERVER_KEY_EXCHANGE:
	case TLS_HS_CLIENT_KEY_EXCHANGE:
	case TLS_HS_CERTIFICATE_REQUEST:
	case TLS_HS_CERTIFICATE_VERIFY:
		return tls_hs_describe_kx_body((uint8_t)type, b, len, from_server, kx, sp);
	case TLS_HS_FINISHED: {
		uint8_t vd[12];
		return tls_finished_decode(b, len, vd, sp);
	}
	default:
		if (len)
			tls_spans_add(sp, "handshake.body", 4, len, "message body (not interpreted by tlsstep)");
		return 0;
	}
}
