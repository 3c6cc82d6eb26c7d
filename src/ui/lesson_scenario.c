/* A scenario lesson told step by step. Its text before the first marker is
 * the scenario's introduction (step 0); a line `<!-- step N -->` starts
 * the part for step N. Each part is a whole template on its own and is
 * filled at its own step, like the step lessons, so it can only use what
 * is known by then. When the run ended early, the parts of the steps it
 * never reached follow at its last step. */
#include "ui/lesson.h"

#include <stdlib.h>
#include <string.h>

/* -1: not a marker; else the step it names. */
static int marker(const char *line, size_t n)
{
	static const char pre[] = "<!-- step ";
	size_t k = sizeof pre - 1;
	if (n < k + 4 || strncmp(line, pre, k))
		return -1;
	int step = 0, digits = 0;
	while (k < n && line[k] >= '0' && line[k] <= '9' && digits < 2) {
		step = step * 10 + (line[k++] - '0');
		digits++;
	}
	if (!digits || n - k != 4 || strncmp(line + k, " -->", 4))
		return -1;
	return step <= MODEL_LAST_STEP ? step : -1;
}

int lesson_scenario_part(const model *m, int step, const char *text, tls_buf *out, char *err, size_t errlen)
{
	tls_buf part = {0};
	int cur = 0, any = 0, r = 0;
	/* A run that ended early (an alert) has no later steps: their parts,
	 * the rest of the story, come at its last one. */
	int late = step == m->current && (m->outcome == MODEL_ALERT || m->outcome == MODEL_INCOMPLETE);
	for (const char *p = text; *p && !r;) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		int mk = marker(p, n);
		if (mk >= 0)
			cur = mk;
		else if (cur == step || (late && cur > step)) {
			any |= n > 0;
			r = tls_buf_put(&part, (const uint8_t *)p, n) || tls_buf_u8(&part, '\n');
		}
		p += n + (e != NULL);
	}
	if (!r && any)
		r = tls_buf_u8(&part, 0) ? -1 : lesson_fill(m, step, (const char *)part.p, out, err, errlen);
	else if (!r) {
		out->len = 0; /* nothing for this step: an empty text */
		r = tls_buf_u8(out, 0) ? -1 : 0;
	}
	tls_buf_free(&part);
	return r;
}
