/* The non-interactive views of a model: annotated plain text and JSON.
 * Both only read the model. */
#ifndef UI_VIEWS_H
#define UI_VIEWS_H

#include "model/model.h"

#include <stdio.h>

/* Prints one step (records, fields, knowledge, derivations). */
void text_step(FILE *f, const model *m, int step);
/* Header line and closing summary of a whole run. */
void text_header(FILE *f, const model *m);
void text_summary(FILE *f, const model *m);
/* The lesson in lessons/<file>, filled for this step, as text; a lesson
 * that cannot be loaded prints one line saying why. */
void text_lesson(FILE *f, const model *m, int step, const char *file);
/* The scenario lesson's part for this step (raw: the lesson file's text),
 * filled at that step; nothing when the scenario says nothing there. */
void text_scenario_part(FILE *f, const model *m, int step, const char *raw);
/* The ladder diagram of the whole run, in ASCII. */
void text_ladder(FILE *f, const model *m);
/* One JSON object on one line. */
void json_model(FILE *f, const model *m);
/* The same, with members written by the caller first: `extra` prints them
 * (each followed by a comma) right after the opening brace. */
void json_model_with(FILE *f, const model *m, void (*extra)(FILE *f, const void *ctx), const void *ctx);
/* A JSON string, quoted and escaped. */
void json_string(FILE *f, const char *s);

/* TLS 1.3 (text13.c): who knows what under the RFC 8446 names, and the
 * key schedule tree known after the step. */
void text13_knowledge(FILE *f, const model *m, int step);
void text13_keysched(FILE *f, const model *m, int step);

/* Direction and protection of a step, for titles: "client -> server". */
const char *step_direction(int step);

#endif
