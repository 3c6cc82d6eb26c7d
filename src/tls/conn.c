/* Record layer and dispatch: framing, protection, reassembly of handshake
 * messages, alerts and the sticky failure path. */
#include "tls/conn_int.h"

#include "tls/crypto.h"
#include "tls/keys.h"
#include "tls/kx.h"
#include "tls/tls13.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PLAIN 16384
#define MAX_CIPHER (16384 + 2048)

int tls_conn_new(tls_conn **out, const tls_config *cfg)
{
	if (!cfg || !cfg->rng || tls_crypto_init())
		return TLS_ERR_INTERNAL;
	if (cfg->min_version > (cfg->max_version ? cfg->max_version : TLS_VERSION_12))
		return TLS_ERR_INTERNAL; /* nothing left to offer */
	tls_conn *c = calloc(1, sizeof *c);
	if (!c)
		return TLS_ERR_INTERNAL;
	c->cfg = *cfg;
	c->st = cfg->is_server ? ST_WAIT_CLIENT_HELLO : ST_START;
	c->status = TLS_HANDSHAKING;
	c->alert_sent = -1;
	c->alert_recv = -1;
	c->rec_version = TLS_VERSION_12;
	sha256_init(&c->th256);
	sha384_init(&c->th384);
	if (cfg->server_name)
		snprintf(c->k.server_name, sizeof c->k.server_name, "%s", cfg->server_name);
	*out = c;
	return 0;
}

void tls_conn_free(tls_conn *c)
{
	if (!c)
		return;
	tls_buf_free(&c->in);
	tls_buf_free(&c->out);
	tls_buf_free(&c->hs_in);
	tls_buf_free(&c->app_in);
	tls_protect_free(&c->rd);
	tls_protect_free(&c->wr);
	for (size_t i = 0; i < c->n_peer; i++)
		tls_x509_free(&c->peer[i]);
	tls_kx_free(&c->kx);
	tls_buf_free(&c->t13.base);
	tls13_sched_free(&c->t13.sched);
	tls_wipe(c, sizeof *c);
	free(c);
}

int tls_conn_start(tls_conn *c)
{
	if (c->cfg.is_server)
		return 0;
	int rc = tls_client_start(c);
	return rc ? tls_fail(c, rc, "could not build the ClientHello") : 0;
}

enum tls_status tls_conn_status(const tls_conn *c) { return c->status; }
int tls_conn_handshake_done(const tls_conn *c) { return c->st == ST_DONE; }
size_t tls_conn_record_limit(const tls_conn *c)
{
	return c->t13.rd.on ? MAX_PLAIN + 256 : c->rd_on ? MAX_CIPHER : MAX_PLAIN;
}
const tls_knowledge *tls_conn_knowledge(const tls_conn *c) { return &c->k; }
int tls_conn_alert_sent(const tls_conn *c) { return c->alert_sent; }
const char *tls_conn_error(const tls_conn *c) { return c->error; }

int tls_conn_alert_received(const tls_conn *c, int *level)
{
	if (level)
		*level = c->alert_recv_level;
	return c->alert_recv;
}

size_t tls_conn_output(tls_conn *c, const uint8_t **p)
{
	*p = c->out.p;
	return c->out.len;
}

void tls_conn_consume(tls_conn *c, size_t n)
{
	tls_buf_consume(&c->out, n);
}

size_t tls_conn_next_record(tls_conn *c)
{
	if (c->out.len < 5)
		return 0;
	size_t n = 5 + (size_t)((c->out.p[3] << 8) | c->out.p[4]);
	return n <= c->out.len ? n : 0;
}

/* ---- sending -------------------------------------------------------- */

int tls_send_record(tls_conn *c, enum tls_content_type type, const uint8_t *p, size_t n)
{
	int rc;
	if (c->t13.wr.on)
		return tls13_seal_record(c, type, p, n);
	if (tls_buf_u8(&c->out, type) || tls_buf_u16(&c->out, c->rec_version))
		return TLS_ERR_INTERNAL;
	size_t at = tls_buf_len_begin(&c->out, 2);
	if (c->wr_on)
		TLS_TIMED(c, TLS_PH_RECORD, rc = tls_protect_seal(&c->wr, c->cfg.rng, type, c->rec_version, p, n, &c->out));
	else
		rc = tls_buf_put(&c->out, p, n);
	if (rc)
		return rc;
	return tls_buf_len_end(&c->out, at, 2);
}

int tls_send_hs(tls_conn *c, enum tls_hs_type type, const tls_buf *body)
{
	tls_buf msg = {0};
	int rc = tls_hs_wrap(&msg, type, body->p, body->len);
	size_t frag = c->cfg.max_fragment && c->cfg.max_fragment < MAX_PLAIN ? c->cfg.max_fragment
									    : MAX_PLAIN;
	if (!rc)
		tls_transcript_add(c, msg.p, msg.len);
	for (size_t off = 0; !rc && off < msg.len; off += frag) {
		size_t n = msg.len - off < frag ? msg.len - off : frag;
		rc = tls_send_record(c, TLS_CT_HANDSHAKE, msg.p + off, n);
	}
	tls_buf_free(&msg);
	return rc;
}

static int install(tls_conn *c, tls_protect *p, int server_side)
{
	const tls_keys *k = &c->k.keys;
	if (!c->k.has_keys)
		return TLS_ERR_INTERNAL;
	int rc;
	/* Key set-up (AES schedule, GCM tables) counts as record protection. */
	TLS_TIMED(c, TLS_PH_RECORD,
		  rc = server_side ? tls_protect_init(p, c->k.suite, k->server_mac, k->server_key, k->server_iv)
				   : tls_protect_init(p, c->k.suite, k->client_mac, k->client_key, k->client_iv));
	if (!rc)
		tls_protect_set_etm(p, c->k.etm);
	return rc;
}

int tls_send_ccs(tls_conn *c)
{
	const uint8_t one = 1;
	int rc = tls_send_record(c, TLS_CT_CHANGE_CIPHER_SPEC, &one, 1);
	if (!rc)
		rc = install(c, &c->wr, c->cfg.is_server);
	if (!rc)
		c->wr_on = 1;
	return rc;
}

int tls_start_read_protection(tls_conn *c)
{
	int rc = install(c, &c->rd, !c->cfg.is_server);
	if (!rc)
		c->rd_on = 1;
	return rc;
}

static void send_alert(tls_conn *c, int level, int desc)
{
	uint8_t a[2] = {(uint8_t)level, (uint8_t)desc};
	tls_send_record(c, TLS_CT_ALERT, a, 2);
}

int tls_fail(tls_conn *c, int status, const char *fmt, ...)
{
	if (c->status == TLS_FAILED)
		return status;
	int desc = tls_status_alert(status);
	if (!c->error[0] && fmt) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(c->error, sizeof c->error, fmt, ap);
		va_end(ap);
	}
	send_alert(c, TLS_ALERT_FATAL, desc);
	c->alert_sent = desc;
	c->status = TLS_FAILED;
	return status;
}

int tls_conn_send_app(tls_conn *c, const uint8_t *data, size_t n)
{
	if (c->status != TLS_ESTABLISHED)
		return TLS_ERR_INTERNAL;
	for (size_t off = 0; off < n; off += MAX_PLAIN) {
		size_t k = n - off < MAX_PLAIN ? n - off : MAX_PLAIN;
		int rc = tls_send_record(c, TLS_CT_APPLICATION_DATA, data + off, k);
		if (rc)
			return rc;
	}
	return 0;
}

int tls_conn_close(tls_conn *c)
{
	/* Also in answer to the peer's close_notify (RFC 5246 7.2.1). */
	if (c->status == TLS_FAILED || c->close_sent)
		return 0;
	c->close_sent = 1;
	send_alert(c, TLS_ALERT_WARNING, TLS_ALERT_CLOSE_NOTIFY);
	c->status = TLS_CLOSED;
	return 0;
}

size_t tls_conn_take_app(tls_conn *c, uint8_t *out, size_t cap)
{
	size_t n = c->app_in.len < cap ? c->app_in.len : cap;
	if (n)
		memcpy(out, c->app_in.p, n);
	tls_buf_consume(&c->app_in, n);
	return n;
}

/* ---- transcript and keys -------------------------------------------- */

void tls_transcript_add(tls_conn *c, const uint8_t *msg, size_t n)
{
	double t0 = tls_prof_start(c);
	sha256_process(&c->th256, msg, (unsigned long)n);
	sha384_process(&c->th384, msg, (unsigned long)n);
	c->k.transcript_len += n;
	c->k.transcript_hash_len = tls_transcript_hash(c, c->k.transcript_hash);
	tls_prof_stop(c, TLS_PH_HASH, t0);
}

const char *tls_phase_name(int phase)
{
	static const char *const names[TLS_PH_COUNT] = {
		"key_exchange", "signatures", "certificate_checks", "prf", "record_protection", "transcript_hash",
	};
	return phase >= 0 && phase < TLS_PH_COUNT ? names[phase] : "?";
}

size_t tls_transcript_hash(tls_conn *c, uint8_t out[48])
{
	/* Finish a copy so the running state goes on. */
	hash_state h;
	if (c->k.suite && c->k.suite->prf == TLS_PRF_SHA384) {
		h = c->th384;
		sha384_done(&h, out);
		return 48;
	}
	h = c->th256;
	sha256_done(&h, out);
	return 32;
}

void tls_gmt_random(tls_conn *c, uint8_t random[32])
{
	uint32_t t = (uint32_t)c->cfg.now;
	random[0] = (uint8_t)(t >> 24);
	random[1] = (uint8_t)(t >> 16);
	random[2] = (uint8_t)(t >> 8);
	random[3] = (uint8_t)t;
	tls_rng_read(c->cfg.rng, random + 4, 28);
}

int tls_derive_all(tls_conn *c)
{
	tls_knowledge *k = &c->k;
	double t0 = tls_prof_start(c);
	int rc;
	if (k->ems) {
		/* The transcript now ends with the ClientKeyExchange. */
		k->session_hash_len = tls_transcript_hash(c, k->session_hash);
		rc = tls_derive_master_ems(k->suite, k->premaster, k->premaster_len, k->session_hash,
					   k->session_hash_len, k->master);
	} else {
		rc = tls_derive_master(k->suite, k->premaster, k->premaster_len, k->client_random,
				       k->server_random, k->master);
	}
	if (!rc)
		rc = tls_derive_keys(k->suite, k->master, k->client_random, k->server_random, &k->keys);
	tls_prof_stop(c, TLS_PH_PRF, t0);
	if (rc)
		return TLS_ERR_INTERNAL;
	k->has_master = k->has_keys = 1;
	return 0;
}

int tls_finished_make(tls_conn *c, int from_server, uint8_t vd[12])
{
	uint8_t h[48];
	size_t hl = tls_transcript_hash(c, h);
	int rc;
	TLS_TIMED(c, TLS_PH_PRF, rc = tls_verify_data(c->k.suite, c->k.master, from_server, h, hl, vd));
	return rc ? TLS_ERR_INTERNAL : 0;
}

/* ---- receiving ------------------------------------------------------ */

/* A handshake message once the connection is established: a request to
 * renegotiate (ClientHello to a server, HelloRequest to a client) is
 * declined with a no_renegotiation warning and the connection goes on
 * (RFC 5246 7.2.2); anything else is out of place. */
static int after_handshake13(tls_conn *c)
{
	while (c->hs_in.len >= 4 && c->status == TLS_ESTABLISHED) {
		const uint8_t *h = c->hs_in.p;
		size_t len = ((size_t)h[1] << 16) | ((size_t)h[2] << 8) | h[3];
		if (len > tls_hs_limit(h[0]))
			return tls_fail(c, TLS_FAIL(TLS_ALERT_DECODE_ERROR), "oversized handshake message");
		if (c->hs_in.len < 4 + len)
			return 0;
		tls_buf msg = {0};
		if (tls_buf_put(&msg, h, 4 + len))
			return tls_fail(c, TLS_ERR_INTERNAL, "out of memory");
		tls_buf_consume(&c->hs_in, 4 + len);
		int rc = tls13_post_handshake(c, msg.p, msg.len);
		tls_buf_free(&msg);
		if (rc)
			return rc;
	}
	return 0;
}

static int after_handshake(tls_conn *c)
{
	if (c->t13.on)
		return after_handshake13(c);
	while (c->hs_in.len >= 4) {
		const uint8_t *h = c->hs_in.p;
		size_t len = ((size_t)h[1] << 16) | ((size_t)h[2] << 8) | h[3];
		if (len > tls_hs_limit(h[0]))
			return tls_fail(c, TLS_FAIL(TLS_ALERT_DECODE_ERROR), "oversized handshake message");
		if (c->hs_in.len < 4 + len)
			return 0;
		int renego = c->cfg.is_server ? h[0] == TLS_HS_CLIENT_HELLO : h[0] == TLS_HS_HELLO_REQUEST;
		if (!renego)
			return tls_fail(c, TLS_FAIL(TLS_ALERT_UNEXPECTED_MESSAGE),
					"%s after the handshake finished", tls_hs_name(h[0]));
		tls_buf_consume(&c->hs_in, 4 + len);
		uint8_t a[2] = {TLS_ALERT_WARNING, TLS_ALERT_NO_RENEGOTIATION};
		int rc = tls_send_record(c, TLS_CT_ALERT, a, 2);
		if (rc)
			return rc;
	}
	return 0;
}

static int handle_handshake(tls_conn *c, const uint8_t *p, size_t n)
{
	if (tls_buf_put(&c->hs_in, p, n))
		return TLS_ERR_INTERNAL;
	while (c->hs_in.len >= 4 && c->status == TLS_HANDSHAKING) {
		uint8_t *h = c->hs_in.p;
		size_t len = ((size_t)h[1] << 16) | ((size_t)h[2] << 8) | h[3];
		if (len > tls_hs_limit(h[0]))
			return tls_fail(c, TLS_FAIL(TLS_ALERT_DECODE_ERROR),
					"%s of %zu bytes is over the %zu-byte limit", tls_hs_name(h[0]), len,
					tls_hs_limit(h[0]));
		if (c->hs_in.len < 4 + len)
			return 0; /* the rest comes in later records */
		/* Copy out: a handler may send, and the buffer must stay put. */
		tls_buf msg = {0};
		if (tls_buf_put(&msg, h, 4 + len))
			return tls_fail(c, TLS_ERR_INTERNAL, "out of memory");
		tls_buf_consume(&c->hs_in, 4 + len);
		int rc = c->t13.on ? (c->cfg.is_server ? tls13_server_handle(c, msg.p[0], msg.p, msg.len)
						       : tls13_client_handle(c, msg.p[0], msg.p, msg.len))
			 : c->cfg.is_server ? tls_server_handle(c, msg.p[0], msg.p, msg.len)
					    : tls_client_handle(c, msg.p[0], msg.p, msg.len);
		tls_buf_free(&msg);
		if (rc)
			return rc;
	}
	if (c->status == TLS_ESTABLISHED && c->hs_in.len)
		return after_handshake(c);
	return 0;
}

static int handle_ccs(tls_conn *c, const uint8_t *p, size_t n)
{
	/* RFC 8446 5 states what strict TLS 1.2 peers check too: any body
	 * but the single byte 01 is unexpected_message. */
	if (tls_ccs_decode(p, n, NULL))
		return tls_fail(c, TLS_FAIL(TLS_ALERT_UNEXPECTED_MESSAGE),
				"ChangeCipherSpec body is not the single byte 01");
	if (c->t13.on || (!c->cfg.is_server && c->cfg.max_version >= TLS_VERSION_13 && c->t13.hrr)) {
		/* RFC 8446 5: during the handshake a CCS is dropped (middlebox
		 * compatibility), once only; it is never encrypted. */
		if (c->status != TLS_HANDSHAKING || c->t13.ccs_seen++)
			return tls_fail(c, TLS_FAIL(TLS_ALERT_UNEXPECTED_MESSAGE),
					"ChangeCipherSpec after the TLS 1.3 handshake or more than once");
		return 0;
	}
	if (c->st != ST_WAIT_CCS || c->hs_in.len)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_UNEXPECTED_MESSAGE),
				"ChangeCipherSpec arrived when it was not expected");
	int rc = tls_start_read_protection(c);
	if (rc)
		return tls_fail(c, rc, "could not install the read keys");
	c->st = ST_WAIT_FINISHED;
	return 0;
}

static int handle_alert(tls_conn *c, const uint8_t *p, size_t n)
{
	unsigned level, desc;
	if (tls_alert_decode(p, n, &level, &desc, NULL))
		return tls_fail(c, TLS_FAIL(TLS_ALERT_DECODE_ERROR), "malformed alert record");
	c->alert_recv = (int)desc;
	c->alert_recv_level = (int)level;
	if (desc == TLS_ALERT_CLOSE_NOTIFY) {
		/* RFC 5246 7.2.1: answer with a close_notify of our own. */
		tls_conn_close(c);
		c->status = TLS_CLOSED;
		return 0;
	}
	/* A warning does not end the connection (7.2.2); the handshake goes on.
	 * A peer that gives up sends a fatal alert or closes. */
	if (level == TLS_ALERT_WARNING)
		return 0;
	const char *nm = tls_alert_name((int)desc);
	snprintf(c->error, sizeof c->error, "the peer sent a %s alert: %s",
		 level == TLS_ALERT_FATAL ? "fatal" : "warning", nm ? nm : "unknown");
	c->status = TLS_FAILED;
	return TLS_FAIL(desc);
}

static int handle_record(tls_conn *c, uint8_t type, const uint8_t *p, size_t n)
{
	if (n == 0 && type != TLS_CT_APPLICATION_DATA)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_UNEXPECTED_MESSAGE),
				"empty %s record", tls_content_type_name(type));
	if (type != TLS_CT_HANDSHAKE && c->hs_in.len)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_UNEXPECTED_MESSAGE),
				"%s record inside a fragmented handshake message",
				tls_content_type_name(type));
	switch (type) {
	case TLS_CT_HANDSHAKE: return handle_handshake(c, p, n);
	case TLS_CT_CHANGE_CIPHER_SPEC: return handle_ccs(c, p, n);
	case TLS_CT_ALERT: return handle_alert(c, p, n);
	case TLS_CT_APPLICATION_DATA:
		if (c->status != TLS_ESTABLISHED)
			return tls_fail(c, TLS_FAIL(TLS_ALERT_UNEXPECTED_MESSAGE),
					"application data before the handshake finished");
		return tls_buf_put(&c->app_in, p, n);
	default:
		return tls_fail(c, TLS_FAIL(TLS_ALERT_UNEXPECTED_MESSAGE),
				"record of unknown content type %u", type);
	}
}

/* A TLS 1.3 protected record: open, then handle by its inner content type. */
static int open13(tls_conn *c, size_t len)
{
	tls13_dir *d = &c->t13.rd;
	uint8_t *out = malloc(len ? len : 1), inner = 0;
	size_t n = 0;
	if (!out)
		return tls_fail(c, TLS_ERR_INTERNAL, "out of memory");
	int rc;
	TLS_TIMED(c, TLS_PH_RECORD, rc = tls13_record_open(d->suite, d->key, d->iv, d->seq, c->in.p, 5 + len, out, &n, &inner));
	tls_buf_consume(&c->in, 5 + len);
	if (!rc) {
		d->seq++;
		rc = inner == TLS_CT_CHANGE_CIPHER_SPEC
			     ? tls_fail(c, TLS_FAIL(TLS_ALERT_UNEXPECTED_MESSAGE), "an encrypted ChangeCipherSpec")
			     : handle_record(c, inner, out, n);
	} else {
		rc = tls_fail(c, rc, "a protected record failed its integrity check");
	}
	tls_wipe(out, len);
	free(out);
	return rc ? rc : 1;
}

/* Frames, opens and handles one record at the head of c->in.
 * Returns 1 when a record was handled, 0 when more bytes are needed. */
static int one_record(tls_conn *c)
{
	if (c->in.len < 5)
		return 0;
	const uint8_t *h = c->in.p;
	uint8_t type = h[0];
	size_t len = (size_t)((h[3] << 8) | h[4]);
	if (type < 20 || type > 23)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_UNEXPECTED_MESSAGE),
				"record of unknown content type %u", type);
	if (h[1] != 3)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_PROTOCOL_VERSION),
				"record version %u.%u is not TLS", h[1], h[2]);
	if (len > tls_conn_record_limit(c))
		return tls_fail(c, TLS_FAIL(TLS_ALERT_RECORD_OVERFLOW),
				"record of %zu bytes is over the limit", len);
	if (c->in.len < 5 + len)
		return 0;
	int rc;
	tls_buf plain = {0};
	if (c->t13.rd.on && type == TLS_CT_APPLICATION_DATA)
		return open13(c, len);
	if (c->t13.rd.on && type == TLS_CT_HANDSHAKE)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_UNEXPECTED_MESSAGE), "an unencrypted handshake record after the keys changed");
	if (c->rd_on) {
		TLS_TIMED(c, TLS_PH_RECORD,
			  rc = tls_protect_open(&c->rd, type, (uint16_t)((h[1] << 8) | h[2]), h + 5, len, &plain));
		if (rc) {
			tls_buf_free(&plain);
			return tls_fail(c, rc, "a protected record failed its integrity check");
		}
	} else if (tls_buf_put(&plain, h + 5, len)) {
		return tls_fail(c, TLS_ERR_INTERNAL, "out of memory");
	}
	tls_buf_consume(&c->in, 5 + len);
	rc = handle_record(c, type, plain.p, plain.len);
	tls_buf_free(&plain);
	return rc ? rc : 1;
}

int tls_conn_recv(tls_conn *c, const uint8_t *in, size_t n)
{
	if (c->status == TLS_FAILED)
		return TLS_FAIL(c->alert_sent >= 0 ? c->alert_sent : TLS_ALERT_INTERNAL_ERROR);
	if (c->status == TLS_CLOSED)
		return 0;
	if (tls_buf_put(&c->in, in, n))
		return tls_fail(c, TLS_ERR_INTERNAL, "out of memory");
	int rc;
	while ((rc = one_record(c)) == 1 && c->status != TLS_FAILED && c->status != TLS_CLOSED)
		;
	return rc < 0 ? rc : 0;
}
