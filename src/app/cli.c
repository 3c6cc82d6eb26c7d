#include "app/cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int app_usage_error(const char *fmt, ...)
{
	va_list ap;
	fputs("tlsstep: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (try --help)\n", stderr);
	return EXIT_USAGE;
}

int app_parse_u64(const char *s, uint64_t *out)
{
	char *end;
	if (!s || !*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

enum out_mode app_out_mode_resolve(enum out_mode m)
{
	if (m != OUT_AUTO)
		return m;
	return isatty(STDOUT_FILENO) && isatty(STDIN_FILENO) ? OUT_TUI : OUT_PLAIN;
}
