/* The TLS 1.3 key schedule and X25519 against RFC 8448 (Example Handshake
 * Traces for TLS 1.3) and RFC 7748, byte for byte. Transcript hashes are
 * computed here from the handshake messages the RFC prints; the expected
 * values are the RFC's. The SHA-384 path, which RFC 8448 does not cover, is
 * checked against OpenSSL 3's HKDF and TLS13-KDF (commands beside the test).
 * Then the inputs the schedule must refuse. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "tls/alert.h"
#include "tls/crypto.h"
#include "tls/tls13_keys.h"
#include "tls/x25519.h"

/* Decodes hex, skipping spaces (the RFC prints bytes space separated);
 * returns the byte count. */
static size_t unhex(uint8_t *out, size_t cap, const char *hex)
{
	size_t n = 0;
	while (*hex) {
		unsigned v;
		if (*hex == ' ') {
			hex++;
			continue;
		}
		assert_true(n < cap);
		assert_int_equal(sscanf(hex, "%2x", &v), 1);
		out[n++] = (uint8_t)v;
		hex += 2;
	}
	return n;
}

static void assert_hex(const uint8_t *got, size_t n, const char *want)
{
	uint8_t w[128];
	assert_int_equal(unhex(w, sizeof w, want), n);
	assert_memory_equal(got, w, n);
}

/* RFC 8448 section 3, the handshake messages (headers included) the
 * transcript hashes run over: ClientHello, ServerHello, EncryptedExtensions,
 * Certificate, CertificateVerify, server Finished, client Finished. */
static const char rfc8448_ch[] = "010000c00303cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef"
                                 "6283024dece7000006130113031302010000910000000b000900000673657276"
                                 "6572ff01000100000a00140012001d0017001800190100010101020103010400"
                                 "230000003300260024001d002099381de560e4bd43d23d8e435a7dbafeb3c06e"
                                 "51c13cae4d5413691e529aaf2c002b0003020304000d0020001e040305030603"
                                 "020308040805080604010501060102010402050206020202002d00020101001c"
                                 "00024001";
static const char rfc8448_sh[] = "020000560303a6af06a4121860dc5e6e60249cd34c95930c8ac5cb1434dac155"
                                 "772ed3e2692800130100002e00330024001d0020c9828876112095fe66762bdb"
                                 "f7c672e156d6cc253b833df1dd69b1b04e751f0f002b00020304";
static const char rfc8448_ee[] = "080000240022000a00140012001d00170018001901000101010201030104001c"
                                 "0002400100000000";
static const char rfc8448_cert[] = "0b0001b9000001b50001b0308201ac30820115a003020102020102300d06092a"
                                   "864886f70d01010b0500300e310c300a06035504031303727361301e170d3136"
                                   "303733303031323335395a170d3236303733303031323335395a300e310c300a"
                                   "0603550403130372736130819f300d06092a864886f70d010101050003818d00"
                                   "30818902818100b4bb498f8279303d980836399b36c6988c0c68de55e1bdb826"
                                   "d3901a2461eafd2de49a91d015abbc9a95137ace6c1af19eaa6af98c7ced4312"
                                   "0998e187a80ee0ccb0524b1b018c3e0b63264d449a6d38e22a5fda4308467480"
                                   "30530ef0461c8ca9d9efbfae8ea6d1d03e2bd193eff0ab9a8002c47428a6d35a"
                                   "8d88d79f7f1e3f0203010001a31a301830090603551d1304023000300b060355"
                                   "1d0f0404030205a0300d06092a864886f70d01010b05000381810085aad2a0e5"
                                   "b9276b908c65f73a7267170618a54c5f8a7b337d2df7a594365417f2eae8f8a5"
                                   "8c8f8172f9319cf36b7fd6c55b80f21a03015156726096fd335e5e67f2dbf102"
                                   "702e608ccae6bec1fc63a42a99be5c3eb7107c3c54e9b9eb2bd5203b1c3b84e0"
                                   "a8b2f759409ba3eac9d91d402dcc0cc8f8961229ac9187b42b4de10000";
static const char rfc8448_cv[] = "0f000084080400805a747c5d88fa9bd2e55ab085a61015b7211f824cd484145a"
                                 "b3ff52f1fda8477b0b7abc90db78e2d33a5c141a078653fa6bef780c5ea248ee"
                                 "aaa785c4f394cab6d30bbe8d4859ee511f602957b15411ac027671459e46445c"
                                 "9ea58c181e818e95b8c3fb0bf3278409d3be152a3da5043e063dda65cdf5aea2"
                                 "0d53dfacd42f74f3";
static const char rfc8448_sf[] = "140000209b9b141d906337fbd2cbdce71df4deda4ab42c309572cb7fffee5454"
                                 "b78f0718";
static const char rfc8448_cf[] = "14000020a8ec436d677634ae525ac1fcebe11a039ec17694fac6e98527b642f2"
                                 "edd5ce61";

/* Hash of the first n of the messages above, in order. */
static void transcript(int hash, size_t n, uint8_t *out)
{
	static const char *const msgs[] = {rfc8448_ch, rfc8448_sh, rfc8448_ee, rfc8448_cert,
	                                   rfc8448_cv, rfc8448_sf, rfc8448_cf};
	static uint8_t buf[2048];
	size_t len = 0;
	assert_true(n <= sizeof msgs / sizeof msgs[0]);
	for (size_t i = 0; i < n; i++)
		len += unhex(buf + len, sizeof buf - len, msgs[i]);
	assert_int_equal(tls13_transcript_hash(hash, buf, len, out), 0);
}

static int setup(void **state)
{
	(void)state;
	return tls_crypto_init();
}

/* RFC 7748 6.1: Alice's and Bob's key pairs and their shared secret. */
static void test_x25519_rfc7748(void **state)
{
	(void)state;
	uint8_t a[32], b[32], pa[32], pb[32], k1[32], k2[32];
	unhex(a, 32, "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
	unhex(b, 32, "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
	assert_int_equal(tls_x25519_keygen(a, pa), 0);
	assert_int_equal(tls_x25519_keygen(b, pb), 0);
	assert_hex(pa, 32, "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
	assert_hex(pb, 32, "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
	assert_int_equal(tls_x25519_shared(a, pb, 32, k1), 0);
	assert_int_equal(tls_x25519_shared(b, pa, 32, k2), 0);
	assert_hex(k1, 32, "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
	assert_memory_equal(k1, k2, 32);
}

/* RFC 7748 6.1 / RFC 8446 7.4.2: a peer key of small order (here u = 0 and
 * u = 1) gives the all-zero secret, which ends the handshake; so does a key
 * of the wrong length. */
static void test_x25519_bad_peer(void **state)
{
	(void)state;
	uint8_t priv[32], peer[33] = {0}, out[32];
	unhex(priv, 32, "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
	memset(out, 0xaa, sizeof out);
	assert_int_equal(tls_x25519_shared(priv, peer, 32, out), TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER));
	for (size_t i = 0; i < 32; i++)
		assert_int_equal(out[i], 0);
	peer[0] = 1;
	assert_int_equal(tls_x25519_shared(priv, peer, 32, out), TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER));
	peer[0] = 9; /* the base point: a fine key, but not 31 or 33 bytes long */
	assert_int_equal(tls_x25519_shared(priv, peer, 31, out), TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER));
	assert_int_equal(tls_x25519_shared(priv, peer, 33, out), TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER));
	assert_int_equal(tls_x25519_shared(priv, NULL, 32, out), TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER));
	assert_int_equal(tls_x25519_shared(priv, peer, 32, out), 0);
	assert_int_equal(tls_x25519_keygen(NULL, out), TLS_ERR_INTERNAL);
}

/* RFC 8448 section 3, "Simple 1-RTT Handshake", TLS_AES_128_GCM_SHA256:
 * from the two x25519 private keys to every secret, key, IV and both
 * Finished verify_data. */
static void test_rfc8448_simple_1rtt(void **state)
{
	(void)state;
	const int h = tls_hash_sha256();
	uint8_t cpriv[32], spriv[32], cpub[32], spub[32], ecdhe[32], ecdhe2[32];
	uint8_t th[TLS13_HASH_MAX], key[16], iv[12], vd[TLS13_HASH_MAX], psk[32];
	tls13_sched s;

	/* 3: {client} create an ephemeral x25519 key pair */
	unhex(cpriv, 32,
	      "49 af 42 ba 7f 79 94 85 2d 71 3e f2 78 4b cb ca a7 91 1d e2 6a dc 56 42 cb 63 45 40 e7 ea 50 "
	      "05");
	assert_int_equal(tls_x25519_keygen(cpriv, cpub), 0);
	assert_hex(cpub, 32,
	           "99 38 1d e5 60 e4 bd 43 d2 3d 8e 43 5a 7d ba fe b3 c0 6e 51 c1 3c ae 4d 54 13 69 1e 52 "
	           "9a af 2c");
	/* 3: {server} create an ephemeral x25519 key pair */
	unhex(spriv, 32,
	      "b1 58 0e ea df 6d d5 89 b8 ef 4f 2d 56 52 57 8c c8 10 e9 98 01 91 ec 8d 05 83 08 ce a2 16 a2 "
	      "1e");
	assert_int_equal(tls_x25519_keygen(spriv, spub), 0);
	assert_hex(spub, 32,
	           "c9 82 88 76 11 20 95 fe 66 76 2b db f7 c6 72 e1 56 d6 cc 25 3b 83 3d f1 dd 69 b1 b0 4e "
	           "75 1f 0f");
	/* 3: {server} extract secret "handshake": IKM, from both sides */
	assert_int_equal(tls_x25519_shared(spriv, cpub, 32, ecdhe), 0);
	assert_int_equal(tls_x25519_shared(cpriv, spub, 32, ecdhe2), 0);
	assert_memory_equal(ecdhe, ecdhe2, 32);
	assert_hex(ecdhe, 32,
	           "8b d4 05 4f b5 5b 9d 63 fd fb ac f9 f0 4b 9f 0d 35 e6 d6 3f 53 75 63 ef d4 62 72 90 0f "
	           "89 49 2d");

	/* 3: {server} extract secret "early" */
	assert_int_equal(tls13_sched_init(&s, h, NULL, 0, 0), 0);
	assert_hex(s.early, 32,
	           "33 ad 0a 1c 60 7e c0 3b 09 e6 cd 98 93 68 0c e2 10 ad f3 00 aa 1f 26 60 e1 b2 2e 10 f1 "
	           "70 f9 2a");
	assert_null(tls13_sched_find(&s, "binder_key"));

	/* 3: {server} derive secret for handshake "tls13 derived", extract
	 * secret "handshake", derive secret "tls13 c hs traffic" / "tls13 s hs
	 * traffic"; the hash (32 octets) printed there is Hash(CH..SH). */
	transcript(h, 2, th);
	assert_hex(th, 32,
	           "86 0c 06 ed c0 78 58 ee 8e 78 f0 e7 42 8c 58 ed d6 b4 3f 2c a3 e6 e9 5f 02 ed 06 3c f0 "
	           "e1 ca d8");
	assert_int_equal(tls13_sched_handshake(&s, ecdhe, 32, th, 32), 0);
	assert_hex(tls13_sched_find(&s, "derived_for_handshake")->value, 32,
	           "6f 26 15 a1 08 c7 02 c5 67 8f 54 fc 9d ba b6 97 16 c0 76 18 9c 48 25 0c eb ea c3 57 6c "
	           "36 11 ba");
	assert_hex(s.handshake, 32,
	           "1d c8 26 e9 36 06 aa 6f dc 0a ad c1 2f 74 1b 01 04 6a a6 b9 9f 69 1e d2 21 a9 f0 ca 04 "
	           "3f be ac");
	assert_hex(s.client_hs, 32,
	           "b3 ed db 12 6e 06 7f 35 a7 80 b3 ab f4 5e 2d 8f 3b 1a 95 07 38 f5 2e 96 00 74 6a 0e 27 "
	           "a5 5a 21");
	assert_hex(s.server_hs, 32,
	           "b6 7b 7d 69 0c c1 6c 4e 75 e5 42 13 cb 2d 37 b4 e9 c9 12 bc de d9 10 5d 42 be fd 59 d3 "
	           "91 ad 38");

	/* 3: {server} derive write traffic keys for handshake data */
	assert_int_equal(tls13_sched_keys(&s, TLS13_SERVER_HANDSHAKE, key, 16, iv, 12), 0);
	assert_hex(key, 16, "3f ce 51 60 09 c2 17 27 d0 f2 e4 e8 6e e4 03 bc");
	assert_hex(iv, 12, "5d 31 3e b2 67 12 76 ee 13 00 0b 30");
	/* 3: {server} derive read traffic keys for handshake data */
	assert_int_equal(tls13_sched_keys(&s, TLS13_CLIENT_HANDSHAKE, key, 16, iv, 12), 0);
	assert_hex(key, 16, "db fa a6 93 d1 76 2c 5b 66 6a f5 d9 50 25 8d 01");
	assert_hex(iv, 12, "5b d3 c7 1b 83 6e 0b 76 bb 73 26 5f");

	/* 3: {server} calculate finished "tls13 finished", over Hash(CH..CV) */
	transcript(h, 5, th);
	assert_int_equal(tls13_sched_finished(&s, 0, th, 32, vd), 0);
	assert_hex(tls13_sched_find(&s, "server_finished_key")->value, 32,
	           "00 8d 3b 66 f8 16 ea 55 9f 96 b5 37 e8 85 c3 1f c0 68 bf 49 2c 65 2f 01 f2 88 a1 d8 cd "
	           "c1 9f c8");
	assert_hex(vd, 32,
	           "9b 9b 14 1d 90 63 37 fb d2 cb dc e7 1d f4 de da 4a b4 2c 30 95 72 cb 7f ff ee 54 54 b7 "
	           "8f 07 18");

	/* 3: {server} derive secret for master "tls13 derived", extract secret
	 * "master", derive secret "tls13 c ap traffic" / "tls13 s ap traffic" /
	 * "tls13 exp master", over Hash(CH..server Finished) */
	transcript(h, 6, th);
	assert_hex(th, 32,
	           "96 08 10 2a 0f 1c cc 6d b6 25 0b 7b 7e 41 7b 1a 00 0e aa da 3d aa e4 77 7a 76 86 c9 ff "
	           "83 df 13");
	assert_int_equal(tls13_sched_master(&s, th, 32), 0);
	assert_hex(tls13_sched_find(&s, "derived_for_master")->value, 32,
	           "43 de 77 e0 c7 77 13 85 9a 94 4d b9 db 25 90 b5 31 90 a6 5b 3e e2 e4 f1 2d d7 a0 bb 7c "
	           "e2 54 b4");
	assert_hex(s.master, 32,
	           "18 df 06 84 3d 13 a0 8b f2 a4 49 84 4c 5f 8a 47 80 01 bc 4d 4c 62 79 84 d5 a4 1d a8 d0 "
	           "40 29 19");
	assert_hex(s.client_ap, 32,
	           "9e 40 64 6c e7 9a 7f 9d c0 5a f8 88 9b ce 65 52 87 5a fa 0b 06 df 00 87 f7 92 eb b7 c1 "
	           "75 04 a5");
	assert_hex(s.server_ap, 32,
	           "a1 1a f9 f0 55 31 f8 56 ad 47 11 6b 45 a9 50 32 82 04 b4 f4 4b fb 6b 3a 4b 4f 1f 3f cb "
	           "63 16 43");
	assert_hex(s.exporter, 32,
	           "fe 22 f8 81 17 6e da 18 eb 8f 44 52 9e 67 92 c5 0c 9a 3f 89 45 2f 68 d8 ae 31 1b 43 09 "
	           "d3 cf 50");

	/* 3: {server} derive write traffic keys for application data */
	assert_int_equal(tls13_sched_keys(&s, TLS13_SERVER_APPLICATION, key, 16, iv, 12), 0);
	assert_hex(key, 16, "9f 02 28 3b 6c 9c 07 ef c2 6b b9 f2 ac 92 e3 56");
	assert_hex(iv, 12, "cf 78 2b 88 dd 83 54 9a ad f1 e9 84");
	/* 3: {server} derive read traffic keys for application data */
	assert_int_equal(tls13_sched_keys(&s, TLS13_CLIENT_APPLICATION, key, 16, iv, 12), 0);
	assert_hex(key, 16, "17 42 2d da 59 6e d5 d9 ac d8 90 e3 c6 3f 50 51");
	assert_hex(iv, 12, "5b 78 92 3d ee 08 57 90 33 e5 23 d9");

	/* 3: {client} calculate finished "tls13 finished", over Hash(CH..server Finished) */
	assert_int_equal(tls13_sched_finished(&s, 1, th, 32, vd), 0);
	assert_hex(tls13_sched_find(&s, "client_finished_key")->value, 32,
	           "b8 0a d0 10 15 fb 2f 0b d6 5f f7 d4 da 5d 6b f8 3f 84 82 1d 1f 87 fd c7 d3 c7 5b 5a 7b "
	           "42 d9 c4");
	assert_hex(vd, 32,
	           "a8 ec 43 6d 67 76 34 ae 52 5a c1 fc eb e1 1a 03 9e c1 76 94 fa c6 e9 85 27 b6 42 f2 ed "
	           "d5 ce 61");

	/* 3: {server} derive secret "tls13 res master", over Hash(CH..client Finished) */
	transcript(h, 7, th);
	assert_int_equal(tls13_sched_resumption(&s, th, 32), 0);
	assert_hex(s.resumption, 32,
	           "7d f2 35 f2 03 1d 2a 05 12 87 d0 2b 02 41 b0 bf da f8 6c c8 56 23 1f 2d 5a ba 46 c4 34 "
	           "ec 19 6c");
	/* 3: {server} generate resumption secret "tls13 resumption", ticket_nonce 00 00 */
	const uint8_t nonce[2] = {0, 0};
	assert_int_equal(tls13_resumption_psk(h, s.resumption, 32, nonce, 2, psk), 0);
	assert_hex(psk, 32,
	           "4e cd 0e b6 ec 3b 4d 87 f5 d6 02 8f 92 2c a4 c5 85 1a 27 7f d4 13 11 c9 e6 2d 2c 94 92 "
	           "e1 c4 f3");

	/* The trace holds each step once, in order, each with its input. */
	const tls13_step *t = tls13_sched_find(&s, "client_handshake_traffic_secret");
	assert_non_null(t);
	assert_string_equal(t->label, "c hs traffic");
	assert_string_equal(t->from, "handshake_secret");
	assert_int_equal(t->context_len, 32);
	t = tls13_sched_find(&s, "handshake_secret");
	assert_null(t->label);
	assert_string_equal(t->ikm, "(ec)dhe");
	assert_string_equal(s.trace[0].name, "early_secret");
	assert_string_equal(s.trace[s.trace_len - 1].name, "resumption_master_secret");
	assert_int_equal(s.trace_len, 23);

	tls13_sched_free(&s);
	for (size_t i = 0; i < sizeof s.master; i++)
		assert_int_equal(s.master[i], 0);
}

/* RFC 8448 section 4, "Resumed 0-RTT Handshake": the PSK of section 3's
 * ticket makes the early secret and the resumption binder key; the binder
 * is a Finished over the binder hash the RFC prints (the truncated
 * ClientHello's hash). */
static void test_rfc8448_resumed_binder(void **state)
{
	(void)state;
	const int h = tls_hash_sha256();
	uint8_t psk[32], bh[32], fk[32], binder[32];
	tls13_sched s, ext;

	/* 4: {client} extract secret "early" (same as server early secret) */
	unhex(psk, 32,
	      "4e cd 0e b6 ec 3b 4d 87 f5 d6 02 8f 92 2c a4 c5 85 1a 27 7f d4 13 11 c9 e6 2d 2c 94 92 e1 c4 "
	      "f3");
	assert_int_equal(tls13_sched_init(&s, h, psk, 32, 1), 0);
	assert_hex(s.early, 32,
	           "9b 21 88 e9 b2 fc 6d 64 d7 1d c3 29 90 0e 20 bb 41 91 50 00 f6 78 aa 83 9c bb 79 7c b7 "
	           "d8 33 2c");
	/* 4: {client} derive secret "tls13 res binder" */
	assert_hex(s.binder_key, 32,
	           "69 fe 13 1a 3b ba d5 d6 3c 64 ee bc c3 0e 39 5b 9d 81 07 72 6a 13 d0 74 e3 89 db c8 a4 "
	           "e4 72 56");
	assert_string_equal(tls13_sched_find(&s, "binder_key")->label, "res binder");
	/* 4: {client} calculate finished "tls13 finished" (the binder) */
	unhex(bh, 32,
	      "63 22 4b 2e 45 73 f2 d3 45 4c a8 4b 9d 00 9a 04 f6 be 9e 05 71 1a 83 96 47 3a ef a0 1e 92 4a "
	      "14");
	assert_int_equal(tls13_finished(h, s.binder_key, 32, bh, 32, fk, binder), 0);
	assert_hex(fk, 32,
	           "55 88 67 3e 72 cb 59 c8 7d 22 0c af fe 94 f2 de a9 a3 b1 60 9f 7d 50 e9 0a 48 22 7d b9 "
	           "ed 7e aa");
	assert_hex(binder, 32,
	           "3a dd 4f b2 d8 fd f8 22 a0 ca 3c f7 67 8e f5 e8 8d ae 99 01 41 c5 92 4d 57 bb 6f a3 1b "
	           "9e 5f 9d");

	/* An external PSK with the same bytes gets another binder key, so one
	 * kind of PSK cannot pass for the other (RFC 8446 7.1). */
	assert_int_equal(tls13_sched_init(&ext, h, psk, 32, 0), 0);
	assert_memory_equal(ext.early, s.early, 32);
	assert_memory_not_equal(ext.binder_key, s.binder_key, 32);
	assert_string_equal(tls13_sched_find(&ext, "binder_key")->label, "ext binder");
	tls13_sched_free(&s);
	tls13_sched_free(&ext);
}

/* SHA-384 (TLS_AES_256_GCM_SHA384), which RFC 8448 has no trace for, against
 * OpenSSL 3.0. Z = 48 zero bytes, TH = SHA-384("tlsstep"), shared = the RFC
 * 7748 6.1 secret:
 *   E=$(openssl kdf -keylen 48 -kdfopt digest:SHA384 -kdfopt mode:EXTRACT_ONLY
 *       -kdfopt hexsalt:$Z -kdfopt hexkey:$Z HKDF)
 *   D=$(openssl kdf -keylen 48 -kdfopt digest:SHA384 -kdfopt mode:EXPAND_ONLY -kdfopt hexkey:$E
 *       -kdfopt hexprefix:746c73313320 -kdfopt label:derived -kdfopt hexdata:<SHA-384("")> TLS13-KDF)
 *   then HKDF extract with salt D, TLS13-KDF "c hs traffic" with TH, "key" (32), "iv" (12),
 *   "finished" (48) and openssl dgst -sha384 -mac HMAC over TH. */
static void test_sha384_openssl(void **state)
{
	(void)state;
	const int h = tls_hash_sha384();
	uint8_t shared[32], th[48], key[32], iv[12], vd[48];
	tls13_sched s;

	unhex(shared, 32, "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
	assert_int_equal(tls13_transcript_hash(h, (const uint8_t *)"tlsstep", 7, th), 0);
	assert_hex(th, 48,
	           "3fa7a46dbb058b937ffe9e46fe70f9e16c90514024eed6f45e8833e69801678d667895291adf050281181305b"
	           "7f0797d");
	assert_int_equal(tls13_sched_init(&s, h, NULL, 0, 0), 0);
	assert_hex(s.early, 48,
	           "7ee8206f5570023e6dc7519eb1073bc4e791ad37b5c382aa10ba18e2357e716971f9362f2c2fe2a76bfd78dfe"
	           "c4ea9b5");
	assert_int_equal(tls13_sched_handshake(&s, shared, 32, th, 48), 0);
	assert_hex(tls13_sched_find(&s, "derived_for_handshake")->value, 48,
	           "1591dac5cbbf0330a4a84de9c753330e92d01f0a88214b4464972fd668049e93e52f2b16fad922fdc05844784"
	           "28f282b");
	assert_hex(s.handshake, 48,
	           "15612a01e8a1c1166d6ecbce18e3ecdcb3889abce08df71d959166ee5fb8a2d1f33419defe06354e494fcd84b"
	           "6545ec6");
	assert_hex(s.client_hs, 48,
	           "67b084709f3595e21e797c11c4094cae3474667313edff29df438953f101dbc930f1dc8f1081bbe428fdacb22"
	           "b4afad9");
	assert_hex(s.server_hs, 48,
	           "21f7bb1d1b26c15b0d7a2e41a8e02f11a015f61d266a2ece0c9b5c351eef2040501e8df721e11a4f0789d5930"
	           "0949163");
	assert_int_equal(tls13_sched_keys(&s, TLS13_CLIENT_HANDSHAKE, key, 32, iv, 12), 0);
	assert_hex(key, 32, "c23852c6888ca5ebdbf8516a668f7a8e3033da480be74ae21979f8670d1fa270");
	assert_hex(iv, 12, "5c7cdc47390071847fc13608");
	assert_int_equal(tls13_sched_finished(&s, 1, th, 48, vd), 0);
	assert_hex(tls13_sched_find(&s, "client_finished_key")->value, 48,
	           "3b17dff7685fbcd925430f81cd6f77e5a80cdcc81c8a4688bdcd6592620a12aa9c718b764399bfe86398b6cd3"
	           "91b37d1");
	assert_hex(vd, 48,
	           "04cdce496e2d9f1737737a147265a6558f78c8294e3fac6726358ebfa9cbbabfe996c338a69a7538525d5bb85"
	           "074a85a");
	tls13_sched_free(&s);
}

/* HKDF-Expand-Label's limits (RFC 8446 7.1: label<7..255> with the
 * "tls13 " prefix, context<0..255>, a uint16 length; RFC 5869: at most 255
 * hash lengths) and the schedule's order and lengths. */
static void test_bad_inputs(void **state)
{
	(void)state;
	const int h = tls_hash_sha256();
	uint8_t secret[32] = {1}, ctx[256] = {0}, out[255 * 32 + 1], th[32] = {0};
	char label[TLS13_LABEL_MAX + 2];
	tls13_sched s;

	memset(label, 'a', sizeof label - 1);
	label[sizeof label - 1] = '\0';
	/* 249 label bytes fit (255 with the prefix), 250 do not. */
	label[TLS13_LABEL_MAX] = '\0';
	assert_int_equal(tls13_expand_label(h, secret, 32, label, NULL, 0, out, 32), 0);
	label[TLS13_LABEL_MAX] = 'a';
	assert_int_equal(tls13_expand_label(h, secret, 32, label, NULL, 0, out, 32), TLS_ERR_INTERNAL);
	assert_int_equal(tls13_expand_label(h, secret, 32, "", NULL, 0, out, 32), TLS_ERR_INTERNAL);
	assert_int_equal(tls13_expand_label(h, secret, 32, NULL, NULL, 0, out, 32), TLS_ERR_INTERNAL);
	/* Context: 255 bytes fit, 256 do not; a length without bytes fails. */
	assert_int_equal(tls13_expand_label(h, secret, 32, "key", ctx, 255, out, 32), 0);
	assert_int_equal(tls13_expand_label(h, secret, 32, "key", ctx, 256, out, 32), TLS_ERR_INTERNAL);
	assert_int_equal(tls13_expand_label(h, secret, 32, "key", NULL, 5, out, 32), TLS_ERR_INTERNAL);
	/* Output: 1 to 255 * 32 bytes. */
	assert_int_equal(tls13_expand_label(h, secret, 32, "key", NULL, 0, out, 0), TLS_ERR_INTERNAL);
	assert_int_equal(tls13_expand_label(h, secret, 32, "key", NULL, 0, out, 255 * 32), 0);
	assert_int_equal(tls13_expand_label(h, secret, 32, "key", NULL, 0, out, 255 * 32 + 1),
	                 TLS_ERR_INTERNAL);
	/* No secret, or a hash no TLS 1.3 suite uses. */
	assert_int_equal(tls13_expand_label(h, secret, 0, "key", NULL, 0, out, 16), TLS_ERR_INTERNAL);
	assert_int_equal(tls13_expand_label(h, NULL, 32, "key", NULL, 0, out, 16), TLS_ERR_INTERNAL);
	assert_int_equal(tls13_expand_label(tls_hash_sha1(), secret, 32, "key", NULL, 0, out, 16),
	                 TLS_ERR_INTERNAL);
	assert_int_equal(tls13_expand_label(-1, secret, 32, "key", NULL, 0, out, 16), TLS_ERR_INTERNAL);
	/* Derive-Secret wants a transcript hash of the hash's length. */
	assert_int_equal(tls13_derive_secret(h, secret, 32, "derived", th, 31, out), TLS_ERR_INTERNAL);
	assert_int_equal(tls13_derive_secret(h, secret, 32, "derived", NULL, 32, out), TLS_ERR_INTERNAL);
	assert_int_equal(tls13_resumption_psk(h, secret, 32, ctx, 256, out), TLS_ERR_INTERNAL);
	assert_int_equal(tls13_finished(h, secret, 32, th, 48, NULL, out), TLS_ERR_INTERNAL);

	/* The schedule: a PSK longer than allowed, steps out of order, an
	 * empty or oversize shared secret, a transcript hash of the wrong size. */
	assert_int_equal(tls13_sched_init(&s, h, ctx, TLS13_PSK_MAX + 1, 0), TLS_ERR_INTERNAL);
	assert_int_equal(tls13_sched_init(&s, tls_hash_sha1(), NULL, 0, 0), TLS_ERR_INTERNAL);
	assert_int_equal(tls13_sched_init(&s, h, NULL, 0, 0), 0);
	assert_int_equal(tls13_sched_master(&s, th, 32), TLS_ERR_INTERNAL);
	assert_int_equal(tls13_sched_keys(&s, TLS13_CLIENT_HANDSHAKE, out, 16, out + 16, 12),
	                 TLS_ERR_INTERNAL);
	assert_int_equal(tls13_sched_finished(&s, 1, th, 32, out), TLS_ERR_INTERNAL);
	assert_int_equal(tls13_sched_handshake(&s, secret, 0, th, 32), TLS_ERR_INTERNAL);
	assert_int_equal(tls13_sched_handshake(&s, out, TLS13_SHARED_MAX + 1, th, 32), TLS_ERR_INTERNAL);
	assert_int_equal(tls13_sched_handshake(&s, secret, 32, th, 48), TLS_ERR_INTERNAL);
	assert_int_equal(tls13_sched_handshake(&s, secret, 32, th, 32), 0);
	assert_int_equal(tls13_sched_handshake(&s, secret, 32, th, 32), TLS_ERR_INTERNAL);
	assert_int_equal(tls13_sched_keys(&s, TLS13_CLIENT_APPLICATION, out, 16, out + 16, 12),
	                 TLS_ERR_INTERNAL);
	assert_int_equal(tls13_sched_keys(&s, (enum tls13_traffic)7, out, 16, out + 16, 12),
	                 TLS_ERR_INTERNAL);
	assert_int_equal(tls13_sched_resumption(&s, th, 32), TLS_ERR_INTERNAL);
	tls13_sched_free(&s);
	tls13_sched_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_x25519_rfc7748),      cmocka_unit_test(test_x25519_bad_peer),
	    cmocka_unit_test(test_rfc8448_simple_1rtt), cmocka_unit_test(test_rfc8448_resumed_binder),
	    cmocka_unit_test(test_sha384_openssl),      cmocka_unit_test(test_bad_inputs),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
