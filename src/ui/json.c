/* --json: one object per handshake, on one line, with the contract's keys
 * (doc/json.md lists every key, its type and when it is null). */
#include "ui/views.h"

#include "tls/alert.h"
#include "tls/msg.h"

#include <stdlib.h>
#include <string.h>

/* A replay of a thousand handshakes prints tens of megabytes of small
 * pieces; stdio's per-call work costs more than the bytes. Pieces go into
 * this buffer and reach the FILE in large writes. */
typedef struct {
	FILE *f;
	size_t n;
	char b[1 << 16];
} jw;

static void flush(jw *w)
{
	if (w->n)
		fwrite(w->b, 1, w->n, w->f);
	w->n = 0;
}

/* A writer for f (NULL when memory ran out), and its end: what is left
 * goes to f. */
static jw *jw_open(FILE *f)
{
	jw *w = malloc(sizeof *w);
	if (w) {
		w->f = f;
		w->n = 0;
	}
	return w;
}

static void jw_close(jw *w)
{
	flush(w);
	free(w);
}

/* Room for n more bytes (n at most the buffer's size). */
static char *room(jw *w, size_t n)
{
	if (w->n + n > sizeof w->b)
		flush(w);
	return w->b + w->n;
}

static void put(jw *w, const char *s, size_t n)
{
	while (n) {
		size_t k = n < sizeof w->b ? n : sizeof w->b;
		memcpy(room(w, k), s, k);
		w->n += k;
		s += k;
		n -= k;
	}
}

static void putch(jw *w, char c)
{
	*room(w, 1) = c;
	w->n++;
}

#define LIT(w, s) put(w, s, sizeof(s) - 1)

/* Whether any of the 8 bytes in x needs escaping (below 0x20, 0x7f and
 * above, '"' or '\\'). It may say yes for a clean word (a borrow or carry
 * crossing bytes), never no for a dirty one: a yes only sends the word
 * down the byte-by-byte path. Eight bytes per test matter here: span paths
 * and meanings are most of the tens of megabytes a large replay prints. */
static int dirty8(uint64_t x)
{
	const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
	uint64_t low = x - ones * 0x20;                 /* high bit set where byte < 0x20 */
	uint64_t del = x + ones;                        /* 0x7f becomes 0x80 */
	uint64_t q = x ^ (ones * '"'), b = x ^ (ones * '\\');
	uint64_t zq = q - ones, zb = b - ones;          /* high bit set where byte was 0 */
	return ((low | del | x | (zq & ~q) | (zb & ~b)) & high) != 0;
}

/* One byte, escaped, at o; returns the byte after it. */
static char *esc1(char *o, unsigned char c)
{
	static const char d[] = "0123456789abcdef";
	if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
		*o++ = (char)c;
	} else if (c == '"' || c == '\\') {
		*o++ = '\\';
		*o++ = (char)c;
	} else {
		memcpy(o, "\\u00", 4);
		o[4] = d[c >> 4];
		o[5] = d[c & 15];
		o += 6;
	}
	return o;
}

/* n bytes of s escaped at o (room for 6 * n taken by the caller); returns
 * the byte after them. Clean 8-byte words are copied whole. */
static char *esc_into(char *o, const char *s, size_t n)
{
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t x;
		memcpy(&x, s + i, 8);
		if (!dirty8(x)) {
			memcpy(o, &x, 8);
			o += 8;
			continue;
		}
		for (size_t j = 0; j < 8; j++)
			o = esc1(o, (unsigned char)s[i + j]);
	}
	for (; i < n; i++)
		o = esc1(o, (unsigned char)s[i]);
	return o;
}

/* A string of known length n, quoted and escaped. */
static void str_n(jw *w, const char *s, size_t n)
{
	putch(w, '"');
	while (n) {
		size_t k = n < sizeof w->b / 8 ? n : sizeof w->b / 8;
		char *o = room(w, 6 * k);
		w->n += (size_t)(esc_into(o, s, k) - o);
		s += k;
		n -= k;
	}
	putch(w, '"');
}

static void str(jw *w, const char *s)
{
	str_n(w, s, strlen(s));
}

#if defined(__SSE2__)
#include <emmintrin.h>

/* 16 bytes as 32 lowercase hex digits: each nibble plus '0', plus 39 more
 * for a nibble above 9 ('a' - '0' - 10). */
static void hex16(char *o, const uint8_t *p)
{
	const __m128i nib = _mm_set1_epi8(0x0f), nine = _mm_set1_epi8(9);
	__m128i x = _mm_loadu_si128((const __m128i *)p);
	__m128i hi = _mm_and_si128(_mm_srli_epi16(x, 4), nib), lo = _mm_and_si128(x, nib);
	__m128i a = _mm_unpacklo_epi8(hi, lo), b = _mm_unpackhi_epi8(hi, lo);
	a = _mm_add_epi8(_mm_add_epi8(a, _mm_set1_epi8('0')),
			 _mm_and_si128(_mm_cmpgt_epi8(a, nine), _mm_set1_epi8(39)));
	b = _mm_add_epi8(_mm_add_epi8(b, _mm_set1_epi8('0')),
			 _mm_and_si128(_mm_cmpgt_epi8(b, nine), _mm_set1_epi8(39)));
	_mm_storeu_si128((__m128i *)o, a);
	_mm_storeu_si128((__m128i *)(o + 16), b);
}
#endif

/* n bytes as hex at o (room for 2 * n taken by the caller). */
static void hex_into(char *o, const uint8_t *p, size_t n)
{
	static const char d[] = "0123456789abcdef";
	size_t i = 0;
#if defined(__SSE2__)
	for (; i + 16 <= n; i += 16)
		hex16(o + 2 * i, p + i);
#endif
	for (; i < n; i++) {
		o[2 * i] = d[p[i] >> 4];
		o[2 * i + 1] = d[p[i] & 15];
	}
}

static void hex(jw *w, const uint8_t *p, size_t n)
{
	putch(w, '"');
	while (n) {
		size_t k = n < sizeof w->b / 4 ? n : sizeof w->b / 4;
		hex_into(room(w, 2 * k), p, k);
		w->n += 2 * k;
		p += k;
		n -= k;
	}
	putch(w, '"');
}

/* v in decimal at o; returns the byte after it. */
static char *num_into(char *o, unsigned long long v)
{
	char b[24];
	int i = sizeof b;
	do
		b[--i] = (char)('0' + v % 10);
	while ((v /= 10) && i > 0);
	memcpy(o, b + i, sizeof b - (size_t)i);
	return o + (sizeof b - (size_t)i);
}

static void num(jw *w, unsigned long long v)
{
	char *o = room(w, 24);
	w->n += (size_t)(num_into(o, v) - o);
}

static void boolean(jw *w, int v)
{
	if (v)
		LIT(w, "true");
	else
		LIT(w, "false");
}

static void value(jw *w, const model_value *v)
{
	if (v->known)
		hex(w, v->v, v->len);
	else
		LIT(w, "null");
}

#define LIT_AT(o, s) (memcpy(o, s, sizeof(s) - 1), (o) + sizeof(s) - 1)

/* One span, written in one piece: its text lengths are known, so the room
 * for the worst case is taken once. */
static void span(jw *w, const tls_span *s)
{
	char *o = room(w, 96 + 6 * ((size_t)s->path_len + s->meaning_len)), *start = o;
	o = LIT_AT(o, "{\"path\":\"");
	o = esc_into(o, s->path, s->path_len);
	o = LIT_AT(o, "\",\"offset\":");
	o = num_into(o, s->offset);
	o = LIT_AT(o, ",\"length\":");
	o = num_into(o, s->length);
	o = LIT_AT(o, ",\"meaning\":\"");
	o = esc_into(o, s->meaning, s->meaning_len);
	o = LIT_AT(o, "\"}");
	w->n += (size_t)(o - start);
}

static void spans(jw *w, const tls_spans *sp)
{
	putch(w, '[');
	for (size_t i = 0; i < sp->n; i++) {
		if (i)
			putch(w, ',');
		span(w, &sp->v[i]);
	}
	putch(w, ']');
}

/* "key": for the i-th secret, with a comma before all but the first. */
static void secret_key(jw *w, int i)
{
	if (i)
		putch(w, ',');
	str(w, model_secret_key(i));
	putch(w, ':');
}

static void side(jw *w, const model_side *s)
{
	putch(w, '{');
	for (int i = 0; i < MS_COUNT; i++) {
		secret_key(w, i);
		if (i == MS_PREMASTER && s->premaster_full.len > s->v[i].len)
			hex(w, s->premaster_full.v, s->premaster_full.len);
		else
			value(w, &s->v[i]);
	}
	LIT(w, ",\"transcript_hash\":");
	value(w, &s->transcript_hash);
	if (s->cert_note[0]) {
		LIT(w, ",\"certificate_check\":");
		str(w, s->cert_note);
	}
	putch(w, '}');
}

static void message(jw *w, const model_msg *g)
{
	LIT(w, "{\"name\":");
	str(w, g->name);
	if (g->from_server)
		LIT(w, ",\"from\":\"server\",\"encrypted\":");
	else
		LIT(w, ",\"from\":\"client\",\"encrypted\":");
	boolean(w, g->encrypted);
	LIT(w, ",\"decrypted\":");
	boolean(w, g->decrypted);
	LIT(w, ",\"record\":");
	num(w, g->record);
	LIT(w, ",\"record_offset\":");
	num(w, g->record_offset);
	LIT(w, ",\"bytes\":");
	hex(w, g->bytes.p, g->bytes.len);
	if (g->note[0]) {
		LIT(w, ",\"note\":");
		str(w, g->note);
	}
	LIT(w, ",\"fields\":");
	spans(w, &g->fields);
	putch(w, '}');
}

static void step(jw *w, const model_step *st)
{
	LIT(w, "{\"number\":");
	num(w, (unsigned)st->number);
	LIT(w, ",\"title\":");
	str(w, st->title);
	if (st->note[0]) {
		LIT(w, ",\"note\":");
		str(w, st->note);
	}
	LIT(w, ",\"records\":[");
	for (size_t i = 0; i < st->n_rec; i++) {
		if (i)
			putch(w, ',');
		hex(w, st->rec[i].wire.p, st->rec[i].wire.len);
	}
	LIT(w, "],\"record_fields\":[");
	for (size_t i = 0; i < st->n_rec; i++) {
		if (i)
			putch(w, ',');
		spans(w, &st->rec[i].fields);
	}
	LIT(w, "],\"messages\":[");
	for (size_t i = 0; i < st->n_msg; i++) {
		if (i)
			putch(w, ',');
		message(w, &st->msg[i]);
	}
	LIT(w, "],\"client_knows\":");
	side(w, &st->client);
	LIT(w, ",\"server_knows\":");
	side(w, &st->server);
	putch(w, '}');
}

void json_string(FILE *f, const char *s)
{
	jw *w = jw_open(f);
	if (!w)
		return;
	str(w, s);
	jw_close(w);
}

void json_model(FILE *f, const model *m)
{
	json_model_with(f, m, NULL, NULL);
}

static void alert(jw *w, const model *m)
{
	if (!m->alert.present) {
		LIT(w, ",\"alert\":null");
		return;
	}
	const char *nm = tls_alert_name(m->alert.desc);
	LIT(w, ",\"alert\":{\"sent_by\":");
	str(w, m->alert.by_server ? "server" : "client");
	LIT(w, ",\"level\":");
	str(w, m->alert.level == 1 ? "warning" : "fatal");
	LIT(w, ",\"description\":");
	str(w, nm ? nm : "unknown");
	LIT(w, ",\"step\":");
	num(w, (unsigned)m->alert.step);
	LIT(w, ",\"reason\":");
	str(w, m->alert.reason);
	putch(w, '}');
}

static void head(jw *w, const model *m)
{
	LIT(w, "\"source\":");
	str(w, m->source);
	if (m->scenario[0]) {
		LIT(w, ",\"scenario\":");
		str(w, m->scenario);
	}
	if (m->has_seed) {
		LIT(w, ",\"seed\":");
		num(w, m->seed);
	}
	const char *vn = tls_version_name(m->version);
	LIT(w, ",\"version\":");
	str(w, vn ? vn : m->version ? "other" : "unknown");
	LIT(w, ",\"cipher_suite\":");
	str(w, m->suite[0] ? m->suite : "none");
	LIT(w, ",\"cipher_suite_id\":");
	num(w, m->suite_id);
	LIT(w, ",\"server_name\":");
	str(w, m->server_name);
	LIT(w, ",\"certificate_subject\":");
	str(w, m->cert_subject);
	LIT(w, ",\"extended_master_secret\":");
	boolean(w, m->ems);
	LIT(w, ",\"encrypt_then_mac\":");
	boolean(w, m->etm);
	LIT(w, ",\"outcome\":");
	str(w, model_outcome_name(m->outcome));
	alert(w, m);
}

static void secrets(jw *w, const model *m)
{
	LIT(w, ",\"secrets\":{");
	for (int i = 0; i < MS_COUNT; i++) {
		secret_key(w, i);
		if (i == MS_PREMASTER && m->premaster_full.len > m->secrets[i].len)
			hex(w, m->premaster_full.v, m->premaster_full.len); /* DHE: as long as p */
		else
			value(w, &m->secrets[i]);
	}
	LIT(w, ",\"session_hash\":");
	value(w, &m->session_hash);
	LIT(w, ",\"key_block\":");
	if (m->key_block_len)
		hex(w, m->key_block, m->key_block_len);
	else
		LIT(w, "null");
	putch(w, '}');
}

void json_model_with(FILE *f, const model *m, void (*extra)(FILE *f, const void *ctx), const void *ctx)
{
	jw *w = jw_open(f);
	if (!w)
		return;
	putch(w, '{');
	if (extra) { /* the caller writes to the FILE itself */
		flush(w);
		extra(f, ctx);
	}
	head(w, m);
	LIT(w, ",\"steps\":[");
	int first = 1;
	for (int i = 1; i <= MODEL_LAST_STEP; i++) {
		if (!m->steps[i].reached)
			continue;
		if (!first)
			putch(w, ',');
		first = 0;
		step(w, &m->steps[i]);
	}
	putch(w, ']');
	secrets(w, m);
	LIT(w, "}\n");
	jw_close(w);
}
