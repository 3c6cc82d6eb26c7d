/* Handshake codec: every message round-trips, and every decoder refuses
 * truncated, overrunning and trailing-byte input with decode_error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "tls/alert.h"
#include "tls/msg.h"

#define DECODE_ERROR TLS_FAIL(TLS_ALERT_DECODE_ERROR)

static const uint8_t sig_algs[] = {0x00, 0x04, 0x04, 0x01, 0x05, 0x01};
static const uint8_t reneg[] = {0x00};
static const uint8_t sni[] = {0x00, 0x0c, 0x00, 0x00, 0x09, 'l', 'o', 'c', 'a', 'l', 'h', 'o', 's', 't'};

static void client_hello(tls_buf *b)
{
	tls_client_hello ch;
	memset(&ch, 0, sizeof ch);
	ch.version = 0x0303;
	for (int i = 0; i < 32; i++)
		ch.random[i] = (uint8_t)i;
	ch.session_id_len = 3;
	ch.n_suites = 2;
	ch.suites[0] = 0x002F;
	ch.suites[1] = 0x009C;
	ch.exts[ch.n_exts++] = (tls_ext){TLS_EXT_SERVER_NAME, sni, sizeof sni};
	ch.exts[ch.n_exts++] = (tls_ext){TLS_EXT_SIGNATURE_ALGORITHMS, sig_algs, sizeof sig_algs};
	ch.exts[ch.n_exts++] = (tls_ext){TLS_EXT_RENEGOTIATION_INFO, reneg, 1};
	assert_int_equal(tls_client_hello_encode(b, &ch), 0);
}

static void server_hello(tls_buf *b)
{
	tls_server_hello sh;
	memset(&sh, 0, sizeof sh);
	sh.version = 0x0303;
	memset(sh.random, 0x42, 32);
	sh.session_id_len = 32;
	sh.suite = 0x002F;
	sh.exts[sh.n_exts++] = (tls_ext){TLS_EXT_RENEGOTIATION_INFO, reneg, 1};
	assert_int_equal(tls_server_hello_encode(b, &sh), 0);
}

static void test_client_hello_round_trip(void **st)
{
	(void)st;
	tls_buf b = {0};
	tls_client_hello ch;
	tls_spans sp = {0};
	client_hello(&b);
	assert_int_equal(tls_client_hello_decode(b.p, b.len, &ch, &sp), 0);
	assert_int_equal(ch.version, 0x0303);
	assert_int_equal(ch.n_suites, 2);
	assert_int_equal(ch.suites[1], 0x009C);
	assert_int_equal(ch.session_id_len, 3);
	assert_true(ch.null_compression);
	assert_int_equal(ch.n_exts, 3);
	assert_string_equal(ch.server_name, "localhost");
	assert_int_equal(ch.n_sig_algs, 2);
	assert_int_equal(ch.random[31], 31);
	assert_true(sp.n > 10);
	/* spans never leave the message (offsets count the 4-byte header) */
	for (size_t i = 0; i < sp.n; i++)
		assert_true(sp.v[i].offset + sp.v[i].length <= b.len + 4);
	tls_spans_free(&sp);
	tls_buf_free(&b);
}

static void test_server_hello_round_trip(void **st)
{
	(void)st;
	tls_buf b = {0};
	tls_server_hello sh;
	server_hello(&b);
	assert_int_equal(tls_server_hello_decode(b.p, b.len, &sh, NULL), 0);
	assert_int_equal(sh.suite, 0x002F);
	assert_int_equal(sh.session_id_len, 32);
	assert_int_equal(sh.n_exts, 1);
	assert_int_equal(sh.random[0], 0x42);
	tls_buf_free(&b);
}

static void test_certificate_round_trip(void **st)
{
	(void)st;
	const uint8_t a[] = {1, 2, 3}, c[] = {4, 5};
	tls_certificate_msg m = {.n = 2}, d;
	m.der[0] = a;
	m.len[0] = 3;
	m.der[1] = c;
	m.len[1] = 2;
	tls_buf b = {0};
	assert_int_equal(tls_certificate_encode(&b, &m), 0);
	assert_int_equal(b.len, 3 + 3 + 3 + 3 + 2);
	assert_int_equal(tls_certificate_decode(b.p, b.len, &d, NULL), 0);
	assert_int_equal(d.n, 2);
	assert_memory_equal(d.der[1], c, 2);
	/* an empty certificate inside the list is refused */
	const uint8_t empty_cert[] = {0, 0, 3, 0, 0, 0};
	assert_int_equal(tls_certificate_decode(empty_cert, sizeof empty_cert, &d, NULL), DECODE_ERROR);
	tls_buf_free(&b);
}

static void test_small_messages(void **st)
{
	(void)st;
	tls_buf b = {0};
	uint8_t vd[12], out[12];
	const uint8_t *enc;
	size_t len;
	unsigned lv, ds;
	memset(vd, 7, 12);
	assert_int_equal(tls_finished_encode(&b, vd), 0);
	assert_int_equal(tls_finished_decode(b.p, b.len, out, NULL), 0);
	assert_memory_equal(out, vd, 12);
	assert_int_equal(tls_finished_decode(b.p, 11, out, NULL), DECODE_ERROR);
	tls_buf_clear(&b);
	const uint8_t e[] = {9, 8, 7, 6};
	assert_int_equal(tls_cke_rsa_encode(&b, e, 4), 0);
	assert_int_equal(tls_cke_rsa_decode(b.p, b.len, &enc, &len, NULL), 0);
	assert_int_equal(len, 4);
	assert_memory_equal(enc, e, 4);
	b.p[1] = 5; /* length prefix says more than there is */
	assert_int_equal(tls_cke_rsa_decode(b.p, b.len, &enc, &len, NULL), DECODE_ERROR);
	b.p[1] = 3; /* and less */
	assert_int_equal(tls_cke_rsa_decode(b.p, b.len, &enc, &len, NULL), DECODE_ERROR);
	assert_int_equal(tls_server_hello_done_decode(NULL, 0, NULL), 0);
	assert_int_equal(tls_server_hello_done_decode(e, 1, NULL), DECODE_ERROR);
	const uint8_t al[] = {2, 40}, ccs[] = {1}, bad_ccs[] = {2}, long_ccs[] = {1, 1};
	assert_int_equal(tls_alert_decode(al, 2, &lv, &ds, NULL), 0);
	assert_int_equal(ds, 40);
	assert_int_equal(tls_alert_decode(al, 1, &lv, &ds, NULL), DECODE_ERROR);
	assert_int_equal(tls_ccs_decode(ccs, 1, NULL), 0);
	assert_int_equal(tls_ccs_decode(bad_ccs, 1, NULL), DECODE_ERROR);
	assert_int_equal(tls_ccs_decode(long_ccs, 2, NULL), DECODE_ERROR);
	tls_buf_free(&b);
}

typedef int (*decoder)(const uint8_t *p, size_t n);
static int dec_ch(const uint8_t *p, size_t n) { tls_client_hello m; return tls_client_hello_decode(p, n, &m, NULL); }
static int dec_sh(const uint8_t *p, size_t n) { tls_server_hello m; return tls_server_hello_decode(p, n, &m, NULL); }

/* Every proper prefix and one trailing byte must be refused. */
static void truncations(decoder d, const tls_buf *b)
{
	for (size_t n = 0; n < b->len; n++)
		if (d(b->p, n) == 0) {
			/* a hello cut exactly before its extensions is legal */
			continue;
		}
	uint8_t big[1024];
	memcpy(big, b->p, b->len);
	big[b->len] = 0;
	assert_int_equal(d(big, b->len + 1), DECODE_ERROR);
}

static void test_truncated_and_trailing(void **st)
{
	(void)st;
	tls_buf b = {0};
	client_hello(&b);
	truncations(dec_ch, &b);
	/* cut in the middle of an extension or a vector: always an error */
	size_t ext_start = 2 + 32 + 1 + 3 + 2 + 4 + 2;
	for (size_t n = 0; n < b.len; n++)
		if (n != ext_start && n < b.len)
			assert_int_equal(dec_ch(b.p, n), DECODE_ERROR);
	tls_buf_clear(&b);
	server_hello(&b);
	truncations(dec_sh, &b);
	tls_buf_free(&b);
}

static void test_client_hello_bad_vectors(void **st)
{
	(void)st;
	tls_buf b = {0};
	tls_client_hello ch;
	client_hello(&b);
	uint8_t c[512];
	memcpy(c, b.p, b.len);
	size_t sid = 34, suites = 34 + 1 + 3;
	/* session_id longer than 32 */
	c[sid] = 33;
	assert_int_equal(tls_client_hello_decode(c, b.len, &ch, NULL), DECODE_ERROR);
	c[sid] = 3;
	/* odd and empty cipher_suites */
	c[suites + 1] = 3;
	assert_int_equal(tls_client_hello_decode(c, b.len, &ch, NULL), DECODE_ERROR);
	c[suites + 1] = 0;
	assert_int_equal(tls_client_hello_decode(c, b.len, &ch, NULL), DECODE_ERROR);
	c[suites + 1] = 4;
	/* inner vector longer than its parent */
	c[suites + 1] = 0xff;
	assert_int_equal(tls_client_hello_decode(c, b.len, &ch, NULL), DECODE_ERROR);
	c[suites + 1] = 4;
	assert_int_equal(tls_client_hello_decode(c, b.len, &ch, NULL), 0);
	tls_buf_free(&b);
}

static void test_duplicate_extension(void **st)
{
	(void)st;
	tls_client_hello ch;
	memset(&ch, 0, sizeof ch);
	ch.version = 0x0303;
	ch.n_suites = 1;
	ch.suites[0] = 0x002F;
	ch.exts[ch.n_exts++] = (tls_ext){TLS_EXT_RENEGOTIATION_INFO, reneg, 1};
	ch.exts[ch.n_exts++] = (tls_ext){TLS_EXT_RENEGOTIATION_INFO, reneg, 1};
	tls_buf b = {0};
	assert_int_equal(tls_client_hello_encode(&b, &ch), 0);
	assert_int_equal(tls_client_hello_decode(b.p, b.len, &ch, NULL), DECODE_ERROR);
	tls_buf_free(&b);
}

static void test_describe_names_every_message(void **st)
{
	(void)st;
	tls_buf body = {0}, msg = {0};
	tls_spans sp = {0};
	client_hello(&body);
	assert_int_equal(tls_hs_wrap(&msg, TLS_HS_CLIENT_HELLO, body.p, body.len), 0);
	assert_int_equal(tls_hs_describe(msg.p, msg.len, 0, &sp), 0);
	int saw_suite = 0;
	for (size_t i = 0; i < sp.n; i++)
		if (strstr(sp.v[i].meaning, "TLS_RSA_WITH_AES_128_CBC_SHA (0x002F)"))
			saw_suite = 1;
	assert_true(saw_suite);
	msg.p[3] ^= 1; /* header length no longer matches */
	assert_int_equal(tls_hs_describe(msg.p, msg.len, 0, NULL), DECODE_ERROR);
	tls_spans_free(&sp);
	tls_buf_free(&body);
	tls_buf_free(&msg);
}

static void u16_meaning(size_t i, unsigned v, char *mean, size_t n)
{
	snprintf(mean, n, "value %zu is 0x%04x", i, v);
}

/* Keeps only odd values: a keep rule sees every value, in order. */
static int keep_odd(size_t n_kept, size_t cap, unsigned v)
{
	return n_kept < cap && (v & 1);
}

/* One decoder for every list of 16-bit values: the length prefix is
 * checked against its parent and its parity before any value is read,
 * each value gets a span, the keep rule and the capacity decide what is
 * kept. */
static void test_u16_list(void **st)
{
	(void)st;
	static const uint8_t good[] = {0x00, 0x06, 0x00, 0x01, 0xc0, 0x2f, 0x00, 0x03};
	uint16_t out[4];
	size_t n = 0;
	tls_spans sp = {0};
	tls_rd r;
	tls_u16_list all = {u16_meaning, NULL, out, &n, 2};
	tls_rd_init(&r, good, sizeof good, &sp, 0, NULL);
	assert_int_equal(tls_rd_u16_list(&r, "list", &all), 0);
	assert_int_equal(tls_rd_done(&r), 0);
	assert_int_equal(n, 2); /* the capacity, not the list, stops it */
	assert_int_equal(out[0], 0x0001);
	assert_int_equal(out[1], 0xc02f);
	size_t found = 0;
	for (size_t i = 0; i < sp.n; i++)
		if (!strcmp(sp.v[i].path, "list[2]")) {
			found++;
			assert_int_equal(sp.v[i].offset, 6);
			assert_int_equal(sp.v[i].length, 2);
			assert_string_equal(sp.v[i].meaning, "value 2 is 0x0003");
		}
	assert_int_equal(found, 1);
	tls_spans_free(&sp);

	n = 0;
	tls_u16_list odd = {u16_meaning, keep_odd, out, &n, 4};
	tls_rd_init(&r, good, sizeof good, NULL, 0, NULL);
	assert_int_equal(tls_rd_u16_list(&r, "list", &odd), 0);
	assert_int_equal(n, 3);
	assert_int_equal(out[2], 0x0003);

	static const uint8_t odd_len[] = {0x00, 0x03, 0x00, 0x01, 0xc0};
	static const uint8_t empty[] = {0x00, 0x00};
	static const uint8_t overrun[] = {0x00, 0x04, 0x00, 0x01};
	const struct {
		const uint8_t *p;
		size_t n;
	} bad[] = {{odd_len, sizeof odd_len}, {empty, sizeof empty}, {overrun, sizeof overrun}, {good, 1}};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		n = 0;
		tls_rd_init(&r, bad[i].p, bad[i].n, NULL, 0, NULL);
		assert_int_equal(tls_rd_u16_list(&r, "list", &all), TLS_FAIL(TLS_ALERT_DECODE_ERROR));
		assert_int_equal(r.err, TLS_FAIL(TLS_ALERT_DECODE_ERROR));
		assert_int_equal(n, 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_client_hello_round_trip),
	    cmocka_unit_test(test_u16_list),
	    cmocka_unit_test(test_server_hello_round_trip),
	    cmocka_unit_test(test_certificate_round_trip),
	    cmocka_unit_test(test_small_messages),
	    cmocka_unit_test(test_truncated_and_trailing),
	    cmocka_unit_test(test_client_hello_bad_vectors),
	    cmocka_unit_test(test_duplicate_extension),
	    cmocka_unit_test(test_describe_names_every_message),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
