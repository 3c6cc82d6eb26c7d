/* Record protection: one direction of a connection's encryption (RFC 5246 6.2.3).
 *
 * A tls_protect holds one side's write keys and sequence number, and turns a
 * plaintext fragment into the protected record body (seal) or back (open).
 * Two shapes are taught: AES-CBC with HMAC, MAC-then-encrypt with an
 * explicit random IV per record (6.2.3.2), and AES-GCM, an AEAD whose nonce
 * is a 4-byte salt from the key block plus an 8-byte explicit part carried in
 * the record (RFC 5288). Every way an incoming record can be wrong gives the
 * same alert, bad_record_mac, so a peer learns nothing about which check
 * failed (the padding oracle lesson). */
#ifndef TLS_PROTECT_H
#define TLS_PROTECT_H

#include <stddef.h>
#include <stdint.h>

#include <tomcrypt.h>

#include "tls/bytes.h"
#include "tls/rng.h"
#include "tls/suites.h"

#define TLS_MAX_PLAINTEXT 16384u             /* 2^14 */
#define TLS_MAX_CIPHERTEXT (16384u + 2048u) /* 2^14 + 2048 */

typedef struct {
	const tls_suite *suite;
	uint64_t seq;
	uint8_t mac_key[48];
	uint8_t key[32];
	uint8_t salt[4];   /* GCM implicit nonce part (fixed IV) */
	uint8_t aead_iv[12]; /* ChaCha20-Poly1305: the key block's IV (RFC 7905) */
	symmetric_key aes; /* scheduled AES key for CBC */
	int ready;
	int etm;                  /* encrypt-then-MAC (RFC 7366), CBC only */
	gcm_state *gcm;           /* GCM: libtomcrypt's state, key and tables */
	int chained;              /* TLS 1.0: implicit IV, chained across records */
	uint8_t chain_iv[16];     /* the IV of this direction's next record */
} tls_protect;

/* mac_key (suite->mac_key_len bytes, may be NULL for GCM), key (key_len) and
 * iv (fixed_iv_len; only GCM uses it, CBC records carry their own IV). */
TLS_MUST_USE int tls_protect_init(tls_protect *p, const tls_suite *s, const uint8_t *mac_key,
                                  const uint8_t *key, const uint8_t *iv);
/* Appends to out the protected fragment (the record body, without the 5-byte
 * header) for a record of content type `type` and version `version` carrying
 * pt. CBC: explicit IV from rng, HMAC over seq_num + type + version + length +
 * plaintext, minimal padding. GCM: explicit nonce = seq (big endian), AAD =
 * seq + type + version + plaintext length, 16-byte tag appended (rng unused,
 * may be NULL). seq += 1 on success. pt_len > 2^14: TLS_FAIL(RECORD_OVERFLOW).
 * pt must not point into out. */
TLS_MUST_USE int tls_protect_seal(tls_protect *p, tls_rng *rng, uint8_t type, uint16_t version,
                                  const uint8_t *pt, size_t pt_len, tls_buf *out);
/* Opens a protected fragment into out (cleared first). Any malformed or
 * forged record: TLS_FAIL(TLS_ALERT_BAD_RECORD_MAC), out left empty. Fragment
 * over 2^14 + 2048 or plaintext over 2^14: TLS_FAIL(TLS_ALERT_RECORD_OVERFLOW).
 * seq += 1 on success only. */
TLS_MUST_USE int tls_protect_open(tls_protect *p, uint8_t type, uint16_t version, const uint8_t *frag,
                                  size_t frag_len, tls_buf *out);
/* Switches a CBC context to encrypt-then-MAC (RFC 7366): the record is
 * IV + AES-CBC(data + padding) + HMAC over the header and all of that, so
 * the MAC is checked before anything is decrypted. Ignored for GCM. */
void tls_protect_set_etm(tls_protect *p, int on);
/* Switches a CBC context to TLS 1.0 records: no explicit IV; iv (the key
 * block's write IV) is the first record's IV, and each record's last
 * ciphertext block the next one's. Composes with encrypt-then-MAC (the MAC
 * then covers the header and the ciphertext alone). rng is not used by seal
 * in this mode. Negative for a GCM or uninitialised context. */
TLS_MUST_USE int tls_protect_set_tls10(tls_protect *p, const uint8_t iv[16]);
void tls_protect_free(tls_protect *p); /* zero everything */

/* ---- TLS 1.3 records (tls13_record.c) ---- */

/* Appends a whole protected record (header 23 03 03 length, then the AEAD
 * of pt + inner_type, no padding) sealed with sequence number seq. */
TLS_MUST_USE int tls13_record_seal(const tls_suite *s, const uint8_t *key, const uint8_t *iv, uint64_t seq,
                                   uint8_t inner_type, const uint8_t *pt, size_t pt_len, tls_buf *out);
/* RFC 8446 5.2: nonce = iv XOR seq, AAD = the 5-byte record header; out
 * (room for record_len - 5 bytes) gets the TLSInnerPlaintext with padding
 * removed and *inner_type the real content type. A forged record:
 * TLS_FAIL(bad_record_mac); no content type: TLS_FAIL(unexpected_message);
 * over 2^14 + 256 or a plaintext over 2^14: TLS_FAIL(record_overflow). */
TLS_MUST_USE int tls13_record_open(const tls_suite *s, const uint8_t *key, const uint8_t *iv, uint64_t seq,
                                   const uint8_t *record, size_t record_len, uint8_t *out, size_t *out_len,
                                   uint8_t *inner_type);

/* What a protected record looks like, keys or not: the suite and the mode
 * (encrypt-then-MAC, TLS 1.0's implicit IV) fix the layout of its body. */
typedef struct {
	const tls_suite *suite; /* NULL: unknown, the body is one opaque field */
	int etm;
	int tls10;
} tls_protect_shape;

/* Names the parts of a protected record body of body_len bytes (explicit
 * IV or nonce, ciphertext, MAC or tag) as spans at wire offsets, the 5-byte
 * header before it. Each mode describes its own layout, the one seal
 * writes and open reads; a body too short for its mode is one opaque
 * field. sp may be NULL. */
void tls_protect_describe(const tls_protect_shape *sh, size_t body_len, tls_spans *sp);

#endif
