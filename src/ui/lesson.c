/* Lessons: loading the text and running its small template language.
 *
 * A lesson may hold values ({{client_random}}) and conditional blocks
 * ({{if NAME}} ... {{else}} ... {{end}}), so one text can serve a CBC and
 * an AEAD suite, or a run that ended in an alert. What each name means at a
 * step is lesson_vars.c's business; laying the filled Markdown out is
 * lesson_md.c's and lesson_wrap.c's. The files themselves come through a
 * reader the command layer installs (this layer opens no files). */
#include "ui/lesson_int.h"

#include <string.h>

#define LESSON_MAX (64 * 1024)
#define VAL_MAX    400
#define MAX_NEST   8

static const char *const files[] = {
    "00-introduction.md",      "01-client-hello.md",    "02-server-hello.md",    "03-server-certificate.md",
    "04-server-hello-done.md", "05-client-response.md", "06-server-finished.md", "07-secure-channel.md",
};

/* TLS 1.3 fills the steps differently (model13.h): its own lessons. */
static const char *const files13[] = {
    "tls13-00-introduction.md",         "tls13-01-client-hello.md",    "tls13-02-server-hello.md",
    "tls13-03-encrypted-extensions.md", "tls13-04-server-finished.md", "tls13-05-client-finished.md",
    "tls13-06-session-ticket.md",       "tls13-07-secure-channel.md",
};

const char *lesson_file_for(const model *m, int step)
{
	if (!m->t13.titled && !m->t13.active)
		return lesson_file(step);
	if (step < 0 || step >= (int)(sizeof files13 / sizeof files13[0]))
		return NULL;
	return files13[step];
}

static lesson_reader reader;

void lesson_set_reader(lesson_reader read)
{
	reader = read;
}

const char *lesson_file(int step)
{
	if (step < 0 || step >= (int)(sizeof files / sizeof files[0]))
		return NULL;
	return files[step];
}

/* ---- filling --------------------------------------------------------- */

/* The state of one fill: where we are and which {{if}} blocks are open. */
typedef struct {
	const model *m;
	int step;
	const char *what, *text;
	int active[MAX_NEST + 1], had_else[MAX_NEST + 1], depth, line;
	tls_buf *out;
	char *err;
	size_t errlen;
} filler;

static int only_on_line(const char *text, const char *start, const char *end)
{
	for (const char *p = start; p > text && p[-1] != '\n'; p--)
		if (p[-1] != ' ' && p[-1] != '\t')
			return 0;
	for (const char *p = end; *p && *p != '\n'; p++)
		if (*p != ' ' && *p != '\t' && *p != '\r')
			return 0;
	return 1;
}

/* {{if NAME}}, {{else}} or {{end}}: 0, or -1 with the error set. */
static int block_tag(filler *f, const char *name)
{
	if (!strncmp(name, "if ", 3)) {
		const char *c = name + 3;
		while (*c == ' ')
			c++;
		int v = lesson_condition(f->m, f->step, c);
		if (v < 0) {
			snprintf(f->err, f->errlen,
			         "lesson %s uses {{if %s}}, which is not a condition (line %d)", f->what, c,
			         f->line);
			return -1;
		}
		if (f->depth == MAX_NEST) {
			snprintf(f->err, f->errlen, "lesson %s nests {{if}} too deeply (line %d)", f->what,
			         f->line);
			return -1;
		}
		f->depth++;
		f->active[f->depth] = f->active[f->depth - 1] && v;
		f->had_else[f->depth] = 0;
	} else if (!strcmp(name, "else")) {
		if (!f->depth || f->had_else[f->depth]) {
			snprintf(f->err, f->errlen, "lesson %s has a stray {{else}} (line %d)", f->what,
			         f->line);
			return -1;
		}
		f->had_else[f->depth] = 1;
		f->active[f->depth] = f->active[f->depth - 1] && !f->active[f->depth];
	} else {
		if (!f->depth) {
			snprintf(f->err, f->errlen, "lesson %s has a stray {{end}} (line %d)", f->what,
			         f->line);
			return -1;
		}
		f->depth--;
	}
	return 0;
}

/* A block tag alone on its line takes the line with it: returns where the
 * text goes on after the tag that spans [open, next). */
static const char *swallow_line(filler *f, const char *open, const char *next)
{
	if (!only_on_line(f->text, open, next))
		return next;
	tls_buf *out = f->out;
	while (out->len && (out->p[out->len - 1] == ' ' || out->p[out->len - 1] == '\t'))
		out->len--;
	while (*next == ' ' || *next == '\t' || *next == '\r')
		next++;
	if (*next == '\n') {
		next++;
		f->line++;
	}
	return next;
}

/* {{name}}: its value, when the text around it is shown. 0 or -1. */
static int value_tag(filler *f, const char *name)
{
	char val[VAL_MAX];
	int r = lesson_resolve(f->m, f->step, name, val, sizeof val);
	if (r < 0) {
		snprintf(f->err, f->errlen, "lesson %s uses {{%s}}, which is not a placeholder (line %d)",
		         f->what, name, f->line);
		return -1;
	}
	if (!f->active[f->depth])
		return 0;
	if (r == 0) {
		snprintf(f->err, f->errlen, "lesson %s uses {{%s}}, which nobody knows at step %d (line %d)",
		         f->what, name, f->step, f->line);
		return -1;
	}
	if (tls_buf_put(f->out, val, strlen(val)) < 0) {
		snprintf(f->err, f->errlen, "lesson %s: out of memory", f->what);
		return -1;
	}
	return 0;
}

/* The name between {{ and }}, spaces trimmed. 0 or -1. */
static int tag_name(filler *f, const char *open, const char **close, char *name, size_t n)
{
	*close = strstr(open + 2, "}}");
	const char *nl = strchr(open + 2, '\n');
	if (!*close || (nl && nl < *close)) {
		snprintf(f->err, f->errlen, "lesson %s has an unclosed {{ (line %d)", f->what, f->line);
		return -1;
	}
	const char *a = open + 2, *b = *close;
	while (a < b && *a == ' ')
		a++;
	while (b > a && b[-1] == ' ')
		b--;
	if ((size_t)(b - a) >= n) {
		snprintf(f->err, f->errlen, "lesson %s: placeholder too long (line %d)", f->what, f->line);
		return -1;
	}
	memcpy(name, a, (size_t)(b - a));
	name[b - a] = 0;
	return 0;
}

static int fill(filler *f)
{
	tls_buf_clear(f->out);
	f->out->len = 0;
	if (f->step < 0 || f->step > MODEL_LAST_STEP) {
		snprintf(f->err, f->errlen, "lesson %s: no step %d", f->what, f->step);
		return -1;
	}
	const char *p = f->text;
	while (*p) {
		const char *open = strstr(p, "{{");
		const char *stop = open ? open : p + strlen(p);
		for (const char *q = p; q < stop; q++)
			f->line += *q == '\n';
		if (f->active[f->depth] && tls_buf_put(f->out, p, (size_t)(stop - p)) < 0)
			goto nomem;
		if (!open)
			break;
		const char *close;
		char name[64];
		if (tag_name(f, open, &close, name, sizeof name) < 0)
			return -1;
		const char *next = close + 2;
		if (!strncmp(name, "if ", 3) || !strcmp(name, "else") || !strcmp(name, "end")) {
			if (block_tag(f, name) < 0)
				return -1;
			next = swallow_line(f, open, next);
		} else if (value_tag(f, name) < 0) {
			return -1;
		}
		p = next;
	}
	if (f->depth) {
		snprintf(f->err, f->errlen, "lesson %s has an {{if}} without {{end}}", f->what);
		return -1;
	}
	if (tls_buf_u8(f->out, 0) < 0)
		goto nomem;
	f->out->len--; /* the NUL is there but not counted */
	return 0;
nomem:
	snprintf(f->err, f->errlen, "lesson %s: out of memory", f->what);
	return -1;
}

static int fill_text(const model *m, int step, const char *what, const char *text, tls_buf *out, char *err,
                     size_t errlen)
{
	filler f = {.m = m,
	            .step = step,
	            .what = what,
	            .text = text,
	            .line = 1,
	            .out = out,
	            .err = err,
	            .errlen = errlen};
	f.active[0] = 1;
	return fill(&f);
}

int lesson_fill(const model *m, int step, const char *text, tls_buf *out, char *err, size_t errlen)
{
	return fill_text(m, step, "text", text, out, err, errlen);
}

int lesson_load(const model *m, int step, const char *file, tls_buf *out, char *err, size_t errlen)
{
	if (!file || !file[0] || strchr(file, '/')) {
		snprintf(err, errlen, "no lesson file for step %d", step);
		return -1;
	}
	if (!reader) {
		snprintf(err, errlen, "lesson %s: no lesson reader installed", file);
		return -1;
	}
	tls_buf raw = {0};
	if (reader(file, LESSON_MAX, &raw, err, errlen) < 0) {
		tls_buf_free(&raw);
		return -1;
	}
	if (tls_buf_u8(&raw, 0) < 0 || memchr(raw.p, 0, raw.len - 1)) {
		snprintf(err, errlen, "lesson %s is not text", file);
		tls_buf_free(&raw);
		return -1;
	}
	int r = fill_text(m, step, file, (const char *)raw.p, out, err, errlen);
	tls_buf_free(&raw);
	return r;
}
