/* TLS 1.3 records (RFC 8446 5.2-5.4) against the published RFC 8448 ones:
 * the client's Finished under its handshake keys and 50 bytes of
 * application data under its application keys (AES-128-GCM, sequence 0),
 * sealed byte for byte and opened back; then what open must refuse. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tls/alert.h"
#include "tls/protect.h"
#include "tls/suites.h"

static size_t unhex(const char *h, uint8_t *out)
{
	size_t n = 0;
	for (; h[0] && h[1]; h += 2)
		out[n++] = (uint8_t)((h[0] % 32 + 9) % 25 * 16 + (h[1] % 32 + 9) % 25);
	return n;
}

/* RFC 8448 section 3 */
static const char fin_key[] = "dbfaa693d1762c5b666af5d950258d01", fin_iv[] = "5bd3c71b836e0b76bb73265f";
static const char fin_plain[] = "14000020a8ec436d677634ae525ac1fcebe11a039ec17694fac6e98527b642f2edd5ce61";
static const char fin_record[] =
    "170303003575ec4dc238cce60b298044a71e219c56cc77b0517fe9b93c7a4bfc44d87f38f80338ac98"
    "fc46deb384bd1caeacab6867d726c40546";
static const char app_key[] = "17422dda596ed5d9acd890e3c63f5051", app_iv[] = "5b78923dee08579033e523d9";
static const char app_fragment[] =
    "a23f7054b62c94d0affafe8228ba55cbefacea42f914aa66bcab3f2b9819a8a5b46b395bd54a9a"
    "20441e2b62974e1f5a6292a2977014bd1e3deae63aeebb21694915e4";

static void known(const char *kh, const char *ivh, uint8_t type, const uint8_t *pt, size_t pl,
                  const uint8_t *rec, size_t rl)
{
	const tls_suite *s = tls_suite_by_id(0x1301);
	uint8_t key[16], iv[12], out[256], got_type;
	size_t n;
	tls_buf b = {0};
	unhex(kh, key);
	unhex(ivh, iv);
	assert_int_equal(tls13_record_seal(s, key, iv, 0, type, pt, pl, &b), 0);
	assert_int_equal(b.len, rl);
	assert_memory_equal(b.p, rec, rl);
	tls_buf_free(&b);
	assert_int_equal(tls13_record_open(s, key, iv, 0, rec, rl, out, &n, &got_type), 0);
	assert_int_equal(got_type, type);
	assert_int_equal(n, pl);
	assert_memory_equal(out, pt, pl);
	/* the same record under the next sequence number is a forgery */
	assert_int_equal(tls13_record_open(s, key, iv, 1, rec, rl, out, &n, &got_type),
	                 TLS_FAIL(TLS_ALERT_BAD_RECORD_MAC));
	assert_int_equal(n, 0);
}

static void test_rfc8448_records(void **st)
{
	(void)st;
	uint8_t pt[64], rec[128];
	size_t pl = unhex(fin_plain, pt), rl = unhex(fin_record, rec);
	known(fin_key, fin_iv, 22, pt, pl, rec, rl);
	uint8_t data[50], app[5 + 67] = {0x17, 0x03, 0x03, 0x00, 0x43};
	for (int i = 0; i < 50; i++)
		data[i] = (uint8_t)i;
	assert_int_equal(unhex(app_fragment, app + 5), 67);
	known(app_key, app_iv, 23, data, 50, app, sizeof app);
}

static void test_refusals(void **st)
{
	(void)st;
	uint8_t key[32] = {1}, iv[12] = {2}, out[256], type;
	size_t n;
	for (uint16_t id = 0x1301; id <= 0x1303; id++) {
		const tls_suite *s = tls_suite_by_id(id);
		tls_buf b = {0};
		/* round trip, every suite */
		assert_int_equal(tls13_record_seal(s, key, iv, 7, 21, (const uint8_t *)"\x02\x28", 2, &b), 0);
		assert_int_equal(b.len, 5 + 2 + 1 + 16);
		assert_int_equal(tls13_record_open(s, key, iv, 7, b.p, b.len, out, &n, &type), 0);
		assert_int_equal(type, 21);
		assert_int_equal(n, 2);
		/* one flipped bit anywhere, the header included (it is the AAD) */
		for (size_t i = 0; i < b.len; i++) {
			if (i == 3 || i == 4)
				continue; /* a length that lies is not this record */
			b.p[i] ^= 0x10;
			int rc = tls13_record_open(s, key, iv, 7, b.p, b.len, out, &n, &type);
			assert_int_equal(rc, TLS_FAIL(TLS_ALERT_BAD_RECORD_MAC));
			b.p[i] ^= 0x10;
		}
		tls_buf_free(&b);
		/* all zeros inside: no content type (5.4) */
		assert_int_equal(tls13_record_seal(s, key, iv, 0, 0, (const uint8_t *)"\0\0\0", 3, &b), 0);
		assert_int_equal(tls13_record_open(s, key, iv, 0, b.p, b.len, out, &n, &type),
		                 TLS_FAIL(TLS_ALERT_UNEXPECTED_MESSAGE));
		tls_buf_free(&b);
		/* too short to hold a tag and a content type */
		uint8_t tiny[5 + 16] = {0x17, 0x03, 0x03, 0x00, 0x10};
		assert_int_equal(tls13_record_open(s, key, iv, 0, tiny, sizeof tiny, out, &n, &type),
		                 TLS_FAIL(TLS_ALERT_BAD_RECORD_MAC));
	}
	/* a 1.2 suite is not a 1.3 record's */
	tls_buf b = {0};
	assert_int_equal(tls13_record_seal(tls_suite_by_id(0x009C), key, iv, 0, 23, out, 1, &b),
	                 TLS_ERR_INTERNAL);
	tls_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rfc8448_records),
	    cmocka_unit_test(test_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
