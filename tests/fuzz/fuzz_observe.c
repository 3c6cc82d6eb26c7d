/* The observer (what replay and live modes build their model with) on
 * arbitrary record sequences.
 *
 * Input: byte 0 = flags (bit 0: the observer has the master secret, bit 1:
 * it has the server's RSA key), then records, each preceded by one byte
 * (bit 0: from the server, bits 1-3: the step to file it under, 0 =
 * classify). A record is its 5-byte header plus as many bytes as the
 * header says, or fewer at the end of the input. Every record is a
 * separately allocated, exactly sized copy, as a capture reader hands them
 * over. The model is then read as the JSON view would. */
#include "common.h"
#include "model/knowledge.h"
#include "model/model.h"
#include "model/observe.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_setup_pki();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t master[48] = "a master secret the fuzzer knows, 48 bytes long";
	model *m = calloc(1, sizeof *m);
	observer *o;
	size_t pos = 1;

	if (!m)
		abort();
	if (size < 1) {
		free(m);
		return 0;
	}
	model_init(m, "replay");
	o = obs_new(m);
	if (!o)
		abort();
	if (data[0] & 1)
		obs_set_master(o, master);
	if (data[0] & 2)
		obs_set_rsa_key(o, &fuzz_server_pki.key.rsa);
	while (pos < size) {
		uint8_t ctl = data[pos++];
		size_t left = size - pos, n;
		if (left == 0)
			break;
		n = left >= 5 ? 5 + (size_t)((data[pos + 3] << 8) | data[pos + 4]) : left;
		if (n > left)
			n = left;
		uint8_t *rec = malloc(n);
		if (!rec)
			abort();
		memcpy(rec, data + pos, n);
		int from_server = ctl & 1, step = (ctl >> 1) & 7;
		(void)obs_classify(o, from_server, rec, n);
		int got = obs_record(o, from_server, rec, n, step);
		/* A whole record is filed under a step; anything else is refused (-1). */
		int whole = n >= 5 && 5 + (size_t)(rec[3] << 8 | rec[4]) == n;
		if (whole ? got < 1 || got > MODEL_LAST_STEP : got != -1)
			abort();
		free(rec);
		pos += n;
	}
	model_side side;
	obs_knowledge(o, &side);
	obs_secrets(o, m);
	/* the "after step N" rule holds on whatever was filed */
	knowledge_settle(m, m->current);
	/* Every span must lie inside its record or message. */
	for (int i = 1; i <= MODEL_LAST_STEP; i++) {
		const model_step *st = &m->steps[i];
		for (size_t r = 0; r < st->n_rec; r++)
			for (size_t f = 0; f < st->rec[r].fields.n; f++) {
				const tls_span *s = &st->rec[r].fields.v[f];
				if (s->offset > st->rec[r].wire.len ||
				    s->length > st->rec[r].wire.len - s->offset)
					abort();
			}
		for (size_t g = 0; g < st->n_msg; g++)
			for (size_t f = 0; f < st->msg[g].fields.n; f++) {
				const tls_span *s = &st->msg[g].fields.v[f];
				if (s->offset > st->msg[g].bytes.len ||
				    s->length > st->msg[g].bytes.len - s->offset)
					abort();
			}
	}
	obs_free(o);
	model_free(m);
	free(m);
	return 0;
}
