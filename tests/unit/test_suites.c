/* The suite table: every row's derived sizes agree with what its IANA name
 * says (key size, GCM or CBC, MAC hash, PRF hash, key exchange), ids are
 * unique, and names resolve both ways. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "tls/suites.h"

#include <string.h>

static int ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);
	return n >= t && !strcmp(s + n - t, tail);
}

static void check_row(const tls_suite *s)
{
	const char *n = s->name;
	assert_int_equal(s->key_len, strstr(n, "_AES_128_") ? 16u : 32u);
	assert_true(strstr(n, "_AES_128_") || strstr(n, "_AES_256_") || strstr(n, "_CHACHA20_POLY1305_"));
	if (strstr(n, "_CHACHA20_POLY1305_")) { /* RFC 7905: a 12-byte IV xored with the sequence number */
		assert_int_equal(s->bulk, TLS_BULK_CHACHA20_POLY1305);
		assert_int_equal(s->mac, TLS_MAC_NONE);
		assert_int_equal(s->mac_key_len, 0);
		assert_int_equal(s->fixed_iv_len, 12);
		assert_int_equal(s->record_iv_len, 0);
		assert_int_equal(s->tag_len, 16);
	} else if (strstr(n, "_GCM_") && s->tls13) { /* RFC 8446 5.3: a 12-byte IV, no explicit nonce */
		assert_int_equal(s->bulk, TLS_BULK_AES_GCM);
		assert_int_equal(s->mac, TLS_MAC_NONE);
		assert_int_equal(s->fixed_iv_len, 12);
		assert_int_equal(s->record_iv_len, 0);
		assert_int_equal(s->tag_len, 16);
	} else if (strstr(n, "_GCM_")) {
		assert_int_equal(s->bulk, TLS_BULK_AES_GCM);
		assert_int_equal(s->mac, TLS_MAC_NONE);
		assert_int_equal(s->mac_key_len, 0);
		assert_int_equal(s->mac_len, 0);
		assert_int_equal(s->fixed_iv_len, 4);
		assert_int_equal(s->record_iv_len, 8);
		assert_int_equal(s->tag_len, 16);
	} else {
		assert_true(strstr(n, "_CBC_") != NULL);
		assert_int_equal(s->bulk, TLS_BULK_AES_CBC);
		size_t want = ends_with(n, "_SHA") ? 20 : ends_with(n, "_SHA256") ? 32 : 48;
		assert_int_equal(s->mac, want == 20   ? TLS_MAC_SHA1
		                         : want == 32 ? TLS_MAC_SHA256
		                                      : TLS_MAC_SHA384);
		assert_int_equal(s->mac_key_len, want);
		assert_int_equal(s->mac_len, want);
		assert_int_equal(s->fixed_iv_len, 16);
		assert_int_equal(s->record_iv_len, 16);
		assert_int_equal(s->tag_len, 0);
	}
	assert_int_equal(s->prf, ends_with(n, "_SHA384") ? TLS_PRF_SHA384 : TLS_PRF_SHA256);
	enum tls_kx kx = !strncmp(n, "TLS_RSA_", 8)            ? TLS_KX_RSA
	                 : !strncmp(n, "TLS_DHE_RSA_", 12)     ? TLS_KX_DHE_RSA
	                 : !strncmp(n, "TLS_ECDHE_RSA_", 14)   ? TLS_KX_ECDHE_RSA
	                 : !strncmp(n, "TLS_ECDHE_ECDSA_", 16) ? TLS_KX_ECDHE_ECDSA
	                 : s->tls13                             ? TLS_KX_TLS13
	                                                       : (enum tls_kx) - 1;
	assert_int_equal(s->kx, kx);
	assert_int_equal(tls_suite_is_ecdsa(s), kx == TLS_KX_ECDHE_ECDSA);
	assert_int_equal(tls_suite_is_ecdhe(s), kx == TLS_KX_ECDHE_RSA || kx == TLS_KX_ECDHE_ECDSA);
}

static void test_rows(void **state)
{
	(void)state;
	assert_true(tls_suite_count() >= 20);
	for (size_t i = 0; i < tls_suite_count(); i++) {
		const tls_suite *s = tls_suite_at(i);
		check_row(s);
		for (size_t j = 0; j < i; j++)
			assert_int_not_equal(tls_suite_at(j)->id, s->id);
		assert_ptr_equal(tls_suite_by_id(s->id), s);
		assert_ptr_equal(tls_suite_by_name(s->name), s);
		assert_ptr_equal(tls_suite_by_name(s->openssl), s);
		assert_string_equal(tls_suite_iana_name(s->id), s->name);
	}
	assert_null(tls_suite_at(tls_suite_count()));
	assert_null(tls_suite_is_ecdsa(NULL) ? "" : NULL);
}

static void test_other_names(void **state)
{
	(void)state;
	/* a registered suite tlsstep does not implement still has its name */
	assert_null(tls_suite_by_id(0xC0AF));
	assert_string_equal(tls_suite_iana_name(0x1303), "TLS_CHACHA20_POLY1305_SHA256");
	assert_string_equal(tls_suite_iana_name(0x00FF), "TLS_EMPTY_RENEGOTIATION_INFO_SCSV");
	assert_null(tls_suite_iana_name(0x0000));
	assert_null(tls_suite_by_name("no-such-suite"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rows),
	    cmocka_unit_test(test_other_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
