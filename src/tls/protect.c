#include "tls/protect.h"

#include "tls/alert.h"
#include "tls/chacha.h"
#include "tls/crypto.h"
#include "tls/fuzzing.h"

#include <stdlib.h>
#include <string.h>

#define AES_BLOCK 16
#define GCM_EXPLICIT 8 /* explicit nonce bytes carried in each GCM record */
#define GCM_NONCE 12
#define GCM_TAG 16
#define MAX_MAC 48

#define BAD_MAC TLS_FAIL(TLS_ALERT_BAD_RECORD_MAC)
#define OVERFLOW TLS_FAIL(TLS_ALERT_RECORD_OVERFLOW)

#ifdef TLSSTEP_FUZZING
int tls_fuzzing_enabled = 1;
#endif

/* zeromem aborts on a NULL pointer even for zero bytes, and an empty
 * tls_buf has no storage yet. */
static void wipe(uint8_t *p, size_t n)
{
	if (n)
		zeromem(p, n);
}

static int is_gcm(const tls_protect *p)
{
	return p->suite->bulk == TLS_BULK_AES_GCM;
}

static int is_chacha(const tls_protect *p)
{
	return p->suite->bulk == TLS_BULK_CHACHA20_POLY1305;
}

/* seq_num + type + version + length: the 13 bytes that bind a record to its
 * place in the stream. CBC MACs them ahead of the data, GCM uses them as AAD. */
static void pseudo_header(uint8_t h[13], uint64_t seq, uint8_t type, uint16_t version,
			  size_t len)
{
	tls_store_be64(h, seq);
	h[8] = type;
	h[9] = (uint8_t)(version >> 8);
	h[10] = (uint8_t)version;
	h[11] = (uint8_t)(len >> 8);
	h[12] = (uint8_t)len;
}

int tls_protect_init(tls_protect *p, const tls_suite *s, const uint8_t *mac_key,
		     const uint8_t *key, const uint8_t *iv)
{
	if (!p)
		return TLS_ERR_INTERNAL;
	memset(p, 0, sizeof *p);
	if (!s || !key || tls_crypto_init() || s->key_len > sizeof p->key ||
	    (s->key_len != 16 && s->key_len != 32))
		return TLS_ERR_INTERNAL;
	p->suite = s;
	memcpy(p->key, key, s->key_len);
	if (is_chacha(p)) {
		if (!iv || s->key_len != TLS_CHACHA_KEY || s->fixed_iv_len != TLS_CHACHA_IV ||
		    s->record_iv_len != 0 || s->tag_len != TLS_CHACHA_TAG)
			goto fail;
		memcpy(p->aead_iv, iv, TLS_CHACHA_IV);
	} else if (is_gcm(p)) {
		if (!iv || s->fixed_iv_len != sizeof p->salt || s->tag_len != GCM_TAG ||
		    s->record_iv_len != GCM_EXPLICIT)
			goto fail;
		memcpy(p->salt, iv, sizeof p->salt);
		/* One gcm_state per direction: gcm_init builds libtomcrypt's
		 * multiplication tables once, gcm_reset reuses them per record. */
		p->gcm = malloc(sizeof *p->gcm);
		if (!p->gcm || gcm_init(p->gcm, tls_cipher_aes(), key, (int)s->key_len) != CRYPT_OK) {
			free(p->gcm);
			p->gcm = NULL;
			goto fail;
		}
	} else {
		if (!mac_key || s->mac_key_len > sizeof p->mac_key || s->mac_len > MAX_MAC ||
		    s->mac_len == 0 || s->record_iv_len != AES_BLOCK ||
		    tls_suite_mac_hash(s) < 0)
			goto fail;
		memcpy(p->mac_key, mac_key, s->mac_key_len);
		/* CBC runs the block cipher directly, so schedule the key once. */
		if (cipher_descriptor[tls_cipher_aes()].setup(key, (int)s->key_len, 0, &p->aes) !=
		    CRYPT_OK)
			goto fail;
	}
	p->ready = 1;
	return 0;
fail:
	tls_protect_free(p);
	return TLS_ERR_INTERNAL;
}

void tls_protect_set_etm(tls_protect *p, int on)
{
	if (p && p->suite->bulk == TLS_BULK_AES_CBC)
		p->etm = !!on;
}

int tls_protect_set_tls10(tls_protect *p, const uint8_t iv[16])
{
	if (!p || !p->ready || p->suite->bulk != TLS_BULK_AES_CBC || !iv)
		return TLS_ERR_INTERNAL;
	p->chained = 1;
	memcpy(p->chain_iv, iv, AES_BLOCK);
	return 0;
}

/* Bytes of IV carried in each CBC record: none in TLS 1.0. */
static size_t explicit_iv_len(const tls_protect *p)
{
	return p->chained ? 0 : AES_BLOCK;
}

/* TLS 1.0: the next record's IV is the last ciphertext block just sent or
 * received (RFC 2246 6.2.3.2), the weakness BEAST used. */
static void chain_from(tls_protect *p, const uint8_t *ct, size_t ct_len)
{
	if (p->chained && ct_len >= AES_BLOCK)
		memcpy(p->chain_iv, ct + ct_len - AES_BLOCK, AES_BLOCK);
}

void tls_protect_free(tls_protect *p)
{
	if (!p)
		return;
	if (p->gcm) {
		zeromem(p->gcm, sizeof *p->gcm);
		free(p->gcm);
	}
	tls_wipe(p, sizeof *p);
}

/* ---- AES-CBC + HMAC (MAC-then-encrypt) ---- */

static int record_mac(const tls_protect *p, const uint8_t h[13], const uint8_t *data,
		      size_t len, uint8_t *mac)
{
	hmac_state st;
	unsigned long n = (unsigned long)p->suite->mac_len;
	int err;

	if ((err = hmac_init(&st, tls_suite_mac_hash(p->suite), p->mac_key,
			     (unsigned long)p->suite->mac_key_len)) != CRYPT_OK)
		goto cleanup;
	if ((err = hmac_process(&st, h, 13)) != CRYPT_OK)
		goto cleanup;
	if (len && (err = hmac_process(&st, data, (unsigned long)len)) != CRYPT_OK)
		goto cleanup;
	err = hmac_done(&st, mac, &n);
cleanup:
	zeromem(&st, sizeof st);
	return err == CRYPT_OK ? 0 : TLS_ERR_INTERNAL;
}

/* Compression-function calls that hashing n bytes costs: the bytes, the
 * 0x80 byte and the length field (lf bytes), in whole blocks of b. */
static size_t hash_blocks(size_t n, size_t b, size_t lf)
{
	return (n + 1 + lf + b - 1) / b;
}

/* record_mac for an incoming MAC-then-encrypt record, in the same number
 * of compression-function calls for every data_len up to max_len (the
 * Lucky Thirteen countermeasure RFC 5246 6.2.3.2 asks for): after the real
 * MAC, a scratch hash compresses the blocks that a max_len record would
 * have cost more. The count, not the clock, is what tests check. */
static int record_mac_ct(const tls_protect *p, const uint8_t h[13], const uint8_t *data, size_t len,
			 size_t max_len, uint8_t *mac)
{
	int idx = tls_suite_mac_hash(p->suite);
	if (record_mac(p, h, data, len, mac) || idx < 0 || len > max_len)
		return TLS_ERR_INTERNAL;
	const struct ltc_hash_descriptor *d = &hash_descriptor[idx];
	size_t b = d->blocksize, lf = b == 128 ? 16 : 8; /* SHA-384 counts its length in 16 bytes */
	/* The inner hash takes the key block, the pseudo-header and the data. */
	size_t extra = hash_blocks(b + 13 + max_len, b, lf) - hash_blocks(b + 13 + len, b, lf);
	uint8_t block[128] = {0};
	hash_state scratch;
	int err = d->init(&scratch);
	for (size_t i = 0; err == CRYPT_OK && i < extra; i++)
		err = d->process(&scratch, block, (unsigned long)b);
	zeromem(&scratch, sizeof scratch);
	return err == CRYPT_OK ? 0 : TLS_ERR_INTERNAL;
}

/* CBC written out with the block cipher: each plaintext block is XORed with
 * the previous ciphertext block (the IV for the first) before encryption. */
static int cbc_seal_blocks(tls_protect *p, const uint8_t iv[AES_BLOCK], uint8_t *buf,
			   size_t len)
{
	const uint8_t *prev = iv;
	int aes = tls_cipher_aes();

	if (tls_fuzzing())
		return 0; /* identity: the record keeps its shape, not its secrecy */
	for (size_t off = 0; off < len; off += AES_BLOCK) {
		for (size_t i = 0; i < AES_BLOCK; i++)
			buf[off + i] ^= prev[i];
		if (cipher_descriptor[aes].ecb_encrypt(buf + off, buf + off, &p->aes) != CRYPT_OK)
			return TLS_ERR_INTERNAL;
		prev = buf + off;
	}
	return 0;
}

/* Decrypts ct (len bytes, whole blocks) into out, the first block chained
 * to iv. */
static int cbc_open_blocks(tls_protect *p, const uint8_t iv[AES_BLOCK], const uint8_t *ct,
			   size_t len, uint8_t *out)
{
	const uint8_t *prev = iv;
	int aes = tls_cipher_aes();

	if (tls_fuzzing()) {
		if (len)
			memcpy(out, ct, len);
		return 0;
	}
	for (size_t off = 0; off < len; off += AES_BLOCK) {
		uint8_t *o = out + off;
		if (cipher_descriptor[aes].ecb_decrypt(ct + off, o, &p->aes) != CRYPT_OK)
			return TLS_ERR_INTERNAL;
		for (size_t i = 0; i < AES_BLOCK; i++)
			o[i] ^= prev[i];
		prev = ct + off;
	}
	return 0;
}

/* Where a sealed record's IV comes from: random and sent with the record
 * (TLS 1.1 and 1.2), or the chained one, not sent (TLS 1.0). rec has room
 * for explicit_iv_len(p) bytes. */
static int record_iv(tls_protect *p, tls_rng *rng, uint8_t *rec, uint8_t iv[AES_BLOCK])
{
	if (p->chained) {
		memcpy(iv, p->chain_iv, AES_BLOCK);
		return 0;
	}
	if (!rng || tls_rng_read(rng, rec, AES_BLOCK))
		return TLS_ERR_INTERNAL;
	memcpy(iv, rec, AES_BLOCK);
	return 0;
}

/* The start both CBC seals share: room for a total-byte record at the end
 * of out, its IV (drawn, or TLS 1.0's chained one) and the plaintext after
 * it. Returns where the record starts (out->len unchanged), or NULL. */
static uint8_t *cbc_begin(tls_protect *p, tls_rng *rng, const uint8_t *pt, size_t pt_len, size_t total,
			  tls_buf *out, uint8_t iv[AES_BLOCK])
{
	if (tls_buf_reserve(out, total))
		return NULL;
	uint8_t *rec = out->p + out->len;
	if (record_iv(p, rng, rec, iv))
		return NULL;
	if (pt_len)
		memcpy(rec + explicit_iv_len(p), pt, pt_len);
	return rec;
}

/* RFC 7366: pad and encrypt the data alone, then MAC the header (with the
 * length of IV + ciphertext) and IV + ciphertext, and append the MAC. */
static int seal_etm(tls_protect *p, tls_rng *rng, const uint8_t h[13], const uint8_t *pt,
		    size_t pt_len, tls_buf *out)
{
	size_t mac_len = p->suite->mac_len, ivl = explicit_iv_len(p);
	size_t pad = AES_BLOCK - 1 - pt_len % AES_BLOCK;
	size_t body = pt_len + pad + 1;
	uint8_t hh[13], iv[AES_BLOCK];
	uint8_t *rec = cbc_begin(p, rng, pt, pt_len, ivl + body + mac_len, out, iv);
	int rc;

	if (!rec)
		return TLS_ERR_INTERNAL;
	memset(rec + ivl + pt_len, (int)pad, pad + 1);
	rc = cbc_seal_blocks(p, iv, rec + ivl, body);
	memcpy(hh, h, 11);
	hh[11] = (uint8_t)((ivl + body) >> 8);
	hh[12] = (uint8_t)(ivl + body);
	if (!rc)
		rc = record_mac(p, hh, rec, ivl + body, rec + ivl + body);
	if (rc) {
		zeromem(rec, ivl + body + mac_len);
		return rc;
	}
	chain_from(p, rec + ivl, body);
	out->len += ivl + body + mac_len;
	return 0;
}

/* RFC 7366: the MAC first, over what was received; only a record that
 * passes is decrypted, so padding is never examined for a forged one. */
static int open_etm(tls_protect *p, uint8_t type, uint16_t version, const uint8_t *frag,
		    size_t frag_len, tls_buf *out)
{
	size_t mac_len = p->suite->mac_len, ivl = explicit_iv_len(p);
	uint8_t h[13], mac[MAX_MAC];
	if (frag_len < ivl + AES_BLOCK + mac_len || (frag_len - mac_len) % AES_BLOCK)
		return BAD_MAC;
	size_t clen = frag_len - mac_len, plen = clen - ivl;
	pseudo_header(h, p->seq, type, version, clen);
	if (record_mac(p, h, frag, clen, mac))
		return TLS_ERR_INTERNAL;
	unsigned bad = (unsigned)mem_neq(mac, frag + clen, mac_len) & (unsigned)!tls_fuzzing();
	zeromem(mac, sizeof mac);
	if (bad)
		return BAD_MAC;
	if (tls_buf_reserve(out, plen))
		return TLS_ERR_INTERNAL;
	uint8_t *m = out->p;
	if (cbc_open_blocks(p, p->chained ? p->chain_iv : frag, frag + ivl, plen, m)) {
		zeromem(m, plen);
		return TLS_ERR_INTERNAL;
	}
	unsigned pad = m[plen - 1];
	int pad_bad = (size_t)pad + 1 > plen;
	for (size_t i = 1; !pad_bad && i <= (size_t)pad + 1; i++)
		pad_bad = m[plen - i] != pad;
	if (pad_bad && !tls_fuzzing()) {
		zeromem(m, plen);
		return BAD_MAC; /* authentic but malformed: the same alert (RFC 7366 3) */
	}
	size_t data_len = pad_bad ? plen : plen - pad - 1;
	if (data_len > TLS_MAX_PLAINTEXT) {
		zeromem(m, plen);
		return OVERFLOW;
	}
	chain_from(p, frag + ivl, plen);
	out->len = data_len;
	return 0;
}

static int seal_cbc(tls_protect *p, tls_rng *rng, const uint8_t h[13], const uint8_t *pt,
		    size_t pt_len, tls_buf *out)
{
	if (p->etm)
		return seal_etm(p, rng, h, pt, pt_len, out);
	size_t mac_len = p->suite->mac_len, ivl = explicit_iv_len(p);
	/* Minimal padding: pad_len bytes plus the length byte reach a block edge. */
	size_t pad = AES_BLOCK - 1 - (pt_len + mac_len) % AES_BLOCK;
	size_t body = pt_len + mac_len + pad + 1;
	uint8_t iv[AES_BLOCK];
	uint8_t *rec = cbc_begin(p, rng, pt, pt_len, ivl + body, out, iv);
	int rc;

	if (!rec)
		return TLS_ERR_INTERNAL;
	rc = record_mac(p, h, pt, pt_len, rec + ivl + pt_len);
	if (rc == 0) {
		memset(rec + ivl + pt_len + mac_len, (int)pad, pad + 1);
		rc = cbc_seal_blocks(p, iv, rec + ivl, body);
	}
	if (rc) {
		zeromem(rec, ivl + body);
		return rc;
	}
	chain_from(p, rec + ivl, body);
	out->len += ivl + body;
	return 0;
}

/* Nonzero when the padding of the decrypted body m[0..plen) is malformed.
 * Reads the same bytes (the last 256, or all) whatever the padding length
 * says, and keeps the result in a flag rather than returning early, so the
 * time taken says little about where the padding went wrong. */
static unsigned cbc_padding_bad(const uint8_t *m, size_t plen, size_t mac_len)
{
	unsigned pad = m[plen - 1];
	unsigned bad = (size_t)pad + 1 + mac_len > plen;
	size_t scan = plen < 256 ? plen : 256;

	for (size_t i = 1; i <= scan; i++) {
		unsigned in_pad = i <= (size_t)pad + 1;
		bad |= in_pad & (m[plen - i] != pad);
	}
	return bad;
}

static int open_cbc(tls_protect *p, uint8_t type, uint16_t version, const uint8_t *frag,
		    size_t frag_len, tls_buf *out)
{
	if (p->etm)
		return open_etm(p, type, version, frag, frag_len, out);
	size_t mac_len = p->suite->mac_len, ivl = explicit_iv_len(p);
	/* IV, then at least MAC + the padding length byte, rounded up to a block. */
	size_t min_len = ivl + (mac_len + 1 + AES_BLOCK - 1) / AES_BLOCK * AES_BLOCK;
	uint8_t h[13], mac[MAX_MAC];
	size_t plen, data_len, keep;
	unsigned bad;
	uint8_t *m;

	if (frag_len % AES_BLOCK || frag_len < min_len)
		return BAD_MAC;
	plen = frag_len - ivl;
	if (tls_buf_reserve(out, plen))
		return TLS_ERR_INTERNAL;
	m = out->p;
	if (cbc_open_blocks(p, p->chained ? p->chain_iv : frag, frag + ivl, plen, m))
		goto internal;
	bad = cbc_padding_bad(m, plen, mac_len);
	/* RFC 5246 6.2.3.2: with bad padding, still MAC the record as if it
	 * had none, so bad padding and a bad MAC cost the same work; and the
	 * MAC costs as many hash blocks whatever the padding length (see
	 * record_mac_ct), so its time does not tell the padding either. */
	keep = (size_t)0 - (size_t)!bad; /* all ones when the padding is good */
	data_len = plen - mac_len - (((size_t)m[plen - 1] + 1) & keep);
	pseudo_header(h, p->seq, type, version, data_len);
	if (record_mac_ct(p, h, m, data_len, plen - mac_len, mac))
		goto internal;
	bad |= (unsigned)mem_neq(mac, m + data_len, mac_len) & (unsigned)!tls_fuzzing();
	zeromem(mac, sizeof mac);
	if (bad) {
		zeromem(m, plen);
		return BAD_MAC;
	}
	zeromem(m + data_len, plen - data_len);
	if (data_len > TLS_MAX_PLAINTEXT) {
		zeromem(m, data_len);
		return OVERFLOW;
	}
	chain_from(p, frag + ivl, plen);
	out->len = data_len;
	return 0;
internal:
	zeromem(m, plen);
	return TLS_ERR_INTERNAL;
}

/* ---- AES-GCM (RFC 5288) ---- */

/* One GCM pass. in/out have len bytes (len may be 0); tag receives the tag
 * GCM computes, on both encrypt and decrypt: checking it is the caller's job. */
static int gcm_run(tls_protect *p, const uint8_t nonce[GCM_NONCE], const uint8_t h[13],
		   const uint8_t *in, uint8_t *out, size_t len, uint8_t tag[GCM_TAG], int dir)
{
	if (!p->gcm)
		return TLS_ERR_INTERNAL;
	if (tls_fuzzing()) {
		if (len)
			memcpy(out, in, len);
		memset(tag, 0, GCM_TAG);
		return 0;
	}
	/* gcm_process takes (pt, ct) whichever the direction. libtomcrypt
	 * 1.18.2's gcm_done writes the tag it computed, also on decryption,
	 * and checks nothing: open_gcm compares it. */
	uint8_t *pt = dir == GCM_ENCRYPT ? (uint8_t *)in : out, *ct = dir == GCM_ENCRYPT ? out : (uint8_t *)in;
	unsigned long tag_len = GCM_TAG;
	int ok = gcm_reset(p->gcm) == CRYPT_OK && gcm_add_iv(p->gcm, nonce, GCM_NONCE) == CRYPT_OK &&
		 gcm_add_aad(p->gcm, h, 13) == CRYPT_OK &&
		 gcm_process(p->gcm, pt, (unsigned long)len, ct, dir) == CRYPT_OK &&
		 gcm_done(p->gcm, tag, &tag_len) == CRYPT_OK && tag_len == GCM_TAG;
	return ok ? 0 : TLS_ERR_INTERNAL;
}

static void gcm_nonce(const tls_protect *p, const uint8_t explicit[GCM_EXPLICIT],
		      uint8_t nonce[GCM_NONCE])
{
	memcpy(nonce, p->salt, sizeof p->salt);
	memcpy(nonce + sizeof p->salt, explicit, GCM_EXPLICIT);
}

static int seal_gcm(tls_protect *p, const uint8_t h[13], const uint8_t *pt, size_t pt_len,
		    tls_buf *out)
{
	size_t total = GCM_EXPLICIT + pt_len + GCM_TAG, start = out->len;
	uint8_t nonce[GCM_NONCE], *rec;

	if (tls_buf_reserve(out, total))
		return TLS_ERR_INTERNAL;
	rec = out->p + start;
	/* The sequence number is a nonce that never repeats under one key, and
	 * costs no randomness (what OpenSSL sends too). */
	tls_store_be64(rec, p->seq);
	gcm_nonce(p, rec, nonce);
	if (gcm_run(p, nonce, h, pt, rec + GCM_EXPLICIT, pt_len, rec + GCM_EXPLICIT + pt_len,
		    GCM_ENCRYPT)) {
		zeromem(rec, total);
		return TLS_ERR_INTERNAL;
	}
	out->len += total;
	return 0;
}

static int open_gcm(tls_protect *p, uint8_t type, uint16_t version, const uint8_t *frag,
		    size_t frag_len, tls_buf *out)
{
	uint8_t h[13], nonce[GCM_NONCE], tag[GCM_TAG];
	size_t ct_len;
	int bad;

	if (frag_len < GCM_EXPLICIT + GCM_TAG)
		return BAD_MAC;
	ct_len = frag_len - GCM_EXPLICIT - GCM_TAG;
	/* GCM keeps lengths, so an oversized plaintext shows before decryption. */
	if (ct_len > TLS_MAX_PLAINTEXT)
		return OVERFLOW;
	if (tls_buf_reserve(out, ct_len))
		return TLS_ERR_INTERNAL;
	gcm_nonce(p, frag, nonce);
	pseudo_header(h, p->seq, type, version, ct_len);
	if (gcm_run(p, nonce, h, frag + GCM_EXPLICIT, out->p, ct_len, tag, GCM_DECRYPT)) {
		wipe(out->p, ct_len);
		return TLS_ERR_INTERNAL;
	}
	/* The computed tag comes back unchecked: compare in constant time. */
	bad = mem_neq(tag, frag + GCM_EXPLICIT + ct_len, GCM_TAG) && !tls_fuzzing();
	zeromem(tag, sizeof tag);
	if (bad) {
		wipe(out->p, ct_len);
		return BAD_MAC;
	}
	out->len = ct_len;
	return 0;
}

/* ---- ChaCha20-Poly1305 (RFC 7905, the work in chacha.c) ---- */

static int open_chacha(tls_protect *p, uint8_t type, uint16_t version, const uint8_t *frag,
		       size_t frag_len, tls_buf *out)
{
	uint8_t h[13];
	if (frag_len < TLS_CHACHA_TAG)
		return BAD_MAC;
	if (frag_len - TLS_CHACHA_TAG > TLS_MAX_PLAINTEXT)
		return OVERFLOW;
	pseudo_header(h, p->seq, type, version, frag_len - TLS_CHACHA_TAG);
	int rc = tls_chacha_open(p->key, p->aead_iv, p->seq, h, frag, frag_len, out);
	return rc == 1 ? BAD_MAC : rc;
}

/* ---- the two entry points ---- */

int tls_protect_seal(tls_protect *p, tls_rng *rng, uint8_t type, uint16_t version,
		     const uint8_t *pt, size_t pt_len, tls_buf *out)
{
	uint8_t h[13];
	int rc;

	if (!p || !p->ready || !out || (pt_len && !pt))
		return TLS_ERR_INTERNAL;
	if (pt_len > TLS_MAX_PLAINTEXT)
		return OVERFLOW;
	/* RFC 5246 6.1: sequence numbers must not wrap. */
	if (p->seq == UINT64_MAX)
		return TLS_ERR_INTERNAL;
	pseudo_header(h, p->seq, type, version, pt_len);
	if (is_chacha(p))
		rc = tls_chacha_seal(p->key, p->aead_iv, p->seq, h, pt, pt_len, out);
	else
		rc = is_gcm(p) ? seal_gcm(p, h, pt, pt_len, out) : seal_cbc(p, rng, h, pt, pt_len, out);
	if (rc == 0)
		p->seq++;
	return rc;
}

int tls_protect_open(tls_protect *p, uint8_t type, uint16_t version, const uint8_t *frag,
		     size_t frag_len, tls_buf *out)
{
	int rc;

	if (!p || !p->ready || !out || (frag_len && !frag))
		return TLS_ERR_INTERNAL;
	tls_buf_clear(out);
	if (frag_len > TLS_MAX_CIPHERTEXT)
		return OVERFLOW;
	if (p->seq == UINT64_MAX)
		return TLS_ERR_INTERNAL;
	if (is_chacha(p))
		rc = open_chacha(p, type, version, frag, frag_len, out);
	else
		rc = is_gcm(p) ? open_gcm(p, type, version, frag, frag_len, out)
			       : open_cbc(p, type, version, frag, frag_len, out);
	if (rc == 0)
		p->seq++;
	return rc;
}

/* ---- describing a record's layout, per mode ----------------------------- */

/* Each returns 0 when the body fits its mode, -1 to leave it opaque. */
static int describe_gcm(const tls_protect_shape *sh, size_t body, tls_spans *sp)
{
	(void)sh;
	if (body < GCM_EXPLICIT + 16)
		return -1;
	tls_spans_add(sp, "record.nonce_explicit", 5, GCM_EXPLICIT,
		      "explicit nonce: 8 bytes sent with the record; with the 4-byte salt from the key "
		      "block it forms the GCM nonce");
	tls_spans_add(sp, "record.ciphertext", 5 + GCM_EXPLICIT, body - GCM_EXPLICIT - 16,
		      "AES-GCM ciphertext: the encrypted message");
	tls_spans_add(sp, "record.tag", 5 + body - 16, 16, "authentication tag: proves the record was not changed");
	return 0;
}

static int describe_cbc10(const tls_protect_shape *sh, size_t body, tls_spans *sp)
{
	size_t mac_len = sh->suite->mac_len;
	size_t mac = sh->etm && body >= AES_BLOCK + mac_len ? mac_len : 0;
	if (!body)
		return -1;
	tls_spans_add(sp, "record.ciphertext", 5, body - mac,
		      mac ? "AES-CBC ciphertext of message + padding; TLS 1.0 sends no IV: "
			    "the first record uses the key block's, each later one the last "
			    "ciphertext block of the record before"
			  : "AES-CBC ciphertext of message + HMAC + padding; TLS 1.0 sends no "
			    "IV: the first record uses the key block's, each later one the "
			    "last ciphertext block of the record before");
	if (mac)
		tls_spans_add(sp, "record.mac", 5 + body - mac, mac,
			      "HMAC over the header and ciphertext (encrypt-then-MAC, RFC "
			      "7366): checked before anything is decrypted");
	return 0;
}

static int describe_cbc_etm(const tls_protect_shape *sh, size_t body, tls_spans *sp)
{
	size_t mac = sh->suite->mac_len;
	if (body < 2 * AES_BLOCK + mac)
		return -1;
	tls_spans_add(sp, "record.iv", 5, AES_BLOCK,
		      "explicit IV: 16 random bytes, so equal messages encrypt differently");
	tls_spans_add(sp, "record.ciphertext", 5 + AES_BLOCK, body - AES_BLOCK - mac,
		      "AES-CBC ciphertext of message + padding");
	tls_spans_add(sp, "record.mac", 5 + body - mac, mac,
		      "HMAC over the header, IV and ciphertext (encrypt-then-MAC, RFC 7366): "
		      "checked before anything is decrypted");
	return 0;
}

static int describe_cbc(const tls_protect_shape *sh, size_t body, tls_spans *sp)
{
	(void)sh;
	if (body < 2 * AES_BLOCK)
		return -1;
	tls_spans_add(sp, "record.iv", 5, AES_BLOCK,
		      "explicit IV: 16 random bytes, so equal messages encrypt differently");
	tls_spans_add(sp, "record.ciphertext", 5 + AES_BLOCK, body - AES_BLOCK,
		      "AES-CBC ciphertext of message + HMAC + padding");
	return 0;
}

void tls_protect_describe(const tls_protect_shape *sh, size_t body, tls_spans *sp)
{
	int (*describe)(const tls_protect_shape *, size_t, tls_spans *) = NULL;
	const tls_suite *s = sh->suite;
	if (s && s->bulk == TLS_BULK_AES_GCM)
		describe = describe_gcm;
	else if (s && s->bulk == TLS_BULK_AES_CBC)
		describe = sh->tls10 ? describe_cbc10 : sh->etm ? describe_cbc_etm : describe_cbc;
	if ((!describe || describe(sh, body, sp)) && body)
		tls_spans_add(sp, "record.ciphertext", 5, body, "encrypted record body");
}
