/* The cipher suites tlsstep implements, as one table.
 *
 * Each row says how the suite exchanges keys, protects records and which hash
 * its PRF uses; record protection and key derivation read only this table.
 * A row names its cipher and MAC; the sizes below follow from them (see
 * suites.c), so adding a suite of an existing shape is one row there. */
#ifndef TLS_SUITES_H
#define TLS_SUITES_H

#include <stddef.h>
#include <stdint.h>

/* The key exchange and the kind of key the server's certificate holds:
 * ECDHE_ECDSA is ECDHE signed with an EC key. */
enum tls_kx { TLS_KX_RSA, TLS_KX_ECDHE_RSA, TLS_KX_DHE_RSA, TLS_KX_ECDHE_ECDSA, TLS_KX_TLS13 };
/* The zero values are the defaults a row need not write: no MAC (AEAD)
 * and SHA-256 for the PRF. */
enum tls_bulk { TLS_BULK_AES_CBC, TLS_BULK_AES_GCM, TLS_BULK_CHACHA20_POLY1305 };
enum tls_mac { TLS_MAC_NONE, TLS_MAC_SHA1, TLS_MAC_SHA256, TLS_MAC_SHA384 };
enum tls_prf_hash { TLS_PRF_SHA256, TLS_PRF_SHA384 };

typedef struct {
	uint16_t id;
	const char *name;     /* IANA name, e.g. TLS_RSA_WITH_AES_128_CBC_SHA */
	const char *openssl;  /* OpenSSL's name, e.g. AES128-SHA */
	enum tls_kx kx;
	enum tls_bulk bulk;
	enum tls_mac mac;
	enum tls_prf_hash prf;
	size_t mac_key_len;   /* 0 for AEAD */
	size_t mac_len;       /* HMAC output length, 0 for AEAD */
	size_t key_len;       /* 16 or 32 */
	size_t fixed_iv_len;  /* key block IV: 16 for CBC, 4 (salt) for GCM, 12 for ChaCha20 */
	size_t record_iv_len; /* explicit per record: 16 for CBC, 8 for GCM, 0 for ChaCha20 */
	size_t tag_len;       /* 16 for the AEADs, 0 otherwise */
	int tls13;            /* a TLS 1.3 suite (kx TLS_KX_TLS13): never offered or chosen in 1.2 */
} tls_suite;

const tls_suite *tls_suite_by_id(uint16_t id);
const tls_suite *tls_suite_by_name(const char *name); /* IANA or OpenSSL name */
size_t tls_suite_count(void);
const tls_suite *tls_suite_at(size_t i);
/* IANA name of any registered suite id (also ones tlsstep lacks), or NULL. */
const char *tls_suite_iana_name(uint16_t id);
/* libtomcrypt hash index of the suite's PRF hash / HMAC hash. */
int tls_suite_prf_hash(const tls_suite *s);
int tls_suite_mac_hash(const tls_suite *s);
/* 1 for the ECDHE suites, whatever signs them. */
int tls_suite_is_ecdhe(const tls_suite *s);
/* 1 when the server's certificate must hold an EC key (ECDHE_ECDSA). */
int tls_suite_is_ecdsa(const tls_suite *s);

#endif
