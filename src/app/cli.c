#include "app/cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

int app_parse_tls_version(const char *s, int *out)
{
	if (!strcmp(s, "1.2"))
		*out = 12;
	else if (!strcmp(s, "1.3"))
		*out = 13;
	else
		return -1;
	return 0;
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

/* The TUI takes the terminal over, which a background job (`tlsstep serve
 * 4433 &`) may not do: the kernel stops it ("Stopped (tty output)"). So
 * both ends must be the terminal and this process in its foreground. */
static int own_terminal(void)
{
	pid_t me = getpgrp();
	return isatty(STDIN_FILENO) && isatty(STDOUT_FILENO) && tcgetpgrp(STDIN_FILENO) == me &&
	       tcgetpgrp(STDOUT_FILENO) == me;
}

enum out_mode app_out_mode_resolve(enum out_mode m)
{
	if (m != OUT_AUTO)
		return m;
	return own_terminal() ? OUT_TUI : OUT_PLAIN;
}
