#include "tls/chacha.h"

#include "tls/alert.h"
#include "tls/fuzzing.h"

#include <string.h>
#include <tomcrypt.h>

static int start(chacha20poly1305_state *st, const uint8_t *key, const uint8_t *iv, uint64_t seq,
		 const uint8_t *aad, size_t aad_len)
{
	/* RFC 7905 2: the sequence number, big-endian, XORed into the last 8
	 * bytes of the IV. Built here: libtomcrypt 1.18.2's setiv_rfc7905
	 * stores it little-endian, which agrees only for record 0. */
	uint8_t nonce[TLS_CHACHA_IV];
	memcpy(nonce, iv, TLS_CHACHA_IV);
	for (int i = 0; i < 8; i++)
		nonce[4 + i] ^= (uint8_t)(seq >> (56 - 8 * i));
	if (chacha20poly1305_init(st, key, TLS_CHACHA_KEY) != CRYPT_OK ||
	    chacha20poly1305_setiv(st, nonce, TLS_CHACHA_IV) != CRYPT_OK ||
	    chacha20poly1305_add_aad(st, aad, (unsigned long)aad_len) != CRYPT_OK)
		return TLS_ERR_INTERNAL;
	return 0;
}

/* RFC 8439 2.8 pads the additional data to 16 bytes before the ciphertext.
 * libtomcrypt 1.18.2 does it in the first encrypt/decrypt call that has
 * data, so for an empty record (legal application data) nobody would. */
static int pad_aad(chacha20poly1305_state *st)
{
	static const uint8_t zeros[16];
	if (!st->aadflg || st->aadlen % 16 == 0)
		return 0;
	st->aadflg = 0;
	return poly1305_process(&st->poly, zeros, 16 - (unsigned long)(st->aadlen % 16)) == CRYPT_OK
		       ? 0
		       : TLS_ERR_INTERNAL;
}

int tls_chacha_seal(const uint8_t key[TLS_CHACHA_KEY], const uint8_t iv[TLS_CHACHA_IV], uint64_t seq,
		    const uint8_t h[13], const uint8_t *pt, size_t n, tls_buf *out)
{
	return tls_chacha_seal_aad(key, iv, seq, h, 13, pt, n, out);
}

int tls_chacha_open(const uint8_t key[TLS_CHACHA_KEY], const uint8_t iv[TLS_CHACHA_IV], uint64_t seq,
		    const uint8_t h[13], const uint8_t *ct, size_t n, tls_buf *out)
{
	return tls_chacha_open_aad(key, iv, seq, h, 13, ct, n, out);
}

int tls_chacha_seal_aad(const uint8_t key[TLS_CHACHA_KEY], const uint8_t iv[TLS_CHACHA_IV], uint64_t seq,
			const uint8_t *aad, size_t aad_len, const uint8_t *pt, size_t n, tls_buf *out)
{
	chacha20poly1305_state st;
	unsigned long tl = TLS_CHACHA_TAG;
	size_t at = out->len;
	int rc = tls_buf_reserve(out, n + TLS_CHACHA_TAG) ? TLS_ERR_INTERNAL : start(&st, key, iv, seq, aad, aad_len);
	if (!rc && n && chacha20poly1305_encrypt(&st, pt, (unsigned long)n, out->p + at) != CRYPT_OK)
		rc = TLS_ERR_INTERNAL;
	if (!rc && !n)
		rc = pad_aad(&st);
	if (!rc && chacha20poly1305_done(&st, out->p + at + n, &tl) != CRYPT_OK)
		rc = TLS_ERR_INTERNAL;
	zeromem(&st, sizeof st);
	if (!rc)
		out->len = at + n + TLS_CHACHA_TAG;
	return rc;
}

int tls_chacha_open_aad(const uint8_t key[TLS_CHACHA_KEY], const uint8_t iv[TLS_CHACHA_IV], uint64_t seq,
			const uint8_t *aad, size_t aad_len, const uint8_t *ct, size_t n, tls_buf *out)
{
	chacha20poly1305_state st;
	uint8_t tag[TLS_CHACHA_TAG];
	unsigned long tl = sizeof tag;
	if (n < TLS_CHACHA_TAG)
		return 1;
	size_t len = n - TLS_CHACHA_TAG;
	if (tls_buf_reserve(out, len))
		return TLS_ERR_INTERNAL;
	int rc = start(&st, key, iv, seq, aad, aad_len);
	if (!rc && len && chacha20poly1305_decrypt(&st, ct, (unsigned long)len, out->p) != CRYPT_OK)
		rc = TLS_ERR_INTERNAL;
	if (!rc && !len)
		rc = pad_aad(&st);
	if (!rc && chacha20poly1305_done(&st, tag, &tl) != CRYPT_OK)
		rc = TLS_ERR_INTERNAL;
	zeromem(&st, sizeof st);
	/* The computed tag comes back unchecked: compare in constant time. */
	if (!rc && mem_neq(tag, ct + len, sizeof tag) && !tls_fuzzing())
		rc = 1;
	zeromem(tag, sizeof tag);
	if (rc) {
		if (len)
			zeromem(out->p, len);
		return rc;
	}
	out->len = len;
	return 0;
}
