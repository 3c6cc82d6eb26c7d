/* Names and field trees of the hello extensions that today's browsers send
 * (Chrome, Firefox): one row per extension type and signature scheme, so a
 * new one is a row (groups and key shares: hello_groups.c; ECH: hello_ech.c). Most describers
 * only display: the engine decodes without spans and skips them, and a
 * body that does not parse is shown as raw bytes rather than failing the
 * handshake (a server must ignore extensions it does not use, RFC 8446
 * 4.2). The few the engine reads (strict rows) are decoded either way.
 * The same rows describe the extensions of TLS 1.3's later messages
 * (EncryptedExtensions, Certificate, CertificateRequest, NewSessionTicket):
 * each body is told the handshake type it is in, as RFC 8446 4.2's table
 * gives some extensions a different body per message. */
#include "tls/hello_int.h"
#include "tls/msg.h"

#include <stdio.h>
#include <string.h>

/* RFC 8701: GREASE values are 0x?A?A with both bytes equal. */
int tls_is_grease(unsigned v)
{
	return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

/* ---- small lists ---- */

static const name_row versions[] = {
	{0x0300, "SSL 3.0"}, {0x0301, "TLS 1.0"}, {0x0302, "TLS 1.1"}, {0x0303, "TLS 1.2"}, {0x0304, "TLS 1.3"},
};

/* first: no version named before this one (GREASE comes first at times) */
void tls_version_list_meaning(int first, unsigned v, char *out, size_t n)
{
	const char *nm = ROW_NAME(versions, v);
	if (!nm && tls_is_grease(v))
		snprintf(out, n, "%s (0x%04x)", GREASE_MEANING, v);
	else
		snprintf(out, n, "%s %s (0x%04x)", first ? "preferred:" : "also:", nm ? nm : "unknown version", v);
}

static const name_row cert_compression[] = {{1, "zlib"}, {2, "brotli"}, {3, "zstd"}};
static const name_row point_formats[] = {
	{0, "uncompressed"}, {1, "ansiX962_compressed_prime"}, {2, "ansiX962_compressed_char2"},
};
static const name_row psk_modes[] = {
	{0, "psk_ke: the PSK alone, no (EC)DHE"}, {1, "psk_dhe_ke: the PSK with a fresh (EC)DHE"},
};

/* A vector of 8-bit codes, each named from a table. */
static void u8_list(tls_rd *r, const char *path, const name_row *t, size_t nt, const char *what)
{
	tls_rd l;
	char p[TLS_SPAN_PATH];
	if (tls_rd_vec(r, 1, 1, 255, &l, path, what))
		return;
	for (size_t i = 0; tls_rd_left(&l); i++) {
		unsigned v;
		if (tls_rd_u8(&l, &v, tls_hello_idx(p, sizeof p, path, i), NULL))
			break;
		const char *nm = row_name(t, nt, v);
		tls_rd_mean(&l, "%s (%u)", nm ? nm : "a value tlsstep does not know", v);
	}
	r->err = r->err ? r->err : l.err;
}

/* ---- extension bodies ---- */

static void b_versions(tls_rd *r, int in)
{
	tls_rd l;
	unsigned v;
	char p[TLS_SPAN_PATH], m[TLS_SPAN_MEANING];
	if (!FROM_CLIENT(in)) {
		const char *nm;
		if (!tls_rd_u16(r, &v, "selected_version", NULL))
			tls_rd_mean(r, "the version the server chose: %s (0x%04x)",
			     (nm = ROW_NAME(versions, v)) ? nm : "unknown", v);
		return;
	}
	if (tls_rd_vec(r, 1, 2, 254, &l, "versions", "the versions the client supports, preferred first"))
		return;
	int first = 1;
	for (size_t i = 0; tls_rd_left(&l); i++) {
		if (tls_rd_u16(&l, &v, tls_hello_idx(p, sizeof p, "versions", i), NULL))
			break;
		tls_version_list_meaning(first, v, m, sizeof m);
		tls_rd_mean(&l, "%s", m);
		first = first && tls_is_grease(v);
	}
	r->err = l.err;
}

static void b_key_share(tls_rd *r, int in) { tls_key_share_describe(r, FROM_CLIENT(in)); }

/* ProtocolNameList (RFC 7301 3.1), also the body of application_settings. */
static void protocols(tls_rd *r, const char *path, const char *what, const char *each)
{
	tls_rd l, name;
	char p[TLS_SPAN_PATH];
	if (tls_rd_vec(r, 2, 2, 0xffff, &l, path, what))
		return;
	for (size_t i = 0; tls_rd_left(&l); i++) {
		if (tls_rd_vec(&l, 1, 1, 255, &name, tls_hello_idx(p, sizeof p, path, i), LATER))
			break;
		char text[256];
		snprintf(text, sizeof text, "%.*s", (int)name.len, (const char *)name.p);
		for (char *c = text; *c; c++)
			if (*c < 0x20 || *c > 0x7e)
				*c = '?';
		tls_rd_mean(&l, "%s: %s", each, text);
	}
	r->err = l.err;
}

static void b_alpn(tls_rd *r, int in)
{
	int client = FROM_CLIENT(in);
	protocols(r, "protocol_name_list",
	          client ? "application protocols the client speaks over TLS, preferred first (RFC 7301)"
	                 : "the application protocol the server chose (RFC 7301)",
	          client ? "protocol" : "the server's choice");
}

static void b_alps(tls_rd *r, int in)
{
	if (!FROM_CLIENT(in))
		return;
	protocols(r, "supported_protocols",
	          "protocols for which the client sends its settings (HTTP/2 SETTINGS) in the handshake (draft-vvv-tls-alps)",
	          "settings for");
}

/* CertificateStatus (RFC 6066 8), an entry's status_request in a TLS 1.3
 * Certificate (RFC 8446 4.4.2.1): the OCSP response stapled to it. */
static void cert_status(tls_rd *r)
{
	unsigned v;
	tls_rd resp;
	if (tls_rd_u8(r, &v, "status_type", NULL))
		return;
	tls_rd_mean(r, "status_type: %s (%u)", v == 1 ? "ocsp" : "unknown", v);
	if (v == 1)
		tls_rd_vec(r, 3, 1, 0xffffff, &resp, "ocsp_response",
		           "the CA's signed OCSP response: this certificate is not revoked (RFC 6960)");
}

static void b_status_request(tls_rd *r, int in)
{
	tls_rd l;
	unsigned v;
	if (in == TLS_HS_CERTIFICATE) {
		cert_status(r);
		return;
	}
	if (!FROM_CLIENT(in))
		return; /* empty: a CertificateStatus follows (TLS 1.2) */
	if (tls_rd_u8(r, &v, "status_type", NULL))
		return;
	tls_rd_mean(r, "status_type: %s (%u)", v == 1 ? "ocsp: send the OCSP response for your certificate (RFC 6066 8)" : "unknown", v);
	if (!tls_rd_vec(r, 2, 0, 0xffff, &l, "responder_id_list", "OCSP responders the client trusts (empty: any)"))
		tls_rd_vec(r, 2, 0, 0xffff, &l, "request_extensions", "extensions for the OCSP request (empty: none)");
}

static void b_point_formats(tls_rd *r, int in)
{
	(void)in;
	u8_list(r, "ec_point_format_list", point_formats, sizeof point_formats / sizeof point_formats[0],
	        "EC point encodings the sender can parse (RFC 8422 5.1.2)");
}

static void b_psk_modes(tls_rd *r, int in)
{
	(void)in;
	u8_list(r, "ke_modes", psk_modes, sizeof psk_modes / sizeof psk_modes[0],
	        "how a PSK may be used if the client resumes (RFC 8446 4.2.9)");
}

static void b_cert_compression(tls_rd *r, int in)
{
	tls_rd l;
	unsigned v;
	char p[TLS_SPAN_PATH];
	(void)in;
	if (tls_rd_vec(r, 1, 2, 254, &l, "algorithms", "how the server may compress its Certificate message (RFC 8879)"))
		return;
	for (size_t i = 0; tls_rd_left(&l); i++) {
		if (tls_rd_u16(&l, &v, tls_hello_idx(p, sizeof p, "algorithms", i), NULL))
			break;
		const char *nm = ROW_NAME(cert_compression, v);
		tls_rd_mean(&l, "%s (%u)", nm ? nm : tls_is_grease(v) ? "GREASE" : "unknown algorithm", v);
	}
	r->err = l.err;
}

static void b_record_size_limit(tls_rd *r, int in)
{
	unsigned v;
	(void)in;
	if (!tls_rd_u16(r, &v, "record_size_limit", NULL))
		tls_rd_mean(r, "largest record plaintext the sender accepts: %u bytes, in TLS 1.3 counting the "
		            "content type byte and padding (RFC 8449)", v);
}

static void sig_scheme_meaning(size_t i, unsigned v, char *mean_out, size_t n)
{
	(void)i;
	const char *nm = tls_sig_alg_name(v);
	snprintf(mean_out, n, "%s (0x%04x)", strcmp(nm, "unknown") ? nm : "a scheme tlsstep does not know", v);
}

static void b_delegated(tls_rd *r, int in)
{
	tls_u16_list l = {sig_scheme_meaning, NULL, NULL, NULL, 0};
	(void)in;
	/* the schemes the client accepts on a delegated credential (RFC 9345) */
	tls_rd_u16_list(r, "supported_signature_algorithms", &l);
}

static void b_sig_algs_cert(tls_rd *r, int in)
{
	tls_u16_list l = {sig_scheme_meaning, NULL, NULL, NULL, 0};
	(void)in;
	/* the schemes the sender accepts in certificates (RFC 8446 4.2.3) */
	tls_rd_u16_list(r, "supported_signature_algorithms", &l);
}

/* certificate_authorities (RFC 8446 4.2.4): DER Names, as in TLS 1.2's
 * CertificateRequest. */
static void b_cert_authorities(tls_rd *r, int in)
{
	tls_rd l, dn;
	char p[TLS_SPAN_PATH];
	if (tls_rd_vec(r, 2, 3, 0xffff, &l, "authorities",
	               FROM_CLIENT(in) ? "the CAs the client trusts: the server may pick a chain that ends at one"
	                               : "the CAs the server trusts: the client should send a certificate issued under one"))
		return;
	for (size_t i = 0; tls_rd_left(&l); i++)
		if (tls_rd_vec(&l, 2, 1, 0xffff, &dn, tls_hello_idx(p, sizeof p, "authorities", i),
		               "a CA's distinguished name (DER Name)"))
			break;
	r->err = r->err ? r->err : l.err;
}

/* A relative OID (X.690 8.20) as dotted text: base-128 arcs. */
static void rel_oid(const uint8_t *p, size_t n, char *out, size_t cap)
{
	unsigned long arc = 0;
	size_t at = 0;
	out[0] = 0;
	for (size_t i = 0; i < n && at < cap; i++) {
		arc = arc << 7 | (p[i] & 0x7f);
		if (!(p[i] & 0x80)) {
			at += (size_t)snprintf(out + at, cap - at, "%s%lu", at ? "." : "", arc);
			arc = 0;
		}
	}
}

static void b_trust_anchors(tls_rd *r, int in)
{
	tls_rd l, id;
	char p[TLS_SPAN_PATH], oid[96];
	if (!FROM_CLIENT(in))
		return;
	if (tls_rd_vec(r, 2, 0, 0xffff, &l, "trust_anchors",
	               "the roots the client trusts, each by a short ID, so the server can pick a chain that ends at one"))
		return;
	for (size_t i = 0; tls_rd_left(&l); i++) {
		if (tls_rd_vec(&l, 1, 1, 255, &id, tls_hello_idx(p, sizeof p, "trust_anchors", i), LATER))
			break;
		rel_oid(id.p, id.len, oid, sizeof oid);
		tls_rd_mean(&l, "trust anchor ID %s: the OID 1.3.6.1.4.1.%s, sent relative to the private-enterprise arc; "
		            "its first number is the enterprise that assigned it", oid, oid);
	}
	r->err = l.err;
}

/* early_data (RFC 8446 4.2.10): empty in a ClientHello and in
 * EncryptedExtensions; in a NewSessionTicket, a limit. */
static void b_early_data(tls_rd *r, int in)
{
	const uint8_t *p;
	if (in == TLS_HS_NEW_SESSION_TICKET && !tls_rd_bytes(r, &p, 4, "max_early_data_size", NULL))
		tls_rd_mean(r, "max_early_data_size: the server accepts up to %lu bytes of 0-RTT data from a "
		            "client that resumes with this ticket",
		            (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 | p[3]);
}

static void b_padding(tls_rd *r, int in)
{
	(void)in;
	if (tls_rd_left(r))
		tls_rd_bytes(r, NULL, tls_rd_left(r), "padding",
		             "zero bytes that grow the ClientHello past sizes some servers mishandle (RFC 7685)");
}

static void b_session_ticket(tls_rd *r, int in)
{
	if (tls_rd_left(r))
		tls_rd_bytes(r, NULL, tls_rd_left(r), "ticket",
		             FROM_CLIENT(in) ? "a ticket from an earlier session, to resume it (RFC 5077)" : "unexpected data");
}

static void b_grease(tls_rd *r, int in)
{
	(void)in;
	if (tls_rd_left(r))
		tls_rd_bytes(r, NULL, tls_rd_left(r), "grease_data", "GREASE filler: bytes with no meaning");
}

static void b_sct(tls_rd *r, int in)
{
	(void)in;
	if (tls_rd_left(r))
		tls_rd_bytes(r, NULL, tls_rd_left(r), "signed_certificate_timestamp_list",
		             "Certificate Transparency timestamps for the certificate (RFC 6962)");
}

/* ---- signature schemes (IANA TLS SignatureScheme) ---- */

static const name_row sig_schemes[] = {
	{0x0201, "rsa_pkcs1_sha1"},
	{0x0203, "ecdsa_sha1"},
	{0x0401, "rsa_pkcs1_sha256"},
	{0x0403, "ecdsa_secp256r1_sha256"},
	{0x0501, "rsa_pkcs1_sha384"},
	{0x0503, "ecdsa_secp384r1_sha384"},
	{0x0601, "rsa_pkcs1_sha512"},
	{0x0603, "ecdsa_secp521r1_sha512"},
	{0x0804, "rsa_pss_rsae_sha256"},
	{0x0805, "rsa_pss_rsae_sha384"},
	{0x0806, "rsa_pss_rsae_sha512"},
	{0x0807, "ed25519"},
	{0x0808, "ed448"},
	{0x0809, "rsa_pss_pss_sha256"},
	{0x080a, "rsa_pss_pss_sha384"},
	{0x080b, "rsa_pss_pss_sha512"},
	{0x081a, "ecdsa_brainpoolP256r1tls13_sha256"},
	{0x081b, "ecdsa_brainpoolP384r1tls13_sha384"},
	{0x081c, "ecdsa_brainpoolP512r1tls13_sha512"},
	/* post-quantum signatures, FIPS 204 (draft-ietf-tls-mldsa) */
	{0x0904, "mldsa44"},
	{0x0905, "mldsa65"},
	{0x0906, "mldsa87"},
};

const char *tls_sig_alg_name(unsigned v)
{
	const char *nm = ROW_NAME(sig_schemes, v);
	return nm ? nm : tls_is_grease(v) ? "GREASE" : "unknown";
}

/* ---- the extension table (IANA TLS ExtensionType Values) ---- */

typedef struct {
	uint16_t type;
	const char *name;
	void (*body)(tls_rd *r, int in); /* NULL: shown as bytes */
	/* what an empty body says in a ClientHello, and in the server's answer
	 * to it (ServerHello; EncryptedExtensions in TLS 1.3) */
	const char *empty_ch, *empty_sh;
	int strict; /* the engine reads it: decoded always, a bad body fails the hello */
} ext_row;

static const ext_row exts[] = {
	{0, "server_name", NULL, NULL, "the server used the name the client sent (RFC 6066 3)", 0},
	{5, "status_request", b_status_request, NULL,
	 "the server will send an OCSP response for its certificate (RFC 6066 8)", 0},
	{10, "supported_groups", NULL, NULL, NULL, 0},
	{11, "ec_point_formats", b_point_formats, NULL, NULL, 0},
	{13, "signature_algorithms", NULL, NULL, NULL, 0},
	{16, "application_layer_protocol_negotiation", b_alpn, NULL, NULL, 0},
	{18, "signed_certificate_timestamp", b_sct,
	 "asks for Certificate Transparency timestamps (RFC 6962): proof the certificate was logged publicly", NULL, 0},
	{21, "padding", b_padding, "padding of length zero", NULL, 0},
	{22, "encrypt_then_mac", NULL, "CBC suites: the client offers to MAC the ciphertext, not the plaintext (RFC 7366)",
	 "the server agrees: with a CBC suite the MAC covers the ciphertext (RFC 7366)", 0},
	{23, "extended_master_secret", NULL,
	 "the client asks that the master secret come from the hash of the whole handshake (RFC 7627)",
	 "the server agrees: the master secret comes from the session hash (RFC 7627)", 0},
	{27, "compress_certificate", b_cert_compression, NULL, NULL, 0},
	{28, "record_size_limit", b_record_size_limit, NULL, NULL, 0},
	{34, "delegated_credentials", b_delegated, NULL, NULL, 0},
	{35, "session_ticket", b_session_ticket,
	 "TLS 1.2 session tickets (RFC 5077): the client has none yet and asks for one",
	 "the server will send a NewSessionTicket (RFC 5077)", 0},
	{41, "pre_shared_key", NULL, NULL, NULL, 0},
	{42, "early_data", b_early_data, "the client sends 0-RTT data right after this ClientHello (RFC 8446 4.2.10)",
	 "the server accepts the client's 0-RTT data (RFC 8446 4.2.10)", 0},
	{43, "supported_versions", b_versions, NULL, NULL, 1},
	{44, "cookie", NULL, NULL, NULL, 0},
	{45, "psk_key_exchange_modes", b_psk_modes, NULL, NULL, 1},
	{47, "certificate_authorities", b_cert_authorities, NULL, NULL, 0},
	{49, "post_handshake_auth", NULL,
	 "the client will answer a CertificateRequest after the handshake (RFC 8446 4.2.6)", NULL, 0},
	{50, "signature_algorithms_cert", b_sig_algs_cert, NULL, NULL, 0},
	{51, "key_share", b_key_share, NULL, NULL, 1},
	{57, "quic_transport_parameters", NULL, NULL, NULL, 0},
	/* ALPS (draft-vvv-tls-alps), Chrome's code points: the old one and the current one */
	{0x4469, "application_settings_old", b_alps, NULL, NULL, 0},
	{0x44cd, "application_settings", b_alps, NULL, NULL, 0},
	/* draft-ietf-tls-trust-anchor-ids; Chrome's code point before IANA assigns one */
	{0xca34, "trust_anchors", b_trust_anchors, NULL, NULL, 0},
	{0xfe0d, "encrypted_client_hello", tls_hello_ech, NULL, NULL, 0},
	{0xff01, "renegotiation_info", NULL, NULL, NULL, 0},
};

static const ext_row *ext_find(unsigned type)
{
	for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++)
		if (exts[i].type == type)
			return &exts[i];
	return NULL;
}

const char *tls_ext_name(uint16_t type)
{
	const ext_row *e = ext_find(type);
	return e ? e->name : tls_is_grease(type) ? "GREASE" : NULL;
}

int tls_ext_by_name(const char *name)
{
	if (!strcmp(name, "GREASE"))
		return 0x0a0a; /* any of RFC 8701's values */
	for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++)
		if (!strcmp(exts[i].name, name))
			return exts[i].type;
	return -1;
}

/* Display-only bodies: a parse failure drops this extension's spans and
 * shows its bytes instead; never an error. Strict rows (read by the
 * engine) are decoded with or without spans and fail in r->err, in the
 * hellos only: elsewhere the engine does not read them. Returns 1 when
 * handled. */
int tls_ext_describe(uint16_t type, tls_rd *r, int in)
{
	const ext_row *e = ext_find(type);
	void (*body)(tls_rd *, int) = e ? e->body : tls_is_grease(type) ? b_grease : NULL;
	if (!e && !body)
		return 0;
	if (e && e->strict && (in == TLS_HS_CLIENT_HELLO || in == TLS_HS_SERVER_HELLO)) {
		body(r, in);
		return 1;
	}
	if (!r->spans) {
		r->pos = r->len; /* the engine's decode: nothing to show */
		return 1;
	}
	if (!tls_rd_left(r)) {
		const char *what = !e                                                         ? NULL
		                   : FROM_CLIENT(in)                                          ? e->empty_ch
		                   : in == TLS_HS_SERVER_HELLO || in == TLS_HS_ENCRYPTED_EXTENSIONS ? e->empty_sh
		                                                                              : NULL;
		if (what)
			tls_spans_add_joined(r->spans, r->prefix, "empty", r->base, 0, what);
		return 1;
	}
	if (!body)
		return 0;
	size_t before = r->spans->n, pos = r->pos;
	body(r, in);
	if (!r->err && r->pos == r->len)
		return 1;
	r->spans->n = before; /* malformed: the bytes, not half a tree */
	r->err = 0;
	r->pos = pos;
	tls_rd_bytes(r, NULL, tls_rd_left(r), "extension_data", "extension contents that do not parse as this extension");
	return 1;
}
