/* Copies what an engine side knows into the model, and finishes a model
 * from the two sides' final state (outcome, alert, secrets). Shared by the
 * simulator and the live modes. */
#ifndef SIM_KNOWLEDGE_H
#define SIM_KNOWLEDGE_H

#include "model/model.h"
#include "tls/conn.h"

void knowledge_snapshot(model_side *out, const tls_knowledge *k);
/* Merges a side's values into m->secrets (what is known by anyone). */
void knowledge_merge_secrets(model *m, const tls_knowledge *k);
/* Sets outcome and alert from a connection's end state. by_server says
 * which side c is. Returns 1 if c ended the handshake with an alert. */
int knowledge_outcome(model *m, const tls_conn *c, int by_server, int step);
/* Notes on the steps an abbreviated (resumed) handshake skips or reorders. */
void knowledge_resume_notes(model *m);

#endif
