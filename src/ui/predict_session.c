/* A --predict session: every question of a run, worded from
 * lessons/questions.md, with the answers given so far.
 *
 * questions.md has one section per kind: a "## id" line, then "ask:",
 * "why:" and "see:" lines, each filled through the lesson placeholders
 * (lesson_fill) at the step it is asked, so the wording can never use a
 * value the run has not produced by then. */
#include "ui/predict.h"

#include "ui/lesson.h"

#include <string.h>

/* The text after "key: " in the section of kind `id`, into out. */
static int section_line(const char *text, const char *id, const char *key, char *out, size_t n)
{
	size_t il = strlen(id), kl = strlen(key);
	const char *p = text;
	while ((p = strstr(p, "## ")) != NULL) {
		int at_line = p == text || p[-1] == '\n';
		p += 3;
		if (!at_line || strncmp(p, id, il) || (p[il] != '\n' && p[il] != '\r'))
			continue;
		for (const char *l = strchr(p, '\n'); l && l[1] && strncmp(l + 1, "## ", 3);
		     l = strchr(l + 1, '\n')) {
			if (strncmp(l + 1, key, kl) || l[1 + kl] != ':')
				continue;
			const char *v = l + 2 + kl;
			while (*v == ' ')
				v++;
			size_t len = strcspn(v, "\r\n");
			if (len >= n)
				len = n - 1;
			memcpy(out, v, len);
			out[len] = 0;
			return 0;
		}
		return -1;
	}
	return -1;
}

/* One line of a section, filled at `step`. */
static int word(const model *m, int step, const char *text, const char *id, const char *key, char *out,
                size_t n, char *err, size_t en)
{
	char raw[1024];
	if (section_line(text, id, key, raw, sizeof raw)) {
		snprintf(err, en, "lesson %s has no '%s:' line for the question kind '%s'",
		         PREDICT_QUESTIONS_FILE, key, id);
		return -1;
	}
	tls_buf b = {0};
	char e[256];
	if (lesson_fill(m, step, raw, &b, e, sizeof e) < 0) {
		snprintf(err, en, "%s, question kind '%s', %s: %s", PREDICT_QUESTIONS_FILE, id, key, e);
		tls_buf_free(&b);
		return -1;
	}
	/* one line; the backticks that keep names out of the spell check
	 * are markup, not text */
	size_t o = 0;
	for (const char *p = (const char *)b.p; *p && *p != '\n' && o + 1 < n; p++)
		if (*p != '`')
			out[o++] = *p;
	out[o] = 0;
	tls_buf_free(&b);
	return 0;
}

/* The explanation may need what happens after the asked step (a tampered
 * byte is noticed later): it is filled at the last step of the run. */
static int words(const model *m, const char *text, predict_q *q, char *err, size_t n)
{
	int last = q->why_step ? q->why_step : q->step;
	if (word(m, q->step, text, q->kind, "ask", q->ask, sizeof q->ask, err, n) ||
	    word(m, last, text, q->kind, "why", q->why, sizeof q->why, err, n) ||
	    word(m, q->step, text, q->kind, "see", q->see, sizeof q->see, err, n))
		return -1;
	return 0;
}

int predict_session_init(predict_session *s, const model *m, char *err, size_t n)
{
	memset(s, 0, sizeof *s);
	s->m = m;
	tls_buf raw = {0};
	if (lesson_read(PREDICT_QUESTIONS_FILE, &raw, err, n) < 0)
		return -1;
	const char *text = (const char *)raw.p;
	int rc = 0;
	for (int step = 1; step <= m->current && step <= MODEL_LAST_STEP && !rc; step++) {
		predict_step *ps = &s->steps[step];
		for (size_t k = 0; k < predict_kind_count() && ps->n < PREDICT_PER_STEP && !rc; k++) {
			predict_q *q = &ps->q[ps->n];
			int r = predict_build(predict_kind_at(k), m, step, q);
			if (r < 0) {
				snprintf(err, n, "question kind '%s' failed at step %d",
				         predict_kind_at(k)->id, step);
				rc = -1;
			} else if (r > 0) {
				rc = words(m, text, q, err, n);
				ps->answer[ps->n++] = -1;
			}
		}
	}
	tls_buf_free(&raw);
	return rc;
}

int predict_answer(predict_session *s, int step, int i, int choice)
{
	predict_step *ps = &s->steps[step];
	if (ps->answer[i] < 0)
		s->asked++;
	else if (ps->answer[i] == ps->q[i].right)
		s->right--;
	ps->answer[i] = choice;
	int ok = choice == ps->q[i].right;
	s->right += ok;
	return ok;
}

int predict_step_right(const predict_session *s, int step)
{
	int r = 0;
	for (int i = 0; i < s->steps[step].n; i++)
		r += s->steps[step].answer[i] >= 0 && s->steps[step].answer[i] == s->steps[step].q[i].right;
	return r;
}

void predict_verdict(const predict_q *q, int answer, char *out, size_t n)
{
	size_t o;
	if (answer == q->right)
		o = (size_t)snprintf(out, n, "right: you chose %c) %s\n", 'a' + answer, q->choice[answer]);
	else
		o = (size_t)snprintf(out, n, "wrong: you chose %c) %s; the answer is %c) %s\n", 'a' + answer,
		                     q->choice[answer], 'a' + q->right, q->choice[q->right]);
	if (o < n && q->where[0])
		o += (size_t)snprintf(out + o, n - o, "where: %s\n", q->where);
	if (o < n)
		o += (size_t)snprintf(out + o, n - o, "why: %s\n", q->why);
	if (o < n)
		snprintf(out + o, n - o, "see: %s\n", q->see);
}
