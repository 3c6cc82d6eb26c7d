/* Path validation rules (x509_path.c) against OpenSSL: every chain in
 * assets/rules (made by assets/mkrules.sh) comes with OpenSSL's verdict in
 * assets/rules/verdicts.txt, from
 *   openssl verify -x509_strict -auth_level 2 -purpose sslserver|sslclient ...
 * and tlsstep must reach the same one. For each case the test also says which
 * rule tlsstep must name, as the field it blames. The rules that depend on
 * the key exchange (a leaf's keyUsage) are checked on top, since OpenSSL's
 * verify knows no key exchange. Run from the repository root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "srcdir.h"

#include "test_files.h"
#include "tls/alert.h"
#include "tls/x509.h"

#define T2026       1767225600LL
#define BAD         TLS_FAIL(TLS_ALERT_BAD_CERTIFICATE)
#define UNSUPPORTED TLS_FAIL(TLS_ALERT_UNSUPPORTED_CERTIFICATE)
#define DIR         SRC("assets/rules/")
#define MAX_CERTS   8

/* What tlsstep must say for each case of verdicts.txt. */
static const struct {
	const char *name;
	int rc;
	const char *field; /* the field blamed; "" when accepted */
	const char *words; /* in the sentence */
} want[] = {
    {"good", 0, "", ""},
    {"eku-client", UNSUPPORTED, "certificate[0].extensions.extKeyUsage", "lacks serverAuth"},
    {"eku-client-as-client", 0, "", ""},
    {"good-as-client", UNSUPPORTED, "certificate[0].extensions.extKeyUsage", "lacks clientAuth"},
    {"eku-codesign", UNSUPPORTED, "certificate[0].extensions.extKeyUsage", "other purposes"},
    {"eku-none", 0, "", ""},
    {"eku-int-client", UNSUPPORTED, "certificate[1].extensions.extKeyUsage", "Client-only CA"},
    {"eku-int-server", 0, "", ""},
    {"pathlen0", BAD, "certificate[2].extensions.basicConstraints", "pathLenConstraint 0"},
    {"pathlen1", 0, "", ""},
    {"nc-inside", 0, "", ""},
    {"nc-outside", BAD, "certificate[1].extensions.nameConstraints", "names under rules.tlsstep.test"},
    {"nc-ip-outside", BAD, "certificate[1].extensions.nameConstraints", "10.1.2.3"},
    {"ncx-inside", 0, "", ""},
    {"ncx-excluded", BAD, "certificate[1].extensions.nameConstraints", "db.secret.tlsstep.test"},
    {"sha1-leaf", BAD, "certificate[0].signatureAlgorithm", "sha1WithRSAEncryption"},
    {"rsa1024-leaf", BAD, "certificate[0].subjectPublicKeyInfo.modulus", "1024 bits"},
    {"rsa1024-int", BAD, "certificate[1].subjectPublicKeyInfo.modulus", "1024 bits"},
    {"sha1-root", 0, "", ""},
    {"pss", 0, "", ""},
    {"pss384", 0, "", ""},
    {"ku-encipher", 0, "", ""},
    {"ku-sign", 0, "", ""},
    {"ku-certsign", UNSUPPORTED, "certificate[0].extensions.keyUsage", "keyUsage"},
    {"many-names", 0, "", ""},
    {"many-names-miss", BAD, "certificate[0].extensions.subjectAltName", "'name21.rules.tlsstep.test'"},
};

typedef struct {
	tls_x509 c[MAX_CERTS], root;
	size_t n;
} chain;

static void load_into(const char *file, chain *ch)
{
	char path[160];
	size_t tl, pos = 0;
	snprintf(path, sizeof path, DIR "%s", file);
	uint8_t *text = slurp(path, &tl);
	tls_buf der = {0};
	while (tls_pem_next((const char *)text, tl, &pos, "CERTIFICATE", &der, NULL, 0) == 1) {
		assert_true(ch->n < MAX_CERTS);
		assert_int_equal(tls_x509_parse(der.p, der.len, &ch->c[ch->n++], NULL, 0, NULL), 0);
	}
	tls_buf_free(&der);
	free(text);
}

static void load_root(const char *file, chain *ch)
{
	char path[160];
	size_t len;
	snprintf(path, sizeof path, DIR "%s", file);
	uint8_t *der = der_of(path, &len);
	assert_int_equal(tls_x509_parse(der, len, &ch->root, NULL, 0, NULL), 0);
	free(der);
}

static void chain_free(chain *ch)
{
	for (size_t i = 0; i < ch->n; i++)
		tls_x509_free(&ch->c[i]);
	tls_x509_free(&ch->root);
}

/* One line of verdicts.txt: CASE PURPOSE HOST LEAF ROOT CHAIN VERDICT. */
typedef struct {
	char name[64], purpose[16], host[128], leaf[64], root[64], chain[64], verdict[16];
} vline;

static int verify_case(const vline *l, unsigned ku, tls_x509_verdict *v)
{
	chain ch;
	memset(&ch, 0, sizeof ch);
	load_into(l->leaf, &ch);
	if (strcmp(l->chain, "-"))
		load_into(l->chain, &ch);
	load_root(l->root, &ch);
	tls_x509_policy pol = {.now = T2026,
	                       .host = strcmp(l->host, "-") ? l->host : NULL,
	                       .purpose = strcmp(l->purpose, "server") ? TLS_X509_PURPOSE_CLIENT
	                                                               : TLS_X509_PURPOSE_SERVER,
	                       .leaf_key_usage = ku};
	int rc = tls_x509_verify(ch.c, ch.n, &ch.root, 1, &pol, v);
	chain_free(&ch);
	return rc;
}

static size_t read_lines(vline *out, size_t cap)
{
	size_t tl, n = 0;
	char *text = (char *)slurp(DIR "verdicts.txt", &tl);
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		assert_true(n < cap);
		vline *l = &out[n++];
		assert_int_equal(sscanf(line, "%63s %15s %127s %63s %63s %63s %15s", l->name, l->purpose,
		                        l->host, l->leaf, l->root, l->chain, l->verdict),
		                 7);
	}
	free(text);
	return n;
}

static const vline *find(const vline *v, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].name, name))
			return &v[i];
	fail_msg("case %s is not in verdicts.txt", name);
	return NULL;
}

/* Every case: the same verdict as OpenSSL, and the right rule named. */
static void test_agrees_with_openssl(void **state)
{
	(void)state;
	vline lines[64];
	size_t n = read_lines(lines, 64);
	assert_int_equal(n, sizeof want / sizeof want[0]);
	size_t refused = 0;
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		const vline *l = find(lines, n, want[i].name);
		tls_x509_verdict v;
		int rc = verify_case(l, 0, &v);
		int openssl_ok = !strcmp(l->verdict, "ok");
		if ((rc == 0) != openssl_ok || rc != want[i].rc || strcmp(v.field, want[i].field) ||
		    !strstr(v.why, want[i].words))
			fail_msg("%s: tlsstep %d (%s, field '%s'), OpenSSL %s, expected %d '%s'", l->name, rc,
			         v.why, v.field, l->verdict, want[i].rc, want[i].field);
		refused += rc != 0;
	}
	/* Both sides of the rules are here. */
	assert_true(refused >= 10 && refused <= n - 10);
}

/* A leaf's keyUsage against the key exchange: RSA key exchange encrypts to
 * the key (keyEncipherment), (EC)DHE has it sign (digitalSignature). */
static void test_key_usage_for_key_exchange(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		unsigned ku;
		int rc;
	} rows[] = {
	    {"ku-encipher", TLS_X509_KU_KEY_ENCIPHERMENT, 0},
	    {"ku-encipher", TLS_X509_KU_DIGITAL_SIGNATURE, UNSUPPORTED},
	    {"ku-sign", TLS_X509_KU_DIGITAL_SIGNATURE, 0},
	    {"ku-sign", TLS_X509_KU_KEY_ENCIPHERMENT, UNSUPPORTED},
	    {"ku-certsign", TLS_X509_KU_DIGITAL_SIGNATURE, UNSUPPORTED},
	    {"good", TLS_X509_KU_DIGITAL_SIGNATURE, 0},
	    {"eku-none", TLS_X509_KU_DIGITAL_SIGNATURE, 0},
	};
	vline lines[64];
	size_t n = read_lines(lines, 64);
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		tls_x509_verdict v;
		int rc = verify_case(find(lines, n, rows[i].name), rows[i].ku, &v);
		if (rc != rows[i].rc)
			fail_msg("%s with keyUsage need %#x: %d (%s)", rows[i].name, rows[i].ku, rc, v.why);
		if (rc)
			assert_string_equal(v.field, "certificate[0].extensions.keyUsage");
	}
}

/* Twenty names are all kept, and shown. */
static void test_many_names(void **state)
{
	(void)state;
	chain ch;
	memset(&ch, 0, sizeof ch);
	load_into("many-names.crt", &ch);
	assert_int_equal(ch.c[0].n_dns, 20);
	assert_string_equal(ch.c[0].dns[17], "name18.rules.tlsstep.test");
	assert_string_equal(ch.c[0].dns[19], "name20.rules.tlsstep.test");
	chain_free(&ch);
}

/* RSA-PSS: the parameters are read, and a changed signature fails. */
static void test_pss(void **state)
{
	(void)state;
	chain ch;
	memset(&ch, 0, sizeof ch);
	load_into("pss384-leaf.crt", &ch);
	load_into("int-chain.pem", &ch);
	load_root("root.crt", &ch);
	assert_int_equal(ch.c[0].sig_kind, TLS_X509_SIG_PSS);
	assert_int_equal(ch.c[0].sig_salt, 48);
	assert_string_equal(ch.c[0].sig_name, "RSASSA-PSS with sha384");
	tls_x509_verdict v;
	tls_x509_policy pol = {.now = T2026, .purpose = TLS_X509_PURPOSE_SERVER};
	assert_int_equal(tls_x509_verify(ch.c, ch.n, &ch.root, 1, &pol, &v), 0);
	ch.c[0].der[ch.c[0].sig_off + 10] ^= 1;
	assert_int_equal(tls_x509_verify(ch.c, ch.n, &ch.root, 1, &pol, &v), BAD);
	assert_string_equal(v.field, "certificate[0].signatureValue");
	chain_free(&ch);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_agrees_with_openssl),
	    cmocka_unit_test(test_key_usage_for_key_exchange),
	    cmocka_unit_test(test_many_names),
	    cmocka_unit_test(test_pss),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
