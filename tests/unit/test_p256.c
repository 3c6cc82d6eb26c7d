/* P-256 scalar multiplication against libtomcrypt's ltc_ecc_mulmod: the
 * base point and other points, random scalars and the edges (1, 2, the
 * window's digits, n-1, leading zero digits), and what must fail. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "tls/crypto.h"
#include "tls/p256.h"
#include "tls/rng.h"

#include <string.h>

#include <tomcrypt.h>

static const ltc_ecc_set_type *curve(void)
{
	for (int i = 0; ltc_ecc_sets[i].size; i++)
		if (!strcmp(ltc_ecc_sets[i].name, "ECC-256"))
			return &ltc_ecc_sets[i];
	fail_msg("libtomcrypt has no ECC-256");
	return NULL;
}

static void to32(uint8_t out[32], void *v)
{
	unsigned long n = ltc_mp.unsigned_size(v);
	assert_true(n <= 32);
	memset(out, 0, 32);
	assert_int_equal(ltc_mp.unsigned_write(v, out + 32 - n), CRYPT_OK);
}

/* What libtomcrypt says k * (x, y) is; (x, y) NULL for the base point. */
static int reference(const uint8_t k[32], const uint8_t *x, const uint8_t *y, uint8_t qx[32], uint8_t qy[32])
{
	const ltc_ecc_set_type *dp = curve();
	void *kk, *prime;
	ecc_point *g = ltc_ecc_new_point(), *r = ltc_ecc_new_point();
	assert_int_equal(ltc_mp.init(&kk), CRYPT_OK);
	assert_int_equal(ltc_mp.init(&prime), CRYPT_OK);
	assert_int_equal(ltc_mp.read_radix(prime, dp->prime, 16), CRYPT_OK);
	assert_int_equal(ltc_mp.unsigned_read(kk, (unsigned char *)k, 32), CRYPT_OK);
	if (x) {
		assert_int_equal(ltc_mp.unsigned_read(g->x, (unsigned char *)x, 32), CRYPT_OK);
		assert_int_equal(ltc_mp.unsigned_read(g->y, (unsigned char *)y, 32), CRYPT_OK);
	} else {
		assert_int_equal(ltc_mp.read_radix(g->x, dp->Gx, 16), CRYPT_OK);
		assert_int_equal(ltc_mp.read_radix(g->y, dp->Gy, 16), CRYPT_OK);
	}
	assert_int_equal(ltc_mp.set_int(g->z, 1), CRYPT_OK);
	int ok = ltc_ecc_mulmod(kk, g, r, prime, 1) == CRYPT_OK && ltc_mp.compare_d(r->z, 0) != LTC_MP_EQ;
	if (ok) {
		to32(qx, r->x);
		to32(qy, r->y);
	}
	ltc_ecc_del_point(g);
	ltc_ecc_del_point(r);
	ltc_mp.deinit(kk);
	ltc_mp.deinit(prime);
	return ok;
}

static void check(const uint8_t k[32], const uint8_t *x, const uint8_t *y)
{
	uint8_t ax[32], ay[32], bx[32], by[32];
	assert_true(reference(k, x, y, ax, ay));
	assert_int_equal(tls_p256_mul(k, x, y, bx, by), 0);
	assert_memory_equal(ax, bx, 32);
	assert_memory_equal(ay, by, 32);
	uint8_t only_x[32];
	assert_int_equal(tls_p256_mul(k, x, y, only_x, NULL), 0);
	assert_memory_equal(only_x, bx, 32);
}

/* n, the group order, big-endian. */
static void order(uint8_t n[32])
{
	void *v;
	assert_int_equal(ltc_mp.init(&v), CRYPT_OK);
	assert_int_equal(ltc_mp.read_radix(v, curve()->order, 16), CRYPT_OK);
	to32(n, v);
	ltc_mp.deinit(v);
}

static void sub_small(uint8_t k[32], unsigned d)
{
	for (int i = 31; i >= 0 && d; i--) {
		unsigned v = k[i];
		k[i] = (uint8_t)(v - d);
		d = v < d ? 1 : 0;
	}
}

static void add_small(uint8_t k[32], unsigned d)
{
	for (int i = 31; i >= 0 && d; i--) {
		unsigned v = k[i] + d;
		k[i] = (uint8_t)v;
		d = v >> 8;
	}
}

static void test_edges(void **state)
{
	(void)state;
	uint8_t k[32];
	for (unsigned small = 1; small <= 40; small++) {
		memset(k, 0, 32);
		k[31] = (uint8_t)small;
		check(k, NULL, NULL);
	}
	order(k);
	sub_small(k, 1); /* n - 1: the negated base point */
	check(k, NULL, NULL);
	sub_small(k, 1);
	check(k, NULL, NULL);
	memset(k, 0xff, 32); /* above n: the same as k mod n */
	check(k, NULL, NULL);
	/* n + j: the window loop meets equal points on the way (its doubling
	 * case), on G and on another point. */
	uint8_t m[32] = {0}, px[32], py[32];
	m[31] = 77;
	assert_int_equal(tls_p256_mul(m, NULL, NULL, px, py), 0);
	for (unsigned j = 1; j <= 40; j++) {
		order(k);
		add_small(k, j);
		check(k, NULL, NULL);
		check(k, px, py);
	}
	memset(k, 0, 32);
	k[0] = 0x80;
	check(k, NULL, NULL);
}

static void test_random(void **state)
{
	(void)state;
	tls_rng rng;
	assert_int_equal(tls_rng_seed(&rng, 256, "p256"), 0);
	uint8_t k[32], m[32], px[32], py[32];
	for (int i = 0; i < 60; i++) {
		assert_int_equal(tls_rng_read(&rng, k, 32), 0);
		if (i % 4 == 1)
			memset(k, 0, 1 + i % 20); /* leading zero digits */
		check(k, NULL, NULL);
		/* Another point: m * G, then k times it. */
		assert_int_equal(tls_rng_read(&rng, m, 32), 0);
		assert_int_equal(tls_p256_mul(m, NULL, NULL, px, py), 0);
		check(k, px, py);
	}
	tls_rng_free(&rng);
}

/* Both sides of a Diffie-Hellman agree. */
static void test_agreement(void **state)
{
	(void)state;
	uint8_t a[32], b[32], pa[2][32], pb[2][32], za[32], zb[32];
	for (int i = 0; i < 32; i++) {
		a[i] = (uint8_t)(i * 7 + 1);
		b[i] = (uint8_t)(255 - i * 3);
	}
	assert_int_equal(tls_p256_mul(a, NULL, NULL, pa[0], pa[1]), 0);
	assert_int_equal(tls_p256_mul(b, NULL, NULL, pb[0], pb[1]), 0);
	assert_int_equal(tls_p256_mul(a, pb[0], pb[1], za, NULL), 0);
	assert_int_equal(tls_p256_mul(b, pa[0], pa[1], zb, NULL), 0);
	assert_memory_equal(za, zb, 32);
}

static void test_refusals(void **state)
{
	(void)state;
	uint8_t k[32] = {0}, x[32], y[32], p[32];
	assert_int_equal(tls_p256_mul(k, NULL, NULL, x, y), -1); /* 0 * G */
	order(k);
	assert_int_equal(tls_p256_mul(k, NULL, NULL, x, y), -1); /* n * G */
	k[31] ^= 1;
	assert_int_equal(tls_p256_mul(k, NULL, NULL, x, y), 0);
	memset(p, 0xff, 32); /* a coordinate above p */
	assert_int_equal(tls_p256_mul(k, p, y, x, NULL), -1);
	assert_int_equal(tls_p256_mul(k, y, p, x, NULL), -1);
	assert_int_equal(tls_p256_mul(k, y, NULL, x, NULL), -1);
}

static int setup(void **state)
{
	(void)state;
	return tls_crypto_init();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_agreement),
		cmocka_unit_test(test_refusals),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
