/* P-256 arithmetic: see p256.h. Field elements are 4 limbs of 64 bits,
 * least significant first, always fully reduced (below p), in Montgomery
 * form (a*R mod p, R = 2^256). p = 2^256 - 2^224 + 2^192 + 2^96 - 1 is -1
 * modulo 2^64, so each Montgomery step's multiplier is the low limb itself.
 * Points are Jacobian (X, Y, Z) = (X/Z^2, Y/Z^3); Z = 0 is infinity. */
#include "tls/p256.h"

#include "tls/bytes.h"

#include <stdlib.h>
#include <string.h>

__extension__ typedef unsigned __int128 u128;
typedef uint64_t fe[4];

static const fe P = {UINT64_C(0xffffffffffffffff), UINT64_C(0x00000000ffffffff), UINT64_C(0x0000000000000000),
		     UINT64_C(0xffffffff00000001)};
/* R^2 mod p, to enter Montgomery form; R mod p is Montgomery's 1. */
static const fe R2 = {UINT64_C(0x0000000000000003), UINT64_C(0xfffffffbffffffff), UINT64_C(0xfffffffffffffffe),
		      UINT64_C(0x00000004fffffffd)};
static const fe MONT_ONE = {UINT64_C(0x0000000000000001), UINT64_C(0xffffffff00000000),
			    UINT64_C(0xffffffffffffffff), UINT64_C(0x00000000fffffffe)};
/* The base point G (SEC 2 2.4.2), already in Montgomery form. */
static const fe GX = {UINT64_C(0x79e730d418a9143c), UINT64_C(0x75ba95fc5fedb601), UINT64_C(0x79fb732b77622510),
		      UINT64_C(0x18905f76a53755c6)};
static const fe GY = {UINT64_C(0xddf25357ce95560a), UINT64_C(0x8b4ab8e4ba19e45c), UINT64_C(0xd2e88688dd21f325),
		      UINT64_C(0x8571ff1825885d85)};

/* Add and subtract with carry, written so compilers see the carry. */
static inline uint64_t adc(uint64_t a, uint64_t b, uint64_t *carry)
{
	uint64_t s = a + *carry;
	uint64_t c = s < a;
	s += b;
	*carry = c + (s < b);
	return s;
}

static inline uint64_t sbb(uint64_t a, uint64_t b, uint64_t *borrow)
{
	uint64_t d = a - b - *borrow;
	*borrow = ((~a & b) | (~(a ^ b) & d)) >> 63;
	return d;
}

/* lo:hi = a*b + c + d, which cannot overflow 128 bits. */
static inline uint64_t mac(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t *hi)
{
	u128 p = (u128)a * b;
	uint64_t lo = (uint64_t)p, h = (uint64_t)(p >> 64), k = 0;
	lo = adc(lo, c, &k);
	h += k;
	k = 0;
	lo = adc(lo, d, &k);
	*hi = h + k;
	return lo;
}

/* The limb loops below are written out: GCC at -O2 keeps a four-limb
 * loop rolled, with the carry going through memory, at twice the cost. */

/* t0..t4 (below 2p) minus p when that does not go negative, into r. */
static inline void reduce5(fe r, uint64_t t0, uint64_t t1, uint64_t t2, uint64_t t3, uint64_t t4)
{
	uint64_t b = 0;
	uint64_t d0 = sbb(t0, P[0], &b), d1 = sbb(t1, P[1], &b), d2 = sbb(t2, P[2], &b), d3 = sbb(t3, P[3], &b);
	sbb(t4, 0, &b);
	uint64_t keep = 0 - b; /* all ones when t < p */
	r[0] = (t0 & keep) | (d0 & ~keep);
	r[1] = (t1 & keep) | (d1 & ~keep);
	r[2] = (t2 & keep) | (d2 & ~keep);
	r[3] = (t3 & keep) | (d3 & ~keep);
}

static inline void fe_add(fe r, const fe a, const fe b)
{
	uint64_t c = 0;
	uint64_t t0 = adc(a[0], b[0], &c), t1 = adc(a[1], b[1], &c), t2 = adc(a[2], b[2], &c),
		 t3 = adc(a[3], b[3], &c);
	reduce5(r, t0, t1, t2, t3, c);
}

static inline void fe_sub(fe r, const fe a, const fe b)
{
	uint64_t bw = 0, c = 0;
	uint64_t t0 = sbb(a[0], b[0], &bw), t1 = sbb(a[1], b[1], &bw), t2 = sbb(a[2], b[2], &bw),
		 t3 = sbb(a[3], b[3], &bw);
	uint64_t mask = 0 - bw; /* went negative: add p back */
	r[0] = adc(t0, P[0] & mask, &c);
	r[1] = adc(t1, P[1] & mask, &c);
	r[2] = adc(t2, P[2] & mask, &c);
	r[3] = adc(t3, P[3] & mask, &c);
}

/* One word of the Montgomery product: t += a*bi, then add m*p with
 * m = t0, which clears the low limb, and shift down a limb. p's shape
 * makes m*p/2^64 (given t0 = m) equal m*2^32 plus m*p3 two limbs up: one
 * multiplication instead of four. */
#define MUL_WORD(bi)                                                                                   \
	do {                                                                                           \
		uint64_t c, t5 = 0, m, mh, ml, k = 0;                                                  \
		t0 = mac(a[0], (bi), t0, 0, &c);                                                       \
		t1 = mac(a[1], (bi), t1, c, &c);                                                       \
		t2 = mac(a[2], (bi), t2, c, &c);                                                       \
		t3 = mac(a[3], (bi), t3, c, &c);                                                       \
		t4 = adc(t4, c, &t5);                                                                  \
		m = t0;                                                                                \
		ml = mac(m, P[3], 0, 0, &mh);                                                          \
		t0 = adc(t1, m << 32, &k);                                                             \
		t1 = adc(t2, m >> 32, &k);                                                             \
		t2 = adc(t3, ml, &k);                                                                  \
		t3 = adc(t4, mh, &k);                                                                  \
		t4 = t5 + k;                                                                           \
	} while (0)

/* Montgomery product a*b/R mod p (operand scanning). r may alias a or b. */
static void fe_mul(fe r, const fe a, const fe b)
{
	uint64_t t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0;
	uint64_t b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3];
	MUL_WORD(b0);
	MUL_WORD(b1);
	MUL_WORD(b2);
	MUL_WORD(b3);
	reduce5(r, t0, t1, t2, t3, t4);
}

static void fe_sqr(fe r, const fe a)
{
	fe_mul(r, a, a);
}

static uint64_t fe_is_zero(const fe a)
{
	return (a[0] | a[1] | a[2] | a[3]) == 0;
}

/* a^(p-2) = 1/a (Fermat); p-2 is public, so its bits may steer. */
static void fe_inv(fe r, const fe a)
{
	static const fe E = {UINT64_C(0xfffffffffffffffd), UINT64_C(0x00000000ffffffff), 0,
			     UINT64_C(0xffffffff00000001)};
	fe x;
	memcpy(x, MONT_ONE, sizeof x);
	for (int bit = 255; bit >= 0; bit--) {
		fe_sqr(x, x);
		if ((E[bit / 64] >> (bit % 64)) & 1)
			fe_mul(x, x, a);
	}
	memcpy(r, x, sizeof x);
}

/* Big-endian bytes below p into Montgomery form; -1 when not below p. */
static int fe_from_bytes(fe r, const uint8_t b[32])
{
	fe v;
	uint64_t borrow = 0;
	for (int i = 0; i < 4; i++)
		v[i] = tls_load_be64(b + 8 * (3 - i));
	for (int i = 0; i < 4; i++) {
		u128 d = (u128)v[i] - P[i] - borrow;
		borrow = (uint64_t)(d >> 64) & 1;
	}
	if (!borrow)
		return -1;
	fe_mul(r, v, R2);
	return 0;
}

static void fe_to_bytes(uint8_t b[32], const fe a)
{
	static const fe one = {1, 0, 0, 0};
	fe v;
	fe_mul(v, a, one); /* out of Montgomery form */
	for (int i = 0; i < 4; i++)
		tls_store_be64(b + 8 * (3 - i), v[i]);
}

typedef struct {
	fe x, y, z;
} jac;

static void jac_set(jac *r, const fe x, const fe y, const fe z)
{
	memcpy(r->x, x, sizeof(fe));
	memcpy(r->y, y, sizeof(fe));
	memcpy(r->z, z, sizeof(fe));
}

/* The end both additions share: X3 = r^2 - J - 2V, Y3 = r(V - X3) - 2 S1 J. */
static void add_tail(fe x3, fe y3, const fe rr, const fe j, const fe v, const fe s1)
{
	fe t;
	fe_sqr(x3, rr);
	fe_sub(x3, x3, j);
	fe_sub(x3, x3, v);
	fe_sub(x3, x3, v);
	fe_sub(t, v, x3);
	fe_mul(y3, rr, t);
	fe_mul(t, s1, j);
	fe_add(t, t, t);
	fe_sub(y3, y3, t);
}

/* dbl-2001-b (a = -3): delta = Z^2, gamma = Y^2, beta = X*gamma,
 * alpha = 3(X - delta)(X + delta); X3 = alpha^2 - 8 beta,
 * Z3 = (Y + Z)^2 - gamma - delta, Y3 = alpha(4 beta - X3) - 8 gamma^2.
 * Infinity (Z = 0) stays infinity. r may alias p. */
static void dbl(jac *r, const jac *p)
{
	fe delta, gamma, beta, alpha, t1, t2, x3, y3, z3;
	fe_sqr(delta, p->z);
	fe_sqr(gamma, p->y);
	fe_mul(beta, p->x, gamma);
	fe_sub(t1, p->x, delta);
	fe_add(t2, p->x, delta);
	fe_mul(alpha, t1, t2);
	fe_add(t1, alpha, alpha);
	fe_add(alpha, t1, alpha);
	fe_add(t1, p->y, p->z);
	fe_sqr(t1, t1);
	fe_sub(t1, t1, gamma);
	fe_sub(z3, t1, delta);
	fe_add(beta, beta, beta);
	fe_add(beta, beta, beta); /* 4 beta */
	fe_add(t2, beta, beta);   /* 8 beta */
	fe_sqr(x3, alpha);
	fe_sub(x3, x3, t2);
	fe_sub(t1, beta, x3);
	fe_mul(y3, alpha, t1);
	fe_sqr(t2, gamma);
	fe_add(t2, t2, t2);
	fe_add(t2, t2, t2);
	fe_add(t2, t2, t2); /* 8 gamma^2 */
	fe_sub(y3, y3, t2);
	jac_set(r, x3, y3, z3);
}

/* add-2007-bl: U1 = X1 Z2^2, U2 = X2 Z1^2, S1 = Y1 Z2^3, S2 = Y2 Z1^3,
 * H = U2 - U1, I = (2H)^2, J = H I, r = 2(S2 - S1), V = U1 I;
 * X3 = r^2 - J - 2V, Y3 = r(V - X3) - 2 S1 J, Z3 = ((Z1 + Z2)^2 - Z1^2 - Z2^2) H.
 * p at infinity gives q; equal points are doubled; q must not be infinity
 * (the scalar loop discards a sum with its infinity entry instead). */
static void add(jac *r, const jac *p, const jac *q)
{
	if (fe_is_zero(p->z)) {
		*r = *q;
		return;
	}
	fe z1z1, z2z2, u1, u2, s1, s2, h, i, j, rr, v, t, x3, y3, z3;
	fe_sqr(z1z1, p->z);
	fe_sqr(z2z2, q->z);
	fe_mul(u1, p->x, z2z2);
	fe_mul(u2, q->x, z1z1);
	fe_mul(s1, p->y, q->z);
	fe_mul(s1, s1, z2z2);
	fe_mul(s2, q->y, p->z);
	fe_mul(s2, s2, z1z1);
	fe_sub(h, u2, u1);
	fe_sub(rr, s2, s1);
	if (fe_is_zero(h)) {
		if (fe_is_zero(rr)) {
			dbl(r, p);
		} else { /* p = -q */
			memcpy(r->x, MONT_ONE, sizeof r->x);
			memcpy(r->y, MONT_ONE, sizeof r->y);
			memset(r->z, 0, sizeof r->z);
		}
		return;
	}
	fe_add(i, h, h);
	fe_sqr(i, i);
	fe_mul(j, h, i);
	fe_add(rr, rr, rr);
	fe_mul(v, u1, i);
	add_tail(x3, y3, rr, j, v, s1);
	fe_add(t, p->z, q->z);
	fe_sqr(t, t);
	fe_sub(t, t, z1z1);
	fe_sub(t, t, z2z2);
	fe_mul(z3, t, h);
	jac_set(r, x3, y3, z3);
}

/* All ones when a == b, else 0; no branch. */
static uint64_t eq_mask(uint64_t a, uint64_t b)
{
	uint64_t x = a ^ b;
	return ((x | (0 - x)) >> 63) - 1;
}

/* dst = mask ? src : dst, over n 64-bit words (points of either kind). */
static void cmov_words(void *dst, const void *src, size_t n, uint64_t mask)
{
	uint64_t *d = dst;
	const uint64_t *s = src;
	for (size_t i = 0; i < n; i++)
		d[i] ^= mask & (d[i] ^ s[i]);
}

static void jac_cmov(jac *r, const jac *a, uint64_t mask)
{
	cmov_words(r, a, sizeof *r / sizeof(uint64_t), mask);
}

/* r = t[idx], touching every entry. */
static void select_entry(jac *r, const jac t[16], unsigned idx)
{
	memset(r, 0, sizeof *r);
	for (unsigned j = 0; j < 16; j++)
		jac_cmov(r, &t[j], eq_mask(j, idx));
}

/* The 4-bit digit w of a big-endian scalar (digit 0 least significant). */
static unsigned digit(const uint8_t k[32], int w)
{
	return (k[31 - w / 2] >> (4 * (w & 1))) & 15;
}

/* Fixed window: r = k*p with 63 rounds of four doublings and one addition
 * of a table entry (the entry for digit 0 is infinity; that sum is
 * computed with a stand-in and thrown away, so every round does the same
 * work). */
static void scalar_mul(jac *r, const uint8_t k[32], const jac *p)
{
	jac t[16], acc, sel, sum;
	memcpy(t[0].x, MONT_ONE, sizeof t[0].x);
	memcpy(t[0].y, MONT_ONE, sizeof t[0].y);
	memset(t[0].z, 0, sizeof t[0].z);
	t[1] = *p;
	dbl(&t[2], p);
	for (int i = 3; i < 16; i++)
		add(&t[i], &t[i - 1], p);
	select_entry(&acc, t, digit(k, 63));
	for (int w = 62; w >= 0; w--) {
		for (int s = 0; s < 4; s++)
			dbl(&acc, &acc);
		unsigned d = digit(k, w);
		select_entry(&sel, t, d);
		add(&sum, &acc, &sel);
		jac_cmov(&acc, &sum, ~eq_mask(d, 0));
	}
	*r = acc;
	tls_wipe(t, sizeof t);
	tls_wipe(&sel, sizeof sel);
	tls_wipe(&sum, sizeof sum);
}

/* ---- the base point: a table instead of doublings ------------------- */

/* Affine points in Montgomery form: BASE[i][j - 1] = j * 16^i * G. k*G is
 * then the sum over k's 64 digits of BASE[i][digit i], 64 additions and
 * no doublings, about three times faster than the window loop. Built on
 * first use (about 0.75 ms, 60 KB) and kept for the process. */
typedef struct {
	fe x, y;
} aff;

static aff BASE[64][15];
static int base_ready;

/* All of a Jacobian points to affine with one inversion (Montgomery's
 * trick: invert the product, then peel the factors off). */
static void to_affine_all(aff *out, const jac *in, size_t n, fe *acc)
{
	fe inv, t;
	memcpy(acc[0], in[0].z, sizeof(fe));
	for (size_t i = 1; i < n; i++)
		fe_mul(acc[i], acc[i - 1], in[i].z);
	fe_inv(inv, acc[n - 1]);
	for (size_t i = n; i-- > 0;) {
		fe zi, zi2;
		if (i) {
			fe_mul(zi, inv, acc[i - 1]);
			fe_mul(inv, inv, in[i].z);
		} else {
			memcpy(zi, inv, sizeof zi);
		}
		fe_sqr(zi2, zi);
		fe_mul(out[i].x, in[i].x, zi2);
		fe_mul(t, zi2, zi);
		fe_mul(out[i].y, in[i].y, t);
	}
}

/* 1 once BASE is filled; its scratch (120 KB) is on the heap only while
 * building. Without memory, k*G goes through the window loop. */
static int base_table(void)
{
	if (base_ready)
		return 1;
	jac *pts = malloc(64 * 15 * sizeof *pts);
	fe *acc = malloc(64 * 15 * sizeof *acc);
	if (pts && acc) {
		jac g;
		memcpy(g.x, GX, sizeof g.x);
		memcpy(g.y, GY, sizeof g.y);
		memcpy(g.z, MONT_ONE, sizeof g.z);
		for (int i = 0; i < 64; i++) {
			jac *row = &pts[15 * i];
			row[0] = g;
			dbl(&row[1], &g);
			for (int j = 2; j < 15; j++)
				add(&row[j], &row[j - 1], &g);
			for (int s = 0; s < 4; s++)
				dbl(&g, &g);
		}
		to_affine_all(&BASE[0][0], pts, 64 * 15, acc);
		base_ready = 1;
	}
	free(pts);
	free(acc);
	return base_ready;
}

/* madd-2007-bl: r = p + (q.x, q.y, 1). H = X2 Z1^2 - X1, r = 2(Y2 Z1^3 - Y1),
 * I = 4H^2, J = H I, V = X1 I; X3 = r^2 - J - 2V, Y3 = r(V - X3) - 2 Y1 J,
 * Z3 = (Z1 + H)^2 - Z1^2 - H^2. No special case: base_mul never adds equal
 * points and handles infinity itself. */
static void add_affine(jac *r, const jac *p, const aff *q)
{
	fe z1z1, u2, s2, h, hh, i, j, rr, v, t, x3, y3, z3;
	fe_sqr(z1z1, p->z);
	fe_mul(u2, q->x, z1z1);
	fe_mul(s2, q->y, p->z);
	fe_mul(s2, s2, z1z1);
	fe_sub(h, u2, p->x);
	fe_sub(rr, s2, p->y);
	fe_add(rr, rr, rr);
	fe_sqr(hh, h);
	fe_add(i, hh, hh);
	fe_add(i, i, i);
	fe_mul(j, h, i);
	fe_mul(v, p->x, i);
	add_tail(x3, y3, rr, j, v, p->y);
	fe_add(t, p->z, h);
	fe_sqr(t, t);
	fe_sub(t, t, z1z1);
	fe_sub(z3, t, hh);
	jac_set(r, x3, y3, z3);
}

/* k*G, digit by digit from the bottom. The accumulator holds the value of
 * the digits so far, below 16^i, while the entry added is d * 16^i: they
 * never meet (for any 32-byte k, since 15 * 16^63 < n), so no doubling
 * case. Every round does the same work: a zero digit selects all zeros,
 * whose sum is computed and thrown away, and while the accumulator is
 * still infinity (stood in by (1, 1, 0), which keeps H away from zero)
 * the entry itself is taken instead of the sum, by mask. */
static void base_mul(jac *r, const uint8_t k[32])
{
	jac acc, sum, alone;
	memcpy(acc.x, MONT_ONE, sizeof acc.x);
	memcpy(acc.y, MONT_ONE, sizeof acc.y);
	memset(acc.z, 0, sizeof acc.z);
	memcpy(alone.z, MONT_ONE, sizeof alone.z);
	for (int i = 0; i < 64; i++) {
		unsigned d = digit(k, i);
		aff e;
		memset(&e, 0, sizeof e);
		for (unsigned j = 1; j <= 15; j++)
			cmov_words(&e, &BASE[i][j - 1], sizeof e / sizeof(uint64_t), eq_mask(j, d));
		add_affine(&sum, &acc, &e);
		memcpy(alone.x, e.x, sizeof alone.x);
		memcpy(alone.y, e.y, sizeof alone.y);
		jac_cmov(&sum, &alone, 0 - fe_is_zero(acc.z));
		jac_cmov(&acc, &sum, ~eq_mask(d, 0));
	}
	*r = acc;
	tls_wipe(&sum, sizeof sum);
	tls_wipe(&alone, sizeof alone);
}

int tls_p256_mul(const uint8_t k[32], const uint8_t *px, const uint8_t *py, uint8_t qx[32], uint8_t *qy)
{
	jac p, q;
	if (px) {
		if (!py || fe_from_bytes(p.x, px) || fe_from_bytes(p.y, py))
			return -1;
		memcpy(p.z, MONT_ONE, sizeof p.z);
		scalar_mul(&q, k, &p);
	} else if (base_table()) {
		base_mul(&q, k);
	} else {
		memcpy(p.x, GX, sizeof p.x);
		memcpy(p.y, GY, sizeof p.y);
		memcpy(p.z, MONT_ONE, sizeof p.z);
		scalar_mul(&q, k, &p);
	}
	int rc = -1;
	if (!fe_is_zero(q.z)) {
		fe zi, zi2, v;
		fe_inv(zi, q.z);
		fe_sqr(zi2, zi);
		fe_mul(v, q.x, zi2);
		fe_to_bytes(qx, v);
		if (qy) {
			fe_mul(v, q.y, zi2);
			fe_mul(v, v, zi);
			fe_to_bytes(qy, v);
		}
		rc = 0;
	}
	tls_wipe(&q, sizeof q);
	return rc;
}
