/* TLS 1.3 message and extension codecs (RFC 8446 4.1-4.6).
 *
 * Decoders check every length against its parent, reject trailing bytes
 * (decode_error) and, given a span list, name each field with paths like
 * "certificate.certificate_list[0].cert_data" at offsets that count the
 * 4-byte handshake header, as the 1.2 codecs do. */
#include "tls/tls13.h"
#include "tls/der.h"

#include <stdio.h>
#include <string.h>

#define DECODE_ERROR TLS_FAIL(TLS_ALERT_DECODE_ERROR)
#define HDR          4

/* SHA-256("HelloRetryRequest") */
const uint8_t tls13_hrr_random[32] = {0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C,
                                      0x02, 0x1E, 0x65, 0xB8, 0x91, 0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB,
                                      0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C};
const uint8_t tls13_downgrade_12[8] = {0x44, 0x4F, 0x57, 0x4E, 0x47, 0x52, 0x44, 0x01}; /* DOWNGRD\1 */

/* ---- extension bodies we write ---- */

int tls13_ext_u16(tls_buf *out, uint16_t v)
{
	return tls_buf_u16(out, v) ? TLS_ERR_INTERNAL : 0;
}

int tls13_ext_u16_list(tls_buf *out, int len_bytes, const uint16_t *v, size_t n)
{
	size_t at = tls_buf_len_begin(out, len_bytes);
	for (size_t i = 0; i < n; i++)
		if (tls_buf_u16(out, v[i]))
			return TLS_ERR_INTERNAL;
	return tls_buf_len_end(out, at, len_bytes);
}

int tls13_ext_share(tls_buf *out, uint16_t group, const uint8_t *key, size_t len)
{
	if (tls_buf_u16(out, group))
		return TLS_ERR_INTERNAL;
	size_t at = tls_buf_len_begin(out, 2);
	if (tls_buf_put(out, key, len))
		return TLS_ERR_INTERNAL;
	return tls_buf_len_end(out, at, 2);
}

int tls13_ext_exts(tls_buf *out, const tls_ext *exts, size_t n)
{
	size_t at = tls_buf_len_begin(out, 2);
	for (size_t i = 0; i < n; i++) {
		if (tls_buf_u16(out, exts[i].type))
			return TLS_ERR_INTERNAL;
		size_t e = tls_buf_len_begin(out, 2);
		if (tls_buf_put(out, exts[i].data, exts[i].len) || tls_buf_len_end(out, e, 2))
			return TLS_ERR_INTERNAL;
	}
	return tls_buf_len_end(out, at, 2);
}

/* ---- ClientHello extensions ---- */

static int read_shares(tls_rd *r, tls13_share *v, size_t *n, size_t cap)
{
	tls_rd list;
	if (tls_rd_vec(r, 2, 0, 0xffff, &list, NULL, NULL))
		return DECODE_ERROR;
	*n = 0;
	while (tls_rd_left(&list)) {
		unsigned g;
		tls_rd key;
		if (tls_rd_u16(&list, &g, NULL, NULL) || tls_rd_vec(&list, 2, 1, 0xffff, &key, NULL, NULL))
			return DECODE_ERROR;
		for (size_t i = 0; i < *n && i < cap; i++)
			if (v[i].group == g)
				return TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER); /* 4.2.8: one share per group */
		if (*n < cap)
			v[*n] = (tls13_share){(uint16_t)g, key.p, key.len};
		(*n)++;
	}
	if (*n > cap)
		*n = cap;
	return tls_rd_done(r);
}

static int read_psk(tls_rd *r, tls13_ch_exts *x)
{
	tls_rd ids, binders;
	if (tls_rd_vec(r, 2, 7, 0xffff, &ids, NULL, NULL))
		return DECODE_ERROR;
	while (tls_rd_left(&ids)) {
		tls_rd id;
		uint8_t age[4];
		const uint8_t *a;
		if (tls_rd_vec(&ids, 2, 1, 0xffff, &id, NULL, NULL) || tls_rd_bytes(&ids, &a, 4, NULL, NULL))
			return DECODE_ERROR;
		memcpy(age, a, 4);
		if (x->n_identities++ == 0) {
			x->identity = id.p;
			x->identity_len = id.len;
			x->obfuscated_age =
			    (uint32_t)age[0] << 24 | (uint32_t)age[1] << 16 | (uint32_t)age[2] << 8 | age[3];
		}
	}
	size_t before = r->pos;
	if (tls_rd_vec(r, 2, 33, 0xffff, &binders, NULL, NULL))
		return DECODE_ERROR;
	x->binders_len = r->pos - before;
	size_t n_binders = 0;
	while (tls_rd_left(&binders)) {
		tls_rd b;
		if (tls_rd_vec(&binders, 1, 32, 255, &b, NULL, NULL))
			return DECODE_ERROR;
		if (n_binders++ == 0) {
			x->binder = b.p;
			x->binder_len = b.len;
		}
	}
	if (n_binders != x->n_identities)
		return TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER);
	return tls_rd_done(r);
}

static int read_u16s(const tls_ext *e, int len_bytes, size_t min, uint16_t *v, size_t *n, size_t cap)
{
	tls_rd r, list;
	tls_rd_init(&r, e->data, e->len, NULL, 0, NULL);
	if (tls_rd_vec(&r, len_bytes, min, 0xffff, &list, NULL, NULL) || list.len % 2)
		return DECODE_ERROR;
	*n = 0;
	while (tls_rd_left(&list)) {
		unsigned u;
		if (tls_rd_u16(&list, &u, NULL, NULL))
			return DECODE_ERROR;
		if (*n < cap)
			v[(*n)++] = (uint16_t)u;
	}
	return tls_rd_done(&r);
}

int tls13_ch_exts_read(const tls_client_hello *ch, tls13_ch_exts *x)
{
	memset(x, 0, sizeof *x);
	for (size_t i = 0; i < ch->n_exts; i++) {
		const tls_ext *e = &ch->exts[i];
		tls_rd r;
		tls_rd_init(&r, e->data, e->len, NULL, 0, NULL);
		int rc = 0;
		switch (e->type) {
		case TLS_EXT_SUPPORTED_VERSIONS:
			x->has_versions = 1;
			rc = read_u16s(e, 1, 2, x->versions, &x->n_versions, 16);
			break;
		case TLS_EXT_KEY_SHARE:
			x->has_shares = 1;
			rc = read_shares(&r, x->shares, &x->n_shares, TLS13_MAX_SHARES);
			break;
		case TLS_EXT_SUPPORTED_GROUPS: x->has_groups = 1; break;
		case TLS_EXT_SIGNATURE_ALGORITHMS: x->has_sig_algs = 1; break;
		case TLS_EXT_PSK_KEY_EXCHANGE_MODES: {
			tls_rd modes;
			x->has_modes = 1;
			rc = tls_rd_vec(&r, 1, 1, 255, &modes, NULL, NULL) ? DECODE_ERROR : tls_rd_done(&r);
			for (size_t j = 0; !rc && j < modes.len; j++)
				x->psk_dhe_ke |= modes.p[j] == 1;
			break;
		}
		case TLS_EXT_PRE_SHARED_KEY:
			x->has_psk = 1;
			x->psk_last = i + 1 == ch->n_exts;
			rc = read_psk(&r, x);
			break;
		case TLS_EXT_COOKIE: {
			tls_rd ck;
			x->has_cookie = 1;
			rc = tls_rd_vec(&r, 2, 1, 0xffff, &ck, NULL, NULL) ? DECODE_ERROR : tls_rd_done(&r);
			x->cookie = ck.p;
			x->cookie_len = ck.len;
			break;
		}
		default: break;
		}
		if (rc)
			return rc;
	}
	if (x->has_psk && !x->psk_last)
		return TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER); /* 4.2.11: pre_shared_key comes last */
	return 0;
}

int tls13_sh_exts_read(const tls_server_hello *sh, int hrr, tls13_sh_exts *x)
{
	memset(x, 0, sizeof *x);
	for (size_t i = 0; i < sh->n_exts; i++) {
		const tls_ext *e = &sh->exts[i];
		tls_rd r;
		unsigned v;
		tls_rd_init(&r, e->data, e->len, NULL, 0, NULL);
		switch (e->type) {
		case TLS_EXT_SUPPORTED_VERSIONS:
			x->has_version = 1;
			if (tls_rd_u16(&r, &v, NULL, NULL) || tls_rd_done(&r))
				return DECODE_ERROR;
			x->version = (uint16_t)v;
			break;
		case TLS_EXT_KEY_SHARE: {
			x->has_share = 1;
			if (tls_rd_u16(&r, &v, NULL, NULL))
				return DECODE_ERROR;
			x->share.group = (uint16_t)v;
			if (!hrr) {
				tls_rd key;
				if (tls_rd_vec(&r, 2, 1, 0xffff, &key, NULL, NULL))
					return DECODE_ERROR;
				x->share.key = key.p;
				x->share.len = key.len;
			}
			if (tls_rd_done(&r))
				return DECODE_ERROR;
			break;
		}
		case TLS_EXT_PRE_SHARED_KEY:
			if (hrr)
				return TLS_FAIL(TLS_ALERT_UNSUPPORTED_EXTENSION);
			x->has_psk = 1;
			if (tls_rd_u16(&r, &v, NULL, NULL) || tls_rd_done(&r))
				return DECODE_ERROR;
			x->psk_identity = (uint16_t)v;
			break;
		case TLS_EXT_COOKIE: {
			tls_rd ck;
			if (!hrr)
				return TLS_FAIL(TLS_ALERT_UNSUPPORTED_EXTENSION);
			x->has_cookie = 1;
			if (tls_rd_vec(&r, 2, 1, 0xffff, &ck, NULL, NULL) || tls_rd_done(&r))
				return DECODE_ERROR;
			x->cookie = ck.p;
			x->cookie_len = ck.len;
			break;
		}
		default:
			/* 4.1.3/4.2: nothing else the client could have offered belongs here */
			return TLS_FAIL(TLS_ALERT_UNSUPPORTED_EXTENSION);
		}
	}
	return 0;
}

/* ---- EncryptedExtensions ---- */

int tls13_ee_encode(tls_buf *out, const tls_ext *exts, size_t n)
{
	return tls13_ext_exts(out, exts, n);
}

static void ext_meaning(tls_rd *r, unsigned type)
{
	const char *nm = tls_ext_name((uint16_t)type);
	tls_rd_mean(r, "extension type %s (%u)", nm ? nm : "unknown to tlsstep", type);
}

/* extensions<0..2^16-1> under prefix, each kept in exts (cap TLS_MAX_EXTS);
 * a repeated type is decode_error (none checked when exts is NULL). in is
 * the message's handshake type: each body is shown by the hello
 * extensions' describers (tls_ext_show), for display only. */
static int exts_read(tls_rd *r, const char *prefix, int in, const char *what, tls_ext *exts, size_t *n)
{
	tls_rd all;
	char path[TLS_SPAN_PATH], tpath[TLS_SPAN_PATH + 8];
	size_t k = 0;
	snprintf(path, sizeof path, "%s.extensions", prefix);
	if (tls_rd_vec(r, 2, 0, 0xffff, &all, path, what))
		return DECODE_ERROR;
	for (size_t i = 0; tls_rd_left(&all); i++) {
		unsigned type;
		tls_rd body;
		snprintf(path, sizeof path, "%s.extensions[%zu]", prefix, i);
		snprintf(tpath, sizeof tpath, "%s.type", path);
		if (tls_rd_u16(&all, &type, tpath, "extension type"))
			return DECODE_ERROR;
		ext_meaning(&all, type);
		if (tls_rd_vec(&all, 2, 0, 0xffff, &body, path, NULL))
			return DECODE_ERROR;
		for (size_t j = 0; j < k; j++)
			if (exts[j].type == type)
				return DECODE_ERROR;
		body.prefix = path;
		tls_ext_show((uint16_t)type, &body, in);
		if (exts && k < TLS_MAX_EXTS)
			exts[k++] = (tls_ext){(uint16_t)type, body.p, body.len};
	}
	if (n)
		*n = k;
	return 0;
}

int tls13_ee_decode(const uint8_t *p, size_t n, tls_ext *exts, size_t *n_exts, tls_spans *sp)
{
	tls_rd r;
	tls_ext tmp[TLS_MAX_EXTS];
	size_t k;
	tls_rd_init(&r, p, n, sp, HDR, NULL);
	if (exts_read(&r, "encrypted_extensions", TLS_HS_ENCRYPTED_EXTENSIONS,
	              "the extensions, with their total length", exts ? exts : tmp, n_exts ? n_exts : &k))
		return DECODE_ERROR;
	return tls_rd_done(&r);
}

/* ---- Certificate (4.4.2) ---- */

int tls13_certificate_encode(tls_buf *out, const tls13_certificate *m)
{
	if (tls_buf_u8(out, (unsigned)m->context_len) || tls_buf_put(out, m->context, m->context_len))
		return TLS_ERR_INTERNAL;
	size_t at = tls_buf_len_begin(out, 3);
	for (size_t i = 0; i < m->n; i++) {
		if (tls_buf_u24(out, (uint32_t)m->len[i]) || tls_buf_put(out, m->der[i], m->len[i]) ||
		    tls_buf_u16(out, 0))
			return TLS_ERR_INTERNAL;
	}
	return tls_buf_len_end(out, at, 3);
}

int tls13_certificate_decode(const uint8_t *p, size_t n, tls13_certificate *m, tls_spans *sp)
{
	tls_rd r, ctx, list;
	char path[TLS_SPAN_PATH];
	memset(m, 0, sizeof *m);
	tls_rd_init(&r, p, n, sp, HDR, NULL);
	if (tls_rd_vec(&r, 1, 0, 255, &ctx, "certificate.certificate_request_context",
	               "context: empty from a server; a client echoes its CertificateRequest's"))
		return DECODE_ERROR;
	memcpy(m->context, ctx.p, ctx.len);
	m->context_len = ctx.len;
	if (tls_rd_vec(&r, 3, 0, 0xffffff, &list, "certificate.certificate_list",
	               "the chain, leaf first, each entry with its own extensions"))
		return DECODE_ERROR;
	for (size_t i = 0; tls_rd_left(&list); i++) {
		tls_rd der;
		snprintf(path, sizeof path, "certificate.certificate_list[%zu].cert_data", i);
		if (tls_rd_vec(&list, 3, 1, 0xffffff, &der, path,
		               i == 0 ? "the sender's own certificate (DER)"
		                      : "a CA certificate (DER) of the chain"))
			return DECODE_ERROR;
		snprintf(path, sizeof path, "certificate.certificate_list[%zu]", i);
		if (exts_read(&list, path, TLS_HS_CERTIFICATE, "this certificate's extensions (OCSP response, SCTs)",
		              NULL, NULL))
			return DECODE_ERROR;
		if (m->n >= TLS_MAX_CERTS)
			return TLS_FAIL(TLS_ALERT_BAD_CERTIFICATE);
		m->der[m->n] = der.p;
		m->len[m->n++] = der.len;
	}
	return tls_rd_done(&r);
}

/* ---- CertificateRequest (4.3.2) ---- */

int tls13_cert_request_encode(tls_buf *out, const tls13_cert_request *m)
{
	tls_buf sa = {0};
	if (tls_buf_u8(out, (unsigned)m->context_len) || tls_buf_put(out, m->context, m->context_len) ||
	    tls13_ext_u16_list(&sa, 2, m->sig_algs, m->n_sig_algs)) {
		tls_buf_free(&sa);
		return TLS_ERR_INTERNAL;
	}
	tls_ext e = {TLS_EXT_SIGNATURE_ALGORITHMS, sa.p, sa.len};
	int rc = tls13_ext_exts(out, &e, 1);
	tls_buf_free(&sa);
	return rc;
}

int tls13_cert_request_decode(const uint8_t *p, size_t n, tls13_cert_request *m, tls_spans *sp)
{
	tls_rd r, ctx;
	tls_ext exts[TLS_MAX_EXTS];
	size_t k = 0;
	memset(m, 0, sizeof *m);
	tls_rd_init(&r, p, n, sp, HDR, NULL);
	if (tls_rd_vec(&r, 1, 0, 255, &ctx, "certificate_request.certificate_request_context",
	               "context the client's Certificate must echo"))
		return DECODE_ERROR;
	memcpy(m->context, ctx.p, ctx.len);
	m->context_len = ctx.len;
	if (exts_read(&r, "certificate_request", TLS_HS_CERTIFICATE_REQUEST, "the extensions, with their total length",
	              exts, &k) ||
	    tls_rd_done(&r))
		return DECODE_ERROR;
	const tls_ext *sa = tls_ext_find(exts, k, TLS_EXT_SIGNATURE_ALGORITHMS);
	if (sa) {
		m->has_sig_algs = 1;
		if (read_u16s(sa, 2, 2, m->sig_algs, &m->n_sig_algs, 32))
			return DECODE_ERROR;
	}
	return 0;
}

/* ---- CertificateVerify, Finished ---- */

/* The two numbers of an ECDSA signature (RFC 8446 4.2.3 points to ANSI
 * X9.62: DER SEQUENCE { r INTEGER, s INTEGER }), named in the field tree.
 * Only spans: a malformed signature is the verifier's to refuse. */
static int ecdsa_spans(tls_spans *sp, size_t base, const uint8_t *sig, size_t n)
{
	static const char *const path[] = {"certificate_verify.signature.r", "certificate_verify.signature.s"};
	static const char *const mean[] = {
	    "ECDSA r: the x-coordinate of k*G mod the group order n, for a fresh random k",
	    "ECDSA s = k^-1 * (hash + r * private key) mod n"};
	tls_der d, seq;
	tls_der_item top, it;
	tls_der_init(&d, sig, n);
	if (!sp || tls_der_expect(&d, TLS_DER_SEQUENCE, &top) || tls_der_enter(&d, &top, &seq))
		return 0;
	for (int i = 0; i < 2; i++) {
		if (tls_der_expect(&seq, TLS_DER_INTEGER, &it))
			return 0;
		int lead0 = it.body_len > 1 && it.body[0] == 0; /* the sign octet that keeps it positive */
		if (tls_spans_add(sp, path[i], base + it.body_off, it.body_len, "%s (%zu bytes%s)", mean[i],
		                  it.body_len - (size_t)lead0, lead0 ? " after a 00 that keeps the INTEGER positive" : ""))
			return TLS_ERR_INTERNAL;
	}
	return 0;
}

int tls13_cert_verify_decode(const uint8_t *p, size_t n, uint16_t *alg, const uint8_t **sig, size_t *len,
                             tls_spans *sp)
{
	tls_rd r, s;
	unsigned a;
	tls_rd_init(&r, p, n, sp, HDR, NULL);
	if (tls_rd_u16(&r, &a, "certificate_verify.algorithm", "signature scheme"))
		return DECODE_ERROR;
	tls_rd_mean(&r, "signature scheme: %s (0x%04x)", tls_sig_alg_name(a), a);
	if (tls_rd_vec(&r, 2, 1, 0xffff, &s, "certificate_verify.signature",
	               "signature over 64 spaces, the context string, a zero byte and the transcript hash "
	               "(RFC 8446 4.4.3)"))
		return DECODE_ERROR;
	*alg = (uint16_t)a;
	*sig = s.p;
	*len = s.len;
	if ((a & 0xff) == 0x03 && ecdsa_spans(sp, HDR + (size_t)(s.p - p), s.p, s.len))
		return TLS_ERR_INTERNAL;
	return tls_rd_done(&r);
}

int tls13_finished_decode(const uint8_t *p, size_t n, size_t hash_len, tls_spans *sp)
{
	tls_rd r;
	tls_rd_init(&r, p, n, sp, HDR, NULL);
	if (n != hash_len)
		return DECODE_ERROR;
	tls_rd_bytes(&r, NULL, n, "finished.verify_data",
	             "HMAC of the transcript hash under the sender's finished_key");
	return tls_rd_done(&r);
}

/* ---- NewSessionTicket (4.6.1), KeyUpdate (4.6.3), EndOfEarlyData (4.5) ---- */

int tls13_nst_encode(tls_buf *out, const tls13_ticket_msg *m)
{
	uint8_t b[8] = {(uint8_t)(m->lifetime >> 24), (uint8_t)(m->lifetime >> 16),
	                (uint8_t)(m->lifetime >> 8),  (uint8_t)m->lifetime,
	                (uint8_t)(m->age_add >> 24),  (uint8_t)(m->age_add >> 16),
	                (uint8_t)(m->age_add >> 8),   (uint8_t)m->age_add};
	if (tls_buf_put(out, b, 8) || tls_buf_u8(out, (unsigned)m->nonce_len) ||
	    tls_buf_put(out, m->nonce, m->nonce_len) || tls_buf_u16(out, (unsigned)m->ticket_len) ||
	    tls_buf_put(out, m->ticket, m->ticket_len) || tls_buf_u16(out, 0))
		return TLS_ERR_INTERNAL;
	return 0;
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int tls13_nst_decode(const uint8_t *p, size_t n, tls13_ticket_msg *m, tls_spans *sp)
{
	tls_rd r, nonce, ticket;
	const uint8_t *a, *b;
	memset(m, 0, sizeof *m);
	tls_rd_init(&r, p, n, sp, HDR, NULL);
	if (tls_rd_bytes(&r, &a, 4, "new_session_ticket.ticket_lifetime", NULL))
		return DECODE_ERROR;
	tls_rd_mean(&r, "ticket_lifetime: %lu, the seconds the ticket may be used (at most 7 days)",
	            (unsigned long)be32(a));
	if (tls_rd_bytes(&r, &b, 4, "new_session_ticket.ticket_age_add", NULL))
		return DECODE_ERROR;
	tls_rd_mean(&r, "ticket_age_add: %lu, a random number added to the ticket's age, so resumptions "
	            "cannot be linked", (unsigned long)be32(b));
	if (tls_rd_vec(&r, 1, 0, 255, &nonce, "new_session_ticket.ticket_nonce",
	               "makes each ticket's PSK different: HKDF-Expand-Label(resumption_master_secret, "
	               "\"resumption\", nonce)") ||
	    tls_rd_vec(&r, 2, 1, 0xffff, &ticket, "new_session_ticket.ticket",
	               "the PSK identity the client sends back to resume"))
		return DECODE_ERROR;
	tls_ext exts[TLS_MAX_EXTS];
	size_t n_exts = 0;
	if (exts_read(&r, "new_session_ticket", TLS_HS_NEW_SESSION_TICKET, "the extensions, with their total length",
	              exts, &n_exts))
		return DECODE_ERROR;
	/* early_data (4.2.10): max_early_data_size, how much 0-RTT data the
	 * server takes with this ticket; tlsstep keeps it, sends none. */
	const tls_ext *ed = tls_ext_find(exts, n_exts, TLS_EXT_EARLY_DATA);
	if (ed && ed->len != 4)
		return DECODE_ERROR;
	m->max_early_data = ed ? be32(ed->data) : 0;
	m->lifetime = be32(a);
	m->age_add = be32(b);
	m->nonce = nonce.p;
	m->nonce_len = nonce.len;
	m->ticket = ticket.p;
	m->ticket_len = ticket.len;
	return tls_rd_done(&r);
}

int tls13_key_update_decode(const uint8_t *p, size_t n, unsigned *request, tls_spans *sp)
{
	tls_rd r;
	tls_rd_init(&r, p, n, sp, HDR, NULL);
	if (tls_rd_u8(&r, request, "key_update.request_update", NULL))
		return DECODE_ERROR;
	tls_rd_mean(&r, "request_update: %s (%u)",
	            *request == 1   ? "update_requested, the sender asks for a KeyUpdate back"
	            : *request == 0 ? "update_not_requested, the sender asks for none back"
	                            : "not a legal value",
	            *request);
	if (*request > 1)
		return TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER);
	return tls_rd_done(&r);
}

int tls13_eoed_decode(const uint8_t *p, size_t n, tls_spans *sp)
{
	(void)p;
	(void)sp;
	return n ? DECODE_ERROR : 0;
}

/* ---- display: a whole 1.3 handshake message with its fields ---- */

int tls13_hs_describe(const uint8_t *msg, size_t n, int from_server, tls_spans *sp)
{
	if (n < 4)
		return tls_hs_describe(msg, n, from_server, sp);
	const uint8_t *b = msg + 4;
	size_t len = n - 4;
	int rc;
	switch (msg[0]) {
	case TLS_HS_CLIENT_HELLO:
	case TLS_HS_SERVER_HELLO: return tls_hs_describe(msg, n, from_server, sp);
	default: break;
	}
	/* the header as the 1.2 describer records it, then the 1.3 body */
	tls_rd r;
	unsigned type;
	uint32_t l;
	char m[TLS_SPAN_MEANING];
	tls_rd_init(&r, msg, n, sp, 0, NULL);
	snprintf(m, sizeof m, "handshake type: %s (%u)", tls_hs_name(msg[0]), msg[0]);
	if (tls_rd_u8(&r, &type, "handshake.msg_type", m) ||
	    tls_rd_u24(&r, &l, "handshake.length", "length of the message body in bytes") || l != len)
		return DECODE_ERROR;
	switch (type) {
	case TLS_HS_ENCRYPTED_EXTENSIONS: rc = tls13_ee_decode(b, len, NULL, NULL, sp); break;
	case TLS_HS_CERTIFICATE: {
		tls13_certificate c;
		rc = tls13_certificate_decode(b, len, &c, sp);
		break;
	}
	case TLS_HS_CERTIFICATE_REQUEST: {
		tls13_cert_request c;
		rc = tls13_cert_request_decode(b, len, &c, sp);
		break;
	}
	case TLS_HS_CERTIFICATE_VERIFY: {
		uint16_t alg;
		const uint8_t *sig;
		size_t sl;
		rc = tls13_cert_verify_decode(b, len, &alg, &sig, &sl, sp);
		break;
	}
	case TLS_HS_FINISHED:
		rc = len == 32 || len == 48 ? tls13_finished_decode(b, len, len, sp) : DECODE_ERROR;
		break;
	case TLS_HS_NEW_SESSION_TICKET: {
		tls13_ticket_msg t;
		rc = tls13_nst_decode(b, len, &t, sp);
		break;
	}
	case TLS_HS_KEY_UPDATE: {
		unsigned req;
		rc = tls13_key_update_decode(b, len, &req, sp);
		break;
	}
	case TLS_HS_END_OF_EARLY_DATA: rc = tls13_eoed_decode(b, len, sp); break;
	default:
		rc = 0;
		if (len)
			tls_spans_add(sp, "handshake.body", 4, len,
			              "message body (not interpreted by tlsstep)");
	}
	(void)from_server;
	return rc;
}
