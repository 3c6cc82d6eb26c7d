/* RFC 8448 (Example Handshake Traces for TLS 1.3) sections 4 and 5 against
 * the TLS 1.3 key schedule, byte for byte; test_tls13_keys.c covers section
 * 3 and section 4 up to the binder.
 *
 * Section 4, "Resumed 0-RTT Handshake": from section 3's resumption master
 * secret and ticket nonce to the PSK, then every secret of the schedule
 * (early, binder key and binder, client early traffic, early exporter,
 * handshake with the section's x25519 shared secret, both handshake traffic
 * secrets, master, both application traffic secrets, exporter, resumption
 * master), the traffic keys and IVs and both Finished.
 *
 * Section 5, "HelloRetryRequest": the transcript restarts with the
 * message_hash replacement of RFC 8446 4.4.1 (Hash(ClientHello1) wrapped as
 * a handshake message of type 254), computed here from libtomcrypt's SHA-256
 * since the engine has no helper for it; then every secret, key, IV and both
 * Finished verify_data. The section's ECDHE is P-256; its shared secret is
 * the RFC's printed IKM.
 *
 * Transcript hashes are computed from the RFC's handshake messages; the
 * expected values are the RFC's, cited by section and step. The RFC prints
 * the messages the server and client encrypt and the records they send: each
 * record is rebuilt here with AES-128-GCM (RFC 8446 5.2, 5.3) from the
 * derived key and IV and the message bytes, and must equal the RFC's record,
 * which checks the keys, the IVs and, for section 5's client Finished (which
 * the RFC prints only inside its record), the verify_data computed here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <tomcrypt.h>

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

/* Comparisons made byte for byte against the RFC's values, for the count. */
static unsigned compared;

static void assert_hex(const uint8_t *got, size_t n, const char *want)
{
	uint8_t w[128];
	assert_int_equal(unhex(w, sizeof w, want), n);
	assert_memory_equal(got, w, n);
	compared++;
}

/* The handshake messages so far, headers included. */
typedef struct {
	uint8_t buf[4096];
	size_t len;
} transcript;

static void add_hex(transcript *t, const char *hex)
{
	t->len += unhex(t->buf + t->len, sizeof t->buf - t->len, hex);
}

static void add_bytes(transcript *t, const uint8_t *b, size_t n)
{
	assert_true(n <= sizeof t->buf - t->len);
	memcpy(t->buf + t->len, b, n);
	t->len += n;
}

/* Transcript-Hash of the first n bytes (all of them when n is 0). */
static void th_of(const transcript *t, size_t n, uint8_t *out)
{
	assert_int_equal(tls13_transcript_hash(tls_hash_sha256(), t->buf, n ? n : t->len, out), 0);
}

/* Seals TLSInnerPlaintext (content, then the type, no padding) with
 * AES-128-GCM under key, iv and sequence number seq (RFC 8446 5.3: the nonce
 * is the IV xored with the sequence number; the additional data is the
 * record header), and compares the result with the RFC's complete record. */
static void assert_record(const uint8_t key[16], const uint8_t iv[12], uint64_t seq, const uint8_t *content,
                          size_t len, uint8_t type, const char *record_hex)
{
	uint8_t rec[1024], inner[1024], ct[1024], tag[16], nonce[12];
	unsigned long taglen = sizeof tag;
	size_t n = unhex(rec, sizeof rec, record_hex);

	assert_true(len + 1 <= sizeof inner);
	memcpy(inner, content, len);
	inner[len] = type;
	assert_int_equal(n, 5 + len + 1 + 16);
	assert_int_equal(rec[0], 0x17); /* opaque_type application_data */
	memcpy(nonce, iv, 12);
	for (int i = 0; i < 8; i++)
		nonce[11 - i] ^= (uint8_t)(seq >> (8 * i));
	assert_int_equal(gcm_memory(tls_cipher_aes(), key, 16, nonce, 12, rec, 5, inner, len + 1, ct, tag,
	                            &taglen, GCM_ENCRYPT),
	                 CRYPT_OK);
	assert_memory_equal(ct, rec + 5, len + 1);
	assert_memory_equal(tag, rec + 5 + len + 1, 16);
	compared++;
}

/* RFC 8448 4: {client} calculate PSK binder, ClientHello prefix (477 octets) */
static const char s4_ch_prefix[] = "010001fc03031bc3ceb6bbe39cff938355b5a50adb6db21b7a6af649d7b4bc41"
                                   "9d7876487d95000006130113031302010001cd0000000b000900000673657276"
                                   "6572ff01000100000a00140012001d0017001800190100010101020103010400"
                                   "3300260024001d0020e4ffb68ac05f8d96c99da26698346c6be16482badddafe"
                                   "051a66b4f18d668f0b002a0000002b0003020304000d0020001e040305030603"
                                   "020308040805080604010501060102010402050206020202002d00020101001c"
                                   "0002400100150057000000000000000000000000000000000000000000000000"
                                   "0000000000000000000000000000000000000000000000000000000000000000"
                                   "0000000000000000000000000000000000000000000000000000000000000000"
                                   "2900dd00b800b22c035d829359ee5ff7af4ec900000000262a6494dc486d2c8a"
                                   "34cb33fa90bf1b0070ad3c498883c9367c09a2be785abc55cd226097a3a98211"
                                   "7283f82a03a143efd3ff5dd36d64e861be7fd61d2827db279cce145077d454a3"
                                   "664d4e6da4d29ee03725a6a4dafcd0fc67d2aea70529513e3da2677fa5906c5b"
                                   "3f7d8f92f228bda40dda721470f9fbf297b5aea617646fac5c03272e970727c6"
                                   "21a79141ef5f7de6505e5bfbc388e93343694093934ae4d357fad6aacb";

/* RFC 8448 4: {server} construct a ServerHello handshake message (96 octets) */
static const char s4_sh[] = "0200005c03033ccfd2dec890222763472ae8136777c9d7358777bb66e91ea512"
                            "2495f559ea2d00130100003400290002000000330024001d0020121761ee42c3"
                            "33e1b9e77b60dd57c2053cd94512ab47f115e86eff50942cea31002b00020304";

/* RFC 8448 4: {server} construct an EncryptedExtensions handshake message (44 octets) */
static const char s4_ee[] = "080000280026000a00140012001d00170018001901000101010201030104001c"
                            "0002400100000000002a0000";

/* RFC 8448 4: {server} construct a Finished handshake message (36 octets) */
static const char s4_sf[] = "1400002048d3e0e1b3d907c6acff145e16090388c77b05c050b634ab1a88bbd0"
                            "dd1a34b2";

/* RFC 8448 4: {client} construct an EndOfEarlyData handshake message (4 octets) */
static const char s4_eoed[] = "05000000";

/* RFC 8448 4: {client} construct a Finished handshake message (36 octets) */
static const char s4_cf[] = "140000207230a9c952c25cd6138fc5e6628308c41c5335dd81b9f96bcea50fd3"
                            "2bda416d";

/* RFC 8448 4: {client} send application_data record, complete record (28 octets) */
static const char s4_rec_early[] = "1703030017ab1df420e75c457a7cc5d2844f76d5aee4b4edbf049be0";

/* RFC 8448 4: {server} send handshake record (EncryptedExtensions, Finished), complete record (102 octets) */
static const char s4_rec_server[] = "1703030061dc48237b4b879f50d0d4d262ea8b4716eb40ddc1eb957e11126e8a"
                                    "7149c2d012d37a7115957e64ce30008b9e0323f2c05a9c1c77b4f37849a695ab"
                                    "255060a33fee770ca95cb8486bfd0843b87024865ca35cc41c4e515c64dcb136"
                                    "9f98635bc7a5";

/* RFC 8448 4: {client} send handshake record (EndOfEarlyData), complete record (26 octets) */
static const char s4_rec_eoed[] = "1703030015aca6fc944841298df99593725f9bf9754429b12f09";

/* RFC 8448 4: {client} send handshake record (Finished), complete record (58 octets) */
static const char s4_rec_cf[] = "170303003500f8b467d14cf22a4b3f0b6ae0d8e6cc8d08e0db3515ef5c2bdf19"
                                "22eafbb70009964716d834fb70c3d2a56c5b1f5f6bdba6c333cf";

/* RFC 8448 5: {client} construct a ClientHello handshake message (the first) (180 octets) */
static const char s5_ch1[] = "010000b00303b0b1c5a5aa37c5919f2ed1d5c6fff7fcb7849716945a2b8cee92"
                             "58a346677b6f000006130113031302010000810000000b000900000673657276"
                             "6572ff01000100000a00080006001d00170018003300260024001d0020e8e8e3"
                             "f3b93a25ed97a14a7dcacb8a272c6288e585c6484d05262fcad062ad1f002b00"
                             "03020304000d0020001e04030503060302030804080508060401050106010201"
                             "0402050206020202002d00020101001c00024001";

/* RFC 8448 5: {server} construct a ServerHello handshake message (the HelloRetryRequest) (176 octets) */
static const char s5_hrr[] = "020000ac0303cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e"
                             "09e2c8a8339c001301000084003300020017002c0074007271dcd04bb88bc318"
                             "9119398a00000000eefafc76c146b823b096f8aacad365dd0030953f4edf6256"
                             "36e5f21bb2e23fcc654b1b5b40318d10d137abcbb87574e36e8a1f025f7dfa5d"
                             "6e50781b5eda4aa15b0c8be778257d16aa3030e9e7841dd9e4c0342267e8ca0c"
                             "af571fb2b7cff0f934b0002b00020304";

/* RFC 8448 5: {client} construct a ClientHello handshake message (the second) (512 octets) */
static const char s5_ch2[] = "010001fc0303b0b1c5a5aa37c5919f2ed1d5c6fff7fcb7849716945a2b8cee92"
                             "58a346677b6f000006130113031302010001cd0000000b000900000673657276"
                             "6572ff01000100000a00080006001d001700180033004700450017004104a6da"
                             "7392ec591e17abfd535964b99894d13befb221b3def2ebe3830eac8f01518126"
                             "77c4d6d2237e85cf01d6910cfb83954e76ba7352830534159897e8065780002b"
                             "0003020304000d0020001e040305030603020308040805080604010501060102"
                             "010402050206020202002c0074007271dcd04bb88bc3189119398a00000000ee"
                             "fafc76c146b823b096f8aacad365dd0030953f4edf625636e5f21bb2e23fcc65"
                             "4b1b5b40318d10d137abcbb87574e36e8a1f025f7dfa5d6e50781b5eda4aa15b"
                             "0c8be778257d16aa3030e9e7841dd9e4c0342267e8ca0caf571fb2b7cff0f934"
                             "b0002d00020101001c00024001001500af000000000000000000000000000000"
                             "0000000000000000000000000000000000000000000000000000000000000000"
                             "0000000000000000000000000000000000000000000000000000000000000000"
                             "0000000000000000000000000000000000000000000000000000000000000000"
                             "0000000000000000000000000000000000000000000000000000000000000000"
                             "0000000000000000000000000000000000000000000000000000000000000000";

/* RFC 8448 5: {server} construct a ServerHello handshake message (123 octets) */
static const char s5_sh[] = "020000770303bb341d847fd789c47c387172dc0c9bf147fccacb5043d86ca4c5"
                            "98d3ff571b9800130100004f003300450017004104583e054b7a66672ae020ad"
                            "9d2686fcc85b5ad41a134a0f03ee72b893052bd85b4c8de6776f5b04ac07d835"
                            "40eab3e3d9c547bc6528c4317d294686093a6cad7d002b00020304";

/* RFC 8448 5: {server} send handshake record, payload: EncryptedExtensions, Certificate, CertificateVerify,
 * Finished (645 octets) */
static const char s5_flight[] = "080000180016000a0008000600170018001d001c00024001000000000b0001b9"
                                "000001b50001b0308201ac30820115a003020102020102300d06092a864886f7"
                                "0d01010b0500300e310c300a06035504031303727361301e170d313630373330"
                                "3031323335395a170d3236303733303031323335395a300e310c300a06035504"
                                "03130372736130819f300d06092a864886f70d010101050003818d0030818902"
                                "818100b4bb498f8279303d980836399b36c6988c0c68de55e1bdb826d3901a24"
                                "61eafd2de49a91d015abbc9a95137ace6c1af19eaa6af98c7ced43120998e187"
                                "a80ee0ccb0524b1b018c3e0b63264d449a6d38e22a5fda430846748030530ef0"
                                "461c8ca9d9efbfae8ea6d1d03e2bd193eff0ab9a8002c47428a6d35a8d88d79f"
                                "7f1e3f0203010001a31a301830090603551d1304023000300b0603551d0f0404"
                                "030205a0300d06092a864886f70d01010b05000381810085aad2a0e5b9276b90"
                                "8c65f73a7267170618a54c5f8a7b337d2df7a594365417f2eae8f8a58c8f8172"
                                "f9319cf36b7fd6c55b80f21a03015156726096fd335e5e67f2dbf102702e608c"
                                "cae6bec1fc63a42a99be5c3eb7107c3c54e9b9eb2bd5203b1c3b84e0a8b2f759"
                                "409ba3eac9d91d402dcc0cc8f8961229ac9187b42b4de100000f000084080400"
                                "8033ab13d4462707231b5dcae6c8190b63d1dabc74f28c395370da0b07e5b830"
                                "66d0246a31acd95df475bfd799a4a70d33ad93d3a317a9b2c0d237a5685b219e"
                                "774112e391a247607d1aeff1bbd0a39f382ee1a5fe88ae99ec59228e6497e45d"
                                "48ce275a6d5ef40d169fb6f9d33b052ed3dcdd6b5a48baafffbcb290128415bd"
                                "38140000208863e6bfb0420a927fa27f34336a70ae426e968e3eb884945b9685"
                                "6dba3976d1";

/* RFC 8448 5: {server} send handshake record, complete record (667 octets) */
static const char s5_rec_server[] = "170303029699bee20baf5b7fc727bfab6223928a381e6d0cf9c4da653f9d2a7b"
                                    "23f7de11cce842d5cf75631763450ffb8b0cc1d238e658af7a12adc86243114a"
                                    "b14a1da2fae42621ce483fb6242eabfaad52566b02b31d2eddedefeb80e66a99"
                                    "00d5f973b40c4fdf74719ecf1b68d7f9c3b6ceb903ca13dd1bb8f8187ae33417"
                                    "e1d152522c5822a1a03ad52c838c55953d610222874cce8e1790b229a2aa0b53"
                                    "c8d377ee720182951dc6181dc5d90bd1f0105ed1e84aa5f75957c6661897079e"
                                    "5ea5007449e3197bdc7c9beeedddeafdd844afa5c315ecfe65e576afe9098128"
                                    "80620ec7048b42d7f5c78d76f299d6d82534bdd8f512febc0ed3814aca470cd8"
                                    "000d3e1cb9962b052fbb950df683a52c2ba77ed3713b122937a6e5170964e2ab"
                                    "7969dcd980b3db9b458da7603124d6dc005e4d6e04b4d0c4baf3275db827dbba"
                                    "0a6db09672171fc057b3851d7e026841e2978fbd2346bbefdd0376bb1108fe9a"
                                    "cc92189f5650aa5e85d8e8c7b67ac510dba003d3d7e16350bb66d45013efd44c"
                                    "9b607c0d318c4c7d1a1f5cbc57e20611804e3787d7b4a4b5f08ed8fd70bdaead"
                                    "e02260b12ab842ef690b4a3ee7911e841b374ecd5ebbbc2a54d047b600336dd7"
                                    "d0c88b4bc10e58ee6cb656de7247fa20d8e91deb84628608cf80615b62e96c14"
                                    "91c7ac3755eb6901405d3474fe1ac79d106a0cee56c2577fc88480f96cb6b8c6"
                                    "81b7b68b53c146093908f350888175bdfb0b1e31ad61e30ba0adfe6d223aa03c"
                                    "0783b5001a57587c328a9afcfcfb978d1cd4328f7d9d60530e630befd96c0c81"
                                    "6ee20b0100768ae2a6df51fc68f172740a79af11398ee3be1252491fa9c69347"
                                    "9e877f94ab7c5f8cad480203e6ab7b87dd71e8a0729113df17f5eee86ce108d1"
                                    "d72007ec1cd13c85a6c149621e77b7d78d805a30f0be030c315e54";

/* RFC 8448 5: {client} send handshake record (Finished), complete record (58 octets) */
static const char s5_rec_cf[] = "1703030035d74f1923c662fd34137c6f502f3dd2b93d951d1b3bc97e42afe23c"
                                "31abea92fe91b474999e85e3b791ce252fe8c3e9f939a4120cb2";

static int setup(void **state)
{
	(void)state;
	return tls_crypto_init();
}

/* RFC 8448 section 4, "Resumed 0-RTT Handshake", TLS_AES_128_GCM_SHA256. */
static void test_rfc8448_resumed_0rtt(void **state)
{
	(void)state;
	const int h = tls_hash_sha256();
	uint8_t res[32], psk[32], cpriv[32], spriv[32], cpub[32], spub[32], ecdhe[32], ecdhe2[32];
	uint8_t th[32], fk[32], binder[32], cets[32], eems[32], key[16], iv[12], vd[32], msg[64];
	size_t ch_end, sh_end, ee_end, sf_end, eoed_end;
	transcript t = {.len = 0};
	tls13_sched s;

	/* 3: {server} derive secret "tls13 res master" (expanded) and
	 * {server} generate resumption secret "tls13 resumption" (ticket_nonce
	 * 00 00): the PSK, which 4: {client} extract secret "early" takes as IKM. */
	unhex(res, 32, "7df235f2031d2a051287d02b0241b0bfdaf86cc856231f2d5aba46c434ec196c");
	const uint8_t nonce[2] = {0, 0};
	assert_int_equal(tls13_resumption_psk(h, res, 32, nonce, 2, psk), 0);
	assert_hex(psk, 32, "4ecd0eb6ec3b4d87f5d6028f922ca4c5851a277fd41311c9e62d2c9492e1c4f3");

	/* 4: {client} create an ephemeral x25519 key pair */
	unhex(cpriv, 32, "bff91188283846dd6a2134ef7180ca2b0b14fb10dce707b5098c0dddc813b2df");
	assert_int_equal(tls_x25519_keygen(cpriv, cpub), 0);
	assert_hex(cpub, 32, "e4ffb68ac05f8d96c99da26698346c6be16482badddafe051a66b4f18d668f0b");

	/* 4: {client} extract secret "early" */
	assert_int_equal(tls13_sched_init(&s, h, psk, 32, 1), 0);
	assert_hex(s.early, 32, "9b2188e9b2fc6d64d71dc329900e20bb41915000f678aa839cbb797cb7d8332c");

	/* 4: {client} calculate PSK binder: binder hash over the ClientHello
	 * prefix, PRK (the binder key, "tls13 res binder"), expanded (its
	 * finished key) and finished (the binder). */
	add_hex(&t, s4_ch_prefix);
	assert_int_equal(t.len, 477);
	th_of(&t, 0, th);
	assert_hex(th, 32, "63224b2e4573f2d3454ca84b9d009a04f6be9e05711a8396473aefa01e924a14");
	assert_hex(s.binder_key, 32, "69fe131a3bbad5d63c64eebcc30e395b9d8107726a13d074e389dbc8a4e47256");
	assert_int_equal(tls13_finished(h, s.binder_key, 32, th, 32, fk, binder), 0);
	assert_hex(fk, 32, "5588673e72cb59c87d220caffe94f2dea9a3b1609f7d50e90a48227db9ed7eaa");
	assert_hex(binder, 32, "3add4fb2d8fdf822a0ca3cf7678ef5e88dae990141c5924d57bb6fa31b9e5f9d");
	/* The whole ClientHello: the prefix, the binders list (length 33, one
	 * binder of 32) and the binder computed here (4: {client} send
	 * handshake record, 512 octets). */
	add_hex(&t, "002120");
	add_bytes(&t, binder, 32);
	ch_end = t.len;
	assert_int_equal(ch_end, 512);

	/* 4: {client} derive secret "tls13 c e traffic", over Hash(ClientHello) */
	th_of(&t, ch_end, th);
	assert_hex(th, 32, "08ad0fa05d7c7233b1775ba2ff9f4c5b8b59276b7f227f13a976245f5d960913");
	assert_int_equal(tls13_derive_secret(h, s.early, 32, "c e traffic", th, 32, cets), 0);
	assert_hex(cets, 32, "3fbbe6a60deb66c30a32795aba0eff7eaa10105586e7be5c09678d63b6caab62");
	/* 4: {client} derive secret "tls13 e exp master" */
	assert_int_equal(tls13_derive_secret(h, s.early, 32, "e exp master", th, 32, eems), 0);
	assert_hex(eems, 32, "b2026866610937d7423e5be90862ccf24c0e6091186d34f812089ff5be2ef7df");
	/* 4: {client} derive write traffic keys for early application data */
	assert_int_equal(tls13_traffic_keys(h, cets, 32, key, 16, iv, 12), 0);
	assert_hex(key, 16, "920205a5b7bf2115e6fc5c2942834f54");
	assert_hex(iv, 12, "6d475f0993c8e564610db2b9");
	/* 4: {client} send application_data record: "ABCDEF" at sequence 0 */
	assert_record(key, iv, 0, (const uint8_t *)"ABCDEF", 6, 0x17, s4_rec_early);

	/* 4: {server} create an ephemeral x25519 key pair, and the shared
	 * secret both sides reach: the IKM of {server} extract secret "handshake" */
	unhex(spriv, 32, "de5b4476e7b490b2652d338acbf2948066f255f9440e23b98fc69835298dc107");
	assert_int_equal(tls_x25519_keygen(spriv, spub), 0);
	assert_hex(spub, 32, "121761ee42c333e1b9e77b60dd57c2053cd94512ab47f115e86eff50942cea31");
	assert_int_equal(tls_x25519_shared(spriv, cpub, 32, ecdhe), 0);
	assert_int_equal(tls_x25519_shared(cpriv, spub, 32, ecdhe2), 0);
	assert_memory_equal(ecdhe, ecdhe2, 32);
	assert_hex(ecdhe, 32, "f44194756ff9ec9d25180635d66ea6824c6ab3bf179977be37f723570e7ccb2e");

	/* 4: {server} construct a ServerHello handshake message; {server}
	 * derive secret for handshake "tls13 derived", extract secret
	 * "handshake", derive secret "tls13 c hs traffic" / "tls13 s hs
	 * traffic", over Hash(ClientHello..ServerHello) */
	add_hex(&t, s4_sh);
	sh_end = t.len;
	th_of(&t, sh_end, th);
	assert_int_equal(tls13_sched_handshake(&s, ecdhe, 32, th, 32), 0);
	assert_hex(tls13_sched_find(&s, "derived_for_handshake")->value, 32,
	           "5f1790bbd82c5e7d376ed2e1e52f8e6038c9346db61b43be9a52f77ef3998e80");
	assert_hex(s.handshake, 32, "005cb112fd8eb4ccc623bb88a07c64b3ede1605363fc7d0df8c7ce4ff0fb4ae6");
	assert_hex(s.client_hs, 32, "2faac08f851d35fea3604fcb4de82dc62c9b164a70974d0462e27f1ab278700f");
	assert_hex(s.server_hs, 32, "fe927ae271312e8bf0275b581c54eef020450dc4ecffaa05a1a35d27518e7803");

	/* 4: {server} derive write traffic keys for handshake data */
	uint8_t skey[16], siv[12];
	assert_int_equal(tls13_sched_keys(&s, TLS13_SERVER_HANDSHAKE, skey, 16, siv, 12), 0);
	assert_hex(skey, 16, "27c6bdc0a3dcea39a47326d79bc9e4ee");
	assert_hex(siv, 12, "9569ecdd4d0536705e9ef725");

	/* 4: {server} construct an EncryptedExtensions handshake message;
	 * {server} calculate finished "tls13 finished", over Hash(CH..EE), and
	 * construct a Finished handshake message */
	add_hex(&t, s4_ee);
	ee_end = t.len;
	th_of(&t, ee_end, th);
	assert_int_equal(tls13_sched_finished(&s, 0, th, 32, vd), 0);
	assert_hex(vd, 32, "48d3e0e1b3d907c6acff145e16090388c77b05c050b634ab1a88bbd0dd1a34b2");
	add_hex(&t, s4_sf);
	sf_end = t.len;
	assert_memory_equal(t.buf + ee_end + 4, vd, 32);
	/* 4: {server} send handshake record: EncryptedExtensions and Finished
	 * under the server handshake key at sequence 0 */
	assert_record(skey, siv, 0, t.buf + sh_end, sf_end - sh_end, 0x16, s4_rec_server);

	/* 4: {server} derive secret for master "tls13 derived", extract secret
	 * "master", derive secret "tls13 c ap traffic" / "tls13 s ap traffic" /
	 * "tls13 exp master", over Hash(ClientHello..server Finished) */
	th_of(&t, sf_end, th);
	assert_int_equal(tls13_sched_master(&s, th, 32), 0);
	assert_hex(tls13_sched_find(&s, "derived_for_master")->value, 32,
	           "e2f16030251df0874ba19b9aba257610bc6d531c1dd206df0ca6e84ae2a26742");
	assert_hex(s.master, 32, "e2d32d4ed66dd37897a0e80c84107503ce58bf8aad4cb55a5002d77ecb890ece");
	assert_hex(s.client_ap, 32, "2abbf2b8e381d23dbebe1dd2a7d16a8bf484cb4950d23fb7fb7fa8547062d9a1");
	assert_hex(s.server_ap, 32, "cc21f1bf8feb7dd5fa505bd9c4b468a9984d554a993dc49e6d285598fb672691");
	assert_hex(s.exporter, 32, "3fd93d4ffddc98e64b14dd107aedf8ee4add23f4510f58a4592d0b201bee56b4");
	/* 4: {server} derive write traffic keys for application data */
	assert_int_equal(tls13_sched_keys(&s, TLS13_SERVER_APPLICATION, key, 16, iv, 12), 0);
	assert_hex(key, 16, "e857c690a34c5a9129d833619684f95e");
	assert_hex(iv, 12, "0685d6b561aab9ef1013faf9");

	/* 4: {client} construct an EndOfEarlyData handshake message; {client}
	 * send handshake record: under the early traffic key at sequence 1
	 * (the early application data took 0) */
	add_hex(&t, s4_eoed);
	eoed_end = t.len;
	assert_int_equal(tls13_traffic_keys(h, cets, 32, key, 16, iv, 12), 0);
	assert_record(key, iv, 1, t.buf + sf_end, eoed_end - sf_end, 0x16, s4_rec_eoed);

	/* 4: {client} derive write traffic keys for handshake data */
	uint8_t ckey[16], civ[12];
	assert_int_equal(tls13_sched_keys(&s, TLS13_CLIENT_HANDSHAKE, ckey, 16, civ, 12), 0);
	assert_hex(ckey, 16, "b1530806f4adfeac83f1413032bbfa82");
	assert_hex(civ, 12, "eb50c16be7654abf99dd06d9");

	/* 4: {client} calculate finished "tls13 finished", over
	 * Hash(ClientHello..EndOfEarlyData); construct a Finished handshake
	 * message; send handshake record (client handshake key, sequence 0) */
	th_of(&t, eoed_end, th);
	assert_int_equal(tls13_sched_finished(&s, 1, th, 32, vd), 0);
	assert_hex(vd, 32, "7230a9c952c25cd6138fc5e6628308c41c5335dd81b9f96bcea50fd32bda416d");
	add_hex(&t, s4_cf);
	assert_memory_equal(t.buf + eoed_end + 4, vd, 32);
	memcpy(msg, t.buf + eoed_end, t.len - eoed_end);
	assert_record(ckey, civ, 0, msg, t.len - eoed_end, 0x16, s4_rec_cf);

	/* 4: {client} derive write traffic keys for application data */
	assert_int_equal(tls13_sched_keys(&s, TLS13_CLIENT_APPLICATION, key, 16, iv, 12), 0);
	assert_hex(key, 16, "3cf122f301c6358ca7989553250efd72");
	assert_hex(iv, 12, "ab1aec26aa78b8fc1176b9ac");

	/* 4: {client} derive secret "tls13 res master", over
	 * Hash(ClientHello..client Finished) */
	th_of(&t, 0, th);
	assert_int_equal(tls13_sched_resumption(&s, th, 32), 0);
	assert_hex(s.resumption, 32, "5e95bdf1f89005ea2e9aa0ba85e728e3c19c5fe0c699e3f5bee59faebd0b5406");
	tls13_sched_free(&s);
}

/* RFC 8448 section 5, "HelloRetryRequest", TLS_AES_128_GCM_SHA256 with
 * secp256r1 after the server's retry. */
static void test_rfc8448_hello_retry(void **state)
{
	(void)state;
	const int h = tls_hash_sha256();
	uint8_t ch1[256], ch1_hash[32], ecdhe[32], th[32], vd[32], key[16], iv[12], cf[36];
	unsigned long hl = sizeof ch1_hash;
	size_t n, sh_end, ee_end, cert_end, cv_end, sf_end;
	transcript t = {.len = 0};
	tls13_sched s;

	/* 5: {server} extract secret "early" (no PSK) */
	assert_int_equal(tls13_sched_init(&s, h, NULL, 0, 0), 0);
	assert_hex(s.early, 32, "33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a");

	/* RFC 8446 4.4.1: after a HelloRetryRequest the transcript starts with
	 * message_hash (type 254), 00 00 Hash.length, Hash(ClientHello1), then
	 * the HelloRetryRequest, the second ClientHello and the ServerHello. */
	n = unhex(ch1, sizeof ch1, s5_ch1);
	assert_int_equal(n, 180);
	assert_int_equal(hash_memory(h, ch1, n, ch1_hash, &hl), CRYPT_OK);
	assert_int_equal(hl, 32);
	add_hex(&t, "fe000020");
	add_bytes(&t, ch1_hash, 32);
	add_hex(&t, s5_hrr);
	add_hex(&t, s5_ch2);
	add_hex(&t, s5_sh);
	sh_end = t.len;
	assert_int_equal(sh_end, 36 + 176 + 512 + 123);

	/* 5: {server} derive secret for handshake "tls13 derived", extract
	 * secret "handshake" (IKM: the P-256 shared secret the RFC prints),
	 * derive secret "tls13 c hs traffic" (its hash is the transcript
	 * above) / "tls13 s hs traffic" */
	th_of(&t, sh_end, th);
	assert_hex(th, 32, "8aa8e828ec2f8a884fec95a3139de01c15a3daa7ff5bfc3f4bfcc21b438d7bf8");
	/* Hashing ClientHello1 itself in its place would not give it. */
	{
		transcript plain = {.len = 0};
		uint8_t th_plain[32];
		add_bytes(&plain, ch1, n);
		add_bytes(&plain, t.buf + 36, sh_end - 36);
		th_of(&plain, 0, th_plain);
		assert_memory_not_equal(th_plain, th, 32);
	}
	unhex(ecdhe, 32, "c142ce13ca11b5c2233652e63ad3d97844f1621fbfb9de69d547dc8fedeabeb4");
	assert_int_equal(tls13_sched_handshake(&s, ecdhe, 32, th, 32), 0);
	assert_hex(tls13_sched_find(&s, "derived_for_handshake")->value, 32,
	           "6f2615a108c702c5678f54fc9dbab69716c076189c48250cebeac3576c3611ba");
	assert_hex(s.handshake, 32, "ce022e5e6e81e50736d773f2d3adfce8220d049bf510f0dbfac927ef4243b148");
	assert_hex(s.client_hs, 32, "158aa7ab8855073582b41d674b4055cabcc534728f659314861b4e08e2011566");
	assert_hex(s.server_hs, 32, "3403e781e2af7b6508da28574f6e95a1abf162de83a97927c37672a4a0cef8a1");

	/* 5: {server} derive write traffic keys for handshake data */
	uint8_t skey[16], siv[12];
	assert_int_equal(tls13_sched_keys(&s, TLS13_SERVER_HANDSHAKE, skey, 16, siv, 12), 0);
	assert_hex(skey, 16, "4646bfac1712c426cd78d8a24a8a6f6b");
	assert_hex(siv, 12, "c7d395c08d62f297d13768ea");

	/* 5: {server} construct an EncryptedExtensions, a Certificate and a
	 * CertificateVerify handshake message (the payload of its send
	 * handshake record, split at each message's header) */
	add_hex(&t, s5_flight);
	ee_end = sh_end + 4 + ((size_t)t.buf[sh_end + 2] << 8 | t.buf[sh_end + 3]);
	cert_end = ee_end + 4 +
	           ((size_t)t.buf[ee_end + 1] << 16 | (size_t)t.buf[ee_end + 2] << 8 | t.buf[ee_end + 3]);
	cv_end = cert_end + 4 + ((size_t)t.buf[cert_end + 2] << 8 | t.buf[cert_end + 3]);
	sf_end = cv_end + 4 + 32;
	assert_int_equal(t.buf[sh_end], 8);
	assert_int_equal(t.buf[ee_end], 11);
	assert_int_equal(t.buf[cert_end], 15);
	assert_int_equal(t.buf[cv_end], 20);
	assert_int_equal(sf_end, t.len);

	/* 5: {server} calculate finished "tls13 finished", over
	 * Hash(message_hash..CertificateVerify); the verify_data of the
	 * Finished the server constructs */
	th_of(&t, cv_end, th);
	assert_int_equal(tls13_sched_finished(&s, 0, th, 32, vd), 0);
	assert_hex(vd, 32, "8863e6bfb0420a927fa27f34336a70ae426e968e3eb884945b96856dba3976d1");
	assert_memory_equal(t.buf + cv_end + 4, vd, 32);
	/* 5: {server} send handshake record, under the server handshake key */
	assert_record(skey, siv, 0, t.buf + sh_end, sf_end - sh_end, 0x16, s5_rec_server);

	/* 5: {server} derive secret for master "tls13 derived", extract secret
	 * "master", derive secret "tls13 c ap traffic" (hash:
	 * Hash(message_hash..server Finished)) / "tls13 s ap traffic" /
	 * "tls13 exp master" */
	th_of(&t, sf_end, th);
	assert_hex(th, 32, "50f63cbf36b0dd049e7a0ba27d6455745ea2aaac54bb167f9950b2b7ce9509da");
	assert_int_equal(tls13_sched_master(&s, th, 32), 0);
	assert_hex(tls13_sched_find(&s, "derived_for_master")->value, 32,
	           "ad1cbcd3a0dc7053eeb3ed3a47901d16a9fc63a73c64beb567481a7dfb3a2cb3");
	assert_hex(s.master, 32, "1131545d0baf79ddce9b87f06945781a57dd18ef378dcd2060f8f9a569027ed8");
	assert_hex(s.client_ap, 32, "75ecf4b972525aa0dcd057c9944d4cd5d82671d8843141d7dc2a4ff15a21dc51");
	assert_hex(s.server_ap, 32, "5c74f87df04225db0f8209c9de6429e49435fdefa7cad61864874d12f31cfc8d");
	assert_hex(s.exporter, 32, "7c06d3ae106a3a374ace4837b3985cac67780a6e2c5c04b58319d584df09d223");

	/* 5: {server} derive write traffic keys for application data */
	assert_int_equal(tls13_sched_keys(&s, TLS13_SERVER_APPLICATION, key, 16, iv, 12), 0);
	assert_hex(key, 16, "f27a5d97bd25550c4823b0f3e5d29388");
	assert_hex(iv, 12, "0dd631f7b71cbbc797c35fe7");
	/* 5: {server} derive read traffic keys for handshake data */
	assert_int_equal(tls13_sched_keys(&s, TLS13_CLIENT_HANDSHAKE, key, 16, iv, 12), 0);
	assert_hex(key, 16, "2f1f918663d590e7421149a29d94b0b6");
	assert_hex(iv, 12, "414d5485235e1a688793bd74");

	/* 5: {client} calculate finished "tls13 finished", over
	 * Hash(message_hash..server Finished), construct a Finished handshake
	 * message and send handshake record: the RFC's record is the Finished
	 * with this verify_data, sealed under the client handshake key */
	assert_int_equal(tls13_sched_finished(&s, 1, th, 32, vd), 0);
	cf[0] = 20;
	cf[1] = 0;
	cf[2] = 0;
	cf[3] = 32;
	memcpy(cf + 4, vd, 32);
	assert_record(key, iv, 0, cf, sizeof cf, 0x16, s5_rec_cf);
	add_bytes(&t, cf, sizeof cf);

	/* 5: {client} derive write traffic keys for application data */
	assert_int_equal(tls13_sched_keys(&s, TLS13_CLIENT_APPLICATION, key, 16, iv, 12), 0);
	assert_hex(key, 16, "a7eb2a0525eb4331d58fcbf9f7ca2e9c");
	assert_hex(iv, 12, "86e8be227c1bd2b3e39cb444");

	/* 5: {client} derive secret "tls13 res master", over
	 * Hash(message_hash..client Finished) */
	th_of(&t, 0, th);
	assert_int_equal(tls13_sched_resumption(&s, th, 32), 0);
	assert_hex(s.resumption, 32, "09170c6d472721566f9cf99b08699daff561ec8fb22d5a32c3f94ce009b69975");
	tls13_sched_free(&s);
}

/* Runs last: every comparison above was made. */
static void test_count(void **state)
{
	(void)state;
	print_message("RFC 8448 sections 4 and 5: %u byte-for-byte comparisons\n", compared);
	assert_int_equal(compared, 62);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rfc8448_resumed_0rtt),
	    cmocka_unit_test(test_rfc8448_hello_retry),
	    cmocka_unit_test(test_count),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
