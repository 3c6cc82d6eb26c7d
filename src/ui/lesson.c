/* Lessons: loading the text, filling in the live values, laying it out.
 *
 * Placeholders are resolved against one step of the model only, so a lesson
 * can never show a value before the handshake has produced it; that is the
 * point of the "which nobody knows at step k" error. Besides values, a lesson
 * may hold conditional blocks ({{if NAME}} ... {{else}} ... {{end}}), so one
 * text can serve a CBC and an AEAD suite, or a run that ended in an alert.
 * NAME is aead, cbc, established, a key exchange (rsa_kx, ecdhe, dhe, and
 * ephemeral for either of the last two; ecdsa when an EC key signs), mutual (the server sent a
 * CertificateRequest), resumed (the ServerHello took up the session ID the
 * client offered), session_offered (the ClientHello names a session),
 * ems (the hellos agreed on the extended master secret of RFC 7627),
 * alert_DESCRIPTION (that alert was sent, e.g. alert_decrypt_error),
 * finished_mismatch (a Finished arrived with the wrong verify_data), or any
 * placeholder (true when known). Like the values, a condition only looks at
 * what has happened by that step: at step 1 nobody knows the key exchange.
 *
 * Placeholders: every secret by its JSON key (client_random, server_random,
 * premaster_secret, master_secret, client_write_mac_key, ...,
 * server_verify_data) and NAME_length for its size in bytes (for a DHE
 * premaster secret, the whole value's: the model keeps only its first 48
 * bytes as a plain secret); premaster_version (its first two bytes);
 * cipher_suite, cipher_suite_id (0x002F), prf_hash and key_block_length;
 * client_version (TLS 1.2) and client_version_hex (0303), from the ClientHello;
 * named_curve (ECDHE) and dh_p_bits (DHE), from the ServerKeyExchange;
 * server_name, certificate_subject, certificate_check (the client's verdict),
 * client_certificate_check (the server's verdict on a client certificate);
 * session_hash (with ems, the hash the master secret is made from);
 * transcript_hash, transcript_length; seed, scenario; alert, alert_sender,
 * alert_receiver, alert_reason, alert_step.
 *
 * Hex values longer than 16 bytes are shown as their first 8 bytes and an
 * ellipsis; the full values are in the knowledge view beside the lesson. */
#include "ui/lesson.h"

#include "app/files.h"
#include "tls/msg.h"
#include "tls/alert.h"
#include "tls/suites.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define LESSON_MAX (64 * 1024)
#define VAL_MAX 400
#define SHORT_BYTES 16 /* longer values are shortened */
#define MAX_NEST 8

static const char *const files[] = {
	"00-introduction.md",    "01-client-hello.md",     "02-server-hello.md",
	"03-server-certificate.md", "04-server-hello-done.md", "05-client-response.md",
	"06-server-finished.md", "07-secure-channel.md",
};

const char *lesson_file(int step)
{
	if (step < 0 || step >= (int)(sizeof files / sizeof files[0]))
		return NULL;
	return files[step];
}

/* ---- values ---------------------------------------------------------- */

static void hex_value(char *out, size_t n, const uint8_t *p, size_t len)
{
	size_t show = len > SHORT_BYTES ? 8 : len;
	size_t o = 0;
	for (size_t i = 0; i < show && o + 3 < n; i++)
		o += (size_t)snprintf(out + o, n - o, "%02x", p[i]);
	if (len > SHORT_BYTES)
		snprintf(out + o, n - o, "\u2026");
}

/* What one side or the other knows of secret s at the end of step k. */
static const model_value *secret_at(const model *m, int step, int s)
{
	const model_step *st = &m->steps[step];
	if (st->client.v[s].known && st->client.v[s].len)
		return &st->client.v[s];
	if (st->server.v[s].known && st->server.v[s].len)
		return &st->server.v[s];
	return NULL;
}

static const tls_suite *suite_at(const model *m, int step)
{
	if (step < 2 || !m->suite_id)
		return NULL;
	return tls_suite_by_id(m->suite_id);
}

static int alert_at(const model *m, int step)
{
	return m->alert.present && m->alert.step <= step;
}

/* A handshake message of step `in`, if the run has got that far by `step`.
 * Its bytes start with the 4-byte handshake header. */
static const model_msg *msg_at(const model *m, int step, int in, const char *name, int from_server)
{
	if (in > step || in < 1 || in > MODEL_LAST_STEP || !m->steps[in].reached)
		return NULL;
	const model_step *st = &m->steps[in];
	for (size_t i = 0; i < st->n_msg; i++)
		if (!strcmp(st->msg[i].name, name) && st->msg[i].from_server == from_server &&
		    (!st->msg[i].encrypted || st->msg[i].decrypted))
			return &st->msg[i];
	return NULL;
}

/* The ServerKeyExchange seen by this step, decoded by the engine's own
 * decoder (its pointers point into the model). 1 when there is one. */
static int ske_at(const model *m, int step, int ecdhe, tls_ske *out)
{
	const model_msg *g = msg_at(m, step, 4, "ServerKeyExchange", 1);
	return g && g->bytes.len > 4 && tls_ske_decode(g->bytes.p + 4, g->bytes.len - 4, ecdhe, out, NULL) == 0;
}

/* The session_id of a hello: after header 4, version 2 and random 32. */
static int hello_session(const model_msg *g, const uint8_t **sid, size_t *len)
{
	if (!g || g->bytes.len < 39)
		return 0;
	size_t n = g->bytes.p[38];
	if (n > 32 || g->bytes.len < 39 + n)
		return 0;
	*sid = g->bytes.p + 39;
	*len = n;
	return 1;
}

static int session_offered(const model *m, int step)
{
	const uint8_t *sid;
	size_t n;
	return hello_session(msg_at(m, step, 1, "ClientHello", 0), &sid, &n) && n > 0;
}

/* RFC 5246 7.3: a server that resumes echoes the client's session ID. */
static int resumed(const model *m, int step)
{
	const uint8_t *cs, *ss;
	size_t cn, sn;
	return hello_session(msg_at(m, step, 1, "ClientHello", 0), &cs, &cn) &&
	       hello_session(msg_at(m, step, 2, "ServerHello", 1), &ss, &sn) && cn && cn == sn &&
	       !memcmp(cs, ss, cn);
}

/* 1 and the text in val when known at this step, 0 when not known yet,
 * -1 for a name that is not a placeholder at all. */
static int resolve(const model *m, int step, const char *name, char *val, size_t vn)
{
	val[0] = 0;
	for (int s = 0; s < MS_COUNT; s++) {
		const char *key = model_secret_key((enum model_secret)s);
		size_t kl = strlen(key);
		if (!strcmp(name, key)) {
			const model_value *v = secret_at(m, step, s);
			if (!v)
				return 0;
			hex_value(val, vn, v->v, v->len);
			return 1;
		}
		if (!strncmp(name, key, kl) && !strcmp(name + kl, "_length")) {
			const model_value *v = secret_at(m, step, s);
			if (!v)
				return 0;
			size_t len = v->len;
			if (s == MS_PREMASTER) {
				/* a DHE premaster secret is longer than a model_value */
				const model_side *c = &m->steps[step].client, *sv = &m->steps[step].server;
				if (c->premaster_full.len > len)
					len = c->premaster_full.len;
				if (sv->premaster_full.len > len)
					len = sv->premaster_full.len;
			}
			snprintf(val, vn, "%zu", len);
			return 1;
		}
	}
	if (!strcmp(name, "premaster_version")) {
		const model_value *v = secret_at(m, step, MS_PREMASTER);
		if (!v || v->len < 2)
			return 0;
		snprintf(val, vn, "%02x%02x", v->v[0], v->v[1]);
		return 1;
	}
	if (!strcmp(name, "cipher_suite") || !strcmp(name, "cipher_suite_id") ||
	    !strcmp(name, "prf_hash")) {
		if (step < 2 || !m->suite_id || !m->suite[0])
			return 0;
		if (!strcmp(name, "cipher_suite"))
			snprintf(val, vn, "%s", m->suite);
		else if (!strcmp(name, "cipher_suite_id"))
			snprintf(val, vn, "0x%04X", m->suite_id);
		else
			snprintf(val, vn, "%s", m->prf_sha384 ? "SHA-384" : "SHA-256");
		return 1;
	}
	if (!strcmp(name, "key_block_length")) {
		if (!m->key_block_len || !secret_at(m, step, MS_CLIENT_KEY))
			return 0;
		snprintf(val, vn, "%zu", m->key_block_len);
		return 1;
	}
	if (!strcmp(name, "client_version") || !strcmp(name, "client_version_hex")) {
		const model_msg *g = msg_at(m, step, 1, "ClientHello", 0);
		if (!g || g->bytes.len < 6)
			return 0;
		unsigned v = (unsigned)g->bytes.p[4] << 8 | g->bytes.p[5];
		const char *vname = tls_version_name(v);
		if (!strcmp(name, "client_version_hex"))
			snprintf(val, vn, "%04x", v);
		else if (vname)
			snprintf(val, vn, "%s", vname);
		else
			snprintf(val, vn, "version 0x%04x", v);
		return 1;
	}
	if (!strcmp(name, "named_curve")) {
		/* ECParameters: curve_type 3 (named_curve), then the curve's code */
		const tls_suite *su = suite_at(m, step);
		tls_ske ske;
		if (!su || !tls_suite_is_ecdhe(su) || !ske_at(m, step, 1, &ske) || ske.curve_type != 3)
			return 0;
		unsigned id = ske.named_curve;
		const char *c = tls_group_label(id);
		if (c)
			snprintf(val, vn, "%s", c);
		else
			snprintf(val, vn, "curve 0x%04X", id);
		return 1;
	}
	if (!strcmp(name, "dh_p_bits")) {
		/* ServerDHParams starts with dh_p<1..2^16-1> */
		const tls_suite *su = suite_at(m, step);
		tls_ske ske;
		if (!su || su->kx != TLS_KX_DHE_RSA || !ske_at(m, step, 0, &ske))
			return 0;
		size_t n = ske.dh_p_len;
		const uint8_t *p = ske.dh_p;
		while (n && !*p) {
			p++;
			n--;
		}
		if (!n)
			return 0;
		size_t bits = 8 * n;
		for (uint8_t top = p[0]; !(top & 0x80); top <<= 1)
			bits--;
		snprintf(val, vn, "%zu", bits);
		return 1;
	}
	if (!strcmp(name, "server_name")) {
		if (step < 1 || !m->server_name[0])
			return 0;
		snprintf(val, vn, "%s", m->server_name);
		return 1;
	}
	if (!strcmp(name, "certificate_subject")) {
		if (step < 3 || !m->cert_subject[0])
			return 0;
		snprintf(val, vn, "%s", m->cert_subject);
		return 1;
	}
	if (!strcmp(name, "certificate_check")) {
		if (!m->steps[step].client.cert_note[0])
			return 0;
		snprintf(val, vn, "%s", m->steps[step].client.cert_note);
		return 1;
	}
	if (!strcmp(name, "session_hash")) {
		/* the extended master secret's input, known with the master secret */
		if (!m->ems || !m->session_hash.known || !m->session_hash.len ||
		    !secret_at(m, step, MS_MASTER))
			return 0;
		hex_value(val, vn, m->session_hash.v, m->session_hash.len);
		return 1;
	}
	if (!strcmp(name, "client_certificate_check")) {
		if (!m->steps[step].server.cert_note[0])
			return 0;
		snprintf(val, vn, "%s", m->steps[step].server.cert_note);
		return 1;
	}
	if (!strcmp(name, "transcript_hash") || !strcmp(name, "transcript_length")) {
		const model_side *sd = &m->steps[step].client;
		if (!sd->transcript_hash.known || !sd->transcript_hash.len)
			return 0;
		if (!strcmp(name, "transcript_hash"))
			hex_value(val, vn, sd->transcript_hash.v, sd->transcript_hash.len);
		else
			snprintf(val, vn, "%zu", sd->transcript_len);
		return 1;
	}
	if (!strcmp(name, "seed")) {
		if (!m->has_seed)
			return 0;
		snprintf(val, vn, "%llu", (unsigned long long)m->seed);
		return 1;
	}
	if (!strcmp(name, "scenario")) {
		if (!m->scenario[0])
			return 0;
		snprintf(val, vn, "%s", m->scenario);
		return 1;
	}
	if (!strcmp(name, "alert") || !strcmp(name, "alert_sender") ||
	    !strcmp(name, "alert_receiver") || !strcmp(name, "alert_reason") ||
	    !strcmp(name, "alert_step")) {
		if (!alert_at(m, step))
			return 0;
		if (!strcmp(name, "alert")) {
			const char *a = tls_alert_name(m->alert.desc);
			if (a)
				snprintf(val, vn, "%s (%d)", a, m->alert.desc);
			else
				snprintf(val, vn, "alert %d", m->alert.desc);
		} else if (!strcmp(name, "alert_sender")) {
			snprintf(val, vn, "%s", m->alert.by_server ? "server" : "client");
		} else if (!strcmp(name, "alert_receiver")) {
			snprintf(val, vn, "%s", m->alert.by_server ? "client" : "server");
		} else if (!strcmp(name, "alert_step")) {
			snprintf(val, vn, "%d", m->alert.step);
		} else {
			if (!m->alert.reason[0])
				return 0;
			snprintf(val, vn, "%s", m->alert.reason);
		}
		return 1;
	}
	return -1;
}

/* Conditions of {{if NAME}}: 1 true, 0 false, -1 unknown name. */
static int condition(const model *m, int step, const char *name)
{
	const tls_suite *s = suite_at(m, step);
	if (!strcmp(name, "aead"))
		return s && s->bulk == TLS_BULK_AES_GCM;
	if (!strcmp(name, "cbc"))
		return s && s->bulk == TLS_BULK_AES_CBC;
	if (!strcmp(name, "established"))
		return m->outcome == MODEL_ESTABLISHED && step >= 6 && !alert_at(m, step);
	if (!strcmp(name, "rsa_kx"))
		return s && s->kx == TLS_KX_RSA;
	/* Every key exchange but RSA and DHE is ECDHE, signed with RSA or ECDSA. */
	if (!strcmp(name, "ecdhe"))
		return s && s->kx != TLS_KX_RSA && s->kx != TLS_KX_DHE_RSA;
	if (!strcmp(name, "dhe"))
		return s && s->kx == TLS_KX_DHE_RSA;
	if (!strcmp(name, "ephemeral"))
		return s && s->kx != TLS_KX_RSA;
	if (!strcmp(name, "ecdsa")) /* the server's certificate holds an EC key */
		return tls_suite_is_ecdsa(s);
	if (!strcmp(name, "mutual"))
		return msg_at(m, step, 4, "CertificateRequest", 1) != NULL;
	if (!strcmp(name, "resumed"))
		return resumed(m, step);
	if (!strcmp(name, "session_offered"))
		return session_offered(m, step);
	if (!strcmp(name, "finished_mismatch")) {
		/* the observer's note on a Finished whose verify_data was wrong */
		for (int k = 5; k <= 6 && k <= step; k++)
			for (size_t i = 0; m->steps[k].reached && i < m->steps[k].n_msg; i++)
				if (!strcmp(m->steps[k].msg[i].name, "Finished") &&
				    strstr(m->steps[k].msg[i].note, "does NOT match"))
					return 1;
		return 0;
	}
	if (!strcmp(name, "ems")) /* negotiated in the hellos */
		return m->ems && step >= 2;
	if (!strncmp(name, "alert_", 6)) {
		/* alert_decrypt_error: that alert has been sent by this step */
		for (int d = 0; d < 256; d++) {
			const char *a = tls_alert_name(d);
			if (a && !strcmp(name + 6, a))
				return alert_at(m, step) && m->alert.desc == d;
		}
	}
	char val[VAL_MAX];
	return resolve(m, step, name, val, sizeof val);
}

/* ---- filling --------------------------------------------------------- */

static int only_on_line(const char *text, const char *start, const char *end)
{
	for (const char *p = start; p > text && p[-1] != '\n'; p--)
		if (p[-1] != ' ' && p[-1] != '\t')
			return 0;
	for (const char *p = end; *p && *p != '\n'; p++)
		if (*p != ' ' && *p != '\t' && *p != '\r')
			return 0;
	return 1;
}

static int fill(const model *m, int step, const char *what, const char *text, tls_buf *out,
		char *err, size_t errlen)
{
	int active[MAX_NEST + 1], had_else[MAX_NEST + 1], depth = 0, line = 1;
	active[0] = 1;
	had_else[0] = 0;
	tls_buf_clear(out);
	out->len = 0;
	if (step < 0 || step > MODEL_LAST_STEP) {
		snprintf(err, errlen, "lesson %s: no step %d", what, step);
		return -1;
	}
	const char *p = text;
	while (*p) {
		const char *open = strstr(p, "{{");
		const char *stop = open ? open : p + strlen(p);
		for (const char *q = p; q < stop; q++)
			line += *q == '\n';
		if (active[depth] && tls_buf_put(out, p, (size_t)(stop - p)) < 0)
			goto nomem;
		if (!open)
			break;
		const char *close = strstr(open + 2, "}}");
		const char *nl = strchr(open + 2, '\n');
		if (!close || (nl && nl < close)) {
			snprintf(err, errlen, "lesson %s has an unclosed {{ (line %d)", what, line);
			return -1;
		}
		char name[64];
		const char *a = open + 2, *b = close;
		while (a < b && *a == ' ')
			a++;
		while (b > a && b[-1] == ' ')
			b--;
		if ((size_t)(b - a) >= sizeof name) {
			snprintf(err, errlen, "lesson %s: placeholder too long (line %d)", what, line);
			return -1;
		}
		memcpy(name, a, (size_t)(b - a));
		name[b - a] = 0;
		const char *next = close + 2;
		int block = !strncmp(name, "if ", 3) || !strcmp(name, "else") || !strcmp(name, "end");
		if (block) {
			if (!strncmp(name, "if ", 3)) {
				const char *c = name + 3;
				while (*c == ' ')
					c++;
				int v = condition(m, step, c);
				if (v < 0) {
					snprintf(err, errlen, "lesson %s uses {{if %s}}, which is not a condition (line %d)",
						 what, c, line);
					return -1;
				}
				if (depth == MAX_NEST) {
					snprintf(err, errlen, "lesson %s nests {{if}} too deeply (line %d)", what, line);
					return -1;
				}
				depth++;
				active[depth] = active[depth - 1] && v;
				had_else[depth] = 0;
			} else if (!strcmp(name, "else")) {
				if (!depth || had_else[depth]) {
					snprintf(err, errlen, "lesson %s has a stray {{else}} (line %d)", what, line);
					return -1;
				}
				had_else[depth] = 1;
				active[depth] = active[depth - 1] && !active[depth];
			} else {
				if (!depth) {
					snprintf(err, errlen, "lesson %s has a stray {{end}} (line %d)", what, line);
					return -1;
				}
				depth--;
			}
			/* A tag alone on its line takes the line with it. */
			if (only_on_line(text, open, next)) {
				while (out->len && (out->p[out->len - 1] == ' ' || out->p[out->len - 1] == '\t'))
					out->len--;
				while (*next == ' ' || *next == '\t' || *next == '\r')
					next++;
				if (*next == '\n') {
					next++;
					line++;
				}
			}
			p = next;
			continue;
		}
		char val[VAL_MAX];
		int r = resolve(m, step, name, val, sizeof val);
		if (r < 0) {
			snprintf(err, errlen, "lesson %s uses {{%s}}, which is not a placeholder (line %d)", what,
				 name, line);
			return -1;
		}
		if (active[depth]) {
			if (r == 0) {
				snprintf(err, errlen, "lesson %s uses {{%s}}, which nobody knows at step %d (line %d)",
					 what, name, step, line);
				return -1;
			}
			if (tls_buf_put(out, val, strlen(val)) < 0)
				goto nomem;
		}
		p = next;
	}
	if (depth) {
		snprintf(err, errlen, "lesson %s has an {{if}} without {{end}}", what);
		return -1;
	}
	if (tls_buf_u8(out, 0) < 0)
		goto nomem;
	out->len--; /* the NUL is there but not counted */
	return 0;
nomem:
	snprintf(err, errlen, "lesson %s: out of memory", what);
	return -1;
}

int lesson_fill(const model *m, int step, const char *text, tls_buf *out, char *err, size_t errlen)
{
	return fill(m, step, "text", text, out, err, errlen);
}

int lesson_load(const model *m, int step, const char *file, tls_buf *out, char *err, size_t errlen)
{
	if (!file || !file[0] || strchr(file, '/')) {
		snprintf(err, errlen, "no lesson file for step %d", step);
		return -1;
	}
	char sub[256], path[4096];
	snprintf(sub, sizeof sub, "lessons/%s", file);
	data_path(path, sizeof path, sub);
	tls_buf raw = {0};
	if (file_read(path, LESSON_MAX, &raw, err, errlen) < 0) {
		tls_buf_free(&raw);
		return -1;
	}
	if (tls_buf_u8(&raw, 0) < 0 || memchr(raw.p, 0, raw.len - 1)) {
		snprintf(err, errlen, "lesson %s is not text", file);
		tls_buf_free(&raw);
		return -1;
	}
	int r = fill(m, step, file, (const char *)raw.p, out, err, errlen);
	tls_buf_free(&raw);
	return r;
}

/* ---- layout ---------------------------------------------------------- */

/* A run of text with one attribute per byte. */
typedef struct {
	char *t;
	unsigned char *a;
	size_t n, cap;
} styled;

static int st_put(styled *s, const char *p, size_t n, unsigned char attr)
{
	if (s->n + n + 1 > s->cap) {
		size_t cap = s->cap ? s->cap : 128;
		while (cap < s->n + n + 1)
			cap *= 2;
		char *t = realloc(s->t, cap);
		if (!t)
			return -1;
		s->t = t;
		unsigned char *a = realloc(s->a, cap);
		if (!a)
			return -1;
		s->a = a;
		s->cap = cap;
	}
	memcpy(s->t + s->n, p, n);
	memset(s->a + s->n, attr, n);
	s->n += n;
	s->t[s->n] = 0;
	return 0;
}

static void st_free(styled *s)
{
	free(s->t);
	free(s->a);
	memset(s, 0, sizeof *s);
}

static int is_cont(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

static size_t cols(const char *p, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += !is_cont((unsigned char)p[i]);
	return c;
}

/* Byte length of the first k code points of p[0..n). */
static size_t cp_prefix(const char *p, size_t n, size_t k)
{
	size_t i = 0;
	while (i < n && k) {
		i++;
		while (i < n && is_cont((unsigned char)p[i]))
			i++;
		k--;
	}
	return i;
}

static int push_line(lesson_lines *out, const styled *s)
{
	if (out->n == out->cap) {
		size_t cap = out->cap ? out->cap * 2 : 32;
		lesson_line *v = realloc(out->v, cap * sizeof *v);
		if (!v)
			return -1;
		out->v = v;
		out->cap = cap;
	}
	lesson_line *l = &out->v[out->n];
	l->text = malloc(s->n + 1);
	l->attr = malloc(s->n + 1);
	if (!l->text || !l->attr) {
		free(l->text);
		free(l->attr);
		return -1;
	}
	if (s->n) {
		memcpy(l->text, s->t, s->n);
		memcpy(l->attr, s->a, s->n);
	}
	l->text[s->n] = 0;
	l->attr[s->n] = LA_NORMAL;
	l->len = s->n;
	out->n++;
	return 0;
}

/* Inline markup of one block into styled text: `code`, **bold**, *emph*,
 * backslash escapes. A marker without its partner stays literal. */
static int inline_parse(const char *p, size_t n, unsigned char base, styled *o)
{
	int bold = 0, emph = 0;
	for (size_t i = 0; i < n;) {
		unsigned char attr = base == LA_HEADING ? LA_HEADING
				     : bold		   ? LA_BOLD
				     : emph		   ? LA_EMPH
							   : base;
		if (p[i] == '\\' && i + 1 < n && strchr("\\`*_{}#-", p[i + 1])) {
			if (st_put(o, p + i + 1, 1, attr) < 0)
				return -1;
			i += 2;
			continue;
		}
		if (p[i] == '`') {
			const char *e = memchr(p + i + 1, '`', n - i - 1);
			if (e) {
				size_t len = (size_t)(e - (p + i + 1));
				if (st_put(o, p + i + 1, len, base == LA_HEADING ? LA_HEADING : LA_CODE) < 0)
					return -1;
				i += len + 2;
				continue;
			}
		}
		if (p[i] == '*' && i + 1 < n && p[i + 1] == '*') {
			if (bold) {
				bold = 0;
				i += 2;
				continue;
			}
			for (size_t j = i + 2; j + 1 < n; j++)
				if (p[j] == '*' && p[j + 1] == '*' && j > i + 2) {
					bold = 1;
					break;
				}
			if (bold) {
				i += 2;
				continue;
			}
		} else if (p[i] == '*') {
			if (emph && i > 0 && p[i - 1] != ' ') {
				emph = 0;
				i++;
				continue;
			}
			if (!emph && i + 1 < n && p[i + 1] != ' ') {
				for (size_t j = i + 2; j < n; j++)
					if (p[j] == '*' && p[j - 1] != ' ' && (j + 1 >= n || p[j + 1] != '*')) {
						emph = 1;
						break;
					}
				if (emph) {
					i++;
					continue;
				}
			}
		}
		if (st_put(o, p + i, 1, attr) < 0)
			return -1;
		i++;
	}
	return 0;
}

/* Word-wraps one styled block. first/rest: the prefix of the first and of
 * the following lines (the bullet and its hanging indent). */
static int wrap_block(const styled *b, int width, const styled *first, const styled *rest,
		      unsigned char base, lesson_lines *out)
{
	styled line = {0};
	int r = -1;
	const styled *pre = first;
	size_t w = width > 0 ? (size_t)width : 1;
	if (st_put(&line, pre->t ? pre->t : "", pre->n, LA_NORMAL) < 0)
		goto done;
	if (pre->n)
		memcpy(line.a, pre->a, pre->n);
	size_t used = cols(pre->t ? pre->t : "", pre->n), words = 0;
	size_t i = 0;
	while (i < b->n) {
		while (i < b->n && b->t[i] == ' ')
			i++;
		if (i >= b->n)
			break;
		size_t s = i;
		while (i < b->n && b->t[i] != ' ')
			i++;
		const char *wp = b->t + s;
		const unsigned char *wa = b->a + s;
		size_t wn = i - s;
		while (wn) {
			size_t wc = cols(wp, wn);
			if (words && used + 1 + wc > w) {
				if (push_line(out, &line) < 0)
					goto done;
				line.n = 0;
				pre = rest;
				if (st_put(&line, pre->t ? pre->t : "", pre->n, LA_NORMAL) < 0)
					goto done;
				used = cols(pre->t ? pre->t : "", pre->n);
				words = 0;
			}
			if (words) {
				/* the space takes the attribute of its neighbours when they agree */
				unsigned char sa = line.a[line.n - 1] == wa[0] ? wa[0] : base;
				if (st_put(&line, " ", 1, sa) < 0)
					goto done;
				used++;
			}
			size_t room = w > used ? w - used : 0;
			size_t take = wc;
			if (wc > room) {
				/* Only a word longer than a whole line gets here (a shorter
				 * one went to a fresh line above): cut it at a code point. */
				take = room ? room : 1;
			}
			size_t bytes = cp_prefix(wp, wn, take);
			size_t at = line.n;
			if (st_put(&line, wp, bytes, LA_NORMAL) < 0)
				goto done;
			memcpy(line.a + at, wa, bytes);
			used += take;
			words++;
			wp += bytes;
			wa += bytes;
			wn -= bytes;
			if (wn) {
				if (push_line(out, &line) < 0)
					goto done;
				line.n = 0;
				pre = rest;
				if (st_put(&line, pre->t ? pre->t : "", pre->n, LA_NORMAL) < 0)
					goto done;
				used = cols(pre->t ? pre->t : "", pre->n);
				words = 0;
			}
		}
	}
	if (words || !out->n || line.n)
		if (push_line(out, &line) < 0)
			goto done;
	r = 0;
done:
	st_free(&line);
	return r;
}

enum { B_NONE, B_PARA, B_HEAD, B_ITEM };

static int flush(int kind, const char *txt, size_t n, int width, int *blank, lesson_lines *out)
{
	if (kind == B_NONE)
		return 0;
	styled b = {0}, first = {0}, rest = {0};
	int r = -1;
	unsigned char base = kind == B_HEAD ? LA_HEADING : LA_NORMAL;
	if (*blank && out->n) {
		styled empty = {0};
		if (push_line(out, &empty) < 0)
			return -1;
	}
	*blank = 0;
	if (inline_parse(txt, n, base, &b) < 0)
		goto done;
	if (kind == B_ITEM && width >= 3) {
		if (st_put(&first, "-", 1, LA_BULLET) < 0 || st_put(&first, " ", 1, LA_NORMAL) < 0)
			goto done;
		if (width >= 8 && st_put(&rest, "  ", 2, LA_NORMAL) < 0)
			goto done;
	}
	r = wrap_block(&b, width, &first, &rest, base, out);
done:
	st_free(&b);
	st_free(&first);
	st_free(&rest);
	return r;
}

int lesson_wrap(const char *md, int width, lesson_lines *out)
{
	memset(out, 0, sizeof *out);
	if (!md)
		return 0;
	if (width < 1)
		width = 1;
	styled cur = {0};
	int kind = B_NONE, blank = 0, r = -1;
	const char *p = md;
	while (*p) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		/* the line, with tabs as spaces and CR dropped */
		char *ln = malloc(n + 1);
		if (!ln)
			goto done;
		size_t k = 0;
		for (size_t i = 0; i < n; i++)
			if (p[i] != '\r')
				ln[k++] = p[i] == '\t' ? ' ' : p[i];
		ln[k] = 0;
		size_t s = 0;
		while (ln[s] == ' ')
			s++;
		int fail = 0;
		if (!ln[s]) {
			fail = flush(kind, cur.t, cur.n, width, &blank, out);
			kind = B_NONE;
			cur.n = 0;
			blank = 1;
		} else if (ln[s] == '#') {
			fail = flush(kind, cur.t, cur.n, width, &blank, out);
			size_t h = s;
			while (ln[h] == '#')
				h++;
			while (ln[h] == ' ')
				h++;
			cur.n = 0;
			kind = B_NONE;
			fail = fail || flush(B_HEAD, ln + h, strlen(ln + h), width, &blank, out);
		} else if (ln[s] == '-' && ln[s + 1] == ' ') {
			fail = flush(kind, cur.t, cur.n, width, &blank, out);
			cur.n = 0;
			kind = B_ITEM;
			fail = fail || st_put(&cur, ln + s + 2, strlen(ln + s + 2), 0);
		} else {
			if (kind == B_NONE)
				kind = B_PARA;
			else if (st_put(&cur, " ", 1, 0) < 0)
				fail = 1;
			fail = fail || st_put(&cur, ln + s, strlen(ln + s), 0);
		}
		free(ln);
		if (fail)
			goto done;
		p += n;
		if (*p == '\n')
			p++;
	}
	if (flush(kind, cur.t, cur.n, width, &blank, out) < 0)
		goto done;
	r = 0;
done:
	st_free(&cur);
	if (r < 0)
		lesson_lines_free(out);
	return r;
}

void lesson_lines_free(lesson_lines *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].text);
		free(l->v[i].attr);
	}
	free(l->v);
	memset(l, 0, sizeof *l);
}

static int is_heading(const lesson_line *l)
{
	return l->len && l->attr[0] == LA_HEADING;
}

void lesson_print(FILE *f, const char *md, int width)
{
	lesson_lines l;
	if (lesson_wrap(md, width, &l) < 0)
		return;
	size_t under = 0;
	for (size_t i = 0; i < l.n; i++) {
		fprintf(f, "%s\n", l.v[i].text);
		if (is_heading(&l.v[i])) {
			size_t c = cols(l.v[i].text, l.v[i].len);
			under = c > under ? c : under;
			if (i + 1 == l.n || !is_heading(&l.v[i + 1])) {
				for (size_t k = 0; k < under; k++)
					fputc('-', f);
				fputc('\n', f);
				under = 0;
			}
		}
	}
	lesson_lines_free(&l);
}
