/* The question kinds of --predict and the session that asks them.
 *
 * Each kind is a row: its id (the section of lessons/questions.md that
 * words it), the steps it may be asked before, whether it fits this run,
 * and a builder that takes the choices and the right answer from the
 * model, never from stored text, so every scenario and every replayed
 * capture gets fitting questions. Distractors are drawn deterministically
 * from the run's client random: the same run asks the same questions with
 * the right answer under the same letter. */
#include "ui/predict.h"

#include "tls/alert.h"
#include "tls/suites.h"
#include "ui/lesson.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define STEP_BIT(k) (1u << (k))

/* ---- helpers ---------------------------------------------------------- */

static uint32_t mix(const model *m, const char *kind, int step)
{
	uint32_t h = 2166136261u;
	const model_value *cr = &m->secrets[MS_CLIENT_RANDOM];
	for (size_t i = 0; cr->known && i < cr->len; i++)
		h = (h ^ cr->v[i]) * 16777619u;
	for (const char *p = kind; *p; p++)
		h = (h ^ (uint8_t)*p) * 16777619u;
	h = (h ^ (uint32_t)step) * 16777619u;
	return h ^ (h >> 15);
}

/* Puts the right text and up to three wrong ones (in order, skipping
 * duplicates) into q, the right one at a place chosen by h. */
static int place(predict_q *q, uint32_t h, const char *right, const char *const *wrong, size_t n_wrong)
{
	const char *pick[PREDICT_CHOICES];
	int n = 0;
	pick[n++] = right;
	for (size_t i = 0; i < n_wrong && n < PREDICT_CHOICES; i++) {
		int dup = 0;
		for (int j = 0; j < n; j++)
			dup |= !strcmp(pick[j], wrong[i]);
		if (!dup && wrong[i][0])
			pick[n++] = wrong[i];
	}
	if (n < 2)
		return -1;
	q->n_choices = n;
	q->right = (int)(h % (uint32_t)n);
	for (int i = 0, w = 1; i < n; i++)
		snprintf(q->choice[i], sizeof q->choice[i], "%s", i == q->right ? pick[0] : pick[w++]);
	return 0;
}

/* The first span named `path` in the records of a step: its record
 * (0-based) and span. */
static const tls_span *find_field(const model *m, int step, const char *path, size_t *rec)
{
	const model_step *st = &m->steps[step];
	for (size_t r = 0; r < st->n_rec; r++)
		for (size_t i = 0; i < st->rec[r].fields.n; i++)
			if (!strcmp(st->rec[r].fields.v[i].path, path)) {
				*rec = r;
				return &st->rec[r].fields.v[i];
			}
	return NULL;
}

static void where_field(predict_q *q, const model *m, int step, const char *path)
{
	size_t r;
	const tls_span *f = find_field(m, step, path, &r);
	if (!f)
		return;
	snprintf(q->where, sizeof q->where, "step %d, record %zu, %s at 0x%04x (%u byte%s)", step, r + 1,
	         path, (unsigned)f->offset, (unsigned)f->length, f->length == 1 ? "" : "s");
	snprintf(q->field, sizeof q->field, "%s", path);
}

static const char *alert_name(int desc)
{
	const char *a = tls_alert_name(desc);
	return a ? a : "an unknown alert";
}

static int reached(const model *m, int step)
{
	return step >= 1 && step <= m->current && m->steps[step].reached && m->steps[step].n_rec;
}

/* ---- which cipher suite the server will choose ------------------------ */

#define NO_SUITE "none: the server answers with an alert instead of a ServerHello"

/* The suites the ClientHello offers, read from its fields. */
static size_t offered(const model *m, uint16_t *out, size_t max)
{
	const model_msg *ch = model_find_msg(m, 1, MODEL_MSG_CLIENT_HELLO, 0);
	size_t n = 0;
	if (!ch)
		return 0;
	static const char pre[] = "client_hello.cipher_suites[";
	for (size_t i = 0; i < ch->fields.n && n < max; i++) {
		const tls_span *f = &ch->fields.v[i];
		if (strncmp(f->path, pre, sizeof pre - 1) || f->length != 2 || f->offset + 2 > ch->bytes.len)
			continue;
		out[n++] = (uint16_t)(ch->bytes.p[f->offset] << 8 | ch->bytes.p[f->offset + 1]);
	}
	return n;
}

static void suite_text(char *out, size_t n, uint16_t id)
{
	const char *name = tls_suite_iana_name(id);
	if (name)
		snprintf(out, n, "%s (0x%04X)", name, id);
	else
		snprintf(out, n, "an unregistered suite (0x%04X)", id);
}

static int suite_fits(const model *m, int step)
{
	uint16_t ids[1];
	/* before step 2, or before step 1 when the server's answer to the
	 * hello is an alert filed there */
	int refused = step == 1 && m->current == 1 && m->alert.present && m->alert.by_server;
	return reached(m, step) && (step == 2 || refused) && offered(m, ids, 1) > 0;
}

static int suite_build(const model *m, int step, predict_q *q)
{
	uint16_t ids[256];
	size_t n = offered(m, ids, 256);
	int chosen = model_find_msg(m, 2, MODEL_MSG_SERVER_HELLO, 1) != NULL;
	char right[160], wrong[4][160];
	const char *w[4] = {0};
	size_t nw = 0;
	uint32_t h = mix(m, q->kind, step);
	if (chosen)
		suite_text(right, sizeof right, m->suite_id);
	else
		snprintf(right, sizeof right, "%s", NO_SUITE);
	/* three other offered suites, starting at a place h chooses */
	for (size_t i = 0; i < n && nw < 3; i++) {
		uint16_t id = ids[(i + h / 7) % n];
		if (chosen && id == m->suite_id)
			continue;
		suite_text(wrong[nw], sizeof wrong[nw], id);
		w[nw] = wrong[nw];
		nw++;
	}
	if (chosen && nw < 3)
		w[nw++] = NO_SUITE;
	if (place(q, h, right, w, nw))
		return -1;
	if (chosen)
		where_field(q, m, step, "server_hello.cipher_suite");
	else
		where_field(q, m, step, "alert.description");
	return 0;
}

/* ---- which messages come in this step, in order ------------------------ */

static void join_names(char *out, size_t n, const char *const *v, size_t k)
{
	size_t o = 0;
	out[0] = 0;
	for (size_t i = 0; i < k && o < n; i++)
		o += (size_t)snprintf(out + o, n - o, "%s%s", i ? ", " : "", v[i]);
}

static int messages_fits(const model *m, int step)
{
	return reached(m, step) && m->steps[step].n_msg >= 2 && m->steps[step].n_msg <= 12;
}

static int messages_build(const model *m, int step, predict_q *q)
{
	const model_step *st = &m->steps[step];
	size_t k = st->n_msg;
	const char *v[13] = {0}, *t[13] = {0};
	char right[160], cand[6][160];
	for (size_t i = 0; i < k; i++)
		v[i] = model_msg_name(st->msg[i].kind);
	join_names(right, sizeof right, v, k);
	size_t nc = 0;
	/* reversed */
	for (size_t i = 0; i < k; i++)
		t[i] = v[k - 1 - i];
	join_names(cand[nc++], sizeof cand[0], t, k);
	/* the first two swapped, the last two swapped */
	memcpy(t, v, k * sizeof *v);
	t[0] = v[1], t[1] = v[0];
	join_names(cand[nc++], sizeof cand[0], t, k);
	memcpy(t, v, k * sizeof *v);
	t[k - 2] = v[k - 1], t[k - 1] = v[k - 2];
	join_names(cand[nc++], sizeof cand[0], t, k);
	/* one left out, one that is not there */
	join_names(cand[nc++], sizeof cand[0], v, k - 1);
	static const char *const extra[] = {"ServerKeyExchange", "CertificateRequest", "CertificateVerify",
	                                    "Certificate",       "ChangeCipherSpec",   "ServerHelloDone"};
	for (size_t e = 0; e < sizeof extra / sizeof *extra; e++) {
		int present = 0;
		for (size_t i = 0; i < k; i++)
			present |= !strcmp(v[i], extra[e]);
		if (present)
			continue;
		t[0] = v[0], t[1] = extra[e];
		memcpy(t + 2, v + 1, (k - 1) * sizeof *v);
		join_names(cand[nc++], sizeof cand[0], t, k + 1);
		break;
	}
	const char *w[6];
	for (size_t i = 0; i < nc; i++)
		w[i] = cand[i];
	if (place(q, mix(m, q->kind, step), right, w, nc))
		return -1;
	snprintf(q->where, sizeof q->where, "step %d: %zu messages in %zu record%s", step, k, st->n_rec,
	         st->n_rec == 1 ? "" : "s");
	snprintf(q->field, sizeof q->field, "record.content_type");
	return 0;
}

/* ---- who can compute the master secret after this step ----------------- */

enum { WHO_NOBODY, WHO_CLIENT, WHO_SERVER, WHO_BOTH, WHO_EAVESDROPPER };
static const char *const who_text[] = {
    "nobody yet",
    "only the client",
    "only the server",
    "the client and the server, but not an eavesdropper",
    "the client, the server and an eavesdropper too",
};

static int master_fits(const model *m, int step)
{
	return reached(m, step) && m->secrets[MS_MASTER].known;
}

static int master_build(const model *m, int step, predict_q *q)
{
	const model_step *st = &m->steps[step];
	int cl = st->client.v[MS_MASTER].known, sv = st->server.v[MS_MASTER].known;
	int who = cl && sv ? WHO_BOTH : cl ? WHO_CLIENT : sv ? WHO_SERVER : WHO_NOBODY;
	const char *w[4];
	size_t nw = 0;
	for (int i = 0; i <= WHO_EAVESDROPPER; i++)
		if (i != who && (i != WHO_SERVER || who == WHO_NOBODY))
			w[nw++] = who_text[i];
	if (place(q, mix(m, q->kind, step), who_text[who], w, nw))
		return -1;
	snprintf(q->where, sizeof q->where,
	         "step %d, who knows what: master secret %s to the client, %s to the server", step,
	         cl ? "known" : "unknown", sv ? "known" : "unknown");
	return 0;
}

/* ---- which bytes of the dump are the server random --------------------- */

static int random_fits(const model *m, int step)
{
	size_t r;
	const tls_span *f = reached(m, step) ? find_field(m, step, "server_hello.random", &r) : NULL;
	return f && f->length == 32 && !m->steps[step].rec[r].encrypted &&
	       f->offset + 32 <= m->steps[step].rec[r].wire.len;
}

static void range_text(char *out, size_t n, size_t off, size_t len)
{
	snprintf(out, n, "bytes 0x%04zx to 0x%04zx (%zu bytes)", off, off + len - 1, len);
}

/* The record's first bytes as a hex dump, up to `upto`, 16 a line. */
static void hex_dump(char *out, size_t n, const tls_buf *w, size_t upto)
{
	size_t o = 0;
	out[0] = 0;
	if (upto > w->len)
		upto = w->len;
	for (size_t line = 0; line < upto && o < n; line += 16) {
		o += (size_t)snprintf(out + o, n - o, "  %04zx ", line);
		for (size_t i = line; i < line + 16 && i < upto && o < n; i++)
			o += (size_t)snprintf(out + o, n - o, " %02x", w->p[i]);
		if (o < n)
			o += (size_t)snprintf(out + o, n - o, "\n");
	}
}

static int random_build(const model *m, int step, predict_q *q)
{
	size_t r, sr;
	const tls_span *f = find_field(m, step, "server_hello.random", &r);
	const tls_buf *w = &m->steps[step].rec[r].wire;
	size_t off = f->offset;
	char right[160], cand[4][160];
	size_t nc = 0;
	range_text(right, sizeof right, off, 32);
	range_text(cand[nc++], sizeof cand[0], off + 4, 28); /* without gmt_unix_time */
	const tls_span *sid = find_field(m, step, "server_hello.session_id", &sr);
	if (sid && sr == r && sid->length)
		range_text(cand[nc++], sizeof cand[0], sid->offset, sid->length);
	if (off >= 6)
		range_text(cand[nc++], sizeof cand[0], off - 6, 32); /* from the handshake header */
	range_text(cand[nc++], sizeof cand[0], 0, 32);
	const char *wr[4];
	for (size_t i = 0; i < nc; i++)
		wr[i] = cand[i];
	if (place(q, mix(m, q->kind, step), right, wr, nc))
		return -1;
	size_t end = off + 32 + 16;
	if (sid && sr == r && sid->offset + sid->length > end)
		end = sid->offset + sid->length;
	if (end > 16 * 8)
		end = 16 * 8;
	hex_dump(q->dump, sizeof q->dump, w, end);
	where_field(q, m, step, "server_hello.random");
	return 0;
}

/* ---- what the client does with this certificate ------------------------ */

static int client_alert_at(const model *m, int step)
{
	return m->alert.present && !m->alert.by_server && m->alert.step == step;
}

static int cert_fits(const model *m, int step)
{
	return reached(m, step) && model_find_msg(m, step, MODEL_MSG_CERTIFICATE, 1) &&
	       m->steps[step].client.cert_note[0] && (client_alert_at(m, step) || m->current > step);
}

static int cert_build(const model *m, int step, predict_q *q)
{
	enum { np = 5 };
	static const int pool[np] = {-1, TLS_ALERT_UNKNOWN_CA, TLS_ALERT_CERTIFICATE_EXPIRED,
	                             TLS_ALERT_BAD_CERTIFICATE, TLS_ALERT_UNSUPPORTED_CERTIFICATE};
	char text[np + 1][160];
	int right = client_alert_at(m, step) ? m->alert.desc : -1;
	uint32_t h = mix(m, q->kind, step);
	const char *w[np];
	size_t nw = 0;
	for (size_t i = 0; i <= np; i++) {
		int d = i == np ? right : pool[(i + h / 5) % np];
		if (d < 0)
			snprintf(text[i], sizeof text[i], "accepts it: no alert, the handshake goes on");
		else
			snprintf(text[i], sizeof text[i], "rejects it and sends the alert %s", alert_name(d));
		if (i < np && d != right)
			w[nw++] = text[i];
	}
	if (place(q, h, text[np], w, nw < 3 ? nw : 3))
		return -1;
	where_field(q, m, step, "certificate.certificate_list[0]");
	if (right >= 0)
		where_field(q, m, step, "alert.description");
	return 0;
}

/* ---- after a tamper: where the handshake fails and who notices --------- */

static int tamper_fits(const model *m, int step)
{
	return (m->tamper.present || m->tamper.inside) && m->tamper.step == step && reached(m, step) && m->outcome != MODEL_INCOMPLETE &&
	       m->outcome != MODEL_RUNNING;
}

static void fail_text(char *out, size_t n, int step, int by_server)
{
	if (step <= 0)
		snprintf(out, n, "nowhere: nobody notices and the handshake completes");
	else
		snprintf(out, n, "at step %d (%s), and the %s notices", step, model_step_title(step),
		         by_server ? "server" : "client");
}

/* The narrowest field of the step's records that holds the flipped byte. */
static void tamper_where(predict_q *q, const model *m, int step)
{
	size_t r, at;
	if (!model_tampered_byte(m, step, &r, &at))
		return;
	const model_record *rec = &m->steps[step].rec[r];
	const tls_span *best = NULL;
	for (size_t i = 0; i < rec->fields.n; i++) {
		const tls_span *f = &rec->fields.v[i];
		if (at >= f->offset && at < (size_t)f->offset + f->length && (!best || f->length <= best->length))
			best = f;
	}
	snprintf(q->where, sizeof q->where, "step %d, record %zu, byte 0x%04zx (%s) was changed on the wire",
	         step, r + 1, at, best ? best->path : "no field");
	if (best)
		snprintf(q->field, sizeof q->field, "%s", best->path);
}

static int tamper_build(const model *m, int step, predict_q *q)
{
	int fail = m->outcome == MODEL_ALERT ? m->alert.step : 0, by = m->alert.by_server;
	char right[160], cand[6][160];
	size_t nc = 0;
	fail_text(right, sizeof right, fail, by);
	if (fail)
		fail_text(cand[nc++], sizeof cand[0], fail, !by);
	fail_text(cand[nc++], sizeof cand[0], step, 0);
	fail_text(cand[nc++], sizeof cand[0], step, 1);
	fail_text(cand[nc++], sizeof cand[0], 6, 0);
	fail_text(cand[nc++], sizeof cand[0], 5, 1);
	fail_text(cand[nc++], sizeof cand[0], 0, 0);
	const char *w[6];
	for (size_t i = 0; i < nc; i++)
		w[i] = cand[i];
	if (place(q, mix(m, q->kind, step), right, w, nc))
		return -1;
	tamper_where(q, m, step);
	q->why_step = m->current > step ? m->current : step;
	return 0;
}

/* ---- a resumed handshake: which messages are skipped ------------------- */

static int resume_fits(const model *m, int step)
{
	return m->resumed && reached(m, step) && model_find_msg(m, step, MODEL_MSG_SERVER_HELLO, 1);
}

static int present_anywhere(const model *m, const char *name)
{
	for (int s = 1; s <= m->current; s++)
		for (size_t i = 0; i < m->steps[s].n_msg; i++)
			if (!strcmp(model_msg_name(m->steps[s].msg[i].kind), name))
				return 1;
	return 0;
}

static int resume_build(const model *m, int step, predict_q *q)
{
	/* what a full handshake with this suite sends between the hellos and
	 * the ChangeCipherSpecs */
	const tls_suite *s = tls_suite_by_id(m->suite_id);
	const char *full[4], *skipped[4];
	size_t nf = 0, ns = 0;
	full[nf++] = "Certificate";
	if (s && s->kx != TLS_KX_RSA)
		full[nf++] = "ServerKeyExchange";
	full[nf++] = "ServerHelloDone";
	full[nf++] = "ClientKeyExchange";
	for (size_t i = 0; i < nf; i++)
		if (!present_anywhere(m, full[i]))
			skipped[ns++] = full[i];
	char right[160];
	if (ns)
		join_names(right, sizeof right, skipped, ns);
	else
		snprintf(right, sizeof right, "none: the full handshake runs");
	const char *w[] = {"none: the full handshake runs", "ChangeCipherSpec, Finished", "Certificate",
	                   "ServerHello, Finished"};
	if (place(q, mix(m, q->kind, step), right, w, 4))
		return -1;
	where_field(q, m, step, "server_hello.session_id");
	return 0;
}

/* ---- the table ---------------------------------------------------------- */

/* In the order they are asked: at most PREDICT_PER_STEP of them a step. */
static const predict_kind kinds[] = {
    {"tamper", 0xfe, tamper_fits, tamper_build},
    {"certificate", STEP_BIT(3), cert_fits, cert_build},
    {"suite", STEP_BIT(1) | STEP_BIT(2), suite_fits, suite_build},
    {"resume", STEP_BIT(2), resume_fits, resume_build},
    {"server_random", STEP_BIT(2), random_fits, random_build},
    {"messages", 0xfe, messages_fits, messages_build},
    {"master", STEP_BIT(1) | STEP_BIT(4) | STEP_BIT(5), master_fits, master_build},
};

size_t predict_kind_count(void)
{
	return sizeof kinds / sizeof *kinds;
}

const predict_kind *predict_kind_at(size_t i)
{
	return i < predict_kind_count() ? &kinds[i] : NULL;
}

const predict_kind *predict_kind_find(const char *id)
{
	for (size_t i = 0; i < predict_kind_count(); i++)
		if (!strcmp(kinds[i].id, id))
			return &kinds[i];
	return NULL;
}

int predict_build(const predict_kind *k, const model *m, int step, predict_q *q)
{
	memset(q, 0, sizeof *q);
	if (step < 1 || step > MODEL_LAST_STEP || !(k->steps & STEP_BIT(step)) || !k->fits(m, step))
		return 0;
	q->kind = k->id;
	q->step = step;
	return k->build(m, step, q) ? -1 : 1;
}
