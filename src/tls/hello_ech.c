/* encrypted_client_hello (draft-ietf-tls-esni): the ClientHello's
 * ECHClientHello, the HelloRetryRequest's confirmation, and the
 * ECHConfigList a server sends back in EncryptedExtensions (its HPKE keys
 * and public_name), each field named. A row of hello_exts.c's table. */
#include "tls/hello_int.h"
#include "tls/msg.h"

#include <stdio.h>

static const name_row hpke_kdfs[] = {{1, "HKDF-SHA256"}, {2, "HKDF-SHA384"}, {3, "HKDF-SHA512"}};
static const name_row hpke_aeads[] = {{1, "AES-128-GCM"}, {2, "AES-256-GCM"}, {3, "ChaCha20Poly1305"}};
static const name_row hpke_kems[] = {
    {0x0010, "DHKEM(P-256, HKDF-SHA256)"}, {0x0011, "DHKEM(P-384, HKDF-SHA384)"},
    {0x0012, "DHKEM(P-521, HKDF-SHA512)"}, {0x0020, "DHKEM(X25519, HKDF-SHA256)"},
    {0x0021, "DHKEM(X448, HKDF-SHA512)"},
};

/* One HpkeSymmetricCipherSuite after another, each KDF and AEAD named. */
static void hpke_suites(tls_rd *r, const char *path)
{
	tls_rd l;
	unsigned kdf, aead;
	char p[TLS_SPAN_PATH], f[TLS_SPAN_PATH + 16];
	const char *nm;
	if (tls_rd_vec(r, 2, 4, 0xfffc, &l, path, "the HPKE KDF and AEAD pairs the server accepts"))
		return;
	for (size_t i = 0; tls_rd_left(&l); i++) {
		tls_hello_idx(p, sizeof p, path, i);
		snprintf(f, sizeof f, "%s.kdf_id", p);
		if (tls_rd_u16(&l, &kdf, f, NULL))
			break;
		tls_rd_mean(&l, "HPKE KDF: %s (%u)", (nm = ROW_NAME(hpke_kdfs, kdf)) ? nm : "unknown", kdf);
		snprintf(f, sizeof f, "%s.aead_id", p);
		if (tls_rd_u16(&l, &aead, f, NULL))
			break;
		tls_rd_mean(&l, "HPKE AEAD: %s (%u)", (nm = ROW_NAME(hpke_aeads, aead)) ? nm : "unknown",
		            aead);
	}
	r->err = r->err ? r->err : l.err;
}

/* ECHConfigContents (draft-ietf-tls-esni 4) of config i, paths under p. */
static void ech_config(tls_rd *r, const char *p)
{
	unsigned v;
	tls_rd b;
	char f[TLS_SPAN_PATH + 24], text[256];
	const char *nm;
	snprintf(f, sizeof f, "%s.config_id", p);
	if (tls_rd_u8(r, &v, f, NULL))
		return;
	tls_rd_mean(r, "config_id %u: the client names the config it used by this number", v);
	snprintf(f, sizeof f, "%s.kem_id", p);
	if (tls_rd_u16(r, &v, f, NULL))
		return;
	tls_rd_mean(r, "HPKE KEM: %s (0x%04x)", (nm = ROW_NAME(hpke_kems, v)) ? nm : "unknown", v);
	snprintf(f, sizeof f, "%s.public_key", p);
	if (tls_rd_vec(r, 2, 1, 0xffff, &b, f,
	               "the server's HPKE public key: a client encrypts its inner ClientHello to it"))
		return;
	snprintf(f, sizeof f, "%s.cipher_suites", p);
	hpke_suites(r, f);
	snprintf(f, sizeof f, "%s.maximum_name_length", p);
	if (r->err || tls_rd_u8(r, &v, f, NULL))
		return;
	tls_rd_mean(r,
	            "maximum_name_length: %u, the longest server name behind this config; the client pads "
	            "its inner ClientHello to hide which",
	            v);
	snprintf(f, sizeof f, "%s.public_name", p);
	if (tls_rd_vec(r, 1, 1, 255, &b, f, LATER))
		return;
	snprintf(text, sizeof text, "%.*s", (int)b.len, (const char *)b.p);
	for (char *c = text; *c; c++)
		if (*c < 0x20 || *c > 0x7e)
			*c = '?';
	tls_rd_mean(r, "public_name: %s, the name the outer ClientHello carries in the clear", text);
	snprintf(f, sizeof f, "%s.extensions", p);
	tls_rd_vec(r, 2, 0, 0xffff, &b, f, "ECHConfig extensions");
}

/* ECHEncryptedExtensions (draft-ietf-tls-esni): retry_configs. */
static void ech_retry_configs(tls_rd *r)
{
	tls_rd l, c;
	unsigned v;
	char p[TLS_SPAN_PATH], f[TLS_SPAN_PATH + 16];
	if (tls_rd_vec(r, 2, 4, 0xffff, &l, "retry_configs",
	               "retry_configs: the ECH configs the server holds now, sent when it did not use the "
	               "client's ECH (GREASE or an old config); the client may retry with one of them"))
		return;
	for (size_t i = 0; tls_rd_left(&l); i++) {
		tls_hello_idx(p, sizeof p, "retry_configs", i);
		snprintf(f, sizeof f, "%s.version", p);
		if (tls_rd_u16(&l, &v, f, NULL))
			break;
		tls_rd_mean(&l, "ECHConfig version 0x%04x%s", v,
		            v == 0xfe0d ? ": the format this draft defines" : ", unknown");
		if (tls_rd_vec(&l, 2, 0, 0xffff, &c, p, "ECHConfigContents"))
			break;
		if (v == 0xfe0d) {
			ech_config(&c, p);
			l.err = l.err ? l.err : c.err ? c.err : tls_rd_done(&c);
		} else if (tls_rd_left(&c)) {
			snprintf(f, sizeof f, "%s.contents", p);
			tls_rd_bytes(&c, NULL, tls_rd_left(&c), f,
			             "a config of a version tlsstep does not know");
		}
	}
	r->err = r->err ? r->err : l.err;
}

/* draft-ietf-tls-esni: ECHClientHello; retry_configs in EncryptedExtensions. */
void tls_hello_ech(tls_rd *r, int in)
{
	unsigned type, kdf, aead, id;
	tls_rd v;
	const char *nm;
	if (in == TLS_HS_ENCRYPTED_EXTENSIONS) {
		ech_retry_configs(r);
		return;
	}
	if (!FROM_CLIENT(in)) {
		if (tls_rd_left(r) == 8)
			tls_rd_bytes(
			    r, NULL, 8, "ech.confirmation",
			    "HelloRetryRequest: proof the server accepted ECH (draft-ietf-tls-esni 7.2.1)");
		return;
	}
	if (tls_rd_u8(r, &type, "ech.type", NULL))
		return;
	tls_rd_mean(
	    r, "%s (%u)",
	    type == 0
	        ? "outer: this ClientHello is the public one; an inner one rides encrypted in the payload"
	    : type == 1 ? "inner: the encrypted, real ClientHello"
	                : "unknown type",
	    type);
	if (type != 0)
		return;
	if (tls_rd_u16(r, &kdf, "ech.cipher_suite.kdf_id", NULL))
		return;
	tls_rd_mean(r, "HPKE KDF: %s (%u)", (nm = ROW_NAME(hpke_kdfs, kdf)) ? nm : "unknown", kdf);
	if (tls_rd_u16(r, &aead, "ech.cipher_suite.aead_id", NULL))
		return;
	tls_rd_mean(r, "HPKE AEAD: %s (%u)", (nm = ROW_NAME(hpke_aeads, aead)) ? nm : "unknown", aead);
	if (tls_rd_u8(r, &id, "ech.config_id", NULL))
		return;
	tls_rd_mean(r, "config_id %u: which of the server's ECH configs (from DNS) encrypts the payload", id);
	if (tls_rd_vec(r, 2, 0, 0xffff, &v, "ech.enc",
	               "HPKE encapsulated key: the client's ephemeral public key for the payload's key"))
		return;
	tls_rd_vec(
	    r, 2, 1, 0xffff, &v, "ech.payload",
	    "the inner ClientHello, encrypted; without a real ECH config for this server a browser "
	    "sends GREASE ECH: random enc and payload of the real shape, so ECH users do not stand out");
}
