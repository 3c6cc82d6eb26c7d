#include "app/files.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[PATH_MAX];

int file_read(const char *path, size_t max, tls_buf *out, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	uint8_t chunk[8192];
	size_t n;
	tls_buf_clear(out);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (out->len + n > max) {
			fclose(f);
			snprintf(err, errlen, "%s is too large (over %zu bytes)", path, max);
			return -1;
		}
		if (tls_buf_put(out, chunk, n)) {
			fclose(f);
			snprintf(err, errlen, "out of memory reading %s", path);
			return -1;
		}
	}
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		snprintf(err, errlen, "cannot read %s", path);
		return -1;
	}
	return 0;
}

int file_write(const char *path, const void *data, size_t n, char *err, size_t errlen)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, n, f) != n || fclose(f) != 0) {
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

void data_dir_set(const char *d)
{
	snprintf(dir, sizeof dir, "%s", d);
}

static int has_assets(const char *d)
{
	char p[PATH_MAX];
	struct stat st;
	snprintf(p, sizeof p, "%s/assets/ca.crt", d);
	return stat(p, &st) == 0;
}

const char *data_dir(void)
{
	if (dir[0])
		return dir;
	const char *env = getenv("TLSSTEP_DATA_DIR");
	if (env && env[0]) {
		snprintf(dir, sizeof dir, "%s", env);
		return dir;
	}
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = 0;
		char *slash = strrchr(exe, '/');
		if (slash)
			*slash = 0;
		char cand[PATH_MAX + 32];
		/* installed: PREFIX/bin/tlsstep -> PREFIX/share/tlsstep */
		snprintf(cand, sizeof cand, "%s/../share/tlsstep", exe);
		if (has_assets(cand)) {
			snprintf(dir, sizeof dir, "%s", cand);
			return dir;
		}
		/* built in the tree: ROOT/build/tlsstep -> ROOT */
		snprintf(cand, sizeof cand, "%s/..", exe);
		if (has_assets(cand)) {
			snprintf(dir, sizeof dir, "%s", cand);
			return dir;
		}
	}
	snprintf(dir, sizeof dir, ".");
	return dir;
}

void data_path(char *out, size_t n, const char *sub)
{
	snprintf(out, n, "%s/%s", data_dir(), sub);
}

int data_lesson_read(const char *file, size_t max, tls_buf *out, char *err, size_t errlen)
{
	char sub[256], path[PATH_MAX + 256];
	snprintf(sub, sizeof sub, "lessons/%s", file);
	data_path(path, sizeof path, sub);
	return file_read(path, max, out, err, errlen);
}
