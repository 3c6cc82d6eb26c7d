/* --json: one object per handshake, on one line, with the contract's keys
 * (doc/json.md lists every key, its type and when it is null). */
#include "ui/views.h"

#include "model/choice.h"
#include "model/model13.h"
#include "ui/lesson.h"

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

/* Strings are UTF-8, as JSON wants (RFC 8259 8.1): a valid sequence is
 * copied as it is, so "café" stays café. A byte that is not part of valid
 * UTF-8 (a stray continuation byte, an overlong form, a UTF-16 surrogate
 * encoded in UTF-8, a code point past U+10FFFF, a sequence cut short) is
 * written as the four characters \xHH, Python's "backslashreplace": the
 * output stays valid JSON and valid UTF-8, and the learner still sees which
 * byte it was. \u00HH would be wrong for it: that is the character U+00HH,
 * which the input did not hold. (A real backslash is escaped as \\, so the
 * decoded text of a literal "\x41" in the input reads the same: the only
 * ambiguity, and one no TLS field produces.) Control characters and DEL
 * are \u00HH, which is what they are. */

/* The length of the valid UTF-8 sequence at s (n > 0 bytes left), or 0
 * when s[0] does not start one (RFC 3629 section 4). */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0], lo = 0x80, hi = 0xbf;
	size_t len;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		lo = c == 0xe0 ? 0xa0 : lo; /* no overlong form */
		hi = c == 0xed ? 0x9f : hi; /* no surrogate D800..DFFF */
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		lo = c == 0xf0 ? 0x90 : lo; /* no overlong form */
		hi = c == 0xf4 ? 0x8f : hi; /* nothing past U+10FFFF */
	} else {
		return 0; /* continuation byte, C0/C1 (overlong), F5..FF */
	}
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

/* n bytes of s escaped at o (room for 6 * n taken by the caller); returns
 * the byte after them. */
static char *esc_into(char *o, const char *str, size_t n)
{
	static const char d[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)str;
	for (size_t i = 0; i < n;) {
		unsigned c = s[i];
		size_t k = c < 0x80 ? 1 : utf8_len(s + i, n - i);
		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			*o++ = (char)c;
		} else if (c == '"' || c == '\\') {
			*o++ = '\\';
			*o++ = (char)c;
		} else if (c < 0x80) {
			memcpy(o, "\\u00", 4);
			o[4] = d[c >> 4];
			o[5] = d[c & 15];
			o += 6;
		} else if (k) {
			memcpy(o, s + i, k);
			o += k;
			i += k;
			continue;
		} else {
			memcpy(o, "\\\\x", 3);
			o[3] = d[c >> 4];
			o[4] = d[c & 15];
			o += 5;
		}
		i++;
	}
	return o;
}

/* A string of known length n, quoted and escaped. */
static void str_n(jw *w, const char *s, size_t n)
{
	putch(w, '"');
	while (n) {
		size_t k = n < sizeof w->b / 8 ? n : sizeof w->b / 8;
		/* A piece must not end inside a UTF-8 sequence: cut before the
		 * last byte that is not a continuation byte, up to 3 back. */
		size_t cut = k;
		while (cut < n && cut + 3 > k && ((unsigned char)s[cut] & 0xc0) == 0x80)
			cut--;
		if (cut < n && ((unsigned char)s[cut] & 0xc0) != 0x80)
			k = cut;
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

/* n bytes as hex at o (room for 2 * n taken by the caller). */
static void hex_into(char *o, const uint8_t *p, size_t n)
{
	static const char d[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
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

/* TLS 1.3: a secret of the key schedule by its RFC 8446 name; with a side,
 * only when that side knows it after the step (model13.h). */
static void value13(jw *w, const model *m, const model_side *s, const char *name)
{
	const tls13_step *t = model13_value(m, name);
	if (t && (!s || model13_known(s, name)))
		hex(w, t->value, t->len);
	else
		LIT(w, "null");
}

/* The 1.2 names TLS 1.3 shares: master_secret and the verify_data. */
static const char *shared13(int i)
{
	return i == MS_MASTER ? "master_secret"
	       : i == MS_CLIENT_VERIFY ? "client_verify_data"
	       : i == MS_SERVER_VERIFY ? "server_verify_data"
	                               : NULL;
}

/* The rest of the schedule, after the 1.2 names. */
static void secrets13(jw *w, const model *m, const model_side *s)
{
	for (size_t i = 0; i < model13_count(); i++) {
		const char *name = model13_at(i)->name;
		int shared = 0;
		for (int k = 0; k < MS_COUNT; k++)
			shared |= shared13(k) && !strcmp(shared13(k), name);
		if (shared)
			continue;
		putch(w, ',');
		str(w, name);
		putch(w, ':');
		value13(w, m, s, name);
	}
}

static void side(jw *w, const model *m, const model_side *s)
{
	putch(w, '{');
	for (int i = 0; i < MS_COUNT; i++) {
		secret_key(w, i);
		if (m->t13.active && shared13(i))
			value13(w, m, s, shared13(i));
		else
			value(w, &s->v[i]);
	}
	if (m->t13.active)
		secrets13(w, m, s);
	LIT(w, ",\"transcript_hash\":");
	value(w, &s->transcript_hash);
	if (s->inferred)
		LIT(w, ",\"inferred\":true");
	if (s->cert_note[0]) {
		LIT(w, ",\"certificate_check\":");
		str(w, s->cert_note);
	}
	putch(w, '}');
}

static void message(jw *w, const model_msg *g)
{
	LIT(w, "{\"name\":");
	str(w, model_msg_name(g->kind));
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

static void step(jw *w, const model *m, const model_step *st)
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
	LIT(w, "],\"decrypted_records\":[");
	for (size_t i = 0; i < st->n_rec; i++) {
		if (i)
			putch(w, ',');
		if (st->rec[i].opened.len)
			hex(w, st->rec[i].opened.p, st->rec[i].opened.len);
		else
			LIT(w, "null");
	}
	LIT(w, "],\"decrypted_record_fields\":[");
	for (size_t i = 0; i < st->n_rec; i++) {
		if (i)
			putch(w, ',');
		spans(w, &st->rec[i].opened_fields);
	}
	LIT(w, "],\"messages\":[");
	for (size_t i = 0; i < st->n_msg; i++) {
		if (i)
			putch(w, ',');
		message(w, &st->msg[i]);
	}
	LIT(w, "],\"client_knows\":");
	side(w, m, &st->client);
	LIT(w, ",\"server_knows\":");
	side(w, m, &st->server);
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

/* The attacker's flip, so a student can rebuild the sender's transcript. */
static void tamper(jw *w, const model *m)
{
	if (!m->tamper.present) {
		LIT(w, ",\"tamper\":null");
		return;
	}
	LIT(w, ",\"tamper\":{\"step\":");
	num(w, (unsigned)m->tamper.step);
	LIT(w, ",\"record\":");
	num(w, (unsigned)m->tamper.record);
	LIT(w, ",\"offset\":");
	num(w, (unsigned)m->tamper.offset);
	LIT(w, ",\"xor\":");
	num(w, m->tamper.xor_);
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
	tamper(w, m);
}

static void secrets(jw *w, const model *m)
{
	LIT(w, ",\"secrets\":{");
	for (int i = 0; i < MS_COUNT; i++) {
		secret_key(w, i);
		if (m->t13.active && shared13(i))
			value13(w, m, NULL, shared13(i));
		else
			value(w, &m->secrets[i]);
	}
	LIT(w, ",\"client_finished_hash\":");
	value(w, &m->finished_hash[0]);
	LIT(w, ",\"server_finished_hash\":");
	value(w, &m->finished_hash[1]);
	LIT(w, ",\"session_hash\":");
	value(w, &m->session_hash);
	LIT(w, ",\"key_block\":");
	if (m->key_block_len)
		hex(w, m->key_block, m->key_block_len);
	else
		LIT(w, "null");
	if (m->t13.active)
		secrets13(w, m, NULL);
	putch(w, '}');
}

/* TLS 1.3: how this handshake went, beside the secrets. */
static void tls13(jw *w, const model *m)
{
	if (!m->t13.active)
		return;
	const char *g = m->t13.group ? tls_group_label(m->t13.group) : NULL;
	const char *a = m->t13.cert_verify_alg ? tls_sig_alg_name(m->t13.cert_verify_alg) : NULL;
	LIT(w, ",\"tls13\":{\"hello_retry_request\":");
	boolean(w, m->t13.hrr);
	LIT(w, ",\"psk_offered\":");
	boolean(w, m->t13.psk_offered);
	LIT(w, ",\"psk_accepted\":");
	boolean(w, m->t13.psk_accepted);
	LIT(w, ",\"middlebox_compat\":");
	boolean(w, m->t13.compat);
	LIT(w, ",\"key_share_group\":");
	if (g)
		str(w, g);
	else
		LIT(w, "null");
	LIT(w, ",\"cert_verify_scheme\":");
	if (a)
		str(w, a);
	else
		LIT(w, "null");
	putch(w, '}');
}

static void version_name(jw *w, uint16_t v)
{
	char other[16];
	const char *n = tls_version_name(v);
	snprintf(other, sizeof other, "0x%04x", v);
	str(w, n ? n : other);
}

static void groups(jw *w, const uint16_t *g, size_t k)
{
	char other[16];
	putch(w, '[');
	for (size_t i = 0; i < k; i++) {
		const char *n = tls_group_label(g[i]);
		snprintf(other, sizeof other, "0x%04x", g[i]);
		if (i)
			putch(w, ',');
		str(w, n ? n : other);
	}
	putch(w, ']');
}

/* A live connection: what the client offered, what the server chose, and
 * the lesson that says why (lessons/live-choice.md) as one line of text. */
static void choice(jw *w, const model *m)
{
	model_choice c;
	int at;
	const char *file = lesson_extra_file(m, &at);
	if (!file || !model_choice_read(m, &c))
		return;
	LIT(w, ",\"choice\":{\"offered_versions\":[");
	for (size_t i = 0; i < c.n_versions; i++) {
		if (i)
			putch(w, ',');
		version_name(w, c.versions[i]);
	}
	LIT(w, "],\"version\":");
	if (c.has_server_hello)
		version_name(w, c.version);
	else
		LIT(w, "null");
	LIT(w, ",\"version_from\":");
	if (c.has_server_hello)
		str(w, c.server_sv ? "supported_versions" : "legacy_version");
	else
		LIT(w, "null");
	LIT(w, ",\"downgrade_sentinel\":");
	boolean(w, c.has_server_hello && c.downgrade);
	LIT(w, ",\"offered_suites\":");
	num(w, c.n_suites);
	LIT(w, ",\"suite_rank\":");
	if (c.suite_rank)
		num(w, c.suite_rank);
	else
		LIT(w, "null");
	LIT(w, ",\"offered_groups\":");
	groups(w, c.groups, c.n_groups);
	LIT(w, ",\"key_share_groups\":");
	groups(w, c.shares, c.n_shares);
	LIT(w, ",\"why\":");
	tls_buf md = {0}, txt = {0};
	char err[256];
	if (lesson_load(m, at, file, &md, err, sizeof err) == 0 && lesson_plain((const char *)md.p, &txt) == 0)
		str(w, (const char *)txt.p);
	else
		str(w, err);
	tls_buf_free(&md);
	tls_buf_free(&txt);
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
		step(w, m, &m->steps[i]);
	}
	putch(w, ']');
	secrets(w, m);
	tls13(w, m);
	choice(w, m);
	LIT(w, "}\n");
	jw_close(w);
}
