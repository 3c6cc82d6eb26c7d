/* NSS key log files (SSLKEYLOGFILE), as written by browsers, curl, OpenSSL
 * (-keylogfile), Go and tlsstep --keylog.
 *
 * Two kinds of line give a TLS 1.2 connection's keys:
 *   CLIENT_RANDOM <64 hex: client random> <96 hex: master secret>
 *   RSA <16 hex: first 8 bytes of the encrypted premaster> <96 hex: premaster>
 * A TLS 1.3 connection's are its traffic secrets, one line each:
 *   LABEL <64 hex: client random> <64 or 96 hex: the secret (hash length)>
 * with the labels of enum keylog13_label. CLIENT_TRAFFIC_SECRET_N and
 * SERVER_TRAFFIC_SECRET_N lines (after a KeyUpdate) are accepted and not
 * kept: the next generation is derived from _0 (RFC 8446 7.2) and checked
 * against the record it opens. Comments (#) and blank lines
 * are ignored; CRLF is accepted. A bad line (short or non-hex field, NUL
 * byte, unknown label, line over KEYLOG_MAX_LINE) is skipped with a warning
 * naming its line number, never fatal. Lookups are by binary search after
 * replay_keylog_finish, so a big key log costs O(log n) per connection. */
#ifndef REPLAY_KEYLOG_H
#define REPLAY_KEYLOG_H

#include "tls/bytes.h" /* TLS_MUST_USE */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define KEYLOG_MAX_LINE 4096
#define KEYLOG_MAX_WARNINGS 10 /* printed; the rest are counted */

/* The TLS 1.3 secrets a key log can hold (NSS labels). */
enum keylog13_label {
	KL13_CLIENT_EARLY,     /* CLIENT_EARLY_TRAFFIC_SECRET */
	KL13_CLIENT_HANDSHAKE, /* CLIENT_HANDSHAKE_TRAFFIC_SECRET */
	KL13_SERVER_HANDSHAKE, /* SERVER_HANDSHAKE_TRAFFIC_SECRET */
	KL13_CLIENT_TRAFFIC,   /* CLIENT_TRAFFIC_SECRET_0 */
	KL13_SERVER_TRAFFIC,   /* SERVER_TRAFFIC_SECRET_0 */
	KL13_EARLY_EXPORTER,   /* EARLY_EXPORTER_SECRET */
	KL13_EXPORTER,         /* EXPORTER_SECRET */
	KL13_COUNT
};

typedef struct {
	uint8_t key[32]; /* client random, or the 8-byte RSA head zero-padded */
	uint8_t secret[48];
	uint8_t label; /* TLS 1.3: enum keylog13_label */
	uint8_t len;   /* bytes of secret used: 48, or 32/48 for TLS 1.3 */
	size_t line;
} keylog_entry;

typedef struct {
	keylog_entry *v[3]; /* [0] CLIENT_RANDOM, [1] RSA, [2] TLS 1.3 labels */
	size_t n[3], cap[3];
	const char *name; /* for warnings: "keys.txt" */
	FILE *warn;       /* where warnings go (NULL: silent) */
	size_t warnings, tls13_lines, used_lines;
} keylog;

void replay_keylog_init(keylog *k, const char *name, FILE *warn);
void replay_keylog_free(keylog *k); /* zeroes the secrets */
/* One line (without its newline; a trailing CR is dropped). Returns 0 when
 * used or ignored, -1 (with a warning) when bad. */
int replay_keylog_line(keylog *k, const char *line, size_t len, size_t lineno);
/* Whole text (a file, a pcapng Decryption Secrets Block). */
void replay_keylog_text(keylog *k, const char *text, size_t len);
/* Reads a file line by line with a fixed buffer. 0, or -1 with err set
 * when the file cannot be opened or read. */
TLS_MUST_USE int replay_keylog_load(keylog *k, const char *path, char *err, size_t errlen);
/* Sorts for lookups; warns about a client random given two different
 * master secrets (the earliest line wins). Call after loading. */
void replay_keylog_finish(keylog *k);
const uint8_t *replay_keylog_master(const keylog *k, const uint8_t client_random[32]);
const uint8_t *replay_keylog_rsa(const keylog *k, const uint8_t head[8]);
/* A TLS 1.3 secret of the connection with this client random, its length
 * in *len; NULL when the key log has no such line. */
const uint8_t *replay_keylog_tls13(const keylog *k, const uint8_t client_random[32],
				   enum keylog13_label label, size_t *len);
/* The NSS label of a TLS 1.3 secret: "CLIENT_HANDSHAKE_TRAFFIC_SECRET". */
const char *replay_keylog13_name(enum keylog13_label label);
size_t replay_keylog_count(const keylog *k);

#endif
