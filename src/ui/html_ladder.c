/* The ladder every textbook draws, as inline SVG: a client and a server
 * line, one arrow per message in the order the model lists them, each a
 * link to that message in its step's field tree. Encrypted messages are
 * drawn dashed and say so in words; an alert is named where it was sent. */
#include "ui/html.h"

#include "tls/alert.h"

#include <string.h>

enum { W = 720, CX = 150, SX = 660, ROW = 30, TOP = 40 };

static void label_of(const model_msg *g, char *out, size_t n)
{
	const char *a = NULL;
	if (g->kind == MODEL_MSG_ALERT && (!g->encrypted || g->decrypted) && g->bytes.len >= 2)
		a = tls_alert_name(g->bytes.p[1]);
	snprintf(out, n, "%s%s%s%s", model_msg_name(g->kind), a ? " " : "", a ? a : "", g->encrypted ? " (encrypted)" : "");
}

static int rows(const model *m, int last)
{
	int n = 0;
	for (int s = 1; s <= last && m->steps[s].reached; s++)
		n += (m->steps[s].n_msg ? (int)m->steps[s].n_msg : 1) +
		     (m->alert.present && m->alert.step == s);
	return n;
}

static void arrow(FILE *f, int y, int to_server, int enc, int alert)
{
	int x1 = to_server ? CX : SX, x2 = to_server ? SX - 8 : CX + 8;
	fprintf(f,
	        "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"ar%s%s\" marker-end=\"url(#head)\"/>",
	        x1, y, x2, y, enc ? " enc" : "", alert ? " bad" : "");
}

void html_ladder(FILE *f, const model *m)
{
	int last = m->steps[MODEL_LAST_STEP].reached ? MODEL_LAST_STEP : m->current;
	int h = TOP + ROW * (rows(m, last) + 1);
	fprintf(f,
	        "<svg class=\"ladder\" viewBox=\"0 0 %d %d\" role=\"group\" aria-labelledby=\"ladder-h\">\n",
	        W, h);
	fputs("<defs><marker id=\"head\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"8\" "
	      "markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" class=\"hd\"/>"
	      "</marker></defs>\n",
	      f);
	fprintf(f,
	        "<text x=\"%d\" y=\"20\" class=\"end\">client</text><text x=\"%d\" y=\"20\" "
	        "class=\"end\">server</text>\n",
	        CX, SX);
	fprintf(f,
	        "<line x1=\"%d\" y1=\"28\" x2=\"%d\" y2=\"%d\" class=\"life\"/><line x1=\"%d\" y1=\"28\" "
	        "x2=\"%d\" "
	        "y2=\"%d\" class=\"life\"/>\n",
	        CX, CX, h - 6, SX, SX, h - 6);
	int y = TOP + ROW / 2;
	char label[128];
	for (int s = 1; s <= last && m->steps[s].reached; s++) {
		const model_step *st = &m->steps[s];
		fprintf(f, "<a href=\"#step-%d\"><text x=\"8\" y=\"%d\" class=\"stepn\">step %d</text></a>\n",
		        s, y + 14, s);
		if (!st->n_msg) {
			fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"lbl note\">%s</text>\n", (CX + SX) / 2,
			        y + 4,
			        st->note[0] ? "nothing sent at this step (see its note)"
			                    : "nothing sent at this step");
			y += ROW;
		}
		for (size_t i = 0; i < st->n_msg; i++, y += ROW) {
			const model_msg *g = &st->msg[i];
			/* a fatal alert, not the closing close_notify */
			int bad = g->kind == MODEL_MSG_ALERT && (!g->encrypted || g->decrypted) &&
			          g->bytes.len >= 2 && g->bytes.p[0] == 2;
			label_of(g, label, sizeof label);
			fprintf(f, "<a href=\"#s%d-m%zu\">", s, i);
			arrow(f, y + 10, !g->from_server, g->encrypted, bad);
			fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"lbl%s\">", (CX + SX) / 2, y + 4,
			        bad ? " bad" : "");
			html_escs(f, label);
			fputs("</text></a>\n", f);
		}
		if (m->alert.present && m->alert.step == s) {
			const char *nm = tls_alert_name(m->alert.desc);
			fprintf(f,
			        "<text x=\"%d\" y=\"%d\" class=\"lbl bad\">ALERT: the %s sent %s; the "
			        "handshake ends here</text>\n",
			        (CX + SX) / 2, y + 10, m->alert.by_server ? "server" : "client",
			        nm ? nm : "an unknown alert");
			y += ROW;
		}
	}
	fputs("</svg>\n", f);
}
