/* Field spans of the TLS 1.3 handshake messages a replay decrypts
 * (RFC 8446 4.3-4.7), so every decrypted byte has a name: the same
 * {path, offset, length, meaning} the engine's codecs record for the
 * messages in the clear. Offsets count the 4-byte handshake header. */
#include "replay/tls13.h"

#include "tls/msg.h"
#include "tls/x509.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A 32-bit field, its value in the meaning. */
static int u32(tls_rd *r, const char *path, const char *what)
{
	const uint8_t *p;
	if (tls_rd_bytes(r, &p, 4, path, NULL))
		return -1;
	tls_rd_mean(r, "%s: %lu", what,
	            (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 | p[3]);
	return 0;
}

static void ext_body(tls_rd *b, unsigned type, const char *p)
{
	char path[TLS_SPAN_PATH];
	unsigned v;
	tls_rd l, name;
	if (!tls_rd_left(b))
		return;
	switch (type) {
	case 16:
		snprintf(path, sizeof path, "%s.protocol_name_list", p);
		if (tls_rd_vec(b, 2, 2, 0xffff, &l, path, "protocols, the server's choice"))
			return;
		if (tls_rd_vec(&l, 1, 1, 255, &name, path, NULL))
			return;
		tls_rd_mean(&l, "protocol the server chose: %.*s", (int)name.len, (const char *)name.p);
		return;
	case 42:
		snprintf(path, sizeof path, "%s.max_early_data_size", p);
		(void)u32(b, path, "max_early_data_size, bytes of 0-RTT data the server accepts");
		return;
	case 28:
		snprintf(path, sizeof path, "%s.record_size_limit", p);
		(void)tls_rd_u16(b, &v, path, "largest record plaintext the server accepts");
		return;
	}
	snprintf(path, sizeof path, "%s.data", p);
	(void)tls_rd_bytes(b, &name.p, tls_rd_left(b), path, "extension data");
}

static void extensions(tls_rd *r, const char *who)
{
	char path[TLS_SPAN_PATH];
	tls_rd all;
	snprintf(path, sizeof path, "%s.extensions", who);
	if (tls_rd_vec(r, 2, 0, 0xffff, &all, path, "extensions"))
		return;
	for (size_t i = 0; tls_rd_left(&all); i++) {
		unsigned type;
		tls_rd body;
		char tpath[TLS_SPAN_PATH + 8];
		snprintf(path, sizeof path, "%s.extensions[%zu]", who, i);
		snprintf(tpath, sizeof tpath, "%s.type", path);
		if (tls_rd_u16(&all, &type, tpath, NULL))
			return;
		const char *nm = tls_ext_name((uint16_t)type);
		tls_rd_mean(&all, "extension type %s (%u)", nm ? nm : "unknown to tlsstep", type);
		if (tls_rd_vec(&all, 2, 0, 0xffff, &body, path, NULL))
			return;
		ext_body(&body, type, path);
	}
}

static void certificate(tls_rd *r, const char *who)
{
	char path[TLS_SPAN_PATH];
	tls_rd ctx, list;
	snprintf(path, sizeof path, "%s.certificate_request_context", who);
	if (tls_rd_vec(r, 1, 0, 255, &ctx, path,
	               "certificate_request_context: empty from a server, echoed by a client"))
		return;
	snprintf(path, sizeof path, "%s.certificate_list", who);
	if (tls_rd_vec(r, 3, 0, 0xffffff, &list, path, "certificate_list"))
		return;
	for (size_t i = 0; tls_rd_left(&list); i++) {
		tls_rd der;
		char p[TLS_SPAN_PATH];
		snprintf(p, sizeof p, "%s.certificate_list[%zu]", who, i);
		snprintf(path, sizeof path, "%s.cert_data", p);
		size_t at = list.base + list.pos + 3;
		if (tls_rd_vec(&list, 3, 1, 0xffffff, &der, path,
		               i ? "a certificate of the chain" : "the sender's own certificate"))
			return;
		tls_x509 *x = calloc(1, sizeof *x);
		/* a certificate that does not parse keeps the spans up to the
		 * problem; its verdict comes with CertificateVerify */
		if (x && list.spans && tls_x509_parse(der.p, der.len, x, list.spans, at, path))
			tls_x509_free(x);
		if (x)
			tls_x509_free(x);
		free(x);
		extensions(&list, p);
	}
}

static void body(tls_rd *r, int type)
{
	unsigned v;
	tls_rd sub;
	const uint8_t *p;
	switch (type) {
	case 5: break; /* EndOfEarlyData: empty */
	case 8: extensions(r, "encrypted_extensions"); break;
	case 11: certificate(r, "certificate"); break;
	case 13:
		if (!tls_rd_vec(r, 1, 0, 255, &sub, "certificate_request.certificate_request_context",
		                "certificate_request_context: the client echoes it"))
			extensions(r, "certificate_request");
		break;
	case 15:
		if (tls_rd_u16(r, &v, "certificate_verify.algorithm", NULL))
			break;
		tls_rd_mean(r, "signature scheme %s (0x%04x)", tls_sig_alg_name(v), v);
		(void)tls_rd_vec(r, 2, 1, 0xffff, &sub, "certificate_verify.signature",
		                 "signature over 64 spaces, the context string and the transcript "
		                 "hash (RFC 8446 4.4.3)");
		break;
	case 20:
		(void)tls_rd_bytes(r, &p, tls_rd_left(r), "finished.verify_data",
		                   "verify_data: HMAC(finished_key, transcript hash)");
		break;
	case 4:
		if (u32(r, "new_session_ticket.ticket_lifetime", "ticket_lifetime, seconds") ||
		    u32(r, "new_session_ticket.ticket_age_add",
		        "ticket_age_add, hides the ticket's age on the wire") ||
		    tls_rd_vec(r, 1, 0, 255, &sub, "new_session_ticket.ticket_nonce",
		               "ticket_nonce: makes each ticket's PSK different") ||
		    tls_rd_vec(r, 2, 1, 0xffff, &sub, "new_session_ticket.ticket",
		               "ticket: opaque to the client, sent back to resume"))
			break;
		extensions(r, "new_session_ticket");
		break;
	case 24:
		(void)tls_rd_u8(r, &v, "key_update.request_update",
		                "request_update: 1 asks the peer to update its keys too");
		break;
	}
}

void replay_t13_spans(const uint8_t *msg, size_t n, tls_spans *sp)
{
	tls_rd r;
	unsigned v;
	uint32_t len;
	if (n < 4)
		return;
	tls_rd_init(&r, msg, n, sp, 0, NULL);
	(void)tls_rd_u8(&r, &v, "handshake.msg_type", NULL);
	tls_rd_mean(&r, "handshake type %u: %s", v, replay_t13_hs_name((int)v));
	(void)tls_rd_u24(&r, &len, "handshake.length", "length of the message body");
	body(&r, msg[0]);
}
