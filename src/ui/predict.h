/* Predict, then reveal: questions asked before a step is shown, whose
 * answers are in the bytes about to appear.
 *
 * Questions come from a table of kinds (predict.c): each kind says at which
 * steps it may be asked, whether it fits this run, and builds its choices
 * and its right answer from the model, plus a pointer at the bytes that
 * prove it (step, record, field path). The wording lives beside the lessons,
 * in lessons/questions.md, one section per kind, filled through the lesson
 * placeholders. The views (predict_plain.c, predict_tui.c) share all of it:
 * they only ask, read a letter and print the verdict. */
#ifndef UI_PREDICT_H
#define UI_PREDICT_H

#include "model/model.h"

#include <stddef.h>
#include <stdio.h>

#define PREDICT_PER_STEP       3
#define PREDICT_CHOICES        4
#define PREDICT_QUESTIONS_FILE "questions.md"

typedef struct {
	const char *kind; /* the kind's id, also its section in questions.md */
	int step;
	char ask[512];  /* the question, filled */
	char dump[640]; /* bytes to show with it, "" for none */
	int n_choices;  /* 2..4 */
	char choice[PREDICT_CHOICES][160];
	int right;       /* index of the right choice */
	char where[256]; /* "step 2, record 1, server_hello.random at 0x000b (32 bytes)" */
	char why[1024];  /* the explanation, filled */
	int why_step;    /* the step it is filled at, 0: this step */
	char see[200];   /* the lesson paragraph */
	/* the field to highlight once the step is revealed: a path of the
	 * step's records, "" for none */
	char field[96];
} predict_q;

typedef struct {
	predict_q q[PREDICT_PER_STEP];
	int n;
	int answer[PREDICT_PER_STEP]; /* the letter index given, -1 none yet */
} predict_step;

typedef struct {
	const model *m;
	predict_step steps[MODEL_LAST_STEP + 1];
	int right, asked;
} predict_session;

/* One kind of question: a row of the table in predict.c. */
typedef struct {
	const char *id;
	unsigned steps; /* bit k: may be asked before step k */
	/* 1 when it fits this run at this step */
	int (*fits)(const model *m, int step);
	/* choices, right answer, where and field, from the model: 0 or -1 */
	int (*build)(const model *m, int step, predict_q *q);
} predict_kind;

size_t predict_kind_count(void);
const predict_kind *predict_kind_at(size_t i);
const predict_kind *predict_kind_find(const char *id);

/* Builds one question of a kind without its wording (ask/why/see stay
 * empty): 1 built, 0 it does not fit, -1 error. For the tests. */
int predict_build(const predict_kind *k, const model *m, int step, predict_q *q);

/* Every question of the run: the first PREDICT_PER_STEP fitting kinds of
 * each reached step, worded from questions.md (through the lesson reader).
 * 0, or -1 with one line in err. */
int predict_session_init(predict_session *s, const model *m, char *err, size_t n);
/* Records an answer; 1 right, 0 wrong. */
int predict_answer(predict_session *s, int step, int i, int choice);
/* Right answers of a step so far. */
int predict_step_right(const predict_session *s, int step);

/* The verdict and explanation of an answered question, as lines of text
 * (no colour): "right: b) ..." or "wrong: you chose a) ..., the answer is
 * c) ...", then where, why and see. */
void predict_verdict(const predict_q *q, int answer, char *out, size_t n);

/* --predict --plain: asks every question on `in` and answers on `out`,
 * revealing each step after its questions; ends with "score: N/M".
 * `tty`: a bad letter asks again instead of failing. 0, or 1 with a line
 * on stderr (end of input, a bad letter). */
int predict_plain(FILE *in, FILE *out, const model *m, int tty);

#endif
