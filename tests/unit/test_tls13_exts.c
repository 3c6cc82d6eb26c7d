/* The extensions of TLS 1.3's later messages (EncryptedExtensions,
 * NewSessionTicket, Certificate entries) read by the hello extension
 * table, told which message they are in: each value named, every byte
 * covered, and a body that does not parse shown as bytes, never an error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "tls/msg.h"
#include "tls/tls13.h"

static const tls_span *find(const tls_spans *sp, const char *path)
{
	for (size_t i = 0; i < sp->n; i++)
		if (!strcmp(sp->v[i].path, path))
			return &sp->v[i];
	fail_msg("no field %s", path);
	return NULL;
}

static void has(const tls_spans *sp, const char *path, const char *words)
{
	const tls_span *s = find(sp, path);
	if (!strstr(s->meaning, words))
		fail_msg("%s: \"%s\" lacks \"%s\"", path, s->meaning, words);
}

/* Describes a whole message and checks every byte has a field. */
static void describe(const tls_buf *m, tls_spans *sp)
{
	uint8_t seen[4096] = {0};
	assert_true(m->len <= sizeof seen);
	assert_int_equal(tls13_hs_describe(m->p, m->len, 1, sp), 0);
	for (size_t k = 0; k < sp->n; k++)
		memset(seen + sp->v[k].offset, 1, sp->v[k].length);
	for (size_t b = 0; b < m->len; b++)
		if (!seen[b])
			fail_msg("byte %zu of %zu has no field", b, m->len);
}

static void ee(tls_buf *m, const tls_ext *e, size_t n)
{
	tls_buf body = {0};
	assert_int_equal(tls13_ee_encode(&body, e, n), 0);
	assert_int_equal(tls_hs_wrap(m, TLS_HS_ENCRYPTED_EXTENSIONS, body.p, body.len), 0);
	tls_buf_free(&body);
}

static void test_encrypted_extensions(void **st)
{
	(void)st;
	static const uint8_t alpn[] = {0, 3, 2, 'h', '2'}, groups[] = {0, 4, 0, 0x1d, 0, 0x17},
	                     rsl[] = {0x40, 0x01};
	/* an ECHConfigList of one config: id 7, X25519 KEM, a 32-byte key,
	 * HKDF-SHA256 with AES-128-GCM, public_name "ech.example" */
	static const uint8_t ech[] = {
	    0, 62, 0xfe, 0x0d, 0, 58, 7,  0,   0x20, 0,   32,  1,   1,   1,   1,   1,   1,   1,   1, 1, 1, 1,
	    1, 1,  1,    1,    1, 1,  1,  1,   1,    1,   1,   1,   1,   1,   1,   1,   1,   1,   1, 1, 1, 0,
	    4, 0,  1,    0,    1, 0,  11, 'e', 'c',  'h', '.', 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0, 0};
	tls_ext e[] = {{16, alpn, sizeof alpn},     {0, NULL, 0},          {42, NULL, 0},
	               {10, groups, sizeof groups}, {28, rsl, sizeof rsl}, {0xfe0d, ech, sizeof ech}};
	tls_buf m = {0};
	tls_spans sp = {0};
	ee(&m, e, sizeof e / sizeof e[0]);
	describe(&m, &sp);
	has(&sp, "encrypted_extensions.extensions[0].protocol_name_list[0]", "the server's choice: h2");
	has(&sp, "encrypted_extensions.extensions[1].empty", "the server used the name the client sent");
	has(&sp, "encrypted_extensions.extensions[2].empty", "accepts the client's 0-RTT data");
	has(&sp, "encrypted_extensions.extensions[3].named_group_list[1]", "secp256r1");
	has(&sp, "encrypted_extensions.extensions[4].record_size_limit", "16385 bytes");
	has(&sp, "encrypted_extensions.extensions[5].type", "encrypted_client_hello");
	has(&sp, "encrypted_extensions.extensions[5].retry_configs", "retry");
	has(&sp, "encrypted_extensions.extensions[5].retry_configs[0].kem_id", "DHKEM(X25519, HKDF-SHA256)");
	has(&sp, "encrypted_extensions.extensions[5].retry_configs[0].cipher_suites[0].aead_id",
	    "AES-128-GCM");
	has(&sp, "encrypted_extensions.extensions[5].retry_configs[0].public_name", "ech.example");
	tls_spans_free(&sp);
	tls_buf_free(&m);
}

/* A malformed body in EncryptedExtensions: its bytes, and the message
 * still decodes (the engine does not read ALPN there). */
static void test_bad_body_is_bytes(void **st)
{
	(void)st;
	static const uint8_t alpn[] = {0, 9, 2, 'h', '2'};
	tls_ext e[] = {{16, alpn, sizeof alpn}};
	tls_buf m = {0};
	tls_spans sp = {0};
	ee(&m, e, 1);
	describe(&m, &sp);
	has(&sp, "encrypted_extensions.extensions[0].extension_data", "do not parse");
	tls_spans_free(&sp);
	tls_buf_free(&m);
}

static void test_ticket_early_data(void **st)
{
	(void)st;
	static const uint8_t body[] = {0,    0,    0x1c, 0x20, 0, 0,  0, 9, 1, 5, 0,    2,
	                               0xaa, 0xbb, 0,    8,    0, 42, 0, 4, 0, 0, 0x40, 0};
	tls_buf m = {0};
	tls_spans sp = {0};
	assert_int_equal(tls_hs_wrap(&m, TLS_HS_NEW_SESSION_TICKET, body, sizeof body), 0);
	describe(&m, &sp);
	has(&sp, "new_session_ticket.ticket_lifetime", "7200");
	has(&sp, "new_session_ticket.ticket_age_add", "9,");
	has(&sp, "new_session_ticket.extensions[0].max_early_data_size", "up to 16384 bytes");
	tls_spans_free(&sp);
	tls_buf_free(&m);
}

/* A Certificate entry's status_request: the stapled OCSP response. */
static void test_certificate_entry_ocsp(void **st)
{
	(void)st;
	static const uint8_t body[] = {0, 0, 0, 16, 0, 0, 2, 0x30, 0, 0, 9, 0, 5, 0, 5, 1, 0, 0, 1, 0x30};
	tls_buf m = {0};
	tls_spans sp = {0};
	assert_int_equal(tls_hs_wrap(&m, TLS_HS_CERTIFICATE, body, sizeof body), 0);
	describe(&m, &sp);
	has(&sp, "certificate.certificate_list[0].extensions[0].type", "status_request");
	has(&sp, "certificate.certificate_list[0].extensions[0].status_type", "ocsp");
	has(&sp, "certificate.certificate_list[0].extensions[0].ocsp_response", "OCSP response");
	tls_spans_free(&sp);
	tls_buf_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_encrypted_extensions),
	    cmocka_unit_test(test_bad_body_is_bytes),
	    cmocka_unit_test(test_ticket_early_data),
	    cmocka_unit_test(test_certificate_entry_ocsp),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
