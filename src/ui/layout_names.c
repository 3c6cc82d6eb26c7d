/* Names shown inline in the field tree, as Wireshark shows them: a cipher
 * suite code followed by its IANA name, an extension type by its name, and
 * so on. Every name comes from the engine's own tables (src/tls); the only
 * knowledge here is which field paths hold which kind of code. */
#include "ui/layout.h"

#include "tls/alert.h"
#include "tls/msg.h"
#include "tls/suites.h"

#include <stdio.h>
#include <string.h>

/* The last path component, without an index: "...cipher_suites[3]" ->
 * "cipher_suites". */
static void last_name(const char *path, char *out, size_t n)
{
	const char *dot = strrchr(path, '.');
	const char *s = dot ? dot + 1 : path;
	size_t k = strcspn(s, "[");
	snprintf(out, n, "%.*s", (int)k, s);
}

static int ends_with(const char *s, const char *tail)
{
	size_t a = strlen(s), b = strlen(tail);
	return a >= b && !strcmp(s + a - b, tail);
}

static const char *u16_name(const char *last, const char *path, unsigned v)
{
	if (!strcmp(last, "cipher_suites") || !strcmp(last, "cipher_suite"))
		return tls_suite_iana_name((uint16_t)v) ? tls_suite_iana_name((uint16_t)v)
		       : tls_is_grease(v)              ? "GREASE"
		                                       : NULL;
	if (ends_with(path, "].type") && strstr(path, "extensions["))
		return tls_ext_name((uint16_t)v);
	if (ends_with(last, "version") || !strcmp(last, "versions"))
		return tls_version_name(v) ? tls_version_name(v) : tls_is_grease(v) ? "GREASE" : NULL;
	if (!strcmp(last, "named_group_list") || !strcmp(last, "named_curve") || !strcmp(last, "group") ||
	    !strcmp(last, "selected_group"))
		return strcmp(tls_group_name(v), "unknown") ? tls_group_name(v) : NULL;
	if (!strcmp(last, "supported_signature_algorithms") || !strcmp(last, "signature_algorithm"))
		return strcmp(tls_sig_alg_name(v), "unknown") ? tls_sig_alg_name(v) : NULL;
	return NULL;
}

static const char *u8_name(const char *last, unsigned v, char *buf, size_t n)
{
	if (!strcmp(last, "content_type"))
		return tls_content_type_name((uint8_t)v);
	if (!strcmp(last, "msg_type")) {
		const char *h = tls_hs_name((uint8_t)v);
		snprintf(buf, n, "%s", h ? h : "");
		return buf[0] ? buf : NULL;
	}
	if (!strcmp(last, "description"))
		return tls_alert_name((int)v);
	if (!strcmp(last, "level"))
		return v == 1 ? "warning" : v == 2 ? "fatal" : NULL;
	return NULL;
}

/* A certificate field's value as the engine's X.509 decoder spelled it in
 * the meaning ("version: X.509 v3 (encoded as 2)" -> "X.509 v3 (encoded
 * as 2)"); the DER bytes themselves say nothing to a class. */
static int cert_value(const tls_span *s, char *out, size_t n)
{
	if (strncmp(s->path, "certificate[", 12) || !s->meaning)
		return 0;
	const char *c = strstr(s->meaning, ": ");
	const char *v = c ? c + 2 : s->meaning;
	snprintf(out, n, "%s", v);
	return out[0] != 0;
}

int layout_field_name(const tls_span *s, const uint8_t *p, size_t avail, char *out, size_t n)
{
	char last[64], buf[64];
	const char *name = NULL;
	out[0] = 0;
	if (!s || !p || s->length > avail)
		return 0;
	if (cert_value(s, out, n))
		return 1;
	last_name(s->path, last, sizeof last);
	if (s->length == 2)
		name = u16_name(last, s->path, (unsigned)p[0] << 8 | p[1]);
	else if (s->length == 1)
		name = u8_name(last, p[0], buf, sizeof buf);
	if (!name || !name[0])
		return 0;
	snprintf(out, n, "%s", name);
	return 1;
}
