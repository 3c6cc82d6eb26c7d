/* The TLS 1.3 ClientHello lesson on a real browser's hello (the Chromium
 * fixture, replayed): it names the hybrid post-quantum share and its parts,
 * GREASE and ECH. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "srcdir.h"

#include "app/files.h"
#include "replay/keylog.h"
#include "replay/replay.h"
#include "ui/lesson.h"

static char text[16384];

static void emit(void *ctx, const replay_conn_info *info, model *m)
{
	(void)ctx;
	(void)info;
	tls_buf md = {0};
	char err[256];
	if (lesson_load(m, 1, lesson_file_for(m, 1), &md, err, sizeof err))
		fail_msg("%s", err);
	snprintf(text, sizeof text, "%.*s", (int)md.len, (const char *)md.p);
	tls_buf_free(&md);
}

/* the lesson with each run of spaces and line breaks as one space */
static int says(const char *phrase)
{
	static char flat[sizeof text];
	size_t j = 0;
	for (size_t i = 0; text[i] && j + 1 < sizeof flat; i++) {
		int space = text[i] == ' ' || text[i] == '\n';
		if (!space || (j && flat[j - 1] != ' '))
			flat[j++] = space ? ' ' : text[i];
	}
	flat[j] = 0;
	return strstr(flat, phrase) != NULL;
}

static void test_chromium_hello_lesson(void **st)
{
	(void)st;
	use_srcdir();
	lesson_set_reader(data_lesson_read);
	keylog k;
	char err[256];
	replay_keylog_init(&k, "keylog.txt", NULL);
	assert_int_equal(replay_keylog_load(&k, SRC("tests/fixtures/chromium-156/keylog.txt"), err, sizeof err), 0);
	replay_keylog_finish(&k);
	replay_options o = {.keys = &k, .only = 1, .emit = emit};
	replay_stats s;
	assert_int_equal(replay_run(SRC("tests/fixtures/chromium-156/capture.pcapng"), &o, &s, err, sizeof err), 0);
	assert_true(says("hybrid and post-quantum, X25519MLKEM768 (0x11ec)"));
	assert_true(says("the ML-KEM-768 encapsulation key (1184 bytes) then the X25519 public key (32 bytes)"));
	assert_true(says("tlsstep has no ML-KEM"));
	assert_true(says("Extensions of type GREASE"));
	assert_true(says("`encrypted_client_hello`"));
	replay_keylog_free(&k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_chromium_hello_lesson),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
