#include "model/observe.h"

#include "model/knowledge.h"
#include "model/model13.h"
#include "model/observe13.h"
#include "tls/alert.h"
#include "tls/crypto.h"
#include "tls/msg.h"
#include "tls/prf.h"
#include "tls/keys.h"
#include "tls/protect.h"
#include "tls/x509.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct observer {
	model *m;
	int brief;      /* for a list of connections, where only the version, suite,
			 * keys and completion matter: no field spans, certificates,
			 * knowledge columns or decryption */
	tls_buf hs[2];  /* partial handshake message, per direction (0 client, 1 server) */
	int hs_step[2]; /* step of that partial message */
	int ccs[2];
	tls_protect rd[2];
	int rd_on[2];
	uint8_t master[48];
	int have_master;
	uint8_t cr[32], sr[32];
	int have_cr, have_sr;
	const tls_suite *suite;
	tls_keys keys;
	int have_keys;
	/* The handshake hash runs only the hash the ServerHello calls for
	 * (th_kind: 0 not known yet, TH_MD5_SHA1 for TLS 1.0/1.1, TH_SHA256,
	 * TH_SHA384); until then the messages wait in th_pending. */
	int th_kind;
	hash_state th, th_sha1;
	tls_buf th_pending;
	int last_step;
	/* what a replay adds */
	const rsa_key *rsa; /* server private key: opens an RSA ClientKeyExchange */
	uint8_t premaster[48];
	size_t pms_len;
	int have_pms;
	uint8_t epms_head[8]; /* first 8 bytes of the encrypted premaster: key log
				 "RSA" lines */
	int have_epms;
	int etm_offered, etm;     /* encrypt_then_mac (RFC 7366) offered / agreed */
	int ems_offered, ems;     /* extended master secret (RFC 7627) offered / agreed */
	uint8_t offered_sid[32];  /* the ClientHello's session ID: echoed, it resumes */
	size_t offered_sid_len;
	uint8_t session_hash[48]; /* transcript hash through ClientKeyExchange, for EMS */
	size_t session_hash_len;
	int tls13;
	obs13 t13;            /* TLS 1.3 traffic keys and sequence numbers */
	int t13_client_fin;   /* the client's encrypted Finished flight has gone by */
	int enc_seen[2];      /* protected records seen per direction */
	int finished_seen[2]; /* Finished (or its protected record) seen per direction
			       */
	uint8_t verify[2][12];
	int have_verify[2];
	size_t transcript_len;
	char key_note[200]; /* why no keys can be derived (version, suite, RSA
			       failure) */
};

/* Where the spans of a record or message go: nowhere in brief mode. */
#define RSP(o, r) ((o)->brief ? NULL : &(r)->fields)
#define GSP(o, g) ((o)->brief ? NULL : &(g)->fields)

observer *obs_new(model *m)
{
	observer *o = calloc(1, sizeof *o);
	if (!o)
		return NULL;
	o->m = m;
	o->last_step = 1;
	if (tls_crypto_init())
		snprintf(o->key_note, sizeof o->key_note, "libtomcrypt did not start: no key can be derived");
	return o;
}

void obs_set_brief(observer *o, int brief)
{
	o->brief = brief;
}

int obs_has_master(const observer *o)
{
	return o->have_master;
}

int obs_last_step(const observer *o)
{
	return o->last_step;
}

int obs_channel_started(const observer *o)
{
	return o->finished_seen[0] && o->finished_seen[1];
}

const uint8_t *obs_client_random(const observer *o)
{
	return o->have_cr ? o->cr : NULL;
}

const uint8_t *obs_rsa_head(const observer *o)
{
	return o->have_epms && !o->have_pms ? o->epms_head : NULL;
}

const tls_suite *obs_suite(const observer *o)
{
	return o->suite;
}

int obs_server_hello_seen(const observer *o)
{
	return o->have_sr;
}

const char *obs_key_note(const observer *o)
{
	return o->key_note;
}

void obs_free(observer *o)
{
	if (!o)
		return;
	tls_buf_free(&o->hs[0]);
	tls_buf_free(&o->hs[1]);
	tls_buf_free(&o->th_pending);
	tls_protect_free(&o->rd[0]);
	tls_protect_free(&o->rd[1]);
	tls_wipe(o, sizeof *o);
	free(o);
}

/* The version whose PRF and records apply: the ServerHello's, TLS 1.2
 * until one went by. */
static uint16_t version(const observer *o)
{
	return o->m->version ? o->m->version : TLS_VERSION_12;
}

static int old_version(const observer *o)
{
	return tls_version_uses_prf10(version(o));
}

/* TLS 1.0, 1.1 and 1.2 keys are derived; SSL 3.0 and TLS 1.3 keep their
 * records opaque, with key_note saying why. The older versions only had CBC
 * suites with SHA-1 MACs (the SHA-256 ones and GCM came with TLS 1.2). */
static int derivable(const observer *o)
{
	if (!o->suite)
		return 0;
	if (old_version(o))
		return o->suite->bulk == TLS_BULK_AES_CBC && o->suite->mac == TLS_MAC_SHA1;
	return version(o) == TLS_VERSION_12;
}

static void try_keys(observer *o)
{
	/* A brief observer reads no protected record: no keys to derive. */
	if (o->brief || o->have_keys || !o->have_master || !o->have_cr || !o->have_sr || !derivable(o))
		return;
	if (tls_derive_keys_ver(version(o), o->suite, o->master, o->cr, o->sr, &o->keys) == 0)
		o->have_keys = 1;
}

enum { TH_MD5_SHA1 = 1, TH_SHA256, TH_SHA384 };

static void th_feed(observer *o, const uint8_t *p, size_t n)
{
	if (!n) /* libtomcrypt aborts on a NULL input, even of length 0 */
		return;
	switch (o->th_kind) {
	case TH_MD5_SHA1:
		md5_process(&o->th, p, (unsigned long)n);
		sha1_process(&o->th_sha1, p, (unsigned long)n);
		break;
	case TH_SHA384: sha384_process(&o->th, p, (unsigned long)n); break;
	default: sha256_process(&o->th, p, (unsigned long)n);
	}
}

/* Adds a handshake message to the running hash. Which hash runs is known
 * once the ServerHello gave the version and suite; the hello messages
 * before that are held back. A brief observer stops hashing once it has
 * the master secret: the hash only serves the EMS derivation there. */
static void transcript_add(observer *o, const uint8_t *p, size_t n)
{
	o->transcript_len += n;
	if (o->brief && o->have_master)
		return;
	if (!o->th_kind && o->have_sr) {
		o->th_kind = old_version(o) ? TH_MD5_SHA1
			   : o->suite && o->suite->prf == TLS_PRF_SHA384 ? TH_SHA384
									  : TH_SHA256;
		if (o->th_kind == TH_MD5_SHA1) {
			md5_init(&o->th);
			sha1_init(&o->th_sha1);
		} else if (o->th_kind == TH_SHA384) {
			sha384_init(&o->th);
		} else {
			sha256_init(&o->th);
		}
		th_feed(o, o->th_pending.p, o->th_pending.len);
		tls_buf_free(&o->th_pending);
	}
	if (o->th_kind)
		th_feed(o, p, n);
	else if (tls_buf_put(&o->th_pending, p, n))
		snprintf(o->key_note, sizeof o->key_note, "out of memory: the handshake hash is incomplete");
}

/* The running handshake hash as Finished and the EMS session hash want it:
 * MD5 + SHA-1 (36 bytes) for TLS 1.0/1.1, else the suite's PRF hash
 * (SHA-256 before a ServerHello said otherwise). The running states are
 * copied, so hashing goes on. Returns the length. */
static size_t transcript_hash(const observer *o, uint8_t out[48])
{
	hash_state st;
	switch (o->th_kind) {
	case TH_MD5_SHA1:
		st = o->th;
		md5_done(&st, out);
		st = o->th_sha1;
		sha1_done(&st, out + 16);
		return 36;
	case TH_SHA384:
		st = o->th;
		sha384_done(&st, out);
		return 48;
	case TH_SHA256:
		st = o->th;
		sha256_done(&st, out);
		return 32;
	default:
		sha256_init(&st);
		if (o->th_pending.len)
			sha256_process(&st, o->th_pending.p, (unsigned long)o->th_pending.len);
		sha256_done(&st, out);
		return 32;
	}
}

static void start_protection(observer *o, int dir);

void obs_set_master(observer *o, const uint8_t ms[48])
{
	memcpy(o->master, ms, 48);
	o->have_master = 1;
	try_keys(o);
	/* A replay may learn the master only after a ChangeCipherSpec went by
	 * (RSA key opened late); protection can still start while no protected
	 * record has been seen in that direction. */
	for (int dir = 0; dir < 2; dir++)
		if (o->ccs[dir] && !o->rd_on[dir] && !o->enc_seen[dir])
			start_protection(o, dir);
}

static void derive_master(observer *o)
{
	uint8_t ms[48];
	if (o->have_master || !o->have_pms || !o->have_cr || !o->have_sr || !derivable(o))
		return;
	int ok;
	if (o->ems) /* RFC 7627 4: the master secret is bound to the handshake so far
		     */
		ok = o->session_hash_len &&
		     tls_derive_master_ems_ver(version(o), o->suite, o->premaster, o->pms_len,
					       o->session_hash, o->session_hash_len, ms) == 0;
	else
		ok = tls_derive_master_ver(version(o), o->suite, o->premaster, o->pms_len, o->cr,
					   o->sr, ms) == 0;
	if (ok)
		obs_set_master(o, ms);
	zeromem(ms, sizeof ms);
}

void obs_set_rsa_key(observer *o, const rsa_key *k)
{
	o->rsa = k;
}

int obs_set_premaster(observer *o, const uint8_t *pms, size_t n)
{
	if (!n || n > sizeof o->premaster)
		return -1;
	memcpy(o->premaster, pms, n);
	o->pms_len = n;
	o->have_pms = 1;
	derive_master(o);
	return o->have_master ? 0 : -1;
}

void obs_knowledge(const observer *o, model_side *s)
{
	memset(s, 0, sizeof *s);
	if (o->have_cr)
		model_value_set(&s->v[MS_CLIENT_RANDOM], o->cr, 32);
	if (o->have_sr)
		model_value_set(&s->v[MS_SERVER_RANDOM], o->sr, 32);
	if (o->have_pms)
		model_value_set(&s->v[MS_PREMASTER], o->premaster, o->pms_len);
	if (o->have_master)
		model_value_set(&s->v[MS_MASTER], o->master, 48);
	if (o->have_keys)
		knowledge_put_keys(s, &o->keys);
	for (int d = 0; d < 2; d++)
		if (o->have_verify[d])
			model_value_set(&s->v[d ? MS_SERVER_VERIFY : MS_CLIENT_VERIFY],
					o->verify[d], 12);
}

void obs_secrets(const observer *o, model *m)
{
	model_side s;
	obs_knowledge(o, &s);
	for (int i = 0; i < MS_COUNT; i++)
		m->secrets[i] = s.v[i];
	if (o->have_keys) {
		memcpy(m->key_block, o->keys.block, o->keys.block_len);
		m->key_block_len = o->keys.block_len;
	}
	if (o->ems && o->session_hash_len) {
		m->ems = 1;
		model_value_set(&m->session_hash, o->session_hash, o->session_hash_len);
	}
	tls_wipe(&s, sizeof s);
}

static int hs_step(int type, int from_server)
{
	switch (type) {
	case TLS_HS_CLIENT_HELLO: return 1;
	case TLS_HS_SERVER_HELLO: return 2;
	case TLS_HS_CERTIFICATE: return from_server ? 3 : 5;
	case TLS_HS_SERVER_KEY_EXCHANGE:
	case TLS_HS_CERTIFICATE_REQUEST:
	case TLS_HS_SERVER_HELLO_DONE: return 4;
	case TLS_HS_NEW_SESSION_TICKET: return 6;
	default: return from_server ? 6 : 5;
	}
}

/* TLS 1.3 hides its handshake after ServerHello: the server's encrypted
 * flight (EncryptedExtensions .. Finished) is filed under step 3, the client's
 * under step 5 and what follows under the secure channel. */
static int tls13_step_of(observer *o, int from_server, uint8_t type)
{
	if (o->t13_client_fin)
		return MODEL_LAST_STEP;
	if (from_server)
		return 3;
	if (type == TLS_CT_APPLICATION_DATA)
		o->t13_client_fin = 1;
	return 5;
}

/* A protected 1.3 record: by the real type inside when the keys open it,
 * else by who sent it and what went before. */
static int tls13_classify(observer *o, int from_server, const uint8_t *wire, size_t n)
{
	uint8_t *pt = malloc(n), inner;
	size_t len;
	int step;
	if (pt && obs13_open(&o->t13, o->suite, from_server ? 1 : 0, wire, n, pt, &len, &inner, 0) == 0)
		step = obs13_step(from_server, inner, pt, len, o->last_step);
	else
		step = tls13_step_of(o, from_server, wire[0]);
	if (pt)
		tls_wipe(pt, n);
	free(pt);
	return step;
}

int obs_tls13_tamper(observer *o, int dir, uint8_t *wire, size_t n, size_t *seen, size_t off, uint8_t x)
{
	if (!o->tls13 || n < 5 || wire[0] != TLS_CT_APPLICATION_DATA)
		return 0;
	return obs13_tamper(&o->t13, o->suite, dir ? 1 : 0, wire, n, seen, off, x);
}

void obs_set_tls13_key(observer *o, int dir, int app, const uint8_t *key, size_t key_len, const uint8_t *iv)
{
	obs13_set_key(&o->t13, dir ? 1 : 0, app ? 1 : 0, key, key_len, iv);
}

void obs_take_tls13_keys(observer *o, const tls_knowledge *k)
{
	if (!k->tls13.active)
		return;
	if (k->tls13.has_hs_keys) {
		obs_set_tls13_key(o, 0, 0, k->tls13.client_hs_key, k->tls13.key_len, k->tls13.client_hs_iv);
		obs_set_tls13_key(o, 1, 0, k->tls13.server_hs_key, k->tls13.key_len, k->tls13.server_hs_iv);
	}
	if (k->tls13.has_ap_keys) {
		obs_set_tls13_key(o, 0, 1, k->tls13.client_ap_key, k->tls13.key_len, k->tls13.client_ap_iv);
		obs_set_tls13_key(o, 1, 1, k->tls13.server_ap_key, k->tls13.key_len, k->tls13.server_ap_iv);
	}
}

/* Whether a handshake message type may come from this side at all. */
static int sent_by_right_side(int type, int from_server)
{
	switch (type) {
	case TLS_HS_CLIENT_HELLO:
	case TLS_HS_CLIENT_KEY_EXCHANGE:
	case TLS_HS_CERTIFICATE_VERIFY: return !from_server;
	case TLS_HS_CERTIFICATE:
	case TLS_HS_FINISHED: return 1;
	default: return from_server;
	}
}

int obs_classify(observer *o, int from_server, const uint8_t *wire, size_t n)
{
	int dir = from_server ? 1 : 0;
	if (n < 5)
		return o->last_step;
	if (o->tls13 && wire[0] == TLS_CT_CHANGE_CIPHER_SPEC)
		return obs13_ccs_step(&o->t13, from_server, o->t13_client_fin);
	if (o->tls13 && wire[0] == TLS_CT_APPLICATION_DATA)
		return tls13_classify(o, from_server, wire, n);
	switch (wire[0]) {
	case TLS_CT_HANDSHAKE:
		if (o->ccs[dir])
			return from_server ? 6 : 5;
		if (o->hs[dir].len)
			return o->hs_step[dir];
		if (n <= 5 || !sent_by_right_side(wire[5], from_server))
			return o->last_step; /* a message out of place stays where things stand */
		if (wire[5] == TLS_HS_SERVER_HELLO && n >= 43 && !memcmp(wire + 11, model13_hrr_random, 32))
			return 1; /* a HelloRetryRequest: the client hello goes again */
		return hs_step(wire[5], from_server);
	case TLS_CT_CHANGE_CIPHER_SPEC: return from_server ? 6 : 5;
	case TLS_CT_APPLICATION_DATA:
		/* The secure channel starts once both sides switched keys. */
		return o->ccs[0] && o->ccs[1] ? 7 : o->last_step;
	default: return o->last_step;
	}
}

/* ---- spans on the record ------------------------------------------- */

static void header_spans(observer *o, model_record *r)
{
	const uint8_t *w = r->wire.p;
	unsigned ver = (unsigned)((w[1] << 8) | w[2]);
	tls_spans_add(RSP(o, r), "record.content_type", 0, 1, "content type: %s (%u)",
		      tls_content_type_name(w[0]), w[0]);
	tls_spans_add(RSP(o, r), "record.version", 1, 2, "record version: %s (0x%04x)",
		      ver == 0x0303 ? "TLS 1.2" : ver == 0x0301 ? "TLS 1.0" : ver == 0x0302 ? "TLS 1.1" : "other",
		      ver);
	unsigned len = (unsigned)((w[3] << 8) | w[4]);
	tls_spans_add(RSP(o, r), "record.length", 3, 2, "length of the record body: %u byte%s", len,
		      len == 1 ? "" : "s");
}

/* The protected body's parts, as record protection lays them out. */
static void protected_spans(observer *o, model_record *r)
{
	tls_protect_shape sh = {o->suite, o->etm, version(o) == TLS_VERSION_10};
	tls_protect_describe(&sh, r->wire.len - 5, RSP(o, r));
}

/* The record as its receiver holds it once decrypted (header, then the
 * opened body), named by the same layout as the wire: where the MAC and
 * the padding that the padding-oracle lesson talks about are. */
static void opened_spans(observer *o, model_record *r, const tls_buf *body)
{
	tls_protect_shape sh = {o->suite, o->etm, version(o) == TLS_VERSION_10};
	if (o->brief || tls_buf_put(&r->opened, r->wire.p, 5) ||
	    tls_buf_put(&r->opened, body->p, body->len)) {
		tls_buf_free(&r->opened);
		return;
	}
	for (size_t i = 0; i < r->fields.n && !strncmp(r->fields.v[i].path, "record.", 7); i++)
		if (r->fields.v[i].offset < 5 && tls_spans_append(&r->opened_fields, &r->fields.v[i], 1, 0))
			return;
	tls_protect_describe_opened(&sh, body->p, body->len, &r->opened_fields);
}

/* ---- messages ------------------------------------------------------- */

static model_msg *new_msg(observer *o, int step, int from_server, enum model_msg_kind kind, int enc)
{
	model_step *s = &o->m->steps[step];
	model_msg *g = model_add_msg(s);
	if (!g)
		return NULL;
	g->kind = kind;
	g->from_server = from_server;
	g->encrypted = enc;
	g->decrypted = 1;
	g->hs_type = MODEL_NOT_HS;
	g->record = s->n_rec ? s->n_rec - 1 : 0;
	return g;
}

/* Parses each certificate of the message for its spans; the first one's
 * subject goes to subject. Returns whether the first one parsed. */
static int parse_certs(model_msg *g, tls_spans *sp, char *subject, size_t sn)
{
	tls_certificate_msg cm;
	int first_ok = 0;
	subject[0] = 0;
	if (tls_certificate_decode(g->bytes.p + 4, g->bytes.len - 4, &cm, NULL))
		return 0;
	for (size_t i = 0; i < cm.n; i++) {
		tls_x509 x;
		char prefix[32];
		memset(&x, 0, sizeof x);
		snprintf(prefix, sizeof prefix, "certificate[%zu]", i);
		size_t base = (size_t)(cm.der[i] - g->bytes.p);
		if (tls_x509_parse(cm.der[i], cm.len[i], &x, sp, base, prefix) == 0 && i == 0) {
			snprintf(subject, sn, "%s", x.subject);
			first_ok = 1;
		}
		tls_x509_free(&x);
	}
	return first_ok;
}

/* The certificates' spans, described afresh for every message. */
static void cert_spans(observer *o, model_msg *g)
{
	char subject[sizeof o->m->cert_subject];
	int ok = parse_certs(g, &g->fields, subject, sizeof subject);
	if (ok && g->from_server)
		snprintf(o->m->cert_subject, sizeof o->m->cert_subject, "%s", subject);
}

/* The version a server picked: its hello's version field, or for TLS 1.3
 * the supported_versions extension (RFC 8446 4.2.1). */
static void learn_version(observer *o, const tls_server_hello *sh)
{
	const tls_ext *e = tls_ext_find(sh->exts, sh->n_exts, TLS_EXT_SUPPORTED_VERSIONS);
	if (e && e->len == 2)
		o->m->version = (uint16_t)((e->data[0] << 8) | e->data[1]);
	o->tls13 = o->m->version == 0x0304;
	if (o->tls13 && !memcmp(sh->random, model13_hrr_random, 32))
		o->t13.hrr = o->m->t13.hrr = 1;
	else if (o->tls13)
		o->t13.server_hello = 1;
	if (o->tls13)
		model_set_tls13(o->m);
	else if (o->m->t13.titled)
		model13_titles(o->m, 0); /* a 1.3 client got an older version */
	if (o->tls13)
		snprintf(o->key_note, sizeof o->key_note,
			 "TLS 1.3 encrypts the handshake from ServerHello on, with traffic keys from "
			 "its own key schedule (RFC 8446 7.1); they were not given");
	else if (o->m->version != TLS_VERSION_12 && !old_version(o))
		snprintf(o->key_note, sizeof o->key_note,
			 "version 0x%04x is older than TLS 1.0; tlsstep does not decrypt it",
			 o->m->version);
	else if (o->suite && !derivable(o))
		snprintf(o->key_note, sizeof o->key_note,
			 "%s does not allow %s (an AEAD or SHA-256 suite is TLS 1.2 only), so its "
			 "records stay encrypted",
			 o->m->version == TLS_VERSION_10 ? "TLS 1.0" : "TLS 1.1", o->suite->name);
	else if (!o->suite)
		snprintf(o->key_note, sizeof o->key_note,
			 "cipher suite 0x%04X is not one tlsstep implements, so its records stay "
			 "encrypted",
			 sh->suite);
}

static void learn_hello(observer *o, model_msg *g, int type)
{
	const uint8_t *b = g->bytes.p + 4;
	size_t n = g->bytes.len - 4;
	if (type == TLS_HS_CLIENT_HELLO) {
		tls_client_hello ch;
		if (tls_client_hello_decode(b, n, &ch, NULL) == 0) {
			memcpy(o->cr, ch.random, 32);
			o->have_cr = 1;
			snprintf(o->m->server_name, sizeof o->m->server_name, "%s", ch.server_name);
			o->ems_offered = tls_ext_find(ch.exts, ch.n_exts,
						      TLS_EXT_EXTENDED_MASTER_SECRET) != NULL;
			o->etm_offered =
			    tls_ext_find(ch.exts, ch.n_exts, TLS_EXT_ENCRYPT_THEN_MAC) != NULL;
			memcpy(o->offered_sid, ch.session_id, ch.session_id_len);
			o->offered_sid_len = ch.session_id_len;
		}
	} else {
		tls_server_hello sh;
		if (tls_server_hello_decode(b, n, &sh, NULL) == 0) {
			memcpy(o->sr, sh.random, 32);
			o->have_sr = 1;
			o->suite = tls_suite_by_id(sh.suite);
			o->m->suite_id = sh.suite;
			o->m->version = sh.version;
			const char *nm = tls_suite_iana_name(sh.suite);
			snprintf(o->m->suite, sizeof o->m->suite, "%s", nm ? nm : "unknown");
			o->m->prf_sha384 = o->suite && o->suite->prf == TLS_PRF_SHA384;
			learn_version(o, &sh);
			if (o->tls13 && !memcmp(sh.random, model13_hrr_random, 32))
				g->kind = MODEL_MSG_HELLO_RETRY_REQUEST;
			o->ems = o->ems_offered &&
				 tls_ext_find(sh.exts, sh.n_exts, TLS_EXT_EXTENDED_MASTER_SECRET) !=
				     NULL;
			o->etm = o->etm_offered && o->suite && o->suite->bulk == TLS_BULK_AES_CBC &&
				 tls_ext_find(sh.exts, sh.n_exts, TLS_EXT_ENCRYPT_THEN_MAC) != NULL;
			o->m->etm = o->etm;
			/* RFC 5246 7.4.1.3: the server echoes the offered session ID
			 * when it resumes that session. */
			if (!o->tls13 && sh.session_id_len && sh.session_id_len == o->offered_sid_len &&
			    !memcmp(sh.session_id, o->offered_sid, sh.session_id_len) && !o->m->resumed)
				knowledge_resume_notes(o->m);
		}
	}
	derive_master(o);
	try_keys(o);
}

static void check_finished(observer *o, model_msg *g)
{
	uint8_t h[48], want[12];
	size_t hl;
	if (!o->have_master || !o->suite || g->bytes.len != 16) {
		snprintf(g->note, sizeof g->note, "verify_data not checked: the master secret is unknown");
		return;
	}
	hl = transcript_hash(o, h);
	if (tls_verify_data_ver(version(o), o->suite, o->master, g->from_server, h, hl, want)) {
		snprintf(g->note, sizeof g->note, "verify_data not checked: the PRF failed");
		return;
	}
	snprintf(g->note, sizeof g->note, "verify_data %s",
		 mem_neq(want, g->bytes.p + 4, 12) ? "does NOT match" : "matches");
	memcpy(o->verify[g->from_server ? 1 : 0], g->bytes.p + 4, 12);
	o->have_verify[g->from_server ? 1 : 0] = 1;
}

/* Opens an RSA ClientKeyExchange with the server's key. Unlike a server,
 * an observer may say plainly that the padding was wrong: nobody can use
 * it as an oracle. */
static void open_premaster(observer *o, model_msg *g, const uint8_t *enc, size_t len)
{
	uint8_t dec[1024];
	unsigned long dl = sizeof dec;
	int stat = 0;
	if (!len || len > sizeof dec || tls_crypto_init())
		return;
	int err = rsa_decrypt_key_ex(enc, (unsigned long)len, dec, &dl, NULL, 0, tls_hash_sha256(),
				     LTC_PKCS_1_V1_5, &stat, (rsa_key *)o->rsa);
	if (err != CRYPT_OK || stat != 1 || dl != 48) {
		snprintf(o->key_note, sizeof o->key_note,
			 "the server key given does not open this ClientKeyExchange (a different "
			 "key?)");
		snprintf(g->note, sizeof g->note, "%s", o->key_note);
	} else {
		obs_set_premaster(o, dec, 48);
		snprintf(g->note, sizeof g->note,
			 "premaster secret recovered with the server's private key (PKCS#1 v1.5)%s",
			 o->ems ? "; extended master secret (RFC 7627): master_secret = "
				  "PRF(premaster, \"extended master secret\", hash of the "
				  "handshake through this message)"
				: "");
	}
	zeromem(dec, sizeof dec);
}

static void keep_session_hash(observer *o)
{
	o->session_hash_len = transcript_hash(o, o->session_hash);
}

static void learn_cke(observer *o, model_msg *g)
{
	keep_session_hash(o);
	const uint8_t *enc;
	size_t len;
	if (!o->suite || o->suite->kx != TLS_KX_RSA ||
	    tls_cke_rsa_decode(g->bytes.p + 4, g->bytes.len - 4, &enc, &len, NULL) || len < 8)
		return;
	memcpy(o->epms_head, enc, 8);
	o->have_epms = 1;
	if (o->rsa && !o->have_master)
		open_premaster(o, g, enc, len);
}

static void file_hs_msg(observer *o, int from_server, int enc, const uint8_t *p, size_t n,
			size_t rec_off, int rec_step)
{
	int type = p[0];
	int step = enc ? (from_server ? 6 : 5) : hs_step(type, from_server);
	if (step != rec_step)
		step = rec_step; /* a message lives with the record that started it */
	model_msg *g = new_msg(o, step, from_server, model_msg_kind_of_hs(type), enc);
	if (!g)
		return;
	g->record_offset = rec_off;
	g->hs_type = type;
	if (tls_buf_put(&g->bytes, p, n))
		return;
	char subject[sizeof o->m->cert_subject];
	if (!o->brief && o->tls13 && enc &&
	    obs13_describe(p, n, &g->fields, subject, sizeof subject) == 0) {
		if (type == TLS_HS_CERTIFICATE && from_server && subject[0])
			snprintf(o->m->cert_subject, sizeof o->m->cert_subject, "%s", subject);
	} else if (!o->brief) { /* describing is for the spans; a brief observer keeps none */
		tls_hs_describe_kx(p, n, from_server, o->suite ? (int)o->suite->kx : -1, &g->fields);
		if (type == TLS_HS_CERTIFICATE)
			cert_spans(o, g);
	}
	if (type == TLS_HS_CLIENT_HELLO || type == TLS_HS_SERVER_HELLO)
		learn_hello(o, g, type);
	if (type == TLS_HS_FINISHED && !o->brief && !o->tls13) /* 1.3: knowledge13 checks it */
		check_finished(o, g);
	transcript_add(o, p, n);
	if (type == TLS_HS_CLIENT_KEY_EXCHANGE && !from_server)
		learn_cke(o, g); /* after the transcript took it: EMS hashes through it */
}

/* Adds a cleartext message's spans to its record, shifted to wire offsets. */
static void lift_spans(observer *o, model_record *r, const model_msg *g, size_t at)
{
	tls_spans_append(RSP(o, r), g->fields.v, g->fields.n, at);
}

/* A cleartext message that began need bytes before this record: finds the
 * record of the step (same direction, cleartext handshake) holding its first
 * byte, so g->record and g->record_offset say where it starts. */
static void started_earlier(const model_step *s, int from_server, size_t need, model_msg *g)
{
	for (size_t i = s->n_rec ? s->n_rec - 1 : 0; i-- > 0;) {
		const model_record *r = &s->rec[i];
		if (r->from_server != from_server || r->type != TLS_CT_HANDSHAKE || r->encrypted ||
		    r->wire.len < 5)
			return; /* began in another step, or under encryption: left as filed */
		size_t len = r->wire.len - 5;
		if (need <= len) {
			g->record = i;
			g->record_offset = len - need;
			return;
		}
		need -= len;
	}
}

static void handshake(observer *o, model_record *r, int dir, int enc, const uint8_t *p, size_t n,
		      int step)
{
	tls_buf *hb = &o->hs[dir];
	size_t consumed_from_prev = hb->len ? 1 : 0;
	size_t off = 0;
	if (tls_buf_put(hb, p, n))
		return;
	if (!enc && consumed_from_prev)
		tls_spans_add(RSP(o, r), "handshake.fragment", 5, n,
			      "continuation of a handshake message split over records");
	while (hb->len >= 4) {
		size_t len = ((size_t)hb->p[1] << 16) | ((size_t)hb->p[2] << 8) | hb->p[3];
		if (len > tls_hs_limit(hb->p[0])) {
			tls_buf_clear(hb);
			return;
		}
		if (hb->len < 4 + len)
			break;
		model_step *s = &o->m->steps[step];
		size_t before = s->n_msg;
		size_t start_in_rec = n >= hb->len ? n - hb->len : 0;
		file_hs_msg(o, dir, enc, hb->p, 4 + len, start_in_rec, step);
		if (!enc && s->n_msg > before && n < hb->len)
			started_earlier(s, dir, hb->len - n, &s->msg[s->n_msg - 1]);
		if (!enc && s->n_msg > before && n >= hb->len)
			lift_spans(o, r, &s->msg[s->n_msg - 1], 5 + start_in_rec);
		off += 4 + len;
		tls_buf_consume(hb, 4 + len);
	}
	if (hb->len) {
		o->hs_step[dir] = step;
		/* Only a message that starts in this record gets this span; one that
		 * began earlier is covered by the continuation span above. */
		if (!enc && hb->len <= n)
			tls_spans_add(RSP(o, r), "handshake.fragment", 5 + n - hb->len, hb->len,
				      "start of a handshake message that continues in the next record");
	}
	(void)off;
}

static void simple_msg(observer *o, model_record *r, int dir, int enc, const uint8_t *p, size_t n,
		       int step, uint8_t type)
{
	enum model_msg_kind kind = type == TLS_CT_CHANGE_CIPHER_SPEC ? MODEL_MSG_CHANGE_CIPHER_SPEC
				   : type == TLS_CT_ALERT	      ? MODEL_MSG_ALERT
								      : MODEL_MSG_APPLICATION_DATA;
	model_msg *g = new_msg(o, step, dir, kind, enc);
	if (!g)
		return;
	if (tls_buf_put(&g->bytes, p, n))
		return;
	if (type == TLS_CT_CHANGE_CIPHER_SPEC) {
		if (tls_ccs_decode(p, n, GSP(o, g)))
			snprintf(g->note, sizeof g->note,
			         "not a ChangeCipherSpec: its body must be the one byte 01");
	} else if (type == TLS_CT_ALERT) {
		unsigned lv, ds;
		if (tls_alert_decode(p, n, &lv, &ds, GSP(o, g)))
			snprintf(g->note, sizeof g->note,
			         "not an alert: an alert is two bytes, level and description");
	} else if (n)
		tls_spans_add(GSP(o, g), "application_data", 0, n, "application data (%zu bytes)", n);
	if (!enc)
		lift_spans(o, r, g, 5);
	else if (o->tls13 && type == TLS_CT_APPLICATION_DATA)
		o->t13_client_fin = 1; /* data flows: the handshake is over */
}

static void opaque_msg(observer *o, model_record *r, int dir, int step)
{
	int hidden_hs = o->tls13 && step < MODEL_LAST_STEP; /* TLS 1.3 hides the real type */
	enum model_msg_kind kind = r->type == TLS_CT_HANDSHAKE || hidden_hs ? MODEL_MSG_ENCRYPTED_HANDSHAKE
				   : r->type == TLS_CT_ALERT		     ? MODEL_MSG_ENCRYPTED_ALERT
									     : MODEL_MSG_ENCRYPTED_APPLICATION_DATA;
	model_msg *g = new_msg(o, step, dir, kind, 1);
	if (!g)
		return;
	g->decrypted = 0;
	if (r->type == TLS_CT_HANDSHAKE || hidden_hs)
		g->hs_type = MODEL_HS_OPAQUE;
	if (tls_buf_put(&g->bytes, r->wire.p + 5, r->wire.len - 5))
		return;
	if (o->key_note[0])
		snprintf(g->note, sizeof g->note, "encrypted: %s", o->key_note);
	else
		snprintf(g->note, sizeof g->note, "%s",
			 o->have_master
			     ? "could not be decrypted with the known keys"
			     : "encrypted: the master secret is needed to read it (a key log line "
			       "CLIENT_RANDOM <client random> <master secret>, or for RSA key "
			       "exchange the server's private key)");
}

static void start_protection(observer *o, int dir)
{
	o->ccs[dir] = 1;
	try_keys(o);
	if (!o->have_keys)
		return;
	/* Another ChangeCipherSpec in this direction starts over: the state
	 * the first one set up is let go, not overwritten. */
	tls_protect_free(&o->rd[dir]);
	o->rd_on[dir] = 0;
	const tls_keys *k = &o->keys;
	const uint8_t *iv = dir ? k->server_iv : k->client_iv;
	if (tls_protect_init(&o->rd[dir], o->suite, dir ? k->server_mac : k->client_mac,
			     dir ? k->server_key : k->client_key, iv) == 0) {
		tls_protect_set_etm(&o->rd[dir], o->etm);
		/* TLS 1.0 sends no IV: the key block's starts the chain. */
		if (version(o) == TLS_VERSION_10 && tls_protect_set_tls10(&o->rd[dir], iv)) {
			tls_protect_free(&o->rd[dir]);
			return;
		}
		o->rd_on[dir] = 1;
	}
}

/* TLS 1.3 after ServerHello: a compatibility ChangeCipherSpec (RFC 8446
 * D.4) or a record whose real type is hidden inside its encryption. */
static void tls13_record(observer *o, model_record *r, int dir, int step)
{
	if (r->type == TLS_CT_CHANGE_CIPHER_SPEC) {
		simple_msg(o, r, dir, 0, r->wire.p + 5, r->wire.len - 5, step, r->type);
		model_step *s = &o->m->steps[step];
		o->m->t13.compat = 1;
		if (s->n_msg)
			snprintf(s->msg[s->n_msg - 1].note, sizeof s->msg[0].note,
			         "compatibility ChangeCipherSpec (RFC 8446 D.4): TLS 1.3 has no use for it and "
			         "the peer ignores it; it is sent so that a middlebox that knows TLS 1.2 sees "
			         "what it expects (a ChangeCipherSpec before encrypted records) and lets the "
			         "connection through");
		return;
	}
	r->encrypted = 1;
	uint8_t *pt = malloc(r->wire.len), inner;
	size_t len;
	if (!o->brief && pt &&
	    obs13_open(&o->t13, o->suite, dir, r->wire.p, r->wire.len, pt, &len, &inner, 1) == 0) {
		obs13_spans(RSP(o, r), r->wire.len - 5, 1, inner, len);
		if (inner == TLS_CT_HANDSHAKE)
			handshake(o, r, dir, 1, pt, len, step);
		else
			simple_msg(o, r, dir, 1, pt, len, step, inner);
		if (o->t13.stage[dir]) { /* its Finished went by */
			o->finished_seen[dir] = 1;
			if (!dir)
				o->t13_client_fin = 1;
		}
	} else {
		obs13_spans(RSP(o, r), r->wire.len - 5, 0, 0, 0);
		opaque_msg(o, r, dir, step);
		if (!o->finished_seen[dir]) /* the first protected record of each side ends
					       with its Finished */
			o->finished_seen[dir] = 1;
	}
	if (pt)
		tls_wipe(pt, r->wire.len);
	free(pt);
}

int obs_record(observer *o, int from_server, const uint8_t *wire, size_t n, int step)
{
	int dir = from_server ? 1 : 0;
	if (n < 5 || (size_t)((wire[3] << 8) | wire[4]) + 5 != n)
		return -1;
	if (step <= 0)
		step = obs_classify(o, from_server, wire, n);
	if (step < 1 || step > MODEL_LAST_STEP)
		step = MODEL_LAST_STEP;
	model_step *s = &o->m->steps[step];
	model_record *r = model_add_record(s);
	if (!r)
		return -1;
	r->from_server = dir;
	r->type = wire[0];
	if (tls_buf_put(&r->wire, wire, n))
		return -1;
	header_spans(o, r);
	if (step > o->m->current)
		o->m->current = step;
	o->last_step = step;
	if (o->tls13 &&
	    (wire[0] == TLS_CT_APPLICATION_DATA || wire[0] == TLS_CT_CHANGE_CIPHER_SPEC)) {
		tls13_record(o, r, dir, step);
		return step;
	}
	int enc = o->ccs[dir];
	r->encrypted = enc;
	if (enc && o->enc_seen[dir]++ == 0 && wire[0] == TLS_CT_HANDSHAKE)
		o->finished_seen[dir] = 1;
	tls_buf plain = {0};
	if (enc) {
		tls_buf shown = {0};
		protected_spans(o, r);
		if (!o->rd_on[dir] ||
		    tls_protect_open_shown(&o->rd[dir], wire[0], (uint16_t)((wire[1] << 8) | wire[2]),
		                           wire + 5, n - 5, &plain, &shown)) {
			opaque_msg(o, r, dir, step);
			tls_buf_free(&plain);
			tls_buf_free(&shown);
			return step;
		}
		opened_spans(o, r, &shown);
		tls_buf_free(&shown);
	} else if (tls_buf_put(&plain, wire + 5, n - 5)) {
		return -1;
	}
	if (wire[0] == TLS_CT_HANDSHAKE)
		handshake(o, r, dir, enc, plain.p, plain.len, step);
	else
		simple_msg(o, r, dir, enc, plain.p, plain.len, step, wire[0]);
	if (wire[0] == TLS_CT_CHANGE_CIPHER_SPEC)
		start_protection(o, dir);
	tls_buf_free(&plain);
	return step;
}
