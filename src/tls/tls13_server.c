/* The TLS 1.3 server (RFC 8446 2, 4). ClientHello in; a HelloRetryRequest
 * when the client sent no share for the group the server prefers; then
 * ServerHello, and under the handshake keys EncryptedExtensions,
 * [CertificateRequest], Certificate, CertificateVerify (RSA-PSS or ECDSA) and
 * Finished in one flight (a PSK handshake drops the certificate); the
 * client's [Certificate, CertificateVerify] and Finished; NewSessionTickets
 * under the application keys. */
#include "tls/tls13.h"

#include "tls/server_int.h"
#include "tls/sig.h"

#include <stdio.h>
#include <string.h>

static const uint16_t default_groups[] = {TLS13_GROUP_X25519, TLS13_GROUP_P256, TLS13_GROUP_P384,
                                          TLS13_GROUP_FFDHE2048};
static const uint16_t default_suites[] = {0x1301, 0x1302, 0x1303};
/* What the server asks a client certificate to be signed with. */
static const uint16_t cr_sig_algs[] = {TLS_SIG_PSS_SHA256, TLS_SIG_PSS_SHA384, TLS_SIG_PSS_SHA512,
                                       TLS_SIG_ECDSA_SHA256};
#define TICKET_LIFETIME 7200

static int in_list(const uint16_t *v, size_t n, uint16_t x)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == x)
			return 1;
	return 0;
}

int tls13_server_offered(const tls_conn *c, const tls_client_hello *ch)
{
	/* Only supported_versions decides; the other extensions are read (and
	 * refused when malformed) by the 1.3 server. */
	const tls_ext *e = tls_ext_find(ch->exts, ch->n_exts, TLS_EXT_SUPPORTED_VERSIONS);
	if (c->cfg.max_version < TLS_VERSION_13 || !e || e->len < 1 || e->data[0] != e->len - 1)
		return 0;
	for (size_t i = 1; i + 1 < e->len; i += 2)
		if (e->data[i] == 3 && e->data[i + 1] == 4)
			return 1;
	return 0;
}

static const tls_suite *choose_suite(const tls_conn *c, const tls_client_hello *ch)
{
	size_t n = c->cfg.suites13 ? c->cfg.n_suites13 : 3;
	const uint16_t *v = c->cfg.suites13 ? c->cfg.suites13 : default_suites;
	for (size_t i = 0; i < n; i++) {
		const tls_suite *s = tls_suite_by_id(v[i]);
		if (s && s->tls13 && in_list(ch->suites, ch->n_suites, v[i]))
			return s;
	}
	return NULL;
}

/* The server's most preferred group the client supports; 0 if none. */
static uint16_t choose_group(const tls_conn *c, const tls_client_hello *ch)
{
	size_t n = c->cfg.groups ? c->cfg.n_groups : sizeof default_groups / sizeof default_groups[0];
	const uint16_t *v = c->cfg.groups ? c->cfg.groups : default_groups;
	for (size_t i = 0; i < n; i++)
		if (tls13_group_known(v[i]) && in_list(ch->groups, ch->n_groups, v[i]))
			return v[i];
	return 0;
}

static const tls13_share *share_for(const tls13_ch_exts *x, uint16_t g)
{
	for (size_t i = 0; i < x->n_shares; i++)
		if (x->shares[i].group == g)
			return &x->shares[i];
	return NULL;
}

/* The scheme for our CertificateVerify among the client's list (4.4.2.2):
 * with an RSA key the client's first RSA-PSS scheme (PKCS#1 v1.5 never signs
 * a 1.3 CertificateVerify); with an EC key the one ECDSA scheme its curve
 * allows (4.2.3 binds ecdsa_secp256r1_sha256 to P-256, _secp384r1_sha384 to
 * P-384). 0 if the client offers none of them. */
static uint16_t server_sig_alg(const tls_conn *c, const tls_client_hello *ch)
{
	static const uint16_t pss[] = {TLS_SIG_PSS_SHA256, TLS_SIG_PSS_SHA384, TLS_SIG_PSS_SHA512};
	const tls_privkey *k = c->cfg.key;
	if (k->type == TLS_X509_KEY_EC) {
		uint16_t alg = k->curve ? tls_sig_ecdsa_for_curve(k->curve->id) : 0;
		return alg && in_list(ch->sig_algs, ch->n_sig_algs, alg) ? alg : 0;
	}
	for (size_t i = 0; i < ch->n_sig_algs; i++)
		if (in_list(pss, 3, ch->sig_algs[i]))
			return ch->sig_algs[i];
	return 0;
}

static int send_sh(tls_conn *c, const tls_client_hello *ch, int hrr, uint16_t group, const tls_buf *pub)
{
	tls_server_hello sh;
	tls_buf sv = {0}, ks = {0}, psk = {0}, body = {0};
	memset(&sh, 0, sizeof sh);
	sh.version = TLS_VERSION_12;
	if (hrr)
		memcpy(sh.random, tls13_hrr_random, 32);
	else if (tls_rng_read(c->cfg.rng, sh.random, 32))
		return TLS_ERR_INTERNAL;
	memcpy(sh.session_id, ch->session_id, ch->session_id_len);
	sh.session_id_len = ch->session_id_len;
	sh.suite = c->k.suite->id;
	int rc = tls13_ext_u16(&sv, TLS_VERSION_13);
	if (!rc)
		rc = hrr ? tls13_ext_u16(&ks, group) : tls13_ext_share(&ks, group, pub->p, pub->len);
	if (!rc && c->t13.psk_accepted)
		rc = tls13_ext_u16(&psk, 0);
	sh.exts[sh.n_exts++] = (tls_ext){TLS_EXT_SUPPORTED_VERSIONS, sv.p, sv.len};
	sh.exts[sh.n_exts++] = (tls_ext){TLS_EXT_KEY_SHARE, ks.p, ks.len};
	if (c->t13.psk_accepted)
		sh.exts[sh.n_exts++] = (tls_ext){TLS_EXT_PRE_SHARED_KEY, psk.p, psk.len};
	if (!rc)
		rc = tls_server_hello_encode(&body, &sh);
	if (!rc)
		rc = tls_send_hs(c, TLS_HS_SERVER_HELLO, &body);
	if (!rc && !hrr) {
		memcpy(c->k.server_random, sh.random, 32);
		c->k.has_server_random = 1;
	}
	tls_buf_free(&sv);
	tls_buf_free(&ks);
	tls_buf_free(&psk);
	tls_buf_free(&body);
	return rc;
}

/* Accepts the client's PSK when it is the ticket this server issued, for
 * the chosen suite's hash, and its binder verifies (4.2.11). */
static int check_psk(tls_conn *c, const uint8_t *msg, size_t n, const tls13_ch_exts *x)
{
	const tls_session *t = c->cfg.session_cache;
	if (!x->has_psk)
		return 0;
	if (!x->has_modes)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_MISSING_EXTENSION),
		                "pre_shared_key without psk_key_exchange_modes (4.2.9)");
	if (!x->psk_dhe_ke || !t || !t->valid || t->version != TLS_VERSION_13 ||
	    t->ticket_len != x->identity_len || memcmp(t->ticket, x->identity, t->ticket_len) ||
	    !tls_suite_by_id(t->suite) || tls_suite_by_id(t->suite)->prf != c->k.suite->prf ||
	    c->cfg.now > t->issued + (int64_t)t->lifetime)
		return 0; /* not ours or not usable: a full handshake */
	uint8_t binder[48];
	size_t hl = t->psk_len;
	if (x->binder_len != hl ||
	    tls13_binder(c, c->k.suite, t->psk, t->psk_len, msg, n - x->binders_len, binder))
		return tls_fail(c, TLS_FAIL(TLS_ALERT_DECRYPT_ERROR), "the PSK binder has the wrong length");
	if (mem_neq(binder, x->binder, hl))
		return tls_fail(c, TLS_FAIL(TLS_ALERT_DECRYPT_ERROR),
		                "the PSK binder does not verify: the ClientHello was altered or the client "
		                "does not hold the ticket's key");
	c->t13.psk_accepted = 1;
	c->k.tls13.psk_offered = c->k.tls13.psk_accepted = c->k.tls13.psk_dhe = 1;
	c->k.resumed = 1;
	memcpy(c->t13.psk, t->psk, hl);
	c->t13.psk_len = hl;
	return 0;
}

static int send_hrr(tls_conn *c, const uint8_t *msg, size_t n, const tls_client_hello *ch, uint16_t g)
{
	tls_transcript_add(c, msg, n);
	tls13_transcript_hrr(c);
	c->t13.hrr = 1;
	c->t13.group = g;
	c->k.tls13.hrr = 1;
	c->t13.legacy_sid_len = ch->session_id_len;
	memcpy(c->t13.legacy_sid, ch->session_id, ch->session_id_len);
	int rc = send_sh(c, ch, 1, g, NULL);
	if (!rc && ch->session_id_len)
		rc = tls13_send_ccs_plain(c); /* D.4: after the first flight */
	return rc ? tls_fail(c, rc, "could not send the HelloRetryRequest") : 0;
}

static int send_flight(tls_conn *c, const tls_client_hello *ch)
{
	int rc;
	tls_buf ee = {0};
	if (ch->session_id_len && (rc = tls13_send_ccs_plain(c)))
		return rc;
	c->k.tls13.compat = ch->session_id_len != 0;
	rc = tls13_ee_encode(&ee, NULL, 0);
	if (!rc)
		rc = tls_send_hs(c, TLS_HS_ENCRYPTED_EXTENSIONS, &ee);
	tls_buf_free(&ee);
	if (rc)
		return rc;
	if (!c->t13.psk_accepted) {
		uint16_t alg = server_sig_alg(c, ch);
		if (!alg)
			return tls_fail(c, TLS_FAIL(TLS_ALERT_HANDSHAKE_FAILURE),
			                "the client offers no signature scheme the server's key can make (%s)",
			                c->cfg.key->type == TLS_X509_KEY_EC
			                    ? tls_sig_name(tls_sig_ecdsa_for_curve(c->cfg.key->curve->id))
			                    : "RSA-PSS");
		if (c->cfg.request_client_cert) {
			tls13_cert_request cr;
			tls_buf b = {0};
			memset(&cr, 0, sizeof cr);
			memcpy(cr.sig_algs, cr_sig_algs, sizeof cr_sig_algs);
			cr.n_sig_algs = sizeof cr_sig_algs / sizeof cr_sig_algs[0];
			rc = tls13_cert_request_encode(&b, &cr);
			if (!rc)
				rc = tls_send_hs(c, TLS_HS_CERTIFICATE_REQUEST, &b);
			tls_buf_free(&b);
			if (rc)
				return rc;
			c->t13.cert_requested = 1;
		}
		if ((rc = tls13_send_certificate(c, 1)) || (rc = tls13_send_cert_verify(c, alg)))
			return rc;
	}
	if ((rc = tls13_send_finished(c)))
		return rc;
	uint8_t th[48];
	size_t hl = tls13_th(c, NULL, 0, th);
	if (tls13_sched_master(&c->t13.sched, th, hl))
		return tls_fail(c, TLS_ERR_INTERNAL, "key schedule failed");
	return tls13_install(c, 0, TLS13_SERVER_APPLICATION);
}

static int check_hello(tls_conn *c, const tls_client_hello *ch, const tls13_ch_exts *x)
{
	if (!ch->null_compression || ch->n_suites == 0)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER),
		                "a TLS 1.3 ClientHello must offer only the null compression method");
	if (!x->has_shares || !x->has_groups)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_MISSING_EXTENSION),
		                "the ClientHello has no %s (4.2.8, 9.2)",
		                x->has_groups ? "key_share" : "supported_groups");
	if (!x->has_sig_algs && !x->has_psk)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_MISSING_EXTENSION),
		                "the ClientHello has no signature_algorithms");
	for (size_t i = 0; i < x->n_shares; i++)
		if (!in_list(ch->groups, ch->n_groups, x->shares[i].group))
			return tls_fail(c, TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER),
			                "a key share for group 0x%04x, which supported_groups does not list",
			                x->shares[i].group);
	if (c->t13.hrr && (x->n_shares != 1 || x->shares[0].group != c->t13.group ||
	                   ch->session_id_len != c->t13.legacy_sid_len ||
	                   memcmp(ch->session_id, c->t13.legacy_sid, ch->session_id_len)))
		return tls_fail(c, TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER),
		                "the second ClientHello does not answer the HelloRetryRequest");
	return 0;
}

int tls13_server_client_hello(tls_conn *c, const uint8_t *msg, size_t n, const tls_client_hello *ch)
{
	tls13_ch_exts x;
	int rc = tls13_ch_exts_read(ch, &x);
	if (rc)
		return tls_fail(c, rc, "malformed TLS 1.3 extensions in the ClientHello");
	if ((rc = check_hello(c, ch, &x)))
		return rc;
	const tls_suite *s = choose_suite(c, ch);
	if (!s || (c->t13.hrr && s != c->k.suite))
		return tls_fail(c, TLS_FAIL(TLS_ALERT_HANDSHAKE_FAILURE),
		                "no TLS 1.3 cipher suite in common");
	tls_knowledge *k = &c->k;
	k->suite = s;
	k->version = TLS_VERSION_13;
	c->t13.on = 1;
	k->tls13.active = 1;
	uint16_t g = choose_group(c, ch);
	if (!g)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_HANDSHAKE_FAILURE), "no key exchange group in common");
	const tls13_share *sh = share_for(&x, g);
	if (!sh && c->t13.hrr)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER),
		                "the second ClientHello lacks the share asked for");
	memcpy(k->client_random, ch->random, 32);
	k->has_client_random = 1;
	memcpy(k->session_id, ch->session_id, ch->session_id_len); /* echoed as legacy_session_id_echo */
	k->session_id_len = ch->session_id_len;
	snprintf(k->server_name, sizeof k->server_name, "%s", ch->server_name);
	if (!sh)
		return send_hrr(c, msg, n, ch, g);
	if ((rc = check_psk(c, msg, n, &x)))
		return rc;
	if (!c->t13.psk_accepted && (!c->cfg.key || !c->cfg.chain_n))
		return tls_fail(c, TLS_ERR_INTERNAL, "the server has no certificate or key");
	tls_transcript_add(c, msg, n);
	tls_buf pub = {0};
	TLS_TIMED(c, TLS_PH_KX, rc = tls13_share_make(c, g, &pub));
	if (!rc)
		TLS_TIMED(c, TLS_PH_KX, rc = tls13_share_agree(c, g, sh->key, sh->len));
	c->t13.group = g;
	if (!rc && (rc = send_sh(c, ch, 0, g, &pub)))
		rc = tls_fail(c, rc, "could not send the ServerHello");
	tls_buf_free(&pub);
	if (rc)
		return rc;
	uint8_t th[48];
	size_t hl = tls13_th(c, NULL, 0, th);
	if (tls13_sched_init(&c->t13.sched, tls13_hash(c), c->t13.psk_accepted ? c->t13.psk : NULL,
	                     c->t13.psk_len, 1) ||
	    tls13_sched_handshake(&c->t13.sched, k->premaster, k->premaster_len, th, hl))
		return tls_fail(c, TLS_ERR_INTERNAL, "key schedule failed");
	if ((rc = tls13_install(c, 0, TLS13_SERVER_HANDSHAKE)) ||
	    (rc = tls13_install(c, 1, TLS13_CLIENT_HANDSHAKE)))
		return rc;
	if ((rc = send_flight(c, ch)))
		return c->status == TLS_FAILED ? rc : tls_fail(c, rc, "could not send the server's flight");
	c->st = c->t13.cert_requested ? ST_WAIT_CLIENT_CERTIFICATE : ST_WAIT_FINISHED;
	return 0;
}

static int on_client_hello(tls_conn *c, const uint8_t *msg, size_t n)
{
	tls_client_hello ch;
	if (tls_client_hello_decode(msg + 4, n - 4, &ch, NULL))
		return tls_fail(c, TLS_FAIL(TLS_ALERT_DECODE_ERROR), "malformed ClientHello");
	if (!tls13_server_offered(c, &ch))
		return tls_fail(c, TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER),
		                "the second ClientHello no longer offers TLS 1.3");
	return tls13_server_client_hello(c, msg, n, &ch);
}

static int on_client_certificate(tls_conn *c, const uint8_t *msg, size_t n)
{
	size_t count = 0;
	int rc = tls13_read_certificate(c, msg, n, &count);
	if (rc)
		return rc;
	c->st = count ? ST_WAIT_CERTIFICATE_VERIFY : ST_WAIT_FINISHED;
	if (!count) {
		c->k.client_cert_checked = 1;
		snprintf(c->k.client_cert_note, sizeof c->k.client_cert_note,
		         "the client sent no certificate");
		return tls_fail(c, TLS_FAIL(TLS_ALERT_CERTIFICATE_REQUIRED),
		                "the server requires a client certificate and the client sent none");
	}
	return tls_server_client_chain(c, count);
}

static int on_client_cert_verify(tls_conn *c, const uint8_t *msg, size_t n)
{
	int rc = tls13_check_cert_verify(c, msg, n, cr_sig_algs, sizeof cr_sig_algs / sizeof cr_sig_algs[0]);
	if (!rc)
		c->st = ST_WAIT_FINISHED;
	return rc;
}

/* One ticket: a random identity the server remembers (the one-entry
 * session cache), the PSK it stands for, and a random age_add (4.6.1). */
static int send_ticket(tls_conn *c, unsigned i)
{
	tls_session *t = c->cfg.session_cache;
	tls_session fresh;
	uint8_t nonce[1] = {(uint8_t)i}, id[32], add[4];
	memset(&fresh, 0, sizeof fresh);
	if (tls_rng_read(c->cfg.rng, id, sizeof id) || tls_rng_read(c->cfg.rng, add, sizeof add))
		return TLS_ERR_INTERNAL;
	size_t hl = tls13_hash_len(c);
	if (tls13_resumption_psk(tls13_hash(c), c->t13.sched.resumption, hl, nonce, 1, fresh.psk))
		return TLS_ERR_INTERNAL;
	fresh.valid = 1;
	fresh.version = TLS_VERSION_13;
	fresh.suite = c->k.suite->id;
	fresh.psk_len = hl;
	memcpy(fresh.ticket, id, sizeof id);
	fresh.ticket_len = sizeof id;
	fresh.age_add = (uint32_t)add[0] << 24 | (uint32_t)add[1] << 16 | (uint32_t)add[2] << 8 | add[3];
	fresh.lifetime = TICKET_LIFETIME;
	fresh.issued = c->cfg.now;
	tls13_ticket_msg m = {fresh.lifetime, fresh.age_add, nonce, id, 1, sizeof id, 0}; /* no early data */
	tls_buf body = {0};
	int rc = tls13_nst_encode(&body, &m);
	if (!rc)
		rc = tls_send_hs(c, TLS_HS_NEW_SESSION_TICKET, &body);
	tls_buf_free(&body);
	if (!rc && t)
		*t = fresh;
	tls_session_wipe(&fresh);
	return rc;
}

static int on_client_finished(tls_conn *c, const uint8_t *msg, size_t n)
{
	int rc = tls13_check_finished(c, msg, n);
	if (rc)
		return rc;
	uint8_t th[48];
	size_t hl = tls13_th(c, NULL, 0, th);
	if (tls13_sched_resumption(&c->t13.sched, th, hl))
		return tls_fail(c, TLS_ERR_INTERNAL, "key schedule failed");
	tls13_sync_knowledge(c);
	if ((rc = tls13_install(c, 1, TLS13_CLIENT_APPLICATION)))
		return rc;
	tls_established(c);
	for (int i = 0; i < c->cfg.tickets && i < 16; i++)
		if ((rc = send_ticket(c, (unsigned)i)))
			return tls_fail(c, rc, "could not send a NewSessionTicket");
	return 0;
}

static const tls_hs_row rows[] = {
    {ST_WAIT_CLIENT_HELLO, TLS_HS_CLIENT_HELLO, on_client_hello},
    {ST_WAIT_CLIENT_CERTIFICATE, TLS_HS_CERTIFICATE, on_client_certificate},
    {ST_WAIT_CERTIFICATE_VERIFY, TLS_HS_CERTIFICATE_VERIFY, on_client_cert_verify},
    {ST_WAIT_FINISHED, TLS_HS_FINISHED, on_client_finished},
};

int tls13_server_handle(tls_conn *c, enum tls_hs_type type, const uint8_t *msg, size_t n)
{
	tls_hs_handler on = tls_hs_lookup(rows, sizeof rows / sizeof rows[0], c->st, type);
	if (on)
		return on(c, msg, n);
	return tls_fail(c, TLS_FAIL(TLS_ALERT_UNEXPECTED_MESSAGE), "unexpected %s from the client",
	                tls_hs_name(type));
}
