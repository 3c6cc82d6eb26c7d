/* Reading files and finding the data directory (lessons/, assets/).
 *
 * The data directory is, in order: --data-dir, $TLSSTEP_DATA_DIR, the
 * share/tlsstep directory beside an installed binary, the source tree the
 * binary was built in, the current directory. */
#ifndef APP_FILES_H
#define APP_FILES_H

#include "tls/bytes.h"

#include <stddef.h>

/* Reads a whole file (up to max bytes) into out. 0 or -1 with err set. */
int file_read(const char *path, size_t max, tls_buf *out, char *err, size_t errlen);
/* Reads a whole file or fails: the first line of the error names the file. */
int file_write(const char *path, const void *data, size_t n, char *err, size_t errlen);
void data_dir_set(const char *dir);
const char *data_dir(void);
/* data_dir()/sub into out. */
void data_path(char *out, size_t n, const char *sub);

/* Reads lessons/<file> from the data directory: the lesson reader the
 * command layer hands to the views (see ui/lesson.h). */
int data_lesson_read(const char *file, size_t max, tls_buf *out, char *err, size_t errlen);

#endif
