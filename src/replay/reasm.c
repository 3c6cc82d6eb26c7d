#include "replay/reasm.h"

#include <stdlib.h>
#include <string.h>

struct reasm_seg {
	reasm_seg *next;
	uint32_t seq;
	size_t len;
	uint8_t data[];
};

/* Serial-number arithmetic (RFC 1982): a - b as a signed distance, so the
 * comparison survives the wrap from 0xffffffff to 0. */
static int32_t dist(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b);
}

void replay_reasm_start(reasm *r, uint32_t seq)
{
	r->started = 1;
	r->next = seq;
}

/* Delivers the part of [seq, seq+n) not yet delivered. */
static void deliver(reasm *r, uint32_t seq, const uint8_t *p, size_t n, const reasm_sink *s)
{
	int32_t d = dist(seq, r->next);
	size_t skip = d < 0 ? (size_t)(-(int64_t)d) : 0;
	if (skip >= n) {
		r->repeated += n;
		return;
	}
	r->repeated += skip;
	s->data(s->ctx, p + skip, n - skip);
	r->next += (uint32_t)(n - skip);
	r->delivered += n - skip;
}

static void drain(reasm *r, const reasm_sink *s)
{
	while (r->pending && dist(r->pending->seq, r->next) <= 0) {
		reasm_seg *g = r->pending;
		r->pending = g->next;
		r->pending_bytes -= g->len;
		deliver(r, g->seq, g->data, g->len, s);
		free(g);
	}
}

/* Skips the hole before the first waiting segment. */
static void jump(reasm *r, const reasm_sink *s)
{
	uint32_t n = (uint32_t)dist(r->pending->seq, r->next);
	s->gap(s->ctx, r->next, n);
	r->gap_bytes += n;
	r->next = r->pending->seq;
	drain(r, s);
}

static void hold(reasm *r, uint32_t seq, const uint8_t *p, size_t n)
{
	reasm_seg **at = &r->pending;
	while (*at && dist((*at)->seq, seq) < 0)
		at = &(*at)->next;
	if (*at && (*at)->seq == seq && (*at)->len >= n)
		return; /* the same early segment again */
	reasm_seg *g = malloc(sizeof *g + n);
	if (!g)
		return; /* treated like a segment the capture missed */
	g->seq = seq;
	g->len = n;
	memcpy(g->data, p, n);
	g->next = *at;
	*at = g;
	r->pending_bytes += n;
}

void replay_reasm_add(reasm *r, uint32_t seq, const uint8_t *p, size_t n, size_t missing,
	       const reasm_sink *s)
{
	if (!r->started)
		replay_reasm_start(r, seq);
	if (n && dist(seq, r->next) <= 0) {
		deliver(r, seq, p, n, s);
		drain(r, s);
	} else if (n) {
		hold(r, seq, p, n);
		while (r->pending && r->pending_bytes > REASM_MAX_PENDING)
			jump(r, s);
	}
	if (missing && r->next == seq + (uint32_t)n) {
		/* the snapshot length cut this segment: its tail is a hole */
		s->gap(s->ctx, r->next, (uint32_t)missing);
		r->gap_bytes += missing;
		r->next += (uint32_t)missing;
		drain(r, s);
	}
}

void replay_reasm_flush(reasm *r, const reasm_sink *s)
{
	while (r->pending)
		jump(r, s);
}

void replay_reasm_free(reasm *r)
{
	while (r->pending) {
		reasm_seg *g = r->pending;
		r->pending = g->next;
		free(g);
	}
	memset(r, 0, sizeof *r);
}
