/* The clear part of a TLS 1.3 connection: ClientHello and ServerHello (or
 * HelloRetryRequest) say the version, suite, group, server name, ALPN
 * offer, PSK and early data; the ServerHello is where the keys start. */
#include "replay/tls13.h"

#include "tls/crypto.h"
#include "tls/msg.h"
#include "tls/tls13_keys.h"

#include <stdio.h>
#include <string.h>

/* RFC 8446 4.1.3: the random of a HelloRetryRequest, SHA-256("HelloRetryRequest"). */
static const uint8_t hrr_random[32] = {0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c,
                                       0x02, 0x1e, 0x65, 0xb8, 0x91, 0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb,
                                       0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c};

/* The engine's table of groups, hybrid and GREASE included. */
const char *replay_t13_group_name(unsigned g)
{
	return tls_group_name(g);
}

void replay_t13_use_suite(replay_t13 *t, uint16_t suite)
{
	int sha384 = suite == 0x1302;
	t->hash = sha384 ? tls_hash_sha384() : tls_hash_sha256();
	t->hash_len = sha384 ? 48 : 32;
	t->key_len = suite == 0x1301 ? 16 : 32;
}

void replay_t13_append(replay_t13 *t, const uint8_t *msg, size_t n)
{
	if (t->transcript.len + n > 4 * T13_MAX_HS || tls_buf_put(&t->transcript, msg, n))
		snprintf(t->note, sizeof t->note, "the handshake is too long to follow");
}

/* Walks a list of extensions, calling f for each. */
static void each_ext(tls_rd *r, replay_t13 *t, int server, void (*f)(replay_t13 *, int, unsigned, tls_rd *))
{
	tls_rd all;
	if (!tls_rd_left(r) || tls_rd_vec(r, 2, 0, 0xffff, &all, NULL, NULL))
		return;
	while (tls_rd_left(&all)) {
		unsigned type;
		tls_rd body;
		if (tls_rd_u16(&all, &type, NULL, NULL) || tls_rd_vec(&all, 2, 0, 0xffff, &body, NULL, NULL))
			return;
		f(t, server, type, &body);
	}
}

/* protocol_name_list: 2-byte length, then 1-byte-long names. */
static void alpn_list(tls_rd *b, char *out, size_t n)
{
	tls_rd l;
	out[0] = 0;
	if (tls_rd_vec(b, 2, 2, 0xffff, &l, NULL, NULL))
		return;
	while (tls_rd_left(&l)) {
		tls_rd name;
		if (tls_rd_vec(&l, 1, 1, 255, &name, NULL, NULL))
			return;
		size_t at = strlen(out);
		snprintf(out + at, n - at, "%s%.*s", at ? "," : "", (int)name.len, (const char *)name.p);
	}
}

static void hello_ext(replay_t13 *t, int server, unsigned type, tls_rd *b)
{
	unsigned v;
	tls_rd l;
	switch (type) {
	case 0: /* server_name: list of (type 0, host_name) */
		if (!server && !tls_rd_vec(b, 2, 1, 0xffff, &l, NULL, NULL) &&
		    !tls_rd_u8(&l, &v, NULL, NULL) && v == 0 && !tls_rd_vec(&l, 2, 1, 255, b, NULL, NULL))
			snprintf(t->sni, sizeof t->sni, "%.*s", (int)b->len, (const char *)b->p);
		break;
	case 16:
		if (!server)
			alpn_list(b, t->alpn_offer, sizeof t->alpn_offer);
		break;
	case 41: /* pre_shared_key */
		if (server)
			t->resumed = 1;
		else
			t->psk_offered = 1;
		break;
	case 42:
		if (!server)
			t->early_offered = 1;
		break;
	case 43: /* supported_versions: the server's choice */
		if (server && !tls_rd_u16(b, &v, NULL, NULL) && v == 0x0304)
			t->active = 1;
		break;
	case 51: /* key_share */
		if (server && t->hrr == 1) {
			if (!tls_rd_u16(b, &v, NULL, NULL))
				t->hrr_group = (int)v;
		} else if (server) {
			if (!tls_rd_u16(b, &v, NULL, NULL)) {
				t->group = (uint16_t)v;
				t->psk_dhe = 1;
			}
		} else if (!tls_rd_vec(b, 2, 0, 0xffff, &l, NULL, NULL)) {
			while (tls_rd_left(&l)) {
				tls_rd ke;
				if (tls_rd_u16(&l, &v, NULL, NULL) ||
				    tls_rd_vec(&l, 2, 1, 0xffff, &ke, NULL, NULL))
					break;
				if (v == 0x11ec || v == 0x6399 || v == 0x11eb || v == 0x11ed)
					t->pq_share = (int)v;
			}
		}
		break;
	case 0xfe0d: /* encrypted_client_hello (outer) */
		if (!server)
			t->ech_outer = 1;
		break;
	}
}

static void client_hello(replay_t13 *t, const uint8_t *msg, size_t n)
{
	tls_rd r, v;
	const uint8_t *random;
	unsigned u;
	tls_rd_init(&r, msg + 4, n - 4, NULL, 0, NULL);
	if (tls_rd_u16(&r, &u, NULL, NULL) || tls_rd_bytes(&r, &random, 32, NULL, NULL))
		return;
	if (!t->have_random) {
		memcpy(t->client_random, random, 32);
		t->have_random = 1;
	}
	if (tls_rd_vec(&r, 1, 0, 32, &v, NULL, NULL) || tls_rd_vec(&r, 2, 2, 0xfffe, &v, NULL, NULL) ||
	    tls_rd_vec(&r, 1, 1, 255, &v, NULL, NULL))
		return;
	t->early_offered = 0; /* the second ClientHello (after a retry) says again */
	each_ext(&r, t, 0, hello_ext);
	size_t len;
	const uint8_t *cets;
	if (t->early_offered && (cets = replay_t13_secret(t, KL13_CLIENT_EARLY, &len)) != NULL) {
		t->hash_len = len; /* the suite is not known before the ServerHello */
		if (len == 48)
			replay_t13_use_suite(t, 0x1302);
		if (replay_t13_set_key(t, 0, T13_EARLY, cets, len))
			t->d[0].stage = T13_EARLY;
	}
}

/* The handshake keys start after the ServerHello (RFC 8446 7.1). */
static void start_keys(replay_t13 *t)
{
	size_t lc, ls;
	t->have_th_sh = !replay_t13_th(t, t->th_sh);
	const uint8_t *c = replay_t13_secret(t, KL13_CLIENT_HANDSHAKE, &lc);
	const uint8_t *s = replay_t13_secret(t, KL13_SERVER_HANDSHAKE, &ls);
	if (c && lc == t->hash_len) {
		memcpy(t->client_hs, c, lc);
		t->client_hs_len = lc;
	}
	if (s && ls == t->hash_len) {
		memcpy(t->server_hs, s, ls);
		t->server_hs_len = ls;
	}
	if ((c && lc != t->hash_len) || (s && ls != t->hash_len))
		snprintf(t->note, sizeof t->note,
		         "the key log's handshake traffic secrets are %zu bytes, but %s needs %zu "
		         "(the hash's length)",
		         c ? lc : ls, t->suite == 0x1302 ? "SHA-384" : "SHA-256", t->hash_len);
	(void)replay_t13_set_key(t, 1, T13_HANDSHAKE, t->server_hs, t->server_hs_len);
	if (t->d[0].stage != T13_EARLY || !t->d[0].have)
		(void)replay_t13_set_key(t, 0, T13_HANDSHAKE, t->client_hs, t->client_hs_len);
}

/* RFC 8446 4.4.1: after a HelloRetryRequest the first ClientHello is
 * replaced in the transcript by message_hash (254) with its hash. */
static void message_hash(replay_t13 *t)
{
	uint8_t h[4 + 48];
	h[0] = 254;
	h[1] = h[2] = 0;
	h[3] = (uint8_t)t->hash_len;
	if (replay_t13_th(t, h + 4))
		return;
	tls_buf_clear(&t->transcript);
	t->transcript.len = 0;
	replay_t13_append(t, h, 4 + t->hash_len);
}

static void server_hello(replay_t13 *t, const uint8_t *msg, size_t n)
{
	tls_rd r, v;
	const uint8_t *random;
	unsigned u, suite;
	tls_rd_init(&r, msg + 4, n - 4, NULL, 0, NULL);
	if (tls_rd_u16(&r, &u, NULL, NULL) || tls_rd_bytes(&r, &random, 32, NULL, NULL) ||
	    tls_rd_vec(&r, 1, 0, 32, &v, NULL, NULL) || tls_rd_u16(&r, &suite, NULL, NULL) ||
	    tls_rd_u8(&r, &u, NULL, NULL))
		return;
	int hrr = !memcmp(random, hrr_random, 32);
	t->final_sh = !hrr;
	if (hrr)
		t->hrr = 1;
	else if (t->hrr == 1)
		t->hrr = 2; /* the real ServerHello after the retry */
	t->resumed = t->psk_dhe = 0;
	each_ext(&r, t, 1, hello_ext);
	if (!t->active)
		return;
	t->suite = (uint16_t)suite;
	replay_t13_use_suite(t, t->suite);
	if (hrr)
		message_hash(t);
	if (!t->resumed)
		t->psk_dhe = 0;
}

void replay_t13_plain_msg(replay_t13 *t, int dir, const uint8_t *msg, size_t n)
{
	if (n < 4)
		return;
	if (dir == 0 && msg[0] == TLS_HS_CLIENT_HELLO)
		client_hello(t, msg, n);
	if (dir == 1 && msg[0] == TLS_HS_SERVER_HELLO)
		server_hello(t, msg, n);
	if (msg[0] == TLS_HS_CLIENT_HELLO || msg[0] == TLS_HS_SERVER_HELLO) {
		replay_t13_append(t, msg, n);
		if (dir == 1 && t->active && t->hrr != 1)
			start_keys(t);
	}
}
