/* tls_protect_describe names every byte of a protected record body the way
 * seal lays it out, for each mode, and leaves a body too short for its mode
 * as one opaque field. tls_protect_describe_opened names the same body once
 * opened: the message, and for CBC the MAC (checked here against an HMAC
 * computed apart from protect.c), the padding and padding_length. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tls/crypto.h"
#include "tls/protect.h"
#include "tls/rng.h"
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

static const tls_span *find(const tls_spans *sp, const char *path)
{
	for (size_t i = 0; i < sp->n; i++)
		if (!strcmp(sp->v[i].path, path))
			return &sp->v[i];
	return NULL;
}

/* Seals msg in one mode, opens it with tls_protect_open_shown and checks
 * the spans of what the receiver holds. */
static void opened(uint16_t id, int etm, int tls10, size_t msg_len)
{
	const tls_suite *s = tls_suite_by_id(id);
	uint8_t mac_key[48], key[32], iv[16], msg[100], entropy[32] = {7};
	tls_protect tx, rx;
	tls_rng rng;
	tls_buf rec = {0}, pt = {0}, shown = {0};
	tls_spans sp = {0};
	for (size_t i = 0; i < sizeof mac_key; i++)
		mac_key[i] = (uint8_t)(0x40 + i);
	for (size_t i = 0; i < sizeof key; i++)
		key[i] = (uint8_t)(0x80 + i);
	for (size_t i = 0; i < sizeof iv; i++)
		iv[i] = (uint8_t)(0xc0 + i);
	for (size_t i = 0; i < sizeof msg; i++)
		msg[i] = (uint8_t)('a' + i % 26);
	assert_true(msg_len <= sizeof msg);
	assert_int_equal(tls_rng_from_entropy(&rng, entropy, sizeof entropy), 0);
	assert_int_equal(tls_protect_init(&tx, s, mac_key, key, iv), 0);
	assert_int_equal(tls_protect_init(&rx, s, mac_key, key, iv), 0);
	tls_protect_set_etm(&tx, etm);
	tls_protect_set_etm(&rx, etm);
	if (tls10) {
		assert_int_equal(tls_protect_set_tls10(&tx, iv), 0);
		assert_int_equal(tls_protect_set_tls10(&rx, iv), 0);
	}
	/* the second record: sequence number 1, and TLS 1.0's chained IV */
	for (int n = 0; n < 2; n++) {
		tls_buf_clear(&rec);
		assert_int_equal(tls_protect_seal(&tx, &rng, 23, 0x0303, msg, msg_len, &rec), 0);
		assert_int_equal(tls_protect_open_shown(&rx, 23, 0x0303, rec.p, rec.len, &pt, &shown), 0);
	}
	assert_int_equal(pt.len, msg_len);
	assert_int_equal(shown.len, rec.len);
	tls_protect_shape sh = {s, etm, tls10};
	tls_protect_describe_opened(&sh, shown.p, shown.len, &sp);
	tiles(&sp, shown.len);
	const uint8_t *b = shown.p - 5; /* span offsets count the record header */
	const tls_span *content = find(&sp, "record.content");
	if (msg_len) {
		assert_non_null(content);
		assert_int_equal(content->length, msg_len);
		assert_memory_equal(b + content->offset, msg, msg_len);
	} else {
		assert_null(content); /* an empty record has no message bytes to name */
	}
	/* what is not ciphertext stays as it was on the wire */
	for (const char *keep = "record.iv\0record.nonce_explicit\0record.tag\0"; *keep;
	     keep += strlen(keep) + 1) {
		const tls_span *k = find(&sp, keep);
		if (k)
			assert_memory_equal(b + k->offset, rec.p + k->offset - 5, k->length);
	}
	if (s->bulk == TLS_BULK_AES_CBC) {
		const tls_span *mac = find(&sp, "record.mac"), *pl = find(&sp, "record.padding_length");
		const tls_span *pad = find(&sp, "record.padding");
		assert_non_null(mac);
		assert_non_null(pl);
		assert_int_equal(mac->length, s->mac_len);
		size_t padn = b[pl->offset];
		assert_int_equal(pad ? pad->length : 0, padn);
		for (size_t i = 0; pad && i < padn; i++)
			assert_int_equal(b[pad->offset + i], padn);
		/* The MAC, computed here: seq 1, type, version, length, then the
		 * message (MAC-then-encrypt) or IV + ciphertext (encrypt-then-MAC). */
		uint8_t in[13 + 200], want[48];
		unsigned long wl = sizeof want;
		size_t covered = etm ? rec.len - s->mac_len : msg_len;
		const uint8_t *data = etm ? rec.p : msg;
		memcpy(in, "\0\0\0\0\0\0\0\1\x17\x03\x03", 11);
		in[11] = (uint8_t)(covered >> 8);
		in[12] = (uint8_t)covered;
		memcpy(in + 13, data, covered);
		int h = s->mac == TLS_MAC_SHA1 ? tls_hash_sha1() : tls_hash_sha256();
		assert_int_equal(
		    hmac_memory(h, mac_key, (unsigned long)s->mac_key_len, in, 13 + covered, want, &wl),
		    CRYPT_OK);
		assert_memory_equal(b + mac->offset, want, s->mac_len);
	} else {
		assert_non_null(find(&sp, "record.tag"));
		assert_null(find(&sp, "record.mac"));
	}
	tls_spans_free(&sp);
	tls_buf_free(&rec);
	tls_buf_free(&pt);
	tls_buf_free(&shown);
	tls_protect_free(&tx);
	tls_protect_free(&rx);
}

static void test_opened(void **st)
{
	(void)st;
	static const size_t lens[] = {0, 1, 16, 45, 100};
	for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
		opened(0x002F, 0, 0, lens[i]); /* CBC, HMAC-SHA1 */
		opened(0x003C, 0, 0, lens[i]); /* CBC, HMAC-SHA256 */
		opened(0x002F, 1, 0, lens[i]); /* encrypt-then-MAC */
		opened(0x002F, 0, 1, lens[i]); /* TLS 1.0 */
		opened(0x002F, 1, 1, lens[i]);
		opened(0x009C, 0, 0, lens[i]); /* GCM */
		opened(0xCCA8, 0, 0, lens[i]); /* ChaCha20-Poly1305 */
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_modes), cmocka_unit_test(test_opened)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
