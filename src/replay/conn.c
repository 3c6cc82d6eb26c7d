#include "replay/conn.h"

#include "replay/fill13.h"
#include "replay/model_fill.h"
#include "tls/msg.h"
#include "tls/protect.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int same_ep(const replay_endpoint *a, const replay_endpoint *b)
{
	return a->port == b->port && !memcmp(a->addr, b->addr, 16);
}

int replay_conn_dir(const replay_conn *c, const replay_seg *s)
{
	return same_ep(&c->ep[0], &s->src) ? 0 : 1;
}

int replay_conn_matches(const replay_conn *c, const replay_seg *s)
{
	if (c->family != s->family)
		return 0;
	return (same_ep(&c->ep[0], &s->src) && same_ep(&c->ep[1], &s->dst)) ||
	       (same_ep(&c->ep[1], &s->src) && same_ep(&c->ep[0], &s->dst));
}

int replay_conn_closed(const replay_conn *c)
{
	return c->rst || (c->fin[0] && c->fin[1]);
}

void replay_conn_note(replay_conn *c, const char *fmt, ...)
{
	replay_conn_info *i = &c->info;
	if (i->n_notes == REPLAY_MAX_NOTES) {
		i->more_notes++;
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(i->notes[i->n_notes++], REPLAY_NOTE_LEN, fmt, ap);
	va_end(ap);
}

static const char *dir_name(int dir)
{
	return dir ? "server -> client" : "client -> server";
}

static void on_bytes(void *ctx, const uint8_t *p, size_t n);

static void on_gap(void *ctx, uint32_t seq, uint32_t n)
{
	conn_dir_ctx *d = ctx;
	replay_conn *c = d->c;
	if (c->state != CS_TLS || c->dead[d->dir])
		return;
	replay_conn_note(c,
		  "%s: %u bytes missing from the capture (at sequence number %u); the rest of "
		  "this direction cannot be cut into records",
		  dir_name(d->dir), n, seq);
	c->dead[d->dir] = 1;
	tls_buf_free(&c->rec[d->dir]);
}

replay_conn *replay_conn_new(replay_ctx *ctx, const replay_seg *s)
{
	replay_conn *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->ctx = ctx;
	c->family = s->family;
	c->ep[0] = s->src;
	c->ep[1] = s->dst;
	for (int i = 0; i < 2; i++) {
		c->dc[i].c = c;
		c->dc[i].dir = i;
	}
	ctx->st->tcp_conns++;
	return c;
}

static void swap_sides(replay_conn *c)
{
	replay_endpoint e = c->ep[0];
	c->ep[0] = c->ep[1];
	c->ep[1] = e;
	int t = c->syn[0];
	c->syn[0] = c->syn[1];
	c->syn[1] = t;
	t = c->fin[0];
	c->fin[0] = c->fin[1];
	c->fin[1] = t;
	reasm r = c->rs[0];
	c->rs[0] = c->rs[1];
	c->rs[1] = r;
}

/* Drops everything heavy; the entry stays to absorb the connection's
 * remaining packets. */
static void release(replay_conn *c)
{
	for (int i = 0; i < 2; i++) {
		replay_reasm_free(&c->rs[i]);
		tls_buf_free(&c->rec[i]);
	}
	replay_fill13_free(c);
	if (c->m) {
		obs_free(c->obs);
		c->obs = NULL;
		model_free(c->m);
		free(c->m);
		c->m = NULL;
	}
}

static void become_tls(replay_conn *c)
{
	replay_ctx *x = c->ctx;
	c->info.number = (int)++x->st->tls_conns;
	replay_pkt_endpoint_str(c->info.client, sizeof c->info.client, c->family, &c->ep[0]);
	replay_pkt_endpoint_str(c->info.server, sizeof c->info.server, c->family, &c->ep[1]);
	if (x->opt->only && x->opt->only != c->info.number) {
		c->state = CS_IGNORED;
		release(c);
		return;
	}
	c->state = CS_TLS;
	c->m = malloc(sizeof *c->m);
	if (!c->m) {
		c->state = CS_IGNORED;
		return;
	}
	model_init(c->m, "replay");
	c->obs = obs_new(c->m);
	if (!c->obs) {
		c->state = CS_IGNORED;
		model_free(c->m);
		free(c->m);
		c->m = NULL;
		return;
	}
	obs_set_brief(c->obs, x->opt->brief);
	replay_fill13_start(c);
	if (x->opt->rsa)
		obs_set_rsa_key(c->obs, x->opt->rsa);
}

static void not_tls(replay_conn *c)
{
	c->state = CS_NOT_TLS;
	release(c);
}

/* A record header as TLS 1.x writes it: known type, major version 3, a
 * length a record may have. */
static int header_ok(const uint8_t *h)
{
	size_t len = (size_t)((h[3] << 8) | h[4]);
	return h[0] >= TLS_CT_CHANGE_CIPHER_SPEC && h[0] <= TLS_CT_APPLICATION_DATA && h[1] == 3 &&
	       len <= TLS_MAX_CIPHERTEXT;
}

static int starts_client_hello(const uint8_t *p, size_t n)
{
	return n >= 6 && p[0] == TLS_CT_HANDSHAKE && p[1] == 3 && p[5] == TLS_HS_CLIENT_HELLO &&
	       header_ok(p);
}

/* Files a record unless the caps are reached. */
static void record(replay_conn *c, int dir, const uint8_t *w, size_t n)
{
	int channel = obs_channel_started(c->obs);
	if (c->filed >= CONN_MAX_RECORDS || (channel && c->channel >= CONN_MAX_CHANNEL_RECORDS)) {
		c->not_filed++;
		return;
	}
	c->filed++;
	c->channel += channel;
	replay_fill_record(c, dir, w, n);
}

/* Cuts one direction's stream into records. */
static void on_bytes(void *ctx, const uint8_t *p, size_t n)
{
	conn_dir_ctx *d = ctx;
	replay_conn *c = d->c;
	int dir = d->dir;
	if (c->dead[dir] || (c->state != CS_WAIT && c->state != CS_TLS))
		return;
	tls_buf *b = &c->rec[dir];
	if (tls_buf_put(b, p, n))
		return;
	while (b->len >= 5 && !c->dead[dir] && (c->state == CS_WAIT || c->state == CS_TLS)) {
		if (c->state == CS_WAIT) {
			if (dir == 0 && b->len < 6)
				return; /* wait for the handshake type */
			if (dir == 1 || !starts_client_hello(b->p, b->len)) {
				not_tls(c); /* TLS starts with the client's hello */
				return;
			}
			become_tls(c);
			if (c->state != CS_TLS)
				return;
		}
		if (!header_ok(b->p)) {
			replay_conn_note(c,
				  "%s: the stream stops looking like TLS records (bytes %02x %02x "
				  "%02x %02x %02x); the rest of this direction is skipped",
				  dir_name(dir), b->p[0], b->p[1], b->p[2], b->p[3], b->p[4]);
			c->dead[dir] = 1;
			tls_buf_free(b);
			return;
		}
		size_t len = 5 + (size_t)((b->p[3] << 8) | b->p[4]);
		if (b->len < len)
			return;
		record(c, dir, b->p, len);
		tls_buf_consume(b, len);
	}
}

/* A capture that starts mid-connection: wait for a segment that begins a
 * ClientHello (client) or a record (server, once the client is known). */
static int start_midstream(replay_conn *c, int *dir, const replay_seg *s)
{
	if (c->rs[*dir].started)
		return 1;
	if (c->state == CS_WAIT && starts_client_hello(s->data, s->len) && !c->syn[0] &&
	    !c->syn[1]) {
		if (*dir == 1) {
			swap_sides(c);
			*dir = 0;
		}
		replay_reasm_start(&c->rs[0], s->seq);
		return 1;
	}
	if (c->state == CS_TLS && *dir == 1 && s->len >= 5 && header_ok(s->data)) {
		replay_reasm_start(&c->rs[1], s->seq);
		return 1;
	}
	return 0;
}

static void flags(replay_conn *c, int *dir, const replay_seg *s)
{
	if ((s->flags & (TCPF_SYN | TCPF_ACK)) == TCPF_SYN && *dir == 1 && !c->syn[0] &&
	    c->state == CS_WAIT) {
		swap_sides(c); /* the side sending a bare SYN is the client */
		*dir = 0;
	}
	if (s->flags & TCPF_SYN) {
		c->syn[*dir] = 1;
		replay_reasm_start(&c->rs[*dir], s->seq + 1);
	}
	if (s->flags & TCPF_RST)
		c->rst = 1;
}

void replay_conn_segment(replay_conn *c, const replay_seg *s, double ts)
{
	int dir = replay_conn_dir(c, s);
	c->last_ts = ts;
	flags(c, &dir, s);
	if ((s->len || s->missing) && (c->state == CS_WAIT || c->state == CS_TLS) &&
	    !c->dead[dir] && start_midstream(c, &dir, s)) {
		reasm_sink sink = {&c->dc[dir], on_bytes, on_gap};
		replay_reasm_add(&c->rs[dir], s->seq, s->data, s->len, s->missing, &sink);
	}
	if (s->flags & TCPF_FIN) {
		c->fin[dir] = 1;
		c->fin_seq[dir] = s->seq + (uint32_t)(s->len + s->missing);
	}
}

void replay_conn_finish(replay_conn *c)
{
	for (int dir = 0; dir < 2; dir++) {
		reasm_sink sink = {&c->dc[dir], on_bytes, on_gap};
		reasm *r = &c->rs[dir];
		if (c->state != CS_TLS)
			continue;
		replay_reasm_flush(r, &sink);
		if (c->fin[dir] && r->started && (int32_t)(c->fin_seq[dir] - r->next) > 0)
			on_gap(&c->dc[dir], r->next, c->fin_seq[dir] - r->next); /* the lost tail */
		if (c->rec[dir].len && !c->dead[dir])
			replay_conn_note(c, "%s: the capture ends inside a record (%zu bytes of it seen)",
				  dir_name(dir), c->rec[dir].len);
	}
	if (c->state == CS_TLS && c->m) {
		if (c->not_filed)
			replay_conn_note(c,
				  "%zu more records are not shown (a replay keeps the first %d of "
				  "a connection, %d of them in the secure channel)",
				  c->not_filed, CONN_MAX_RECORDS, CONN_MAX_CHANNEL_RECORDS);
		replay_fill_finish(c);
		c->ctx->st->emitted++;
		if (c->ctx->opt->emit)
			c->ctx->opt->emit(c->ctx->opt->ctx, &c->info, c->m);
		if (c->ctx->opt->only)
			c->ctx->stop = 1;
	}
	release(c);
	c->state = CS_DONE;
}

void replay_conn_free(replay_conn *c)
{
	if (!c)
		return;
	release(c);
	free(c);
}
