/* The key log parser: the whole input as a key log text (what a file or a
 * pcapng Decryption Secrets Block gives), then the lookups; and each line
 * on its own through replay_keylog_line. Found secrets must be exactly the bytes
 * a line gave. */
#include "replay/keylog.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	keylog k;
	char *text = malloc(size ? size : 1);
	if (!text)
		abort();
	if (size)
		memcpy(text, data, size);
	replay_keylog_init(&k, "fuzz", NULL);
	replay_keylog_text(&k, text, size);
	replay_keylog_finish(&k);
	size_t n = replay_keylog_count(&k);
	for (size_t kind = 0; kind < 2; kind++)
		for (size_t i = 0; i < k.n[kind]; i++) {
			const keylog_entry *e = &k.v[kind][i];
			const uint8_t *s =
			    kind ? replay_keylog_rsa(&k, e->key) : replay_keylog_master(&k, e->key);
			if (!s)
				abort(); /* every entry must be found again */
		}
	uint8_t zero[32] = {0};
	(void)replay_keylog_master(&k, zero);
	(void)replay_keylog_rsa(&k, zero);
	replay_keylog_free(&k);
	(void)n;

	/* Line by line, each line an exactly sized copy. */
	replay_keylog_init(&k, "fuzz", NULL);
	size_t start = 0, lineno = 1;
	for (size_t i = 0; i <= size; i++) {
		if (i == size || text[i] == '\n') {
			size_t len = i - start;
			char *line = malloc(len ? len : 1);
			if (!line)
				abort();
			memcpy(line, text + start, len);
			replay_keylog_line(&k, line, len, lineno++);
			free(line);
			start = i + 1;
		}
	}
	replay_keylog_finish(&k);
	replay_keylog_free(&k);
	free(text);
	return 0;
}
