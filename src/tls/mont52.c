/* Montgomery exponentiation in radix 2^52 with AVX-512 IFMA
 * (VPMADD52LUQ/HUQ multiply 52-bit lanes and add the low or high half of
 * the 104-bit product). Two exponentiations run interleaved so one's
 * multiply latency hides behind the other's: the two CRT halves of an RSA
 * private operation. See mont52.h for the number format.
 *
 * Each Montgomery product is "almost" reduced (result < 2m for inputs
 * < 2m, since 4m < R); only the final result is brought below m. */
#include "tls/mont52.h"

#include "tls/bytes.h"


#define MASK52 ((UINT64_C(1) << 52) - 1)
#define WIN 5 /* fixed window: 32 table entries, 1 product per 5 squarings */

static int enabled = 1;

void tls_m52_enable(int on)
{
	enabled = on;
}

uint64_t tls_m52_k0(uint64_t m0)
{
	/* Newton's iteration doubles the correct low bits each round; an odd
	 * m0 is its own inverse mod 8, so 3 -> 6 -> 12 -> 24 -> 48 -> 96. */
	uint64_t inv = m0;
	for (int i = 0; i < 5; i++)
		inv *= 2 - m0 * inv;
	return (0 - inv) & MASK52;
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

#define TGT __attribute__((target("avx512f,avx512ifma")))
#define INLINE __attribute__((always_inline)) inline

int tls_m52_available(void)
{
	static int have = -1;
	if (have < 0) {
		__builtin_cpu_init();
		have = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512ifma");
	}
	return have && enabled;
}

/* One word of operand-scanning Montgomery multiplication:
 * x = (x + a*b_i + m*y) / 2^52 with y chosen so the division is exact.
 * Low halves land in their own lane; after the one-lane shift the high
 * halves land where they belong too (one limb up, divided by 2^52). */
TGT static INLINE void step(__m512i x[3], const __m512i a[3], const __m512i m[3], __m512i bi, __m512i k0)
{
	const __m512i zero = _mm512_setzero_si512();
	x[0] = _mm512_madd52lo_epu64(x[0], a[0], bi);
	x[1] = _mm512_madd52lo_epu64(x[1], a[1], bi);
	x[2] = _mm512_madd52lo_epu64(x[2], a[2], bi);
	/* y = x_0 * k0 mod 2^52; IFMA reads only x_0's low 52 bits, which
	 * are all that decide divisibility. */
	__m512i y = _mm512_madd52lo_epu64(zero, _mm512_permutexvar_epi64(zero, x[0]), k0);
	x[0] = _mm512_madd52lo_epu64(x[0], m[0], y);
	x[1] = _mm512_madd52lo_epu64(x[1], m[1], y);
	x[2] = _mm512_madd52lo_epu64(x[2], m[2], y);
	__m512i carry = _mm512_maskz_srli_epi64(1, x[0], 52);
	x[0] = _mm512_add_epi64(_mm512_alignr_epi64(x[1], x[0], 1), carry);
	x[1] = _mm512_alignr_epi64(x[2], x[1], 1);
	x[2] = _mm512_alignr_epi64(zero, x[2], 1);
	x[0] = _mm512_madd52hi_epu64(x[0], a[0], bi);
	x[0] = _mm512_madd52hi_epu64(x[0], m[0], y);
	x[1] = _mm512_madd52hi_epu64(x[1], a[1], bi);
	x[1] = _mm512_madd52hi_epu64(x[1], m[1], y);
	x[2] = _mm512_madd52hi_epu64(x[2], a[2], bi);
	x[2] = _mm512_madd52hi_epu64(x[2], m[2], y);
}

/* Lanes hold up to 64 bits after the products; bring each back under
 * 2^52. One vector pass moves every lane's excess up a lane; what is left
 * is a carry of at most 1 per lane, rippled with mask arithmetic (lanes
 * that generate a carry, and all-ones lanes that pass one on). */
TGT static INLINE void normalize(__m512i x[3])
{
	const __m512i mask = _mm512_set1_epi64((long long)MASK52), zero = _mm512_setzero_si512();
	__m512i c[3];
	c[0] = _mm512_srli_epi64(x[0], 52);
	x[0] = _mm512_and_si512(x[0], mask);
	c[1] = _mm512_srli_epi64(x[1], 52);
	x[1] = _mm512_and_si512(x[1], mask);
	c[2] = _mm512_srli_epi64(x[2], 52);
	x[2] = _mm512_and_si512(x[2], mask);
	x[0] = _mm512_add_epi64(x[0], _mm512_alignr_epi64(c[0], zero, 7));
	x[1] = _mm512_add_epi64(x[1], _mm512_alignr_epi64(c[1], c[0], 7));
	x[2] = _mm512_add_epi64(x[2], _mm512_alignr_epi64(c[2], c[1], 7));
	uint32_t gen = 0, prop = 0;
	gen |= (uint32_t)_mm512_cmpgt_epu64_mask(x[0], mask);
	prop |= (uint32_t)_mm512_cmpeq_epu64_mask(x[0], mask);
	gen |= (uint32_t)_mm512_cmpgt_epu64_mask(x[1], mask) << 8;
	prop |= (uint32_t)_mm512_cmpeq_epu64_mask(x[1], mask) << 8;
	gen |= (uint32_t)_mm512_cmpgt_epu64_mask(x[2], mask) << 16;
	prop |= (uint32_t)_mm512_cmpeq_epu64_mask(x[2], mask) << 16;
	uint32_t in = ((gen << 1) + prop) ^ prop; /* lanes that receive a carry */
	const __m512i one = _mm512_set1_epi64(1);
	x[0] = _mm512_mask_add_epi64(x[0], (__mmask8)in, x[0], one);
	x[0] = _mm512_and_si512(x[0], mask);
	x[1] = _mm512_mask_add_epi64(x[1], (__mmask8)(in >> 8), x[1], one);
	x[1] = _mm512_and_si512(x[1], mask);
	x[2] = _mm512_mask_add_epi64(x[2], (__mmask8)(in >> 16), x[2], one);
	x[2] = _mm512_and_si512(x[2], mask);
}

typedef struct {
	__m512i m[3];
	__m512i k0;
} modulus;

TGT static INLINE void load(__m512i v[3], const uint64_t *p)
{
	v[0] = _mm512_loadu_si512((const void *)(p + 0));
	v[1] = _mm512_loadu_si512((const void *)(p + 8));
	v[2] = _mm512_loadu_si512((const void *)(p + 16));
}

TGT static INLINE void store(uint64_t *p, const __m512i v[3])
{
	_mm512_storeu_si512((void *)(p + 0), v[0]);
	_mm512_storeu_si512((void *)(p + 8), v[1]);
	_mm512_storeu_si512((void *)(p + 16), v[2]);
}

/* ra = a*b/R mod ma and rc = c*d/R mod mc, interleaved. The outputs may
 * alias the inputs: nothing is written until the end. */
TGT static void amm2(uint64_t *ra, const uint64_t *a, const uint64_t *b, const modulus *ma, uint64_t *rc,
		     const uint64_t *c, const uint64_t *d, const modulus *mc)
{
	__m512i xa[3], xc[3], va[3], vc[3];
	load(va, a);
	load(vc, c);
	xa[0] = xc[0] = _mm512_setzero_si512();
	xa[1] = xc[1] = _mm512_setzero_si512();
	xa[2] = xc[2] = _mm512_setzero_si512();
	for (int i = 0; i < TLS_M52_LIMBS; i++) {
		step(xa, va, ma->m, _mm512_set1_epi64((long long)b[i]), ma->k0);
		step(xc, vc, mc->m, _mm512_set1_epi64((long long)d[i]), mc->k0);
	}
	normalize(xa);
	normalize(xc);
	store(ra, xa);
	store(rc, xc);
}

/* out = t[idx], reading every entry so the access pattern is the same
 * for every idx. */
TGT static void select_entry(uint64_t *out, uint64_t (*t)[TLS_M52_PAD], unsigned idx)
{
	__m512i r[3], e[3];
	const __m512i want = _mm512_set1_epi64(idx);
	r[0] = _mm512_setzero_si512();
	r[1] = _mm512_setzero_si512();
	r[2] = _mm512_setzero_si512();
	for (unsigned j = 0; j < 1u << WIN; j++) {
		__mmask8 hit = _mm512_cmpeq_epi64_mask(_mm512_set1_epi64(j), want);
		load(e, t[j]);
		r[0] = _mm512_mask_mov_epi64(r[0], hit, e[0]);
		r[1] = _mm512_mask_mov_epi64(r[1], hit, e[1]);
		r[2] = _mm512_mask_mov_epi64(r[2], hit, e[2]);
	}
	store(out, r);
}

static unsigned window(const tls_m52_job *j, size_t pos)
{
	unsigned v = 0;
	for (unsigned k = 0; k < WIN; k++) {
		size_t bit = pos + k;
		if (bit < j->exp_bits)
			v |= (unsigned)((j->exp[bit / 64] >> (bit % 64)) & 1) << k;
	}
	return v;
}

/* x in [0, m] (a Montgomery product by 1 never exceeds m) to [0, m). */
static void reduce_once(uint64_t *x, const uint64_t *m)
{
	uint64_t d[TLS_M52_LIMBS], borrow = 0;
	for (int i = 0; i < TLS_M52_LIMBS; i++) {
		uint64_t v = x[i] - m[i] - borrow;
		borrow = v >> 63;
		d[i] = v & MASK52;
	}
	uint64_t keep_x = 0 - borrow; /* all ones when x < m */
	for (int i = 0; i < TLS_M52_LIMBS; i++)
		x[i] = (x[i] & keep_x) | (d[i] & ~keep_x);
}

TGT static void set_modulus(modulus *md, const tls_m52_job *j)
{
	load(md->m, j->mod);
	md->k0 = _mm512_set1_epi64((long long)tls_m52_k0(j->mod[0]));
}

TGT void tls_m52_normalize(uint64_t x[TLS_M52_PAD])
{
	__m512i v[3];
	load(v, x);
	normalize(v);
	store(x, v);
}

TGT void tls_m52_powm2(tls_m52_job *ja, tls_m52_job *jb)
{
	_Alignas(64) uint64_t ta[1u << WIN][TLS_M52_PAD], tb[1u << WIN][TLS_M52_PAD];
	_Alignas(64) uint64_t acc_a[TLS_M52_PAD], acc_b[TLS_M52_PAD], sel_a[TLS_M52_PAD], sel_b[TLS_M52_PAD];
	_Alignas(64) uint64_t one[TLS_M52_PAD] = {1};
	modulus ma, mb;
	set_modulus(&ma, ja);
	set_modulus(&mb, jb);
	/* t[0] = R mod m (Montgomery's 1), t[1] = base*R, t[i] = base^i * R. */
	amm2(ta[0], ja->rr, one, &ma, tb[0], jb->rr, one, &mb);
	amm2(ta[1], ja->base, ja->rr, &ma, tb[1], jb->base, jb->rr, &mb);
	for (unsigned i = 2; i < 1u << WIN; i++)
		amm2(ta[i], ta[i - 1], ta[1], &ma, tb[i], tb[i - 1], tb[1], &mb);

	size_t bits = ja->exp_bits > jb->exp_bits ? ja->exp_bits : jb->exp_bits;
	size_t wins = bits ? (bits + WIN - 1) / WIN : 1;
	select_entry(acc_a, ta, window(ja, (wins - 1) * WIN));
	select_entry(acc_b, tb, window(jb, (wins - 1) * WIN));
	for (size_t w = wins - 1; w-- > 0;) {
		for (int s = 0; s < WIN; s++)
			amm2(acc_a, acc_a, acc_a, &ma, acc_b, acc_b, acc_b, &mb);
		select_entry(sel_a, ta, window(ja, w * WIN));
		select_entry(sel_b, tb, window(jb, w * WIN));
		amm2(acc_a, acc_a, sel_a, &ma, acc_b, acc_b, sel_b, &mb);
	}
	amm2(ja->out, acc_a, one, &ma, jb->out, acc_b, one, &mb);
	reduce_once(ja->out, ja->mod);
	reduce_once(jb->out, jb->mod);
	/* The tables and accumulators hold powers of the secret base. */
	tls_wipe(ta, sizeof ta);
	tls_wipe(tb, sizeof tb);
	tls_wipe(acc_a, sizeof acc_a);
	tls_wipe(acc_b, sizeof acc_b);
	tls_wipe(sel_a, sizeof sel_a);
	tls_wipe(sel_b, sizeof sel_b);
}

#else

int tls_m52_available(void)
{
	return 0;
}

void tls_m52_powm2(tls_m52_job *a, tls_m52_job *b)
{
	(void)a;
	(void)b;
}

void tls_m52_normalize(uint64_t x[TLS_M52_PAD])
{
	(void)x;
}

#endif
