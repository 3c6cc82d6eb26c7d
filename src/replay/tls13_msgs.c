/* The encrypted part of a TLS 1.3 handshake in a replay: each decrypted
 * message named and decoded, the transcript kept, both Finished and each
 * CertificateVerify checked, and the keys changed where the messages say
 * (server Finished, EndOfEarlyData, client Finished, KeyUpdate). */
#include "replay/tls13.h"

#include "tls/msg.h"
#include "tls/sig.h"
#include "tls/tls13_keys.h"
#include "tls/x509.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	HS_NEW_SESSION_TICKET = 4,
	HS_END_OF_EARLY_DATA = 5,
	HS_ENCRYPTED_EXTENSIONS = 8,
	HS_CERTIFICATE = 11,
	HS_CERTIFICATE_REQUEST = 13,
	HS_CERTIFICATE_VERIFY = 15,
	HS_FINISHED = 20,
	HS_KEY_UPDATE = 24,
};

int replay_t13_th(const replay_t13 *t, uint8_t *out)
{
	return tls13_transcript_hash(t->hash, t->transcript.p, t->transcript.len, out);
}

int replay_t13_next_msg(replay_t13 *t, int dir, tls_buf *out)
{
	tls_buf *b = &t->d[dir].hs;
	if (b->len < 4)
		return 0;
	size_t n = 4 + (((size_t)b->p[1] << 16) | ((size_t)b->p[2] << 8) | b->p[3]);
	if (n > T13_MAX_HS) {
		snprintf(t->note, sizeof t->note,
		         "a %s handshake message claims %zu bytes, over the %d this replay follows",
		         dir ? "server" : "client", n, T13_MAX_HS);
		tls_buf_free(b);
		return 0;
	}
	if (b->len < n)
		return 0;
	tls_buf_clear(out);
	out->len = 0;
	if (tls_buf_put(out, b->p, n))
		return 0;
	tls_buf_consume(b, n);
	return 1;
}

/* RFC 8446 4.4.3: 64 spaces, the context string, a zero byte, then the
 * transcript hash up to the Certificate, signed with the certificate's key. */
static int check_cv(replay_t13 *t, int dir, const uint8_t *msg, size_t n)
{
	static const char *ctx[2] = {"TLS 1.3, client CertificateVerify",
	                             "TLS 1.3, server CertificateVerify"};
	tls_rd r;
	unsigned alg;
	tls_rd sig;
	tls_rd_init(&r, msg + 4, n - 4, NULL, 0, NULL);
	if (tls_rd_u16(&r, &alg, NULL, NULL) || tls_rd_vec(&r, 2, 1, 0xffff, &sig, NULL, NULL))
		return -1;
	if (dir)
		t->cv_alg = (uint16_t)alg;
	if (!t->cert[dir].len)
		return -1;
	uint8_t spaces[64], digest[64];
	size_t dlen;
	memset(spaces, 0x20, sizeof spaces);
	const uint8_t *parts[] = {spaces, (const uint8_t *)ctx[dir], t->th_before_cv[dir]};
	size_t lens[] = {64, strlen(ctx[dir]) + 1, t->hash_len};
	if (tls_sig_digest((uint16_t)alg, parts, lens, 3, digest, &dlen))
		return -1;
	tls_x509 *x = calloc(1, sizeof *x);
	if (!x)
		return -1;
	int ok = -1;
	if (!tls_x509_parse(t->cert[dir].p, t->cert[dir].len, x, NULL, 0, NULL))
		ok = tls_sig_verify((uint16_t)alg, digest, dlen, sig.p, sig.len, x) ? 0 : 1;
	tls_x509_free(x);
	free(x);
	return ok;
}

/* The first certificate of a Certificate message (1.3 form: a request
 * context, then entries of cert_data and extensions). */
static void keep_cert(replay_t13 *t, int dir, const uint8_t *msg, size_t n)
{
	tls_rd r, v, list, der;
	tls_rd_init(&r, msg + 4, n - 4, NULL, 0, NULL);
	tls_buf_free(&t->cert[dir]);
	if (tls_rd_vec(&r, 1, 0, 255, &v, NULL, NULL) || tls_rd_vec(&r, 3, 0, 0xffffff, &list, NULL, NULL) ||
	    !tls_rd_left(&list) || tls_rd_vec(&list, 3, 1, 0xffffff, &der, NULL, NULL))
		return;
	if (tls_buf_put(&t->cert[dir], der.p, der.len))
		tls_buf_free(&t->cert[dir]);
}

/* RFC 8446 4.4.4: verify_data = HMAC(finished_key, Transcript-Hash up to
 * here), finished_key from the sender's handshake traffic secret. */
static int check_finished(replay_t13 *t, int dir, const uint8_t *msg, size_t n)
{
	const uint8_t *base = dir ? t->server_hs : t->client_hs;
	size_t blen = dir ? t->server_hs_len : t->client_hs_len;
	uint8_t th[48];
	if (!blen || t->transcript_gap || replay_t13_th(t, th) ||
	    tls13_finished(t->hash, base, blen, th, t->hash_len, NULL, t->fin_expect[dir]))
		return -1;
	memcpy(t->th_before_fin[dir], th, t->hash_len);
	return n == 4 + t->hash_len && !memcmp(msg + 4, t->fin_expect[dir], t->hash_len);
}

static void ee(replay_t13 *t, const uint8_t *msg, size_t n)
{
	tls_rd r, all;
	tls_rd_init(&r, msg + 4, n - 4, NULL, 0, NULL);
	if (tls_rd_vec(&r, 2, 0, 0xffff, &all, NULL, NULL))
		return;
	while (tls_rd_left(&all)) {
		unsigned type;
		tls_rd b, l, name;
		if (tls_rd_u16(&all, &type, NULL, NULL) || tls_rd_vec(&all, 2, 0, 0xffff, &b, NULL, NULL))
			return;
		if (type == 42)
			t->early_accepted = 1;
		if (type == 16 && !tls_rd_vec(&b, 2, 2, 0xffff, &l, NULL, NULL) &&
		    !tls_rd_vec(&l, 1, 1, 255, &name, NULL, NULL))
			snprintf(t->alpn, sizeof t->alpn, "%.*s", (int)name.len, (const char *)name.p);
	}
}

static void app_keys(replay_t13 *t, int dir)
{
	size_t len;
	const uint8_t *s = replay_t13_secret(t, dir ? KL13_SERVER_TRAFFIC : KL13_CLIENT_TRAFFIC, &len);
	(void)replay_t13_set_key(t, dir, T13_APPLICATION, s, len);
}

static void finished(replay_t13 *t, int dir, const uint8_t *msg, size_t n, char *note, size_t nl)
{
	int ok = check_finished(t, dir, msg, n);
	t->fin_ok[dir] = ok;
	if (ok < 0 && t->transcript_gap)
		snprintf(note, nl, "not checked: a handshake record before it did not decrypt, so the "
		                   "transcript hash it covers is unknown");
	else if (ok < 0)
		snprintf(note, nl, "not checked: the %s handshake traffic secret is not in the key log",
		         dir ? "server" : "client");
	else
		snprintf(note, nl,
		         "verify_data %s: HMAC(finished_key, %s transcript hash), finished_key = "
		         "HKDF-Expand-Label(%s_handshake_traffic_secret, \"finished\", \"\", %zu)",
		         ok ? "matches" : "does NOT match", t->hash_len == 48 ? "SHA-384" : "SHA-256",
		         dir ? "server" : "client", t->hash_len);
}

static void key_update(replay_t13 *t, int dir, const uint8_t *msg, size_t n, char *note, size_t nl)
{
	int gen = t->d[dir].generation + 1;
	int rc = replay_t13_key_update(t, dir);
	t->key_updates[dir]++;
	snprintf(note, nl,
	         "%s: from here the %s sends under application traffic secret %d = "
	         "HKDF-Expand-Label(secret %d, \"traffic upd\", \"\", %zu) (RFC 8446 7.2)%s",
	         n == 5 && msg[4] ? "update_requested (the peer updates too)" : "update_not_requested",
	         dir ? "server" : "client", gen, gen - 1, t->hash_len,
	         rc ? "; not derived: secret 0 is not in the key log" : "");
}

void replay_t13_hs_msg(replay_t13 *t, int dir, const uint8_t *msg, size_t n, char *note, size_t nl)
{
	note[0] = 0;
	switch (msg[0]) {
	case HS_ENCRYPTED_EXTENSIONS: ee(t, msg, n); break;
	case HS_CERTIFICATE: keep_cert(t, dir, msg, n); break;
	case HS_CERTIFICATE_VERIFY:
		if (!replay_t13_th(t, t->th_before_cv[dir])) {
			t->cv_ok[dir] = check_cv(t, dir, msg, n);
			snprintf(note, nl, "%s",
			         t->cv_ok[dir] < 0    ? "signature not checked (no certificate, or a "
			                                "scheme tlsstep does not verify)"
			         : t->cv_ok[dir] == 1 ? "signature verified with the certificate's "
			                                "public key over 64 spaces, the context string "
			                                "and the transcript hash (RFC 8446 4.4.3)"
			                              : "signature does NOT verify with the "
			                                "certificate's public key");
		}
		break;
	case HS_FINISHED: finished(t, dir, msg, n, note, nl); break;
	case HS_KEY_UPDATE: key_update(t, dir, msg, n, note, nl); return;
	case HS_NEW_SESSION_TICKET:
		snprintf(note, nl,
		         "a ticket for resumption; the PSK it stands for needs the "
		         "resumption master secret, which no key log line gives");
		return;
	}
	if (msg[0] != HS_NEW_SESSION_TICKET && msg[0] != HS_KEY_UPDATE)
		replay_t13_append(t, msg, n);
	if (msg[0] == HS_FINISHED && dir == 1)
		t->have_th_sf = !replay_t13_th(t, t->th_sf);
	if (msg[0] == HS_FINISHED)
		app_keys(t, dir);
	if (msg[0] == HS_END_OF_EARLY_DATA)
		(void)replay_t13_set_key(t, 0, T13_HANDSHAKE, t->client_hs, t->client_hs_len);
}
