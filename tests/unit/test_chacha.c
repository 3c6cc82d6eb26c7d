/* ChaCha20-Poly1305 records (RFC 7905): the nonce is the key block's IV
 * XORed with the sequence number, the additional data the 13-byte header,
 * no explicit nonce on the wire. Checked against tags computed with
 * Python's cryptography package (ChaCha20Poly1305), against libtomcrypt's
 * one-shot chacha20poly1305_memory with the nonce built here by hand, then
 * tampering and truncation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tls/alert.h"
#include "tls/bytes.h"
#include "tls/crypto.h"
#include "tls/protect.h"
#include "tls/suites.h"

#include <tomcrypt.h>

#define BAD_MAC TLS_FAIL(TLS_ALERT_BAD_RECORD_MAC)

static const uint8_t key[32] = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14, 15, 16,
                                17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};
static const uint8_t iv[12] = {0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab};

/* Tags from Python's cryptography (ChaCha20Poly1305(key).encrypt(nonce,
 * pt, aad)) for record 0 (empty) and record 1 (the 100 bytes below). */
static const uint8_t python_tags[2][16] = {
    {0x49, 0x7e, 0x02, 0x37, 0xa9, 0xa0, 0x17, 0x40, 0x3c, 0xb7, 0xc5, 0xbc, 0x92, 0x6a, 0x1f, 0xf5},
    {0x32, 0x5d, 0xd5, 0xb1, 0xf9, 0x38, 0x38, 0xf1, 0xfa, 0x6b, 0x2b, 0x97, 0x85, 0x64, 0xe0, 0xa9},
};

static void expected(uint64_t seq, const uint8_t *pt, size_t n, uint8_t *out)
{
	uint8_t nonce[12], aad[13];
	memcpy(nonce, iv, 12);
	for (int i = 0; i < 8; i++)
		nonce[4 + i] ^= (uint8_t)(seq >> (56 - 8 * i));
	for (int i = 0; i < 8; i++)
		aad[i] = (uint8_t)(seq >> (56 - 8 * i));
	aad[8] = 23;
	aad[9] = 3;
	aad[10] = 3;
	aad[11] = (uint8_t)(n >> 8);
	aad[12] = (uint8_t)n;
	unsigned long tl = 16;
	assert_int_equal(chacha20poly1305_memory(key, 32, nonce, 12, aad, 13, pt, (unsigned long)n, out,
	                                         out + n, &tl, CHACHA20POLY1305_ENCRYPT),
	                 CRYPT_OK);
}

static void test_known_answer_and_round_trip(void **st)
{
	(void)st;
	const tls_suite *s = tls_suite_by_id(0xCCA8);
	assert_non_null(s);
	assert_int_equal(s->bulk, TLS_BULK_CHACHA20_POLY1305);
	tls_protect tx, rx;
	assert_int_equal(tls_protect_init(&tx, s, NULL, key, iv), 0);
	assert_int_equal(tls_protect_init(&rx, s, NULL, key, iv), 0);
	uint8_t pt[300], want[316];
	for (size_t i = 0; i < sizeof pt; i++)
		pt[i] = (uint8_t)(i * 3);
	for (uint64_t seq = 0; seq < 4; seq++) {
		tls_buf rec = {0}, back = {0};
		size_t n = 100 * seq;
		assert_int_equal(tls_protect_seal(&tx, NULL, 23, 0x0303, pt, n, &rec), 0);
		assert_int_equal(rec.len, n + 16); /* no explicit nonce */
		/* libtomcrypt's one-shot call skips the padding of the
		 * additional data when there is no plaintext: compare from 1 on. */
		if (n) {
			expected(seq, pt, n, want);
			assert_memory_equal(rec.p, want, n + 16);
		}
		if (seq < 2)
			assert_memory_equal(rec.p + n, python_tags[seq], 16);
		assert_int_equal(tls_protect_open(&rx, 23, 0x0303, rec.p, rec.len, &back), 0);
		assert_int_equal(back.len, n);
		if (n)
			assert_memory_equal(back.p, pt, n);
		tls_buf_free(&rec);
		tls_buf_free(&back);
	}
	tls_protect_free(&tx);
	tls_protect_free(&rx);
}

static void test_forged(void **st)
{
	(void)st;
	const tls_suite *s = tls_suite_by_id(0xCCAA);
	uint8_t pt[64] = {0};
	for (size_t flip = 0; flip < 64 + 16; flip += 7) {
		tls_protect tx, rx;
		tls_buf rec = {0}, back = {0};
		assert_int_equal(tls_protect_init(&tx, s, NULL, key, iv), 0);
		assert_int_equal(tls_protect_init(&rx, s, NULL, key, iv), 0);
		assert_int_equal(tls_protect_seal(&tx, NULL, 23, 0x0303, pt, sizeof pt, &rec), 0);
		rec.p[flip] ^= 0x10;
		assert_int_equal(tls_protect_open(&rx, 23, 0x0303, rec.p, rec.len, &back), BAD_MAC);
		assert_int_equal(back.len, 0);
		/* A record shorter than the tag, and the wrong content type in the AAD. */
		assert_int_equal(tls_protect_open(&rx, 23, 0x0303, rec.p, 15, &back), BAD_MAC);
		rec.p[flip] ^= 0x10;
		assert_int_equal(tls_protect_open(&rx, 22, 0x0303, rec.p, rec.len, &back), BAD_MAC);
		assert_int_equal(tls_protect_open(&rx, 23, 0x0303, rec.p, rec.len, &back), 0);
		tls_buf_free(&rec);
		tls_buf_free(&back);
		tls_protect_free(&tx);
		tls_protect_free(&rx);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_known_answer_and_round_trip),
	    cmocka_unit_test(test_forged),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
