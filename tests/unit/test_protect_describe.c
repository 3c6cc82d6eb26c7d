/* tls_protect_describe names every byte of a protected record body the way
 * seal lays it out, for each mode, and leaves a body too short for its mode
 * as one opaque field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tls/protect.h"
#include "tls/spans.h"

/* The spans tile [5, 5 + body) in order; returns how many there are. */
static size_t tiles(const tls_spans *sp, size_t body)
{
	size_t at = 5;
	for (size_t i = 0; i < sp->n; i++) {
		assert_int_equal(sp->v[i].offset, at);
		at += sp->v[i].length;
	}
	assert_int_equal(at, 5 + body);
	return sp->n;
}

static size_t describe(uint16_t suite, int etm, int tls10, size_t body, const char *first)
{
	tls_spans sp = {0};
	tls_protect_shape sh = {tls_suite_by_id(suite), etm, tls10};
	tls_protect_describe(&sh, body, &sp);
	size_t n = tiles(&sp, body);
	if (first)
		assert_string_equal(sp.v[0].path, first);
	tls_spans_free(&sp);
	return n;
}

static void test_modes(void **st)
{
	(void)st;
	assert_int_equal(describe(0x009C, 0, 0, 8 + 40 + 16, "record.nonce_explicit"), 3); /* GCM */
	assert_int_equal(describe(0x002F, 0, 0, 16 + 48, "record.iv"), 2);                 /* CBC */
	assert_int_equal(describe(0x002F, 1, 0, 16 + 32 + 20, "record.iv"), 3);            /* EtM */
	assert_int_equal(describe(0x002F, 0, 1, 48, "record.ciphertext"), 1);              /* TLS 1.0 */
	assert_int_equal(describe(0x002F, 1, 1, 32 + 20, "record.ciphertext"), 2);
	/* too short for the mode, or no suite known: one opaque field */
	assert_int_equal(describe(0x009C, 0, 0, 20, "record.ciphertext"), 1);
	assert_int_equal(describe(0x002F, 1, 0, 40, "record.ciphertext"), 1);
	assert_int_equal(describe(0xFFFF, 0, 0, 40, "record.ciphertext"), 1);
	assert_int_equal(describe(0x002F, 0, 0, 0, NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_modes)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
