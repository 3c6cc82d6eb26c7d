#include "ui/compare.h"

#include "ui/views.h"

#include <string.h>

/* A message counts by its name; the compatibility ChangeCipherSpec of
 * TLS 1.3 is not the ChangeCipherSpec of TLS 1.2 (it switches nothing). */
static void msg_name(const model *m, const model_msg *g, char *out, size_t n)
{
	if (m->t13.active && !strcmp(g->name, "ChangeCipherSpec"))
		snprintf(out, n, "ChangeCipherSpec (compatibility)");
	else if (!strcmp(g->name, "Certificate") || !strcmp(g->name, "CertificateVerify") ||
	         !strcmp(g->name, "Finished"))
		snprintf(out, n, "%s (%s)", g->name, g->from_server ? "server" : "client");
	else
		snprintf(out, n, "%s", g->name);
}

static int has_msg(const model *m, const char *name)
{
	char nm[96];
	for (int s = 1; s <= 6; s++)
		for (size_t i = 0; i < m->steps[s].n_msg; i++) {
			msg_name(m, &m->steps[s].msg[i], nm, sizeof nm);
			if (!strcmp(nm, name))
				return 1;
		}
	return 0;
}

void compare_only_in(const model *a, const model *b, char *out, size_t n)
{
	char nm[96];
	size_t at = 0;
	out[0] = 0;
	for (int s = 1; s <= 6; s++)
		for (size_t i = 0; i < a->steps[s].n_msg; i++) {
			const model_msg *g = &a->steps[s].msg[i];
			if (g->hs_type == MODEL_NOT_HS && strcmp(g->name, "ChangeCipherSpec"))
				continue; /* alerts and data are no part of the comparison */
			msg_name(a, g, nm, sizeof nm);
			if (has_msg(b, nm) || strstr(out, nm))
				continue;
			at += (size_t)snprintf(out + at, at < n ? n - at : 0, "%s%s", at ? ", " : "", nm);
			if (at >= n)
				return;
		}
}

void compare_count(const model *m, compare_facts *f)
{
	int last_from = -1, done = 0;
	memset(f, 0, sizeof *f);
	for (int s = 1; s <= 6; s++) {
		const model_step *st = &m->steps[s];
		for (size_t i = 0; i < st->n_rec; i++)
			f->handshake_bytes += st->rec[i].wire.len;
		for (size_t i = 0; i < st->n_msg; i++) {
			const model_msg *g = &st->msg[i];
			if (g->hs_type == MODEL_NOT_HS)
				continue;
			f->messages++;
			if (g->encrypted && !f->first_encrypted)
				f->first_encrypted = s;
			/* a server flight starts where a server message follows a client one */
			if (g->from_server && last_from != 1 && !done)
				f->round_trips++;
			last_from = g->from_server;
			done |= g->from_server && g->hs_type == 20; /* the server's Finished */
		}
	}
}

/* The messages of a step as "C->S ClientHello, ..." with [enc] marks. */
static void step_line(const model *m, int s, char *out, size_t n)
{
	const model_step *st = &m->steps[s];
	size_t at = 0;
	out[0] = 0;
	if (!st->n_msg) {
		snprintf(out, n, "%s", st->note[0] ? "(nothing: see the note)" : "(nothing)");
		return;
	}
	for (size_t i = 0; i < st->n_msg && at < n; i++) {
		const model_msg *g = &st->msg[i];
		char nm[96];
		msg_name(m, g, nm, sizeof nm);
		at += (size_t)snprintf(out + at, n - at, "%s%s%s%s", i ? ", " : "",
		                       g->from_server ? "S->C " : "C->S ", nm, g->encrypted ? " [enc]" : "");
	}
}

static const char *version_name(const model *m)
{
	return m->version == 0x0304 ? "TLS 1.3" : m->version == 0x0303 ? "TLS 1.2" : "other";
}

static const char *key_origin(const model *m)
{
	if (m->t13.active)
		return "HKDF key schedule (RFC 8446 7.1): handshake_secret = HKDF-Extract(derived, (EC)DHE "
		       "shared "
		       "secret); each traffic secret = Derive-Secret(that secret, label, transcript hash); "
		       "keys and IVs = HKDF-Expand-Label(traffic secret, \"key\"/\"iv\"); a new key pair "
		       "for the handshake and for the data, bound to the messages so far";
	return "PRF (RFC 5246 8.1, 6.3): master_secret = PRF(premaster (the ECDHE shared secret), "
	       "\"master secret\", client_random + server_random); key_block = PRF(master_secret, "
	       "\"key expansion\", randoms), cut into keys and IVs (and MAC keys for CBC suites); one key "
	       "set, used from "
	       "the Finished on";
}

void compare_plain(FILE *f, const model *a, const model *b)
{
	compare_facts fa, fb;
	char la[1024], lb[1024];
	compare_count(a, &fa);
	compare_count(b, &fb);
	fprintf(f, "tlsstep compare, seed %llu: %s (scenario %s, %s) against %s (scenario %s, %s)\n",
	        (unsigned long long)a->seed, version_name(a), a->scenario, a->suite, version_name(b),
	        b->scenario, b->suite);
	for (int s = 1; s <= MODEL_LAST_STEP; s++) {
		fprintf(f, "\nStep %d\n", s);
		step_line(a, s, la, sizeof la);
		step_line(b, s, lb, sizeof lb);
		fprintf(f, "  %s  %s: %s\n", version_name(a), a->steps[s].title, la);
		fprintf(f, "  %s  %s: %s\n", version_name(b), b->steps[s].title, lb);
	}
	compare_only_in(a, b, la, sizeof la);
	compare_only_in(b, a, lb, sizeof lb);
	fprintf(f, "\nOnly in %s: %s\n", version_name(a), la[0] ? la : "nothing");
	fprintf(f, "Only in %s: %s\n", version_name(b), lb[0] ? lb : "nothing");
	fprintf(f, "\nEncrypted handshake messages from step: %s %d, %s %d\n", version_name(a),
	        fa.first_encrypted, version_name(b), fb.first_encrypted);
	fprintf(f, "Round trips before the client may send data: %s %d, %s %d\n", version_name(a),
	        fa.round_trips, version_name(b), fb.round_trips);
	fprintf(f, "Handshake messages: %s %zu, %s %zu; bytes on the wire in steps 1-6: %s %zu, %s %zu\n",
	        version_name(a), fa.messages, version_name(b), fb.messages, version_name(a),
	        fa.handshake_bytes, version_name(b), fb.handshake_bytes);
	fprintf(f, "\nWhere the keys come from:\n  %s: %s\n  %s: %s\n", version_name(a), key_origin(a),
	        version_name(b), key_origin(b));
	fprintf(f, "\nOutcome: %s %s, %s %s\n", version_name(a), model_outcome_name(a->outcome),
	        version_name(b), model_outcome_name(b->outcome));
}

static void side_json(FILE *f, const model *m)
{
	compare_facts fc;
	compare_count(m, &fc);
	fprintf(f, "{\"scenario\":");
	json_string(f, m->scenario);
	fprintf(f, ",\"version\":\"%s\",\"cipher_suite\":", version_name(m));
	json_string(f, m->suite);
	fprintf(f,
	        ",\"outcome\":\"%s\",\"round_trips\":%d,\"first_encrypted_step\":%d,"
	        "\"handshake_messages\":%zu,\"handshake_bytes\":%zu,\"keys_from\":",
	        model_outcome_name(m->outcome), fc.round_trips, fc.first_encrypted, fc.messages,
	        fc.handshake_bytes);
	json_string(f, key_origin(m));
	fprintf(f, ",\"steps\":[");
	for (int s = 1; s <= MODEL_LAST_STEP; s++) {
		const model_step *st = &m->steps[s];
		fprintf(f, "%s{\"number\":%d,\"title\":", s > 1 ? "," : "", s);
		json_string(f, st->title);
		fprintf(f, ",\"messages\":[");
		for (size_t i = 0; i < st->n_msg; i++) {
			char nm[96];
			msg_name(m, &st->msg[i], nm, sizeof nm);
			fprintf(f, "%s{\"name\":", i ? "," : "");
			json_string(f, nm);
			fprintf(f, ",\"from\":\"%s\",\"encrypted\":%s}",
			        st->msg[i].from_server ? "server" : "client",
			        st->msg[i].encrypted ? "true" : "false");
		}
		fprintf(f, "]}");
	}
	fprintf(f, "]}");
}

/* A comma separated list as a JSON array of strings. */
static void list_json(FILE *f, char *list)
{
	fputc('[', f);
	int first = 1;
	for (char *p = list; *p;) {
		char *end = strstr(p, ", ");
		if (end)
			*end = 0;
		if (!first)
			fputc(',', f);
		json_string(f, p);
		first = 0;
		p = end ? end + 2 : p + strlen(p);
	}
	fputc(']', f);
}

void compare_json(FILE *f, const model *a, const model *b)
{
	char la[1024], lb[1024];
	compare_only_in(a, b, la, sizeof la);
	compare_only_in(b, a, lb, sizeof lb);
	fprintf(f, "{\"source\":\"compare\",\"seed\":%llu,\"tls12\":", (unsigned long long)a->seed);
	side_json(f, a);
	fprintf(f, ",\"tls13\":");
	side_json(f, b);
	fprintf(f, ",\"only_in_tls12\":");
	list_json(f, la);
	fprintf(f, ",\"only_in_tls13\":");
	list_json(f, lb);
	fprintf(f, "}\n");
}
