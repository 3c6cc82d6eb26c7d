/* --json: one object per handshake, on one line, with the contract's keys
 * (see DESIGN.md "JSON contract"). */
#include "ui/views.h"

#include "tls/alert.h"
#include "tls/msg.h"

#include <string.h>

/* One thread writes: skip stdio's per-call locking, which costs more than
 * the writing itself for megabytes of small pieces. */
#define putc putc_unlocked
#define fwrite fwrite_unlocked
#define fputs(s, f) put_str(s, f)

static void put_str(const char *s, FILE *f)
{
	fwrite(s, 1, strlen(s), f);
}

/* The writers below avoid printf per byte: a replay of a thousand
 * handshakes prints tens of megabytes of this. */
static void str(FILE *f, const char *s)
{
	putc('"', f);
	while (*s) {
		size_t run = 0;
		while (s[run] && s[run] != '"' && s[run] != '\\' && (unsigned char)s[run] >= 0x20 &&
		       (unsigned char)s[run] < 0x7f)
			run++;
		fwrite(s, 1, run, f);
		s += run;
		if (!*s)
			break;
		unsigned char c = (unsigned char)*s++;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else
			fprintf(f, "\\u%04x", c);
	}
	putc('"', f);
}

static void hex(FILE *f, const uint8_t *p, size_t n)
{
	static const char d[] = "0123456789abcdef";
	char buf[512];
	putc('"', f);
	while (n) {
		size_t k = n < sizeof buf / 2 ? n : sizeof buf / 2;
		for (size_t i = 0; i < k; i++) {
			buf[2 * i] = d[p[i] >> 4];
			buf[2 * i + 1] = d[p[i] & 15];
		}
		fwrite(buf, 1, 2 * k, f);
		p += k;
		n -= k;
	}
	putc('"', f);
}

static void num(FILE *f, unsigned long v)
{
	char b[24];
	int i = sizeof b;
	do
		b[--i] = (char)('0' + v % 10);
	while ((v /= 10) && i > 0);
	fwrite(b + i, 1, sizeof b - (size_t)i, f);
}

static void value(FILE *f, const model_value *v)
{
	if (v->known)
		hex(f, v->v, v->len);
	else
		fputs("null", f);
}

static void spans(FILE *f, const tls_spans *sp)
{
	fputc('[', f);
	for (size_t i = 0; i < sp->n; i++) {
		const tls_span *s = &sp->v[i];
		fputs(i ? ",{\"path\":" : "{\"path\":", f);
		str(f, s->path);
		fputs(",\"offset\":", f);
		num(f, s->offset);
		fputs(",\"length\":", f);
		num(f, s->length);
		fputs(",\"meaning\":", f);
		str(f, s->meaning);
		putc('}', f);
	}
	fputc(']', f);
}

static void side(FILE *f, const model_side *s)
{
	fputc('{', f);
	for (int i = 0; i < MS_COUNT; i++) {
		fprintf(f, "%s\"%s\":", i ? "," : "", model_secret_key(i));
		if (i == MS_PREMASTER && s->premaster_full.len > s->v[i].len)
			hex(f, s->premaster_full.v, s->premaster_full.len);
		else
			value(f, &s->v[i]);
	}
	fputs(",\"transcript_hash\":", f);
	value(f, &s->transcript_hash);
	if (s->cert_note[0]) {
		fputs(",\"certificate_check\":", f);
		str(f, s->cert_note);
	}
	putc('}', f);
}

static void message(FILE *f, const model_msg *g)
{
	fputs("{\"name\":", f);
	str(f, g->name);
	fprintf(f, ",\"from\":\"%s\",\"encrypted\":%s,\"decrypted\":%s,\"record\":%zu,\"record_offset\":%zu",
		g->from_server ? "server" : "client", g->encrypted ? "true" : "false",
		g->decrypted ? "true" : "false", g->record, g->record_offset);
	fputs(",\"bytes\":", f);
	hex(f, g->bytes.p, g->bytes.len);
	if (g->note[0]) {
		fputs(",\"note\":", f);
		str(f, g->note);
	}
	fputs(",\"fields\":", f);
	spans(f, &g->fields);
	putc('}', f);
}

static void step(FILE *f, const model_step *st)
{
	fprintf(f, "{\"number\":%d,\"title\":", st->number);
	str(f, st->title);
	if (st->note[0]) {
		fputs(",\"note\":", f);
		str(f, st->note);
	}
	fputs(",\"records\":[", f);
	for (size_t i = 0; i < st->n_rec; i++) {
		fputs(i ? "," : "", f);
		hex(f, st->rec[i].wire.p, st->rec[i].wire.len);
	}
	fputs("],\"record_fields\":[", f);
	for (size_t i = 0; i < st->n_rec; i++) {
		fputs(i ? "," : "", f);
		spans(f, &st->rec[i].fields);
	}
	fputs("],\"messages\":[", f);
	for (size_t i = 0; i < st->n_msg; i++) {
		fputs(i ? "," : "", f);
		message(f, &st->msg[i]);
	}
	fputs("],\"client_knows\":", f);
	side(f, &st->client);
	fputs(",\"server_knows\":", f);
	side(f, &st->server);
	putc('}', f);
}

void json_string(FILE *f, const char *s)
{
	str(f, s);
}

void json_model(FILE *f, const model *m)
{
	json_model_with(f, m, NULL, NULL);
}

void json_model_with(FILE *f, const model *m, void (*extra)(FILE *f, const void *ctx), const void *ctx)
{
	putc('{', f);
	if (extra)
		extra(f, ctx);
	fputs("\"source\":", f);
	str(f, m->source);
	if (m->scenario[0]) {
		fputs(",\"scenario\":", f);
		str(f, m->scenario);
	}
	if (m->has_seed)
		fprintf(f, ",\"seed\":%llu", (unsigned long long)m->seed);
	const char *vn = tls_version_name(m->version);
	fprintf(f, ",\"version\":\"%s\"", vn ? vn : m->version ? "other" : "unknown");
	fputs(",\"cipher_suite\":", f);
	str(f, m->suite[0] ? m->suite : "none");
	fprintf(f, ",\"cipher_suite_id\":%u", m->suite_id);
	fputs(",\"server_name\":", f);
	str(f, m->server_name);
	fputs(",\"certificate_subject\":", f);
	str(f, m->cert_subject);
	fprintf(f, ",\"extended_master_secret\":%s", m->ems ? "true" : "false");
	fprintf(f, ",\"encrypt_then_mac\":%s", m->etm ? "true" : "false");
	fprintf(f, ",\"outcome\":\"%s\"", model_outcome_name(m->outcome));
	if (m->alert.present) {
		const char *nm = tls_alert_name(m->alert.desc);
		fprintf(f, ",\"alert\":{\"sent_by\":\"%s\",\"level\":\"%s\",\"description\":\"%s\",\"step\":%d,\"reason\":",
			m->alert.by_server ? "server" : "client", m->alert.level == 1 ? "warning" : "fatal",
			nm ? nm : "unknown", m->alert.step);
		str(f, m->alert.reason);
		putc('}', f);
	} else {
		fputs(",\"alert\":null", f);
	}
	fputs(",\"steps\":[", f);
	int first = 1;
	for (int i = 1; i <= MODEL_LAST_STEP; i++) {
		if (!m->steps[i].reached)
			continue;
		fputs(first ? "" : ",", f);
		first = 0;
		step(f, &m->steps[i]);
	}
	fputs("],\"secrets\":{", f);
	for (int i = 0; i < MS_COUNT; i++) {
		fprintf(f, "%s\"%s\":", i ? "," : "", model_secret_key(i));
		if (i == MS_PREMASTER && m->premaster_full.len > m->secrets[i].len)
			hex(f, m->premaster_full.v, m->premaster_full.len); /* DHE: as long as p */
		else
			value(f, &m->secrets[i]);
	}
	fputs(",\"session_hash\":", f);
	value(f, &m->session_hash);
	fputs(",\"key_block\":", f);
	if (m->key_block_len)
		hex(f, m->key_block, m->key_block_len);
	else
		fputs("null", f);
	fputs("}}\n", f);
}
