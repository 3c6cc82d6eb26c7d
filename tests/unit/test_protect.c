/* Record protection: round trips, tampering, truncation and known answers.
 *
 * The known-answer records were made outside tlsstep with Python's
 * `cryptography` package and hmac module (AES-CBC + HMAC, AESGCM), so these
 * tests check the wire format, not only that seal and open agree. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tls/alert.h"
#include "tls/bytes.h"
#include "tls/crypto.h"
#include "tls/protect.h"
#include "tls/rng.h"
#include "tls/suites.h"

#define BAD_MAC TLS_FAIL(TLS_ALERT_BAD_RECORD_MAC)
#define OVERFLOW TLS_FAIL(TLS_ALERT_RECORD_OVERFLOW)
#define APPDATA 23
#define V12 0x0303

static const uint16_t suite_ids[] = {0x002F, 0x003C, 0x009C};

static size_t unhex(uint8_t *out, const char *hex)
{
	size_t n = strlen(hex) / 2;
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
	return n;
}

static void fill(uint8_t *p, size_t n, uint8_t start)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(start + i);
}

static void seeded_rng(tls_rng *r)
{
	uint8_t e[32];
	memset(e, 0x77, sizeof e);
	assert_int_equal(tls_rng_from_entropy(r, e, sizeof e), 0);
}

/* A sender and a receiver sharing one set of keys, as the two ends of one
 * direction of a connection. */
typedef struct {
	const tls_suite *s;
	tls_protect tx, rx;
	tls_rng rng;
	tls_buf rec, pt;
} pair;

static void pair_init(pair *c, uint16_t id)
{
	uint8_t mac_key[48], key[32], iv[16];
	memset(c, 0, sizeof *c);
	c->s = tls_suite_by_id(id);
	assert_non_null(c->s);
	fill(mac_key, sizeof mac_key, 0x10);
	fill(key, sizeof key, 0x40);
	fill(iv, sizeof iv, 0x90);
	assert_int_equal(tls_protect_init(&c->tx, c->s, mac_key, key, iv), 0);
	assert_int_equal(tls_protect_init(&c->rx, c->s, mac_key, key, iv), 0);
	seeded_rng(&c->rng);
}

static void pair_free(pair *c)
{
	tls_protect_free(&c->tx);
	tls_protect_free(&c->rx);
	tls_rng_free(&c->rng);
	tls_buf_free(&c->rec);
	tls_buf_free(&c->pt);
}

static size_t expected_len(const tls_suite *s, size_t n)
{
	if (s->bulk == TLS_BULK_AES_GCM)
		return 8 + n + 16;
	return 16 + (n + s->mac_len + 1 + 15) / 16 * 16;
}

static void test_round_trip(void **state)
{
	(void)state;
	static const size_t sizes[] = {0, 1, 15, 16, 17, 16384};
	uint8_t *msg = malloc(16384);
	assert_non_null(msg);
	fill(msg, 16384, 3);
	for (size_t i = 0; i < sizeof suite_ids / sizeof suite_ids[0]; i++) {
		pair c;
		pair_init(&c, suite_ids[i]);
		for (size_t j = 0; j < sizeof sizes / sizeof sizes[0]; j++) {
			size_t n = sizes[j];
			tls_buf_clear(&c.rec);
			c.rec.len = 0;
			assert_int_equal(tls_protect_seal(&c.tx, &c.rng, APPDATA, V12, msg, n, &c.rec), 0);
			assert_int_equal(c.rec.len, expected_len(c.s, n));
			assert_int_equal(tls_protect_open(&c.rx, APPDATA, V12, c.rec.p, c.rec.len, &c.pt), 0);
			assert_int_equal(c.pt.len, n);
			if (n)
				assert_memory_equal(c.pt.p, msg, n);
			assert_int_equal(c.tx.seq, j + 1);
			assert_int_equal(c.rx.seq, j + 1);
		}
		pair_free(&c);
	}
	free(msg);
}

/* seal appends: whatever the caller already put in out (a header) stays. */
static void test_seal_appends(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof suite_ids / sizeof suite_ids[0]; i++) {
		pair c;
		pair_init(&c, suite_ids[i]);
		assert_int_equal(tls_buf_put(&c.rec, "HDR!!", 5), 0);
		assert_int_equal(tls_protect_seal(&c.tx, &c.rng, APPDATA, V12, (const uint8_t *)"hi", 2,
						  &c.rec),
				 0);
		assert_memory_equal(c.rec.p, "HDR!!", 5);
		assert_int_equal(
			tls_protect_open(&c.rx, APPDATA, V12, c.rec.p + 5, c.rec.len - 5, &c.pt), 0);
		assert_int_equal(c.pt.len, 2);
		assert_memory_equal(c.pt.p, "hi", 2);
		pair_free(&c);
	}
}

/* The sequence number, type and version are authenticated though never sent. */
static void test_sequence_and_header_bound(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof suite_ids / sizeof suite_ids[0]; i++) {
		pair c;
		tls_buf r0 = {0}, r1 = {0};
		pair_init(&c, suite_ids[i]);
		assert_int_equal(tls_protect_seal(&c.tx, &c.rng, APPDATA, V12, (const uint8_t *)"zero", 4,
						  &r0),
				 0);
		assert_int_equal(tls_protect_seal(&c.tx, &c.rng, APPDATA, V12, (const uint8_t *)"one", 3,
						  &r1),
				 0);
		/* Out of order: r1 is checked against seq 0 and fails. */
		assert_int_equal(tls_protect_open(&c.rx, APPDATA, V12, r1.p, r1.len, &c.pt), BAD_MAC);
		assert_int_equal(c.rx.seq, 0);
		assert_int_equal(tls_protect_open(&c.rx, 22, V12, r0.p, r0.len, &c.pt), BAD_MAC);
		assert_int_equal(tls_protect_open(&c.rx, APPDATA, 0x0302, r0.p, r0.len, &c.pt), BAD_MAC);
		assert_int_equal(tls_protect_open(&c.rx, APPDATA, V12, r0.p, r0.len, &c.pt), 0);
		assert_int_equal(tls_protect_open(&c.rx, APPDATA, V12, r0.p, r0.len, &c.pt), BAD_MAC);
		assert_int_equal(tls_protect_open(&c.rx, APPDATA, V12, r1.p, r1.len, &c.pt), 0);
		assert_int_equal(c.pt.len, 3);
		assert_int_equal(c.rx.seq, 2);
		tls_buf_free(&r0);
		tls_buf_free(&r1);
		pair_free(&c);
	}
}

/* Any single flipped bit, in the IV/nonce, body, MAC, padding or tag, is
 * caught, and out is left empty. */
static void test_every_bit_flip(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof suite_ids / sizeof suite_ids[0]; i++) {
		pair c;
		pair_init(&c, suite_ids[i]);
		assert_int_equal(tls_protect_seal(&c.tx, &c.rng, APPDATA, V12, (const uint8_t *)"x", 1,
						  &c.rec),
				 0);
		uint8_t *bad = malloc(c.rec.len);
		assert_non_null(bad);
		for (size_t bit = 0; bit < 8 * c.rec.len; bit++) {
			memcpy(bad, c.rec.p, c.rec.len);
			bad[bit / 8] ^= (uint8_t)(1u << (bit % 8));
			assert_int_equal(tls_buf_put(&c.pt, "junk", 4), 0);
			assert_int_equal(tls_protect_open(&c.rx, APPDATA, V12, bad, c.rec.len, &c.pt),
					 BAD_MAC);
			assert_int_equal(c.pt.len, 0);
			assert_int_equal(c.rx.seq, 0);
		}
		assert_int_equal(tls_protect_open(&c.rx, APPDATA, V12, c.rec.p, c.rec.len, &c.pt), 0);
		free(bad);
		pair_free(&c);
	}
}

/* Encrypt-then-MAC (RFC 7366): IV + CBC(data + padding) + MAC over it. */
static void test_etm(void **state)
{
	(void)state;
	static const uint16_t cbc[] = {0x002F, 0x003C};
	static const size_t sizes[] = {0, 1, 15, 16, 17, 16384};
	uint8_t data[16384];
	fill(data, sizeof data, 0x33);
	for (size_t i = 0; i < 2; i++) {
		for (size_t j = 0; j < sizeof sizes / sizeof sizes[0]; j++) {
			pair c;
			pair_init(&c, cbc[i]);
			tls_protect_set_etm(&c.tx, 1);
			tls_protect_set_etm(&c.rx, 1);
			size_t n = sizes[j];
			assert_int_equal(tls_protect_seal(&c.tx, &c.rng, APPDATA, V12, data, n, &c.rec), 0);
			/* the MAC is outside the encryption, after whole blocks */
			assert_int_equal(c.rec.len, 16 + (n + 1 + 15) / 16 * 16 + c.s->mac_len);
			assert_int_equal(tls_protect_open(&c.rx, APPDATA, V12, c.rec.p, c.rec.len, &c.pt), 0);
			assert_int_equal(c.pt.len, n);
			assert_memory_equal(c.pt.p, data, n);
			pair_free(&c);
		}
		/* every bit flipped, one at a time, fails the MAC */
		pair c;
		pair_init(&c, cbc[i]);
		tls_protect_set_etm(&c.tx, 1);
		tls_protect_set_etm(&c.rx, 1);
		assert_int_equal(tls_protect_seal(&c.tx, &c.rng, APPDATA, V12, data, 3, &c.rec), 0);
		uint8_t bad[128];
		assert_true(c.rec.len <= sizeof bad);
		for (size_t bit = 0; bit < 8 * c.rec.len; bit++) {
			memcpy(bad, c.rec.p, c.rec.len);
			bad[bit / 8] ^= (uint8_t)(1u << (bit % 8));
			assert_int_equal(tls_protect_open(&c.rx, APPDATA, V12, bad, c.rec.len, &c.pt), BAD_MAC);
		}
		/* a receiver that did not agree to encrypt-then-MAC refuses the record */
		tls_protect_set_etm(&c.rx, 0);
		assert_int_equal(tls_protect_open(&c.rx, APPDATA, V12, c.rec.p, c.rec.len, &c.pt), BAD_MAC);
		pair_free(&c);
	}
	/* GCM ignores the switch */
	pair g;
	pair_init(&g, 0x009C);
	tls_protect_set_etm(&g.tx, 1);
	assert_int_equal(g.tx.etm, 0);
	pair_free(&g);
}

/* TLS 1.0 records carry no IV: each continues the CBC chain of the one
 * before, so records open only in order, and both sides must agree. */
static void test_tls10_chained_iv(void **state)
{
	(void)state;
	uint8_t iv[16], data[40];
	fill(iv, sizeof iv, 0x55);
	fill(data, sizeof data, 0x21);
	for (int etm = 0; etm < 2; etm++) {
		pair c;
		pair_init(&c, 0x002F);
		assert_int_equal(tls_protect_set_tls10(&c.tx, iv), 0);
		assert_int_equal(tls_protect_set_tls10(&c.rx, iv), 0);
		tls_protect_set_etm(&c.tx, etm);
		tls_protect_set_etm(&c.rx, etm);
		tls_buf recs[3] = {{0}};
		for (int i = 0; i < 3; i++) {
			assert_int_equal(tls_protect_seal(&c.tx, NULL, APPDATA, 0x0301, data, 17 + (size_t)i, &recs[i]), 0);
			/* no explicit IV: just whole blocks (+ the MAC outside them with etm) */
			size_t blocks = etm ? recs[i].len - c.s->mac_len : recs[i].len;
			assert_int_equal(blocks % 16, 0);
		}
		/* the second record cannot be opened before the first */
		assert_int_equal(tls_protect_open(&c.rx, APPDATA, 0x0301, recs[1].p, recs[1].len, &c.pt), BAD_MAC);
		for (int i = 0; i < 3; i++) {
			assert_int_equal(tls_protect_open(&c.rx, APPDATA, 0x0301, recs[i].p, recs[i].len, &c.pt), 0);
			assert_int_equal(c.pt.len, 17 + (size_t)i);
			assert_memory_equal(c.pt.p, data, c.pt.len);
			tls_buf_free(&recs[i]);
		}
		pair_free(&c);
	}
	pair g;
	pair_init(&g, 0x009C);
	assert_true(tls_protect_set_tls10(&g.tx, iv) < 0); /* GCM has no such mode */
	pair_free(&g);
}

static void test_truncation(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof suite_ids / sizeof suite_ids[0]; i++) {
		pair c;
		pair_init(&c, suite_ids[i]);
		assert_int_equal(tls_protect_seal(&c.tx, &c.rng, APPDATA, V12,
						  (const uint8_t *)"truncate me, please", 19, &c.rec),
				 0);
		for (size_t n = 0; n < c.rec.len; n++) {
			/* Cut from the end, then from the front. */
			assert_int_equal(tls_protect_open(&c.rx, APPDATA, V12, c.rec.p, n, &c.pt), BAD_MAC);
			assert_int_equal(c.pt.len, 0);
			assert_int_equal(tls_protect_open(&c.rx, APPDATA, V12, c.rec.p + c.rec.len - n, n,
							  &c.pt),
					 BAD_MAC);
			assert_int_equal(c.pt.len, 0);
		}
		assert_int_equal(tls_protect_open(&c.rx, APPDATA, V12, NULL, 0, &c.pt), BAD_MAC);
		pair_free(&c);
	}
}

static void test_cbc_length_not_block_multiple(void **state)
{
	(void)state;
	pair c;
	uint8_t junk[80];
	pair_init(&c, 0x002F);
	fill(junk, sizeof junk, 1);
	/* 48 is the shortest well-formed length for SHA-1; try around it. */
	static const size_t lens[] = {1, 15, 17, 31, 32, 33, 47, 49, 63, 65, 79};
	for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++)
		assert_int_equal(tls_protect_open(&c.rx, APPDATA, V12, junk, lens[i], &c.pt), BAD_MAC);
	/* A real record with one byte appended. */
	assert_int_equal(tls_protect_seal(&c.tx, &c.rng, APPDATA, V12, junk, 10, &c.rec), 0);
	assert_int_equal(tls_buf_u8(&c.rec, 0), 0);
	assert_int_equal(tls_protect_open(&c.rx, APPDATA, V12, c.rec.p, c.rec.len, &c.pt), BAD_MAC);
	pair_free(&c);
}

/* A CBC record built independently with libtomcrypt's own CBC mode, with the
 * padding length chosen by the test and optionally one padding byte broken. */
static void craft_cbc(const tls_suite *s, uint64_t seq, const uint8_t *pt, size_t pt_len,
		      size_t pad, int break_pad, tls_buf *out)
{
	uint8_t mac_key[48], key[32], iv[16], hdr[13], mac[48];
	unsigned long mac_len = (unsigned long)s->mac_len;
	size_t body = pt_len + s->mac_len + pad + 1;
	symmetric_CBC cbc;
	uint8_t *b = malloc(body);

	assert_non_null(b);
	assert_int_equal(body % 16, 0);
	fill(mac_key, sizeof mac_key, 0x10);
	fill(key, sizeof key, 0x40);
	fill(iv, sizeof iv, 0xE0);
	for (int i = 0; i < 8; i++)
		hdr[i] = (uint8_t)(seq >> (56 - 8 * i));
	hdr[8] = APPDATA;
	hdr[9] = 3;
	hdr[10] = 3;
	hdr[11] = (uint8_t)(pt_len >> 8);
	hdr[12] = (uint8_t)pt_len;
	memcpy(b, pt, pt_len);
	assert_int_equal(hmac_memory_multi(tls_suite_mac_hash(s), mac_key, (unsigned long)s->mac_key_len,
					   mac, &mac_len, hdr, 13UL, pt, (unsigned long)pt_len, NULL),
			 CRYPT_OK);
	memcpy(b + pt_len, mac, s->mac_len);
	memset(b + pt_len + s->mac_len, (int)pad, pad + 1);
	if (break_pad)
		b[pt_len + s->mac_len] ^= 1; /* the first padding byte */
	assert_int_equal(cbc_start(tls_cipher_aes(), iv, key, (int)s->key_len, 0, &cbc), CRYPT_OK);
	assert_int_equal(cbc_encrypt(b, b, (unsigned long)body, &cbc), CRYPT_OK);
	cbc_done(&cbc);
	tls_buf_clear(out);
	out->len = 0;
	assert_int_equal(tls_buf_put(out, iv, 16), 0);
	assert_int_equal(tls_buf_put(out, b, body), 0);
	free(b);
}

static void test_cbc_padding(void **state)
{
	(void)state;
	pair c;
	uint8_t msg[64];
	fill(msg, sizeof msg, 0x30);
	pair_init(&c, 0x002F);
	/* 20 + 20 + pad + 1 is a block multiple for pad = 7, 23, ..., 247. */
	for (size_t pad = 7; pad < 256; pad += 16) {
		craft_cbc(c.s, c.rx.seq, msg, 20, pad, 0, &c.rec);
		assert_int_equal(tls_protect_open(&c.rx, APPDATA, V12, c.rec.p, c.rec.len, &c.pt), 0);
		assert_int_equal(c.pt.len, 20);
		assert_memory_equal(c.pt.p, msg, 20);
		craft_cbc(c.s, c.rx.seq, msg, 20, pad, 1, &c.rec);
		assert_int_equal(tls_protect_open(&c.rx, APPDATA, V12, c.rec.p, c.rec.len, &c.pt), BAD_MAC);
		assert_int_equal(c.pt.len, 0);
	}
	/* A padding length reaching before the start of the record: 11 bytes of
	 * message, 20 of MAC, then a length byte turned from 0 into 255. */
	craft_cbc(c.s, c.rx.seq, msg, 11, 0, 0, &c.rec);
	c.rec.p[c.rec.len - 17] ^= 0xFF; /* CBC: flips the last plaintext byte to 0xFF */
	assert_int_equal(tls_protect_open(&c.rx, APPDATA, V12, c.rec.p, c.rec.len, &c.pt), BAD_MAC);
	pair_free(&c);
}

static void test_overflow(void **state)
{
	(void)state;
	uint8_t *big = calloc(1, TLS_MAX_CIPHERTEXT + 1);
	assert_non_null(big);
	for (size_t i = 0; i < sizeof suite_ids / sizeof suite_ids[0]; i++) {
		pair c;
		pair_init(&c, suite_ids[i]);
		assert_int_equal(tls_protect_seal(&c.tx, &c.rng, APPDATA, V12, big, 16385, &c.rec),
				 OVERFLOW);
		assert_int_equal(c.rec.len, 0);
		assert_int_equal(c.tx.seq, 0);
		assert_int_equal(
			tls_protect_open(&c.rx, APPDATA, V12, big, TLS_MAX_CIPHERTEXT + 1, &c.pt), OVERFLOW);
		/* The largest allowed fragment is judged on its merits. */
		int want = c.s->bulk == TLS_BULK_AES_GCM ? OVERFLOW : BAD_MAC;
		assert_int_equal(tls_protect_open(&c.rx, APPDATA, V12, big, TLS_MAX_CIPHERTEXT, &c.pt),
				 want);
		pair_free(&c);
	}
	/* A well-formed CBC record whose plaintext is one byte too long. */
	pair c;
	pair_init(&c, 0x002F);
	craft_cbc(c.s, 0, big, 16385, 10, 0, &c.rec);
	assert_int_equal(tls_protect_open(&c.rx, APPDATA, V12, c.rec.p, c.rec.len, &c.pt), OVERFLOW);
	assert_int_equal(c.pt.len, 0);
	pair_free(&c);
	free(big);
}

/* ---- known answers (made with Python cryptography, see file comment) ---- */

static void init_with(tls_protect *p, uint16_t id, uint8_t mac_from, uint8_t key_from,
		      const uint8_t *iv)
{
	uint8_t mac_key[48], key[32];
	fill(mac_key, sizeof mac_key, mac_from);
	fill(key, sizeof key, key_from);
	assert_int_equal(tls_protect_init(p, tls_suite_by_id(id), mac_key, key, iv), 0);
}

static void check_kat_open(tls_protect *p, uint8_t type, const char *hex, const char *want)
{
	uint8_t *rec = malloc(strlen(hex) / 2);
	tls_buf out = {0};
	assert_non_null(rec);
	size_t n = unhex(rec, hex);
	assert_int_equal(tls_protect_open(p, type, V12, rec, n, &out), 0);
	assert_int_equal(out.len, strlen(want));
	assert_memory_equal(out.p, want, out.len);
	tls_buf_free(&out);
	free(rec);
}

#define KAT_PT "tlsstep known answer"

/* AES-128-CBC + HMAC-SHA1, seq 5, mac key 20..33, key 40..4f, IV from the rng
 * seeded with 32 bytes of 0x77 (52f6f5b7...). */
#define KAT_CBC_SHA1                                                              \
	"52f6f5b7a04d1eeff2d0f12880ed82696a9b7933ebfd2bec432283b85342b68a9d5a0eb8fcfa55d0" \
	"ebcb61f52ad0deea290f6f26b8c2b1ef5f004c1103c4f672"

static void test_kat_cbc_sha1(void **state)
{
	(void)state;
	tls_protect tx, rx;
	tls_rng rng;
	tls_buf rec = {0};
	uint8_t want[96];
	size_t n = unhex(want, KAT_CBC_SHA1);
	init_with(&tx, 0x002F, 0x20, 0x40, NULL);
	init_with(&rx, 0x002F, 0x20, 0x40, NULL);
	tx.seq = rx.seq = 5;
	seeded_rng(&rng);
	assert_int_equal(tls_protect_seal(&tx, &rng, APPDATA, V12, (const uint8_t *)KAT_PT,
					  strlen(KAT_PT), &rec),
			 0);
	assert_int_equal(rec.len, n);
	assert_memory_equal(rec.p, want, n);
	check_kat_open(&rx, APPDATA, KAT_CBC_SHA1, KAT_PT);
	tls_buf_free(&rec);
	tls_rng_free(&rng);
	tls_protect_free(&tx);
	tls_protect_free(&rx);
}

/* AES-128-CBC + HMAC-SHA256, seq 7, type 22, mac key 60..7f, key 80..8f,
 * IV a0..af, 251 bytes of padding (plus the length byte). */
#define KAT_CBC_SHA256_PAD251                                                     \
	"a0a1a2a3a4a5a6a7a8a9aaabacadaeafaf12ecf70597012689b4038aac2169601960fa673b4d3808" \
	"74749c8352a66ae84abf6f5a1eb1415041704e8febf2688be8b415b9ed5208972f41edaa9e2419c0" \
	"bd75e9427bde73b078d12022ea9374f4b2d1b6ecbd22eca596415bacd9a0dba989d86312dc65a934" \
	"227577e497436f80b015b22e7b79aa615188565fcabea69b9e933d2a02d2e41e526fd24d1787645b" \
	"d98df70b70218ce52131d3e59804407627690c2dfe803f9e90024ff72b681a98c29438e987860408" \
	"0b95e4c6857bbef4042ca69a1d70aa870c8abd2a09344e57e07fc10f144c5315ec2004364bc3fec2" \
	"e16187b13d5ab626e39df5ba7201cf9ba9553c695941123578490a88ffa31fd771603fb450537131" \
	"8473e758b6f2ec26941caadc550fe126e9075063cc8a432d402959fc4d7713bfbc8a8bed6d76b419"

static void test_kat_cbc_sha256_long_padding(void **state)
{
	(void)state;
	tls_protect rx;
	init_with(&rx, 0x003C, 0x60, 0x80, NULL);
	rx.seq = 7;
	check_kat_open(&rx, 22, KAT_CBC_SHA256_PAD251, KAT_PT);
	assert_int_equal(rx.seq, 8);
	tls_protect_free(&rx);
}

/* AES-128-GCM, key c0..cf, salt a1b2c3d4, seq 5 (explicit nonce = seq). */
#define KAT_GCM                                                                   \
	"00000000000000050f838c58a7f522d88885178cafed655c4a9c4699f2ae2d60d87c67006eb866" \
	"1651d03ccb"
/* Same key, seq 0, type 21, empty plaintext: only the tag. */
#define KAT_GCM_EMPTY "000000000000000034b976596a6f7876e4fc8cfb0656ee61"

static void test_kat_gcm(void **state)
{
	(void)state;
	static const uint8_t salt[4] = {0xa1, 0xb2, 0xc3, 0xd4};
	tls_protect tx, rx;
	tls_buf rec = {0};
	uint8_t want[64];
	size_t n;

	init_with(&tx, 0x009C, 0, 0xc0, salt);
	init_with(&rx, 0x009C, 0, 0xc0, salt);
	assert_int_equal(tls_protect_seal(&tx, NULL, 21, V12, NULL, 0, &rec), 0);
	n = unhex(want, KAT_GCM_EMPTY);
	assert_int_equal(rec.len, n);
	assert_memory_equal(rec.p, want, n);
	check_kat_open(&rx, 21, KAT_GCM_EMPTY, "");

	tx.seq = rx.seq = 5;
	tls_buf_clear(&rec);
	rec.len = 0;
	assert_int_equal(tls_protect_seal(&tx, NULL, APPDATA, V12, (const uint8_t *)KAT_PT,
					  strlen(KAT_PT), &rec),
			 0);
	n = unhex(want, KAT_GCM);
	assert_int_equal(rec.len, n);
	assert_memory_equal(rec.p, want, n);
	check_kat_open(&rx, APPDATA, KAT_GCM, KAT_PT);
	tls_buf_free(&rec);
	tls_protect_free(&tx);
	tls_protect_free(&rx);
}

/* AES-256-GCM (0x009D), key 30..4f, salt 0f1e2d3c, seq 0102030405060708,
 * type 23, 300 bytes (i * 7 mod 256): many blocks and a partial last one. */
#define KAT_GCM256                                                                \
	"0102030405060708c9b72a97ea759ba038ac939524741d6e5eb63061c14cb699c2a885f9494504c2" \
	"b7701adcec569f2aaa1706c0ef23b67ad896094bbfe1063e5081411e7aa35461b6eec57ebe0c6972" \
	"dc29c19fda2e9c17c9a6206f2174c335ca3b6e8788977f884aca3f1c1511bdff466f80157e277f7d" \
	"d94b5847e74a6359daed1e7b299a6bbc3561530c2fbd9c60a3cbab739a221278a9168487436f4b9c" \
	"901177536ab0706405f2682afe282f2952fafdb94267826ba6166067f6060803f0e977203e8c82a3" \
	"8536650d2e9b24dff7482b5f30332c63e6ed878f0e8ddc2a996986c7f119d3e635ddd3971757d3e6" \
	"cdc2db41b22aa557bfacd73fc9fd03fbf988635b7bd6da7cc0dc46c6eb94d9b130ffededd25cf69c" \
	"9f33595c4443e020b6b6b19f81bb155af47b44f2ea28eb3df0f47c78947b561c64477554e9ef8ce3" \
	"743f21ca"

static void test_kat_gcm256(void **state)
{
	(void)state;
	static const uint8_t salt[4] = {0x0f, 0x1e, 0x2d, 0x3c};
	uint8_t pt[300], want[8 + 300 + 16];
	tls_protect tx, rx;
	tls_buf rec = {0}, out = {0};
	for (size_t i = 0; i < sizeof pt; i++)
		pt[i] = (uint8_t)(i * 7);
	init_with(&tx, 0x009D, 0, 0x30, salt);
	init_with(&rx, 0x009D, 0, 0x30, salt);
	tx.seq = rx.seq = 0x0102030405060708;
	assert_int_equal(tls_protect_seal(&tx, NULL, APPDATA, V12, pt, sizeof pt, &rec), 0);
	size_t n = unhex(want, KAT_GCM256);
	assert_int_equal(rec.len, n);
	assert_memory_equal(rec.p, want, n);
	assert_int_equal(tls_protect_open(&rx, APPDATA, V12, want, n, &out), 0);
	assert_int_equal(out.len, sizeof pt);
	assert_memory_equal(out.p, pt, sizeof pt);
	/* the computed tag must be compared: a flipped last tag bit is refused */
	want[n - 1] ^= 0x01;
	out.len = 0;
	assert_int_equal(tls_protect_open(&rx, APPDATA, V12, want, n, &out), BAD_MAC);
	tls_buf_free(&rec);
	tls_buf_free(&out);
	tls_protect_free(&tx);
	tls_protect_free(&rx);
}

static void test_init_and_free(void **state)
{
	(void)state;
	tls_protect p;
	uint8_t k[48] = {0};
	const tls_suite *cbc = tls_suite_by_id(0x002F), *gcm = tls_suite_by_id(0x009C);
	tls_buf out = {0};
	assert_true(tls_protect_init(NULL, cbc, k, k, k) < 0);
	assert_true(tls_protect_init(&p, NULL, k, k, k) < 0);
	assert_true(tls_protect_init(&p, cbc, NULL, k, k) < 0);
	assert_true(tls_protect_init(&p, cbc, k, NULL, k) < 0);
	assert_true(tls_protect_init(&p, gcm, NULL, k, NULL) < 0);
	/* An unready context refuses to work rather than abort. */
	assert_true(tls_protect_seal(&p, NULL, APPDATA, V12, k, 1, &out) < 0);
	assert_true(tls_protect_open(&p, APPDATA, V12, k, 48, &out) < 0);
	assert_int_equal(tls_protect_init(&p, gcm, NULL, k, k), 0);
	tls_protect_free(&p);
	const uint8_t *raw = (const uint8_t *)&p;
	for (size_t i = 0; i < sizeof p; i++)
		assert_int_equal(raw[i], 0);
	/* CBC needs the rng for its IV. */
	assert_int_equal(tls_protect_init(&p, cbc, k, k, NULL), 0);
	assert_true(tls_protect_seal(&p, NULL, APPDATA, V12, k, 1, &out) < 0);
	assert_int_equal(p.seq, 0);
	tls_protect_free(&p);
	tls_buf_free(&out);
}

static int setup(void **state)
{
	(void)state;
	return tls_crypto_init();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_seal_appends),
		cmocka_unit_test(test_sequence_and_header_bound),
		cmocka_unit_test(test_every_bit_flip),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_etm),
		cmocka_unit_test(test_tls10_chained_iv),
		cmocka_unit_test(test_cbc_length_not_block_multiple),
		cmocka_unit_test(test_cbc_padding),
		cmocka_unit_test(test_overflow),
		cmocka_unit_test(test_kat_cbc_sha1),
		cmocka_unit_test(test_kat_cbc_sha256_long_padding),
		cmocka_unit_test(test_kat_gcm),
		cmocka_unit_test(test_kat_gcm256),
		cmocka_unit_test(test_init_and_free),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
