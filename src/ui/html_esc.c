/* Escaping for the HTML view: every string that reaches the page (field
 * names and meanings from a capture, lesson text, certificate subjects)
 * passes through here, so a hostile capture cannot write markup. */
#include "ui/html.h"

#include <string.h>

void html_esc(FILE *f, const char *s, size_t n)
{
	size_t run = 0; /* bytes that need no escape, written in one go */
	for (size_t i = 0; i < n; i++) {
		const char *e = NULL;
		switch (s[i]) {
		case '&': e = "&amp;"; break;
		case '<': e = "&lt;"; break;
		case '>': e = "&gt;"; break;
		case '"': e = "&quot;"; break;
		case '\'': e = "&#39;"; break;
		case '\0': e = "\xef\xbf\xbd"; break;
		default:
			/* C0 controls other than tab and newline are not allowed in HTML text */
			if ((unsigned char)s[i] < 0x20 && s[i] != '\t' && s[i] != '\n')
				e = "\xef\xbf\xbd";
		}
		if (!e) {
			run++;
			continue;
		}
		fwrite(s + i - run, 1, run, f);
		run = 0;
		fputs(e, f);
	}
	fwrite(s + n - run, 1, run, f);
}

void html_escs(FILE *f, const char *s)
{
	html_esc(f, s, strlen(s));
}

void html_hex(FILE *f, const uint8_t *p, size_t n)
{
	static const char d[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		fputc(d[p[i] >> 4], f);
		fputc(d[p[i] & 15], f);
	}
}
