/* Baseline for `make bench`: full TLS 1.2 handshakes between an OpenSSL
 * client and server in one process over a BIO pair, with the same suite and
 * RSA-2048 key as tlsstep, no session cache and no tickets, so both do the
 * same work. Prints one JSON object. */
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static SSL_CTX *ctx(int server, const char *cipher, const char *dir)
{
	char path[1024];
	SSL_CTX *c = SSL_CTX_new(server ? TLS_server_method() : TLS_client_method());
	SSL_CTX_set_min_proto_version(c, TLS1_2_VERSION);
	SSL_CTX_set_max_proto_version(c, TLS1_2_VERSION);
	SSL_CTX_set_cipher_list(c, cipher);
	SSL_CTX_set_options(c, SSL_OP_NO_TICKET);
	SSL_CTX_set_session_cache_mode(c, SSL_SESS_CACHE_OFF);
	if (server) {
		snprintf(path, sizeof path, "%s/server.crt", dir);
		SSL_CTX_use_certificate_chain_file(c, path);
		snprintf(path, sizeof path, "%s/server.key", dir);
		SSL_CTX_use_PrivateKey_file(c, path, SSL_FILETYPE_PEM);
		SSL_CTX_set_dh_auto(c, 1);
	} else {
		/* the client checks the chain, as tlsstep's does */
		snprintf(path, sizeof path, "%s/ca.crt", dir);
		SSL_CTX_load_verify_locations(c, path, NULL);
		SSL_CTX_set_verify(c, SSL_VERIFY_PEER, NULL);
	}
	return c;
}

static int handshake(SSL_CTX *cc, SSL_CTX *sc)
{
	BIO *a, *b;
	BIO_new_bio_pair(&a, 0, &b, 0);
	SSL *c = SSL_new(cc), *s = SSL_new(sc);
	SSL_set_bio(c, a, a);
	SSL_set_bio(s, b, b);
	SSL_set_connect_state(c);
	SSL_set_accept_state(s);
	SSL_set_tlsext_host_name(c, "localhost");
	int done_c = 0, done_s = 0, guard = 0;
	while ((!done_c || !done_s) && guard++ < 100) {
		if (!done_c)
			done_c = SSL_do_handshake(c) == 1;
		if (!done_s)
			done_s = SSL_do_handshake(s) == 1;
	}
	SSL_free(c);
	SSL_free(s);
	return done_c && done_s ? 0 : -1;
}

static int cmp(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return a < b ? -1 : a > b;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: ossl_hs CIPHER N ASSET_DIR [ROUNDS]\n");
		return 2;
	}
	int n = atoi(argv[2]), rounds = argc > 4 ? atoi(argv[4]) : 5;
	SSL_CTX *cc = ctx(0, argv[1], argv[3]), *sc = ctx(1, argv[1], argv[3]);
	double per[64];
	if (rounds < 1 || rounds > 64 || n < 1)
		return 2;
	if (handshake(cc, sc)) {
		ERR_print_errors_fp(stderr);
		return 1;
	}
	for (int r = 0; r < rounds; r++) {
		double t0 = now();
		for (int i = 0; i < n; i++)
			if (handshake(cc, sc))
				return 1;
		per[r] = (now() - t0) / n;
	}
	qsort(per, (size_t)rounds, sizeof per[0], cmp);
	double med = per[rounds / 2];
	printf("{\"implementation\":\"openssl\",\"cipher\":\"%s\",\"handshakes\":%d,\"rounds\":%d,"
	       "\"seconds_per_handshake\":%.6f,\"handshakes_per_second\":%.1f}\n",
	       argv[1], n, rounds, med, 1.0 / med);
	SSL_CTX_free(cc);
	SSL_CTX_free(sc);
	return 0;
}
