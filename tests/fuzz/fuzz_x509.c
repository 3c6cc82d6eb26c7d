/* The certificate parser (DER) with spans, and the chain check after it:
 * tls_x509_parse on arbitrary bytes; when it parses, the certificate goes
 * through tls_x509_verify_chain and tls_x509_verify (with a purpose and a
 * key exchange) against the classroom CA (alone, and after the real server
 * certificate) and the name matcher. Also tls_der_walk. */
#include "common.h"
#include "tls/der.h"
#include "tls/fuzzing.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_setup_pki();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tls_x509 chain[2];
	tls_spans sp = {0};
	char why[300];
	uint8_t *p = malloc(size ? size : 1);
	if (!p)
		abort();
	if (size)
		memcpy(p, data, size);
	if (tls_der_walk(p, size) > 0)
		abort(); /* 0 or a negative status, nothing else */
	memset(chain, 0, sizeof chain);
	int rc = tls_x509_parse(p, size, &chain[0], &sp, 100, "certificate[0]");
	for (size_t i = 0; i < sp.n; i++)
		if (sp.v[i].offset < 100 || sp.v[i].offset - 100 > size ||
		    sp.v[i].length > size - (sp.v[i].offset - 100))
			abort();
	tls_spans_free(&sp);
	free(p); /* the parsed certificate keeps its own copy */
	if (rc == 0) {
		/* Odd sizes: signatures must really verify; even: the fuzzing
		 * build lets them pass, to reach the checks after them. */
		tls_fuzzing_set(!(size & 1));
		const tls_x509 *a = fuzz_client_pki.anchors;
		size_t na = fuzz_client_pki.n_anchors;
		/* A failure always says why; a chain good for a name is good
		 * without one. */
		int named = tls_x509_verify_chain(chain, 1, a, na, FUZZ_NOW, FUZZ_HOST, why, sizeof why);
		if ((named && !why[0]) ||
		    (!named && tls_x509_verify_chain(chain, 1, a, na, FUZZ_NOW, NULL, NULL, 0)))
			abort();
		/* With a purpose and a key exchange, as connect and serve ask:
		 * stricter than no purpose, never looser. */
		tls_x509_policy pol = {FUZZ_NOW, FUZZ_HOST, TLS_X509_PURPOSE_SERVER, TLS_X509_KU_DIGITAL_SIGNATURE};
		tls_x509_verdict v;
		if (tls_x509_verify(chain, 1, a, na, &pol, &v) == 0 && named)
			abort();
		/* As an intermediate after the real leaf. */
		if (tls_x509_parse(fuzz_server_pki.chain_der[0], fuzz_server_pki.chain_len[0], &chain[1],
				   NULL, 0, NULL) == 0) {
			tls_x509 t = chain[0];
			chain[0] = chain[1];
			chain[1] = t;
			if (tls_x509_verify_chain(chain, 2, a, na, FUZZ_NOW, FUZZ_HOST, why, sizeof why) &&
			    !why[0])
				abort();
			pol.purpose = TLS_X509_PURPOSE_CLIENT;
			if (tls_x509_verify(chain, 2, a, na, &pol, &v) > 0)
				abort(); /* 0 or a negative status */
			/* As the anchor itself. */
			if (tls_x509_verify_chain(chain, 1, &chain[1], 1, FUZZ_NOW, FUZZ_HOST, why,
			                          sizeof why) &&
			    !why[0])
				abort();
		}
		for (size_t i = 0; i < chain[0].n_dns; i++)
			tls_x509_name_match(chain[0].dns[i], FUZZ_HOST);
		if (chain[1].n_dns)
			tls_x509_name_match(chain[1].dns[0], "a.b.c");
	}
	tls_fuzzing_set(1);
	tls_x509_free(&chain[0]);
	tls_x509_free(&chain[1]);
	return 0;
}
