#include "tls/crypto.h"

#include "tls/rng.h"

#include <string.h>

#include <tomcrypt.h>

static int inited;

int tls_crypto_init(void)
{
	if (inited)
		return 0;
	ltc_mp = gmp_desc;
	if (register_hash(&sha1_desc) < 0 || register_hash(&sha256_desc) < 0 ||
	    register_hash(&sha384_desc) < 0 || register_cipher(&aes_desc) < 0 ||
	    register_prng(&chacha20_prng_desc) < 0)
		return -1;
	inited = 1;
	return 0;
}

int tls_hash_sha1(void) { return find_hash("sha1"); }
int tls_hash_sha256(void) { return find_hash("sha256"); }
int tls_hash_sha384(void) { return find_hash("sha384"); }
int tls_cipher_aes(void) { return find_cipher("aes"); }
int tls_prng_chacha(void) { return find_prng("chacha20"); }

int tls_rng_seed(tls_rng *r, uint64_t seed, const char *label)
{
	/* Entropy = "tlsstep" || seed (big endian) || label: distinct streams
	 * per side from one user-visible seed. */
	uint8_t in[96];
	size_t n = 0;
	memcpy(in, "tlsstep-seed", 12);
	n = 12;
	for (int i = 7; i >= 0; i--)
		in[n++] = (uint8_t)(seed >> (8 * i));
	size_t l = label ? strlen(label) : 0;
	if (l > sizeof in - n)
		l = sizeof in - n;
	memcpy(in + n, label, l);
	n += l;
	return tls_rng_from_entropy(r, in, n);
}

int tls_rng_from_entropy(tls_rng *r, const uint8_t *entropy, size_t n)
{
	if (tls_crypto_init())
		return -1;
	memset(r, 0, sizeof *r);
	r->idx = tls_prng_chacha();
	if (chacha20_prng_start(&r->state) != CRYPT_OK ||
	    chacha20_prng_add_entropy(entropy, (unsigned long)n, &r->state) != CRYPT_OK ||
	    chacha20_prng_ready(&r->state) != CRYPT_OK)
		return -1;
	return 0;
}

int tls_rng_read(tls_rng *r, uint8_t *out, size_t n)
{
	if (n == 0)
		return 0;
	return chacha20_prng_read(out, (unsigned long)n, &r->state) == n ? 0 : -1;
}

void tls_rng_free(tls_rng *r)
{
	chacha20_prng_done(&r->state);
	zeromem(r, sizeof *r);
}
