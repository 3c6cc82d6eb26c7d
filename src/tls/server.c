/* The server's state machine. Full handshake: ClientHello in; ServerHello,
 * Certificate, [ServerKeyExchange], [CertificateRequest], ServerHelloDone
 * out; [Certificate], ClientKeyExchange, [CertificateVerify],
 * ChangeCipherSpec, Finished in; ChangeCipherSpec, Finished out. A
 * ClientHello offering the cached session gets the abbreviated handshake:
 * ServerHello, ChangeCipherSpec, Finished at once. */
#include "tls/conn_int.h"

#include "tls/crypto.h"
#include "tls/kx.h"
#include "tls/server_int.h"
#include "tls/tls13.h"
#include "tls/sig.h"

#include <stdio.h>
#include <string.h>

static const uint8_t empty_reneg[] = {0x00};
static const uint8_t point_formats[] = {0x01, 0x00}; /* uncompressed only */

static int ec_key(const tls_conn *c)
{
	return c->cfg.key && c->cfg.key->type == TLS_X509_KEY_EC;
}

/* Server preference order among what the client offered, skipping key
 * exchanges the client cannot do (an ECDHE suite without a common curve, a
 * signed ServerKeyExchange with no signature algorithm in common) and
 * suites the key cannot authenticate: ECDHE_ECDSA needs an EC key, every
 * other suite here an RSA key (RFC 8422 2, RFC 5246 7.4.2). */
static const tls_suite *choose_suite(const tls_conn *c, const tls_client_hello *ch)
{
	for (size_t i = 0; i < c->cfg.n_suites; i++)
		for (size_t j = 0; j < ch->n_suites; j++) {
			const tls_suite *s = tls_suite_by_id(ch->suites[j]);
			if (ch->suites[j] == c->cfg.suites[i] && s && !s->tls13 && tls_suite_is_ecdsa(s) == ec_key(c) &&
			    tls_kx_ops_for(s)->server_can(c) &&
			    (!tls_kx_ops_for(s)->server_params || tls_server_sig_alg(c)))
				return s;
		}
	return NULL;
}

/* What the client said about curves and point formats (RFC 8422 5.1). */
static void read_ec_extensions(tls_conn *c, const tls_client_hello *ch)
{
	const tls_ext *g = tls_ext_find(ch->exts, ch->n_exts, TLS_EXT_SUPPORTED_GROUPS);
	const tls_ext *f = tls_ext_find(ch->exts, ch->n_exts, TLS_EXT_EC_POINT_FORMATS);
	if (g) {
		c->peer_sent_groups = 1;
		memcpy(c->peer_groups, ch->groups, ch->n_groups * sizeof ch->groups[0]);
		c->n_peer_groups = ch->n_groups;
	}
	if (f) {
		c->peer_sent_point_formats = 1;
		for (size_t i = 1; i < f->len; i++)
			c->peer_uncompressed_ok |= f->data[i] == 0;
	}
}

/* Reads the whole signature_algorithms list, not the decoder's first 32:
 * the one usable pair may come after thousands of unknown or repeated ones. */
static void read_sig_algs(tls_conn *c, const tls_client_hello *ch)
{
	const tls_ext *e = tls_ext_find(ch->exts, ch->n_exts, TLS_EXT_SIGNATURE_ALGORITHMS);
	c->n_peer_sig_algs = 0;
	c->peer_sent_sig_algs = e != NULL;
	if (!e || e->len < 2)
		return;
	for (size_t i = 2; i + 1 < e->len; i += 2) {
		uint16_t v = (uint16_t)(e->data[i] << 8 | e->data[i + 1]);
		enum tls_sig_scheme sc = tls_sig_scheme(v);
		int known = 0;
		if (sc == TLS_SCHEME_NONE || tls_sig_hash(v) < 0) /* RSA, and ECDSA for an EC key */
			continue;
		for (size_t j = 0; j < c->n_peer_sig_algs; j++)
			known |= c->peer_sig_algs[j] == v;
		if (!known && c->n_peer_sig_algs < sizeof c->peer_sig_algs / sizeof c->peer_sig_algs[0])
			c->peer_sig_algs[c->n_peer_sig_algs++] = v;
	}
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
	read_ec_extensions(c, ch);
	read_sig_algs(c, ch);
	const tls_ext *ems = tls_ext_find(ch->exts, ch->n_exts, TLS_EXT_EXTENDED_MASTER_SECRET);
	if (ems && ems->len != 0)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_DECODE_ERROR), "extended_master_secret must be empty");
	c->k.ems = ems && c->cfg.ems;
	const tls_ext *etm = tls_ext_find(ch->exts, ch->n_exts, TLS_EXT_ENCRYPT_THEN_MAC);
	if (etm && etm->len != 0)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_DECODE_ERROR), "encrypt_then_mac must be empty");
	c->peer_offered_etm = etm != NULL;
	return 0;
}

static int send_server_hello(tls_conn *c, const uint8_t *sid, size_t sid_len)
{
	tls_server_hello sh;
	tls_buf body = {0};
	memset(&sh, 0, sizeof sh);
	sh.version = TLS_VERSION_12;
	tls_gmt_random(c, sh.random);
	if (c->cfg.max_version >= TLS_VERSION_13) /* RFC 8446 4.1.3: we could have done 1.3 */
		memcpy(sh.random + 24, tls13_downgrade_12, 8);
	memcpy(c->k.server_random, sh.random, 32);
	c->k.has_server_random = 1;
	sh.session_id_len = sid_len;
	if (sid)
		memcpy(sh.session_id, sid, sid_len);
	else
		tls_rng_read(c->cfg.rng, sh.session_id, sid_len);
	memcpy(c->k.session_id, sh.session_id, sid_len);
	c->k.session_id_len = sid_len;
	sh.suite = c->k.suite->id;
	if (c->secure_renegotiation)
		sh.exts[sh.n_exts++] = (tls_ext){TLS_EXT_RENEGOTIATION_INFO, empty_reneg, 1};
	if (c->k.ems)
		sh.exts[sh.n_exts++] = (tls_ext){TLS_EXT_EXTENDED_MASTER_SECRET, NULL, 0};
	/* RFC 7366 3: never for an AEAD suite. */
	c->k.etm = c->cfg.etm && c->peer_offered_etm && c->k.suite->bulk == TLS_BULK_AES_CBC;
	if (c->k.etm)
		sh.exts[sh.n_exts++] = (tls_ext){TLS_EXT_ENCRYPT_THEN_MAC, NULL, 0};
	if (c->k.suite->kx == TLS_KX_ECDHE_RSA && c->peer_sent_point_formats)
		sh.exts[sh.n_exts++] = (tls_ext){TLS_EXT_EC_POINT_FORMATS, point_formats, 2};
	int rc = tls_server_hello_encode(&body, &sh);
	if (!rc)
		rc = tls_send_hs(c, TLS_HS_SERVER_HELLO, &body);
	tls_buf_free(&body);
	return rc;
}

static int send_server_flight(tls_conn *c)
{
	tls_buf body = {0};
	int rc = send_server_hello(c, NULL, 32);
	if (!rc)
		rc = tls_send_certificate(c, c->cfg.chain_n);
	if (!rc)
		rc = tls_server_send_key_exchange(c);
	if (!rc && c->cfg.request_client_cert)
		rc = tls_server_send_cert_request(c);
	if (!rc && c->status != TLS_FAILED)
		rc = tls_send_hs(c, TLS_HS_SERVER_HELLO_DONE, &body);
	tls_buf_free(&body);
	return rc;
}

/* The cached session, if the client offers it and its suite. */
static const tls_session *cached(const tls_conn *c, const tls_client_hello *ch)
{
	const tls_session *s = c->cfg.session_cache;
	if (!s || !s->valid || !ch->session_id_len || s->id_len != ch->session_id_len ||
	    memcmp(s->id, ch->session_id, s->id_len))
		return NULL;
	/* Resume only with the same extended master secret and record layout
	 * the session had; otherwise a full handshake (RFC 7627 5.3). */
	int ems = c->cfg.ems && tls_ext_find(ch->exts, ch->n_exts, TLS_EXT_EXTENDED_MASTER_SECRET);
	int etm = c->cfg.etm && tls_ext_find(ch->exts, ch->n_exts, TLS_EXT_ENCRYPT_THEN_MAC) &&
		  tls_suite_by_id(s->suite) && tls_suite_by_id(s->suite)->bulk == TLS_BULK_AES_CBC;
	if (ems != s->ems || etm != s->etm)
		return NULL;
	for (size_t i = 0; i < ch->n_suites; i++)
		if (ch->suites[i] == s->suite && tls_suite_by_id(s->suite))
			return s;
	return NULL;
}

/* Abbreviated handshake (RFC 5246 7.3): the same session ID back, and the
 * server's ChangeCipherSpec and Finished right away. */
static int resume(tls_conn *c, const tls_session *s)
{
	c->k.suite = tls_suite_by_id(s->suite);
	int rc = send_server_hello(c, s->id, s->id_len);
	if (!rc && tls_resume_keys(c, s))
		rc = TLS_ERR_INTERNAL;
	if (rc)
		return tls_fail(c, rc, "could not resume the session");
	c->st = ST_WAIT_CCS;
	return tls_send_finished(c);
}

static int on_client_hello(tls_conn *c, const uint8_t *msg, size_t n)
{
	tls_client_hello ch;
	if (tls_client_hello_decode(msg + 4, n - 4, &ch, NULL))
		return tls_fail(c, TLS_FAIL(TLS_ALERT_DECODE_ERROR), "malformed ClientHello");
	if (tls13_server_offered(c, &ch))
		return tls13_server_client_hello(c, msg, n, &ch);
	if (c->cfg.min_version >= TLS_VERSION_13) /* RFC 8446 4.2.1: no version in common */
		return tls_fail(c, TLS_FAIL(TLS_ALERT_PROTOCOL_VERSION),
				"the client does not offer TLS 1.3 (%s, legacy version 0x%04x); this server "
				"speaks only TLS 1.3",
				tls_ext_find(ch.exts, ch.n_exts, TLS_EXT_SUPPORTED_VERSIONS)
				    ? "its supported_versions lacks 0x0304"
				    : "no supported_versions",
				ch.version);
	int rc = check_client_hello(c, &ch);
	if (rc)
		return rc;
	c->offered_version = ch.version;
	c->k.version = TLS_VERSION_12;
	memcpy(c->k.client_random, ch.random, 32);
	c->k.has_client_random = 1;
	snprintf(c->k.server_name, sizeof c->k.server_name, "%s", ch.server_name);
	const tls_session *s = cached(c, &ch);
	if (s) {
		tls_transcript_add(c, msg, n);
		return resume(c, s);
	}
	c->k.suite = choose_suite(c, &ch);
	if (!c->k.suite)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_HANDSHAKE_FAILURE), "no cipher suite in common with the client%s",
		                ec_key(c) ? " (the server's key is EC: only ECDHE_ECDSA suites, with the client offering "
		                            "the ECDSA scheme of its curve)"
		                          : "");
	tls_transcript_add(c, msg, n);
	if (!c->cfg.key || c->cfg.chain_n == 0)
		return tls_fail(c, TLS_ERR_INTERNAL, "the server has no certificate or key");
	rc = send_server_flight(c);
	if (rc)
		return tls_fail(c, rc, "could not build the server's flight");
	c->st = c->cfg.request_client_cert ? ST_WAIT_CLIENT_CERTIFICATE : ST_WAIT_CLIENT_KEY_EXCHANGE;
	return 0;
}

static int on_client_key_exchange(tls_conn *c, const uint8_t *msg, size_t n)
{
	/* The CertificateVerify that may follow signs the transcript up to here. */
	tls_transcript_add(c, msg, n);
	int rc;
	TLS_TIMED(c, TLS_PH_KX, rc = tls_kx_ops_for(c->k.suite)->server_exchange(c, msg + 4, n - 4));
	if (rc)
		return rc;
	if (tls_derive_all(c))
		return tls_fail(c, TLS_ERR_INTERNAL, "key derivation failed");
	c->st = c->client_cert_ok ? ST_WAIT_CERTIFICATE_VERIFY : ST_WAIT_CCS;
	return 0;
}

static void remember_session(tls_conn *c)
{
	tls_session *s = c->cfg.session_cache;
	if (!s || c->k.resumed)
		return;
	tls_session_wipe(s);
	s->valid = 1;
	memcpy(s->id, c->k.session_id, c->k.session_id_len);
	s->id_len = c->k.session_id_len;
	s->suite = c->k.suite->id;
	memcpy(s->master, c->k.master, 48);
	s->ems = c->k.ems;
	s->etm = c->k.etm;
}

static int on_finished(tls_conn *c, const uint8_t *msg, size_t n)
{
	int rc = tls_check_finished(c, msg, n);
	if (rc)
		return rc;
	if (!c->k.resumed && (rc = tls_send_finished(c)))
		return rc;
	remember_session(c);
	tls_established(c);
	return 0;
}

/* The server's handshake, one row per message it accepts. */
static const tls_hs_row server_rows[] = {
	{ST_WAIT_CLIENT_HELLO, TLS_HS_CLIENT_HELLO, on_client_hello},
	{ST_WAIT_CLIENT_CERTIFICATE, TLS_HS_CERTIFICATE, tls_server_on_client_certificate},
	{ST_WAIT_CLIENT_KEY_EXCHANGE, TLS_HS_CLIENT_KEY_EXCHANGE, on_client_key_exchange},
	{ST_WAIT_CERTIFICATE_VERIFY, TLS_HS_CERTIFICATE_VERIFY, tls_server_on_certificate_verify},
	{ST_WAIT_FINISHED, TLS_HS_FINISHED, on_finished},
};

int tls_server_handle(tls_conn *c, enum tls_hs_type type, const uint8_t *msg, size_t n)
{
	tls_hs_handler on = tls_hs_lookup(server_rows, sizeof server_rows / sizeof server_rows[0], c->st, type);
	if (on)
		return on(c, msg, n);
	return tls_fail(c, TLS_FAIL(TLS_ALERT_UNEXPECTED_MESSAGE), "unexpected %s from the client",
			tls_hs_name(type));
}
