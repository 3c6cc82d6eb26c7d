#include "tls/gcm.h"

#include "tls/bytes.h"
#include "tls/crypto.h"

#include <string.h>

/* x = x * h in GF(2^128), GCM's bit order (SP 800-38D 6.3): the first
 * bit of the block is the coefficient of x^0, and the field polynomial
 * x^128 + x^7 + x^2 + x + 1 shows up as R = 11100001 || 0^120. Every bit
 * costs the same masked steps. */
static void gf_mul(uint64_t x[2], const uint64_t h[2])
{
	uint64_t z0 = 0, z1 = 0, v0 = h[0], v1 = h[1];
	for (int i = 0; i < 128; i++) {
		uint64_t bit = (i < 64 ? x[0] >> (63 - i) : x[1] >> (127 - i)) & 1;
		uint64_t take = 0 - bit;
		z0 ^= v0 & take;
		z1 ^= v1 & take;
		uint64_t carry = 0 - (v1 & 1);
		v1 = (v1 >> 1) | (v0 << 63);
		v0 = (v0 >> 1) ^ (UINT64_C(0xe100000000000000) & carry);
	}
	x[0] = z0;
	x[1] = z1;
}

/* GHASH over data, zero-padded to whole blocks. */
static void ghash(uint64_t y[2], const uint64_t h[2], const uint8_t *p, size_t n)
{
	while (n) {
		uint8_t blk[16] = {0};
		size_t k = n < 16 ? n : 16;
		memcpy(blk, p, k);
		y[0] ^= tls_load_be64(blk);
		y[1] ^= tls_load_be64(blk + 8);
		gf_mul(y, h);
		p += k;
		n -= k;
	}
}

int tls_gcm_init(tls_gcm *g, const uint8_t *key, size_t key_len)
{
	uint8_t zero[16] = {0}, hb[16];
	memset(g, 0, sizeof *g);
	if (tls_crypto_init())
		return -1;
	g->cipher = tls_cipher_aes();
	if (g->cipher < 0 || cipher_descriptor[g->cipher].setup(key, (int)key_len, 0, &g->aes) != CRYPT_OK ||
	    cipher_descriptor[g->cipher].ecb_encrypt(zero, hb, &g->aes) != CRYPT_OK)
		return -1;
	g->h[0] = tls_load_be64(hb);
	g->h[1] = tls_load_be64(hb + 8);
	tls_wipe(hb, sizeof hb);
	return 0;
}

int tls_gcm_run(const tls_gcm *g, const uint8_t nonce[12], const uint8_t *aad, size_t aad_len,
		const uint8_t *in, uint8_t *out, size_t len, uint8_t tag[16], int enc)
{
	const struct ltc_cipher_descriptor *c = &cipher_descriptor[g->cipher];
	/* libtomcrypt wants a non-const key schedule but only reads it. */
	symmetric_key *aes = (symmetric_key *)&g->aes;
	uint8_t ctr[16], ks[16], j0[16];
	uint64_t y[2] = {0, 0};
	/* J0 = nonce || 0^31 || 1; the data counters start at J0 + 1. */
	memcpy(ctr, nonce, 12);
	ctr[12] = ctr[13] = ctr[14] = 0;
	ctr[15] = 1;
	if (c->ecb_encrypt(ctr, j0, aes) != CRYPT_OK)
		return -1;
	ghash(y, g->h, aad, aad_len);
	if (!enc)
		ghash(y, g->h, in, len);
	uint32_t n = 1;
	for (size_t off = 0; off < len; off += 16) {
		n++;
		ctr[12] = (uint8_t)(n >> 24);
		ctr[13] = (uint8_t)(n >> 16);
		ctr[14] = (uint8_t)(n >> 8);
		ctr[15] = (uint8_t)n;
		if (c->ecb_encrypt(ctr, ks, aes) != CRYPT_OK)
			return -1;
		size_t k = len - off < 16 ? len - off : 16;
		for (size_t i = 0; i < k; i++)
			out[off + i] = in[off + i] ^ ks[i];
	}
	if (enc)
		ghash(y, g->h, out, len);
	y[0] ^= (uint64_t)aad_len * 8;
	y[1] ^= (uint64_t)len * 8;
	gf_mul(y, g->h);
	tls_store_be64(tag, y[0] ^ tls_load_be64(j0));
	tls_store_be64(tag + 8, y[1] ^ tls_load_be64(j0 + 8));
	tls_wipe(ks, sizeof ks);
	tls_wipe(j0, sizeof j0);
	return 0;
}

void tls_gcm_free(tls_gcm *g)
{
	if (g && g->cipher >= 0)
		cipher_descriptor[g->cipher].done(&g->aes);
	tls_wipe(g, sizeof *g);
}
