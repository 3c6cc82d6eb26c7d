/* The page: header, the ladder as navigation, one section per step (its
 * lesson, its records as annotated bytes, who knows what, the derivation
 * with the commands that reproduce it, the alert), the outcome. */
#include "ui/html.h"

#include "tls/alert.h"
#include "tls/msg.h"
#include "ui/layout.h"
#include "ui/lesson.h"
#include "ui/views.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Bytes of records one page dumps in hex: a handshake needs a few KB; a
 * capture's secure channel can go on for megabytes. */
#define HTML_DUMP_BUDGET (16 * 1024)

static const char *step_title(const model *m, int s)
{
	return m->steps[s].title ? m->steps[s].title : model_step_title(s);
}

static int last_step(const model *m)
{
	return m->steps[MODEL_LAST_STEP].reached ? MODEL_LAST_STEP : m->current;
}

static void head(FILE *f, const model *m)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<meta name=\"color-scheme\" content=\"light dark\">\n<title>tlsstep: ",
	      f);
	const char *vn = tls_version_name(m->version);
	html_escs(f, vn ? vn : "TLS");
	fputs(" handshake", f);
	if (m->scenario[0]) {
		fputs(", scenario ", f);
		html_escs(f, m->scenario);
	}
	if (m->has_seed)
		fprintf(f, ", seed %llu", (unsigned long long)m->seed);
	fputs(" (", f);
	html_escs(f, m->source);
	fprintf(f, ")</title>\n<style>\n%s</style>\n</head>\n", html_css);
}

static void outcome(FILE *f, const model *m)
{
	switch (m->outcome) {
	case MODEL_ESTABLISHED: fputs("established: both Finished messages checked out", f); break;
	case MODEL_ALERT: {
		const char *nm = tls_alert_name(m->alert.desc);
		fprintf(f, "failed: the %s sent the fatal alert %s at step %d",
		        m->alert.by_server ? "server" : "client", nm ? nm : "(unknown)", m->alert.step);
		break;
	}
	case MODEL_INCOMPLETE: fputs("incomplete: the handshake did not finish", f); break;
	default:
		fputs(m->steps[6].reached ? "established (this page was made while the connection was open)"
		                          : "in progress",
		      f);
	}
}

static void header(FILE *f, const model *m, const html_options *o)
{
	const char *vn = tls_version_name(m->version);
	fputs("<header>\n<h1>", f);
	html_escs(f, vn ? vn : "TLS");
	fputs(" handshake, step by step</h1>\n<p>", f);
	fputs("Source: ", f);
	html_escs(f, m->source);
	if (m->scenario[0]) {
		fputs("; scenario <code>", f);
		html_escs(f, m->scenario);
		fputs("</code>", f);
	}
	if (m->has_seed)
		fprintf(f, "; seed %llu", (unsigned long long)m->seed);
	if (m->suite[0]) {
		fputs("; cipher suite <code>", f);
		html_escs(f, m->suite);
		fprintf(f, "</code> (0x%04X)", m->suite_id);
	}
	if (m->server_name[0]) {
		fputs("; server name ", f);
		html_escs(f, m->server_name);
	}
	fputs(".<br>Outcome: ", f);
	outcome(f, m);
	fputs(".<br>The handshake's master secret: ", f);
	if (m->secrets[MS_MASTER].known)
		html_hex(f, m->secrets[MS_MASTER].v, m->secrets[MS_MASTER].len);
	else
		fputs("not known (no keys, or the handshake stopped before step 5)", f);
	fputs(".</p>\n", f);
	if (o && o->origin) {
		fputs("<p>", f);
		html_escs(f, o->origin);
		fputs("</p>\n", f);
	}
	fputs("<p>Point at or tab to a field to light up its bytes; point at a byte to find its field. "
	      "Every byte range is also written out beside its field.</p>\n</header>\n",
	      f);
}

static void nav(FILE *f, const model *m)
{
	fputs(
	    "<nav aria-labelledby=\"ladder-h\">\n<h2 id=\"ladder-h\">The handshake at a glance</h2>\n"
	    "<p>Each arrow is one message; dashed arrows travelled encrypted. Follow one to its bytes.</p>\n",
	    f);
	html_ladder(f, m);
	fputs("<ol class=\"steps\" start=\"0\">\n<li><a href=\"#step-0\">Introduction</a></li>\n", f);
	for (int s = 1; s <= last_step(m); s++) {
		if (!m->steps[s].reached)
			continue;
		fprintf(f, "<li><a href=\"#step-%d\">", s);
		html_escs(f, step_title(m, s));
		fputs("</a></li>\n", f);
	}
	fputs("<li><a href=\"#outcome\">Outcome</a></li>\n</ol>\n</nav>\n", f);
}

static void lesson(FILE *f, const model *m, int step, const html_options *o)
{
	tls_buf md = {0};
	char err[512];
	if (!o || !o->no_lessons) {
		if (lesson_load(m, step, lesson_file_for(m, step), &md, err, sizeof err) == 0) {
			lesson_html(f, (const char *)md.p, 4);
		} else {
			fputs("<p class=\"cut\">(lesson unavailable: ", f);
			html_escs(f, err);
			fputs(")</p>\n", f);
		}
		tls_buf_free(&md);
		const char *extra = lesson_extra_for(m, step); /* a live run: the server's choice */
		if (extra && lesson_load(m, step, extra, &md, err, sizeof err) == 0)
			lesson_html(f, (const char *)md.p, 4);
		tls_buf_free(&md);
	}
	if (o && o->scenario_text) {
		if (lesson_scenario_part(m, step, o->scenario_text, &md, err, sizeof err) == 0 &&
		    md.len > 1) {
			fputs("<h3>In this scenario (", f);
			html_escs(f, m->scenario);
			fputs(")</h3>\n", f);
			lesson_html(f, (const char *)md.p, 4);
		}
		tls_buf_free(&md);
	}
}

static void value_cell(FILE *f, const char *v)
{
	int hex = v[0] && strspn(v, "0123456789abcdef") == strlen(v);
	if (!strcmp(v, "not yet"))
		fputs("<td class=\"no\">not yet", f);
	else {
		fputs(hex ? "<td class=\"hx\">" : "<td>", f);
		html_escs(f, v);
	}
	fputs("</td>", f);
}

static void knowledge(FILE *f, const model *m, int step)
{
	lt_know rows[MS_COUNT + 8];
	int n = layout_knowledge(m, step, rows, MS_COUNT + 8);
	fprintf(f,
	        "<h3>Who knows what after step %d</h3>\n<table>\n<thead><tr><th scope=\"col\">value</th>"
	        "<th scope=\"col\">client</th><th scope=\"col\">server</th></tr></thead>\n<tbody>\n",
	        step);
	for (int i = 0; i < n; i++) {
		fputs("<tr><th scope=\"row\">", f);
		html_escs(f, rows[i].label);
		fputs("</th>", f);
		value_cell(f, rows[i].client);
		value_cell(f, rows[i].server);
		fputs("</tr>\n", f);
	}
	fputs("</tbody>\n</table>\n", f);
}

/* The derivation pane of the TUI and --plain (the values this step lets
 * someone compute, with the openssl kdf command that reproduces each),
 * one value per line: the page wraps them, not the layout. */
static void derivation(FILE *f, const model *m, int step)
{
	lt_lines l;
	if (!layout_has_derivation(m, step) || layout_derivation(m, step, 1 << 20, &l) <= 0)
		return;
	fprintf(f, "<h3 id=\"derive-%d\">Derivation, with the real values</h3>\n<pre>", step);
	for (int i = 0; i < l.n; i++) {
		const char *t = l.v[i] + strspn(l.v[i], " ");
		int cmd = !strncmp(t, "openssl kdf ", 12);
		fwrite(l.v[i], 1, (size_t)(t - l.v[i]), f);
		fputs(cmd ? "<code class=\"kdf\">" : "", f);
		html_escs(f, t);
		fputs(cmd ? "</code>\n" : "\n", f);
	}
	fputs("</pre>\n", f);
	lt_lines_free(&l);
}

static void alert(FILE *f, const model *m, int step)
{
	char a[800];
	layout_alert(m, step, a, sizeof a);
	if (!a[0])
		return;
	fputs("<div class=\"alert\" role=\"note\"><strong>The handshake ends here.</strong> ", f);
	html_escs(f, a);
	fputs("</div>\n", f);
}

static void step_section(FILE *f, const model *m, int s, const html_options *o, size_t *budget)
{
	const model_step *st = &m->steps[s];
	fprintf(
	    f, "<section class=\"step\" id=\"step-%d\" aria-labelledby=\"step-%d-h\">\n<h2 id=\"step-%d-h\">",
	    s, s, s);
	if (s)
		fprintf(f, "Step %d: ", s);
	html_escs(f, s ? step_title(m, s) : "Introduction");
	fputs("</h2>\n", f);
	if (s) {
		fputs("<p>Direction: ", f);
		html_escs(f, step_direction(s));
		fprintf(f, "%s.</p>\n",
		        s < MODEL_LAST_STEP && layout_step_encrypted(m, s) ? ", partly encrypted" : "");
		if (st->note[0]) {
			fputs("<p class=\"note\">", f);
			html_escs(f, st->note);
			fputs("</p>\n", f);
		}
		alert(f, m, s);
	}
	lesson(f, m, s, o);
	if (s) {
		fputs("<h3>On the wire</h3>\n", f);
		html_step_bytes(f, m, s, budget);
		knowledge(f, m, s);
		derivation(f, m, s);
	}
	fputs("</section>\n", f);
}

int html_page(FILE *f, const model *m, const html_options *o)
{
	size_t budget = HTML_DUMP_BUDGET;
	head(f, m);
	fputs("<body>\n<a class=\"skip\" href=\"#main\">Skip to the steps</a>\n", f);
	header(f, m, o);
	nav(f, m);
	fputs("<main id=\"main\">\n", f);
	step_section(f, m, 0, o, &budget);
	for (int s = 1; s <= last_step(m); s++)
		if (m->steps[s].reached)
			step_section(f, m, s, o, &budget);
	fputs(
	    "<section id=\"outcome\" aria-labelledby=\"outcome-h\">\n<h2 id=\"outcome-h\">Outcome</h2>\n<p>",
	    f);
	outcome(f, m);
	fputs(".</p>\n", f);
	if (m->alert.present) {
		fputs("<p>Why: ", f);
		html_escs(f, m->alert.reason);
		fputs("</p>\n", f);
	}
	fputs("</section>\n</main>\n<footer>\n<p>Made by tlsstep from one handshake's model. "
	      "The page loads nothing: its style and script are inside it.</p>\n</footer>\n<script>\n",
	      f);
	fputs(html_script, f);
	fputs("</script>\n</body>\n</html>\n", f);
	return ferror(f) ? -1 : 0;
}

int html_page_write(const char *path, const model *m, const html_options *o, char *err, size_t errlen)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	int r = html_page(f, m, o);
	if (fclose(f) || r) {
		snprintf(err, errlen, "%s: could not write the page", path);
		return -1;
	}
	return 0;
}

int html_page_mem(const model *m, const html_options *o, char **out, size_t *len)
{
	*out = NULL;
	*len = 0;
	FILE *f = open_memstream(out, len);
	if (!f)
		return -1;
	int r = html_page(f, m, o);
	if (fclose(f) || r) {
		free(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}
