/* Replay end to end in C: a simulated handshake is written as a capture in
 * many shapes (link types, IPv4/IPv6, segment sizes, reordering, overlapping
 * retransmissions, sequence wrap, lost segments, a capture that starts
 * mid-stream, several connections) and replayed; the model must come back
 * with the simulation's records and secrets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "scenario_creds.h"
#include "srcdir.h"
#include <pcap/pcap.h>

#include "replay/keylog.h"
#include "replay/reasm.h"
#include "replay/replay.h"
#include "sim/sim.h"
#include "tmpname.h"

/* ---- a capture writer with knobs ------------------------------------- */

typedef struct {
	int dlt;
	int ipv6, vlan, v6_ext; /* IPv6 with a hop-by-hop extension header */
	size_t mss;             /* payload bytes per segment */
	uint32_t isn[2];
	int reorder;            /* swap each pair of data segments */
	int overlap;            /* resend each segment with 7 earlier bytes and 5 new ones */
	int drop_step7;         /* lose the server's first secure channel segment */
	int no_syn, junk;       /* start mid-stream, with stray bytes first */
	uint16_t cport;
} shape;

typedef struct {
	pcap_dumper_t *d;
	const shape *sh;
	uint32_t seq[2];
	long long usec;
} writer;

static void put16(uint8_t *p, unsigned v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v) { put16(p, v >> 16); put16(p + 2, v & 0xffff); }

static size_t link_header(const shape *sh, uint8_t *f)
{
	unsigned et = sh->ipv6 ? 0x86DD : 0x0800;
	switch (sh->dlt) {
	case DLT_EN10MB:
		memset(f, 0, 12);
		if (sh->vlan) {
			put16(f + 12, 0x8100);
			put16(f + 14, 7);
			put16(f + 16, et);
			return 18;
		}
		put16(f + 12, et);
		return 14;
	case DLT_LINUX_SLL:
		memset(f, 0, 16);
		put16(f + 14, et);
		return 16;
	case DLT_LINUX_SLL2:
		memset(f, 0, 20);
		put16(f, et);
		return 20;
	case DLT_NULL: /* host order of a little-endian machine */
		f[0] = sh->ipv6 ? 30 : 2, f[1] = f[2] = f[3] = 0;
		return 4;
	case DLT_LOOP:
		put32(f, sh->ipv6 ? 24 : 2);
		return 4;
	default: return 0; /* DLT_RAW */
	}
}

static void frame(writer *w, int from, unsigned flags, uint32_t seq, const uint8_t *data, size_t n)
{
	static uint8_t f[70000];
	const shape *sh = w->sh;
	size_t at = link_header(sh, f), ip = at;
	size_t ext = sh->ipv6 && sh->v6_ext ? 8 : 0;
	if (sh->ipv6) {
		memset(f + ip, 0, 40 + ext);
		f[ip] = 0x60;
		put16(f + ip + 4, (unsigned)(ext + 20 + n));
		f[ip + 6] = ext ? 0 : 6;
		f[ip + 7] = 64;
		f[ip + 23] = 1, f[ip + 39] = 1; /* ::1 */
		if (ext)
			f[ip + 40] = 6; /* hop-by-hop, 8 bytes, then TCP */
		at += 40 + ext;
	} else {
		memset(f + ip, 0, 20);
		f[ip] = 0x45;
		put16(f + ip + 2, (unsigned)(40 + n));
		f[ip + 8] = 64;
		f[ip + 9] = 6;
		f[ip + 12] = 127, f[ip + 15] = 1, f[ip + 16] = 127, f[ip + 19] = 1;
		at += 20;
	}
	uint8_t *t = f + at;
	memset(t, 0, 20);
	put16(t, from ? 443 : sh->cport);
	put16(t + 2, from ? sh->cport : 443);
	put32(t + 4, seq);
	t[12] = 5 << 4;
	t[13] = (uint8_t)flags;
	if (n)
		memcpy(t + 20, data, n);
	struct pcap_pkthdr h;
	h.ts.tv_sec = (time_t)(w->usec / 1000000);
	h.ts.tv_usec = (suseconds_t)(w->usec % 1000000);
	h.caplen = h.len = (bpf_u_int32)(at + 20 + n);
	pcap_dump((u_char *)w->d, &h, f);
	w->usec += 100;
}

/* One direction's bytes, cut into segments with the shape's mishaps. */
static void send_bytes(writer *w, int from, const uint8_t *p, size_t n, int step)
{
	const shape *sh = w->sh;
	size_t mss = sh->mss ? sh->mss : 1400;
	for (size_t off = 0; off < n; off += mss) {
		size_t k = n - off < mss ? n - off : mss;
		uint32_t seq = w->seq[from] + (uint32_t)off;
		if (sh->drop_step7 && step == 7 && from == 1 && off == 0)
			continue;
		if (sh->reorder && off + k < n) {
			size_t k2 = n - off - k < mss ? n - off - k : mss;
			frame(w, from, 0x18, seq + (uint32_t)k, p + off + k, k2);
			frame(w, from, 0x18, seq, p + off, k);
			off += k2;
			continue;
		}
		frame(w, from, 0x18, seq, p + off, k);
		if (sh->overlap && off >= 7) /* an overlapping retransmission: old bytes and new */
			frame(w, from, 0x18, seq - 7, p + off - 7, k < 12 ? k + 7 : 12);
	}
	w->seq[from] += (uint32_t)n;
}

static void write_capture(const model *m, const char *path, const shape *sh, pcap_dumper_t *shared)
{
	pcap_t *pd = NULL;
	writer w = {0};
	w.sh = sh;
	if (shared)
		w.d = shared;
	else {
		pd = pcap_open_dead(sh->dlt, 262144);
		w.d = pcap_dump_open(pd, path);
	}
	assert_non_null(w.d);
	w.usec = 1767225600LL * 1000000;
	w.seq[0] = sh->isn[0];
	w.seq[1] = sh->isn[1];
	if (!sh->no_syn) {
		frame(&w, 0, 0x02, w.seq[0]++, NULL, 0);
		frame(&w, 1, 0x12, w.seq[1]++, NULL, 0);
	} else if (sh->junk) {
		static const uint8_t junk[] = "the end of an earlier request";
		frame(&w, 0, 0x18, w.seq[0] - 100, junk, sizeof junk);
		frame(&w, 1, 0x18, w.seq[1] - 50, junk, sizeof junk);
	}
	for (int s = 1; s <= MODEL_LAST_STEP; s++)
		for (size_t i = 0; i < m->steps[s].n_rec; i++) {
			const model_record *r = &m->steps[s].rec[i];
			send_bytes(&w, r->from_server, r->wire.p, r->wire.len, s);
		}
	frame(&w, 0, 0x11, w.seq[0], NULL, 0);
	frame(&w, 1, 0x11, w.seq[1], NULL, 0);
	if (!shared) {
		pcap_dump_close(w.d);
		pcap_close(pd);
	}
}

/* ---- the checks -------------------------------------------------------- */

typedef struct {
	const model *want;
	int calls, same_records, same_master, established;
	replay_conn_info info;
} result;

static int same_records(const model *a, const model *b)
{
	for (int s = 1; s <= MODEL_LAST_STEP; s++) {
		if (a->steps[s].n_rec != b->steps[s].n_rec || a->steps[s].n_msg != b->steps[s].n_msg)
			return 0;
		for (size_t i = 0; i < a->steps[s].n_rec; i++) {
			const tls_buf *x = &a->steps[s].rec[i].wire, *y = &b->steps[s].rec[i].wire;
			if (x->len != y->len || memcmp(x->p, y->p, x->len))
				return 0;
		}
		for (size_t i = 0; i < a->steps[s].n_msg; i++)
			if (a->steps[s].msg[i].kind != b->steps[s].msg[i].kind)
				return 0;
	}
	return 1;
}

static void emit(void *ctx, const replay_conn_info *info, model *m)
{
	result *r = ctx;
	r->calls++;
	r->info = *info;
	r->same_records = same_records(r->want, m);
	r->same_master = m->secrets[MS_MASTER].known &&
			 !memcmp(m->secrets[MS_MASTER].v, r->want->secrets[MS_MASTER].v, 48);
	r->established = m->outcome == MODEL_ESTABLISHED;
	assert_string_equal(m->source, "replay");
}

static model sim_model;
static keylog keys;

static int setup(void **state)
{
	(void)state;
	sim *s;
	char err[256];
	sim_options o = {0};
	o.scenario = "rsa";
	o.seed = 7;
	o.secure_channel = 1;
	o.creds = scenario_creds(o.scenario);
	if (sim_new(&s, &o, &sim_model, err, sizeof err) || sim_run(s))
		return -1;
	sim_free(s);
	char line[256], *q = line;
	q += sprintf(q, "CLIENT_RANDOM ");
	for (int i = 0; i < 32; i++)
		q += sprintf(q, "%02x", sim_model.secrets[MS_CLIENT_RANDOM].v[i]);
	*q++ = ' ';
	for (int i = 0; i < 48; i++)
		q += sprintf(q, "%02x", sim_model.secrets[MS_MASTER].v[i]);
	replay_keylog_init(&keys, "test", NULL);
	replay_keylog_line(&keys, line, (size_t)(q - line), 1);
	replay_keylog_finish(&keys);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	model_free(&sim_model);
	replay_keylog_free(&keys);
	return 0;
}

static result replay_shape(const shape *sh)
{
	char path[TMPNAME_MAX];
	tmpname_template(path, "tlsstep-replay");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	write_capture(&sim_model, path, sh, NULL);
	result r = {0};
	r.want = &sim_model;
	replay_options o = {.keys = &keys, .emit = emit, .ctx = &r};
	replay_stats st;
	char err[256];
	assert_int_equal(replay_run(path, &o, &st, err, sizeof err), 0);
	unlink(path);
	return r;
}

static void expect_same(const shape *sh)
{
	result r = replay_shape(sh);
	assert_int_equal(r.calls, 1);
	assert_true(r.same_records);
	assert_true(r.same_master);
	assert_true(r.established);
	assert_true(r.info.keys && r.info.complete);
	assert_int_equal(r.info.n_notes, 0);
}

static void test_link_types(void **state)
{
	(void)state;
	static const int dlts[] = {DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_RAW, DLT_NULL, DLT_LOOP};
	for (size_t i = 0; i < sizeof dlts / sizeof dlts[0]; i++)
		for (int v6 = 0; v6 < 2; v6++) {
			shape sh = {0};
			sh.dlt = dlts[i];
			sh.ipv6 = v6;
			sh.cport = 40000;
			sh.isn[0] = 1000, sh.isn[1] = 5000;
			expect_same(&sh);
		}
}

static void test_vlan_and_v6_extension(void **state)
{
	(void)state;
	shape sh = {0};
	sh.dlt = DLT_EN10MB;
	sh.vlan = 1;
	sh.cport = 40001;
	expect_same(&sh);
	sh.ipv6 = 1;
	sh.v6_ext = 1;
	expect_same(&sh);
}

static void test_segments(void **state)
{
	(void)state;
	shape sh = {0};
	sh.dlt = DLT_EN10MB;
	sh.cport = 40002;
	sh.isn[0] = 0xfffffe00u; /* wraps during the handshake */
	sh.isn[1] = 0xffffffc0u;
	for (size_t mss = 1; mss <= 1400; mss = mss * 3 + 1) {
		sh.mss = mss;
		expect_same(&sh);
		sh.reorder = 1;
		expect_same(&sh);
		sh.reorder = 0;
		sh.overlap = 1;
		expect_same(&sh);
		sh.overlap = 0;
	}
}

static void test_midstream(void **state)
{
	(void)state;
	shape sh = {0};
	sh.dlt = DLT_RAW;
	sh.cport = 40003;
	sh.no_syn = 1;
	sh.junk = 1;
	sh.isn[0] = 77, sh.isn[1] = 99;
	expect_same(&sh);
}

static void test_gap(void **state)
{
	(void)state;
	shape sh = {0};
	sh.dlt = DLT_EN10MB;
	sh.cport = 40004;
	sh.drop_step7 = 1;
	result r = replay_shape(&sh);
	assert_int_equal(r.calls, 1);
	assert_true(r.same_master);
	assert_true(r.info.complete);
	assert_true(r.info.n_notes >= 1);
	assert_non_null(strstr(r.info.notes[0], "missing from the capture"));
}

static void count_emit(void *ctx, const replay_conn_info *info, model *m)
{
	int *seen = ctx;
	(void)m;
	seen[info->number]++;
	assert_true(info->keys);
}

static void test_several_connections(void **state)
{
	(void)state;
	char path[TMPNAME_MAX];
	tmpname_template(path, "tlsstep-replay");
	int fd = mkstemp(path);
	close(fd);
	pcap_t *pd = pcap_open_dead(DLT_EN10MB, 262144);
	pcap_dumper_t *d = pcap_dump_open(pd, path);
	for (int i = 0; i < 5; i++) {
		shape sh = {0};
		sh.dlt = DLT_EN10MB;
		sh.cport = (uint16_t)(41000 + i);
		sh.isn[0] = (uint32_t)i * 1000;
		write_capture(&sim_model, path, &sh, d);
	}
	pcap_dump_close(d);
	pcap_close(pd);
	int seen[8] = {0};
	replay_options o = {.keys = &keys, .emit = count_emit, .ctx = seen};
	replay_stats st;
	char err[256];
	assert_int_equal(replay_run(path, &o, &st, err, sizeof err), 0);
	assert_int_equal(st.tls_conns, 5);
	for (int i = 1; i <= 5; i++)
		assert_int_equal(seen[i], 1);
	memset(seen, 0, sizeof seen);
	o.only = 3;
	assert_int_equal(replay_run(path, &o, &st, err, sizeof err), 0);
	assert_int_equal(seen[3], 1);
	assert_int_equal(seen[1] + seen[2] + seen[4] + seen[5], 0);
	unlink(path);
}

/* ---- reassembly alone --------------------------------------------------- */

typedef struct {
	uint8_t out[64];
	size_t n, gaps;
} sinkbuf;

static void sink_data(void *ctx, const uint8_t *p, size_t n)
{
	sinkbuf *b = ctx;
	assert_true(b->n + n <= sizeof b->out);
	memcpy(b->out + b->n, p, n);
	b->n += n;
}

static void sink_gap(void *ctx, uint32_t seq, uint32_t n)
{
	sinkbuf *b = ctx;
	(void)seq;
	b->gaps += n;
}

static void test_reasm(void **state)
{
	(void)state;
	static const uint8_t abc[] = "abcdefghijklmnopqrstuvwxyz";
	sinkbuf b = {0};
	reasm_sink s = {&b, sink_data, sink_gap};
	reasm r = {0};
	uint32_t base = 0xfffffff8u; /* wraps after 8 bytes */
	replay_reasm_start(&r, base);
	replay_reasm_add(&r, base + 10, abc + 10, 5, 0, &s); /* early */
	replay_reasm_add(&r, base + 4, abc + 4, 8, 0, &s);   /* early, overlaps the one above */
	replay_reasm_add(&r, base, abc, 6, 0, &s);           /* fills the hole */
	replay_reasm_add(&r, base + 2, abc + 2, 3, 0, &s);   /* old retransmission */
	assert_int_equal(b.n, 15);
	assert_memory_equal(b.out, abc, 15);
	replay_reasm_add(&r, base + 20, abc + 20, 6, 0, &s); /* after a hole of 5 */
	replay_reasm_flush(&r, &s);
	assert_int_equal(b.gaps, 5);
	assert_int_equal(b.n, 21);
	assert_memory_equal(b.out + 15, abc + 20, 6);
	replay_reasm_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reasm),
		cmocka_unit_test(test_link_types),
		cmocka_unit_test(test_vlan_and_v6_extension),
		cmocka_unit_test(test_segments),
		cmocka_unit_test(test_midstream),
		cmocka_unit_test(test_gap),
		cmocka_unit_test(test_several_connections),
	};
	use_srcdir();
	return cmocka_run_group_tests(tests, setup, teardown);
}
