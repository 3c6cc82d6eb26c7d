#include "replay/keylog.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <tomcrypt.h>

enum { KL_MASTER, KL_RSA, KL_TLS13, KL_KINDS };

void replay_keylog_init(keylog *k, const char *name, FILE *warn)
{
	memset(k, 0, sizeof *k);
	k->name = name;
	k->warn = warn;
}

void replay_keylog_free(keylog *k)
{
	for (int i = 0; i < KL_KINDS; i++) {
		if (k->v[i])
			zeromem(k->v[i], k->cap[i] * sizeof *k->v[i]);
		free(k->v[i]);
	}
	memset(k, 0, sizeof *k);
}

static void warn(keylog *k, size_t lineno, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void warn(keylog *k, size_t lineno, const char *fmt, ...)
{
	if (k->warn && k->warnings < KEYLOG_MAX_WARNINGS) {
		va_list ap;
		fprintf(k->warn, "tlsstep: %s line %zu: ", k->name, lineno);
		va_start(ap, fmt);
		vfprintf(k->warn, fmt, ap);
		va_end(ap);
		fputc('\n', k->warn);
	}
	k->warnings++;
}

static int unhex(const char *s, size_t n, uint8_t *out)
{
	for (size_t i = 0; i < n; i++) {
		unsigned v = 0;
		for (int j = 0; j < 2; j++) {
			char c = s[2 * i + (size_t)j];
			unsigned d = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
				     : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
				     : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
							    : 16u;
			if (d > 15)
				return -1;
			v = v * 16 + d;
		}
		out[i] = (uint8_t)v;
	}
	return 0;
}

static int add(keylog *k, int kind, const uint8_t *key, size_t key_len, const uint8_t *secret,
	       size_t secret_len, int label, size_t lineno)
{
	if (k->n[kind] == k->cap[kind]) {
		size_t cap = k->cap[kind] ? 2 * k->cap[kind] : 16;
		keylog_entry *v = calloc(cap, sizeof *v);
		if (!v)
			return -1;
		if (k->v[kind]) {
			memcpy(v, k->v[kind], k->n[kind] * sizeof *v);
			zeromem(k->v[kind], k->cap[kind] * sizeof *v);
			free(k->v[kind]);
		}
		k->v[kind] = v;
		k->cap[kind] = cap;
	}
	keylog_entry *e = &k->v[kind][k->n[kind]++];
	memset(e, 0, sizeof *e);
	memcpy(e->key, key, key_len);
	memcpy(e->secret, secret, secret_len);
	e->len = (uint8_t)secret_len;
	e->label = (uint8_t)label;
	e->line = lineno;
	k->used_lines++;
	return 0;
}

static const char *const labels13[KL13_COUNT] = {
    [KL13_CLIENT_EARLY] = "CLIENT_EARLY_TRAFFIC_SECRET",
    [KL13_CLIENT_HANDSHAKE] = "CLIENT_HANDSHAKE_TRAFFIC_SECRET",
    [KL13_SERVER_HANDSHAKE] = "SERVER_HANDSHAKE_TRAFFIC_SECRET",
    [KL13_CLIENT_TRAFFIC] = "CLIENT_TRAFFIC_SECRET_0",
    [KL13_SERVER_TRAFFIC] = "SERVER_TRAFFIC_SECRET_0",
    [KL13_EARLY_EXPORTER] = "EARLY_EXPORTER_SECRET",
    [KL13_EXPORTER] = "EXPORTER_SECRET",
};

const char *replay_keylog13_name(enum keylog13_label label)
{
	return (unsigned)label < KL13_COUNT ? labels13[label] : "?";
}

/* The label's index, or -1; *later is set for a later generation's
 * traffic secret (CLIENT_TRAFFIC_SECRET_N, _1, _2 ...). */
static int tls13_label(const char *s, size_t n, int *later)
{
	*later = 0;
	for (int i = 0; i < KL13_COUNT; i++)
		if (strlen(labels13[i]) == n && !memcmp(labels13[i], s, n))
			return i;
	if ((n > 22 && !memcmp(s, "CLIENT_TRAFFIC_SECRET_", 22)) ||
	    (n > 22 && !memcmp(s, "SERVER_TRAFFIC_SECRET_", 22))) {
		*later = 1;
		return -1;
	}
	return -1;
}

/* LABEL <client random> <secret>: the secret is a hash's length. */
static int line13(keylog *k, int label, const char *f[4], const size_t fl[4], size_t nf,
		  size_t lineno)
{
	uint8_t cr[32], secret[48];
	const char *name = labels13[label];
	if (nf != 3) {
		warn(k, lineno, "%s needs 2 fields, found %zu; skipped", name, nf - 1);
		return -1;
	}
	if (fl[1] != 64 || unhex(f[1], 32, cr)) {
		warn(k, lineno, "%s needs 64 hex digits of client random; skipped", name);
		return -1;
	}
	if ((fl[2] != 64 && fl[2] != 96) || unhex(f[2], fl[2] / 2, secret)) {
		warn(k, lineno,
		     "%s needs 64 or 96 hex digits of secret (SHA-256 or SHA-384 length); skipped",
		     name);
		return -1;
	}
	k->tls13_lines++;
	int rc = add(k, KL_TLS13, cr, 32, secret, fl[2] / 2, label, lineno);
	zeromem(secret, sizeof secret);
	return rc;
}

/* Splits on runs of spaces or tabs; returns the number of fields. */
static size_t split(const char *s, size_t n, const char *f[4], size_t fl[4])
{
	size_t nf = 0, i = 0;
	while (i < n) {
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i == n)
			break;
		size_t start = i;
		while (i < n && s[i] != ' ' && s[i] != '\t')
			i++;
		if (nf < 4) {
			f[nf] = s + start;
			fl[nf] = i - start;
		}
		nf++;
	}
	return nf;
}

int replay_keylog_line(keylog *k, const char *s, size_t n, size_t lineno)
{
	const char *f[4];
	size_t fl[4];
	uint8_t key[32], secret[48];
	if (n && s[n - 1] == '\r')
		n--;
	if (memchr(s, '\0', n)) {
		warn(k, lineno, "contains a NUL byte; skipped");
		return -1;
	}
	size_t nf = split(s, n, f, fl);
	if (nf == 0 || f[0][0] == '#')
		return 0;
	int later, label = tls13_label(f[0], fl[0], &later);
	if (label >= 0)
		return line13(k, label, f, fl, nf, lineno);
	if (later)
		return 0; /* derived from generation 0 instead */
	int rsa = fl[0] == 3 && !memcmp(f[0], "RSA", 3);
	int cr = fl[0] == 13 && !memcmp(f[0], "CLIENT_RANDOM", 13);
	if (!rsa && !cr) {
		warn(k, lineno, "unknown label '%.*s'; skipped", (int)(fl[0] > 40 ? 40 : fl[0]),
		     f[0]);
		return -1;
	}
	size_t want = rsa ? 8 : 32;
	if (nf != 3) {
		warn(k, lineno, "%s needs 2 fields, found %zu; skipped",
		     rsa ? "RSA" : "CLIENT_RANDOM", nf - 1);
		return -1;
	}
	if (fl[1] != 2 * want || unhex(f[1], want, key)) {
		warn(k, lineno, "%s needs %zu hex digits of %s; skipped",
		     rsa ? "RSA" : "CLIENT_RANDOM", 2 * want,
		     rsa ? "encrypted premaster" : "client random");
		return -1;
	}
	if (fl[2] != 96 || unhex(f[2], 48, secret)) {
		warn(k, lineno, "%s needs 96 hex digits of %s; skipped",
		     rsa ? "RSA" : "CLIENT_RANDOM", rsa ? "premaster secret" : "master secret");
		return -1;
	}
	int rc = add(k, rsa ? KL_RSA : KL_MASTER, key, want, secret, 48, 0, lineno);
	zeromem(secret, sizeof secret);
	return rc;
}

void replay_keylog_text(keylog *k, const char *text, size_t len)
{
	size_t lineno = 0, at = 0;
	while (at < len) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t end = nl ? (size_t)(nl - text) : len;
		lineno++;
		if (end - at > KEYLOG_MAX_LINE)
			warn(k, lineno, "longer than %d bytes; skipped", KEYLOG_MAX_LINE);
		else
			replay_keylog_line(k, text + at, end - at, lineno);
		at = end + 1;
	}
}

/* Reads one line into buf (at most cap-1 bytes kept). Returns the line's
 * full length (which may exceed what was kept), or -1 at end of file. */
static long read_line(FILE *f, char *buf, size_t cap, size_t *kept)
{
	long total = 0;
	int c;
	*kept = 0;
	while ((c = getc(f)) != EOF && c != '\n') {
		if (*kept + 1 < cap)
			buf[(*kept)++] = (char)c;
		total++;
	}
	if (c == EOF && total == 0)
		return -1;
	return total;
}

int replay_keylog_load(keylog *k, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "cannot open key log %s: %s", path, strerror(errno));
		return -1;
	}
	char buf[KEYLOG_MAX_LINE + 2];
	size_t kept, lineno = 0;
	long n;
	while ((n = read_line(f, buf, sizeof buf, &kept)) >= 0) {
		lineno++;
		if ((size_t)n > KEYLOG_MAX_LINE)
			warn(k, lineno, "longer than %d bytes; skipped", KEYLOG_MAX_LINE);
		else
			replay_keylog_line(k, buf, kept, lineno);
	}
	int bad = ferror(f);
	fclose(f);
	zeromem(buf, sizeof buf);
	if (bad) {
		snprintf(err, errlen, "cannot read key log %s", path);
		return -1;
	}
	return 0;
}

static int cmp_entry(const void *a, const void *b)
{
	const keylog_entry *x = a, *y = b;
	int c = memcmp(x->key, y->key, sizeof x->key);
	if (c)
		return c;
	if (x->label != y->label)
		return x->label < y->label ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

void replay_keylog_finish(keylog *k)
{
	for (int kind = 0; kind < KL_KINDS; kind++) {
		keylog_entry *v = k->v[kind];
		if (!k->n[kind])
			continue;
		qsort(v, k->n[kind], sizeof *v, cmp_entry);
		for (size_t i = 1; i < k->n[kind]; i++) {
			keylog_entry *a = &v[i - 1], *b = &v[i];
			if (memcmp(b->key, a->key, 32) || b->label != a->label)
				continue;
			if (b->len != a->len || memcmp(b->secret, a->secret, a->len))
				warn(k, b->line,
				     "same %s%s%s as line %zu with a different secret; line %zu is used",
				     kind == KL_TLS13 ? labels13[b->label] : "",
				     kind == KL_TLS13 ? " and " : "",
				     kind == KL_RSA ? "encrypted premaster" : "client random", a->line,
				     a->line);
		}
	}
	if (k->warn && k->warnings > KEYLOG_MAX_WARNINGS)
		fprintf(k->warn, "tlsstep: %s: %zu more bad lines not shown\n", k->name,
			k->warnings - KEYLOG_MAX_WARNINGS);
}

static const keylog_entry *find_entry(const keylog *k, int kind, const uint8_t *key,
				      size_t key_len, int label)
{
	keylog_entry probe;
	memset(&probe, 0, sizeof probe);
	memcpy(probe.key, key, key_len);
	probe.label = (uint8_t)label;
	size_t lo = 0, hi = k->n[kind];
	const keylog_entry *v = k->v[kind];
	while (lo < hi) { /* first entry >= (key, label): the earliest line of that key */
		size_t mid = lo + (hi - lo) / 2;
		int c = memcmp(v[mid].key, probe.key, 32);
		if (c < 0 || (c == 0 && v[mid].label < probe.label))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < k->n[kind] && !memcmp(v[lo].key, probe.key, 32) && v[lo].label == label
		   ? &v[lo]
		   : NULL;
}

static const uint8_t *find(const keylog *k, int kind, const uint8_t *key, size_t key_len)
{
	const keylog_entry *e = find_entry(k, kind, key, key_len, 0);
	return e ? e->secret : NULL;
}

const uint8_t *replay_keylog_tls13(const keylog *k, const uint8_t cr[32], enum keylog13_label label,
				   size_t *len)
{
	const keylog_entry *e = find_entry(k, KL_TLS13, cr, 32, (int)label);
	*len = e ? e->len : 0;
	return e ? e->secret : NULL;
}

const uint8_t *replay_keylog_master(const keylog *k, const uint8_t cr[32])
{
	return find(k, KL_MASTER, cr, 32);
}

const uint8_t *replay_keylog_rsa(const keylog *k, const uint8_t head[8])
{
	return find(k, KL_RSA, head, 8);
}

size_t replay_keylog_count(const keylog *k)
{
	return k->n[0] + k->n[1] + k->n[2];
}
