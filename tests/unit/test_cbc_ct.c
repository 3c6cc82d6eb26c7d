/* The MAC check of a MAC-then-encrypt CBC record costs the same work
 * whatever the padding length, and whether the padding or the MAC is bad
 * (RFC 5246 6.2.3.2, Lucky Thirteen). Counted, not timed: the test wraps
 * the hash descriptor HMAC uses and counts compression-function calls (the
 * length field the hash keeps grows by one block per call; finishing costs
 * one block, or two when the length field no longer fits). */
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

#define APPDATA 23
#define V12     0x0303
#define PLEN    (16 * 24) /* decrypted body: data + MAC + padding + length byte */

static struct ltc_hash_descriptor orig;
static int counted = -1;
static unsigned long compressions;

/* The state's length (bits hashed in whole blocks) and buffered bytes. */
static void peek(hash_state *md, ulong64 *len, unsigned long *cur)
{
	if (counted == tls_hash_sha384()) {
		*len = md->sha512.length;
		*cur = md->sha512.curlen;
	} else if (counted == tls_hash_sha256()) {
		*len = md->sha256.length;
		*cur = md->sha256.curlen;
	} else {
		*len = md->sha1.length;
		*cur = md->sha1.curlen;
	}
}

static int count_process(hash_state *md, const unsigned char *in, unsigned long n)
{
	ulong64 before, after;
	unsigned long cur;
	peek(md, &before, &cur);
	int rc = orig.process(md, in, n);
	peek(md, &after, &cur);
	compressions += (unsigned long)((after - before) / (8 * orig.blocksize));
	return rc;
}

static int count_done(hash_state *md, unsigned char *out)
{
	ulong64 len;
	unsigned long cur, lf = orig.blocksize == 128 ? 16 : 8;
	peek(md, &len, &cur);
	compressions += cur + 1 + lf > orig.blocksize ? 2 : 1;
	return orig.done(md, out);
}

static void count_hash(int idx)
{
	orig = hash_descriptor[idx];
	counted = idx;
	hash_descriptor[idx].process = count_process;
	hash_descriptor[idx].done = count_done;
}

static void uncount(void)
{
	hash_descriptor[counted] = orig;
	counted = -1;
}

/* A record whose body decrypts to PLEN bytes ending in pad+1 bytes of
 * padding; bad_pad spoils one padding byte, bad_mac one MAC byte. */
static size_t make_record(const tls_suite *s, const uint8_t *mac_key, const uint8_t *key, unsigned pad,
                          int bad_pad, int bad_mac, uint8_t *frag)
{
	uint8_t body[PLEN], h[13] = {0};
	size_t mac_len = s->mac_len, data_len = PLEN - mac_len - pad - 1;
	unsigned long ml = (unsigned long)mac_len;
	for (size_t i = 0; i < data_len; i++)
		body[i] = (uint8_t)(i * 7);
	h[8] = APPDATA;
	h[9] = 3;
	h[10] = 3;
	h[11] = (uint8_t)(data_len >> 8);
	h[12] = (uint8_t)data_len;
	hmac_state st;
	assert_int_equal(hmac_init(&st, tls_suite_mac_hash(s), mac_key, s->mac_key_len), CRYPT_OK);
	assert_int_equal(hmac_process(&st, h, 13), CRYPT_OK);
	assert_int_equal(hmac_process(&st, body, (unsigned long)data_len), CRYPT_OK);
	assert_int_equal(hmac_done(&st, body + data_len, &ml), CRYPT_OK);
	memset(body + data_len + mac_len, (int)pad, pad + 1);
	if (bad_pad && pad > 0)
		body[PLEN - 2] ^= 1;
	if (bad_mac)
		body[data_len] ^= 1;
	uint8_t iv[16];
	memset(iv, 0x42, sizeof iv);
	symmetric_CBC cbc;
	assert_int_equal(cbc_start(find_cipher("aes"), iv, key, (int)s->key_len, 0, &cbc), CRYPT_OK);
	memcpy(frag, iv, 16);
	assert_int_equal(cbc_encrypt(body, frag + 16, PLEN, &cbc), CRYPT_OK);
	cbc_done(&cbc);
	return 16 + PLEN;
}

/* Compressions to open one record; *rc gets tls_protect_open's answer. */
static unsigned long open_cost(const tls_suite *s, const uint8_t *mac_key, const uint8_t *key,
                               const uint8_t *frag, size_t n, int *rc)
{
	tls_protect rx;
	uint8_t iv[16] = {0};
	tls_buf out = {0};
	assert_int_equal(tls_protect_init(&rx, s, mac_key, key, iv), 0);
	count_hash(tls_suite_mac_hash(s));
	compressions = 0;
	*rc = tls_protect_open(&rx, APPDATA, V12, frag, n, &out);
	unsigned long c = compressions;
	uncount();
	tls_buf_free(&out);
	tls_protect_free(&rx);
	return c;
}

static void same_work(uint16_t id)
{
	const tls_suite *s = tls_suite_by_id(id);
	assert_non_null(s);
	assert_int_equal(tls_crypto_init(), 0);
	uint8_t mac_key[48], key[32], frag[16 + PLEN];
	memset(mac_key, 0x11, sizeof mac_key);
	memset(key, 0x22, sizeof key);
	unsigned long first = 0, lo = ~0ul, hi = 0;
	for (unsigned pad = 0; pad < 256; pad++) {
		for (int kind = 0; kind < 3; kind++) {
			size_t n = make_record(s, mac_key, key, pad, kind == 1, kind == 2, frag);
			int rc;
			unsigned long c = open_cost(s, mac_key, key, frag, n, &rc);
			/* The records are what they claim: good ones open, spoilt ones do not. */
			if (kind == 0)
				assert_int_equal(rc, 0);
			else if (kind == 2 || pad > 0)
				assert_int_equal(rc, TLS_FAIL(TLS_ALERT_BAD_RECORD_MAC));
			if (!first)
				first = c;
			lo = c < lo ? c : lo;
			hi = c > hi ? c : hi;
		}
	}
	print_message("suite 0x%04X: %lu to %lu compressions per record\n", id, lo, hi);
	assert_true(first > 0);
	assert_int_equal(lo, hi);
}

static void test_sha1(void **st)
{
	(void)st;
	same_work(0x002F);
}

static void test_sha256(void **st)
{
	(void)st;
	same_work(0x003C);
}

static void test_sha384(void **st)
{
	(void)st;
	same_work(0xC028);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sha1),
	    cmocka_unit_test(test_sha256),
	    cmocka_unit_test(test_sha384),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
