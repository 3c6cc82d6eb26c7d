#include "model/model.h"

#include <stdio.h>

#include <stdlib.h>
#include <string.h>

#include <tomcrypt.h>

static const char *const titles[] = {
	"", "Client hello", "Server hello", "Server certificate", "Server hello done",
	"Client response", "Server finished", "Secure channel",
};

static const char *const keys[MS_COUNT] = {
	"client_random", "server_random", "premaster_secret", "master_secret",
	"client_write_mac_key", "server_write_mac_key", "client_write_key", "server_write_key",
	"client_write_iv", "server_write_iv", "client_verify_data", "server_verify_data",
};

static const char *const labels[MS_COUNT] = {
	"client random", "server random", "premaster secret", "master secret",
	"client write MAC key", "server write MAC key", "client write key", "server write key",
	"client write IV", "server write IV", "client verify_data", "server verify_data",
};

void model_init(model *m, const char *source)
{
	memset(m, 0, sizeof *m);
	strncpy(m->source, source, sizeof m->source - 1);
	for (int i = 1; i <= MODEL_LAST_STEP; i++) {
		m->steps[i].number = i;
		m->steps[i].title = titles[i];
	}
}

void model_free(model *m)
{
	for (int i = 1; i <= MODEL_LAST_STEP; i++) {
		model_step *s = &m->steps[i];
		for (size_t j = 0; j < s->n_rec; j++) {
			tls_buf_free(&s->rec[j].wire);
			tls_spans_free(&s->rec[j].fields);
			tls_buf_free(&s->rec[j].opened);
			tls_spans_free(&s->rec[j].opened_fields);
		}
		for (size_t j = 0; j < s->n_msg; j++) {
			tls_buf_free(&s->msg[j].bytes);
			tls_spans_free(&s->msg[j].fields);
		}
		free(s->rec);
		free(s->msg);
	}
	tls_wipe(m, sizeof *m);
}

const char *model_step_title(int n)
{
	return n >= 1 && n <= MODEL_LAST_STEP ? titles[n] : "";
}

const char *model_secret_key(enum model_secret s) { return keys[s]; }
const char *model_secret_label(enum model_secret s) { return labels[s]; }

model_record *model_add_record(model_step *s)
{
	if (s->n_rec == s->cap_rec) {
		size_t cap = s->cap_rec ? 2 * s->cap_rec : 8;
		model_record *v = realloc(s->rec, cap * sizeof *v);
		if (!v)
			return NULL;
		s->rec = v;
		s->cap_rec = cap;
	}
	model_record *r = &s->rec[s->n_rec++];
	memset(r, 0, sizeof *r);
	return r;
}

model_msg *model_add_msg(model_step *s)
{
	if (s->n_msg == s->cap_msg) {
		size_t cap = s->cap_msg ? 2 * s->cap_msg : 8;
		model_msg *v = realloc(s->msg, cap * sizeof *v);
		if (!v)
			return NULL;
		s->msg = v;
		s->cap_msg = cap;
	}
	model_msg *g = &s->msg[s->n_msg++];
	memset(g, 0, sizeof *g);
	return g;
}

void model_value_set(model_value *v, const uint8_t *p, size_t n)
{
	if (n > sizeof v->v)
		n = sizeof v->v;
	memcpy(v->v, p, n);
	v->len = n;
	v->known = 1;
}

const char *model_outcome_name(enum model_outcome o)
{
	switch (o) {
	case MODEL_ESTABLISHED: return "established";
	case MODEL_ALERT: return "alert";
	case MODEL_INCOMPLETE: return "incomplete";
	default: return "running";
	}
}

void model_wire_hash(const model *m, char out[65])
{
	hash_state h;
	uint8_t d[32];
	sha256_init(&h);
	for (int i = 1; i <= MODEL_LAST_STEP; i++)
		for (size_t j = 0; j < m->steps[i].n_rec; j++)
			sha256_process(&h, m->steps[i].rec[j].wire.p, (unsigned long)m->steps[i].rec[j].wire.len);
	sha256_done(&h, d);
	tls_hex(out, d, 32);
}

/* One row per kind: its name, and for a handshake message its type byte
 * (RFC 5246 7.4, RFC 8446 4), -1 for the rest. */
static const struct {
	const char *name;
	int hs_type;
} kinds[MODEL_MSG_KIND_COUNT] = {
	[MODEL_MSG_HELLO_REQUEST] = {"HelloRequest", 0},
	[MODEL_MSG_CLIENT_HELLO] = {"ClientHello", 1},
	[MODEL_MSG_SERVER_HELLO] = {"ServerHello", 2},
	[MODEL_MSG_HELLO_RETRY_REQUEST] = {"HelloRetryRequest", -1}, /* type 2 on the wire */
	[MODEL_MSG_NEW_SESSION_TICKET] = {"NewSessionTicket", 4},
	[MODEL_MSG_END_OF_EARLY_DATA] = {"EndOfEarlyData", 5},
	[MODEL_MSG_ENCRYPTED_EXTENSIONS] = {"EncryptedExtensions", 8},
	[MODEL_MSG_CERTIFICATE] = {"Certificate", 11},
	[MODEL_MSG_SERVER_KEY_EXCHANGE] = {"ServerKeyExchange", 12},
	[MODEL_MSG_CERTIFICATE_REQUEST] = {"CertificateRequest", 13},
	[MODEL_MSG_SERVER_HELLO_DONE] = {"ServerHelloDone", 14},
	[MODEL_MSG_CERTIFICATE_VERIFY] = {"CertificateVerify", 15},
	[MODEL_MSG_CLIENT_KEY_EXCHANGE] = {"ClientKeyExchange", 16},
	[MODEL_MSG_FINISHED] = {"Finished", 20},
	[MODEL_MSG_KEY_UPDATE] = {"KeyUpdate", 24},
	[MODEL_MSG_UNKNOWN_HANDSHAKE] = {"UnknownHandshake", -1},
	[MODEL_MSG_HANDSHAKE_FRAGMENT] = {"Handshake fragment", -1},
	[MODEL_MSG_CHANGE_CIPHER_SPEC] = {"ChangeCipherSpec", -1},
	[MODEL_MSG_ALERT] = {"Alert", -1},
	[MODEL_MSG_APPLICATION_DATA] = {"ApplicationData", -1},
	[MODEL_MSG_ENCRYPTED_HANDSHAKE] = {"Encrypted handshake message", -1},
	[MODEL_MSG_ENCRYPTED_ALERT] = {"Encrypted alert", -1},
	[MODEL_MSG_ENCRYPTED_APPLICATION_DATA] = {"Encrypted application data", -1},
};

const char *model_msg_name(enum model_msg_kind k)
{
	return (unsigned)k < MODEL_MSG_KIND_COUNT ? kinds[k].name : "";
}

enum model_msg_kind model_msg_kind_of_hs(int t)
{
	for (int k = 0; k < MODEL_MSG_KIND_COUNT; k++)
		if (t >= 0 && kinds[k].hs_type == t)
			return (enum model_msg_kind)k;
	return MODEL_MSG_UNKNOWN_HANDSHAKE;
}

const model_msg *model_find_msg(const model *m, int step, enum model_msg_kind kind, int from_server)
{
	for (size_t i = 0; i < m->steps[step].n_msg; i++) {
		const model_msg *g = &m->steps[step].msg[i];
		if (g->kind == kind && g->from_server == from_server)
			return g;
	}
	return NULL;
}

static int old_prf(const model *m)
{
	return m->version == 0x0301 || m->version == 0x0302;
}

const char *model_prf_name(const model *m)
{
	if (old_prf(m))
		return "TLS 1.0/1.1 PRF: P_MD5 XOR P_SHA1 over the two halves of the secret";
	return m->prf_sha384 ? "TLS 1.2 PRF with HMAC-SHA-384" : "TLS 1.2 PRF with HMAC-SHA-256";
}

const char *model_hash_name(const model *m)
{
	return old_prf(m) ? "MD5 + SHA-1" : m->prf_sha384 ? "SHA-384" : "SHA-256";
}

/* A wire flip names its record and offset. An inside flip knows only its
 * offset in the step's decrypted bytes; it is marked at that offset of the
 * step's wire bytes, as the views always did (the ciphertext byte that
 * really changed sits after the record header, and the tag changed too). */
int model_tampered_byte(const model *m, int step, size_t *rec, size_t *off)
{
	if (step < 1 || step > MODEL_LAST_STEP || m->tamper.step != step)
		return 0;
	const model_step *st = &m->steps[step];
	if (!m->tamper.present && !m->tamper.inside)
		return 0;
	if (m->tamper.record >= st->n_rec || m->tamper.offset >= st->rec[m->tamper.record].wire.len)
		return 0;
	*rec = m->tamper.record;
	*off = m->tamper.offset;
	return 1;
}

void model_thousands(char *out, size_t n, size_t v)
{
	if (v >= 1000)
		snprintf(out, n, "%zu,%03zu", v / 1000, v % 1000);
	else
		snprintf(out, n, "%zu", v);
}

void model_finished_formula(const model *m, int server, char *out, size_t n)
{
	const model_value *h = &m->finished_hash[server ? 1 : 0];
	const char *who = server ? "server" : "client";
	char len[32], hex[2 * sizeof h->v + 1];
	if (!h->known) {
		snprintf(out, n, "PRF(master_secret, \"%s finished\", %s(handshake messages))[0..11]", who,
			 model_hash_name(m));
		return;
	}
	model_thousands(len, sizeof len, m->finished_len[server ? 1 : 0]);
	for (size_t i = 0; i < h->len; i++)
		snprintf(hex + 2 * i, sizeof hex - 2 * i, "%02x", h->v[i]);
	snprintf(out, n, "PRF(master_secret, \"%s finished\", %s(%s bytes of handshake messages) = %s)[0..11]",
		 who, model_hash_name(m), len, hex);
}
