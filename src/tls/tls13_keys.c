#include "tls/tls13_keys.h"

#include "tls/alert.h"
#include "tls/bytes.h"
#include "tls/crypto.h"

#include <string.h>

#include <tomcrypt.h>

#define LABEL_PREFIX     "tls13 "
#define LABEL_PREFIX_LEN 6
/* uint16 length, label<7..255>, context<0..255> */
#define HKDF_LABEL_MAX (2 + 1 + 255 + 1 + 255)

/* The hash's output length, or 0 unless it is one a TLS 1.3 suite uses. */
static size_t hash_len(int hash)
{
	if (tls_crypto_init() || hash < 0 || (hash != tls_hash_sha256() && hash != tls_hash_sha384()))
		return 0;
	return hash_descriptor[hash].hashsize;
}

int tls13_hkdf_extract(int hash, const uint8_t *salt, size_t salt_len, const uint8_t *ikm, size_t ikm_len,
                       uint8_t *out)
{
	size_t hl = hash_len(hash);
	unsigned long olen = hl;
	/* libtomcrypt's HMAC argument checks abort() on NULL, even for empty
	 * inputs, so empty ones point at this byte. */
	static const uint8_t none = 0;

	if (!hl || !out || (salt_len && !salt) || (ikm_len && !ikm) || salt_len > TLS13_SHARED_MAX ||
	    ikm_len > TLS13_SHARED_MAX)
		return TLS_ERR_INTERNAL;
	if (hkdf_extract(hash, salt_len ? salt : &none, (unsigned long)salt_len, ikm_len ? ikm : &none,
	                 (unsigned long)ikm_len, out, &olen) != CRYPT_OK ||
	    olen != hl) {
		tls_wipe(out, hl);
		return TLS_ERR_INTERNAL;
	}
	return 0;
}

int tls13_expand_label(int hash, const uint8_t *secret, size_t secret_len, const char *label,
                       const uint8_t *context, size_t context_len, uint8_t *out, size_t out_len)
{
	uint8_t info[HKDF_LABEL_MAX];
	size_t hl = hash_len(hash), label_len, n = 0;
	int rc = 0;

	if (!hl || !secret || !secret_len || secret_len > TLS13_SHARED_MAX || !label || !out)
		return TLS_ERR_INTERNAL;
	label_len = strnlen(label, TLS13_LABEL_MAX + 1);
	if (label_len == 0 || label_len > TLS13_LABEL_MAX || context_len > TLS13_CONTEXT_MAX ||
	    (context_len && !context) || out_len == 0 || out_len > 255 * hl || out_len > 0xffff)
		return TLS_ERR_INTERNAL;
	/* struct { uint16 length; opaque label<7..255>; opaque context<0..255>; } HkdfLabel; */
	info[n++] = (uint8_t)(out_len >> 8);
	info[n++] = (uint8_t)out_len;
	info[n++] = (uint8_t)(LABEL_PREFIX_LEN + label_len);
	memcpy(info + n, LABEL_PREFIX, LABEL_PREFIX_LEN);
	n += LABEL_PREFIX_LEN;
	memcpy(info + n, label, label_len);
	n += label_len;
	info[n++] = (uint8_t)context_len;
	if (context_len)
		memcpy(info + n, context, context_len);
	n += context_len;
	if (hkdf_expand(hash, info, (unsigned long)n, secret, (unsigned long)secret_len, out,
	                (unsigned long)out_len) != CRYPT_OK) {
		tls_wipe(out, out_len);
		rc = TLS_ERR_INTERNAL;
	}
	tls_wipe(info, sizeof info);
	return rc;
}

int tls13_derive_secret(int hash, const uint8_t *secret, size_t secret_len, const char *label,
                        const uint8_t *th, size_t th_len, uint8_t *out)
{
	size_t hl = hash_len(hash);
	if (!hl || !th || th_len != hl)
		return TLS_ERR_INTERNAL;
	return tls13_expand_label(hash, secret, secret_len, label, th, th_len, out, hl);
}

int tls13_transcript_hash(int hash, const uint8_t *msgs, size_t len, uint8_t *out)
{
	static const uint8_t none = 0;
	unsigned long olen;
	size_t hl = hash_len(hash);

	if (!hl || !out || (len && !msgs))
		return TLS_ERR_INTERNAL;
	olen = hl;
	if (hash_memory(hash, len ? msgs : &none, (unsigned long)len, out, &olen) != CRYPT_OK || olen != hl)
		return TLS_ERR_INTERNAL;
	return 0;
}

int tls13_traffic_keys(int hash, const uint8_t *secret, size_t secret_len, uint8_t *key, size_t key_len,
                       uint8_t *iv, size_t iv_len)
{
	int err;
	if ((err = tls13_expand_label(hash, secret, secret_len, "key", NULL, 0, key, key_len)) != 0)
		return err;
	if ((err = tls13_expand_label(hash, secret, secret_len, "iv", NULL, 0, iv, iv_len)) != 0)
		tls_wipe(key, key_len);
	return err;
}

int tls13_finished(int hash, const uint8_t *base_key, size_t base_len, const uint8_t *th, size_t th_len,
                   uint8_t *finished_key, uint8_t *verify_data)
{
	uint8_t fk[TLS13_HASH_MAX];
	size_t hl = hash_len(hash);
	unsigned long olen = hl;
	int err;

	if (!hl || !th || th_len != hl || !verify_data)
		return TLS_ERR_INTERNAL;
	if ((err = tls13_expand_label(hash, base_key, base_len, "finished", NULL, 0, fk, hl)) != 0)
		goto cleanup;
	if (hmac_memory(hash, fk, (unsigned long)hl, th, (unsigned long)th_len, verify_data, &olen) !=
	        CRYPT_OK ||
	    olen != hl) {
		tls_wipe(verify_data, hl);
		err = TLS_ERR_INTERNAL;
		goto cleanup;
	}
	if (finished_key)
		memcpy(finished_key, fk, hl);
cleanup:
	tls_wipe(fk, sizeof fk);
	return err;
}

int tls13_resumption_psk(int hash, const uint8_t *res_master, size_t res_len, const uint8_t *nonce,
                         size_t nonce_len, uint8_t *out)
{
	size_t hl = hash_len(hash);
	if (!hl)
		return TLS_ERR_INTERNAL;
	return tls13_expand_label(hash, res_master, res_len, "resumption", nonce, nonce_len, out, hl);
}

/* ---- the schedule, step by step ---- */

/* Appends a step to the trace; context may be NULL when empty. */
static int note(tls13_sched *s, const char *name, const char *label, const char *from, const char *ikm,
                const uint8_t *context, size_t context_len, const uint8_t *value, size_t len)
{
	tls13_step *t;
	if (s->trace_len >= TLS13_TRACE_MAX || context_len > sizeof t->context || len > sizeof t->value)
		return TLS_ERR_INTERNAL;
	t = &s->trace[s->trace_len++];
	t->name = name;
	t->label = label;
	t->from = from;
	t->ikm = ikm;
	t->context_len = context_len;
	if (context_len)
		memcpy(t->context, context, context_len);
	t->len = len;
	memcpy(t->value, value, len);
	return 0;
}

/* Derive-Secret(secret, label, th) into out, and its trace step. */
static int derive(tls13_sched *s, const uint8_t *secret, const char *from, const char *label,
                  const uint8_t *th, const char *name, uint8_t *out)
{
	int err;
	if ((err = tls13_derive_secret(s->hash, secret, s->hash_len, label, th, s->hash_len, out)) != 0)
		return err;
	return note(s, name, label, from, NULL, th, s->hash_len, out, s->hash_len);
}

/* Derive-Secret(secret, "derived", "") then HKDF-Extract with it as salt:
 * how each stage's secret is made from the one before. */
static int next_stage(tls13_sched *s, const uint8_t *prev, const char *prev_name, const char *derived_name,
                      const uint8_t *ikm, size_t ikm_len, const char *ikm_name, const char *name,
                      uint8_t *out)
{
	uint8_t empty_hash[TLS13_HASH_MAX], salt[TLS13_HASH_MAX];
	int err;
	if ((err = tls13_transcript_hash(s->hash, NULL, 0, empty_hash)) != 0)
		goto cleanup;
	if ((err = derive(s, prev, prev_name, "derived", empty_hash, derived_name, salt)) != 0)
		goto cleanup;
	if ((err = tls13_hkdf_extract(s->hash, salt, s->hash_len, ikm, ikm_len, out)) != 0)
		goto cleanup;
	err = note(s, name, NULL, derived_name, ikm_name, NULL, 0, out, s->hash_len);
cleanup:
	tls_wipe(salt, sizeof salt);
	return err;
}

/* Names of each secret Derive-Secret makes from the handshake and master
 * secrets (its label and parent) and of what is expanded from it. */
static const struct {
	const char *secret, *label, *from, *key, *iv, *finished_key, *verify_data;
	enum tls13_stage needs;
} traffic[] = {
    [TLS13_CLIENT_HANDSHAKE] = {"client_handshake_traffic_secret", "c hs traffic", "handshake_secret",
                                "client_handshake_write_key", "client_handshake_write_iv", "client_finished_key",
                                "client_verify_data", TLS13_STAGE_HANDSHAKE},
    [TLS13_SERVER_HANDSHAKE] = {"server_handshake_traffic_secret", "s hs traffic", "handshake_secret",
                                "server_handshake_write_key", "server_handshake_write_iv", "server_finished_key",
                                "server_verify_data", TLS13_STAGE_HANDSHAKE},
    [TLS13_CLIENT_APPLICATION] = {"client_application_traffic_secret_0", "c ap traffic", "master_secret",
                                  "client_application_write_key", "client_application_write_iv", NULL, NULL,
                                  TLS13_STAGE_MASTER},
    [TLS13_SERVER_APPLICATION] = {"server_application_traffic_secret_0", "s ap traffic", "master_secret",
                                  "server_application_write_key", "server_application_write_iv", NULL, NULL,
                                  TLS13_STAGE_MASTER},
    [TLS13_EXPORTER_MASTER] = {"exporter_master_secret", "exp master", "master_secret", NULL, NULL, NULL, NULL,
                               TLS13_STAGE_MASTER},
};

static uint8_t *secret_of(tls13_sched *s, enum tls13_traffic which)
{
	switch (which) {
	case TLS13_CLIENT_HANDSHAKE: return s->client_hs;
	case TLS13_SERVER_HANDSHAKE: return s->server_hs;
	case TLS13_CLIENT_APPLICATION: return s->client_ap;
	case TLS13_SERVER_APPLICATION: return s->server_ap;
	case TLS13_EXPORTER_MASTER: return s->exporter;
	}
	return NULL;
}

/* Derive-Secret of one of the table's secrets from its parent. */
static int derive_named(tls13_sched *s, const uint8_t *parent, enum tls13_traffic which, const uint8_t *th)
{
	return derive(s, parent, traffic[which].from, traffic[which].label, th, traffic[which].secret,
	              secret_of(s, which));
}

int tls13_sched_init(tls13_sched *s, int hash, const uint8_t *psk, size_t psk_len, int resumption)
{
	uint8_t zeros[TLS13_HASH_MAX] = {0}, empty_hash[TLS13_HASH_MAX];
	size_t hl = hash_len(hash);
	int err;

	if (!s)
		return TLS_ERR_INTERNAL;
	memset(s, 0, sizeof *s);
	if (!hl || (psk_len && !psk) || psk_len > TLS13_PSK_MAX)
		return TLS_ERR_INTERNAL;
	s->hash = hash;
	s->hash_len = hl;
	s->has_psk = psk_len != 0;
	/* Without a PSK the IKM is a string of Hash.length zeros; the salt is
	 * always that (RFC 8446 7.1, the "0" of the diagram). */
	if (s->has_psk)
		err = tls13_hkdf_extract(hash, zeros, hl, psk, psk_len, s->early);
	else
		err = tls13_hkdf_extract(hash, zeros, hl, zeros, hl, s->early);
	if (err != 0)
		goto cleanup;
	if ((err = note(s, "early_secret", NULL, "zeros", s->has_psk ? "psk" : "zeros", NULL, 0, s->early,
	                hl)) != 0)
		goto cleanup;
	if (s->has_psk) {
		if ((err = tls13_transcript_hash(hash, NULL, 0, empty_hash)) != 0)
			goto cleanup;
		if ((err = derive(s, s->early, "early_secret", resumption ? "res binder" : "ext binder",
		                  empty_hash, "binder_key", s->binder_key)) != 0)
			goto cleanup;
	}
	s->stage = TLS13_STAGE_EARLY;
cleanup:
	if (err)
		tls13_sched_free(s);
	return err;
}

int tls13_sched_handshake(tls13_sched *s, const uint8_t *shared, size_t shared_len, const uint8_t *th_sh,
                          size_t th_len)
{
	int err;
	if (!s || s->stage != TLS13_STAGE_EARLY || !shared || !shared_len || shared_len > TLS13_SHARED_MAX ||
	    !th_sh || th_len != s->hash_len)
		return TLS_ERR_INTERNAL;
	if ((err = next_stage(s, s->early, "early_secret", "derived_for_handshake", shared, shared_len,
	                      "(ec)dhe", "handshake_secret", s->handshake)) != 0)
		return err;
	if ((err = derive_named(s, s->handshake, TLS13_CLIENT_HANDSHAKE, th_sh)) != 0 ||
	    (err = derive_named(s, s->handshake, TLS13_SERVER_HANDSHAKE, th_sh)) != 0)
		return err;
	s->stage = TLS13_STAGE_HANDSHAKE;
	return 0;
}

int tls13_sched_master(tls13_sched *s, const uint8_t *th_sf, size_t th_len)
{
	uint8_t zeros[TLS13_HASH_MAX] = {0};
	int err;
	if (!s || s->stage != TLS13_STAGE_HANDSHAKE || !th_sf || th_len != s->hash_len)
		return TLS_ERR_INTERNAL;
	if ((err = next_stage(s, s->handshake, "handshake_secret", "derived_for_master", zeros, s->hash_len,
	                      "zeros", "master_secret", s->master)) != 0)
		return err;
	if ((err = derive_named(s, s->master, TLS13_CLIENT_APPLICATION, th_sf)) != 0 ||
	    (err = derive_named(s, s->master, TLS13_SERVER_APPLICATION, th_sf)) != 0 ||
	    (err = derive_named(s, s->master, TLS13_EXPORTER_MASTER, th_sf)) != 0)
		return err;
	s->stage = TLS13_STAGE_MASTER;
	return 0;
}

int tls13_sched_resumption(tls13_sched *s, const uint8_t *th_cf, size_t th_len)
{
	int err;
	if (!s || s->stage != TLS13_STAGE_MASTER || !th_cf || th_len != s->hash_len)
		return TLS_ERR_INTERNAL;
	if ((err = derive(s, s->master, "master_secret", "res master", th_cf, "resumption_master_secret",
	                  s->resumption)) != 0)
		return err;
	s->stage = TLS13_STAGE_DONE;
	return 0;
}

int tls13_sched_init_given(tls13_sched *s, int hash, int has_psk)
{
	if (!s)
		return TLS_ERR_INTERNAL;
	memset(s, 0, sizeof *s);
	s->hash = hash;
	s->hash_len = hash_len(hash);
	s->has_psk = has_psk;
	return s->hash_len ? 0 : TLS_ERR_INTERNAL;
}

int tls13_sched_given(tls13_sched *s, enum tls13_traffic which, const uint8_t *secret, size_t len,
                      const uint8_t *th, size_t th_len)
{
	int err;
	if (!s || (unsigned)which > TLS13_EXPORTER_MASTER || !secret || len != s->hash_len || !th ||
	    th_len != s->hash_len)
		return TLS_ERR_INTERNAL;
	memcpy(secret_of(s, which), secret, len);
	if ((err = note(s, traffic[which].secret, traffic[which].label, traffic[which].from, NULL, th, th_len,
	                secret, len)) != 0)
		return err;
	if (s->stage < traffic[which].needs)
		s->stage = traffic[which].needs;
	return 0;
}

int tls13_sched_keys(tls13_sched *s, enum tls13_traffic which, uint8_t *key, size_t key_len, uint8_t *iv,
                     size_t iv_len)
{
	int err;
	if (!s || (unsigned)which > TLS13_SERVER_APPLICATION || s->stage < traffic[which].needs ||
	    key_len > TLS13_HASH_MAX || iv_len > TLS13_HASH_MAX)
		return TLS_ERR_INTERNAL;
	if ((err = tls13_traffic_keys(s->hash, secret_of(s, which), s->hash_len, key, key_len, iv,
	                              iv_len)) != 0)
		return err;
	if ((err = note(s, traffic[which].key, "key", traffic[which].secret, NULL, NULL, 0, key, key_len)) ==
	    0)
		err = note(s, traffic[which].iv, "iv", traffic[which].secret, NULL, NULL, 0, iv, iv_len);
	return err;
}

int tls13_sched_finished_key(tls13_sched *s, int client)
{
	enum tls13_traffic which = client ? TLS13_CLIENT_HANDSHAKE : TLS13_SERVER_HANDSHAKE;
	uint8_t fk[TLS13_HASH_MAX];
	int err;
	if (!s || s->stage < TLS13_STAGE_HANDSHAKE)
		return TLS_ERR_INTERNAL;
	if ((err = tls13_expand_label(s->hash, secret_of(s, which), s->hash_len, "finished", NULL, 0, fk,
	                              s->hash_len)) == 0)
		err = note(s, traffic[which].finished_key, "finished", traffic[which].secret, NULL, NULL, 0, fk,
		           s->hash_len);
	tls_wipe(fk, sizeof fk);
	return err;
}

int tls13_sched_finished(tls13_sched *s, int client, const uint8_t *th, size_t th_len, uint8_t *verify_data)
{
	enum tls13_traffic which = client ? TLS13_CLIENT_HANDSHAKE : TLS13_SERVER_HANDSHAKE;
	uint8_t fk[TLS13_HASH_MAX];
	int err;

	if (!s || s->stage < TLS13_STAGE_HANDSHAKE)
		return TLS_ERR_INTERNAL;
	if ((err = tls13_finished(s->hash, secret_of(s, which), s->hash_len, th, th_len, fk,
	                          verify_data)) != 0)
		goto cleanup;
	if ((err = note(s, traffic[which].finished_key, "finished", traffic[which].secret, NULL, NULL, 0, fk,
	                s->hash_len)) != 0)
		goto cleanup;
	/* verify_data is an HMAC, not an expansion: no label; its input is the
	 * finished key and the transcript hash. */
	err = note(s, traffic[which].verify_data, NULL, traffic[which].finished_key, NULL, th, th_len,
	           verify_data, s->hash_len);
cleanup:
	tls_wipe(fk, sizeof fk);
	return err;
}

const tls13_step *tls13_sched_find(const tls13_sched *s, const char *name)
{
	if (!s || !name)
		return NULL;
	for (size_t i = s->trace_len; i-- > 0;)
		if (strcmp(s->trace[i].name, name) == 0)
			return &s->trace[i];
	return NULL;
}

void tls13_sched_free(tls13_sched *s)
{
	tls_wipe(s, s ? sizeof *s : 0);
}
