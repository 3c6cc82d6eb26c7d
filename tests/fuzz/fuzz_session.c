/* connect --sess-in's reader: app_session_parse on any bytes (the file is
 * untrusted: a student's, a colleague's, or altered). It returns 0 or an
 * error with a message; it must never read past the text or crash. */
#include "app/session_file.h"
#include "tls/crypto.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return tls_crypto_init() ? 1 : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 65536)
		return 0;
	char *p = malloc(size ? size : 1);
	if (!p)
		abort();
	if (size)
		memcpy(p, data, size);
	app_session a;
	char err[512] = "";
	if (app_session_parse(p, size, "fuzz", &a, err, sizeof err) != 0 && !err[0])
		abort(); /* documented: a refusal says why */
	free(p);
	return 0;
}
