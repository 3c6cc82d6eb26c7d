#include "model/observe13.h"

#include "tls/msg.h"
#include "tls/protect.h"
#include "tls/tls13.h"
#include "tls/x509.h"

#include <stdio.h>

#include <stdlib.h>
#include <string.h>

#define TAG 16

void obs13_set_key(obs13 *t, int dir, int app, const uint8_t *key, size_t key_len, const uint8_t *iv)
{
	uint8_t any = 0;
	for (size_t i = 0; i < key_len && i < sizeof t->key[0][0]; i++)
		any |= key[i];
	/* a side installs its keys one direction at a time: a key still all
	 * zeros is one it has not derived yet */
	if (t->have[dir][app] || !key_len || key_len > sizeof t->key[0][0] || !any)
		return;
	memcpy(t->key[dir][app], key, key_len);
	memcpy(t->iv[dir][app], iv, 12);
	t->key_len = key_len;
	t->have[dir][app] = 1;
}

/* Whether the opened content holds a Finished message. */
static int has_finished(const uint8_t *pt, size_t n)
{
	for (size_t at = 0; at + 4 <= n;) {
		size_t len = (size_t)pt[at + 1] << 16 | (size_t)pt[at + 2] << 8 | pt[at + 3];
		if (pt[at] == TLS_HS_FINISHED)
			return 1;
		at += 4 + len;
	}
	return 0;
}

int obs13_open(obs13 *t, const tls_suite *s, int dir, const uint8_t *wire, size_t n, uint8_t *out,
               size_t *out_len, uint8_t *inner, int advance)
{
	int st = t->stage[dir];
	if (!s || !s->tls13 || !t->have[dir][st] || n < 5 + TAG + 1)
		return -1;
	if (tls13_record_open(s, t->key[dir][st], t->iv[dir][st], t->seq[dir], wire, n, out, out_len, inner))
		return -1;
	if (advance) {
		t->seq[dir]++;
		if (!st && *inner == TLS_CT_HANDSHAKE && has_finished(out, *out_len)) {
			t->stage[dir] = 1;
			t->seq[dir] = 0;
		}
	}
	return 0;
}

int obs13_tamper(obs13 *t, const tls_suite *s, int dir, uint8_t *wire, size_t n, size_t *seen, size_t off,
                 uint8_t x)
{
	uint8_t *pt = malloc(n), inner;
	size_t len;
	tls_buf out = {0};
	int flipped = 0, st = t->stage[dir];
	if (!pt || obs13_open(t, s, dir, wire, n, pt, &len, &inner, 0))
		goto done;
	if (off >= *seen && off < *seen + len) {
		pt[off - *seen] ^= x;
		if (tls13_record_seal(s, t->key[dir][st], t->iv[dir][st], t->seq[dir], inner, pt, len,
		                      &out) == 0 &&
		    out.len == n) {
			memcpy(wire, out.p, n);
			flipped = 1;
		}
	}
	*seen += len;
done:
	if (pt)
		tls_wipe(pt, n);
	free(pt);
	tls_buf_free(&out);
	return flipped;
}

static void certificates(const uint8_t *msg, const tls13_certificate *cm, tls_spans *sp, char *subject,
                         size_t sn)
{
	for (size_t i = 0; i < cm->n; i++) {
		tls_x509 x;
		char prefix[32];
		memset(&x, 0, sizeof x);
		snprintf(prefix, sizeof prefix, "certificate[%zu]", i);
		if (tls_x509_parse(cm->der[i], cm->len[i], &x, sp, (size_t)(cm->der[i] - msg), prefix) == 0 &&
		    !i)
			snprintf(subject, sn, "%s", x.subject);
		tls_x509_free(&x);
	}
}

int obs13_describe(const uint8_t *msg, size_t n, tls_spans *sp, char *subject, size_t sn)
{
	subject[0] = 0;
	if (n < 4 || msg[0] == TLS_HS_CLIENT_HELLO || msg[0] == TLS_HS_SERVER_HELLO)
		return 1;
	/* a message that does not decode keeps the spans read so far */
	(void)tls13_hs_describe(msg, n, 0, sp);
	if (msg[0] == TLS_HS_CERTIFICATE) {
		static tls13_certificate cm; /* the observer runs one at a time */
		if (tls13_certificate_decode(msg + 4, n - 4, &cm, NULL) == 0)
			certificates(msg, &cm, sp, subject, sn);
	}
	return 0;
}

int obs13_step(int from_server, uint8_t inner, const uint8_t *pt, size_t n, int last_step)
{
	if (inner == TLS_CT_APPLICATION_DATA)
		return 7;
	if (inner != TLS_CT_HANDSHAKE || !n)
		return last_step; /* an alert goes with the step it ends */
	if (!from_server)
		return 5;
	switch (pt[0]) {
	case TLS_HS_NEW_SESSION_TICKET: return 6;
	case TLS_HS_CERTIFICATE_VERIFY:
	case TLS_HS_FINISHED: return 4;
	default: return 3; /* EncryptedExtensions, CertificateRequest, Certificate */
	}
}

int obs13_ccs_step(const obs13 *t, int from_server, int client_finished_seen)
{
	if (from_server)
		return t->server_hello ? 2 : 1; /* after a HelloRetryRequest: still step 1 */
	if (client_finished_seen)
		return 7;
	return t->hrr && !t->server_hello ? 1 : 5; /* before the second ClientHello, or the last flight */
}

void obs13_spans(tls_spans *sp, size_t body_len, int opened, uint8_t inner, size_t pt_len)
{
	if (body_len < TAG)
		return;
	if (opened)
		tls_spans_add(sp, "record.encrypted_record", 5, body_len - TAG,
		              "encrypted TLSInnerPlaintext (RFC 8446 5.2): %zu bytes of %s, its real content "
		              "type (%s), %zu bytes of padding",
		              pt_len, tls_content_type_name(inner), tls_content_type_name(inner),
		              body_len - TAG - pt_len - 1);
	else
		tls_spans_add(
		    sp, "record.encrypted_record", 5, body_len - TAG,
		    "encrypted TLSInnerPlaintext (RFC 8446 5.2): content, real content type, padding");
	tls_spans_add(sp, "record.tag", 5 + body_len - TAG, TAG,
	              "AEAD tag: the record header is the additional data; nonce = IV XOR sequence number");
}
