/* A table of bad peer input fed straight to an engine, each with the exact
 * alert the engine must send (or none, where RFC 5246 says to go on). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "app/pki.h"
#include "tls/alert.h"
#include "tls/conn.h"
#include "tls/msg.h"

static tls_creds server_pki, client_pki;
static const uint16_t suites[] = {0x002F, 0x009C};
static const uint16_t one_suite[] = {0x002F};

static int setup(void **st)
{
	(void)st;
	char err[256];
	if (app_pki_add_chain(&server_pki, "assets/server.crt", err, sizeof err) ||
	    app_pki_load_key(&server_pki, "assets/server.key", err, sizeof err) ||
	    app_pki_load_anchors(&client_pki, "assets/ca.crt", err, sizeof err)) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

static int teardown(void **st)
{
	(void)st;
	tls_creds_free(&server_pki);
	tls_creds_free(&client_pki);
	return 0;
}

static tls_rng rng;

static tls_conn *server(void)
{
	tls_config c = {0};
	tls_conn *s;
	tls_rng_seed(&rng, 9, "server");
	c.is_server = 1;
	c.rng = &rng;
	c.now = 1767225600;
	c.suites = one_suite;
	c.n_suites = 1;
	c.chain_der = server_pki.chain_der;
	c.chain_len = server_pki.chain_len;
	c.chain_n = server_pki.chain_n;
	c.key = &server_pki.key;
	assert_int_equal(tls_conn_new(&s, &c), 0);
	return s;
}

static tls_conn *client(void)
{
	tls_config c = {0};
	tls_conn *s;
	tls_rng_seed(&rng, 9, "client");
	c.rng = &rng;
	c.now = 1767225600;
	c.suites = suites;
	c.n_suites = 2;
	c.server_name = "localhost";
	c.anchors = client_pki.anchors;
	c.n_anchors = client_pki.n_anchors;
	assert_int_equal(tls_conn_new(&s, &c), 0);
	assert_int_equal(tls_conn_start(s), 0);
	const uint8_t *p;
	tls_conn_consume(s, tls_conn_output(s, &p));
	return s;
}

/* ---- building input ------------------------------------------------- */

static void rec(tls_buf *o, uint8_t type, const uint8_t *p, size_t n)
{
	assert_int_equal(tls_buf_u8(o, type), 0);
	assert_int_equal(tls_buf_u16(o, 0x0303), 0);
	assert_int_equal(tls_buf_u16(o, (unsigned)n), 0);
	assert_int_equal(tls_buf_put(o, p, n), 0);
}

static void hs_rec(tls_buf *o, uint8_t type, const uint8_t *body, size_t n)
{
	tls_buf m = {0};
	assert_int_equal(tls_hs_wrap(&m, type, body, n), 0);
	rec(o, TLS_CT_HANDSHAKE, m.p, m.len);
	tls_buf_free(&m);
}

static const uint8_t reneg[] = {0};

static void ch_body(tls_buf *b, uint16_t version, int n_suites, const uint16_t *s, int ext_reneg)
{
	tls_client_hello ch;
	memset(&ch, 0, sizeof ch);
	ch.version = version;
	for (int i = 0; i < n_suites; i++)
		ch.suites[ch.n_suites++] = s[i];
	if (ext_reneg)
		ch.exts[ch.n_exts++] = (tls_ext){TLS_EXT_RENEGOTIATION_INFO, reneg, 1};
	assert_int_equal(tls_client_hello_encode(b, &ch), 0);
}

static void good_ch(tls_buf *o)
{
	tls_buf b = {0};
	ch_body(&b, 0x0303, 1, one_suite, 1);
	hs_rec(o, TLS_HS_CLIENT_HELLO, b.p, b.len);
	tls_buf_free(&b);
}

static void sh_body(tls_buf *b, uint16_t version, uint16_t suite, uint8_t comp, uint16_t ext)
{
	tls_server_hello sh;
	memset(&sh, 0, sizeof sh);
	sh.version = version;
	sh.suite = suite;
	sh.compression = comp;
	if (ext)
		sh.exts[sh.n_exts++] = (tls_ext){ext, reneg, ext == TLS_EXT_RENEGOTIATION_INFO ? 1 : 0};
	assert_int_equal(tls_server_hello_encode(b, &sh), 0);
}

static void good_sh(tls_buf *o)
{
	tls_buf b = {0};
	sh_body(&b, 0x0303, 0x002F, 0, TLS_EXT_RENEGOTIATION_INFO);
	hs_rec(o, TLS_HS_SERVER_HELLO, b.p, b.len);
	tls_buf_free(&b);
}

static void cert_rec(tls_buf *o, const uint8_t *der, size_t len)
{
	tls_certificate_msg m = {.n = der ? 1 : 0};
	m.der[0] = der;
	m.len[0] = len;
	tls_buf b = {0};
	assert_int_equal(tls_certificate_encode(&b, &m), 0);
	hs_rec(o, TLS_HS_CERTIFICATE, b.p, b.len);
	tls_buf_free(&b);
}

/* ---- the table ------------------------------------------------------ */

typedef struct {
	const char *name;
	int to_client;          /* else to a fresh server */
	void (*build)(tls_buf *);
	int alert;              /* expected alert sent, -1 = none */
} bad_case;

#define RAW(name, ...)                                                                                       \
	static void name(tls_buf *o)                                                                         \
	{                                                                                                    \
		const uint8_t b[] = {__VA_ARGS__};                                                           \
		assert_int_equal(tls_buf_put(o, b, sizeof b), 0);                                            \
	}

RAW(zero_length_hs, 0x16, 3, 3, 0, 0)
RAW(unknown_type, 0x19, 3, 3, 0, 1, 0)
RAW(too_long, 0x16, 3, 3, 0x40, 0x01)
RAW(sslv2_version, 0x16, 2, 0, 0, 1, 1)
RAW(ccs_first, 0x14, 3, 3, 0, 1, 1)
RAW(ccs_bad_body, 0x14, 3, 3, 0, 1, 2)
RAW(ccs_long_body, 0x14, 3, 3, 0, 2, 1, 1)
RAW(appdata_first, 0x17, 3, 3, 0, 1, 0x41)
RAW(hs_len_ffffff, 0x16, 3, 3, 0, 4, 1, 0xff, 0xff, 0xff)
RAW(finished_first, 0x16, 3, 3, 0, 16, 20, 0, 0, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)
RAW(short_alert, 0x15, 3, 3, 0, 1, 2)
RAW(fatal_alert, 0x15, 3, 3, 0, 2, 2, 40)
RAW(shd_to_server, 0x16, 3, 3, 0, 4, 14, 0, 0, 0)
RAW(sslv2_hello, 0x80, 0x2e, 0x01, 0x03, 0x01, 0x00, 0x15)
RAW(hello_request, 0x16, 3, 3, 0, 4, 0, 0, 0, 0)

static void ch_truncated(tls_buf *o)
{
	tls_buf b = {0};
	ch_body(&b, 0x0303, 1, one_suite, 1);
	hs_rec(o, TLS_HS_CLIENT_HELLO, b.p, 30);
	tls_buf_free(&b);
}

static void ch_old_version(tls_buf *o)
{
	tls_buf b = {0};
	ch_body(&b, 0x0301, 1, one_suite, 1);
	hs_rec(o, TLS_HS_CLIENT_HELLO, b.p, b.len);
	tls_buf_free(&b);
}

static void ch_no_null_compression(tls_buf *o)
{
	tls_buf b = {0};
	ch_body(&b, 0x0303, 1, one_suite, 0);
	b.p[b.len - 1] = 1; /* the only method: DEFLATE */
	hs_rec(o, TLS_HS_CLIENT_HELLO, b.p, b.len);
	tls_buf_free(&b);
}

static void ch_no_common_suite(tls_buf *o)
{
	const uint16_t other[] = {0xC02F, 0x009C};
	tls_buf b = {0};
	ch_body(&b, 0x0303, 2, other, 1);
	hs_rec(o, TLS_HS_CLIENT_HELLO, b.p, b.len);
	tls_buf_free(&b);
}

static void ch_trailing(tls_buf *o)
{
	tls_buf b = {0};
	ch_body(&b, 0x0303, 1, one_suite, 1);
	assert_int_equal(tls_buf_u8(&b, 0), 0);
	hs_rec(o, TLS_HS_CLIENT_HELLO, b.p, b.len);
	tls_buf_free(&b);
}

static void ch_long_session_id(tls_buf *o)
{
	tls_buf b = {0};
	ch_body(&b, 0x0303, 1, one_suite, 1);
	b.p[34] = 33;
	hs_rec(o, TLS_HS_CLIENT_HELLO, b.p, b.len);
	tls_buf_free(&b);
}

static void ch_odd_suites(tls_buf *o)
{
	tls_buf b = {0};
	ch_body(&b, 0x0303, 1, one_suite, 1);
	b.p[36] = 1;
	hs_rec(o, TLS_HS_CLIENT_HELLO, b.p, b.len);
	tls_buf_free(&b);
}

static void ch_bad_reneg(tls_buf *o)
{
	static const uint8_t ri[] = {1, 0xaa};
	tls_client_hello ch;
	memset(&ch, 0, sizeof ch);
	ch.version = 0x0303;
	ch.suites[ch.n_suites++] = 0x002F;
	ch.exts[ch.n_exts++] = (tls_ext){TLS_EXT_RENEGOTIATION_INFO, ri, 2};
	tls_buf b = {0};
	assert_int_equal(tls_client_hello_encode(&b, &ch), 0);
	hs_rec(o, TLS_HS_CLIENT_HELLO, b.p, b.len);
	tls_buf_free(&b);
}

static void ch_split_three_records(tls_buf *o)
{
	tls_buf b = {0}, m = {0};
	ch_body(&b, 0x0303, 1, one_suite, 1);
	assert_int_equal(tls_hs_wrap(&m, TLS_HS_CLIENT_HELLO, b.p, b.len), 0);
	rec(o, TLS_CT_HANDSHAKE, m.p, 2);
	rec(o, TLS_CT_HANDSHAKE, m.p + 2, 20);
	rec(o, TLS_CT_HANDSHAKE, m.p + 22, m.len - 22);
	tls_buf_free(&b);
	tls_buf_free(&m);
}

static void ch_twice_one_record(tls_buf *o)
{
	tls_buf b = {0}, m = {0};
	ch_body(&b, 0x0303, 1, one_suite, 1);
	assert_int_equal(tls_hs_wrap(&m, TLS_HS_CLIENT_HELLO, b.p, b.len), 0);
	assert_int_equal(tls_hs_wrap(&m, TLS_HS_CLIENT_HELLO, b.p, b.len), 0);
	rec(o, TLS_CT_HANDSHAKE, m.p, m.len);
	tls_buf_free(&b);
	tls_buf_free(&m);
}

static void cke(tls_buf *o, const uint8_t *body, size_t n)
{
	good_ch(o);
	hs_rec(o, TLS_HS_CLIENT_KEY_EXCHANGE, body, n);
}

static void cke_bad_prefix(tls_buf *o)
{
	uint8_t b[258] = {0x01, 0x01};
	cke(o, b, sizeof b);
}

static void cke_all_zeros(tls_buf *o)
{
	uint8_t b[258] = {0x01, 0x00};
	cke(o, b, sizeof b);
}

static void cke_short(tls_buf *o)
{
	uint8_t b[12] = {0x00, 10, 1, 2, 3};
	cke(o, b, sizeof b);
}

static void cke_c_above_n(tls_buf *o)
{
	uint8_t b[258];
	memset(b, 0xff, sizeof b);
	b[0] = 1;
	b[1] = 0;
	cke(o, b, sizeof b);
}

static void ccs_mid_message(tls_buf *o)
{
	tls_buf b = {0}, m = {0};
	ch_body(&b, 0x0303, 1, one_suite, 1);
	assert_int_equal(tls_hs_wrap(&m, TLS_HS_CLIENT_HELLO, b.p, b.len), 0);
	rec(o, TLS_CT_HANDSHAKE, m.p, 10);
	const uint8_t one = 1;
	rec(o, TLS_CT_CHANGE_CIPHER_SPEC, &one, 1);
	tls_buf_free(&b);
	tls_buf_free(&m);
}

#define SH_CASE(fn, v, s, c, e)                  \
	static void fn(tls_buf *o)               \
	{                                        \
		tls_buf b = {0};                 \
		sh_body(&b, v, s, c, e);         \
		hs_rec(o, TLS_HS_SERVER_HELLO, b.p, b.len); \
		tls_buf_free(&b);                \
	}

SH_CASE(sh_tls11, 0x0302, 0x002F, 0, 0)
SH_CASE(sh_unoffered_suite, 0x0303, 0x0035, 0, 0)
SH_CASE(sh_unknown_suite, 0x0303, 0x1301, 0, 0)
SH_CASE(sh_compression, 0x0303, 0x002F, 1, 0)
SH_CASE(sh_unsolicited_ext, 0x0303, 0x002F, 0, TLS_EXT_EXTENDED_MASTER_SECRET)

static void sh_long_session(tls_buf *o)
{
	tls_buf b = {0};
	sh_body(&b, 0x0303, 0x002F, 0, 0);
	b.p[34] = 33;
	hs_rec(o, TLS_HS_SERVER_HELLO, b.p, b.len);
	tls_buf_free(&b);
}

static void cert_before_sh(tls_buf *o) { cert_rec(o, server_pki.chain_der[0], server_pki.chain_len[0]); }
static void empty_cert_list(tls_buf *o) { good_sh(o); cert_rec(o, NULL, 0); }

static void cert_overrun(tls_buf *o)
{
	good_sh(o);
	const uint8_t body[] = {0, 0, 10, 0, 0, 20, 1, 2, 3, 4, 5, 6, 7};
	hs_rec(o, TLS_HS_CERTIFICATE, body, sizeof body);
}

static void cert_garbage(tls_buf *o)
{
	good_sh(o);
	const uint8_t junk[] = {0x30, 0x80, 1, 2, 3, 4};
	cert_rec(o, junk, sizeof junk);
}

static void cert_truncated_der(tls_buf *o)
{
	good_sh(o);
	cert_rec(o, server_pki.chain_der[0], server_pki.chain_len[0] - 1);
}

static void skip_certificate(tls_buf *o)
{
	good_sh(o);
	hs_rec(o, TLS_HS_SERVER_HELLO_DONE, NULL, 0);
}

static void shd_with_body(tls_buf *o)
{
	good_sh(o);
	cert_rec(o, server_pki.chain_der[0], server_pki.chain_len[0]);
	const uint8_t x = 0;
	hs_rec(o, TLS_HS_SERVER_HELLO_DONE, &x, 1);
}

static void sh_twice(tls_buf *o) { good_sh(o); good_sh(o); }
static void hello_request_then_sh(tls_buf *o) { hello_request(o); good_sh(o); }

static void appdata_mid_handshake(tls_buf *o)
{
	good_sh(o);
	const uint8_t x[] = {1, 2, 3};
	rec(o, TLS_CT_APPLICATION_DATA, x, 3);
}

/* clang-format off */
static const bad_case cases[] = {
	{"zero-length handshake record", 0, zero_length_hs, TLS_ALERT_UNEXPECTED_MESSAGE},
	{"unknown content type", 0, unknown_type, TLS_ALERT_UNEXPECTED_MESSAGE},
	{"record over 2^14", 0, too_long, TLS_ALERT_RECORD_OVERFLOW},
	{"record version 2.0", 0, sslv2_version, TLS_ALERT_PROTOCOL_VERSION},
	{"SSLv2-style hello", 0, sslv2_hello, TLS_ALERT_UNEXPECTED_MESSAGE},
	{"ChangeCipherSpec first", 0, ccs_first, TLS_ALERT_UNEXPECTED_MESSAGE},
	{"ChangeCipherSpec body 02", 0, ccs_bad_body, TLS_ALERT_UNEXPECTED_MESSAGE},
	{"ChangeCipherSpec body 01 01", 0, ccs_long_body, TLS_ALERT_UNEXPECTED_MESSAGE},
	{"application data before Finished", 0, appdata_first, TLS_ALERT_UNEXPECTED_MESSAGE},
	{"handshake length 0xFFFFFF", 0, hs_len_ffffff, TLS_ALERT_DECODE_ERROR},
	{"Finished first", 0, finished_first, TLS_ALERT_UNEXPECTED_MESSAGE},
	{"one-byte alert", 0, short_alert, TLS_ALERT_DECODE_ERROR},
	{"peer's fatal alert gets no answer", 0, fatal_alert, -1},
	{"ServerHelloDone sent to a server", 0, shd_to_server, TLS_ALERT_UNEXPECTED_MESSAGE},
	{"ClientHello cut short", 0, ch_truncated, TLS_ALERT_DECODE_ERROR},
	{"ClientHello TLS 1.0 only", 0, ch_old_version, TLS_ALERT_PROTOCOL_VERSION},
	{"ClientHello without null compression", 0, ch_no_null_compression, TLS_ALERT_ILLEGAL_PARAMETER},
	{"ClientHello with no common suite", 0, ch_no_common_suite, TLS_ALERT_HANDSHAKE_FAILURE},
	{"ClientHello with a trailing byte", 0, ch_trailing, TLS_ALERT_DECODE_ERROR},
	{"ClientHello session_id of 33 bytes", 0, ch_long_session_id, TLS_ALERT_DECODE_ERROR},
	{"ClientHello odd cipher_suites length", 0, ch_odd_suites, TLS_ALERT_DECODE_ERROR},
	{"ClientHello non-empty renegotiation_info", 0, ch_bad_reneg, TLS_ALERT_HANDSHAKE_FAILURE},
	{"ClientHello over three records", 0, ch_split_three_records, -1},
	{"two ClientHellos in one record", 0, ch_twice_one_record, TLS_ALERT_UNEXPECTED_MESSAGE},
	{"ClientKeyExchange wrong length prefix", 0, cke_bad_prefix, TLS_ALERT_DECODE_ERROR},
	{"ClientKeyExchange all zeros: no alert yet", 0, cke_all_zeros, -1},
	{"ClientKeyExchange short: no alert yet", 0, cke_short, -1},
	{"ClientKeyExchange c >= N: no alert yet", 0, cke_c_above_n, -1},
	{"ChangeCipherSpec inside a split message", 0, ccs_mid_message, TLS_ALERT_UNEXPECTED_MESSAGE},
	{"ServerHello TLS 1.1", 1, sh_tls11, TLS_ALERT_PROTOCOL_VERSION},
	{"ServerHello suite not offered", 1, sh_unoffered_suite, TLS_ALERT_ILLEGAL_PARAMETER},
	{"ServerHello TLS 1.3 suite", 1, sh_unknown_suite, TLS_ALERT_ILLEGAL_PARAMETER},
	{"ServerHello with compression", 1, sh_compression, TLS_ALERT_ILLEGAL_PARAMETER},
	{"ServerHello unsolicited extension", 1, sh_unsolicited_ext, TLS_ALERT_UNSUPPORTED_EXTENSION},
	{"ServerHello session_id of 33 bytes", 1, sh_long_session, TLS_ALERT_DECODE_ERROR},
	{"Certificate before ServerHello", 1, cert_before_sh, TLS_ALERT_UNEXPECTED_MESSAGE},
	{"empty certificate list", 1, empty_cert_list, TLS_ALERT_BAD_CERTIFICATE},
	{"certificate list overruns", 1, cert_overrun, TLS_ALERT_DECODE_ERROR},
	{"certificate with indefinite length", 1, cert_garbage, TLS_ALERT_BAD_CERTIFICATE},
	{"certificate DER cut short", 1, cert_truncated_der, TLS_ALERT_BAD_CERTIFICATE},
	{"Certificate skipped", 1, skip_certificate, TLS_ALERT_UNEXPECTED_MESSAGE},
	{"ServerHelloDone with a body", 1, shd_with_body, TLS_ALERT_DECODE_ERROR},
	{"ServerHello twice", 1, sh_twice, TLS_ALERT_UNEXPECTED_MESSAGE},
	{"HelloRequest while negotiating is ignored", 1, hello_request_then_sh, -1},
	{"application data mid-handshake", 1, appdata_mid_handshake, TLS_ALERT_UNEXPECTED_MESSAGE},
};
/* clang-format on */

static void test_bad_inputs(void **st)
{
	(void)st;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const bad_case *c = &cases[i];
		tls_conn *e = c->to_client ? client() : server();
		tls_buf in = {0};
		c->build(&in);
		tls_conn_recv(e, in.p, in.len);
		int got = tls_conn_alert_sent(e);
		if (got != c->alert)
			fail_msg("%s: expected alert %d (%s), got %d (%s) [%s]", c->name, c->alert,
				 c->alert >= 0 ? tls_alert_name(c->alert) : "none", got,
				 got >= 0 ? tls_alert_name(got) : "none", tls_conn_error(e));
		if (got >= 0) {
			/* the alert is the last record queued, and it is fatal */
			const uint8_t *p;
			size_t n = tls_conn_output(e, &p);
			assert_true(n >= 7);
			assert_int_equal(p[n - 7], TLS_CT_ALERT);
			assert_int_equal(p[n - 2], TLS_ALERT_FATAL);
			assert_int_equal(p[n - 1], got);
			assert_int_equal(tls_conn_status(e), TLS_FAILED);
			assert_true(strlen(tls_conn_error(e)) > 5);
		}
		tls_buf_free(&in);
		tls_conn_free(e);
		tls_rng_free(&rng);
	}
	printf("%zu bad inputs checked\n", sizeof cases / sizeof cases[0]);
}

/* Input split at every byte gives the same result as in one piece. */
static void test_byte_at_a_time(void **st)
{
	(void)st;
	tls_conn *e = server();
	tls_buf in = {0};
	ch_split_three_records(&in);
	for (size_t i = 0; i < in.len; i++)
		assert_int_equal(tls_conn_recv(e, in.p + i, 1), 0);
	const uint8_t *p;
	assert_true(tls_conn_output(e, &p) > 1000); /* ServerHello, Certificate, ServerHelloDone */
	assert_int_equal(tls_conn_alert_sent(e), -1);
	tls_buf_free(&in);
	tls_conn_free(e);
	tls_rng_free(&rng);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_inputs),
		cmocka_unit_test(test_byte_at_a_time),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
