#include "tls/suites.h"

#include "tls/crypto.h"

#include <string.h>
#include <strings.h>

/* What a row's cipher and MAC imply, so no row types a size. CBC: a
 * 16-byte IV from the key block (only TLS 1.0 uses it) and one explicit
 * per record. GCM (RFC 5288): a 4-byte salt from the key block, 8 bytes of
 * explicit nonce per record, a 16-byte tag, no MAC. HMAC: key and output as
 * long as the hash. The PRF hash is SHA-256 unless a row says SHA-384. */
#define AES_CBC(bytes) .bulk = TLS_BULK_AES_CBC, .key_len = (bytes), .fixed_iv_len = 16, .record_iv_len = 16
#define AES_GCM(bytes)                                                                                       \
	.bulk = TLS_BULK_AES_GCM, .key_len = (bytes), .fixed_iv_len = 4, .record_iv_len = 8, .tag_len = 16
/* ChaCha20-Poly1305 (RFC 7905): a 12-byte IV from the key block, no
 * explicit nonce in the record, a 16-byte tag. */
#define CHACHA20_POLY1305                                                                                    \
	.bulk = TLS_BULK_CHACHA20_POLY1305, .key_len = 32, .fixed_iv_len = 12, .record_iv_len = 0, .tag_len = 16
#define AES_128_CBC    AES_CBC(16)
#define AES_256_CBC    AES_CBC(32)
#define AES_128_GCM    AES_GCM(16)
#define AES_256_GCM    AES_GCM(32)
#define HMAC(m, bytes) .mac = (m), .mac_key_len = (bytes), .mac_len = (bytes)
#define HMAC_SHA1      HMAC(TLS_MAC_SHA1, 20)
#define HMAC_SHA256    HMAC(TLS_MAC_SHA256, 32)
#define HMAC_SHA384    HMAC(TLS_MAC_SHA384, 48)
#define PRF_SHA384     .prf = TLS_PRF_SHA384
#define TLS13_AEAD(b, bytes)                                                                                 \
	.bulk = (b), .key_len = (bytes), .fixed_iv_len = 12, .record_iv_len = 0, .tag_len = 16, .tls13 = 1

/* One row per suite. A suite of a shape the rows already use (a key
 * exchange, cipher and MAC listed here) needs nothing but its row. */
/* clang-format off */
static const tls_suite suites[] = {
	{.id = 0x002F, .name = "TLS_RSA_WITH_AES_128_CBC_SHA", .openssl = "AES128-SHA",
	 .kx = TLS_KX_RSA, AES_128_CBC, HMAC_SHA1},
	{.id = 0x0035, .name = "TLS_RSA_WITH_AES_256_CBC_SHA", .openssl = "AES256-SHA",
	 .kx = TLS_KX_RSA, AES_256_CBC, HMAC_SHA1},
	{.id = 0x003C, .name = "TLS_RSA_WITH_AES_128_CBC_SHA256", .openssl = "AES128-SHA256",
	 .kx = TLS_KX_RSA, AES_128_CBC, HMAC_SHA256},
	{.id = 0x003D, .name = "TLS_RSA_WITH_AES_256_CBC_SHA256", .openssl = "AES256-SHA256",
	 .kx = TLS_KX_RSA, AES_256_CBC, HMAC_SHA256},
	{.id = 0x009C, .name = "TLS_RSA_WITH_AES_128_GCM_SHA256", .openssl = "AES128-GCM-SHA256",
	 .kx = TLS_KX_RSA, AES_128_GCM},
	{.id = 0x009D, .name = "TLS_RSA_WITH_AES_256_GCM_SHA384", .openssl = "AES256-GCM-SHA384",
	 .kx = TLS_KX_RSA, AES_256_GCM, PRF_SHA384},
	{.id = 0xC02F, .name = "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", .openssl = "ECDHE-RSA-AES128-GCM-SHA256",
	 .kx = TLS_KX_ECDHE_RSA, AES_128_GCM},
	{.id = 0xC030, .name = "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", .openssl = "ECDHE-RSA-AES256-GCM-SHA384",
	 .kx = TLS_KX_ECDHE_RSA, AES_256_GCM, PRF_SHA384},
	{.id = 0x0033, .name = "TLS_DHE_RSA_WITH_AES_128_CBC_SHA", .openssl = "DHE-RSA-AES128-SHA",
	 .kx = TLS_KX_DHE_RSA, AES_128_CBC, HMAC_SHA1},
	/* Common on real servers and in captures (the illustrated-tls12 fixture
	 * uses 0xC013); the same machinery as the rows above. */
	{.id = 0xC013, .name = "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", .openssl = "ECDHE-RSA-AES128-SHA",
	 .kx = TLS_KX_ECDHE_RSA, AES_128_CBC, HMAC_SHA1},
	{.id = 0xC014, .name = "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", .openssl = "ECDHE-RSA-AES256-SHA",
	 .kx = TLS_KX_ECDHE_RSA, AES_256_CBC, HMAC_SHA1},
	{.id = 0xC027, .name = "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", .openssl = "ECDHE-RSA-AES128-SHA256",
	 .kx = TLS_KX_ECDHE_RSA, AES_128_CBC, HMAC_SHA256},
	{.id = 0xC028, .name = "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", .openssl = "ECDHE-RSA-AES256-SHA384",
	 .kx = TLS_KX_ECDHE_RSA, AES_256_CBC, HMAC_SHA384, PRF_SHA384},
	{.id = 0x009E, .name = "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", .openssl = "DHE-RSA-AES128-GCM-SHA256",
	 .kx = TLS_KX_DHE_RSA, AES_128_GCM},
	{.id = 0x009F, .name = "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", .openssl = "DHE-RSA-AES256-GCM-SHA384",
	 .kx = TLS_KX_DHE_RSA, AES_256_GCM, PRF_SHA384},
	{.id = 0x0067, .name = "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256", .openssl = "DHE-RSA-AES128-SHA256",
	 .kx = TLS_KX_DHE_RSA, AES_128_CBC, HMAC_SHA256},
	/* The rest of OpenSSL's default TLS 1.2 list for an RSA key. */
	{.id = 0x0039, .name = "TLS_DHE_RSA_WITH_AES_256_CBC_SHA", .openssl = "DHE-RSA-AES256-SHA",
	 .kx = TLS_KX_DHE_RSA, AES_256_CBC, HMAC_SHA1},
	{.id = 0x006B, .name = "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256", .openssl = "DHE-RSA-AES256-SHA256",
	 .kx = TLS_KX_DHE_RSA, AES_256_CBC, HMAC_SHA256},
	{.id = 0xCCA8, .name = "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", .openssl = "ECDHE-RSA-CHACHA20-POLY1305",
	 .kx = TLS_KX_ECDHE_RSA, CHACHA20_POLY1305},
	{.id = 0xCCAA, .name = "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256", .openssl = "DHE-RSA-CHACHA20-POLY1305",
	 .kx = TLS_KX_DHE_RSA, CHACHA20_POLY1305},
	/* ECDHE signed with an ECDSA certificate: what most public sites use. */
	{.id = 0xC02B, .name = "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", .openssl = "ECDHE-ECDSA-AES128-GCM-SHA256",
	 .kx = TLS_KX_ECDHE_ECDSA, AES_128_GCM},
	{.id = 0xC02C, .name = "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", .openssl = "ECDHE-ECDSA-AES256-GCM-SHA384",
	 .kx = TLS_KX_ECDHE_ECDSA, AES_256_GCM, PRF_SHA384},
	{.id = 0xC009, .name = "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", .openssl = "ECDHE-ECDSA-AES128-SHA",
	 .kx = TLS_KX_ECDHE_ECDSA, AES_128_CBC, HMAC_SHA1},
	{.id = 0xC00A, .name = "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", .openssl = "ECDHE-ECDSA-AES256-SHA",
	 .kx = TLS_KX_ECDHE_ECDSA, AES_256_CBC, HMAC_SHA1},
	{.id = 0xC023, .name = "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", .openssl = "ECDHE-ECDSA-AES128-SHA256",
	 .kx = TLS_KX_ECDHE_ECDSA, AES_128_CBC, HMAC_SHA256},
	{.id = 0xC024, .name = "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", .openssl = "ECDHE-ECDSA-AES256-SHA384",
	 .kx = TLS_KX_ECDHE_ECDSA, AES_256_CBC, HMAC_SHA384, PRF_SHA384},
	{.id = 0xCCA9, .name = "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
	 .openssl = "ECDHE-ECDSA-CHACHA20-POLY1305", .kx = TLS_KX_ECDHE_ECDSA, CHACHA20_POLY1305},
	/* TLS 1.3 (RFC 8446 B.4): the suite is an AEAD and the HKDF hash, no
	 * more; the record nonce is a 12-byte IV XORed with the sequence number. */
	{.id = 0x1301, .name = "TLS_AES_128_GCM_SHA256", .openssl = "TLS_AES_128_GCM_SHA256",
	 .kx = TLS_KX_TLS13, TLS13_AEAD(TLS_BULK_AES_GCM, 16)},
	{.id = 0x1302, .name = "TLS_AES_256_GCM_SHA384", .openssl = "TLS_AES_256_GCM_SHA384",
	 .kx = TLS_KX_TLS13, TLS13_AEAD(TLS_BULK_AES_GCM, 32), PRF_SHA384},
	{.id = 0x1303, .name = "TLS_CHACHA20_POLY1305_SHA256", .openssl = "TLS_CHACHA20_POLY1305_SHA256",
	 .kx = TLS_KX_TLS13, TLS13_AEAD(TLS_BULK_CHACHA20_POLY1305, 32)},
};

/* Names of common suites tlsstep does not implement, so a peer's choice can
 * still be shown by name. */
static const struct { uint16_t id; const char *name; } other_names[] = {
	{0x00FF, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV"},
	{0x5600, "TLS_FALLBACK_SCSV"},
	{0x000A, "TLS_RSA_WITH_3DES_EDE_CBC_SHA"},
};
/* clang-format on */

size_t tls_suite_count(void)
{
	return sizeof suites / sizeof suites[0];
}

const tls_suite *tls_suite_at(size_t i)
{
	return i < tls_suite_count() ? &suites[i] : NULL;
}

const tls_suite *tls_suite_by_id(uint16_t id)
{
	for (size_t i = 0; i < tls_suite_count(); i++)
		if (suites[i].id == id)
			return &suites[i];
	return NULL;
}

const tls_suite *tls_suite_by_name(const char *name)
{
	for (size_t i = 0; i < tls_suite_count(); i++)
		if (!strcasecmp(suites[i].name, name) || !strcasecmp(suites[i].openssl, name))
			return &suites[i];
	return NULL;
}

const char *tls_suite_iana_name(uint16_t id)
{
	const tls_suite *s = tls_suite_by_id(id);
	if (s)
		return s->name;
	for (size_t i = 0; i < sizeof other_names / sizeof other_names[0]; i++)
		if (other_names[i].id == id)
			return other_names[i].name;
	return NULL;
}

int tls_suite_prf_hash(const tls_suite *s)
{
	return s->prf == TLS_PRF_SHA384 ? tls_hash_sha384() : tls_hash_sha256();
}

int tls_suite_mac_hash(const tls_suite *s)
{
	switch (s->mac) {
	case TLS_MAC_SHA1: return tls_hash_sha1();
	case TLS_MAC_SHA256: return tls_hash_sha256();
	case TLS_MAC_SHA384: return tls_hash_sha384();
	default: return -1;
	}
}

int tls_suite_is_ecdhe(const tls_suite *s)
{
	return s && (s->kx == TLS_KX_ECDHE_RSA || s->kx == TLS_KX_ECDHE_ECDSA);
}

int tls_suite_is_ecdsa(const tls_suite *s)
{
	return s && s->kx == TLS_KX_ECDHE_ECDSA;
}
