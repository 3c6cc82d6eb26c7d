/* The hello extensions browsers send: named and decoded as child fields
 * (hybrid shares split in the draft's order), and a display-only body
 * that does not parse is shown as bytes, never an error for the engine. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "tls/msg.h"

static const tls_span *find(const tls_spans *sp, const char *suffix)
{
	size_t n = strlen(suffix);
	for (size_t i = 0; i < sp->n; i++) {
		size_t l = strlen(sp->v[i].path);
		if (l >= n && !strcmp(sp->v[i].path + l - n, suffix))
			return &sp->v[i];
	}
	return NULL;
}

/* A ClientHello (body) with these extensions, encoded by the engine. */
static void hello(tls_buf *b, const tls_ext *exts, size_t n)
{
	tls_client_hello ch;
	memset(&ch, 0, sizeof ch);
	ch.version = 0x0303;
	ch.n_suites = 2;
	ch.suites[0] = 0x3a3a; /* GREASE */
	ch.suites[1] = 0x1301;
	memcpy(ch.exts, exts, n * sizeof *exts);
	ch.n_exts = n;
	assert_int_equal(tls_client_hello_encode(b, &ch), 0);
}

static void test_names(void **st)
{
	(void)st;
	assert_string_equal(tls_ext_name(0xfe0d), "encrypted_client_hello");
	assert_string_equal(tls_ext_name(0xca34), "trust_anchors");
	assert_string_equal(tls_ext_name(17613), "application_settings");
	assert_string_equal(tls_ext_name(0x2a2a), "GREASE");
	assert_null(tls_ext_name(0x2a2b));
	assert_string_equal(tls_group_name(0x11ec), "X25519MLKEM768");
	assert_string_equal(tls_group_name(0x6399), "X25519Kyber768Draft00");
	assert_string_equal(tls_group_name(0xfafa), "GREASE");
	assert_string_equal(tls_sig_alg_name(0x0905), "mldsa65");
	assert_string_equal(tls_sig_alg_name(0x1a1a), "GREASE");
	assert_true(tls_is_grease(0x0a0a) && !tls_is_grease(0x0a1a) && !tls_is_grease(0x1301));
}

static void test_hybrid_share_split(void **st)
{
	(void)st;
	static uint8_t ks[2 + 4 + 1216 + 4 + 32];
	size_t at = 0;
	ks[at++] = (sizeof ks - 2) >> 8;
	ks[at++] = (sizeof ks - 2) & 0xff;
	ks[at++] = 0x11, ks[at++] = 0xec, ks[at++] = 1216 >> 8, ks[at++] = 1216 & 0xff;
	at += 1216;
	ks[at++] = 0x00, ks[at++] = 0x1d, ks[at++] = 0, ks[at++] = 32;
	const uint8_t versions[] = {6, 0x4a, 0x4a, 0x03, 0x04, 0x03, 0x03};
	tls_ext e[] = {{51, ks, sizeof ks}, {43, versions, sizeof versions}};
	tls_buf b = {0};
	tls_spans sp = {0};
	tls_client_hello ch;
	hello(&b, e, 2);
	assert_int_equal(tls_client_hello_decode(b.p, b.len, &ch, &sp), 0);
	const tls_span *k = find(&sp, "client_shares[0].key_exchange.mlkem768");
	const tls_span *x = find(&sp, "client_shares[0].key_exchange.x25519");
	assert_non_null(k);
	assert_non_null(x);
	assert_int_equal(k->length, 1184);
	assert_int_equal(x->length, 32);
	assert_int_equal(x->offset, k->offset + 1184); /* ML-KEM first, then X25519 */
	assert_non_null(strstr(find(&sp, "versions[0]")->meaning, "GREASE"));
	assert_non_null(strstr(find(&sp, "versions[1]")->meaning, "preferred: TLS 1.3"));
	assert_non_null(strstr(find(&sp, "cipher_suites[0]")->meaning, "GREASE"));
	tls_spans_free(&sp);
	tls_buf_free(&b);
}

/* ECH with a payload length past its end: the engine ignores the
 * extension (it has no ECH), the describer shows its bytes. */
static void test_bad_display_body_is_bytes(void **st)
{
	(void)st;
	const uint8_t ech[] = {0, 0, 1, 0, 1, 7, 0, 1, 0xee, 0, 9, 1, 2};
	tls_ext e[] = {{0xfe0d, ech, sizeof ech}};
	tls_buf b = {0};
	tls_spans sp = {0};
	tls_client_hello ch;
	hello(&b, e, 1);
	assert_int_equal(tls_client_hello_decode(b.p, b.len, &ch, NULL), 0);
	assert_int_equal(tls_client_hello_decode(b.p, b.len, &ch, &sp), 0);
	const tls_span *d = find(&sp, "extensions[0].extension_data");
	assert_non_null(d);
	assert_int_equal(d->length, sizeof ech);
	assert_null(find(&sp, "ech.type"));
	tls_spans_free(&sp);
	tls_buf_free(&b);
}

/* key_share is read by the engine: a bad one still fails the hello. */
static void test_bad_key_share_fails(void **st)
{
	(void)st;
	const uint8_t ks[] = {0, 5, 0, 0x1d, 0, 32, 1};
	tls_ext e[] = {{51, ks, sizeof ks}};
	tls_buf b = {0};
	tls_client_hello ch;
	hello(&b, e, 1);
	assert_int_not_equal(tls_client_hello_decode(b.p, b.len, &ch, NULL), 0);
	tls_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_hybrid_share_split),
	    cmocka_unit_test(test_bad_display_body_is_bytes),
	    cmocka_unit_test(test_bad_key_share_fails),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
