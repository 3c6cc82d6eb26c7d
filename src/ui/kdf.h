/* The `openssl kdf` commands that reproduce a TLS 1.2 handshake's
 * derivations from the values it shows: master secret, key block and both
 * verify_data. A student pastes one into a shell and gets the same bytes
 * (OpenSSL prints them upper-case, colon-separated). Any view may print
 * them; they only read the model. */
#ifndef UI_KDF_H
#define UI_KDF_H

#include "model/model.h"

#include <stddef.h>

enum { KDF_MAX_CMDS = 4 };

typedef struct {
	const char *what;      /* "master_secret", "key_block", "client verify_data" ... */
	char *cmd;             /* the shell command, one line */
	const uint8_t *expect; /* what it prints, for checks */
	size_t expect_len;
} kdf_cmd;

typedef struct {
	kdf_cmd v[KDF_MAX_CMDS];
	int n;
} kdf_cmds;

/* Fills out with the commands whose inputs the model knows (none for a
 * replay without keys; no master_secret command for a resumed session,
 * whose premaster belongs to an earlier handshake). 0, or -1 out of memory. */
int kdf_commands(const model *m, kdf_cmds *out);
void kdf_cmds_free(kdf_cmds *c);

#endif
