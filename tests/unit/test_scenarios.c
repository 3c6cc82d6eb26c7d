/* Every scenario runs to its expected end with golden wire bytes,
 * and the DHE / ECDHE / mutual-authentication checks each give the right
 * alert when fed bad input directly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "scenario_creds.h"
#include "srcdir.h"

#include "app/pki.h"
#include "sim/scenario.h"
#include "sim/sim.h"
#include "tls/alert.h"
#include "tls/conn.h"
#include "tls/crypto.h"
#include "tls/msg.h"
#include "tls/sig.h"

#include <tomcrypt.h>

/* ---- every scenario ------------------------------------------------- */

typedef struct {
	const char *name;
	int established;
	int by_server, desc, step; /* the alert, when not established */
	uint16_t suite;            /* 0: none chosen */
	const char *golden;        /* SHA-256 of every record, seed 1, in wire order */
} expect;

/* If the engine's bytes change on purpose, update these (and say why). */
static const expect expected[] = {
	{"rsa", 1, 0, 0, 0, 0x002F, "76276d21475a59c1b4eb394991e3290a09555895b43ef0d6531e9da3bb52f4db"},
	{"rsa-gcm", 1, 0, 0, 0, 0x009C, "dd424bf5e38b22fb99b11704a36f27a332d5fe64c34be40dd99632830b1c96ed"},
	{"rsa-sha256", 1, 0, 0, 0, 0x003D, "fdb20b939d55c94103c59ae9eeac30d3d5d06731f81e5ad617a0673b2baf1687"},
	{"ems", 1, 0, 0, 0, 0x002F, "e474d956c2408b9a1a08ee6620f886c171aebec872b563fd35dc4ec49fdc65cf"},
	{"etm", 1, 0, 0, 0, 0x002F, "3ad56cd2c690097ccfe0edbe5a34b6c33b33fd4afda00fcead7b5e7466bc05d8"},
	{"ecdhe", 1, 0, 0, 0, 0xC02F, "7349f8eb46604c06e292eb81a4af5526e93308ba24a6be6fb5be34463d9326f0"},
	{"ecdhe-sha384", 1, 0, 0, 0, 0xC030, "bd08c5b4a952e7b8fcd1d84b06163b95e224279ced72b7eead2974c4666bcbd7"},
	{"ecdhe-ecdsa", 1, 0, 0, 0, 0xC02B, "312eb4487211c166eceaa7c240b0296c16538a22bcc4ece7387df307918bcd6f"},
	{"dhe", 1, 0, 0, 0, 0x0033, "57d6c89fb65592b6854082ba45f482f14dc1a72be0075ebcd5129ae5c1503545"},
	{"mutual", 1, 0, 0, 0, 0xC02F, "7591451d0e70e2e92fde5176e14ce56136f28f4f43f2cb280a0296e46d35b52c"},
	{"resume", 1, 0, 0, 0, 0xC02F, "3d0239b5460c1d8a146e31d762347bd10e1c529876db47cf881755a2ff2f6237"},
	{"untrusted-ca", 0, 0, TLS_ALERT_UNKNOWN_CA, 3, 0x002F, "c75b23141660a5049243ddba0bae4c3aa06d0a4704a8b32f0316797781017243"},
	{"expired", 0, 0, TLS_ALERT_CERTIFICATE_EXPIRED, 3, 0x002F, "46ccfa6d22f884c8c8cb847e2d923078971236e2d7ebf16de55a68d42beeb39e"},
	{"wrong-host", 0, 0, TLS_ALERT_BAD_CERTIFICATE, 3, 0x002F, "5f9791436f82caa05b37a4ab057a129b03327b25b9713598141a15f9ae0851ec"},
	{"wrong-purpose", 0, 0, TLS_ALERT_UNSUPPORTED_CERTIFICATE, 3, 0x002F, "be8bb33cc0f07d8fd59149a78a80c10e173bbff5d36a54f5b126d761e995d464"},
	{"no-shared-cipher", 0, 1, TLS_ALERT_HANDSHAKE_FAILURE, 1, 0, "b5e2c611cfc0e2a55297ad11b31149e96bfd5dd6d8fdd14ece10e7668fcbd953"},
	{"old-version", 0, 1, TLS_ALERT_PROTOCOL_VERSION, 1, 0, "239135b35cbca1e22857f3da7801a893e27daf1b85a9b3b4506d36fffdfb5196"},
	{"tampered", 0, 1, TLS_ALERT_DECRYPT_ERROR, 5, 0x002F, "915c19f93218bd53174b30fddb9d286b8b0161c528569a2d01201d9ae0f459fc"},
};
#define N_EXPECTED (sizeof expected / sizeof expected[0])

static model *run(const char *scenario, uint64_t seed)
{
	sim_options o = {.seed = seed, .scenario = scenario, .secure_channel = 1};
	model *m = calloc(1, sizeof *m);
	sim *s;
	char err[256];
	assert_non_null(m);
	o.creds = scenario_creds(o.scenario);
	assert_int_equal(sim_new(&s, &o, m, err, sizeof err), 0);
	assert_int_equal(sim_run(s), 0);
	sim_free(s);
	return m;
}

static void done(model *m)
{
	model_free(m);
	free(m);
}


static void spans_cover(const model *m, const char *name)
{
	for (int i = 1; i <= MODEL_LAST_STEP; i++)
		for (size_t j = 0; j < m->steps[i].n_rec; j++) {
			const model_record *r = &m->steps[i].rec[j];
			uint8_t *seen = calloc(1, r->wire.len);
			assert_non_null(seen);
			for (size_t k = 0; k < r->fields.n; k++) {
				const tls_span *s = &r->fields.v[k];
				assert_true(s->offset + (size_t)s->length <= r->wire.len);
				memset(seen + s->offset, 1, s->length);
			}
			for (size_t b = 0; b < r->wire.len; b++)
				if (!seen[b])
					fail_msg("%s: step %d record %zu byte %zu has no field", name, i, j, b);
			free(seen);
		}
}

static void test_every_scenario(void **st)
{
	(void)st;
	size_t n12 = 0;
	for (size_t i = 0; i < sim_scenario_count(); i++)
		n12 += !sim_scenario_at(i)->tls13;
	assert_int_equal(n12, N_EXPECTED); /* a new 1.2 scenario needs a row here (1.3: test_tls13_sim) */
	for (size_t i = 0; i < N_EXPECTED; i++) {
		const expect *e = &expected[i];
		char h[65];
		assert_non_null(sim_scenario_find(e->name));
		model *m = run(e->name, 1);
		model_wire_hash(m, h);
		if (e->established) {
			assert_int_equal(m->outcome, MODEL_ESTABLISHED);
			assert_string_equal(model_find_msg(m, 5, MODEL_MSG_FINISHED, 0)->note, "verify_data matches");
			assert_string_equal(model_find_msg(m, 6, MODEL_MSG_FINISHED, 1)->note, "verify_data matches");
		} else {
			assert_int_equal(m->outcome, MODEL_ALERT);
			assert_int_equal(m->alert.by_server, e->by_server);
			assert_int_equal(m->alert.desc, e->desc);
			assert_int_equal(m->alert.step, e->step);
			assert_true(strlen(m->alert.reason) > 10);
		}
		assert_int_equal(m->suite_id, e->suite);
		spans_cover(m, e->name);
		if (strcmp(h, e->golden))
			fail_msg("%s: wire bytes changed: %s", e->name, h);
		done(m);
	}
}

static void test_forward_secrecy_scenarios(void **st)
{
	(void)st;
	const char *names[] = {"ecdhe", "ecdhe-sha384", "dhe"};
	const size_t pms_len[] = {32, 32, 0};
	for (int i = 0; i < 3; i++) {
		model *m = run(names[i], 5);
		assert_int_equal(m->outcome, MODEL_ESTABLISHED);
		assert_non_null(model_find_msg(m, 4, MODEL_MSG_SERVER_KEY_EXCHANGE, 1));
		/* the server learns the premaster only from the client's key share */
		assert_false(m->steps[4].server.v[MS_PREMASTER].known);
		assert_true(m->steps[5].server.v[MS_PREMASTER].known);
		if (pms_len[i])
			assert_int_equal(m->secrets[MS_PREMASTER].len, pms_len[i]);
		else /* g^xy mod p, leading zeros stripped: about 256 bytes, all of it kept */
			assert_true(m->secrets[MS_PREMASTER].len > 240 && m->secrets[MS_PREMASTER].len <= 256);
		/* one form: each column holds the same whole value as the final secrets */
		const model_value *fin = &m->secrets[MS_PREMASTER], *cl = &m->steps[4].client.v[MS_PREMASTER],
				  *sv = &m->steps[5].server.v[MS_PREMASTER];
		assert_int_equal(cl->len, fin->len);
		assert_int_equal(sv->len, fin->len);
		assert_memory_equal(cl->v, fin->v, fin->len);
		assert_memory_equal(sv->v, fin->v, fin->len);
		assert_int_equal(m->prf_sha384, i == 1);
		done(m);
	}
}

static void test_mutual(void **st)
{
	(void)st;
	model *m = run("mutual", 1);
	assert_non_null(model_find_msg(m, 4, MODEL_MSG_CERTIFICATE_REQUEST, 1));
	assert_non_null(model_find_msg(m, 5, MODEL_MSG_CERTIFICATE, 0));
	assert_non_null(model_find_msg(m, 5, MODEL_MSG_CERTIFICATE_VERIFY, 0));
	assert_non_null(strstr(m->steps[5].server.cert_note, "trusted"));
	done(m);
}

static void test_resume(void **st)
{
	(void)st;
	model *m = run("resume", 1);
	assert_int_equal(m->steps[3].n_rec, 0);
	assert_int_equal(m->steps[4].n_rec, 0);
	assert_true(m->steps[3].reached && m->steps[4].reached);
	assert_non_null(strstr(m->steps[3].note, "skipped"));
	assert_non_null(strstr(m->steps[5].note, "server finishes first"));
	assert_null(model_find_msg(m, 5, MODEL_MSG_CLIENT_KEY_EXCHANGE, 0));
	/* the client has the master secret as soon as the server accepts the session */
	assert_true(m->steps[2].client.v[MS_MASTER].known);
	assert_false(m->secrets[MS_PREMASTER].known);
	/* the server's Finished went first: the client's answers it */
	assert_int_equal(m->steps[6].n_rec, 2);
	assert_int_equal(m->steps[5].n_rec, 2);
	done(m);
}

static void test_tampered_custom(void **st)
{
	(void)st;
	/* an explicit --tamper replaces the scenario's default */
	sim_options o = {.seed = 1, .scenario = "tampered", .secure_channel = 1, .tamper = 1, .tamper_step = 2,
			 .tamper_offset = 20, .tamper_xor = 1};
	model m;
	sim *s;
	char err[256];
	o.creds = scenario_creds(o.scenario);
	assert_int_equal(sim_new(&s, &o, &m, err, sizeof err), 0);
	sim_run(s);
	sim_free(s);
	assert_int_equal(m.suite_id, 0xC02F); /* the ClientHello was left alone */
	assert_int_equal(m.alert.desc, TLS_ALERT_DECRYPT_ERROR);
	model_free(&m);
}

static void test_old_names(void **st)
{
	(void)st;
	assert_ptr_equal(sim_scenario_find("wrong-name"), sim_scenario_find("wrong-host"));
	assert_ptr_equal(sim_scenario_find("no-common-suite"), sim_scenario_find("no-shared-cipher"));
	assert_null(sim_scenario_find("nonexistent"));
}

/* ---- the client engine against a crafted ServerKeyExchange ----------- */

static tls_creds server_pki, client_pki, other_pki;
static tls_rng rng_c, rng_s;

static int setup(void **st)
{
	(void)st;
	char err[256];
	if (app_pki_add_chain(&server_pki, SRC("assets/server.crt"), err, sizeof err) ||
	    app_pki_load_key(&server_pki, SRC("assets/server.key"), err, sizeof err) ||
	    app_pki_load_anchors(&server_pki, SRC("assets/ca.crt"), err, sizeof err) ||
	    app_pki_add_chain(&client_pki, SRC("assets/client.crt"), err, sizeof err) ||
	    app_pki_load_key(&client_pki, SRC("assets/client.key"), err, sizeof err) ||
	    app_pki_load_anchors(&client_pki, SRC("assets/ca.crt"), err, sizeof err) ||
	    app_pki_add_chain(&other_pki, SRC("assets/untrusted.crt"), err, sizeof err) ||
	    app_pki_load_key(&other_pki, SRC("assets/untrusted.key"), err, sizeof err)) {
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
	tls_creds_free(&other_pki);
	return 0;
}

static const uint16_t kx_suites[] = {0xC02F, 0x0033};

static tls_conn *client_for(const tls_creds *own, const tls_privkey *key)
{
	tls_config c = {0};
	tls_conn *s;
	tls_rng_seed(&rng_c, 11, "client");
	c.rng = &rng_c;
	c.now = SIM_DEFAULT_TIME;
	c.suites = kx_suites;
	c.n_suites = 2;
	c.server_name = "server.tlsstep.test";
	c.anchors = client_pki.anchors;
	c.n_anchors = client_pki.n_anchors;
	if (own) {
		c.chain_der = own->chain_der;
		c.chain_len = own->chain_len;
		c.chain_n = own->chain_n;
		c.key = key;
	}
	assert_int_equal(tls_conn_new(&s, &c), 0);
	assert_int_equal(tls_conn_start(s), 0);
	return s;
}

static void feed_hs(tls_conn *c, uint8_t type, const uint8_t *body, size_t n)
{
	tls_buf m = {0}, r = {0};
	assert_int_equal(tls_hs_wrap(&m, type, body, n), 0);
	assert_int_equal(tls_buf_u8(&r, TLS_CT_HANDSHAKE), 0);
	assert_int_equal(tls_buf_u16(&r, 0x0303), 0);
	assert_int_equal(tls_buf_u16(&r, (unsigned)m.len), 0);
	assert_int_equal(tls_buf_put(&r, m.p, m.len), 0);
	tls_conn_recv(c, r.p, r.len);
	tls_buf_free(&m);
	tls_buf_free(&r);
}

/* ServerHello choosing suite and the classroom server's Certificate. */
static void hello_and_certificate(tls_conn *c, uint16_t suite)
{
	tls_server_hello sh;
	tls_certificate_msg cm = {.n = server_pki.chain_n};
	tls_buf b = {0};
	memset(&sh, 0, sizeof sh);
	sh.version = 0x0303;
	sh.suite = suite;
	sh.random[5] = 7;
	assert_int_equal(tls_server_hello_encode(&b, &sh), 0);
	feed_hs(c, TLS_HS_SERVER_HELLO, b.p, b.len);
	tls_buf_clear(&b);
	b.len = 0;
	for (size_t i = 0; i < cm.n; i++) {
		cm.der[i] = server_pki.chain_der[i];
		cm.len[i] = server_pki.chain_len[i];
	}
	assert_int_equal(tls_certificate_encode(&b, &cm), 0);
	feed_hs(c, TLS_HS_CERTIFICATE, b.p, b.len);
	tls_buf_free(&b);
	assert_int_equal(tls_conn_alert_sent(c), -1);
}

/* Signs params as the server would; flip != 0 breaks the signature. */
static int ske_alert(uint16_t suite, const uint8_t *params, size_t n, int flip)
{
	tls_conn *c = client_for(NULL, NULL);
	hello_and_certificate(c, suite);
	const tls_knowledge *k = tls_conn_knowledge(c);
	const uint8_t *parts[] = {k->client_random, k->server_random, params};
	const size_t lens[] = {32, 32, n};
	uint8_t d[64], sig[TLS_SIG_MAX];
	size_t dl, sl = sizeof sig;
	assert_int_equal(tls_sig_digest(TLS_SIG_RSA_SHA256, parts, lens, 3, d, &dl), 0);
	assert_int_equal(tls_sig_sign(TLS_SIG_RSA_SHA256, d, dl, &server_pki.key.rsa, &rng_s, sig, &sl), 0);
	sig[10] ^= (uint8_t)flip;
	tls_buf body = {0};
	assert_int_equal(tls_buf_put(&body, params, n), 0);
	assert_int_equal(tls_signed_encode(&body, TLS_SIG_RSA_SHA256, sig, sl), 0);
	feed_hs(c, TLS_HS_SERVER_KEY_EXCHANGE, body.p, body.len);
	tls_buf_free(&body);
	int a = tls_conn_alert_sent(c);
	tls_conn_free(c);
	return a;
}

static size_t ec_params(uint8_t *out, uint8_t curve_type, uint16_t curve, const uint8_t *pt, size_t n)
{
	out[0] = curve_type;
	out[1] = (uint8_t)(curve >> 8);
	out[2] = (uint8_t)curve;
	out[3] = (uint8_t)n;
	memcpy(out + 4, pt, n);
	return 4 + n;
}

static void test_ecdhe_bad_params(void **st)
{
	(void)st;
	uint8_t good[65], pt[65], params[80];
	unsigned long gl = sizeof good;
	ecc_key key;
	int p256 = -1;
	tls_rng_seed(&rng_s, 3, "test");
	for (int i = 0; ltc_ecc_sets[i].size; i++)
		if (!strcmp(ltc_ecc_sets[i].name, "ECC-256"))
			p256 = i;
	assert_true(p256 >= 0);
	assert_int_equal(ecc_make_key_ex(&rng_s.state, rng_s.idx, &key, &ltc_ecc_sets[p256]), CRYPT_OK);
	assert_int_equal(ecc_ansi_x963_export(&key, good, &gl), CRYPT_OK);
	ecc_free(&key);
	assert_int_equal(gl, 65);
	/* the harness itself: a good point goes through, a bad signature does not */
	assert_int_equal(ske_alert(0xC02F, params, ec_params(params, 3, 23, good, 65), 0), -1);
	assert_int_equal(ske_alert(0xC02F, params, ec_params(params, 3, 23, good, 65), 1), TLS_ALERT_DECRYPT_ERROR);
	memcpy(pt, good, 65);
	pt[64] ^= 1; /* y changed: off the curve */
	assert_int_equal(ske_alert(0xC02F, params, ec_params(params, 3, 23, pt, 65), 0), TLS_ALERT_ILLEGAL_PARAMETER);
	memset(pt + 1, 0xff, 32); /* x >= p */
	assert_int_equal(ske_alert(0xC02F, params, ec_params(params, 3, 23, pt, 65), 0), TLS_ALERT_ILLEGAL_PARAMETER);
	uint8_t inf = 0;
	assert_int_equal(ske_alert(0xC02F, params, ec_params(params, 3, 23, &inf, 1), 0), TLS_ALERT_ILLEGAL_PARAMETER);
	memcpy(pt, good, 33);
	pt[0] = 2 + (good[64] & 1); /* compressed */
	assert_int_equal(ske_alert(0xC02F, params, ec_params(params, 3, 23, pt, 33), 0), TLS_ALERT_ILLEGAL_PARAMETER);
	memcpy(pt, good, 65);
	pt[0] = 6 + (good[64] & 1); /* hybrid */
	assert_int_equal(ske_alert(0xC02F, params, ec_params(params, 3, 23, pt, 65), 0), TLS_ALERT_ILLEGAL_PARAMETER);
	assert_int_equal(ske_alert(0xC02F, params, ec_params(params, 3, 25, good, 65), 0), TLS_ALERT_ILLEGAL_PARAMETER);
	assert_int_equal(ske_alert(0xC02F, params, ec_params(params, 3, 0x1234, good, 65), 0),
			 TLS_ALERT_ILLEGAL_PARAMETER);
	/* explicit_prime curve parameters */
	assert_int_equal(ske_alert(0xC02F, params, ec_params(params, 1, 23, good, 65), 0), TLS_ALERT_HANDSHAKE_FAILURE);
}

static const char ffdhe2048[] =
	"FFFFFFFFFFFFFFFFADF85458A2BB4A9AAFDC5620273D3CF1D8B9C583CE2D3695A9E13641146433FBCC939DCE249B3EF9"
	"7D2FE363630C75D8F681B202AEC4617AD3DF1ED5D5FD65612433F51F5F066ED0856365553DED1AF3B557135E7F57C935"
	"984F0C70E0E68B77E2A689DAF3EFE8721DF158A136ADE73530ACCA4F483A797ABC0AB182B324FB61D108A94BB2C8E3FB"
	"B96ADAB760D7F4681D4F42A3DE394DF4AE56EDE76372BB190B07A7C8EE0A6D709E02FCE1CDF7E2ECC03404CD28342F61"
	"9172FE9CE98583FF8E4F1232EEF28183C3FE3B1B4C6FAD733BB5FCBC2EC22005C58EF1837D1683B2C6F34A26C1B2EFFA"
	"886B423861285C97FFFFFFFFFFFFFFFF";

static void put_vec(tls_buf *b, const uint8_t *v, size_t n)
{
	assert_int_equal(tls_buf_u16(b, (unsigned)n), 0);
	assert_int_equal(tls_buf_put(b, v, n), 0);
}

static int dhe_alert(const uint8_t *p, size_t pl, const uint8_t *g, size_t gl, const uint8_t *y, size_t yl)
{
	tls_buf b = {0};
	put_vec(&b, p, pl);
	put_vec(&b, g, gl);
	put_vec(&b, y, yl);
	int a = ske_alert(0x0033, b.p, b.len, 0);
	tls_buf_free(&b);
	return a;
}

static void test_dhe_bad_params(void **st)
{
	(void)st;
	uint8_t p[256], pm1[256], small[128];
	const uint8_t zero = 0, one = 1, two = 2, three = 3;
	for (size_t i = 0; i < 256; i++) {
		unsigned v;
		sscanf(ffdhe2048 + 2 * i, "%2x", &v);
		p[i] = (uint8_t)v;
	}
	memcpy(pm1, p, 256);
	pm1[255] -= 1;
	memcpy(small, p + 128, 128); /* 1024 bits, odd */
	tls_rng_seed(&rng_s, 4, "test");
	assert_int_equal(dhe_alert(p, 256, &two, 1, &three, 1), -1);
	const uint8_t *bad[] = {&zero, &one, pm1, p};
	const size_t bad_len[] = {1, 1, 256, 256};
	for (int i = 0; i < 4; i++) {
		assert_int_equal(dhe_alert(p, 256, bad[i], bad_len[i], &three, 1), TLS_ALERT_ILLEGAL_PARAMETER);
		assert_int_equal(dhe_alert(p, 256, &two, 1, bad[i], bad_len[i]), TLS_ALERT_ILLEGAL_PARAMETER);
	}
	assert_int_equal(dhe_alert(small, 128, &two, 1, &three, 1), TLS_ALERT_INSUFFICIENT_SECURITY);
	/* p - 1 is even: not a prime */
	assert_int_equal(dhe_alert(pm1, 256, &two, 1, &three, 1), TLS_ALERT_ILLEGAL_PARAMETER);
	/* a bad signature over good parameters */
	tls_buf b = {0};
	put_vec(&b, p, 256);
	put_vec(&b, &two, 1);
	put_vec(&b, &three, 1);
	assert_int_equal(ske_alert(0x0033, b.p, b.len, 0x40), TLS_ALERT_DECRYPT_ERROR);
	tls_buf_free(&b);
}

/* ---- mutual authentication, both engines pumped directly ------------- */

static void pump(tls_conn *a, tls_conn *b)
{
	for (int moved = 1; moved;) {
		moved = 0;
		tls_conn *side[2] = {a, b};
		for (int i = 0; i < 2; i++) {
			const uint8_t *p;
			size_t n = tls_conn_output(side[i], &p);
			if (n) {
				tls_conn_recv(side[!i], p, n);
				tls_conn_consume(side[i], n);
				moved = 1;
			}
		}
	}
}

/* The alert the server sends when the client presents own/key. */
static int mutual_alert(const tls_creds *own, const tls_privkey *key)
{
	tls_config s = {0};
	tls_conn *sv, *cl = client_for(own, key);
	tls_rng_seed(&rng_s, 12, "server");
	s.is_server = 1;
	s.rng = &rng_s;
	s.now = SIM_DEFAULT_TIME;
	s.suites = kx_suites;
	s.n_suites = 2;
	s.chain_der = server_pki.chain_der;
	s.chain_len = server_pki.chain_len;
	s.chain_n = server_pki.chain_n;
	s.key = &server_pki.key;
	s.request_client_cert = 1;
	s.client_anchors = server_pki.anchors;
	s.n_client_anchors = server_pki.n_anchors;
	assert_int_equal(tls_conn_new(&sv, &s), 0);
	pump(cl, sv);
	int a = tls_conn_alert_sent(sv);
	if (a < 0) {
		assert_int_equal(tls_conn_status(cl), TLS_ESTABLISHED);
		assert_int_equal(tls_conn_status(sv), TLS_ESTABLISHED);
	}
	tls_conn_free(cl);
	tls_conn_free(sv);
	return a;
}

static void test_mutual_failures(void **st)
{
	(void)st;
	assert_int_equal(mutual_alert(&client_pki, &client_pki.key), -1);
	assert_int_equal(mutual_alert(NULL, NULL), TLS_ALERT_HANDSHAKE_FAILURE);
	/* a certificate with someone else's key: the CertificateVerify fails */
	assert_int_equal(mutual_alert(&client_pki, &server_pki.key), TLS_ALERT_DECRYPT_ERROR);
	assert_int_equal(mutual_alert(&other_pki, &other_pki.key), TLS_ALERT_UNKNOWN_CA);
}

/* A refused certificate: step 3 marks the one field that decided, in the
 * message and in the record that carried it, and nothing else. */
static void test_refusal_marks_field(void **state)
{
	(void)state;
	static const struct {
		const char *scenario, *path;
	} want[] = {
		{"wrong-purpose", "certificate[0].extensions.extKeyUsage"},
		{"wrong-host", "certificate[0].extensions.subjectAltName"},
		{"expired", "certificate[0].validity.notAfter"},
		{"untrusted-ca", "certificate[1].issuer"},
		{"rsa", NULL},
	};
	for (size_t w = 0; w < sizeof want / sizeof want[0]; w++) {
		model *m = run(want[w].scenario, 1);
		const model_step *st = &m->steps[3];
		size_t marked = 0;
		for (size_t i = 0; i < st->n_msg; i++)
			for (size_t f = 0; f < st->msg[i].fields.n; f++)
				if (strstr(st->msg[i].fields.v[f].meaning, "[this decided the refusal]")) {
					assert_string_equal(st->msg[i].fields.v[f].path, want[w].path);
					marked++;
				}
		for (size_t r = 0; r < st->n_rec; r++)
			for (size_t f = 0; f < st->rec[r].fields.n; f++)
				marked += strstr(st->rec[r].fields.v[f].meaning, "[this decided the refusal]") != NULL;
		assert_int_equal(marked, want[w].path ? 2 : 0);
		done(m);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_scenario),
		cmocka_unit_test(test_forward_secrecy_scenarios),
		cmocka_unit_test(test_mutual),
		cmocka_unit_test(test_resume),
		cmocka_unit_test(test_tampered_custom),
		cmocka_unit_test(test_old_names),
		cmocka_unit_test(test_refusal_marks_field),
		cmocka_unit_test(test_ecdhe_bad_params),
		cmocka_unit_test(test_dhe_bad_params),
		cmocka_unit_test(test_mutual_failures),
	};
	use_srcdir();
	return cmocka_run_group_tests(tests, setup, teardown);
}
