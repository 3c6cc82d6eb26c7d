/* Lesson placeholders and conditions: what each {{name}} means at a step.
 *
 * Values are resolved against one step of the model only, so a lesson can
 * never show a value before the handshake has produced it; that is the
 * point of the "which nobody knows at step k" error.
 *
 * Placeholders: every secret of the model by its JSON key (client_random,
 * server_random, premaster_secret, master_secret, client_write_mac_key, ...,
 * server_verify_data) and NAME_length for its size in bytes (for a DHE
 * premaster secret, the whole value's: the model keeps only its first 48
 * bytes as a plain secret); then the rows of `vars` below. Adding a
 * placeholder is one row there and its resolver above it. A row's `from`
 * is the first step at which the value can exist in any run; the resolver
 * decides whether this run has it by then.
 *
 * Conditions of {{if NAME}}: the rows of `conds`, alert_DESCRIPTION (that
 * alert was sent, e.g. alert_decrypt_error), alert_by_step_N (an alert was
 * sent at step N or before), client_ext_NAME and
 * server_ext_NAME (that hello carries the extension, by its name in the
 * engine's table, e.g. client_ext_supported_groups), or any placeholder
 * (true when known). Like the values, a condition only looks at what has happened by
 * that step: at step 1 nobody knows the key exchange.
 *
 * Hex values longer than 16 bytes are shown as their first 8 bytes and an
 * ellipsis; the full values are in the knowledge view beside the lesson. */
#include "ui/lesson_int.h"

#include "model/choice.h"
#include "model/model13.h"
#include "tls/alert.h"
#include "tls/msg.h"
#include "tls/suites.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define VAL_MAX     400
#define SHORT_BYTES 16 /* longer values are shortened */

/* ---- what the model holds at a step ---------------------------------- */

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
static const model_msg *msg_at(const model *m, int step, int in, enum model_msg_kind kind, int from_server)
{
	if (in > step || in < 1 || in > MODEL_LAST_STEP || !m->steps[in].reached)
		return NULL;
	const model_step *st = &m->steps[in];
	for (size_t i = 0; i < st->n_msg; i++)
		if (st->msg[i].kind == kind && st->msg[i].from_server == from_server &&
		    (!st->msg[i].encrypted || st->msg[i].decrypted))
			return &st->msg[i];
	return NULL;
}

/* The ServerKeyExchange seen by this step, decoded by the engine's own
 * decoder (its pointers point into the model). 1 when there is one. */
static int ske_at(const model *m, int step, int ecdhe, tls_ske *out)
{
	const model_msg *g = msg_at(m, step, 4, MODEL_MSG_SERVER_KEY_EXCHANGE, 1);
	return g && g->bytes.len > 4 &&
	       tls_ske_decode(g->bytes.p + 4, g->bytes.len - 4, ecdhe, out, NULL) == 0;
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

/* ---- secrets: one generic rule for every key of the model ------------- */

/* 1/0 as lesson_resolve for a secret or its _length, -1 when name is neither. */
static int resolve_secret(const model *m, int step, const char *name, char *val, size_t vn)
{
	for (int s = 0; s < MS_COUNT; s++) {
		const char *key = model_secret_key((enum model_secret)s);
		size_t kl = strlen(key);
		int length = !strncmp(name, key, kl) && !strcmp(name + kl, "_length");
		if (strcmp(name, key) && !length)
			continue;
		const model_value *v = secret_at(m, step, s);
		if (!v)
			return 0;
		if (!length)
			hex_value(val, vn, v->v, v->len);
		else
			snprintf(val, vn, "%zu", v->len);
		return 1;
	}
	return -1;
}

/* TLS 1.3: a secret of the key schedule by its RFC 8446 name (model13.h),
 * when a side knows it after the step; NAME_length for its size. */
static int resolve_secret13(const model *m, int step, const char *name, char *val, size_t vn)
{
	char base[64];
	size_t n = strlen(name);
	int length = n > 7 && !strcmp(name + n - 7, "_length");
	snprintf(base, sizeof base, "%.*s", (int)(length ? n - 7 : n), name);
	if (model13_index(base) < 0)
		return -1;
	const model_step *st = &m->steps[step];
	const tls13_step *t = model13_value(m, base);
	if (step < 1 || !t || (!model13_known(&st->client, base) && !model13_known(&st->server, base)))
		return 0;
	if (length)
		snprintf(val, vn, "%zu", t->len);
	else
		hex_value(val, vn, t->value, t->len);
	return 1;
}

/* ---- resolvers of the table: 1 and val when known, 0 when not --------- */

typedef int (*resolver)(const model *m, int step, char *val, size_t vn);

static int r_premaster_version(const model *m, int step, char *val, size_t vn)
{
	const model_value *v = secret_at(m, step, MS_PREMASTER);
	if (!v || v->len < 2)
		return 0;
	snprintf(val, vn, "%02x%02x", v->v[0], v->v[1]);
	return 1;
}

static int r_cipher_suite(const model *m, int step, char *val, size_t vn)
{
	(void)step;
	if (!m->suite_id || !m->suite[0])
		return 0;
	snprintf(val, vn, "%s", m->suite);
	return 1;
}

static int r_cipher_suite_id(const model *m, int step, char *val, size_t vn)
{
	(void)step;
	if (!m->suite_id || !m->suite[0])
		return 0;
	snprintf(val, vn, "0x%04X", m->suite_id);
	return 1;
}

static int r_prf_hash(const model *m, int step, char *val, size_t vn)
{
	(void)step;
	if (!m->suite_id || !m->suite[0])
		return 0;
	snprintf(val, vn, "%s", m->prf_sha384 ? "SHA-384" : "SHA-256");
	return 1;
}

static int r_key_block_length(const model *m, int step, char *val, size_t vn)
{
	if (!m->key_block_len || !secret_at(m, step, MS_CLIENT_KEY))
		return 0;
	snprintf(val, vn, "%zu", m->key_block_len);
	return 1;
}

/* RFC 5246 6.3 cuts IVs from the key block only for implicit-nonce (AEAD)
 * suites; a CBC record carries its own IV. tlsstep derives the CBC IVs too
 * (the TLS 1.0 layout) to show them: this is the length without them. */
static int r_key_block_rfc_length(const model *m, int step, char *val, size_t vn)
{
	const tls_suite *su = suite_at(m, step);
	if (!su || !m->key_block_len || !secret_at(m, step, MS_CLIENT_KEY))
		return 0;
	size_t n = 2 * (su->mac_key_len + su->key_len);
	if (su->bulk != TLS_BULK_AES_CBC)
		n += 2 * su->fixed_iv_len;
	snprintf(val, vn, "%zu", n);
	return 1;
}

static int client_version(const model *m, int step, unsigned *v)
{
	const model_msg *g = msg_at(m, step, 1, MODEL_MSG_CLIENT_HELLO, 0);
	if (!g || g->bytes.len < 6)
		return 0;
	*v = (unsigned)g->bytes.p[4] << 8 | g->bytes.p[5];
	return 1;
}

static int r_client_version(const model *m, int step, char *val, size_t vn)
{
	unsigned v;
	if (!client_version(m, step, &v))
		return 0;
	const char *name = tls_version_name(v);
	if (name)
		snprintf(val, vn, "%s", name);
	else
		snprintf(val, vn, "version 0x%04x", v);
	return 1;
}

static int r_client_version_hex(const model *m, int step, char *val, size_t vn)
{
	unsigned v;
	if (!client_version(m, step, &v))
		return 0;
	snprintf(val, vn, "%04x", v);
	return 1;
}

/* ECParameters: curve_type 3 (named_curve), then the curve's code */
static int r_named_curve(const model *m, int step, char *val, size_t vn)
{
	const tls_suite *su = suite_at(m, step);
	tls_ske ske;
	if (!su || !tls_suite_is_ecdhe(su) || !ske_at(m, step, 1, &ske) || ske.curve_type != 3)
		return 0;
	const char *c = tls_group_label(ske.named_curve);
	if (c)
		snprintf(val, vn, "%s", c);
	else
		snprintf(val, vn, "curve 0x%04X", (unsigned)ske.named_curve);
	return 1;
}

/* ServerDHParams starts with dh_p<1..2^16-1>: its size without leading zeros */
static int r_dh_p_bits(const model *m, int step, char *val, size_t vn)
{
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

static int r_server_name(const model *m, int step, char *val, size_t vn)
{
	(void)step;
	if (!m->server_name[0])
		return 0;
	snprintf(val, vn, "%s", m->server_name);
	return 1;
}

static int r_certificate_subject(const model *m, int step, char *val, size_t vn)
{
	(void)step;
	if (!m->cert_subject[0])
		return 0;
	snprintf(val, vn, "%s", m->cert_subject);
	return 1;
}

/* the client's verdict on the server's certificate */
static int r_certificate_check(const model *m, int step, char *val, size_t vn)
{
	if (!m->steps[step].client.cert_note[0])
		return 0;
	snprintf(val, vn, "%s", m->steps[step].client.cert_note);
	return 1;
}

/* the server's verdict on a client certificate */
static int r_client_certificate_check(const model *m, int step, char *val, size_t vn)
{
	if (!m->steps[step].server.cert_note[0])
		return 0;
	snprintf(val, vn, "%s", m->steps[step].server.cert_note);
	return 1;
}

/* the extended master secret's input, known with the master secret */
static int r_session_hash(const model *m, int step, char *val, size_t vn)
{
	if (!m->ems || !m->session_hash.known || !m->session_hash.len || !secret_at(m, step, MS_MASTER))
		return 0;
	hex_value(val, vn, m->session_hash.v, m->session_hash.len);
	return 1;
}

static int r_transcript_hash(const model *m, int step, char *val, size_t vn)
{
	const model_side *sd = &m->steps[step].client;
	if (!sd->transcript_hash.known || !sd->transcript_hash.len)
		return 0;
	hex_value(val, vn, sd->transcript_hash.v, sd->transcript_hash.len);
	return 1;
}

static int r_transcript_length(const model *m, int step, char *val, size_t vn)
{
	const model_side *sd = &m->steps[step].client;
	if (!sd->transcript_hash.known || !sd->transcript_hash.len)
		return 0;
	snprintf(val, vn, "%zu", sd->transcript_len);
	return 1;
}

static int r_seed(const model *m, int step, char *val, size_t vn)
{
	(void)step;
	if (!m->has_seed)
		return 0;
	snprintf(val, vn, "%llu", (unsigned long long)m->seed);
	return 1;
}

static int r_scenario(const model *m, int step, char *val, size_t vn)
{
	(void)step;
	if (!m->scenario[0])
		return 0;
	snprintf(val, vn, "%s", m->scenario);
	return 1;
}

static int r_alert(const model *m, int step, char *val, size_t vn)
{
	if (!alert_at(m, step))
		return 0;
	const char *a = tls_alert_name(m->alert.desc);
	if (a)
		snprintf(val, vn, "%s (%d)", a, m->alert.desc);
	else
		snprintf(val, vn, "alert %d", m->alert.desc);
	return 1;
}

static int r_alert_sender(const model *m, int step, char *val, size_t vn)
{
	if (!alert_at(m, step))
		return 0;
	snprintf(val, vn, "%s", m->alert.by_server ? "server" : "client");
	return 1;
}

static int r_alert_receiver(const model *m, int step, char *val, size_t vn)
{
	if (!alert_at(m, step))
		return 0;
	snprintf(val, vn, "%s", m->alert.by_server ? "client" : "server");
	return 1;
}

static int r_alert_step(const model *m, int step, char *val, size_t vn)
{
	if (!alert_at(m, step))
		return 0;
	snprintf(val, vn, "%d", m->alert.step);
	return 1;
}

static int r_alert_reason(const model *m, int step, char *val, size_t vn)
{
	if (!alert_at(m, step) || !m->alert.reason[0])
		return 0;
	snprintf(val, vn, "%s", m->alert.reason);
	return 1;
}

/* TLS 1.3: the hash of its suite, which runs HKDF and the transcript */
static int r_hash13(const model *m, int step, char *val, size_t vn)
{
	if (!m->t13.active || step < 2)
		return 0;
	snprintf(val, vn, "%s", m->suite_id == 0x1302 ? "SHA-384" : "SHA-256");
	return 1;
}

/* TLS 1.3: the group of the key share the server took */
static int r_key_share_group(const model *m, int step, char *val, size_t vn)
{
	const char *g = m->t13.group ? tls_group_label(m->t13.group) : NULL;
	if (!m->t13.active || step < 2 || !g)
		return 0;
	snprintf(val, vn, "%s", g);
	return 1;
}

static int client_hello_at(const model *m, int step, tls_client_hello *ch);

/* TLS 1.3: a hybrid post-quantum share in the ClientHello (browsers send
 * X25519MLKEM768), "X25519MLKEM768 (0x11ec)" */
static unsigned hybrid_offered(const model *m, int step)
{
	tls_client_hello ch;
	const tls_ext *e;
	if (!client_hello_at(m, step, &ch) || !(e = tls_ext_find(ch.exts, ch.n_exts, 51)))
		return 0;
	return tls_key_share_hybrid(e->data, e->len);
}

static int r_hybrid_share(const model *m, int step, char *val, size_t vn)
{
	unsigned g = hybrid_offered(m, step);
	if (!g)
		return 0;
	snprintf(val, vn, "%s (0x%04x)", tls_group_name(g), g);
	return 1;
}

/* its two parts in words */
static int r_hybrid_parts(const model *m, int step, char *val, size_t vn)
{
	unsigned g = hybrid_offered(m, step);
	if (!g)
		return 0;
	tls_hybrid_parts_text(g, val, vn);
	return val[0] != 0;
}

/* TLS 1.3: the signature scheme of the server's CertificateVerify */
static int r_cert_verify_scheme(const model *m, int step, char *val, size_t vn)
{
	const char *a = m->t13.cert_verify_alg ? tls_sig_alg_name(m->t13.cert_verify_alg) : NULL;
	if (!m->t13.active || step < 4 || !a)
		return 0;
	snprintf(val, vn, "%s", a);
	return 1;
}

/* ---- a live connection: what the client offered, what the server chose
 * (model/choice.h reads both hellos; the table's `from` keeps the server's
 * side out of step 1) ---- */

static int choice_at(const model *m, int step, int server, model_choice *c)
{
	return msg_at(m, step, 1, MODEL_MSG_CLIENT_HELLO, 0) && model_choice_read(m, c) &&
	       (!server || (c->has_server_hello && msg_at(m, step, 2, MODEL_MSG_SERVER_HELLO, 1)));
}

static int r_offered_versions(const model *m, int step, char *val, size_t vn)
{
	model_choice c;
	if (!choice_at(m, step, 0, &c))
		return 0;
	model_choice_versions(&c, val, vn);
	return 1;
}

static int r_chosen_version(const model *m, int step, char *val, size_t vn)
{
	model_choice c;
	if (!choice_at(m, step, 1, &c))
		return 0;
	const char *v = tls_version_name(c.version);
	if (v)
		snprintf(val, vn, "%s", v);
	else
		snprintf(val, vn, "version 0x%04x", c.version);
	return 1;
}

static int r_offered_suites_count(const model *m, int step, char *val, size_t vn)
{
	model_choice c;
	if (!choice_at(m, step, 0, &c))
		return 0;
	snprintf(val, vn, "%zu", c.n_suites);
	return 1;
}

static int r_chosen_suite_rank(const model *m, int step, char *val, size_t vn)
{
	model_choice c;
	if (!choice_at(m, step, 1, &c) || !c.suite_rank)
		return 0;
	snprintf(val, vn, "%zu", c.suite_rank);
	return 1;
}

static int r_offered_groups(const model *m, int step, char *val, size_t vn)
{
	model_choice c;
	if (!choice_at(m, step, 0, &c) || !c.n_groups)
		return 0;
	model_choice_groups(c.groups, c.n_groups, val, vn);
	return 1;
}

static int r_key_share_offered(const model *m, int step, char *val, size_t vn)
{
	model_choice c;
	if (!choice_at(m, step, 0, &c) || !c.n_shares)
		return 0;
	model_choice_groups(c.shares, c.n_shares, val, vn);
	return 1;
}

/* What each TLS 1.3 CertificateVerify scheme is (RFC 8446 4.2.3, 4.4.3):
 * one row per scheme tlsstep can meet; a new scheme is a row. */
static const struct {
	uint16_t alg;
	const char *how;
} cv_schemes[] = {
    {0x0804, "The certificate's key is RSA, so the scheme is RSA-PSS (rsa_pss_rsae_sha256): a salt as "
             "long as the hash, fresh for each signature; PKCS#1 v1.5 must not sign a TLS 1.3 handshake "
             "message (4.2.3)."},
    {0x0805, "The certificate's key is RSA, so the scheme is RSA-PSS (rsa_pss_rsae_sha384): a salt as "
             "long as the hash, fresh for each signature; PKCS#1 v1.5 must not sign a TLS 1.3 handshake "
             "message (4.2.3)."},
    {0x0806, "The certificate's key is RSA, so the scheme is RSA-PSS (rsa_pss_rsae_sha512): a salt as "
             "long as the hash, fresh for each signature; PKCS#1 v1.5 must not sign a TLS 1.3 handshake "
             "message (4.2.3)."},
    {0x0403, "The certificate's key is EC, on the curve P-256 (secp256r1), so the scheme is ECDSA "
             "with SHA-256 (ecdsa_secp256r1_sha256): in TLS 1.3 the scheme names the curve as well as "
             "the hash (4.2.3). The signature is DER, a SEQUENCE of two INTEGERs r and s, each a "
             "number below the curve's 256-bit group order, made with a fresh random number for each "
             "signature."},
    {0x0503, "The certificate's key is EC, on the curve P-384 (secp384r1), so the scheme is ECDSA "
             "with SHA-384 (ecdsa_secp384r1_sha384): in TLS 1.3 the scheme names the curve as well as "
             "the hash (4.2.3). The signature is DER, a SEQUENCE of two INTEGERs r and s, each a "
             "number below the curve's 384-bit group order, made with a fresh random number for each "
             "signature."},
};

/* TLS 1.3: what the server's CertificateVerify scheme says (a row above) */
static int r_cert_verify_how(const model *m, int step, char *val, size_t vn)
{
	if (!m->t13.active || step < 4 || !m->t13.cert_verify_alg)
		return 0;
	for (size_t i = 0; i < sizeof cv_schemes / sizeof cv_schemes[0]; i++)
		if (cv_schemes[i].alg == m->t13.cert_verify_alg) {
			snprintf(val, vn, "%s", cv_schemes[i].how);
			return 1;
		}
	return 0;
}

/* The placeholders besides the secrets: name, first step it can be known, resolver. */
static const struct {
	const char *name;
	int from;
	resolver get;
} vars[] = {
    {"premaster_version", 1, r_premaster_version}, /* its first two bytes */
    {"cipher_suite", 2, r_cipher_suite},
    {"cipher_suite_id", 2, r_cipher_suite_id}, /* 0x002F */
    {"prf_hash", 2, r_prf_hash},
    {"key_block_length", 1, r_key_block_length},
    {"key_block_rfc_length", 1, r_key_block_rfc_length}, /* what RFC 5246 6.3 needs */
    {"client_version", 1, r_client_version},             /* TLS 1.2, from the ClientHello */
    {"client_version_hex", 1, r_client_version_hex},     /* 0303 */
    {"named_curve", 2, r_named_curve},                   /* ECDHE, from the ServerKeyExchange */
    {"dh_p_bits", 2, r_dh_p_bits},                       /* DHE, from the ServerKeyExchange */
    {"server_name", 1, r_server_name},
    {"certificate_subject", 3, r_certificate_subject},
    {"certificate_check", 0, r_certificate_check},
    {"client_certificate_check", 0, r_client_certificate_check},
    {"session_hash", 1, r_session_hash}, /* with ems, the hash the master secret is made from */
    {"transcript_hash", 0, r_transcript_hash},
    {"transcript_length", 0, r_transcript_length},
    {"seed", 0, r_seed},
    {"scenario", 0, r_scenario},
    {"alert", 1, r_alert}, /* "decrypt_error (51)" */
    {"alert_sender", 1, r_alert_sender},
    {"alert_receiver", 1, r_alert_receiver},
    {"alert_reason", 1, r_alert_reason},
    {"alert_step", 1, r_alert_step},
    {"hash13", 2, r_hash13},                         /* TLS 1.3: SHA-256 or SHA-384 */
    {"key_share_group", 2, r_key_share_group},       /* TLS 1.3: x25519, secp256r1 ... */
    {"hybrid_share", 1, r_hybrid_share},             /* X25519MLKEM768 (0x11ec), offered by the client */
    {"hybrid_parts", 1, r_hybrid_parts},             /* what its key_exchange holds */
    {"cert_verify_scheme", 4, r_cert_verify_scheme}, /* TLS 1.3: rsa_pss_rsae_sha256 ... */
    {"cert_verify_how", 4, r_cert_verify_how},       /* TLS 1.3: a sentence on that scheme */
    {"offered_versions", 1, r_offered_versions},     /* "TLS 1.3 and TLS 1.2" */
    {"chosen_version", 2, r_chosen_version},         /* from supported_versions or legacy */
    {"offered_suites_count", 1, r_offered_suites_count},
    {"chosen_suite_rank", 2, r_chosen_suite_rank},   /* 1 = the client's first */
    {"offered_groups", 1, r_offered_groups},         /* supported_groups */
    {"key_share_offered", 1, r_key_share_offered},   /* groups of the client's key shares */
};

int lesson_resolve(const model *m, int step, const char *name, char *val, size_t vn)
{
	val[0] = 0;
	/* TLS 1.3 first: master_secret and the verify_data are its own there */
	int r = m->t13.active ? resolve_secret13(m, step, name, val, vn) : -1;
	if (r < 0)
		r = resolve_secret(m, step, name, val, vn);
	if (r >= 0)
		return r;
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
		if (!strcmp(name, vars[i].name))
			return step >= vars[i].from && vars[i].get(m, step, val, vn);
	return -1;
}

/* ---- conditions -------------------------------------------------------- */

typedef int (*predicate)(const model *m, int step);

static int c_aead(const model *m, int step)
{
	const tls_suite *s = suite_at(m, step);
	return s && s->bulk == TLS_BULK_AES_GCM;
}

static int c_cbc(const model *m, int step)
{
	const tls_suite *s = suite_at(m, step);
	return s && s->bulk == TLS_BULK_AES_CBC;
}

static int c_established(const model *m, int step)
{
	return m->outcome == MODEL_ESTABLISHED && step >= 6 && !alert_at(m, step);
}

static int c_rsa_kx(const model *m, int step)
{
	const tls_suite *s = suite_at(m, step);
	return s && s->kx == TLS_KX_RSA;
}

/* Every key exchange but RSA and DHE is ECDHE, signed with RSA or ECDSA. */
static int c_ecdhe(const model *m, int step)
{
	const tls_suite *s = suite_at(m, step);
	return s && s->kx != TLS_KX_RSA && s->kx != TLS_KX_DHE_RSA;
}

static int c_dhe(const model *m, int step)
{
	const tls_suite *s = suite_at(m, step);
	return s && s->kx == TLS_KX_DHE_RSA;
}

static int c_ephemeral(const model *m, int step)
{
	const tls_suite *s = suite_at(m, step);
	return s && s->kx != TLS_KX_RSA;
}

/* the server's certificate holds an EC key */
static int c_ecdsa(const model *m, int step)
{
	const tls_suite *s = suite_at(m, step);
	return tls_suite_is_ecdsa(s);
}

/* the server sent a CertificateRequest */
static int c_mutual(const model *m, int step)
{
	return msg_at(m, step, 4, MODEL_MSG_CERTIFICATE_REQUEST, 1) != NULL;
}

/* the ClientHello names a session */
static int c_session_offered(const model *m, int step)
{
	const uint8_t *sid;
	size_t n;
	return hello_session(msg_at(m, step, 1, MODEL_MSG_CLIENT_HELLO, 0), &sid, &n) && n > 0;
}

/* The ClientHello's session ID names a session to resume: any non-empty
 * ID of a hello without supported_versions; in a hello of a TLS 1.3
 * client, only a cached TLS 1.2 session's (RFC 8446 4.1.2: the client
 * then holds its master secret from step 1 on), not compatibility mode's
 * random bytes (D.4), even when an attacker garbled the version list. */
static int client_hello_at(const model *m, int step, tls_client_hello *ch);
static int has_ext(const tls_ext *e, size_t n, const char *name);
static int c_session_named(const model *m, int step)
{
	tls_client_hello ch;
	return c_session_offered(m, step) && client_hello_at(m, step, &ch) &&
	       (!has_ext(ch.exts, ch.n_exts, "supported_versions") || m->steps[1].client.v[MS_MASTER].known);
}

/* RFC 5246 7.3: a server that resumes echoes the client's session ID. */
static int c_resumed(const model *m, int step)
{
	const uint8_t *cs, *ss;
	size_t cn, sn;
	return hello_session(msg_at(m, step, 1, MODEL_MSG_CLIENT_HELLO, 0), &cs, &cn) &&
	       hello_session(msg_at(m, step, 2, MODEL_MSG_SERVER_HELLO, 1), &ss, &sn) && cn && cn == sn &&
	       !memcmp(cs, ss, cn);
}

/* a Finished arrived with the wrong verify_data (the observer's note says so) */
static int c_finished_mismatch(const model *m, int step)
{
	for (int k = 5; k <= 6 && k <= step; k++)
		for (size_t i = 0; m->steps[k].reached && i < m->steps[k].n_msg; i++)
			if (m->steps[k].msg[i].kind == MODEL_MSG_FINISHED &&
			    strstr(m->steps[k].msg[i].note, "does NOT match"))
				return 1;
	return 0;
}

/* the hellos agreed on the extended master secret of RFC 7627 */
static int c_ems(const model *m, int step)
{
	return m->ems && step >= 2;
}

/* The hellos as the engine decodes them, when they exist by this step. */
static int client_hello_at(const model *m, int step, tls_client_hello *ch)
{
	const model_msg *g = msg_at(m, step, 1, MODEL_MSG_CLIENT_HELLO, 0);
	return g && g->bytes.len > 4 &&
	       tls_client_hello_decode(g->bytes.p + 4, g->bytes.len - 4, ch, NULL) == 0;
}

static int server_hello_at(const model *m, int step, tls_server_hello *sh)
{
	const model_msg *g = msg_at(m, step, 2, MODEL_MSG_SERVER_HELLO, 1);
	return g && g->bytes.len > 4 &&
	       tls_server_hello_decode(g->bytes.p + 4, g->bytes.len - 4, sh, NULL) == 0;
}

/* the server took the suite the client listed first */
static int c_first_offer(const model *m, int step)
{
	tls_client_hello ch;
	return suite_at(m, step) && client_hello_at(m, step, &ch) && ch.n_suites &&
	       ch.suites[0] == m->suite_id;
}

/* A misspelt extension name is an error in the lesson, not a false condition. */
static int ext_known(const char *name)
{
	return tls_ext_by_name(name) >= 0;
}

/* the ClientHello, as the server received it, lists first a suite that no
 * one implements (what the tampered scenario's attacker makes of it) */
static int c_first_offer_unknown(const model *m, int step)
{
	tls_client_hello ch;
	return client_hello_at(m, step, &ch) && ch.n_suites && !tls_suite_by_id(ch.suites[0]);
}

static int has_ext(const tls_ext *e, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++) {
		const char *x = tls_ext_name(e[i].type);
		if (x && !strcmp(x, name))
			return 1;
	}
	return 0;
}

static int c_alert_by_client(const model *m, int step)
{
	return alert_at(m, step) && !m->alert.by_server;
}

static int c_alert_by_server(const model *m, int step)
{
	return alert_at(m, step) && m->alert.by_server;
}

/* TLS 1.3: the ServerHello said so (a 1.3 client may still end up in 1.2) */
static int c_tls13(const model *m, int step)
{
	return m->t13.active && step >= 2;
}

/* TLS 1.3: the server asked for another key share (HelloRetryRequest) */
static int c_hrr(const model *m, int step)
{
	return m->t13.hrr && step >= 1;
}

/* TLS 1.3: the server accepted the client's PSK (a ticket) */
static int c_psk(const model *m, int step)
{
	return m->t13.psk_accepted && step >= 2;
}

/* TLS 1.3: the client offered a PSK */
static int c_psk_offered(const model *m, int step)
{
	return m->t13.psk_offered && step >= 1;
}

/* TLS 1.3: middlebox compatibility mode (RFC 8446 D.4) */
static int c_compat(const model *m, int step)
{
	(void)step;
	return m->t13.compat;
}

static int c_chacha(const model *m, int step)
{
	const tls_suite *s = suite_at(m, step);
	return s && s->bulk == TLS_BULK_CHACHA20_POLY1305;
}

/* TLS 1.3: the server sent a CertificateRequest (inside its encrypted flight) */
static int c_mutual13(const model *m, int step)
{
	return msg_at(m, step, 3, MODEL_MSG_CERTIFICATE_REQUEST, 1) != NULL;
}

/* TLS 1.3: the server's CertificateVerify is ECDSA (an EC certificate) */
static int c_cert_verify_ecdsa(const model *m, int step)
{
	uint16_t a = m->t13.cert_verify_alg;
	return m->t13.active && step >= 4 && (a & 0xff) == 0x03;
}

/* TLS 1.3: the client sent a hybrid post-quantum key share */
static int c_hybrid_share(const model *m, int step)
{
	return hybrid_offered(m, step) != 0;
}

/* TLS 1.3: a NewSessionTicket went by */
static int c_ticket(const model *m, int step)
{
	return msg_at(m, step, 6, MODEL_MSG_NEW_SESSION_TICKET, 1) != NULL;
}

/* a live connection (connect or serve), and which end tlsstep played */
static int c_live(const model *m, int step)
{
	(void)step;
	return !strcmp(m->source, "connect") || !strcmp(m->source, "serve");
}

static int c_serve(const model *m, int step)
{
	(void)step;
	return !strcmp(m->source, "serve");
}

static int offers(const model *m, int step, uint16_t v)
{
	model_choice c;
	for (size_t i = 0; choice_at(m, step, 0, &c) && i < c.n_versions; i++)
		if (c.versions[i] == v)
			return 1;
	return 0;
}

/* the ClientHello offers TLS 1.3 (in supported_versions), TLS 1.2 */
static int c_offered_13(const model *m, int step)
{
	return offers(m, step, 0x0304);
}

static int c_offered_12(const model *m, int step)
{
	return offers(m, step, 0x0303);
}

/* the ServerHello.random ends in DOWNGRD: a 1.3 server answered 1.2 (4.1.3) */
static int c_downgrade_sentinel(const model *m, int step)
{
	model_choice c;
	return choice_at(m, step, 1, &c) && c.downgrade;
}

static const struct {
	const char *name;
	predicate test;
} conds[] = {
    {"live", c_live},
    {"serve", c_serve},
    {"offered_13", c_offered_13},
    {"offered_12", c_offered_12},
    {"downgrade_sentinel", c_downgrade_sentinel},
    {"tls13", c_tls13},
    {"hrr", c_hrr},
    {"hybrid_share", c_hybrid_share},
    {"psk", c_psk},
    {"psk_offered", c_psk_offered},
    {"compat", c_compat},
    {"chacha", c_chacha},
    {"mutual13", c_mutual13},
    {"cert_verify_ecdsa", c_cert_verify_ecdsa},
    {"ticket", c_ticket},
    {"first_offer", c_first_offer},
    {"first_offer_unknown", c_first_offer_unknown},
    {"aead", c_aead},
    {"cbc", c_cbc},
    {"established", c_established},
    {"rsa_kx", c_rsa_kx},
    {"ecdhe", c_ecdhe},
    {"dhe", c_dhe},
    {"ephemeral", c_ephemeral}, /* ecdhe or dhe */
    {"ecdsa", c_ecdsa},
    {"mutual", c_mutual},
    {"resumed", c_resumed},
    {"session_offered", c_session_offered},
    {"session_named", c_session_named},
    {"finished_mismatch", c_finished_mismatch},
    {"ems", c_ems},
    {"alert_by_client", c_alert_by_client},
    {"alert_by_server", c_alert_by_server},
};

int lesson_condition(const model *m, int step, const char *name)
{
	for (size_t i = 0; i < sizeof conds / sizeof conds[0]; i++)
		if (!strcmp(name, conds[i].name))
			return conds[i].test(m, step);
	/* client_ext_NAME, server_ext_NAME: that hello carries extension NAME */
	if ((!strncmp(name, "client_ext_", 11) || !strncmp(name, "server_ext_", 11)) && !ext_known(name + 11))
		return -1;
	if (!strncmp(name, "client_ext_", 11)) {
		tls_client_hello ch;
		return client_hello_at(m, step, &ch) && has_ext(ch.exts, ch.n_exts, name + 11);
	}
	if (!strncmp(name, "server_ext_", 11)) {
		tls_server_hello sh;
		return server_hello_at(m, step, &sh) && has_ext(sh.exts, sh.n_exts, name + 11);
	}
	/* alert_by_step_N: an alert was sent at step N or earlier. A lesson
	 * part about step N is filled at a later step too (--plain fills the
	 * whole scenario lesson at the last one), where plain "alert" would
	 * also be true for an alert that came after it. */
	if (!strncmp(name, "alert_by_step_", 14) && name[14] >= '0' && name[14] <= '7' && !name[15])
		return alert_at(m, step) && m->alert.step <= name[14] - '0';
	if (!strncmp(name, "alert_", 6)) {
		/* alert_decrypt_error: that alert has been sent by this step */
		for (int d = 0; d < 256; d++) {
			const char *a = tls_alert_name(d);
			if (a && !strcmp(name + 6, a))
				return alert_at(m, step) && m->alert.desc == d;
		}
	}
	char val[VAL_MAX];
	return lesson_resolve(m, step, name, val, sizeof val);
}
