/* The client's state machine. Full handshake: ClientHello out; ServerHello,
 * Certificate, [ServerKeyExchange], [CertificateRequest], ServerHelloDone
 * in; [Certificate], ClientKeyExchange, [CertificateVerify],
 * ChangeCipherSpec, Finished out; ChangeCipherSpec, Finished in.
 * Abbreviated (resumed) handshake: after the ServerHello the server's
 * ChangeCipherSpec and Finished come first, then the client's. */
#include "tls/conn_int.h"

#include "tls/crypto.h"
#include "tls/kx.h"
#include "tls/sig.h"
#include "tls/tls13.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

static const uint16_t default_sig_algs[] = {TLS_SIG_RSA_SHA256, TLS_SIG_RSA_SHA384, TLS_SIG_RSA_SHA512,
					    TLS_SIG_RSA_SHA1};
#define MAX_SIG_ALGS 32

static size_t n_sig_algs(const tls_conn *c)
{
	if (!c->cfg.sig_algs)
		return sizeof default_sig_algs / sizeof default_sig_algs[0];
	return c->cfg.n_sig_algs < MAX_SIG_ALGS ? c->cfg.n_sig_algs : MAX_SIG_ALGS;
}

static uint16_t sig_alg_at(const tls_conn *c, size_t i)
{
	return c->cfg.sig_algs ? c->cfg.sig_algs[i] : default_sig_algs[i];
}

static size_t sig_algs_ext(const tls_conn *c, uint8_t *out)
{
	size_t n = n_sig_algs(c);
	out[0] = (uint8_t)((2 * n) >> 8);
	out[1] = (uint8_t)(2 * n);
	for (size_t i = 0; i < n; i++) {
		out[2 + 2 * i] = (uint8_t)(sig_alg_at(c, i) >> 8);
		out[3 + 2 * i] = (uint8_t)sig_alg_at(c, i);
	}
	return 2 + 2 * n;
}
static const uint8_t empty_reneg[] = {0x00};
static const uint8_t point_formats_ext[] = {0x01, 0x00}; /* uncompressed only */

static int is_ip_literal(const char *s)
{
	uint8_t buf[16];
	return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

static size_t sni_ext(const char *host, uint8_t *out, size_t cap)
{
	size_t n = strlen(host);
	if (n == 0 || n > 255 || n + 5 > cap || is_ip_literal(host))
		return 0; /* RFC 6066: no SNI for IP literals */
	out[0] = (uint8_t)((n + 3) >> 8);
	out[1] = (uint8_t)(n + 3);
	out[2] = 0; /* host_name */
	out[3] = (uint8_t)(n >> 8);
	out[4] = (uint8_t)n;
	memcpy(out + 5, host, n);
	return n + 5;
}

static int offers_ecdhe(const tls_conn *c)
{
	for (size_t i = 0; i < c->cfg.n_suites; i++) {
		if (tls_suite_is_ecdhe(tls_suite_by_id(c->cfg.suites[i])))
			return 1;
	}
	return 0;
}

static void hello_session(tls_conn *c, tls_client_hello *ch)
{
	const tls_session *s = c->cfg.resume;
	if (!s || !s->valid || s->id_len == 0 || s->id_len > 32)
		return;
	memcpy(ch->session_id, s->id, s->id_len);
	ch->session_id_len = s->id_len;
	/* Offering a session means holding its master secret already. */
	memcpy(c->k.master, s->master, 48);
	c->k.has_cached_master = 1;
}

int tls_client_start(tls_conn *c)
{
	tls_client_hello ch;
	uint8_t sni[300], groups[16], sig_algs[2 + 2 * MAX_SIG_ALGS];
	memset(&ch, 0, sizeof ch);
	c->offered_version = c->cfg.max_version ? c->cfg.max_version : TLS_VERSION_12;
	/* An old client says its version in the record header too. */
	c->rec_version = c->offered_version < TLS_VERSION_12 ? c->offered_version : TLS_VERSION_12;
	if (c->offered_version >= TLS_VERSION_13)
		c->offered_version = TLS_VERSION_12; /* 1.3 is offered in supported_versions */
	ch.version = c->offered_version;
	tls_gmt_random(c, ch.random);
	memcpy(c->k.client_random, ch.random, 32);
	c->k.has_client_random = 1;
	hello_session(c, &ch);
	for (size_t i = 0; i < c->cfg.n_suites && i < TLS_MAX_SUITES; i++) {
		const tls_suite *su = tls_suite_by_id(c->cfg.suites[i]);
		if (!su || !su->tls13) /* 1.3 suites are offered only with 1.3 (suites13) */
			ch.suites[ch.n_suites++] = c->cfg.suites[i];
	}
	size_t sn = c->cfg.server_name ? sni_ext(c->cfg.server_name, sni, sizeof sni) : 0;
	if (sn)
		ch.exts[ch.n_exts++] = (tls_ext){TLS_EXT_SERVER_NAME, sni, sn};
	if (offers_ecdhe(c)) {
		size_t gn = tls_kx_groups_ext(groups, sizeof groups);
		ch.exts[ch.n_exts++] = (tls_ext){TLS_EXT_SUPPORTED_GROUPS, groups, gn};
		ch.exts[ch.n_exts++] = (tls_ext){TLS_EXT_EC_POINT_FORMATS, point_formats_ext, 2};
	}
	/* RFC 5246 7.4.1.4.1: not offered by a client that offers older versions. */
	if (ch.version >= TLS_VERSION_12)
		ch.exts[ch.n_exts++] = (tls_ext){TLS_EXT_SIGNATURE_ALGORITHMS, sig_algs, sig_algs_ext(c, sig_algs)};
	ch.exts[ch.n_exts++] = (tls_ext){TLS_EXT_RENEGOTIATION_INFO, empty_reneg, 1};
	if (c->cfg.ems)
		ch.exts[ch.n_exts++] = (tls_ext){TLS_EXT_EXTENDED_MASTER_SECRET, NULL, 0};
	if (c->cfg.etm)
		ch.exts[ch.n_exts++] = (tls_ext){TLS_EXT_ENCRYPT_THEN_MAC, NULL, 0};
	c->st = ST_WAIT_SERVER_HELLO;
	if (c->cfg.max_version >= TLS_VERSION_13) {
		int rc = tls13_client_extend_hello(c, &ch);
		return rc ? rc : tls13_client_send_hello(c);
	}
	tls_buf body = {0};
	int rc = tls_client_hello_encode(&body, &ch);
	if (!rc)
		rc = tls_send_hs(c, TLS_HS_CLIENT_HELLO, &body);
	tls_buf_free(&body);
	return rc;
}

static int offered(const tls_conn *c, uint16_t id)
{
	for (size_t i = 0; i < c->cfg.n_suites; i++)
		if (c->cfg.suites[i] == id)
			return 1;
	return 0;
}

static int check_extensions(tls_conn *c, const tls_server_hello *sh)
{
	for (size_t i = 0; i < sh->n_exts; i++) {
		uint16_t t = sh->exts[i].type;
		if (t == TLS_EXT_RENEGOTIATION_INFO) {
			if (sh->exts[i].len != 1 || sh->exts[i].data[0] != 0)
				return tls_fail(c, TLS_FAIL(TLS_ALERT_HANDSHAKE_FAILURE),
						"renegotiation_info is not empty on a first handshake");
			c->secure_renegotiation = 1;
		} else if (t == TLS_EXT_EXTENDED_MASTER_SECRET && c->cfg.ems) {
			if (sh->exts[i].len != 0)
				return tls_fail(c, TLS_FAIL(TLS_ALERT_DECODE_ERROR),
						"extended_master_secret must be empty");
			c->k.ems = 1;
		} else if (t == TLS_EXT_ENCRYPT_THEN_MAC && c->cfg.etm) {
			const tls_suite *s = tls_suite_by_id(sh->suite);
			/* RFC 7366 3: only for a CBC suite, and empty. */
			if (sh->exts[i].len != 0 || !s || s->bulk != TLS_BULK_AES_CBC)
				return tls_fail(c, TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER),
						"encrypt_then_mac answered for a suite without CBC, or not empty");
			c->k.etm = 1;
		} else if (t == TLS_EXT_EC_POINT_FORMATS && offers_ecdhe(c)) {
			continue; /* RFC 8422 5.2: the server's formats; uncompressed is always among them */
		} else if (t != TLS_EXT_SERVER_NAME) {
			return tls_fail(c, TLS_FAIL(TLS_ALERT_UNSUPPORTED_EXTENSION),
					"the server sent extension %u, which the client did not offer", t);
		}
	}
	return 0;
}

static int check_server_hello(tls_conn *c, const tls_server_hello *sh, const tls_suite **s)
{
	if (sh->version != TLS_VERSION_12)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_PROTOCOL_VERSION),
				"the server chose version 0x%04x; tlsstep speaks TLS 1.2 only", sh->version);
	*s = tls_suite_by_id(sh->suite);
	if (!offered(c, sh->suite) || !*s || (*s)->tls13) {
		const char *nm = tls_suite_iana_name(sh->suite);
		return tls_fail(c, TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER),
				"the server chose cipher suite %s (0x%04X), which the client did not offer",
				nm ? nm : "unknown", sh->suite);
	}
	if (sh->compression != 0)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER),
				"the server chose compression method %u", sh->compression);
	return check_extensions(c, sh);
}

/* The server accepted the offered session: both sides still hold its
 * master secret, so certificate and key exchange are skipped. */
static int resuming(const tls_conn *c, const tls_server_hello *sh)
{
	const tls_session *s = c->cfg.resume;
	return s && s->valid && s->id_len && s->id_len == sh->session_id_len &&
	       !memcmp(s->id, sh->session_id, s->id_len);
}

/* RFC 7627 5.3 and RFC 7366 3.1: a resumed session keeps the extended
 * master secret and encrypt-then-MAC it had; a change means a broken
 * server or an attacker, and the client aborts. */
static int same_session_options(tls_conn *c, const tls_session *s)
{
	int ems = s->ems != c->k.ems;
	if (!ems && s->etm == c->k.etm)
		return 0;
	return tls_fail(
	    c, TLS_FAIL(TLS_ALERT_HANDSHAKE_FAILURE), "the server resumed a session made %s %s, %s it",
	    (ems ? s->ems : s->etm) ? "with" : "without", ems ? "extended_master_secret" : "encrypt_then_mac",
	    (ems ? c->k.ems : c->k.etm) ? "now with" : "now without");
}

static int on_server_hello(tls_conn *c, const uint8_t *msg, size_t n)
{
	tls_server_hello sh;
	const tls_suite *s = NULL;
	if (tls_server_hello_decode(msg + 4, n - 4, &sh, NULL))
		return tls_fail(c, TLS_FAIL(TLS_ALERT_DECODE_ERROR), "malformed ServerHello");
	if (c->cfg.max_version >= TLS_VERSION_13) {
		int r13 = tls13_client_server_hello(c, msg, n, &sh);
		if (r13 != 1)
			return r13;
	}
	int rc = check_server_hello(c, &sh, &s);
	if (rc)
		return rc;
	tls_transcript_add(c, msg, n);
	c->k.suite = s;
	c->k.version = sh.version;
	memcpy(c->k.server_random, sh.random, 32);
	c->k.has_server_random = 1;
	memcpy(c->k.session_id, sh.session_id, sh.session_id_len);
	c->k.session_id_len = sh.session_id_len;
	c->k.transcript_hash_len = tls_transcript_hash(c, c->k.transcript_hash);
	if (!resuming(c, &sh)) {
		c->st = ST_WAIT_CERTIFICATE;
		return 0;
	}
	if (c->cfg.resume->suite != sh.suite)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER),
				"the server resumed the session with another cipher suite");
	if ((rc = same_session_options(c, c->cfg.resume)))
		return rc;
	if (tls_resume_keys(c, c->cfg.resume))
		return tls_fail(c, TLS_ERR_INTERNAL, "key derivation failed");
	c->st = ST_WAIT_CCS;
	return 0;
}

/* What the key exchange does with the server's key (RFC 5246 7.4.2, RFC
 * 5280 4.2.1.3): RSA key exchange encrypts the premaster secret to it, every
 * other one has the server sign its parameters. */
static unsigned kx_key_usage(const tls_conn *c)
{
	return c->k.suite && c->k.suite->kx == TLS_KX_RSA ? TLS_X509_KU_KEY_ENCIPHERMENT
							   : TLS_X509_KU_DIGITAL_SIGNATURE;
}

int tls_client_check_chain(tls_conn *c)
{
	tls_x509_verdict v;
	tls_knowledge *k = &c->k;
	snprintf(k->cert_subject, sizeof k->cert_subject, "%s", c->peer[0].subject);
	k->cert_checked = 1;
	if (c->cfg.insecure) {
		snprintf(k->cert_note, sizeof k->cert_note,
			 "NOT VERIFIED: the client was told to accept any certificate, so anyone "
			 "could have sent this one");
		return 0;
	}
	tls_x509_policy pol = {.now = c->cfg.now,
			       .host = c->cfg.server_name,
			       .purpose = TLS_X509_PURPOSE_SERVER,
			       .leaf_key_usage = kx_key_usage(c)};
	int rc;
	TLS_TIMED(c, TLS_PH_CERT,
		  rc = tls_x509_verify(c->peer, c->n_peer, c->cfg.anchors, c->cfg.n_anchors, &pol, &v));
	k->cert_status = rc;
	if (rc) {
		snprintf(k->cert_note, sizeof k->cert_note, "rejected: %s", v.why);
		snprintf(k->cert_field, sizeof k->cert_field, "%s", v.field);
		return tls_fail(c, rc, "certificate rejected: %s", v.why);
	}
	snprintf(k->cert_note, sizeof k->cert_note,
		 "trusted: signed by a trusted CA, valid now, and names %s",
		 c->cfg.server_name ? c->cfg.server_name : "the server");
	return 0;
}

static int on_certificate(tls_conn *c, const uint8_t *msg, size_t n)
{
	size_t count = 0;
	int rc = tls_read_peer_chain(c, msg, n, &count);
	if (rc)
		return rc;
	if (count == 0)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_BAD_CERTIFICATE),
				"the server sent an empty certificate list");
	c->st = tls_kx_ops_for(c->k.suite)->server_params ? ST_WAIT_SERVER_KEY_EXCHANGE
							   : ST_WAIT_SERVER_HELLO_DONE;
	rc = tls_kx_check_cert(c);
	return rc ? rc : tls_client_check_chain(c);
}

static int offered_sig_alg(const tls_conn *c, uint16_t alg)
{
	if (c->cfg.max_version >= TLS_VERSION_13) /* the 1.3 hello offered its own list */
		return tls13_client_offered_sig_alg(c, alg);
	for (size_t i = 0; i < n_sig_algs(c); i++)
		if (sig_alg_at(c, i) == alg)
			return 1;
	return 0;
}

/* The signature binds the parameters to this handshake (both randoms) and
 * to the certificate's owner. */
static int verify_ske(tls_conn *c, const tls_ske *m)
{
	uint8_t d[64];
	size_t dl;
	const uint8_t *parts[] = {c->k.client_random, c->k.server_random, m->params};
	const size_t lens[] = {32, 32, m->params_len};
	if (!offered_sig_alg(c, m->sig_alg))
		return tls_fail(c, TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER),
				"the server signed with algorithm 0x%04x, which the client did not offer",
				m->sig_alg);
	/* RFC 5246 7.4.3: the signature must be made with the certificate's key. */
	if (tls_sig_key_type(m->sig_alg) != c->peer[0].key_type)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER),
				"the server signed with %s, which does not fit its certificate's %s key",
				tls_sig_name(m->sig_alg), c->peer[0].key_type == TLS_X509_KEY_EC ? "EC" : "RSA");
	if (tls_sig_digest(m->sig_alg, parts, lens, 3, d, &dl))
		return tls_fail(c, TLS_ERR_INTERNAL, "could not hash the ServerKeyExchange");
	int bad;
	TLS_TIMED(c, TLS_PH_SIG, bad = tls_sig_verify(m->sig_alg, d, dl, m->sig, m->sig_len, &c->peer[0]));
	if (bad)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_DECRYPT_ERROR),
				"the ServerKeyExchange signature does not verify with the certificate's key: "
				"the parameters were changed or not made by the certificate's owner");
	c->k.ske_sig_alg = m->sig_alg;
	return 0;
}

static int on_server_key_exchange(tls_conn *c, const uint8_t *msg, size_t n)
{
	tls_ske m;
	const tls_kx_ops *kx = tls_kx_ops_for(c->k.suite);
	int rc = tls_ske_decode(msg + 4, n - 4, tls_suite_is_ecdhe(c->k.suite), &m, NULL);
	if (rc == TLS_FAIL(TLS_ALERT_HANDSHAKE_FAILURE))
		return tls_fail(c, rc, "the server sent explicit curve parameters; only named curves are supported");
	if (rc)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_DECODE_ERROR), "malformed ServerKeyExchange");
	tls_transcript_add(c, msg, n);
	rc = verify_ske(c, &m);
	if (!rc)
		TLS_TIMED(c, TLS_PH_KX, rc = kx->client_params(c, &m));
	c->st = ST_WAIT_SERVER_HELLO_DONE;
	return rc;
}

static int on_certificate_request(tls_conn *c, const uint8_t *msg, size_t n)
{
	tls_cert_request cr;
	if (tls_cert_request_decode(msg + 4, n - 4, &cr, NULL))
		return tls_fail(c, TLS_FAIL(TLS_ALERT_DECODE_ERROR), "malformed CertificateRequest");
	tls_transcript_add(c, msg, n);
	c->cert_requested = 1;
	/* Only an RSA certificate signed with rsa_pkcs1_sha256 can be sent (the
	 * client signs with an EC key only in TLS 1.3); otherwise the client
	 * answers with an empty Certificate. */
	int sha256 = 0, rsa = 0;
	for (size_t i = 0; i < cr.n_sig_algs; i++)
		sha256 |= cr.sig_algs[i] == TLS_SIG_RSA_SHA256;
	for (size_t i = 0; i < cr.n_types; i++)
		rsa |= cr.types[i] == 1;
	c->sent_client_cert = sha256 && rsa && c->cfg.chain_n && c->cfg.key && c->cfg.key->type == TLS_X509_KEY_RSA;
	return 0;
}

/* CertificateVerify: proves the client holds its certificate's key by
 * signing every handshake message so far. */
static int send_certificate_verify(tls_conn *c)
{
	uint8_t d[32], sig[TLS_SIG_MAX];
	size_t sl = sizeof sig;
	hash_state h = c->th256;
	sha256_done(&h, d);
	tls_buf body = {0};
	int rc;
	TLS_TIMED(c, TLS_PH_SIG, rc = tls_sig_sign_key(TLS_SIG_RSA_SHA256, d, 32, c->cfg.key, c->cfg.rng, sig, &sl));
	if (!rc)
		rc = tls_signed_encode(&body, TLS_SIG_RSA_SHA256, sig, sl);
	if (!rc)
		rc = tls_send_hs(c, TLS_HS_CERTIFICATE_VERIFY, &body);
	tls_buf_free(&body);
	return rc ? tls_fail(c, rc, "could not sign the CertificateVerify") : 0;
}

static int on_server_hello_done(tls_conn *c, const uint8_t *msg, size_t n)
{
	if (tls_server_hello_done_decode(msg + 4, n - 4, NULL))
		return tls_fail(c, TLS_FAIL(TLS_ALERT_DECODE_ERROR), "ServerHelloDone is not empty");
	tls_transcript_add(c, msg, n);
	/* RFC 5246 7.4.6: without a usable certificate, an empty list and no
	 * CertificateVerify; the server decides whether to go on. */
	if (c->cert_requested && tls_send_certificate(c, c->sent_client_cert ? c->cfg.chain_n : 0))
		return tls_fail(c, TLS_ERR_INTERNAL, "could not send the client's Certificate");
	tls_buf body = {0};
	int rc;
	TLS_TIMED(c, TLS_PH_KX, rc = tls_kx_ops_for(c->k.suite)->client_exchange(c, &body));
	if (!rc && tls_send_hs(c, TLS_HS_CLIENT_KEY_EXCHANGE, &body))
		rc = tls_fail(c, TLS_ERR_INTERNAL, "could not send the ClientKeyExchange");
	tls_buf_free(&body);
	if (rc)
		return rc;
	if (tls_derive_all(c))
		return tls_fail(c, TLS_ERR_INTERNAL, "key derivation failed");
	if (c->sent_client_cert && (rc = send_certificate_verify(c)))
		return rc;
	c->st = ST_WAIT_CCS;
	return tls_send_finished(c);
}

static int on_finished(tls_conn *c, const uint8_t *msg, size_t n)
{
	int rc = tls_check_finished(c, msg, n);
	if (rc)
		return rc;
	if (c->k.resumed && (rc = tls_send_finished(c)))
		return rc;
	tls_established(c);
	return 0;
}

/* The client's handshake, one row per message it accepts. */
static const tls_hs_row client_rows[] = {
	{ST_WAIT_SERVER_HELLO, TLS_HS_SERVER_HELLO, on_server_hello},
	{ST_WAIT_CERTIFICATE, TLS_HS_CERTIFICATE, on_certificate},
	{ST_WAIT_SERVER_KEY_EXCHANGE, TLS_HS_SERVER_KEY_EXCHANGE, on_server_key_exchange},
	{ST_WAIT_SERVER_HELLO_DONE, TLS_HS_CERTIFICATE_REQUEST, on_certificate_request},
	{ST_WAIT_SERVER_HELLO_DONE, TLS_HS_SERVER_HELLO_DONE, on_server_hello_done},
	{ST_WAIT_FINISHED, TLS_HS_FINISHED, on_finished},
};

int tls_client_handle(tls_conn *c, enum tls_hs_type type, const uint8_t *msg, size_t n)
{
	if (type == TLS_HS_HELLO_REQUEST && c->st != ST_DONE && n == 4)
		return 0; /* RFC 5246 7.4.1.1: ignored while negotiating */
	tls_hs_handler on = tls_hs_lookup(client_rows, sizeof client_rows / sizeof client_rows[0], c->st, type);
	/* A second CertificateRequest is as unexpected as any stray message. */
	if (on && !(type == TLS_HS_CERTIFICATE_REQUEST && c->cert_requested))
		return on(c, msg, n);
	return tls_fail(c, TLS_FAIL(TLS_ALERT_UNEXPECTED_MESSAGE), "unexpected %s from the server",
			tls_hs_name(type));
}
