/* Replaying a capture: every TLS connection in a pcap/pcapng file becomes
 * the same model a simulation builds (sim/model.h), through the same
 * observer (sim/observe.h), so the same views can show it.
 *
 * The file is read once, packet by packet. Connections are tracked in a
 * table while they are open; when one ends (FIN from both sides, RST, idle,
 * end of file) its model is handed to the caller and freed, so memory
 * follows the number of connections open at once, not the file's size.
 * TLS is recognised on any port by a ClientHello at the start of the
 * client's stream; a connection whose start was not captured is skipped
 * until a segment starts with a ClientHello record. */
#ifndef REPLAY_REPLAY_H
#define REPLAY_REPLAY_H

#include "replay/keylog.h"
#include "model/model.h"

#include <stddef.h>
#include <stdint.h>

#include <tomcrypt.h>

#define REPLAY_MAX_NOTES 16
#define REPLAY_NOTE_LEN 480

typedef struct {
	int number; /* 1-based, in the order the ClientHellos appear */
	char client[64], server[64];
	uint16_t version; /* 0 when no ServerHello was seen */
	uint16_t suite_id;
	char suite[64];
	int keys;     /* the master secret (TLS 1.3: a traffic secret) is known */
	int complete; /* both Finished messages went by */
	char sni[128], alpn[64]; /* server_name; ALPN chosen (1.3) or offered */
	/* TLS 1.3: key share group (0 none), PSK resumption (psk_dhe: with
	 * (EC)DHE), HelloRetryRequest, 0-RTT (0 none, 1 offered, 2 accepted) */
	uint16_t group;
	int resumed, psk_dhe, hrr, early;
	char notes[REPLAY_MAX_NOTES][REPLAY_NOTE_LEN];
	size_t n_notes, more_notes;
} replay_conn_info;

typedef struct {
	const keylog *keys; /* NULL: none */
	const rsa_key *rsa; /* server private key, NULL: none */
	int only;           /* N > 0: build and hand over connection N only, then stop */
	int brief;          /* models without field spans (enough for --list) */
	/* Called once per TLS connection as it ends; m is freed afterwards. */
	void (*emit)(void *ctx, const replay_conn_info *info, model *m);
	void *ctx;
} replay_options;

typedef struct {
	uint64_t packets, tcp_packets, skipped, not_ip, not_tcp, fragments;
	uint64_t tcp_conns, tls_conns, emitted;
	char first_problem[200]; /* first malformed packet, for the error line */
} replay_stats;

/* 0: read to the end. -1: cannot be read at all (err). 1: damaged part
 * way (err names the packet); connections before it were emitted. */
TLS_MUST_USE int replay_run(const char *path, const replay_options *o, replay_stats *st, char *err,
	       size_t errlen);

/* "TLS 1.2", "TLS 1.3", "SSL 3.0", "unknown" */
const char *replay_version_name(uint16_t v);
/* "x25519", "X25519MLKEM768", "GREASE" ... ("none" for 0) */
const char *replay_group_name(uint16_t g);

#endif
