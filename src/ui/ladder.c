/* The ladder diagram every textbook draws: a client and a server column,
 * one arrow per message in the order sent, the steps marked at the left.
 * Used by the TUI (the L pane) and by --plain (at the top). */
#include "ui/layout.h"

#include "tls/alert.h"

#include <stdio.h>
#include <string.h>

/* "Alert unknown_ca" for an alert message whose bytes are readable. */
static void msg_label(const model_msg *g, char *out, size_t n)
{
	const char *a = NULL;
	if (g->kind == MODEL_MSG_ALERT && (!g->encrypted || g->decrypted) && g->bytes.len >= 2)
		a = tls_alert_name(g->bytes.p[1]);
	snprintf(out, n, "%s%s%s%s", model_msg_name(g->kind), a ? " " : "", a ? a : "", g->encrypted ? " [encrypted]" : "");
}

static void dashes(char *out, size_t n, int k, char c)
{
	size_t i;
	for (i = 0; (int)i < k && i + 1 < n; i++)
		out[i] = c;
	out[i] = 0;
}

/* One arrow line, "  5  |-- Finished [encrypted] ===>|", span columns
 * between the bars, pointing the way the message went. */
static void arrow(char *out, size_t n, const char *lead, const char *label, int to_server, int enc, int span,
                  int ascii)
{
	char near[8], far[400], cut[128];
	char c = enc ? '=' : '-';
	snprintf(cut, sizeof cut, "%.*s", span - 6 > 1 ? span - 6 : 1,
	         label); /* a narrow pane cuts the name */
	label = cut;
	int d = span - (int)strlen(label) - 5;
	dashes(near, sizeof near, 2, c);
	dashes(far, sizeof far, d < 1 ? 1 : d, c);
	if (to_server)
		snprintf(out, n, "%s|%s %s %s%s|", lead, near, label, far, ascii ? ">" : "▶");
	else
		snprintf(out, n, "%s|%s%s %s %s|", lead, ascii ? "<" : "◀", far, label, near);
}

int layout_ladder(const model *m, int cur, int width, int ascii, lt_lines *out, int *line_step, int max)
{
	char line[512], lead[16], label[128];
	int span = width - 8;
	memset(out, 0, sizeof *out);
	if (span < 16)
		span = 16;
	if (span > 70)
		span = 70;
	snprintf(line, sizeof line, "step  client%*sserver", span - 10, "");
	lt_lines_add(out, "%s", line);
	if (max > 0)
		line_step[0] = -1;
	int last = m->steps[MODEL_LAST_STEP].reached ? MODEL_LAST_STEP : m->current;
	for (int s = 1; s <= last; s++) {
		const model_step *st = &m->steps[s];
		const char *mark = s == cur ? (ascii ? ">" : "▶") : " ";
		if (!st->reached)
			break;
		if (!st->n_msg) {
			snprintf(line, sizeof line, "%s%3d  |%*s|  %s", mark, s, span, "",
			         layout_step_skipped(m, s) ? "skipped (resumed session)" : "nothing sent");
			if (out->n < max)
				line_step[out->n] = s;
			lt_lines_add(out, "%s", line);
			continue;
		}
		for (size_t i = 0; i < st->n_msg; i++) {
			const model_msg *g = &st->msg[i];
			if (i == 0)
				snprintf(lead, sizeof lead, "%s%3d  ", mark, s);
			else
				snprintf(lead, sizeof lead, "%s     ", mark);
			msg_label(g, label, sizeof label);
			arrow(line, sizeof line, lead, label, !g->from_server, g->encrypted, span, ascii);
			if (out->n < max)
				line_step[out->n] = s;
			lt_lines_add(out, "%s", line);
		}
		if (m->alert.present && m->alert.step == s) {
			const char *nm = tls_alert_name(m->alert.desc);
			snprintf(line, sizeof line,
			         "       !! the %s sent the fatal alert %s: the handshake ends here",
			         m->alert.by_server ? "server" : "client", nm ? nm : "unknown");
			if (out->n < max)
				line_step[out->n] = s;
			lt_lines_add(out, "%s", line);
		}
	}
	return out->n;
}
