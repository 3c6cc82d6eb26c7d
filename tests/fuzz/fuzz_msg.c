/* Every handshake decoder on the same bytes, with spans: ClientHello,
 * ServerHello, Certificate, ServerHelloDone, RSA ClientKeyExchange,
 * Finished, Alert, ChangeCipherSpec, and tls_hs_describe / tls13_hs_describe (header + body)
 * from each side. Decoders must reject or accept without reading past n,
 * and every span they record must lie inside the message. */
#include "tls/bytes.h"
#include "tls/msg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void check_spans(const tls_spans *sp, size_t limit)
{
	for (size_t i = 0; i < sp->n; i++) {
		const tls_span *s = &sp->v[i];
		if ((size_t)s->offset > limit || (size_t)s->length > limit - s->offset)
			abort(); /* a field the learner would see outside the bytes */
		if (!s->path || !s->meaning || strlen(s->path) >= TLS_SPAN_PATH ||
		    strlen(s->meaning) >= TLS_SPAN_MEANING || s->path_len != strlen(s->path) ||
		    s->meaning_len != strlen(s->meaning))
			abort(); /* text always there, cut to the documented sizes, lengths right */
	}
}

/* Copy into a buffer of exactly n bytes so ASan sees any overread. */
static uint8_t *dup_exact(const uint8_t *p, size_t n)
{
	uint8_t *q = malloc(n ? n : 1);
	if (!q)
		abort();
	if (n)
		memcpy(q, p, n);
	return q;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *p = dup_exact(data, size);
	tls_spans sp = {0};
	tls_client_hello ch;
	tls_server_hello sh;
	tls_certificate_msg cm;
	const uint8_t *enc;
	size_t enc_len;
	uint8_t vd[12];
	unsigned level, desc;

	/* Bodies: offsets in spans are relative to the 4-byte header. */
	if (tls_client_hello_decode(p, size, &ch, &sp) == 0) {
		if (ch.session_id_len > 32 || ch.n_suites > TLS_MAX_SUITES || ch.n_exts > TLS_MAX_EXTS ||
		    !memchr(ch.server_name, 0, sizeof ch.server_name))
			abort();
		tls_buf re = {0};
		if (tls_client_hello_encode(&re, &ch))
			abort(); /* whatever decodes encodes again */
		tls_buf_free(&re);
	}
	check_spans(&sp, size + 4);
	tls_spans_free(&sp);
	if (tls_server_hello_decode(p, size, &sh, &sp) == 0) {
		if (sh.session_id_len > 32 || sh.n_exts > TLS_MAX_EXTS)
			abort();
		tls_buf re = {0};
		if (tls_server_hello_encode(&re, &sh))
			abort();
		tls_buf_free(&re);
	}
	check_spans(&sp, size + 4);
	tls_spans_free(&sp);
	if (tls_certificate_decode(p, size, &cm, &sp) == 0) {
		if (cm.n > TLS_MAX_CERTS)
			abort();
		for (size_t i = 0; i < cm.n; i++)
			if (cm.der[i] < p || cm.der[i] + cm.len[i] > p + size)
				abort();
	}
	check_spans(&sp, size + 4);
	tls_spans_free(&sp);
	if (tls_server_hello_done_decode(p, size, &sp) == 0 && size != 0)
		abort(); /* ServerHelloDone has an empty body */
	check_spans(&sp, size + 4);
	tls_spans_free(&sp);
	if (tls_cke_rsa_decode(p, size, &enc, &enc_len, &sp) == 0 &&
	    (enc < p || enc + enc_len > p + size))
		abort();
	check_spans(&sp, size + 4);
	tls_spans_free(&sp);
	if (tls_finished_decode(p, size, vd, &sp) == 0 && (size != 12 || memcmp(vd, p, 12)))
		abort(); /* exactly the 12 bytes of verify_data */
	check_spans(&sp, size + 4);
	tls_spans_free(&sp);
	if (tls_alert_decode(p, size, &level, &desc, &sp) == 0 &&
	    (size != 2 || level != p[0] || desc != p[1]))
		abort(); /* exactly level and description */
	tls_spans_free(&sp);
	if (tls_ccs_decode(p, size, &sp) == 0 && (size != 1 || p[0] != 1))
		abort(); /* exactly the byte 01 */
	tls_spans_free(&sp);

	/* Whole messages, header included, as the views decode them. */
	for (int from_server = 0; from_server < 2; from_server++) {
		tls_hs_describe(p, size, from_server, &sp);
		check_spans(&sp, size);
		tls_spans_free(&sp);
		/* and as a TLS 1.3 message (tls13_msg.c's decoders) */
		tls13_hs_describe(p, size, from_server, &sp);
		check_spans(&sp, size);
		tls_spans_free(&sp);
	}
	if (size) {
		char name[64];
		const char *nm = tls_hs_name(p[0]);
		if (nm)
			snprintf(name, sizeof name, "%s", nm);
		(void)tls_content_type_name(p[0]);
		if (size >= 2)
			(void)tls_ext_name((uint16_t)(p[0] << 8 | p[1]));
	}
	free(p);
	return 0;
}
