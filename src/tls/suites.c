#include "tls/suites.h"

#include "tls/crypto.h"

#include <string.h>
#include <strings.h>

/* clang-format off */
static const tls_suite suites[] = {
	{0x002F, "TLS_RSA_WITH_AES_128_CBC_SHA", "AES128-SHA", TLS_KX_RSA, TLS_BULK_AES_CBC,
	 TLS_MAC_SHA1, TLS_PRF_SHA256, 20, 20, 16, 16, 16, 0},
	{0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA", "AES256-SHA", TLS_KX_RSA, TLS_BULK_AES_CBC,
	 TLS_MAC_SHA1, TLS_PRF_SHA256, 20, 20, 32, 16, 16, 0},
	{0x003C, "TLS_RSA_WITH_AES_128_CBC_SHA256", "AES128-SHA256", TLS_KX_RSA, TLS_BULK_AES_CBC,
	 TLS_MAC_SHA256, TLS_PRF_SHA256, 32, 32, 16, 16, 16, 0},
	{0x003D, "TLS_RSA_WITH_AES_256_CBC_SHA256", "AES256-SHA256", TLS_KX_RSA, TLS_BULK_AES_CBC,
	 TLS_MAC_SHA256, TLS_PRF_SHA256, 32, 32, 32, 16, 16, 0},
	{0x009C, "TLS_RSA_WITH_AES_128_GCM_SHA256", "AES128-GCM-SHA256", TLS_KX_RSA, TLS_BULK_AES_GCM,
	 TLS_MAC_NONE, TLS_PRF_SHA256, 0, 0, 16, 4, 8, 16},
	{0x009D, "TLS_RSA_WITH_AES_256_GCM_SHA384", "AES256-GCM-SHA384", TLS_KX_RSA, TLS_BULK_AES_GCM,
	 TLS_MAC_NONE, TLS_PRF_SHA384, 0, 0, 32, 4, 8, 16},
	{0xC02F, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "ECDHE-RSA-AES128-GCM-SHA256", TLS_KX_ECDHE_RSA,
	 TLS_BULK_AES_GCM, TLS_MAC_NONE, TLS_PRF_SHA256, 0, 0, 16, 4, 8, 16},
	{0xC030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "ECDHE-RSA-AES256-GCM-SHA384", TLS_KX_ECDHE_RSA,
	 TLS_BULK_AES_GCM, TLS_MAC_NONE, TLS_PRF_SHA384, 0, 0, 32, 4, 8, 16},
	{0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA", "DHE-RSA-AES128-SHA", TLS_KX_DHE_RSA, TLS_BULK_AES_CBC,
	 TLS_MAC_SHA1, TLS_PRF_SHA256, 20, 20, 16, 16, 16, 0},
	/* Common on real servers and in captures (the illustrated-tls12 fixture
	 * uses 0xC013); the same machinery as the rows above. */
	{0xC013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "ECDHE-RSA-AES128-SHA", TLS_KX_ECDHE_RSA,
	 TLS_BULK_AES_CBC, TLS_MAC_SHA1, TLS_PRF_SHA256, 20, 20, 16, 16, 16, 0},
	{0xC014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "ECDHE-RSA-AES256-SHA", TLS_KX_ECDHE_RSA,
	 TLS_BULK_AES_CBC, TLS_MAC_SHA1, TLS_PRF_SHA256, 20, 20, 32, 16, 16, 0},
	{0xC027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "ECDHE-RSA-AES128-SHA256", TLS_KX_ECDHE_RSA,
	 TLS_BULK_AES_CBC, TLS_MAC_SHA256, TLS_PRF_SHA256, 32, 32, 16, 16, 16, 0},
	{0xC028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", "ECDHE-RSA-AES256-SHA384", TLS_KX_ECDHE_RSA,
	 TLS_BULK_AES_CBC, TLS_MAC_SHA384, TLS_PRF_SHA384, 48, 48, 32, 16, 16, 0},
	{0x009E, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", "DHE-RSA-AES128-GCM-SHA256", TLS_KX_DHE_RSA,
	 TLS_BULK_AES_GCM, TLS_MAC_NONE, TLS_PRF_SHA256, 0, 0, 16, 4, 8, 16},
	{0x009F, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", "DHE-RSA-AES256-GCM-SHA384", TLS_KX_DHE_RSA,
	 TLS_BULK_AES_GCM, TLS_MAC_NONE, TLS_PRF_SHA384, 0, 0, 32, 4, 8, 16},
	{0x0067, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256", "DHE-RSA-AES128-SHA256", TLS_KX_DHE_RSA,
	 TLS_BULK_AES_CBC, TLS_MAC_SHA256, TLS_PRF_SHA256, 32, 32, 16, 16, 16, 0},
	/* ECDHE signed with an ECDSA certificate: what most public sites use. */
	{0xC02B, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "ECDHE-ECDSA-AES128-GCM-SHA256", TLS_KX_ECDHE_ECDSA,
	 TLS_BULK_AES_GCM, TLS_MAC_NONE, TLS_PRF_SHA256, 0, 0, 16, 4, 8, 16},
	{0xC02C, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "ECDHE-ECDSA-AES256-GCM-SHA384", TLS_KX_ECDHE_ECDSA,
	 TLS_BULK_AES_GCM, TLS_MAC_NONE, TLS_PRF_SHA384, 0, 0, 32, 4, 8, 16},
	{0xC009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "ECDHE-ECDSA-AES128-SHA", TLS_KX_ECDHE_ECDSA,
	 TLS_BULK_AES_CBC, TLS_MAC_SHA1, TLS_PRF_SHA256, 20, 20, 16, 16, 16, 0},
	{0xC00A, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", "ECDHE-ECDSA-AES256-SHA", TLS_KX_ECDHE_ECDSA,
	 TLS_BULK_AES_CBC, TLS_MAC_SHA1, TLS_PRF_SHA256, 20, 20, 32, 16, 16, 0},
	{0xC023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "ECDHE-ECDSA-AES128-SHA256", TLS_KX_ECDHE_ECDSA,
	 TLS_BULK_AES_CBC, TLS_MAC_SHA256, TLS_PRF_SHA256, 32, 32, 16, 16, 16, 0},
	{0xC024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", "ECDHE-ECDSA-AES256-SHA384", TLS_KX_ECDHE_ECDSA,
	 TLS_BULK_AES_CBC, TLS_MAC_SHA384, TLS_PRF_SHA384, 48, 48, 32, 16, 16, 0},
};

/* Names of common suites tlsstep does not implement, so a peer's choice can
 * still be shown by name. */
static const struct { uint16_t id; const char *name; } other_names[] = {
	{0x00FF, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV"},
	{0x5600, "TLS_FALLBACK_SCSV"},
	{0x000A, "TLS_RSA_WITH_3DES_EDE_CBC_SHA"},
	{0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA"},
	{0x0067, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256"},
	{0x006B, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256"},
	{0x009E, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"},
	{0x009F, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384"},
	{0xC009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"},
	{0xC00A, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"},
	{0xC013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"},
	{0xC014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"},
	{0xC023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"},
	{0xC024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384"},
	{0xC027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"},
	{0xC028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384"},
	{0xC02B, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"},
	{0xC02C, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"},
	{0xCCA8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"},
	{0xCCA9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"},
	{0xCCAA, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256"},
	{0x1301, "TLS_AES_128_GCM_SHA256"},
	{0x1302, "TLS_AES_256_GCM_SHA384"},
	{0x1303, "TLS_CHACHA20_POLY1305_SHA256"},
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
