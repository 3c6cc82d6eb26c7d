/* Lessons that follow a step's own lesson for some runs: a live
 * connection's step 2 says what the server chose from the client's offer
 * and why. A row per case; every view (TUI, --plain, HTML, JSON) asks here. */
#include "ui/lesson_int.h"

#include <string.h>

/* a live connection that got as far as a ClientHello (a client that sent
 * something else has no offer to speak of) */
static int live(const model *m)
{
	return (!strcmp(m->source, "connect") || !strcmp(m->source, "serve")) &&
	       model_find_msg(m, 1, MODEL_MSG_CLIENT_HELLO, 0);
}

static const struct {
	int (*applies)(const model *m);
	int step; /* after this step's lesson (or the last step reached, if earlier) */
	const char *file;
} extras[] = {
    {live, 2, "live-choice.md"},
};

const char *lesson_extra_for(const model *m, int step)
{
	for (size_t i = 0; i < sizeof extras / sizeof extras[0]; i++) {
		int at = m->current < extras[i].step ? m->current : extras[i].step;
		if (at >= 1 && step == at && extras[i].applies(m))
			return extras[i].file;
	}
	return NULL;
}

const char *lesson_extra_file(const model *m, int *step)
{
	for (int s = 1; s <= MODEL_LAST_STEP; s++) {
		const char *f = lesson_extra_for(m, s);
		if (f) {
			*step = s;
			return f;
		}
	}
	return NULL;
}

/* lesson_plain: each block's text without its markup, headings left out. */
static int plain_block(enum lesson_block kind, const lesson_styled *b, int gap, void *ctx)
{
	tls_buf *out = ctx;
	(void)gap;
	if (kind == LB_HEAD || !b->n)
		return 0;
	if (out->len && tls_buf_u8(out, ' '))
		return -1;
	return tls_buf_put(out, (const uint8_t *)b->t, b->n);
}

int lesson_plain(const char *md, tls_buf *out)
{
	out->len = 0;
	if (lesson_blocks(md, plain_block, out) < 0)
		return -1;
	return tls_buf_u8(out, 0);
}
