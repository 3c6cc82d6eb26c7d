/* TLS 1.3 record protection (RFC 8446 5.2-5.4).
 *
 * Every protected record looks alike on the wire: type application_data,
 * legacy version 0x0303, and an AEAD ciphertext of TLSInnerPlaintext (the
 * content, the real content type, zero padding). The nonce is the traffic
 * IV XORed with the 64-bit sequence number, left-padded (5.3); the
 * additional data is the record header itself (5.2). No explicit nonce
 * travels, unlike TLS 1.2's GCM records. */
#include "tls/alert.h"
#include "tls/chacha.h"
#include "tls/crypto.h"
#include "tls/fuzzing.h"
#include "tls/msg.h"
#include "tls/protect.h"

#include <string.h>

#define TAG 16

static void nonce_of(const uint8_t *iv, uint64_t seq, uint8_t nonce[12])
{
	memcpy(nonce, iv, 12);
	for (int i = 0; i < 8; i++)
		nonce[4 + i] ^= (uint8_t)(seq >> (56 - 8 * i));
}

/* One AES-GCM pass; tag receives the computed tag (checking is the caller's). */
static int gcm_pass(const tls_suite *s, const uint8_t *key, const uint8_t *iv, uint64_t seq,
                    const uint8_t aad[5], const uint8_t *in, uint8_t *out, size_t len, uint8_t tag[TAG],
                    int dir)
{
	uint8_t nonce[12];
	gcm_state *g = XMALLOC(sizeof *g);
	unsigned long tl = TAG;
	if (!g)
		return TLS_ERR_INTERNAL;
	nonce_of(iv, seq, nonce);
	uint8_t *pt = dir == GCM_ENCRYPT ? (uint8_t *)in : out,
	        *ct = dir == GCM_ENCRYPT ? out : (uint8_t *)in;
	int ok = gcm_init(g, tls_cipher_aes(), key, (int)s->key_len) == CRYPT_OK &&
	         gcm_add_iv(g, nonce, 12) == CRYPT_OK && gcm_add_aad(g, aad, 5) == CRYPT_OK &&
	         gcm_process(g, pt, (unsigned long)len, ct, dir) == CRYPT_OK &&
	         gcm_done(g, tag, &tl) == CRYPT_OK && tl == TAG;
	zeromem(g, sizeof *g);
	XFREE(g);
	return ok ? 0 : TLS_ERR_INTERNAL;
}

static int valid_suite(const tls_suite *s, const uint8_t *key, const uint8_t *iv)
{
	return s && s->tls13 && key && iv && (s->key_len == 16 || s->key_len == 32) && !tls_crypto_init();
}

int tls13_record_seal(const tls_suite *s, const uint8_t *key, const uint8_t *iv, uint64_t seq,
                      uint8_t inner_type, const uint8_t *pt, size_t pt_len, tls_buf *out)
{
	if (!valid_suite(s, key, iv) || pt_len > TLS_MAX_PLAINTEXT)
		return TLS_ERR_INTERNAL;
	size_t start = out->len, ct_len = pt_len + 1 + TAG;
	uint8_t hdr[5] = {TLS_CT_APPLICATION_DATA, 3, 3, (uint8_t)(ct_len >> 8), (uint8_t)ct_len};
	tls_buf inner = {0};
	int rc = tls_buf_put(&inner, pt, pt_len) || tls_buf_u8(&inner, inner_type) || tls_buf_put(out, hdr, 5)
	             ? TLS_ERR_INTERNAL
	             : 0;
	if (!rc && s->bulk == TLS_BULK_CHACHA20_POLY1305) {
		rc = tls_chacha_seal_aad(key, iv, seq, hdr, 5, inner.p, inner.len, out);
	} else if (!rc) {
		rc = tls_buf_reserve(out, ct_len) ? TLS_ERR_INTERNAL : 0;
		uint8_t *ct = rc ? NULL : out->p + out->len;
		if (!rc && tls_fuzzing()) {
			memcpy(ct, inner.p, inner.len);
			memset(ct + inner.len, 0, TAG);
		} else if (!rc) {
			rc = gcm_pass(s, key, iv, seq, hdr, inner.p, ct, inner.len, ct + inner.len,
			              GCM_ENCRYPT);
		}
		if (!rc)
			out->len += ct_len;
	}
	tls_buf_free(&inner);
	if (rc)
		out->len = start;
	return rc;
}

/* The content type is the last non-zero byte; all zeros is unexpected_message (5.4). */
static int strip_padding(uint8_t *p, size_t *len, uint8_t *type)
{
	size_t n = *len;
	while (n && p[n - 1] == 0)
		n--;
	if (!n)
		return TLS_FAIL(TLS_ALERT_UNEXPECTED_MESSAGE);
	*type = p[n - 1];
	*len = n - 1;
	return 0;
}

int tls13_record_open(const tls_suite *s, const uint8_t *key, const uint8_t *iv, uint64_t seq,
                      const uint8_t *record, size_t record_len, uint8_t *out, size_t *out_len,
                      uint8_t *inner_type)
{
	*out_len = 0;
	if (!valid_suite(s, key, iv) || record_len < 5)
		return TLS_ERR_INTERNAL;
	size_t len = ((size_t)record[3] << 8) | record[4];
	if (len != record_len - 5)
		return TLS_FAIL(TLS_ALERT_DECODE_ERROR);
	if (len > TLS_MAX_PLAINTEXT + 256)
		return TLS_FAIL(TLS_ALERT_RECORD_OVERFLOW);
	if (record[0] != TLS_CT_APPLICATION_DATA || len < TAG + 1)
		return TLS_FAIL(TLS_ALERT_BAD_RECORD_MAC);
	size_t pt_len = len - TAG;
	int rc;
	if (s->bulk == TLS_BULK_CHACHA20_POLY1305) {
		tls_buf b = {0};
		rc = tls_chacha_open_aad(key, iv, seq, record, 5, record + 5, len, &b);
		if (rc == 1)
			rc = TLS_FAIL(TLS_ALERT_BAD_RECORD_MAC);
		if (!rc)
			memcpy(out, b.p, pt_len);
		tls_buf_free(&b);
	} else if (tls_fuzzing()) {
		memcpy(out, record + 5, pt_len);
		rc = 0;
	} else {
		uint8_t tag[TAG];
		rc = gcm_pass(s, key, iv, seq, record, record + 5, out, pt_len, tag, GCM_DECRYPT);
		if (!rc && mem_neq(tag, record + 5 + pt_len, TAG))
			rc = TLS_FAIL(TLS_ALERT_BAD_RECORD_MAC);
		zeromem(tag, sizeof tag);
	}
	if (!rc)
		rc = strip_padding(out, &pt_len, inner_type);
	if (!rc && pt_len > TLS_MAX_PLAINTEXT)
		rc = TLS_FAIL(TLS_ALERT_RECORD_OVERFLOW);
	if (rc) {
		zeromem(out, len - TAG);
		return rc;
	}
	*out_len = pt_len;
	return 0;
}
