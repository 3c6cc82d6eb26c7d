/* Named groups and key shares of the hellos: a row per group (IANA TLS
 * Supported Groups), a row per hybrid post-quantum group with the two keys
 * its key_exchange holds, in the order its draft gives. */
#include "tls/hello_int.h"
#include "tls/msg.h"

#include <stdio.h>
#include <string.h>

/* ---- groups (IANA TLS Supported Groups) ---- */

typedef struct {
	uint16_t id;
	const char *name, *note;
} group_row;

static const group_row groups[] = {
	{23, "secp256r1", "ECDHE on NIST P-256"},
	{24, "secp384r1", "ECDHE on NIST P-384"},
	{25, "secp521r1", "ECDHE on NIST P-521"},
	{29, "x25519", "ECDHE on Curve25519 (RFC 7748)"},
	{30, "x448", "ECDHE on Curve448 (RFC 7748)"},
	{256, "ffdhe2048", "finite-field DHE, 2048-bit group (RFC 7919)"},
	{257, "ffdhe3072", "finite-field DHE, 3072-bit group (RFC 7919)"},
	{258, "ffdhe4096", "finite-field DHE, 4096-bit group (RFC 7919)"},
	{259, "ffdhe6144", "finite-field DHE, 6144-bit group (RFC 7919)"},
	{260, "ffdhe8192", "finite-field DHE, 8192-bit group (RFC 7919)"},
	{0x0200, "MLKEM512", "ML-KEM-512 alone (FIPS 203), post-quantum"},
	{0x0201, "MLKEM768", "ML-KEM-768 alone (FIPS 203), post-quantum"},
	{0x0202, "MLKEM1024", "ML-KEM-1024 alone (FIPS 203), post-quantum"},
	{0x11eb, "SecP256r1MLKEM768", "hybrid: P-256 ECDHE and ML-KEM-768 together (RFC 10024)"},
	{0x11ec, "X25519MLKEM768", "hybrid: ML-KEM-768 and X25519 together, what browsers send now (RFC 10024)"},
	{0x11ed, "SecP384r1MLKEM1024", "hybrid: P-384 ECDHE and ML-KEM-1024 together (RFC 10024)"},
	{0x6399, "X25519Kyber768Draft00", "obsolete hybrid: X25519 and pre-standard Kyber768, replaced by X25519MLKEM768"},
};

static const group_row *group_find(unsigned v)
{
	for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++)
		if (groups[i].id == v)
			return &groups[i];
	return NULL;
}

const char *tls_group_name(unsigned v)
{
	const group_row *g = group_find(v);
	return g ? g->name : tls_is_grease(v) ? "GREASE" : "unknown";
}

/* "X25519MLKEM768 (0x11ec): hybrid: ..." */
void tls_group_meaning(unsigned v, char *out, size_t n)
{
	const group_row *g = group_find(v);
	if (g)
		snprintf(out, n, "%s (0x%04x): %s", g->name, v, g->note);
	else
		snprintf(out, n, "%s (0x%04x)", tls_is_grease(v) ? GREASE_MEANING : "a group tlsstep does not know", v);
}

/* A hybrid share is two keys end to end; the order differs per group. */
typedef struct {
	uint16_t id;
	struct { const char *field, *what; size_t client, server; } part[2];
} hybrid_row;

static const hybrid_row hybrids[] = {
	/* draft-ietf-tls-ecdhe-mlkem: ML-KEM first here only (FIPS-approved part first) */
	{0x11ec, {{"mlkem768", "ML-KEM-768", 1184, 1088}, {"x25519", "X25519", 32, 32}}},
	{0x11eb, {{"secp256r1", "P-256 (uncompressed point)", 65, 65}, {"mlkem768", "ML-KEM-768", 1184, 1088}}},
	{0x11ed, {{"secp384r1", "P-384 (uncompressed point)", 97, 97}, {"mlkem1024", "ML-KEM-1024", 1568, 1568}}},
	/* draft-tls-westerbaan-xyber768d00: X25519 first */
	{0x6399, {{"x25519", "X25519", 32, 32}, {"kyber768", "Kyber768 (draft)", 1184, 1088}}},
};

/* "an ML-KEM-768 encapsulation key (1184 bytes) then an X25519 public key
 * (32 bytes); the server answers ..." for a note; "" for other groups. */
void tls_hybrid_parts_text(unsigned g, char *out, size_t n)
{
	out[0] = 0;
	for (size_t i = 0; i < sizeof hybrids / sizeof hybrids[0]; i++) {
		const hybrid_row *h = &hybrids[i];
		if (h->id != g)
			continue;
		int kem0 = strstr(h->part[0].what, "KEM") || strstr(h->part[0].what, "Kyber");
		const char *k = kem0 ? h->part[0].what : h->part[1].what;
		const char *e = kem0 ? h->part[1].what : h->part[0].what;
		size_t kc = kem0 ? h->part[0].client : h->part[1].client;
		size_t ks = kem0 ? h->part[0].server : h->part[1].server;
		size_t ec = kem0 ? h->part[1].client : h->part[0].client;
		snprintf(out, n, "the client's key_exchange is the %s%s (%zu bytes) then the %s%s (%zu bytes); "
		         "a server that takes it answers with the %s ciphertext (%zu bytes) and its %s key, "
		         "in the same order",
		         kem0 ? k : e, kem0 ? " encapsulation key" : " public key", kem0 ? kc : ec,
		         kem0 ? e : k, kem0 ? " public key" : " encapsulation key", kem0 ? ec : kc, k, ks, e);
	}
}

/* Splits the key_exchange of a hybrid group into its two parts, as child
 * fields; nothing for other groups or unexpected lengths. */
static void hybrid_parts(tls_rd *key, unsigned g, int client)
{
	for (size_t i = 0; i < sizeof hybrids / sizeof hybrids[0]; i++) {
		const hybrid_row *h = &hybrids[i];
		size_t a = client ? h->part[0].client : h->part[0].server;
		size_t b = client ? h->part[1].client : h->part[1].server;
		if (h->id != g || key->len != a + b || !key->spans)
			continue;
		for (int k = 0; k < 2; k++) {
			const char *what = h->part[k].what;
			int kem = strstr(what, "KEM") || strstr(what, "Kyber");
			char m[TLS_SPAN_MEANING];
			snprintf(m, sizeof m, "part %d of 2: %s %s, %zu bytes", k + 1, what,
			         kem ? (client ? "encapsulation key (public)" : "ciphertext: a secret encapsulated to the client's key")
			             : (client ? "public key" : "public key of the server"),
			         k ? b : a);
			tls_rd_bytes(key, NULL, k ? b : a, h->part[k].field, m);
		}
	}
}

unsigned tls_key_share_hybrid(const uint8_t *p, size_t n)
{
	tls_rd r, list, key;
	unsigned g;
	tls_rd_init(&r, p, n, NULL, 0, NULL);
	if (tls_rd_vec(&r, 2, 0, 0xffff, &list, NULL, NULL))
		return 0;
	while (tls_rd_left(&list)) {
		if (tls_rd_u16(&list, &g, NULL, NULL) || tls_rd_vec(&list, 2, 1, 0xffff, &key, NULL, NULL))
			return 0;
		for (size_t i = 0; i < sizeof hybrids / sizeof hybrids[0]; i++)
			if (hybrids[i].id == g)
				return g;
	}
	return 0;
}

static void share(tls_rd *r, const char *at, int client)
{
	char path[TLS_SPAN_PATH], m[TLS_SPAN_MEANING];
	unsigned g;
	tls_rd key;
	snprintf(path, sizeof path, "%s.group", at);
	if (tls_rd_u16(r, &g, path, NULL))
		return;
	tls_group_meaning(g, m, sizeof m);
	tls_rd_mean(r, "group of this share: %s", m);
	snprintf(path, sizeof path, "%s.key_exchange", at);
	if (tls_rd_vec(r, 2, 1, 0xffff, &key, path, LATER))
		return;
	const char *hyb = "";
	for (size_t i = 0; i < sizeof hybrids / sizeof hybrids[0]; i++)
		if (hybrids[i].id == g)
			hyb = client ? ": two keys end to end, below" : ": two parts end to end, below";
	if (tls_is_grease(g))
		tls_rd_mean(r, "GREASE share: %zu filler byte%s, no key", key.len, key.len == 1 ? "" : "s");
	else
		tls_rd_mean(r, "%s on %s, %zu bytes%s", client ? "the client's public key" : "the server's share",
		     tls_group_name(g), key.len, hyb);
	char prefix[TLS_SPAN_PATH];
	tls_join_path(prefix, sizeof prefix, r->prefix, path);
	key.prefix = prefix;
	hybrid_parts(&key, g, client);
}

/* RFC 8446 4.2.8: KeyShareClientHello, KeyShareServerHello, or the
 * HelloRetryRequest's selected_group. */
void tls_key_share_describe(tls_rd *r, int client)
{
	tls_rd list;
	char at[32];
	unsigned v;
	if (!client) {
		if (tls_rd_left(r) == 2) {
			if (!tls_rd_u16(r, &v, "selected_group", NULL))
				tls_rd_mean(r, "HelloRetryRequest: send a share for %s (0x%04x)", tls_group_name(v), v);
		} else {
			share(r, "server_share", 0);
		}
		return;
	}
	if (tls_rd_vec(r, 2, 0, 0xffff, &list, "client_shares",
	               "one public key per group the client guessed the server will take"))
		return;
	for (size_t i = 0; tls_rd_left(&list) && !list.err; i++)
		share(&list, tls_hello_idx(at, sizeof at, "client_shares", i), 1);
	r->err = list.err;
}
