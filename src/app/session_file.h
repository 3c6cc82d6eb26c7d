/* connect --sess-out / --sess-in: a session kept between runs, like
 * openssl s_client's -sess_out / -sess_in, in a text format of our own:
 *
 *   tlsstep-session 1
 *   # comment lines and blank lines are ignored
 *   version=1.3                 1.3: a ticket (RFC 8446 4.6.1); 1.2: a session ID (RFC 5246 7.3)
 *   server_name=localhost       the name the session was made with (SNI)
 *   cipher_suite=1301           hex, as on the wire
 *   received=1767225600         Unix seconds when it arrived
 *   TLS 1.3: ticket=HEX ticket_lifetime=SECONDS ticket_age_add=N ticket_nonce=HEX
 *            max_early_data=N psk=HEX [resumption_master_secret=HEX]
 *   TLS 1.2: session_id=HEX master_secret=HEX extended_master_secret=0|1 encrypt_then_mac=0|1
 *
 * Each key once, every key of the version present (resumption_master_secret
 * optional; when present the psk must follow from it and the nonce). The
 * file holds a secret (psk, master_secret): it is written mode 0600. It is
 * untrusted input: anything else is refused with one line naming the
 * problem, and nothing is offered. */
#ifndef APP_SESSION_FILE_H
#define APP_SESSION_FILE_H

#include "tls/conn.h"

#include <stddef.h>
#include <stdint.h>

typedef struct {
	tls_session s; /* what the engine offers (tls_config.resume) */
	char server_name[256];
	uint8_t res_master[TLS13_HASH_MAX]; /* 1.3, optional: what the psk came from */
	size_t res_master_len;
} app_session;

/* What this connect will offer: a session that does not fit is refused. */
typedef struct {
	const char *server_name;
	int offer12, offer13;   /* versions the ClientHello offers */
	const uint16_t *suites; /* the TLS 1.2 suites offered */
	size_t n_suites;
	int64_t now;
} app_session_want;

/* 0, or -1 with one line in err (starting with the path). */
int app_session_read(const char *path, app_session *out, char *err, size_t errlen);
int app_session_check(const app_session *a, const char *path, const app_session_want *w, char *err,
                      size_t errlen);
/* Writes atomically (a temporary file renamed over path), mode 0600. */
int app_session_write(const char *path, const app_session *a, char *err, size_t errlen);
/* Parses the text of a session file; path only names it in errors. */
int app_session_parse(const char *text, size_t len, const char *path, app_session *out, char *err,
                      size_t errlen);

/* connect --sess-in: reads path and checks it fits; a->s is then what
 * tls_config.resume offers. connect --sess-out: writes the session c left
 * (TLS 1.3: the last ticket) made with server_name; -1 with err when it
 * left none. */
int app_session_load(const char *path, const app_session_want *w, app_session *a, char *err, size_t errlen);
int app_session_save(const char *path, const tls_conn *c, const char *server_name, int64_t now, char *err,
                     size_t errlen);
/* One line on how the offered session fared: resumed, or declined. */
void app_session_report(const char *path, const tls_knowledge *k, char *out, size_t n);

#endif
