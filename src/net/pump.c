#include "net/pump.h"

#include "model/knowledge.h"
#include "tls/msg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int pump_init(pump *p, int fd, tls_conn *c, model *m, int is_server)
{
	memset(p, 0, sizeof *p);
	p->fd = fd;
	p->c = c;
	p->m = m;
	p->is_server = is_server;
	p->obs = obs_new(m);
	return p->obs ? 0 : -1;
}

void pump_free(pump *p)
{
	tls_buf_free(&p->in);
	obs_free(p->obs);
	p->obs = NULL;
}

static void snapshot(pump *p, int step)
{
	model_side *mine = p->is_server ? &p->m->steps[step].server : &p->m->steps[step].client;
	knowledge_snapshot(mine, tls_conn_knowledge(p->c));
	p->m->steps[step].reached = 1;
	knowledge_merge_secrets(p->m, tls_conn_knowledge(p->c));
	if (!obs_has_master(p->obs) && tls_conn_knowledge(p->c)->has_master)
		obs_set_master(p->obs, tls_conn_knowledge(p->c)->master);
}

/* An alert belongs to the step in progress; after the handshake, to the
 * secure channel. */
static int alert_step(pump *p)
{
	return tls_conn_handshake_done(p->c) ? MODEL_LAST_STEP : obs_last_step(p->obs);
}

int pump_take(pump *p, tls_buf *out)
{
	size_t n;
	const uint8_t *rec;
	while ((n = tls_conn_next_record(p->c)) > 0) {
		tls_conn_output(p->c, &rec);
		obs_take_tls13_keys(p->obs, tls_conn_knowledge(p->c));
		int alert = rec[0] == TLS_CT_ALERT;
		int step = obs_record(p->obs, p->is_server, rec, n, alert ? alert_step(p) : 0);
		if (tls_buf_put(out, rec, n))
			return -1;
		tls_conn_consume(p->c, n);
		if (step > 0)
			snapshot(p, step);
	}
	return 0;
}

int pump_feed(pump *p, const uint8_t *buf, size_t len)
{
	if (tls_buf_put(&p->in, buf, len))
		return -1;
	while (p->in.len >= 5) {
		size_t n = 5 + (size_t)((p->in.p[3] << 8) | p->in.p[4]);
		/* A header the engine will refuse anyway (unknown type, not TLS,
		 * longer than any record may be) goes to it now: waiting for a body
		 * that may never come would turn an alert into a timeout. */
		int bad_header = p->in.p[0] < 20 || p->in.p[0] > 23 || p->in.p[1] != 3 ||
		                 n > 5 + tls_conn_record_limit(p->c);
		if (bad_header || n > p->in.len) {
			if (bad_header) /* let the engine name the problem */
				tls_conn_recv(p->c, p->in.p, p->in.len), tls_buf_clear(&p->in);
			return 0;
		}
		int alert = p->in.p[0] == TLS_CT_ALERT;
		int step = obs_record(p->obs, !p->is_server, p->in.p, n, alert ? alert_step(p) : 0);
		tls_conn_recv(p->c, p->in.p, n);
		obs_take_tls13_keys(p->obs, tls_conn_knowledge(p->c)); /* for the records after it */
		tls_buf_consume(&p->in, n);
		if (step > 0)
			snapshot(p, step);
		if (tls_conn_status(p->c) == TLS_FAILED)
			return 0;
	}
	return 0;
}

/* What the model says once the handshake is over: set before a page is
 * made mid-connection, and again by pump_outcome at the end. */
static void settle_established(pump *p)
{
	p->m->outcome = MODEL_ESTABLISHED;
	knowledge_session_notes(p->m, tls_conn_knowledge(p->c), p->is_server);
	knowledge_infer_peer(p->m, !p->is_server);
}

/* A page larger than this is not sent: the text summary goes instead. A
 * handshake's page is well under it. */
#define PUMP_PAGE_MAX (1024 * 1024)

/* The browser's page: the HTML view's, else a text summary. */
static int page_body(pump *p, char **body, size_t *len, const char **type)
{
	const model *m = p->m;
	if (p->page && tls_conn_handshake_done(p->c)) {
		settle_established(p);
		if (p->page(m, body, len) == 0 && *len <= PUMP_PAGE_MAX) {
			*type = "text/html; charset=utf-8";
			return 0;
		}
		free(*body);
	}
	char ms[97] = "";
	if (m->secrets[MS_MASTER].known)
		tls_hex(ms, m->secrets[MS_MASTER].v, 48);
	*body = malloc(2048);
	if (!*body)
		return -1;
	int bl = snprintf(*body, 2048,
	                  "tlsstep served your TLS 1.2 handshake.\n\ncipher suite: %s (0x%04X)\n"
	                  "server name you asked for: %s\nmaster secret: %s\n"
	                  "\nRun tlsstep serve --plain to see every byte of it.\n",
	                  m->suite, m->suite_id, m->server_name[0] ? m->server_name : "(none)", ms);
	*len = bl < 0 ? 0 : bl >= 2048 ? 2047 : (size_t)bl;
	*type = "text/plain";
	return 0;
}

void pump_http_answer(pump *p, const uint8_t *req, size_t n)
{
	int get = n >= 4 && !memcmp(req, "GET ", 4), head = n >= 5 && !memcmp(req, "HEAD ", 5);
	if (!get && !head) {
		if (n)
			tls_conn_send_app(p->c, req, n);
		return;
	}
	char *body = NULL, hdr[256];
	size_t len = 0;
	const char *type;
	if (page_body(p, &body, &len, &type))
		return;
	int hl = snprintf(hdr, sizeof hdr,
	                  "HTTP/1.0 200 OK\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
	                  "Connection: close\r\n\r\n",
	                  type, len);
	/* one buffer, so the header and the start of the page share a record */
	char *resp = malloc((size_t)hl + len);
	if (resp) {
		memcpy(resp, hdr, (size_t)hl);
		if (get)
			memcpy(resp + hl, body, len);
		tls_conn_send_app(p->c, (const uint8_t *)resp, (size_t)hl + (get ? len : 0));
		free(resp);
	}
	free(body);
}

void pump_outcome(pump *p, int handshake_ok, char *err, size_t errlen)
{
	model *m = p->m;
	tls_conn *c = p->c;
	int step = obs_last_step(p->obs);
	if (handshake_ok) {
		m->outcome = MODEL_ESTABLISHED;
		knowledge_session_notes(m, tls_conn_knowledge(c), p->is_server);
		/* An alert after the handshake (a bad record, say) is still news. */
		if (tls_conn_alert_sent(c) >= 0 && !m->alert.present) {
			knowledge_outcome(m, c, p->is_server, MODEL_LAST_STEP);
			m->outcome = MODEL_ESTABLISHED;
		}
	} else if (knowledge_outcome(m, c, p->is_server, step)) {
		snprintf(err, errlen, "%s", tls_conn_error(c));
	} else {
		int lvl, recv = tls_conn_alert_received(c, &lvl);
		if (recv >= 0) {
			m->outcome = MODEL_ALERT;
			m->alert.present = 1;
			m->alert.by_server = !p->is_server;
			m->alert.level = lvl;
			m->alert.desc = recv;
			m->alert.step = step;
			snprintf(m->alert.reason, sizeof m->alert.reason, "sent by the peer");
			snprintf(err, errlen, "%s", tls_conn_error(c));
		} else {
			m->outcome = MODEL_INCOMPLETE;
			if (!err[0])
				snprintf(err, errlen, "the handshake did not complete");
		}
	}
	/* The peer's column: what the protocol let it know, marked inferred. */
	knowledge_infer_peer(m, !p->is_server);
}
