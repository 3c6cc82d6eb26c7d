/* TLS 1.3 record protection in a replay: traffic keys from the logged
 * secrets, each record opened by the engine's tls13_record_open (nonce =
 * iv XOR seq, the record header as additional data, RFC 8446 5.2, 5.3)
 * with the sequence number of its key, keys changed where the protocol
 * changes them. */
#include "replay/tls13.h"

#include "tls/crypto.h"
#include "tls/protect.h"
#include "tls/suites.h"
#include "tls/tls13_keys.h"

#include <stdio.h>
#include <string.h>

#include <tomcrypt.h>

#define TAG 16

void replay_t13_init(replay_t13 *t, const keylog *keys)
{
	memset(t, 0, sizeof *t);
	t->keys = keys;
	t->hash = tls_hash_sha256();
	t->hash_len = 32;
	t->key_len = 16;
	for (int i = 0; i < 2; i++)
		t->fin_ok[i] = t->cv_ok[i] = -1;
}

void replay_t13_free(replay_t13 *t)
{
	for (int i = 0; i < 2; i++) {
		tls_buf_free(&t->d[i].hs);
		tls_buf_free(&t->cert[i]);
	}
	tls_buf_free(&t->transcript);
	tls_wipe(t, sizeof *t);
}

const uint8_t *replay_t13_secret(replay_t13 *t, enum keylog13_label l, size_t *len)
{
	*len = 0;
	if (!t->keys || !t->have_random)
		return NULL;
	const uint8_t *s = replay_keylog_tls13(t->keys, t->client_random, l, len);
	if (!s)
		t->missing[l] = 1;
	return s;
}

int replay_t13_set_key(replay_t13 *t, int dir, enum t13_stage stage, const uint8_t *secret, size_t len)
{
	t13_dir *d = &t->d[dir];
	d->have = 0;
	d->stage = stage;
	d->seq = 0;
	if (!secret || len != t->hash_len)
		return -1;
	memcpy(d->secret, secret, len);
	if (tls13_traffic_keys(t->hash, secret, len, d->key, t->key_len, d->iv, 12))
		return -1;
	d->have = 1;
	return 0;
}

/* RFC 8446 7.2: application_traffic_secret_N+1 =
 * HKDF-Expand-Label(application_traffic_secret_N, "traffic upd", "", Hash.length). */
int replay_t13_key_update(replay_t13 *t, int dir)
{
	t13_dir *d = &t->d[dir];
	uint8_t next[48];
	if (!d->have || d->stage != T13_APPLICATION)
		return -1;
	if (tls13_expand_label(t->hash, d->secret, t->hash_len, "traffic upd", NULL, 0, next, t->hash_len))
		return -1;
	int gen = d->generation + 1;
	int rc = replay_t13_set_key(t, dir, T13_APPLICATION, next, t->hash_len);
	d->generation = gen;
	tls_wipe(next, sizeof next);
	return rc;
}

static int try_open(replay_t13 *t, int dir, const uint8_t *wire, size_t n, t13_record *out)
{
	t13_dir *d = &t->d[dir];
	const tls_suite *s = tls_suite_by_id(t->suite ? t->suite : t->early_guess);
	size_t len;
	if (!d->have || !s)
		return -1;
	tls_buf_clear(&out->plain);
	out->plain.len = 0;
	if (tls_buf_reserve(&out->plain, n - 5))
		return -1;
	if (tls13_record_open(s, d->key, d->iv, d->seq, wire, n, out->plain.p, &len, &out->type))
		return -1;
	out->plain.len = len;
	out->stage = d->stage;
	d->seq++;
	d->opened++;
	return 0;
}

/* Early data (0-RTT) goes before the ServerHello names the suite: the
 * early secret's length says the hash, and AES-128-GCM and ChaCha20 share
 * SHA-256, so both are tried; the tag tells which one it was. */
static int open_early(replay_t13 *t, const uint8_t *wire, size_t n, t13_record *out)
{
	if (t->suite || t->early_suite)
		return try_open(t, 0, wire, n, out);
	static const uint16_t guess[] = {0x1301, 0x1303, 0x1302};
	t13_dir *d = &t->d[0];
	uint8_t secret[48];
	size_t slen = t->hash_len;
	memcpy(secret, d->secret, sizeof secret);
	for (size_t i = 0; i < 3; i++) {
		replay_t13_use_suite(t, guess[i]);
		t->early_guess = guess[i];
		if (t->hash_len != slen)
			continue;
		if (!replay_t13_set_key(t, 0, T13_EARLY, secret, slen) && !try_open(t, 0, wire, n, out)) {
			t->early_suite = guess[i];
			tls_wipe(secret, sizeof secret);
			return 0;
		}
	}
	tls_wipe(secret, sizeof secret);
	return -1;
}

int replay_t13_open(replay_t13 *t, int dir, const uint8_t *wire, size_t n, t13_record *out)
{
	t13_dir *d = &t->d[dir];
	out->plain.len = 0;
	if (n < 5 + TAG + 1)
		return -1;
	if (dir == 0 && d->stage == T13_EARLY && !t->active) {
		if (!open_early(t, wire, n, out))
			return t->early_records++, 0;
		d->failed++;
		return -1;
	}
	if (!try_open(t, dir, wire, n, out)) {
		if (dir == 0 && d->stage == T13_EARLY)
			t->early_records++;
		return 0;
	}
	/* The client ends its early data with EndOfEarlyData, or without it
	 * when the server refused early data (RFC 8446 4.2.10): then its next
	 * record is under the handshake key already. */
	if (dir == 0 && d->stage == T13_EARLY && t->client_hs_len) {
		if (!replay_t13_set_key(t, 0, T13_HANDSHAKE, t->client_hs, t->client_hs_len) &&
		    !try_open(t, 0, wire, n, out))
			return 0;
	}
	if (d->stage == T13_HANDSHAKE)
		t->transcript_gap = 1; /* a handshake message is missing from it */
	if (d->have) {
		d->failed++;
		if (!t->note[0])
			snprintf(t->note, sizeof t->note,
			         "a %s record (number %llu under its key) does not open with the "
			         "key from the logged %s: the key log's secret is wrong for this "
			         "connection, or the record was altered",
			         dir ? "server" : "client", (unsigned long long)d->seq,
			         d->stage == T13_EARLY       ? "CLIENT_EARLY_TRAFFIC_SECRET"
			         : d->stage == T13_HANDSHAKE ? (dir ? "SERVER_HANDSHAKE_TRAFFIC_SECRET"
			                                            : "CLIENT_HANDSHAKE_TRAFFIC_SECRET")
			         : dir                       ? "SERVER_TRAFFIC_SECRET_0"
			                                     : "CLIENT_TRAFFIC_SECRET_0");
	}
	return -1;
}
