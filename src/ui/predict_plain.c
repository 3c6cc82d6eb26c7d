/* --predict --plain: the questions on stdin/stdout, one letter a line.
 *
 * Before each step: its questions, each answered by one line holding a
 * letter; the verdict and the explanation follow each answer; then the
 * step is revealed as --plain shows it, with the step's score. The run
 * ends with "score: N/M". From a file a bad line is an error (an answer
 * sheet with a typo must not be graded as if it were right or wrong); on a
 * terminal the question is asked again. */
#include "ui/predict.h"

#include "ui/views.h"

#include <ctype.h>
#include <string.h>

/* Reads one answer: its index, or -1 with the error printed, or -2 to ask
 * again (a terminal). */
static int read_answer(FILE *in, const predict_q *q, int step, int i, int tty)
{
	char line[128];
	if (!fgets(line, sizeof line, in)) {
		fprintf(stderr, "tlsstep: --predict: no answer for question %d of step %d (end of input)\n",
		        i + 1, step);
		return -1;
	}
	size_t n = strcspn(line, "\r\n");
	while (n && isspace((unsigned char)line[n - 1]))
		n--;
	const char *p = line;
	while (n && isspace((unsigned char)*p))
		p++, n--;
	int c = n == 1 ? tolower((unsigned char)*p) : 0;
	if (c >= 'a' && c < 'a' + q->n_choices)
		return c - 'a';
	if (tty) {
		fprintf(stderr, "please answer with one letter from a to %c\n", 'a' + q->n_choices - 1);
		return -2;
	}
	fprintf(stderr,
	        "tlsstep: --predict: '%.*s' is not an answer to question %d of step %d (a letter a to %c)\n",
	        (int)(n > 40 ? 40 : n), p, i + 1, step, 'a' + q->n_choices - 1);
	return -1;
}

/* Each line of text, indented and word-wrapped to WRAP columns (bytes:
 * close enough for the odd UTF-8 ellipsis); continuation lines indented
 * two more. The first line, the verdict, stays whole: scripts read it. */
#define WRAP 78
static void print_indented(FILE *out, const char *text, const char *indent)
{
	for (const char *p = text; *p;) {
		size_t n = strcspn(p, "\n"), ind = strlen(indent), first = 1, whole = p == text;
		const char *end = p + n;
		while (p < end) {
			size_t room = WRAP - ind - (first ? 0 : 2), take = (size_t)(end - p);
			if (take > room && !whole) {
				take = room;
				while (take > room / 2 && p[take] != ' ')
					take--;
			}
			fprintf(out, "%s%s%.*s\n", indent, first ? "" : "  ", (int)take, p);
			p += take;
			while (p < end && *p == ' ')
				p++;
			first = 0;
		}
		p = end + (*end == '\n');
	}
}

static int ask_step(FILE *in, FILE *out, predict_session *s, int step, int tty)
{
	predict_step *ps = &s->steps[step];
	if (ps->n)
		fprintf(out, "---- Before step %d: %s ----\n", step, model_step_title(step));
	for (int i = 0; i < ps->n; i++) {
		const predict_q *q = &ps->q[i];
		fprintf(out, "\nQ%d. %s\n", i + 1, q->ask);
		if (q->dump[0])
			fputs(q->dump, out);
		for (int c = 0; c < q->n_choices; c++)
			fprintf(out, "  %c) %s\n", 'a' + c, q->choice[c]);
		int a;
		do {
			fprintf(out, "answer (a-%c): ", 'a' + q->n_choices - 1);
			fflush(out);
			a = read_answer(in, q, step, i, tty);
		} while (a == -2);
		if (a < 0)
			return -1;
		fprintf(out, "%c\n", 'a' + a);
		predict_answer(s, step, i, a);
		char v[2048];
		predict_verdict(q, a, v, sizeof v);
		print_indented(out, v, "  ");
	}
	if (ps->n)
		fputc('\n', out);
	return 0;
}

int predict_plain(FILE *in, FILE *out, const model *m, int tty)
{
	static predict_session s; /* large, and one a process */
	char err[512];
	if (predict_session_init(&s, m, err, sizeof err)) {
		fprintf(stderr, "tlsstep: %s\n", err);
		return 1;
	}
	int total = 0;
	for (int step = 1; step <= m->current; step++)
		total += s.steps[step].n;
	fprintf(out, "tlsstep --predict: %s, %s%s", m->source, m->scenario[0] ? "scenario " : "",
	        m->scenario[0] ? m->scenario : "a recorded handshake");
	if (m->has_seed)
		fprintf(out, ", seed %llu", (unsigned long long)m->seed);
	fprintf(out, "\n%d questions; answer each with one letter on a line.\n\n", total);
	for (int step = 1; step <= m->current; step++) {
		if (ask_step(in, out, &s, step, tty))
			return 1;
		text_step(out, m, step);
		if (s.steps[step].n)
			fprintf(out, "\nstep %d score: %d/%d (so far %d/%d)\n\n", step,
			        predict_step_right(&s, step), s.steps[step].n, s.right, s.asked);
	}
	fprintf(out, "score: %d/%d\n", s.right, s.asked);
	return 0;
}
