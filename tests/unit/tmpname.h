/* A mkstemp template under $TMPDIR (/tmp when unset or empty): a test's
 * scratch files go where the machine keeps them, not always /tmp. */
#ifndef TESTS_UNIT_TMPNAME_H
#define TESTS_UNIT_TMPNAME_H

#include <stdio.h>
#include <stdlib.h>

#define TMPNAME_MAX 4096

/* out (TMPNAME_MAX bytes) gets DIR/stem-XXXXXX for mkstemp. */
static inline void tmpname_template(char *out, const char *stem)
{
	const char *d = getenv("TMPDIR");
	snprintf(out, TMPNAME_MAX, "%s/%s-XXXXXX", d && d[0] ? d : "/tmp", stem);
}

#endif
