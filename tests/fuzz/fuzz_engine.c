/* The engine fed arbitrary peer flights: the record layer (framing,
 * reassembly, protection) and the state machines behind it.
 *
 * Built twice: fuzz_server (a server with the classroom certificate and key
 * receives the input as the client's bytes) and fuzz_client (a client that
 * has sent its ClientHello receives the input as the server's bytes).
 * The first input byte chooses how the rest is cut into tls_conn_recv
 * calls (its low 7 bits; 0: one call), so headers and messages split
 * across reads are reached too; its top bit turns TLS 1.3 on (max_version
 * 0x0304), so the 1.3 state machines and records are fuzzed as well. */
#include "common.h"

#ifndef FUZZ_SERVER
#error "define FUZZ_SERVER to 1 (server) or 0 (client)"
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_setup_pki();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tls_rng rng;
	tls_config cfg;
	tls_conn *c = NULL;
	size_t chunk;

	if (size < 1)
		return 0;
	chunk = data[0] & 0x7f;
	int tls13 = data[0] & 0x80;
	data++;
	size--;
	if (tls_rng_seed(&rng, FUZZ_SEED, FUZZ_SERVER ? "server" : "client"))
		abort();
	fuzz_config(&cfg, FUZZ_SERVER, &rng);
	if (tls13)
		cfg.max_version = 0x0304;
	if (tls_conn_new(&c, &cfg))
		abort();
	if (!FUZZ_SERVER && tls_conn_start(c))
		abort();
	fuzz_drain(c);
	for (size_t off = 0; off < size;) {
		size_t n = chunk ? chunk : size;
		if (n > size - off)
			n = size - off;
		tls_conn_recv(c, data + off, n);
		fuzz_drain(c);
		off += n;
	}
	if (tls_conn_status(c) == TLS_ESTABLISHED) {
		static const uint8_t hello[] = "GET / HTTP/1.0\r\n\r\n";
		tls_conn_send_app(c, hello, sizeof hello - 1);
		tls_conn_close(c);
		fuzz_drain(c);
	}
	tls_conn_free(c);
	tls_rng_free(&rng);
	return 0;
}
