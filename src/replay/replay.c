#include "replay/replay.h"

#include "replay/conn.h"
#include "replay/pcapin.h"
#include "replay/tls13.h"
#include "tls/msg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TABLE_BUCKETS 4096
#define IDLE_SECONDS 600.0 /* capture time without a packet before a connection is closed */
#define SWEEP_EVERY 8192   /* packets between idle sweeps */

typedef struct {
	replay_conn *b[TABLE_BUCKETS];
	size_t n;
} conn_table;

const char *replay_version_name(uint16_t v)
{
	const char *n = tls_version_name(v);
	return n ? n : "unknown";
}

const char *replay_group_name(uint16_t g)
{
	return g ? replay_t13_group_name(g) : "none";
}

/* The same bucket for both directions: the endpoints are combined with an
 * order-independent sum. */
static size_t bucket(const replay_seg *s)
{
	uint32_t h[2] = {2166136261u, 2166136261u};
	const replay_endpoint *e[2] = {&s->src, &s->dst};
	for (int i = 0; i < 2; i++) {
		for (int j = 0; j < 16; j++)
			h[i] = (h[i] ^ e[i]->addr[j]) * 16777619u;
		h[i] = (h[i] ^ e[i]->port) * 16777619u;
	}
	return (h[0] + h[1]) % TABLE_BUCKETS;
}

static replay_conn **find(conn_table *t, const replay_seg *s)
{
	replay_conn **at = &t->b[bucket(s)];
	while (*at && !replay_conn_matches(*at, s))
		at = &(*at)->next;
	return at;
}

static void drop(conn_table *t, replay_conn **at)
{
	replay_conn *c = *at;
	*at = c->next;
	replay_conn_finish(c);
	replay_conn_free(c);
	t->n--;
}

/* A connection is created by a SYN or by data; a bare ACK or a late FIN
 * for a connection already forgotten creates nothing. */
static void segment(conn_table *t, replay_ctx *x, const replay_seg *s, double ts)
{
	replay_conn **at = find(t, s);
	int syn = (s->flags & (TCPF_SYN | TCPF_ACK)) == TCPF_SYN;
	if (*at && syn && (*at)->state != CS_WAIT)
		drop(t, at); /* the same addresses and ports reused by a new connection */
	if (!*at) {
		if (!syn && !(s->flags & TCPF_SYN) && !s->len && !s->missing)
			return;
		replay_conn *c = replay_conn_new(x, s);
		if (!c)
			return;
		c->next = t->b[bucket(s)];
		t->b[bucket(s)] = c;
		t->n++;
		at = find(t, s);
	}
	replay_conn_segment(*at, s, ts);
	if (replay_conn_closed(*at))
		drop(t, at);
}

static void sweep(conn_table *t, double now, int all)
{
	for (size_t i = 0; i < TABLE_BUCKETS; i++) {
		replay_conn **at = &t->b[i];
		while (*at)
			if (all || (*at)->last_ts < now - IDLE_SECONDS)
				drop(t, at);
			else
				at = &(*at)->next;
	}
}

/* Connections still open at the end are handed over in number order. */
static void finish_all(conn_table *t)
{
	for (;;) {
		replay_conn **best = NULL;
		for (size_t i = 0; i < TABLE_BUCKETS; i++)
			for (replay_conn **at = &t->b[i]; *at; at = &(*at)->next)
				if ((*at)->state == CS_TLS &&
				    (!best || (*at)->info.number < (*best)->info.number))
					best = at;
		if (!best)
			break;
		drop(t, best);
	}
	sweep(t, 0, 1);
}

static void count(replay_stats *st, enum pkt_result r, const char *why)
{
	switch (r) {
	case PKT_NOT_IP: st->not_ip++; break;
	case PKT_NOT_TCP: st->not_tcp++; break;
	case PKT_FRAGMENT: st->fragments++; break;
	default:
		st->skipped++;
		if (!st->first_problem[0])
			snprintf(st->first_problem, sizeof st->first_problem, "packet %llu: %s",
				 (unsigned long long)st->packets, why);
	}
}

int replay_run(const char *path, const replay_options *o, replay_stats *st, char *err,
	       size_t errlen)
{
	replay_input in;
	memset(st, 0, sizeof *st);
	if (replay_input_open(&in, path, err, errlen))
		return -1;
	conn_table *t = calloc(1, sizeof *t);
	if (!t) {
		replay_input_close(&in);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	replay_ctx x = {.opt = o, .st = st};
	const struct pcap_pkthdr *h;
	const uint8_t *d;
	int rc = 0;
	while (!x.stop && (rc = replay_input_next(&in, &h, &d, err, errlen)) == 1) {
		replay_seg s;
		const char *why;
		double ts = (double)h->ts.tv_sec + h->ts.tv_usec / 1e6;
		st->packets++;
		enum pkt_result r = replay_pkt_parse(in.dlt, d, h->caplen, &s, &why);
		if (r != PKT_TCP) {
			count(st, r, why);
			continue;
		}
		st->tcp_packets++;
		segment(t, &x, &s, ts);
		if (st->packets % SWEEP_EVERY == 0)
			sweep(t, ts, 0);
	}
	if (x.stop)
		rc = 0;
	finish_all(t);
	free(t);
	replay_input_close(&in);
	return rc < 0 ? 1 : 0;
}
