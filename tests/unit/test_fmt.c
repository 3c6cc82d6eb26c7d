/* tls_fmt must write exactly what snprintf writes: every conversion it does
 * itself, the ones it hands to vsnprintf, and truncation at every size. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "tls/fmt.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

/* Formats once with each, for every buffer size from 0 to beyond the
 * output, and compares the bytes written (the tail stays as filled). */
#define SAME(...)                                                                                            \
	do {                                                                                                 \
		char want[128], got[128];                                                                    \
		for (size_t n = 0; n <= 64; n++) {                                                           \
			memset(want, 0x5a, sizeof want);                                                     \
			memset(got, 0x5a, sizeof got);                                                       \
			snprintf(want, n, __VA_ARGS__);                                                      \
			size_t len = tls_fmt(got, n, __VA_ARGS__);                                           \
			if (n && len != strlen(got))                                                         \
				fail_msg("size %zu: returned %zu, strlen %zu", n, len, strlen(got));         \
			if (memcmp(want, got, sizeof want))                                                  \
				fail_msg("size %zu: want '%.*s' got '%.*s'", n, (int)(n ? n : 1), want,      \
				         (int)(n ? n : 1), got);                                             \
		}                                                                                            \
	} while (0)

static void test_strings(void **state)
{
	(void)state;
	const char *volatile null = NULL; /* volatile: not a known NULL to -Wformat */
	SAME("%s", "");
	SAME("plain text, no conversion");
	SAME("content type: %s (%u)", "handshake", 22u);
	SAME("%s[%zu]", "client_hello.cipher_suites", (size_t)17);
	SAME("%.*s|", 3, "abcdef");
	SAME("%.*s|", 0, "abcdef");
	SAME("%.63s", "a string shorter than the precision");
	SAME("%.5s", "a string longer than the precision");
	SAME("%c%c%%%s", 'a', 'b', "c");
	SAME("[%c] after a zero byte", 0);
	SAME("%s", null);
	SAME("[%.3s] [%.5s] [%.6s] [%.9s]", null, null, null, null); /* glibc: all or nothing */
	SAME("a %s b %s c %s d", "one", "two", "three four five six seven eight nine ten");
}

static void test_numbers(void **state)
{
	(void)state;
	SAME("%u %u %u", 0u, 7u, UINT_MAX);
	SAME("%d %d %d %d", 0, -1, INT_MIN, INT_MAX);
	SAME("%02d:%02d:%02d %04d", 3, 14, 59, 2026);
	SAME("%02d|%05d", -3, -42);
	SAME("(0x%04x) (0x%04X) %x %X %02x", 0x2fu, 0xc02fu, 0u, 0xdeadbeefu, 0xffu);
	SAME("%zu %zu", (size_t)0, (size_t)-1);
	SAME("%llu %llu", 0ull, ~0ull);
	SAME("%08x", 0x123u);
}

/* What tls_fmt leaves to vsnprintf must still come out the same. */
static void test_handed_over(void **state)
{
	(void)state;
	SAME("%5s|%-5s|", "ab", "cd");
	SAME("%5d|%-4u|%+d", 42, 7u, 3);
	SAME("%.3d %lu %ld %zd", 5, 123456ul, -5l, (ssize_t)-9);
	SAME("%llx %hhu %g", 0xabcull, (unsigned char)44, 1.5);
	SAME("%s then %8.3f", "text", 3.14159);
	SAME("%.*s|%.*s", -1, "negative precision: the whole string", 2, "ab");
	/* a conversion left over after a '*' argument was read: the fallback
	 * starts again from the first argument */
	SAME("%.*s %5d", 3, "abcdef", 42);
	/* widths on %c are legal C but -Wformat rejects some in a literal */
	const char *volatile fc = "[%5c] [%05c]";
	char want[32], got[32];
	snprintf(want, sizeof want, fc, 'x', 'y');
	tls_fmt(got, sizeof got, fc, 'x', 'y');
	assert_string_equal(got, want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_strings),
	    cmocka_unit_test(test_numbers),
	    cmocka_unit_test(test_handed_over),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
