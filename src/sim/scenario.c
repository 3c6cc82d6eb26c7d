#include "sim/scenario.h"

#include <stdio.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define LIST(a) a, N(a)

static const uint16_t rsa_cbc[] = {0x002F};
static const uint16_t rsa_gcm[] = {0x009C};
static const uint16_t rsa_sha256[] = {0x003D};
static const uint16_t ecdhe_gcm[] = {0xC02F};
static const uint16_t ecdhe_sha384[] = {0xC030};
static const uint16_t dhe_cbc[] = {0x0033};
static const uint16_t ecdhe_ecdsa_gcm[] = {0xC02B};
/* a client that also accepts ECDSA: its suites and signature schemes */
static const uint16_t client_ecdsa[] = {0xC02B, 0xC02F, 0xC02C, 0xC030, 0x009C, 0x002F};
static const uint16_t sig_ecdsa_rsa[] = {0x0403, 0x0503, 0x0401, 0x0501, 0x0601, 0x0201};
/* The client's usual list: it offers several, the server picks. The RSA
 * scenarios keep the list of RSA suites they always had (their bytes are the
 * reference of the lessons and the golden test). */
static const uint16_t client_all[] = {0x009C, 0x009D, 0x003D, 0x003C, 0x0035, 0x002F};
/* A client that also does forward secrecy, and prefers it. */
static const uint16_t client_fs[] = {0xC02F, 0xC030, 0x0033, 0x009C, 0x009D, 0x003D, 0x003C, 0x0035, 0x002F};
/* What a TLS 1.0 client can offer: no GCM, no SHA-256 MAC. */
static const uint16_t client_tls10[] = {0x0035, 0x002F};
/* tampered: the client prefers ECDHE, so does the server; the attacker
 * breaks the client's first choice and the server falls back to RSA. */
static const uint16_t tamper_offer[] = {0xC02F, 0x002F};

/* TLS 1.3 */
static const uint16_t chacha13[] = {0x1303};
static const uint16_t p256_first[] = {0x0017, 0x001d}; /* secp256r1, then x25519 */
#define TLS13 .tls13 = 1, .tickets = 1

#define SERVER "server.crt", "server.key", NULL
#define HOST "server.tlsstep.test"

/* clang-format off */
static const sim_scenario scenarios[] = {
	{"rsa", "RSA key exchange, AES-128-CBC with HMAC-SHA1 (TLS_RSA_WITH_AES_128_CBC_SHA)",
	 LIST(client_all), LIST(rsa_cbc), SERVER, HOST, .lesson = NULL},
	{"rsa-gcm", "RSA key exchange, AES-128-GCM (TLS_RSA_WITH_AES_128_GCM_SHA256): an AEAD suite",
	 LIST(client_all), LIST(rsa_gcm), SERVER, HOST, .lesson = "scenario-rsa-gcm.md"},
	{"rsa-sha256", "RSA key exchange, AES-256-CBC with HMAC-SHA256 (TLS_RSA_WITH_AES_256_CBC_SHA256)",
	 LIST(client_all), LIST(rsa_sha256), SERVER, HOST, .lesson = "scenario-rsa-sha256.md"},
	{"ems", "RSA key exchange with the extended master secret (RFC 7627): made from a hash of the handshake up to ClientKeyExchange",
	 LIST(client_all), LIST(rsa_cbc), SERVER, HOST, .lesson = "scenario-ems.md", .ems = 1},
	{"etm", "encrypt-then-MAC (RFC 7366): the MAC covers the ciphertext and is checked before decrypting",
	 LIST(client_all), LIST(rsa_cbc), SERVER, HOST, .lesson = "scenario-etm.md", .etm = 1},
	{"ecdhe", "ECDHE over P-256, AES-128-GCM (TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256): forward secrecy",
	 LIST(client_fs), LIST(ecdhe_gcm), SERVER, HOST, .lesson = "scenario-ecdhe.md"},
	{"ecdhe-sha384", "ECDHE over P-256, AES-256-GCM, PRF with SHA-384 (TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384)",
	 LIST(client_fs), LIST(ecdhe_sha384), SERVER, HOST, .lesson = "scenario-ecdhe-sha384.md"},
	{"ecdhe-ecdsa", "ECDHE signed with an ECDSA (P-256) certificate, AES-128-GCM (TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256): what most web servers use",
	 LIST(client_ecdsa), LIST(ecdhe_ecdsa_gcm), "ecdsa.crt", "ecdsa.key", NULL, HOST, .lesson = "scenario-ecdhe-ecdsa.md",
	 .client_sig_algs = sig_ecdsa_rsa, .n_client_sig_algs = N(sig_ecdsa_rsa)},
	{"dhe", "finite-field DHE with ffdhe2048, AES-128-CBC (TLS_DHE_RSA_WITH_AES_128_CBC_SHA)",
	 LIST(client_fs), LIST(dhe_cbc), SERVER, HOST, .lesson = "scenario-dhe.md"},
	{"mutual", "the server asks for a certificate too: the client proves who it is (CertificateVerify)",
	 LIST(client_fs), LIST(ecdhe_gcm), SERVER, HOST, .lesson = "scenario-mutual.md",
	 .request_client_cert = 1, .client_cert = "client.crt", .client_key = "client.key"},
	{"resume", "a second connection resumes the first by session ID: no certificate, no key exchange",
	 LIST(client_fs), LIST(ecdhe_gcm), SERVER, HOST, .lesson = "scenario-resume.md", .resume = 1},
	{"untrusted-ca", "the server's certificate is signed by a CA the client does not trust: unknown_ca",
	 LIST(client_all), LIST(rsa_cbc), "untrusted.crt", "untrusted.key", "rogue-ca.crt", HOST, .lesson = "scenario-untrusted-ca.md"},
	{"expired", "the server's certificate expired in 2021: certificate_expired",
	 LIST(client_all), LIST(rsa_cbc), "expired.crt", "expired.key", NULL, HOST, .lesson = "scenario-expired.md"},
	{"wrong-host", "the certificate names another host than the one the client asked for: bad_certificate",
	 LIST(client_all), LIST(rsa_cbc), "wrong-name.crt", "wrong-name.key", NULL, HOST, .lesson = "scenario-wrong-host.md"},
	{"wrong-purpose", "the certificate looks right but was issued for TLS clients, not servers: unsupported_certificate",
	 LIST(client_all), LIST(rsa_cbc), "wrong-purpose.crt", "wrong-purpose.key", NULL, HOST, .lesson = "scenario-wrong-purpose.md"},
	{"no-shared-cipher", "the client offers only AES-GCM, the server accepts only AES-CBC: handshake_failure",
	 LIST(rsa_gcm), LIST(rsa_cbc), SERVER, HOST, .lesson = "scenario-no-shared-cipher.md"},
	{"old-version", "the client offers only TLS 1.0, the server requires TLS 1.2: protocol_version",
	 LIST(client_tls10), LIST(rsa_cbc), SERVER, HOST, .lesson = "scenario-old-version.md", .client_version = 0x0301},
	{"tampered", "an attacker changes the client's first cipher suite (a downgrade); Finished catches it",
	 LIST(tamper_offer), LIST(tamper_offer), SERVER, HOST, .lesson = "scenario-tampered.md",
	 /* record header 5 + handshake header 4 + version 2 + random 32 + empty
	  * session_id 1 + suites length 2: byte 46 starts the first suite */
	 .tamper_step = 1, .tamper_offset = 47, .tamper_xor = 0x80},
	{"tls13", "TLS 1.3: one round trip, x25519 key share, TLS_AES_128_GCM_SHA256; the handshake is encrypted after ServerHello",
	 LIST(client_fs), LIST(ecdhe_gcm), SERVER, HOST, .lesson = "tls13-scenario.md", TLS13, .compat = 1},
	{"tls13-hrr", "TLS 1.3: the server wants a P-256 key share, not x25519: HelloRetryRequest, then the handshake",
	 LIST(client_fs), LIST(ecdhe_gcm), SERVER, HOST, .lesson = "tls13-scenario-hrr.md", TLS13,
	 .server_groups = p256_first, .n_server_groups = N(p256_first)},
	{"tls13-resume", "TLS 1.3: the second connection resumes with the first one's ticket (PSK with (EC)DHE)",
	 LIST(client_fs), LIST(ecdhe_gcm), SERVER, HOST, .lesson = "tls13-scenario-resume.md", TLS13, .resume = 1},
	{"tls13-mutual", "TLS 1.3: the server asks for a certificate; the client's Certificate and CertificateVerify are encrypted too",
	 LIST(client_fs), LIST(ecdhe_gcm), SERVER, HOST, .lesson = "tls13-scenario-mutual.md", TLS13,
	 .request_client_cert = 1, .client_cert = "client.crt", .client_key = "client.key"},
	{"tls13-ecdsa", "TLS 1.3 with an EC certificate (P-256): the server's CertificateVerify is ECDSA (ecdsa_secp256r1_sha256), not RSA-PSS",
	 LIST(client_fs), LIST(ecdhe_gcm), "ecdsa.crt", "ecdsa.key", NULL, HOST, .lesson = "tls13-scenario-ecdsa.md", TLS13},
	{"tls13-chacha", "TLS 1.3 with TLS_CHACHA20_POLY1305_SHA256: another AEAD, the same key schedule",
	 LIST(client_fs), LIST(ecdhe_gcm), SERVER, HOST, .lesson = "tls13-scenario-chacha.md", TLS13,
	 .suites13 = chacha13, .n_suites13 = N(chacha13)},
	{"tls13-tampered", "TLS 1.3: a byte of the server's CertificateVerify signature is changed: decrypt_error",
	 LIST(client_fs), LIST(ecdhe_gcm), SERVER, HOST, .lesson = "tls13-scenario-tampered.md", TLS13,
	 /* handshake header 4 + signature scheme 2 + length 2: byte 20 is in the signature */
	 .tamper_step = 4, .tamper_offset = 20, .tamper_xor = 0x01, .tamper_inside = 1},
	{"tls13-downgrade", "TLS 1.3 client, an attacker turns its offer of 1.3 into an unknown version: the server falls back to 1.2 and marks its random; the client aborts",
	 LIST(client_fs), LIST(ecdhe_gcm), SERVER, HOST, .lesson = "tls13-scenario-downgrade.md", TLS13, .compat = 1,
	 /* byte 185 of the ClientHello record: the low byte of 0x0304, the
	  * first of supported_versions (the layout is the same for every seed) */
	 .tamper_step = 1, .tamper_offset = 185, .tamper_xor = 0x01},
};
/* clang-format on */

/* Older scenario names, still accepted so that old command lines and
 * scripts keep working (not listed). */
static const struct {
	const char *old, *now;
} aliases[] = {
	{"wrong-name", "wrong-host"},
	{"no-common-suite", "no-shared-cipher"},
};

size_t sim_scenario_count(void)
{
	return N(scenarios);
}

const sim_scenario *sim_scenario_at(size_t i)
{
	return i < N(scenarios) ? &scenarios[i] : NULL;
}

const sim_scenario *sim_scenario_find(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < N(aliases); i++)
		if (!strcmp(aliases[i].old, name))
			name = aliases[i].now;
	for (size_t i = 0; i < N(scenarios); i++)
		if (!strcmp(scenarios[i].name, name))
			return &scenarios[i];
	return NULL;
}

const sim_scenario *sim_scenario_lookup(const char *name, char *err, size_t errlen)
{
	const sim_scenario *sc = sim_scenario_find(name ? name : SCENARIO_DEFAULT);
	if (!sc)
		snprintf(err, errlen, "unknown scenario '%s' (tlsstep scenarios lists them)", name);
	return sc;
}
