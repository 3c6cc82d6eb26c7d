/* Fuzzing regressions: every input a harness once crashed on, and every
 * seed of the corpora, fed to the same entry point through the harness code
 * itself (tests/fuzz/fuzz_*.c, included below under other names).
 *
 * Inputs live in tests/fuzz/regress/<harness>/ (one file each, named after
 * what they found) and tests/fuzz/corpus/<harness>/. In this build the
 * fuzzing switch is off (tls_fuzzing() is 0), so records are really
 * decrypted and checked; `make fuzz-regress` runs the same test with the
 * switch on, as the fuzzer saw them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Each harness under its own names. */
#define LLVMFuzzerInitialize server_init
#define LLVMFuzzerTestOneInput server_one
#define FUZZ_SERVER 1
#include "../fuzz/fuzz_engine.c"
#undef LLVMFuzzerInitialize
#undef LLVMFuzzerTestOneInput
#undef FUZZ_SERVER

#define LLVMFuzzerInitialize client_init
#define LLVMFuzzerTestOneInput client_one
#define FUZZ_SERVER 0
#include "../fuzz/fuzz_engine.c"
#undef LLVMFuzzerInitialize
#undef LLVMFuzzerTestOneInput

#define LLVMFuzzerTestOneInput msg_one
#include "../fuzz/fuzz_msg.c"
#undef LLVMFuzzerTestOneInput

#define LLVMFuzzerInitialize protect_init
#define LLVMFuzzerTestOneInput protect_one
#include "../fuzz/fuzz_protect.c"
#undef LLVMFuzzerInitialize
#undef LLVMFuzzerTestOneInput

#define LLVMFuzzerInitialize x509_init
#define LLVMFuzzerTestOneInput x509_one
#include "../fuzz/fuzz_x509.c"
#undef LLVMFuzzerInitialize
#undef LLVMFuzzerTestOneInput

#define LLVMFuzzerInitialize pem_init
#define LLVMFuzzerTestOneInput pem_one
#include "../fuzz/fuzz_pem.c"
#undef LLVMFuzzerInitialize
#undef LLVMFuzzerTestOneInput

#define LLVMFuzzerInitialize observe_init
#define LLVMFuzzerTestOneInput observe_one
#include "../fuzz/fuzz_observe.c"
#undef LLVMFuzzerInitialize
#undef LLVMFuzzerTestOneInput

#define LLVMFuzzerInitialize pcap_init
#define LLVMFuzzerTestOneInput pcap_one
#include "../fuzz/fuzz_pcap.c"
#undef LLVMFuzzerInitialize
#undef LLVMFuzzerTestOneInput

#define LLVMFuzzerTestOneInput keylog_one
#include "../fuzz/fuzz_keylog.c"
#undef LLVMFuzzerTestOneInput

#include "tls/fuzzing.h"

typedef struct {
	const char *name;
	int (*one)(const uint8_t *, size_t);
	size_t min_seeds; /* the committed corpus must hold at least this many */
} harness;

static const harness harnesses[] = {
	{"fuzz_server", server_one, 2},  {"fuzz_client", client_one, 2},
	{"fuzz_msg", msg_one, 4},        {"fuzz_protect", protect_one, 4},
	{"fuzz_x509", x509_one, 2},      {"fuzz_pem", pem_one, 2},
	{"fuzz_observe", observe_one, 2}, {"fuzz_pcap", pcap_one, 2},
	{"fuzz_keylog", keylog_one, 2},
};

/* Feeds every file of dir/<harness> to the harness; returns how many. */
static size_t feed_dir(const char *dir, const harness *h)
{
	char path[1024];
	size_t count = 0;
	snprintf(path, sizeof path, "%s/%s", dir, h->name);
	DIR *d = opendir(path);
	if (!d)
		return 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char file[1400];
		snprintf(file, sizeof file, "%s/%s", path, e->d_name);
		FILE *f = fopen(file, "rb");
		assert_non_null(f);
		uint8_t *buf = malloc(1 << 20);
		assert_non_null(buf);
		size_t n = fread(buf, 1, 1 << 20, f);
		fclose(f);
		/* An exact-size copy, as libFuzzer hands inputs over. */
		uint8_t *in = malloc(n ? n : 1);
		assert_non_null(in);
		memcpy(in, buf, n);
		free(buf);
		print_message("  %s %s (%zu bytes)\n", h->name, e->d_name, n);
		assert_int_equal(h->one(in, n), 0);
		free(in);
		count++;
	}
	closedir(d);
	return count;
}

static int setup(void **state)
{
	(void)state;
	/* One PKI for the harnesses that need it (they share common.h). */
	fuzz_setup_pki();
	protect_init(NULL, NULL);
	fuzz_pcap_setup();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tls_creds_free(&fuzz_server_pki);
	tls_creds_free(&fuzz_client_pki);
	replay_keylog_free(&keys);
	return 0;
}

static void test_switch_matches_build(void **state)
{
	(void)state;
#ifdef TLSSTEP_FUZZING
	assert_int_equal(tls_fuzzing(), 1);
#else
	/* The normal build must never skip an integrity check. */
	assert_int_equal(tls_fuzzing(), 0);
#endif
}

static void test_regressions(void **state)
{
	(void)state;
	size_t total = 0;
	for (size_t i = 0; i < sizeof harnesses / sizeof *harnesses; i++)
		total += feed_dir("tests/fuzz/regress", &harnesses[i]);
	print_message("  %zu regression inputs\n", total);
}

static void test_seed_corpora(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof harnesses / sizeof *harnesses; i++)
		assert_true(feed_dir("tests/fuzz/corpus", &harnesses[i]) >= harnesses[i].min_seeds);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_switch_matches_build),
		cmocka_unit_test(test_regressions),
		cmocka_unit_test(test_seed_corpora),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
