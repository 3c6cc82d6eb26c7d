#include "model/certmemo.h"

#include <stdio.h>
#include <string.h>

void cert_memo_init(cert_memo *m)
{
	memset(m, 0, sizeof *m);
}

static void slot_clear(cert_memo_slot *s)
{
	tls_buf_free(&s->msg);
	tls_spans_free(&s->spans);
	s->subject[0] = 0;
	s->subject_ok = 0;
}

void cert_memo_free(cert_memo *m)
{
	for (int i = 0; i < CERT_MEMO_SLOTS; i++)
		slot_clear(&m->slot[i]);
	m->next = 0;
}

const cert_memo_slot *cert_memo_find(const cert_memo *m, const uint8_t *msg, size_t len)
{
	for (int i = 0; i < CERT_MEMO_SLOTS; i++) {
		const cert_memo_slot *s = &m->slot[i];
		if (s->msg.len && s->msg.len == len && !memcmp(s->msg.p, msg, len))
			return s;
	}
	return NULL;
}

int cert_memo_put(cert_memo *m, const uint8_t *msg, size_t len, const tls_span *v, size_t n,
                  const char *subject)
{
	cert_memo_slot fresh;
	memset(&fresh, 0, sizeof fresh);
	if (!len || tls_buf_put(&fresh.msg, msg, len) || tls_spans_append(&fresh.spans, v, n, 0)) {
		slot_clear(&fresh);
		return -1;
	}
	fresh.subject_ok = subject != NULL;
	snprintf(fresh.subject, sizeof fresh.subject, "%s", subject ? subject : "");
	cert_memo_slot *s = &m->slot[m->next];
	slot_clear(s);
	*s = fresh;
	m->next = (m->next + 1) % CERT_MEMO_SLOTS;
	return 0;
}
