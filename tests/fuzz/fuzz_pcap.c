/* The capture reader: pcap/pcapng parsing (libpcap plus tlsstep's own
 * checks), IPv4/IPv6 and TCP parsing, stream reassembly and the observer
 * behind it, through replay_run, with the classroom server key (so an RSA
 * premaster opens) and a key log.
 *
 * replay_run reads a file, so each input is written to one file in
 * $TMPDIR (tmpfs in CI) first. */
#include "common.h"
#include "replay/keylog.h"
#include "replay/replay.h"

#include <unistd.h>

static char path[256];
static keylog keys;

/* Everything but the PKI (the regression test loads that once). */
static void fuzz_pcap_setup(void)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(path, sizeof path, "%s/tlsstep-fuzz-pcap-%ld", tmp ? tmp : "/tmp", (long)getpid());
	replay_keylog_init(&keys, "fuzz", NULL);
	/* The key log line of the seed captures (tlsstep --seed 1 --record). */
	static const char text[] =
		"CLIENT_RANDOM 6955b90090f0342d86b686a3ec0489f0e9f9bcc2e563bc0e4e520173b135dc49 "
		"f2079b82ad403cece95defbb7e48ab4323a2b5768917a7b63f19058cfc6e8b5f3af54675d938e511cb1e5ce528dd5624\n";
	replay_keylog_text(&keys, text, sizeof text - 1);
	replay_keylog_finish(&keys);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_setup_pki();
	fuzz_pcap_setup();
	return 0;
}

static void emit(void *ctx, const replay_conn_info *info, model *m)
{
	(void)ctx;
	if (info->n_notes > REPLAY_MAX_NOTES)
		abort();
	for (int i = 1; i <= MODEL_LAST_STEP; i++)
		for (size_t r = 0; r < m->steps[i].n_rec; r++) {
			const model_record *rec = &m->steps[i].rec[r];
			for (size_t f = 0; f < rec->fields.n; f++)
				if (rec->fields.v[f].offset > rec->wire.len ||
				    rec->fields.v[f].length > rec->wire.len - rec->fields.v[f].offset)
					abort();
		}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256];
	replay_stats st;
	FILE *f = fopen(path, "wb");
	if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f))
		abort();
	replay_options o = {0};
	o.keys = &keys;
	o.rsa = &fuzz_server_pki.key.rsa;
	o.emit = emit;
	memset(&st, 0, sizeof st);
	int rc = replay_run(path, &o, &st, err, sizeof err);
	if (rc < -1 || rc > 1 || (rc && !memchr(err, 0, sizeof err)))
		abort();
	unlink(path);
	return 0;
}
