/* The server's state machine: ClientHello in; ServerHello, Certificate,
 * ServerHelloDone out; ClientKeyExchange, ChangeCipherSpec, Finished in;
 * ChangeCipherSpec, Finished out. */
#include "tls/conn_int.h"

#include "tls/crypto.h"

#include <stdio.h>
#include <string.h>

static const uint8_t empty_reneg[] = {0x00};

/* Server preference order among what the client offered. */
static const tls_suite *choose_suite(const tls_conn *c, const tls_client_hello *ch)
{
	for (size_t i = 0; i < c->cfg.n_suites; i++)
		for (size_t j = 0; j < ch->n_suites; j++)
			if (ch->suites[j] == c->cfg.suites[i] && tls_suite_by_id(ch->suites[j]))
				return tls_suite_by_id(ch->suites[j]);
	return NULL;
}

static int check_client_hello(tls_conn *c, const tls_client_hello *ch)
{
	if (ch->version < TLS_VERSION_12)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_PROTOCOL_VERSION),
				"the client offers at most version 0x%04x; this server needs TLS 1.2",
				ch->version);
	if (!ch->null_compression)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER),
				"the client did not offer null compression");
	for (size_t i = 0; i < ch->n_suites; i++)
		if (ch->suites[i] == TLS_SCSV_RENEGOTIATION)
			c->secure_renegotiation = 1;
	const tls_ext *ri = tls_ext_find(ch->exts, ch->n_exts, TLS_EXT_RENEGOTIATION_INFO);
	if (ri) {
		if (ri->len != 1 || ri->data[0] != 0)
			return tls_fail(c, TLS_FAIL(TLS_ALERT_HANDSHAKE_FAILURE),
					"renegotiation_info is not empty on a first handshake");
		c->secure_renegotiation = 1;
	}
	return 0;
}

static int send_server_flight(tls_conn *c)
{
	tls_server_hello sh;
	tls_buf body = {0};
	int rc;
	memset(&sh, 0, sizeof sh);
	sh.version = TLS_VERSION_12;
	tls_gmt_random(c, sh.random);
	memcpy(c->k.server_random, sh.random, 32);
	c->k.has_server_random = 1;
	sh.session_id_len = 32;
	tls_rng_read(c->cfg.rng, sh.session_id, 32);
	sh.suite = c->k.suite->id;
	if (c->secure_renegotiation)
		sh.exts[sh.n_exts++] = (tls_ext){TLS_EXT_RENEGOTIATION_INFO, empty_reneg, 1};
	rc = tls_server_hello_encode(&body, &sh);
	if (!rc)
		rc = tls_send_hs(c, TLS_HS_SERVER_HELLO, &body);
	tls_buf_clear(&body);
	tls_certificate_msg cm = {.n = c->cfg.chain_n};
	for (size_t i = 0; i < cm.n && i < TLS_MAX_CERTS; i++) {
		cm.der[i] = c->cfg.chain_der[i];
		cm.len[i] = c->cfg.chain_len[i];
	}
	if (!rc)
		rc = tls_certificate_encode(&body, &cm);
	if (!rc)
		rc = tls_send_hs(c, TLS_HS_CERTIFICATE, &body);
	tls_buf_clear(&body);
	if (!rc)
		rc = tls_send_hs(c, TLS_HS_SERVER_HELLO_DONE, &body);
	tls_buf_free(&body);
	return rc;
}

static int on_client_hello(tls_conn *c, const uint8_t *msg, size_t n)
{
	tls_client_hello ch;
	if (tls_client_hello_decode(msg + 4, n - 4, &ch, NULL))
		return tls_fail(c, TLS_FAIL(TLS_ALERT_DECODE_ERROR), "malformed ClientHello");
	int rc = check_client_hello(c, &ch);
	if (rc)
		return rc;
	c->k.suite = choose_suite(c, &ch);
	if (!c->k.suite)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_HANDSHAKE_FAILURE),
				"no cipher suite in common with the client");
	c->offered_version = ch.version;
	c->k.version = TLS_VERSION_12;
	memcpy(c->k.client_random, ch.random, 32);
	c->k.has_client_random = 1;
	snprintf(c->k.server_name, sizeof c->k.server_name, "%s", ch.server_name);
	tls_transcript_add(c, msg, n);
	if (!c->cfg.key || c->cfg.chain_n == 0)
		return tls_fail(c, TLS_ERR_INTERNAL, "the server has no certificate or key");
	rc = send_server_flight(c);
	if (rc)
		return tls_fail(c, rc, "could not build the server's flight");
	c->st = ST_WAIT_CLIENT_KEY_EXCHANGE;
	return 0;
}

/* RFC 5246 7.4.7.1: whatever the padding or version check says, go on with
 * a premaster secret; a bad one is replaced by random bytes drawn before
 * decryption, chosen with a mask rather than a branch, so the only symptom
 * is a Finished that does not match. */
static void rsa_premaster(tls_conn *c, const uint8_t *enc, size_t enc_len, uint8_t pms[48])
{
	uint8_t fake[48], dec[1024];
	unsigned long dec_len = sizeof dec;
	int stat = 0;
	tls_rng_read(c->cfg.rng, fake, 48);
	memset(dec, 0, sizeof dec);
	int err = rsa_decrypt_key_ex(enc, (unsigned long)enc_len, dec, &dec_len, NULL, 0,
				     tls_hash_sha256(), LTC_PKCS_1_V1_5, &stat,
				     (rsa_key *)c->cfg.key);
	unsigned good = (unsigned)(err == CRYPT_OK) & (unsigned)(stat == 1) & (unsigned)(dec_len == 48);
	good &= (unsigned)(dec[0] == (uint8_t)(c->offered_version >> 8));
	good &= (unsigned)(dec[1] == (uint8_t)c->offered_version);
	uint8_t mask = (uint8_t)(0u - good);
	for (int i = 0; i < 48; i++)
		pms[i] = (uint8_t)((dec[i] & mask) | (fake[i] & (uint8_t)~mask));
	zeromem(dec, sizeof dec);
	zeromem(fake, sizeof fake);
}

static int on_client_key_exchange(tls_conn *c, const uint8_t *msg, size_t n)
{
	const uint8_t *enc;
	size_t enc_len;
	if (tls_cke_rsa_decode(msg + 4, n - 4, &enc, &enc_len, NULL))
		return tls_fail(c, TLS_FAIL(TLS_ALERT_DECODE_ERROR), "malformed ClientKeyExchange");
	tls_transcript_add(c, msg, n);
	rsa_premaster(c, enc, enc_len, c->k.premaster);
	c->k.premaster_len = 48;
	c->k.has_premaster = 1;
	int rc = tls_derive_all(c);
	if (rc)
		return tls_fail(c, rc, "key derivation failed");
	c->st = ST_WAIT_CCS;
	return 0;
}

static int on_finished(tls_conn *c, const uint8_t *msg, size_t n)
{
	uint8_t got[12], want[12];
	if (tls_finished_decode(msg + 4, n - 4, got, NULL))
		return tls_fail(c, TLS_FAIL(TLS_ALERT_DECODE_ERROR), "Finished of the wrong size");
	if (tls_finished_make(c, 0, want))
		return tls_fail(c, TLS_ERR_INTERNAL, "could not compute verify_data");
	if (mem_neq(got, want, 12))
		return tls_fail(c, TLS_FAIL(TLS_ALERT_DECRYPT_ERROR),
				"the client's Finished does not match: the handshake was altered "
				"or the premaster secret differs");
	memcpy(c->k.client_verify, got, 12);
	c->k.has_client_verify = 1;
	tls_transcript_add(c, msg, n);
	int rc = tls_send_ccs(c);
	if (!rc)
		rc = tls_finished_make(c, 1, c->k.server_verify);
	if (rc)
		return tls_fail(c, rc, "could not build the server's Finished");
	c->k.has_server_verify = 1;
	tls_buf body = {0};
	tls_finished_encode(&body, c->k.server_verify);
	rc = tls_send_hs(c, TLS_HS_FINISHED, &body);
	tls_buf_free(&body);
	if (rc)
		return tls_fail(c, rc, "could not send Finished");
	c->st = ST_DONE;
	c->status = TLS_ESTABLISHED;
	return 0;
}

int tls_server_handle(tls_conn *c, uint8_t type, const uint8_t *msg, size_t n)
{
	switch (c->st) {
	case ST_WAIT_CLIENT_HELLO:
		if (type == TLS_HS_CLIENT_HELLO)
			return on_client_hello(c, msg, n);
		break;
	case ST_WAIT_CLIENT_KEY_EXCHANGE:
		if (type == TLS_HS_CLIENT_KEY_EXCHANGE)
			return on_client_key_exchange(c, msg, n);
		break;
	case ST_WAIT_FINISHED:
		if (type == TLS_HS_FINISHED)
			return on_finished(c, msg, n);
		break;
	default:
		break;
	}
	return tls_fail(c, TLS_FAIL(TLS_ALERT_UNEXPECTED_MESSAGE), "unexpected %s from the client",
			tls_hs_name(type));
}
