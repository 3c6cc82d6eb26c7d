/* The certificate memo: a hit only for equal bytes, entries kept whole,
 * the oldest replaced when full. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "model/certmemo.h"

#include <stdio.h>
#include <string.h>

static void put_one(cert_memo *m, uint8_t tag, const char *subject)
{
	uint8_t msg[40];
	memset(msg, tag, sizeof msg);
	tls_spans sp = {0};
	assert_int_equal(tls_spans_add_str(&sp, "certificate[0].version", 7, 3, "v3"), 0);
	assert_int_equal(tls_spans_add(&sp, "certificate[0].serialNumber", 12, tag, "tag %u", tag), 0);
	assert_int_equal(cert_memo_put(m, msg, sizeof msg, sp.v, sp.n, subject), 0);
	tls_spans_free(&sp);
}

static const cert_memo_slot *find_tag(const cert_memo *m, uint8_t tag)
{
	uint8_t msg[40];
	memset(msg, tag, sizeof msg);
	return cert_memo_find(m, msg, sizeof msg);
}

static void test_hit_only_on_equal_bytes(void **state)
{
	(void)state;
	cert_memo m;
	cert_memo_init(&m);
	put_one(&m, 1, "CN=one");
	const cert_memo_slot *s = find_tag(&m, 1);
	assert_non_null(s);
	assert_string_equal(s->subject, "CN=one");
	assert_true(s->subject_ok);
	assert_int_equal(s->spans.n, 2);
	assert_string_equal(s->spans.v[1].meaning, "tag 1");
	assert_int_equal(s->spans.v[1].length, 1);
	assert_null(find_tag(&m, 2));
	uint8_t shorter[39];
	memset(shorter, 1, sizeof shorter);
	assert_null(cert_memo_find(&m, shorter, sizeof shorter)); /* a prefix is not a match */
	assert_null(cert_memo_find(&m, shorter, 0));
	cert_memo_free(&m);
}

/* A chain whose first certificate did not parse has no subject to give,
 * which is not the same as an empty one. */
static void test_no_subject(void **state)
{
	(void)state;
	cert_memo m;
	cert_memo_init(&m);
	uint8_t msg[8] = {11, 0, 0, 4, 0, 0, 1, 0x30};
	assert_int_equal(cert_memo_put(&m, msg, sizeof msg, NULL, 0, NULL), 0);
	const cert_memo_slot *s = cert_memo_find(&m, msg, sizeof msg);
	assert_non_null(s);
	assert_false(s->subject_ok);
	assert_int_equal(s->spans.n, 0);
	msg[7] = 0x31; /* other bytes, a certificate with an empty subject */
	assert_int_equal(cert_memo_put(&m, msg, sizeof msg, NULL, 0, ""), 0);
	s = cert_memo_find(&m, msg, sizeof msg);
	assert_non_null(s);
	assert_true(s->subject_ok);
	assert_string_equal(s->subject, "");
	cert_memo_free(&m);
}

static void test_oldest_replaced(void **state)
{
	(void)state;
	cert_memo m;
	cert_memo_init(&m);
	for (int i = 1; i <= CERT_MEMO_SLOTS + 2; i++) {
		char subject[16];
		snprintf(subject, sizeof subject, "CN=%d", i);
		put_one(&m, (uint8_t)i, subject);
	}
	assert_null(find_tag(&m, 1));
	assert_null(find_tag(&m, 2));
	for (int i = 3; i <= CERT_MEMO_SLOTS + 2; i++) {
		const cert_memo_slot *s = find_tag(&m, (uint8_t)i);
		assert_non_null(s);
		char want[16];
		snprintf(want, sizeof want, "CN=%d", i);
		assert_string_equal(s->subject, want);
	}
	cert_memo_free(&m);
	assert_null(find_tag(&m, 5)); /* freed: empty */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_hit_only_on_equal_bytes),
	    cmocka_unit_test(test_no_subject),
	    cmocka_unit_test(test_oldest_replaced),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
