/* Two modular exponentiations at once, for the two halves of an RSA
 * private operation (CRT), on CPUs with AVX-512 IFMA.
 *
 * Numbers are 20 limbs of 52 bits, least significant first, padded to 24
 * so they fill three 512-bit registers. A modulus must be odd and below
 * 2^1038 (so 4m < R = 2^1040, which keeps Montgomery results below 2m
 * without a subtraction inside the loop): both halves of RSA-2048 fit.
 *
 * Nothing here allocates, branches on a secret or looks up a table by a
 * secret index: the exponent's bits only choose masks. */
#ifndef TLS_MONT52_H
#define TLS_MONT52_H

#include <stddef.h>
#include <stdint.h>

#define TLS_M52_LIMBS 20
#define TLS_M52_PAD 24
#define TLS_M52_MAX_BITS 1038

typedef struct {
	uint64_t mod[TLS_M52_PAD];  /* odd, < 2^1038 */
	uint64_t rr[TLS_M52_PAD];   /* R^2 mod m, R = 2^1040 */
	uint64_t base[TLS_M52_PAD]; /* < m */
	const uint64_t *exp;        /* 64-bit words, least significant first */
	size_t exp_bits;
	uint64_t out[TLS_M52_PAD];  /* base^exp mod m, fully reduced */
} tls_m52_job;

/* 1 when this CPU runs the kernel (and tls_m52_enable has not turned it
 * off). */
int tls_m52_available(void);

/* Tests and the bench compare the kernel with the portable path. */
void tls_m52_enable(int on);

/* Runs both jobs. Their exponents may differ in length. */
void tls_m52_powm2(tls_m52_job *a, tls_m52_job *b);

/* Carries every lane of x (up to 64 bits each, 20 in use) into 52-bit
 * limbs of the same number, as the kernel does after each product. For
 * tests: the ripple through all-ones limbs is too rare to reach from
 * random exponentiations. Needs tls_m52_available(). */
void tls_m52_normalize(uint64_t x[TLS_M52_PAD]);

/* -m^-1 mod 2^52 for odd m0. */
uint64_t tls_m52_k0(uint64_t m0);

#endif
