/* SHA-1 and SHA-256 on the x86 SHA extensions. See sha_ni.h. */
#include "tls/sha_ni.h"

#include <stdint.h>
#include <string.h>

/* ---- the buffered hash, shared by both --------------------------------- */

typedef void (*blocks_fn)(ulong32 *st, const uint8_t *p, size_t n);

/* The libtomcrypt state layout for both (length in bits, chaining value,
 * bytes waiting in buf): the fields this code reads and writes. */
typedef struct {
	ulong64 *length;
	ulong32 *state, *curlen;
	unsigned char *buf;
} view;

/* Inlined into each caller with its compression function, so the call is
 * direct: a handshake finishes a hundred short hashes, where the overhead
 * around the one or two blocks is as large as the blocks. */
#define INLINE_ALWAYS __attribute__((always_inline)) inline

static INLINE_ALWAYS int absorb(view v, blocks_fn blocks, const uint8_t *in, size_t n)
{
	if ((!in && n) || *v.curlen >= 64)
		return CRYPT_INVALID_ARG;
	if (!n)
		return CRYPT_OK;
	if (*v.curlen) {
		size_t k = 64 - *v.curlen < n ? 64 - *v.curlen : n;
		memcpy(v.buf + *v.curlen, in, k);
		*v.curlen += (ulong32)k;
		in += k;
		n -= k;
		if (*v.curlen < 64)
			return CRYPT_OK;
		blocks(v.state, v.buf, 1);
		*v.length += 512;
		*v.curlen = 0;
	}
	if (n >= 64) {
		blocks(v.state, in, n / 64);
		*v.length += (ulong64)(n / 64) * 512;
		in += n - n % 64;
		n %= 64;
	}
	memcpy(v.buf, in, n);
	*v.curlen = (ulong32)n;
	return CRYPT_OK;
}

/* Merkle-Damgard padding: 0x80, zeros, the length in bits (big-endian). */
static INLINE_ALWAYS int finish(view v, blocks_fn blocks, uint8_t *out, int words)
{
	if (!out || *v.curlen >= 64)
		return CRYPT_INVALID_ARG;
	uint64_t bits = __builtin_bswap64(*v.length + (uint64_t)*v.curlen * 8);
	uint32_t i = *v.curlen;
	v.buf[i++] = 0x80;
	if (i > 56) {
		memset(v.buf + i, 0, 64 - i);
		blocks(v.state, v.buf, 1);
		i = 0;
	}
	memset(v.buf + i, 0, 56 - i);
	memcpy(v.buf + 56, &bits, 8);
	blocks(v.state, v.buf, 1);
	for (int w = 0; w < words; w++) {
		uint32_t be = __builtin_bswap32(v.state[w]);
		memcpy(out + 4 * w, &be, 4);
	}
	return CRYPT_OK;
}

static view view256(hash_state *h)
{
	return (view){&h->sha256.length, h->sha256.state, &h->sha256.curlen, h->sha256.buf};
}

static view view1(hash_state *h)
{
	return (view){&h->sha1.length, h->sha1.state, &h->sha1.curlen, h->sha1.buf};
}

/* ---- the compression functions ----------------------------------------- */

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

#define TGT __attribute__((target("sha,sse4.1,ssse3")))

int tls_sha_ni_available(void)
{
	static int have = -1;
	if (have < 0) {
		/* CPUID leaf 7, EBX bit 29: the SHA extensions (gcc 12's
		 * __builtin_cpu_supports has no name for them). */
		unsigned a = 0, b = 0, c = 0, d = 0, max = 0;
		__asm__("cpuid" : "=a"(max), "=b"(b), "=c"(c), "=d"(d) : "a"(0), "c"(0));
		b = 0;
		if (max >= 7)
			__asm__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(7), "c"(0));
		__builtin_cpu_init();
		have = (b >> 29 & 1) && __builtin_cpu_supports("sse4.1") && __builtin_cpu_supports("ssse3");
	}
	return have;
}

static const uint32_t K256[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

/* The instructions keep the eight words as two halves, ABEF and CDGH
 * (A in the top lane); the message schedule runs four words at a time. */
TGT static void sha256_blocks_ni(ulong32 *st, const uint8_t *p, size_t n)
{
	const __m128i swap = _mm_set_epi64x(0x0c0d0e0f08090a0bll, 0x0405060700010203ll);
	__m128i dcba = _mm_loadu_si128((const __m128i *)st);
	__m128i hgfe = _mm_loadu_si128((const __m128i *)(st + 4));
	__m128i cdab = _mm_shuffle_epi32(dcba, 0xb1);
	__m128i efgh = _mm_shuffle_epi32(hgfe, 0x1b);
	__m128i abef = _mm_alignr_epi8(cdab, efgh, 8);
	__m128i cdgh = _mm_blend_epi16(efgh, cdab, 0xf0);
	for (; n; n--, p += 64) {
		__m128i save0 = abef, save1 = cdgh, w[4];
		for (int i = 0; i < 4; i++)
			w[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * i)), swap);
		for (int r = 0; r < 16; r++) {
			__m128i cur = w[r & 3];
			__m128i m = _mm_add_epi32(cur, _mm_loadu_si128((const __m128i *)(K256 + 4 * r)));
			cdgh = _mm_sha256rnds2_epu32(cdgh, abef, m);
			abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(m, 0x0e));
			if (r < 12) { /* the words four groups on: W[t-16..] from these */
				__m128i next = _mm_sha256msg1_epu32(cur, w[(r + 1) & 3]);
				next =
				    _mm_add_epi32(next, _mm_alignr_epi8(w[(r + 3) & 3], w[(r + 2) & 3], 4));
				w[r & 3] = _mm_sha256msg2_epu32(next, w[(r + 3) & 3]);
			}
		}
		abef = _mm_add_epi32(abef, save0);
		cdgh = _mm_add_epi32(cdgh, save1);
	}
	__m128i feba = _mm_shuffle_epi32(abef, 0x1b);
	__m128i dchg = _mm_shuffle_epi32(cdgh, 0xb1);
	_mm_storeu_si128((__m128i *)st, _mm_blend_epi16(feba, dchg, 0xf0));
	_mm_storeu_si128((__m128i *)(st + 4), _mm_alignr_epi8(dchg, feba, 8));
}

/* Four rounds with round function f (a compile-time constant). */
#define SHA1_4(f)                                                                                            \
	do {                                                                                                 \
		e = r ? _mm_sha1nexte_epu32(prev, w[r & 3]) : _mm_add_epi32(e0, w[0]);                       \
		prev = abcd;                                                                                 \
		abcd = _mm_sha1rnds4_epu32(abcd, e, f);                                                      \
		if (r < 16) /* the schedule four groups on */                                                \
			w[r & 3] = _mm_sha1msg2_epu32(                                                       \
			    _mm_xor_si128(_mm_sha1msg1_epu32(w[r & 3], w[(r + 1) & 3]), w[(r + 2) & 3]),     \
			    w[(r + 3) & 3]);                                                                 \
		r++;                                                                                         \
	} while (0)

/* A in the top lane of abcd; E rides in the top lane of the round input. */
TGT static void sha1_blocks_ni(ulong32 *st, const uint8_t *p, size_t n)
{
	const __m128i swap = _mm_set_epi64x(0x0001020304050607ll, 0x08090a0b0c0d0e0fll);
	__m128i abcd = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)st), 0x1b);
	uint32_t e_word = st[4];
	for (; n; n--, p += 64) {
		__m128i save = abcd, e0 = _mm_set_epi32((int)e_word, 0, 0, 0), e, prev = abcd, w[4];
		for (int i = 0; i < 4; i++)
			w[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * i)), swap);
		int r = 0;
		while (r < 5)
			SHA1_4(0);
		while (r < 10)
			SHA1_4(1);
		while (r < 15)
			SHA1_4(2);
		while (r < 20)
			SHA1_4(3);
		e = _mm_sha1nexte_epu32(prev, e0);
		abcd = _mm_add_epi32(abcd, save);
		e_word = (uint32_t)_mm_extract_epi32(e, 3);
	}
	_mm_storeu_si128((__m128i *)st, _mm_shuffle_epi32(abcd, 0x1b));
	st[4] = e_word;
}

#else

int tls_sha_ni_available(void)
{
	return 0;
}

static void sha256_blocks_ni(ulong32 *st, const uint8_t *p, size_t n)
{
	(void)st, (void)p, (void)n;
}

static void sha1_blocks_ni(ulong32 *st, const uint8_t *p, size_t n)
{
	(void)st, (void)p, (void)n;
}

#endif

/* ---- descriptors ------------------------------------------------------- */

static int ni256_process(hash_state *h, const unsigned char *in, unsigned long n)
{
	return h ? absorb(view256(h), sha256_blocks_ni, in, n) : CRYPT_INVALID_ARG;
}

static int ni256_done(hash_state *h, unsigned char *out)
{
	return h ? finish(view256(h), sha256_blocks_ni, out, 8) : CRYPT_INVALID_ARG;
}

static int ni1_process(hash_state *h, const unsigned char *in, unsigned long n)
{
	return h ? absorb(view1(h), sha1_blocks_ni, in, n) : CRYPT_INVALID_ARG;
}

static int ni1_done(hash_state *h, unsigned char *out)
{
	return h ? finish(view1(h), sha1_blocks_ni, out, 5) : CRYPT_INVALID_ARG;
}

typedef int (*process_fn)(hash_state *, const unsigned char *, unsigned long);
typedef int (*done_fn)(hash_state *, unsigned char *);

/* libtomcrypt's descriptor (name, sizes, OID, init) with our process and
 * done. */
static const struct ltc_hash_descriptor *
with_ni(struct ltc_hash_descriptor *d, const struct ltc_hash_descriptor *base, process_fn p, done_fn f)
{
	*d = *base;
	d->process = p;
	d->done = f;
	d->hmac_block = NULL;
	return d;
}

const struct ltc_hash_descriptor *tls_sha256_ni_desc(void)
{
	static struct ltc_hash_descriptor d;
	return with_ni(&d, &sha256_desc, ni256_process, ni256_done);
}

const struct ltc_hash_descriptor *tls_sha1_ni_desc(void)
{
	static struct ltc_hash_descriptor d;
	return with_ni(&d, &sha1_desc, ni1_process, ni1_done);
}

/* Nothing to add is fine on both paths (libtomcrypt's would abort on a NULL
 * pointer even with a zero length). */
int tls_sha256_process(hash_state *h, const unsigned char *in, unsigned long n)
{
	if (!n)
		return h ? CRYPT_OK : CRYPT_INVALID_ARG;
	return tls_sha_ni_available() ? ni256_process(h, in, n) : sha256_process(h, in, n);
}

int tls_sha256_done(hash_state *h, unsigned char *out)
{
	return tls_sha_ni_available() ? ni256_done(h, out) : sha256_done(h, out);
}

int tls_sha1_process(hash_state *h, const unsigned char *in, unsigned long n)
{
	if (!n)
		return h ? CRYPT_OK : CRYPT_INVALID_ARG;
	return tls_sha_ni_available() ? ni1_process(h, in, n) : sha1_process(h, in, n);
}

int tls_sha1_done(hash_state *h, unsigned char *out)
{
	return tls_sha_ni_available() ? ni1_done(h, out) : sha1_done(h, out);
}
