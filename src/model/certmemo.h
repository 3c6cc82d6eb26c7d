/* The field spans of Certificate messages already described, kept so a
 * capture of many connections to one server parses that server's chain once
 * instead of once per connection.
 *
 * A Certificate message's spans (and its first subject) depend on nothing
 * but its bytes, so an entry is reused only for a byte-for-byte equal
 * message. The memo holds a few entries and replaces the oldest; it belongs
 * to whoever runs many observers (a replay) and is handed to each. */
#ifndef SIM_CERTMEMO_H
#define SIM_CERTMEMO_H

#include "tls/bytes.h"

#include <stddef.h>
#include <stdint.h>

#define CERT_MEMO_SLOTS 8

typedef struct {
	tls_buf msg;       /* the whole handshake message; empty when unused */
	tls_spans spans;   /* offsets within msg */
	char subject[256]; /* the first certificate's subject */
	int subject_ok;    /* the first certificate parsed (its subject may be "") */
} cert_memo_slot;

typedef struct {
	cert_memo_slot slot[CERT_MEMO_SLOTS];
	unsigned next; /* the slot to fill next */
} cert_memo;

void cert_memo_init(cert_memo *m);
void cert_memo_free(cert_memo *m);
/* The entry for exactly these bytes, or NULL. */
const cert_memo_slot *cert_memo_find(const cert_memo *m, const uint8_t *msg, size_t len);
/* Keeps spans v[0..n) and the first certificate's subject (NULL: it did not
 * parse) for msg, replacing the oldest entry. Returns 0, or negative when
 * memory ran out (the memo is then unchanged). */
int cert_memo_put(cert_memo *m, const uint8_t *msg, size_t len, const tls_span *v, size_t n,
                  const char *subject);

#endif
