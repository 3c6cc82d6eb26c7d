/* Where the tests' data lives: the source tree, whatever the working
 * directory a test runs from. The Makefile passes TLSSTEP_SRCDIR (the
 * tree's absolute path) when it compiles a test; it is never written in
 * a tracked file. */
#ifndef TEST_SRCDIR_H
#define TEST_SRCDIR_H

#include "app/files.h"

#ifndef TLSSTEP_SRCDIR
#error "compile tests with -DTLSSTEP_SRCDIR='\"/path/to/tree\"' (the Makefile does)"
#endif

/* A file of the source tree, as a string literal: SRC("assets/ca.crt"). */
#define SRC(p) TLSSTEP_SRCDIR "/" p

/* The library finds lessons/ and assets/ through app_data_dir(); a test binary
 * lives in build/tests/, where app_data_dir()'s own search does not look. */
static inline void use_srcdir(void)
{
	app_data_dir_set(TLSSTEP_SRCDIR);
}

#endif
