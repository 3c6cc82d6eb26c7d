/* The TLS 1.3 client (RFC 8446 2, 4). ClientHello out (key shares for the
 * first groups, both versions offered); ServerHello in, or a
 * HelloRetryRequest and a second ClientHello; from here the server's
 * EncryptedExtensions, [CertificateRequest], Certificate,
 * CertificateVerify and Finished arrive under the handshake keys (a PSK
 * handshake skips the certificate); then the client's [Certificate,
 * CertificateVerify] and Finished; NewSessionTickets may follow. */
#include "tls/tls13.h"

#include "tls/crypto.h"
#include "tls/ecdsa.h"
#include "tls/sig.h"

#include <stdio.h>
#include <string.h>

static const uint16_t default_groups[] = {TLS13_GROUP_X25519, TLS13_GROUP_P256, TLS13_GROUP_FFDHE2048};
static const uint16_t default_suites[] = {0x1301, 0x1302, 0x1303};
/* What a TLS 1.3 client verifies (4.2.3), then what TLS 1.2 still needs. */
static const uint16_t default_sig_algs[] = {TLS_SIG_ECDSA_SHA256, TLS_SIG_PSS_SHA256, TLS_SIG_PSS_SHA384,
                                            TLS_SIG_PSS_SHA512,   TLS_SIG_RSA_SHA256, TLS_SIG_RSA_SHA384,
                                            TLS_SIG_RSA_SHA512,   TLS_SIG_RSA_SHA1};

static const uint16_t *groups(const tls_conn *c, size_t *n)
{
	*n = c->cfg.groups ? c->cfg.n_groups : 3;
	return c->cfg.groups ? c->cfg.groups : default_groups;
}

static const uint16_t *suites13(const tls_conn *c, size_t *n)
{
	*n = c->cfg.suites13 ? c->cfg.n_suites13 : 3;
	return c->cfg.suites13 ? c->cfg.suites13 : default_suites;
}

static const uint16_t *sig_algs(const tls_conn *c, size_t *n)
{
	*n = c->cfg.sig_algs ? (c->cfg.n_sig_algs < 32 ? c->cfg.n_sig_algs : 32) : 8;
	return c->cfg.sig_algs ? c->cfg.sig_algs : default_sig_algs;
}

static int in_list(const uint16_t *v, size_t n, uint16_t x)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == x)
			return 1;
	return 0;
}

int tls13_client_offered_sig_alg(const tls_conn *c, uint16_t alg)
{
	size_t n;
	const uint16_t *v = sig_algs(c, &n);
	return in_list(v, n, alg);
}

/* The offered session, when it is a TLS 1.3 ticket we can use. */
static const tls_session *ticket(const tls_conn *c)
{
	const tls_session *s = c->cfg.resume;
	size_t n;
	const uint16_t *v = suites13(c, &n);
	if (!s || !s->valid || s->version != TLS_VERSION_13 || !s->ticket_len || !s->psk_len ||
	    !in_list(v, n, s->suite) || !tls_suite_by_id(s->suite))
		return NULL;
	return s;
}

/* ---- ClientHello ---- */

/* min_version 0x0304: the hello offers TLS 1.3 alone (RFC 8446 4.2.1). */
static int only_13(const tls_conn *c)
{
	return c->cfg.min_version >= TLS_VERSION_13;
}

/* Extensions that only change a TLS 1.2 handshake: the point formats of
 * 1.2's ECDHE (RFC 8422 5.1.2), renegotiation (RFC 5746; 1.3 has none),
 * extended master secret (RFC 7627) and encrypt-then-MAC (RFC 7366). */
static int tls12_only_ext(uint16_t t)
{
	return t == TLS_EXT_EC_POINT_FORMATS || t == TLS_EXT_RENEGOTIATION_INFO ||
	       t == TLS_EXT_EXTENDED_MASTER_SECRET || t == TLS_EXT_ENCRYPT_THEN_MAC;
}

/* The TLS 1.2 part of the hello (built by client.c) is kept as wire
 * extensions, so a second ClientHello repeats it exactly (4.1.2). */
int tls13_client_extend_hello(tls_conn *c, tls_client_hello *ch)
{
	tls_buf *b = &c->t13.base;
	b->len = 0;
	for (size_t i = 0; i < ch->n_exts; i++) {
		uint16_t t = ch->exts[i].type;
		if (t == TLS_EXT_SUPPORTED_GROUPS || t == TLS_EXT_SIGNATURE_ALGORITHMS)
			continue; /* rewritten for TLS 1.3 */
		if (only_13(c) && tls12_only_ext(t))
			continue; /* no use to a hello that does not offer 1.2 */
		if (tls_buf_u16(b, t) || tls_buf_u16(b, (unsigned)ch->exts[i].len) ||
		    tls_buf_put(b, ch->exts[i].data, ch->exts[i].len))
			return TLS_ERR_INTERNAL;
	}
	/* 4.1.2: a client holding a TLS 1.2 session sends its ID here, so a
	 * server that answers with 1.2 can resume it (client.c checks the echo);
	 * otherwise compatibility mode sends 32 random bytes (D.4). */
	const tls_session *s12 = c->cfg.resume;
	if (s12 && s12->valid && s12->version != TLS_VERSION_13 && s12->id_len && s12->id_len <= 32) {
		memcpy(c->t13.legacy_sid, s12->id, s12->id_len);
		c->t13.legacy_sid_len = s12->id_len;
	} else if (c->cfg.middlebox_compat) {
		c->t13.legacy_sid_len = 32;
		if (tls_rng_read(c->cfg.rng, c->t13.legacy_sid, 32))
			return TLS_ERR_INTERNAL;
		c->k.tls13.compat = 1;
	}
	return 0;
}

static int add_shares(tls_conn *c, tls_buf *ks)
{
	size_t ng;
	const uint16_t *g = groups(c, &ng);
	tls_buf pub = {0};
	size_t want = c->cfg.n_key_shares ? c->cfg.n_key_shares : 1;
	int rc = 0;
	size_t at = tls_buf_len_begin(ks, 2);
	if (c->t13.hrr) {
		/* 4.1.2: one share, for the group the HelloRetryRequest named */
		rc = tls13_share_make(c, c->t13.group, &pub);
		if (!rc)
			rc = tls13_ext_share(ks, c->t13.group, pub.p, pub.len);
		c->t13.shares[0] = c->t13.group;
		c->t13.n_shares = 1;
	} else {
		c->t13.n_shares = 0;
		for (size_t i = 0; !rc && i < ng && i < want && i < TLS13_MAX_SHARES_SENT; i++) {
			rc = tls13_share_make(c, g[i], &pub);
			if (!rc)
				rc = tls13_ext_share(ks, g[i], pub.p, pub.len);
			c->t13.shares[c->t13.n_shares++] = g[i];
		}
	}
	tls_buf_free(&pub);
	return rc ? rc : tls_buf_len_end(ks, at, 2);
}

/* pre_shared_key (4.2.11): one identity, its obfuscated age, and a binder
 * of zeros that send_hello fills in once the rest of the hello is known. */
static int add_psk(tls_conn *c, const tls_session *s, tls_buf *psk)
{
	uint32_t age = (uint32_t)((c->cfg.now > s->issued ? c->cfg.now - s->issued : 0) * 1000) + s->age_add;
	size_t hl = tls_suite_by_id(s->suite)->prf == TLS_PRF_SHA384 ? 48 : 32;
	uint8_t zeros[48] = {0};
	size_t at = tls_buf_len_begin(psk, 2);
	if (tls_buf_u16(psk, (unsigned)s->ticket_len) || tls_buf_put(psk, s->ticket, s->ticket_len) ||
	    tls_buf_u16(psk, age >> 16) || tls_buf_u16(psk, age & 0xffff) || tls_buf_len_end(psk, at, 2) ||
	    tls_buf_u16(psk, (unsigned)(1 + hl)) || tls_buf_u8(psk, (unsigned)hl) ||
	    tls_buf_put(psk, zeros, hl))
		return TLS_ERR_INTERNAL;
	return 0;
}

/* The hello offers a TLS 1.2 ECDHE_ECDSA suite (and so TLS 1.2). */
static int offers_ecdsa12(const tls_conn *c)
{
	for (size_t i = 0; !only_13(c) && i < c->cfg.n_suites; i++) {
		const tls_suite *su = tls_suite_by_id(c->cfg.suites[i]);
		if (su && !su->tls13 && tls_suite_is_ecdsa(su))
			return 1;
	}
	return 0;
}

/* supported_groups: the 1.3 groups, then, when the hello offers a 1.2
 * ECDHE_ECDSA suite, the other curves (P-384): a TLS 1.2 server may only
 * use an ECDSA certificate on a listed curve (RFC 8422 5.1), and browsers
 * list P-384. A 1.3 server may ask for any listed group by a
 * HelloRetryRequest, and the engine has a share for each. */
static size_t listed_groups(const tls_conn *c, uint16_t all[16])
{
	size_t ng, na = 0;
	const uint16_t *g = groups(c, &ng);
	for (size_t i = 0; i < ng && na < 16; i++)
		all[na++] = g[i];
	for (size_t i = 0; offers_ecdsa12(c) && tls_ec_curve_at(i) && na < 16; i++) {
		uint16_t id = tls_ec_curve_at(i)->id;
		if (!in_list(all, na, id) && !in_list(default_groups, 3, id))
			all[na++] = id;
	}
	return na;
}

static int build_hello(tls_conn *c, tls_client_hello *ch, tls_buf *parts)
{
	size_t n13, ns;
	const uint16_t *s13 = suites13(c, &n13), *sa = sig_algs(c, &ns);
	static const uint16_t versions[] = {TLS_VERSION_13, TLS_VERSION_12};
	static const uint8_t modes[] = {1, 1}; /* psk_dhe_ke only */
	tls_buf *vers = &parts[0], *grp = &parts[1], *sig = &parts[2], *ks = &parts[3], *ck = &parts[4],
	        *psk = &parts[5];
	memset(ch, 0, sizeof *ch);
	ch->version = TLS_VERSION_12;
	memcpy(ch->random, c->k.client_random, 32);
	memcpy(ch->session_id, c->t13.legacy_sid, c->t13.legacy_sid_len);
	ch->session_id_len = c->t13.legacy_sid_len;
	for (size_t i = 0; i < n13 && ch->n_suites < TLS_MAX_SUITES; i++)
		ch->suites[ch->n_suites++] = s13[i];
	for (size_t i = 0; !only_13(c) && i < c->cfg.n_suites && ch->n_suites < TLS_MAX_SUITES; i++) {
		const tls_suite *su = tls_suite_by_id(c->cfg.suites[i]);
		if (!su || !su->tls13)
			ch->suites[ch->n_suites++] = c->cfg.suites[i];
	}
	uint16_t all[16];
	size_t na = listed_groups(c, all);
	int rc = tls13_ext_u16_list(vers, 1, versions, only_13(c) ? 1 : 2) ||
	                 tls13_ext_u16_list(grp, 2, all, na) || tls13_ext_u16_list(sig, 2, sa, ns)
	             ? TLS_ERR_INTERNAL
	             : add_shares(c, ks);
	if (rc)
		return rc;
	/* the 1.2 extensions first, in client.c's order */
	const uint8_t *p = c->t13.base.p;
	size_t left = c->t13.base.len;
	while (left >= 4 && ch->n_exts < TLS_MAX_EXTS - 8) {
		uint16_t t = (uint16_t)(p[0] << 8 | p[1]);
		size_t l = (size_t)(p[2] << 8 | p[3]);
		ch->exts[ch->n_exts++] = (tls_ext){t, p + 4, l};
		p += 4 + l;
		left -= 4 + l;
	}
	ch->exts[ch->n_exts++] = (tls_ext){TLS_EXT_SUPPORTED_GROUPS, grp->p, grp->len};
	ch->exts[ch->n_exts++] = (tls_ext){TLS_EXT_SIGNATURE_ALGORITHMS, sig->p, sig->len};
	ch->exts[ch->n_exts++] = (tls_ext){TLS_EXT_SUPPORTED_VERSIONS, vers->p, vers->len};
	ch->exts[ch->n_exts++] = (tls_ext){TLS_EXT_KEY_SHARE, ks->p, ks->len};
	if (c->t13.cookie_len) {
		if (tls_buf_u16(ck, (unsigned)c->t13.cookie_len) ||
		    tls_buf_put(ck, c->t13.cookie, c->t13.cookie_len))
			return TLS_ERR_INTERNAL;
		ch->exts[ch->n_exts++] = (tls_ext){TLS_EXT_COOKIE, ck->p, ck->len};
	}
	const tls_session *s = ticket(c);
	if (s) {
		ch->exts[ch->n_exts++] = (tls_ext){TLS_EXT_PSK_KEY_EXCHANGE_MODES, modes, 2};
		if (add_psk(c, s, psk))
			return TLS_ERR_INTERNAL;
		ch->exts[ch->n_exts++] = (tls_ext){TLS_EXT_PRE_SHARED_KEY, psk->p, psk->len};
	}
	return 0;
}

/* Encodes and sends a ClientHello; with a PSK, the binder covers the whole
 * message up to the binders list (4.2.11.2), transcript before it included. */
int tls13_client_send_hello(tls_conn *c)
{
	tls_client_hello ch;
	tls_buf parts[6], body = {0};
	memset(parts, 0, sizeof parts);
	int rc = build_hello(c, &ch, parts);
	if (!rc)
		rc = tls_client_hello_encode(&body, &ch);
	const tls_session *s = ticket(c);
	if (!rc && s) {
		const tls_suite *su = tls_suite_by_id(s->suite);
		size_t hl = su->prf == TLS_PRF_SHA384 ? 48 : 32, blen = 2 + 1 + hl;
		tls_buf trunc = {0};
		uint8_t binder[48];
		rc = tls_hs_wrap(&trunc, TLS_HS_CLIENT_HELLO, body.p, body.len);
		if (!rc)
			rc = tls13_binder(c, su, s->psk, s->psk_len, trunc.p, trunc.len - blen, binder);
		if (!rc)
			memcpy(body.p + body.len - hl, binder, hl);
		tls_buf_free(&trunc);
		c->t13.psk_offered = 1;
		c->k.tls13.psk_offered = 1;
		/* The client holds the early secret and binder key from here (it
		 * made the binder with them); the ServerHello says whether they
		 * stay (PSK accepted) or the schedule starts again from zeros. */
		int h = su->prf == TLS_PRF_SHA384 ? tls_hash_sha384() : tls_hash_sha256();
		tls13_sched_free(&c->t13.sched);
		if (!rc && !(rc = tls13_sched_init(&c->t13.sched, h, s->psk, s->psk_len, 1) ? TLS_ERR_INTERNAL : 0))
			tls13_sync_knowledge(c);
	}
	if (!rc)
		rc = tls_send_hs(c, TLS_HS_CLIENT_HELLO, &body);
	tls_buf_free(&body);
	for (size_t i = 0; i < 6; i++)
		tls_buf_free(&parts[i]);
	return rc;
}

/* ---- ServerHello and HelloRetryRequest ---- */

static int check_common(tls_conn *c, const tls_server_hello *sh, const tls13_sh_exts *x, const tls_suite **s)
{
	size_t n13;
	const uint16_t *s13 = suites13(c, &n13);
	if (x->version != TLS_VERSION_13)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER),
		                "supported_versions selects 0x%04x: a TLS 1.3 ServerHello must select 0x0304",
		                x->version);
	if (sh->version != TLS_VERSION_12)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER),
		                "legacy_version is 0x%04x; TLS 1.3 fixes it at 0x0303", sh->version);
	if (sh->session_id_len != c->t13.legacy_sid_len ||
	    memcmp(sh->session_id, c->t13.legacy_sid, sh->session_id_len))
		return tls_fail(c, TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER),
		                "legacy_session_id_echo does not echo the client's legacy_session_id");
	*s = tls_suite_by_id(sh->suite);
	if (!in_list(s13, n13, sh->suite) || !*s || !(*s)->tls13 ||
	    (c->t13.hrr_suite && c->t13.hrr_suite != *s))
		return tls_fail(
		    c, TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER),
		    "the server chose cipher suite 0x%04X, which the client did not offer for TLS 1.3",
		    sh->suite);
	if (sh->compression != 0)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER),
		                "legacy_compression_method is not 0");
	return 0;
}

static int on_hrr(tls_conn *c, const uint8_t *msg, size_t n, const tls_server_hello *sh,
                  const tls13_sh_exts *x)
{
	const tls_suite *s;
	if (c->t13.hrr)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_UNEXPECTED_MESSAGE), "a second HelloRetryRequest");
	int rc = check_common(c, sh, x, &s);
	if (rc)
		return rc;
	if (!x->has_share && !x->has_cookie)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER),
		                "a HelloRetryRequest that would not change the ClientHello (4.1.4)");
	uint16_t all[16];
	size_t na = listed_groups(c, all);
	if (x->has_share &&
	    (!in_list(all, na, x->share.group) || in_list(c->t13.shares, c->t13.n_shares, x->share.group)))
		return tls_fail(c, TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER),
		                "the HelloRetryRequest asks for group 0x%04x, which the client %s",
		                x->share.group,
		                in_list(all, na, x->share.group) ? "already sent a share for" : "did not offer");
	c->k.suite = s;
	c->t13.hrr_suite = s;
	c->t13.hrr = 1;
	c->k.tls13.hrr = 1;
	c->t13.group = x->has_share ? x->share.group : c->t13.shares[0];
	if (x->has_cookie) {
		if (x->cookie_len > sizeof c->t13.cookie)
			return tls_fail(c, TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER), "cookie too long");
		memcpy(c->t13.cookie, x->cookie, x->cookie_len);
		c->t13.cookie_len = x->cookie_len;
	}
	tls13_transcript_hrr(c);
	tls_transcript_add(c, msg, n);
	if (c->cfg.middlebox_compat && tls13_send_ccs_plain(c))
		return tls_fail(c, TLS_ERR_INTERNAL, "out of memory");
	rc = tls13_client_send_hello(c);
	return rc ? tls_fail(c, rc, "could not send the second ClientHello") : 0;
}

static int accept_psk(tls_conn *c, const tls13_sh_exts *x, const tls_suite *s)
{
	const tls_session *t = ticket(c);
	if (!x->has_psk)
		return 0;
	if (!c->t13.psk_offered || !t || x->psk_identity != 0 || tls_suite_by_id(t->suite)->prf != s->prf)
		return tls_fail(
		    c, TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER),
		    "the server selected PSK identity %u, which the client did not offer for this hash",
		    x->psk_identity);
	c->t13.psk_accepted = 1;
	c->k.tls13.psk_accepted = c->k.tls13.psk_dhe = 1;
	c->k.resumed = 1;
	memcpy(c->t13.psk, t->psk, t->psk_len);
	c->t13.psk_len = t->psk_len;
	return 0;
}

static int on_sh(tls_conn *c, const uint8_t *msg, size_t n, const tls_server_hello *sh,
                 const tls13_sh_exts *x)
{
	const tls_suite *s;
	int rc = check_common(c, sh, x, &s);
	if (rc)
		return rc;
	if (!x->has_share)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_MISSING_EXTENSION), "the ServerHello has no key_share");
	if (!in_list(c->t13.shares, c->t13.n_shares, x->share.group))
		return tls_fail(c, TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER),
		                "the server's key share is for group 0x%04x, for which the client sent none",
		                x->share.group);
	if ((rc = accept_psk(c, x, s)))
		return rc;
	tls_transcript_add(c, msg, n);
	tls_knowledge *k = &c->k;
	k->suite = s;
	k->version = TLS_VERSION_13;
	memcpy(k->server_random, sh->random, 32);
	k->has_server_random = 1;
	memcpy(k->session_id, sh->session_id, sh->session_id_len);
	k->session_id_len = sh->session_id_len;
	k->transcript_hash_len = tls_transcript_hash(c, k->transcript_hash);
	c->t13.on = 1;
	k->tls13.active = 1;
	c->t13.group = x->share.group;
	TLS_TIMED(c, TLS_PH_KX, rc = tls13_share_agree(c, x->share.group, x->share.key, x->share.len));
	if (rc)
		return rc;
	uint8_t th[48];
	size_t hl = tls13_th(c, NULL, 0, th);
	if (tls13_sched_init(&c->t13.sched, tls13_hash(c), c->t13.psk_accepted ? c->t13.psk : NULL,
	                     c->t13.psk_len, 1) ||
	    tls13_sched_handshake(&c->t13.sched, k->premaster, k->premaster_len, th, hl))
		return tls_fail(c, TLS_ERR_INTERNAL, "key schedule failed");
	if ((rc = tls13_install(c, 1, TLS13_SERVER_HANDSHAKE)) ||
	    (rc = tls13_install(c, 0, TLS13_CLIENT_HANDSHAKE)))
		return rc;
	c->st = ST_WAIT_ENCRYPTED_EXTENSIONS;
	return 0;
}

/* Returns 1 when the ServerHello is TLS 1.2 (client.c goes on with it). */
int tls13_client_server_hello(tls_conn *c, const uint8_t *msg, size_t n, const tls_server_hello *sh)
{
	tls13_sh_exts x;
	int hrr = !memcmp(sh->random, tls13_hrr_random, 32);
	const tls_ext *sv = tls_ext_find(sh->exts, sh->n_exts, TLS_EXT_SUPPORTED_VERSIONS);
	if (!sv && !hrr && only_13(c))
		/* RFC 5246 E.1: a version the client does not support; 1.2 was not offered */
		return tls_fail(c, TLS_FAIL(TLS_ALERT_PROTOCOL_VERSION),
		                "the server answered with TLS 1.2 (no supported_versions in its ServerHello); "
		                "this client offered only TLS 1.3");
	if (!sv && !hrr) {
		/* 4.1.3: a TLS 1.3 server that negotiates 1.2 says so in its random */
		if (!memcmp(sh->random + 24, tls13_downgrade_12, 8))
			return tls_fail(
			    c, TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER),
			    "the ServerHello.random ends in DOWNGRD\\1: a TLS 1.3 server was made to "
			    "choose TLS 1.2 (a downgrade attack)");
		if (c->t13.hrr)
			return tls_fail(c, TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER),
			                "a TLS 1.2 ServerHello after a HelloRetryRequest");
		return 1;
	}
	int rc = tls13_sh_exts_read(sh, hrr, &x);
	if (rc)
		return tls_fail(c, rc, "malformed or unexpected extensions in the %s",
		                hrr ? "HelloRetryRequest" : "ServerHello");
	if (!x.has_version)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_MISSING_EXTENSION),
		                "HelloRetryRequest without supported_versions");
	return hrr ? on_hrr(c, msg, n, sh, &x) : on_sh(c, msg, n, sh, &x);
}

/* ---- the server's encrypted flight ---- */

static int on_encrypted_extensions(tls_conn *c, const uint8_t *msg, size_t n)
{
	tls_ext exts[TLS_MAX_EXTS];
	size_t k;
	if (tls13_ee_decode(msg + 4, n - 4, exts, &k, NULL))
		return tls_fail(c, TLS_FAIL(TLS_ALERT_DECODE_ERROR), "malformed EncryptedExtensions");
	for (size_t i = 0; i < k; i++) {
		uint16_t t = exts[i].type;
		if (t == TLS_EXT_SERVER_NAME || t == TLS_EXT_SUPPORTED_GROUPS || t == TLS_EXT_ALPN)
			continue;
		/* 4.2: hello-only extensions here are illegal_parameter; others were not offered */
		int forbidden = t == TLS_EXT_KEY_SHARE || t == TLS_EXT_SUPPORTED_VERSIONS ||
		                t == TLS_EXT_PRE_SHARED_KEY || t == TLS_EXT_PSK_KEY_EXCHANGE_MODES ||
		                t == TLS_EXT_SIGNATURE_ALGORITHMS || t == TLS_EXT_COOKIE;
		return tls_fail(c,
		                forbidden ? TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER)
		                          : TLS_FAIL(TLS_ALERT_UNSUPPORTED_EXTENSION),
		                "EncryptedExtensions carries %s (%u), which does not belong there",
		                tls_ext_name(t) ? tls_ext_name(t) : "an extension", t);
	}
	tls_transcript_add(c, msg, n);
	c->st = c->t13.psk_accepted ? ST_WAIT_FINISHED : ST_WAIT_CERT_OR_REQUEST;
	return 0;
}

static int on_cert_request(tls_conn *c, const uint8_t *msg, size_t n)
{
	tls13_cert_request m;
	if (tls13_cert_request_decode(msg + 4, n - 4, &m, NULL))
		return tls_fail(c, TLS_FAIL(TLS_ALERT_DECODE_ERROR), "malformed CertificateRequest");
	if (!m.has_sig_algs)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_MISSING_EXTENSION),
		                "CertificateRequest without signature_algorithms");
	tls_transcript_add(c, msg, n);
	c->t13.cert_requested = 1;
	memcpy(c->t13.cr_context, m.context, m.context_len);
	c->t13.cr_context_len = m.context_len;
	memcpy(c->t13.cr_sig_algs, m.sig_algs, m.n_sig_algs * 2);
	c->t13.n_cr_sig_algs = m.n_sig_algs;
	c->cert_requested = 1;
	c->st = ST_WAIT_CERTIFICATE;
	return 0;
}

static int on_certificate(tls_conn *c, const uint8_t *msg, size_t n)
{
	size_t count = 0;
	int rc = tls13_read_certificate(c, msg, n, &count);
	if (rc)
		return rc;
	if (count == 0)
		return tls_fail(c, TLS_FAIL(TLS_ALERT_DECODE_ERROR),
		                "the server sent an empty Certificate (4.4.2.4)");
	c->st = ST_WAIT_CERTIFICATE_VERIFY;
	return tls_client_check_chain(c);
}

static int on_cert_verify(tls_conn *c, const uint8_t *msg, size_t n)
{
	size_t ns;
	const uint16_t *sa = sig_algs(c, &ns);
	int rc = tls13_check_cert_verify(c, msg, n, sa, ns);
	if (!rc)
		c->st = ST_WAIT_FINISHED;
	return rc;
}

/* The scheme our key can make that the CertificateRequest allows, or 0:
 * RSA-PSS for an RSA key, the curve's ECDSA scheme for an EC key (4.2.3). */
static uint16_t client_sig_alg(const tls_conn *c)
{
	static const uint16_t pss[] = {TLS_SIG_PSS_SHA256, TLS_SIG_PSS_SHA384, TLS_SIG_PSS_SHA512};
	if (!c->cfg.key || !c->cfg.chain_n)
		return 0;
	if (c->cfg.key->type == TLS_X509_KEY_EC) {
		uint16_t alg = c->cfg.key->curve ? tls_sig_ecdsa_for_curve(c->cfg.key->curve->id) : 0;
		return alg && in_list(c->t13.cr_sig_algs, c->t13.n_cr_sig_algs, alg) ? alg : 0;
	}
	for (size_t i = 0; i < 3; i++)
		if (in_list(c->t13.cr_sig_algs, c->t13.n_cr_sig_algs, pss[i]))
			return pss[i];
	return 0;
}

static int on_finished(tls_conn *c, const uint8_t *msg, size_t n)
{
	int rc = tls13_check_finished(c, msg, n);
	if (rc)
		return rc;
	uint8_t th[48];
	size_t hl = tls13_th(c, NULL, 0, th);
	if (tls13_sched_master(&c->t13.sched, th, hl))
		return tls_fail(c, TLS_ERR_INTERNAL, "key schedule failed");
	tls13_sync_knowledge(c);
	if (c->cfg.middlebox_compat && tls13_send_ccs_plain(c))
		return tls_fail(c, TLS_ERR_INTERNAL, "out of memory");
	if (c->t13.cert_requested) {
		uint16_t alg = client_sig_alg(c);
		c->sent_client_cert = alg != 0;
		if ((rc = tls13_send_certificate(c, alg != 0)))
			return rc;
		if (alg && (rc = tls13_send_cert_verify(c, alg)))
			return rc;
	}
	if ((rc = tls13_send_finished(c)))
		return rc;
	hl = tls13_th(c, NULL, 0, th);
	if (tls13_sched_resumption(&c->t13.sched, th, hl))
		return tls_fail(c, TLS_ERR_INTERNAL, "key schedule failed");
	if ((rc = tls13_install(c, 0, TLS13_CLIENT_APPLICATION)) ||
	    (rc = tls13_install(c, 1, TLS13_SERVER_APPLICATION)))
		return rc;
	tls_established(c);
	return 0;
}

static const tls_hs_row rows[] = {
    {ST_WAIT_ENCRYPTED_EXTENSIONS, TLS_HS_ENCRYPTED_EXTENSIONS, on_encrypted_extensions},
    {ST_WAIT_CERT_OR_REQUEST, TLS_HS_CERTIFICATE_REQUEST, on_cert_request},
    {ST_WAIT_CERT_OR_REQUEST, TLS_HS_CERTIFICATE, on_certificate},
    {ST_WAIT_CERTIFICATE, TLS_HS_CERTIFICATE, on_certificate},
    {ST_WAIT_CERTIFICATE_VERIFY, TLS_HS_CERTIFICATE_VERIFY, on_cert_verify},
    {ST_WAIT_FINISHED, TLS_HS_FINISHED, on_finished},
};

int tls13_client_handle(tls_conn *c, enum tls_hs_type type, const uint8_t *msg, size_t n)
{
	tls_hs_handler on = tls_hs_lookup(rows, sizeof rows / sizeof rows[0], c->st, type);
	if (on)
		return on(c, msg, n);
	return tls_fail(c, TLS_FAIL(TLS_ALERT_UNEXPECTED_MESSAGE), "unexpected %s from the server",
	                tls_hs_name(type));
}
