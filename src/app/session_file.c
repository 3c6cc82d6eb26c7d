/* The session file of connect --sess-out / --sess-in (format in
 * session_file.h). Reading is strict: the file comes from outside, and a
 * wrong value would be offered to a server as a secret. */
#include "app/session_file.h"

#include "app/files.h"
#include "tls/crypto.h"
#include "tls/suites.h"
#include "tls/tls13.h"
#include "tls/tls13_keys.h"

#include <tomcrypt.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define MAGIC    "tlsstep-session"
#define FORMAT   1
#define FILE_MAX 65536 /* a ticket of 2,048 bytes is 4 KiB of hex */

enum { V12 = 1, V13 = 2 };

/* ---- values ---------------------------------------------------------- */

static int nibble(char c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
	                              : -1;
}

/* Hex digits, min to max bytes' worth, into out. */
static int hexval(const char *v, uint8_t *out, size_t min, size_t max, size_t *len)
{
	size_t n = strlen(v);
	if (n % 2 || n / 2 < min || n / 2 > max)
		return -1;
	for (size_t i = 0; i < n / 2; i++) {
		int hi = nibble(v[2 * i]), lo = nibble(v[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	*len = n / 2;
	return 0;
}

/* A decimal number from lo to hi, digits only. */
static int num(const char *v, uint64_t lo, uint64_t hi, uint64_t *out)
{
	if (!*v || strlen(v) > 19 || strspn(v, "0123456789") != strlen(v))
		return -1;
	*out = strtoull(v, NULL, 10);
	return *out < lo || *out > hi ? -1 : 0;
}

static int u32val(const char *v, uint64_t lo, uint64_t hi, uint32_t *out)
{
	uint64_t x;
	if (num(v, lo, hi, &x))
		return -1;
	*out = (uint32_t)x;
	return 0;
}

/* ---- the keys: one row each --------------------------------------------- */

static int f_name(app_session *a, const char *v)
{
	size_t n = strlen(v);
	if (!n || n >= sizeof a->server_name)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (v[i] <= ' ' || v[i] > '~')
			return -1;
	memcpy(a->server_name, v, n + 1);
	return 0;
}

static int f_suite(app_session *a, const char *v)
{
	uint8_t b[2];
	size_t n;
	if (hexval(v, b, 2, 2, &n) || !tls_suite_by_id((uint16_t)(b[0] << 8 | b[1])))
		return -1;
	a->s.suite = (uint16_t)(b[0] << 8 | b[1]);
	return 0;
}

static int f_received(app_session *a, const char *v)
{
	uint64_t x;
	if (num(v, 1, INT64_MAX, &x))
		return -1;
	a->s.issued = (int64_t)x;
	return 0;
}

static int f_ticket(app_session *a, const char *v)
{
	return hexval(v, a->s.ticket, 1, TLS13_TICKET_MAX, &a->s.ticket_len);
}
static int f_lifetime(app_session *a, const char *v)
{
	return u32val(v, 1, 604800, &a->s.lifetime);
}
static int f_age_add(app_session *a, const char *v)
{
	return u32val(v, 0, UINT32_MAX, &a->s.age_add);
}
static int f_nonce(app_session *a, const char *v)
{
	return hexval(v, a->s.nonce, 0, 255, &a->s.nonce_len);
}
static int f_early(app_session *a, const char *v)
{
	return u32val(v, 0, UINT32_MAX, &a->s.max_early_data);
}
static int f_psk(app_session *a, const char *v)
{
	return hexval(v, a->s.psk, 32, 48, &a->s.psk_len);
}
static int f_rms(app_session *a, const char *v)
{
	return hexval(v, a->res_master, 32, 48, &a->res_master_len);
}
static int f_id(app_session *a, const char *v)
{
	return hexval(v, a->s.id, 1, 32, &a->s.id_len);
}

static int f_master(app_session *a, const char *v)
{
	size_t n;
	return hexval(v, a->s.master, 48, 48, &n);
}

static int flag(const char *v, int *out)
{
	if (strcmp(v, "0") && strcmp(v, "1"))
		return -1;
	*out = v[0] == '1';
	return 0;
}
static int f_ems(app_session *a, const char *v)
{
	return flag(v, &a->s.ems);
}
static int f_etm(app_session *a, const char *v)
{
	return flag(v, &a->s.etm);
}

typedef struct {
	const char *key;
	int versions; /* V12, V13 or both */
	int optional;
	int (*set)(app_session *a, const char *v);
	const char *want; /* what a good value is, for the error */
} field;

static const field fields[] = {
    {"server_name", V12 | V13, 0, f_name, "a host name"},
    {"cipher_suite", V12 | V13, 0, f_suite, "a cipher suite tlsstep knows, 4 hex digits"},
    {"received", V12 | V13, 0, f_received, "Unix seconds"},
    {"ticket", V13, 0, f_ticket, "hex, 1 to 2048 bytes"},
    {"ticket_lifetime", V13, 0, f_lifetime, "seconds, 1 to 604800"},
    {"ticket_age_add", V13, 0, f_age_add, "a number below 2^32"},
    {"ticket_nonce", V13, 0, f_nonce, "hex, at most 255 bytes"},
    {"max_early_data", V13, 0, f_early, "a number below 2^32"},
    {"resumption_master_secret", V13, 1, f_rms, "hex, 32 or 48 bytes"},
    {"psk", V13, 0, f_psk, "hex, 32 or 48 bytes"},
    {"session_id", V12, 0, f_id, "hex, 1 to 32 bytes"},
    {"master_secret", V12, 0, f_master, "hex, 48 bytes"},
    {"extended_master_secret", V12, 0, f_ems, "0 or 1"},
    {"encrypt_then_mac", V12, 0, f_etm, "0 or 1"},
};
#define N_FIELDS (sizeof fields / sizeof fields[0])

static int field_index(const char *key)
{
	for (size_t i = 0; i < N_FIELDS; i++)
		if (!strcmp(fields[i].key, key))
			return (int)i;
	return -1;
}

/* ---- reading ---------------------------------------------------------- */

typedef struct {
	char *val[N_FIELDS];
	int line[N_FIELDS];
	char *version;
	int version_line;
} lines;

static int first_line(const char *l, const char *path, char *err, size_t errlen)
{
	if (!strcmp(l, MAGIC " 1"))
		return 0;
	if (!strncmp(l, MAGIC " ", sizeof MAGIC))
		snprintf(err, errlen, "%s: session file format '%.20s'; this tlsstep reads format %d", path,
		         l + sizeof MAGIC, FORMAT);
	else if (!strncmp(l, "-----BEGIN SSL SESSION", 22))
		snprintf(err, errlen, "%s: an OpenSSL session (-sess_out), not a tlsstep session file", path);
	else
		snprintf(err, errlen, "%s: not a tlsstep session file (the first line is not '" MAGIC " 1')",
		         path);
	return -1;
}

/* One "key=value" line into ls; blank lines and comments pass. */
static int one_line(lines *ls, char *l, int no, const char *path, char *err, size_t errlen)
{
	size_t n = strlen(l);
	while (n && (l[n - 1] == ' ' || l[n - 1] == '\t' || l[n - 1] == '\r'))
		l[--n] = 0;
	if (!n || l[0] == '#')
		return 0;
	char *eq = strchr(l, '=');
	if (!eq) {
		snprintf(err, errlen, "%s: line %d: not key=value", path, no);
		return -1;
	}
	*eq = 0;
	int i = strcmp(l, "version") ? field_index(l) : (int)N_FIELDS;
	char **slot = i == (int)N_FIELDS ? &ls->version : i >= 0 ? &ls->val[i] : NULL;
	if (!slot) {
		snprintf(err, errlen, "%s: line %d: unknown key '%.40s'", path, no, l);
		return -1;
	}
	if (*slot) {
		snprintf(err, errlen, "%s: line %d: %s given twice", path, no, l);
		return -1;
	}
	*slot = eq + 1;
	if (i == (int)N_FIELDS)
		ls->version_line = no;
	else
		ls->line[i] = no;
	return 0;
}

static int split(char *text, lines *ls, const char *path, char *err, size_t errlen)
{
	int no = 0;
	for (char *p = text, *nl; p && *p; p = nl) {
		nl = strchr(p, '\n');
		if (nl)
			*nl++ = 0;
		no++;
		if (no == 1 ? first_line(p, path, err, errlen) : one_line(ls, p, no, path, err, errlen))
			return -1;
	}
	if (!no)
		return first_line("", path, err, errlen);
	return 0;
}

/* What the fields say together: the suite and the secrets fit the version. */
static int consistent(app_session *a, int v, const char *path, char *err, size_t errlen)
{
	const tls_suite *su = tls_suite_by_id(a->s.suite);
	if (!!su->tls13 != (v == V13)) {
		snprintf(err, errlen, "%s: cipher_suite %04x is %s TLS 1.3 suite, and the session is TLS %s",
		         path, a->s.suite, su->tls13 ? "a" : "not a", v == V13 ? "1.3" : "1.2");
		return -1;
	}
	if (v == V12)
		return 0;
	size_t hl = su->prf == TLS_PRF_SHA384 ? 48 : 32;
	if (a->s.psk_len != hl || (a->res_master_len && a->res_master_len != hl)) {
		snprintf(err, errlen, "%s: the psk is %zu bytes; %s hashes with %s, %zu bytes", path,
		         a->s.psk_len, tls_suite_iana_name(a->s.suite), hl == 48 ? "SHA-384" : "SHA-256", hl);
		return -1;
	}
	uint8_t psk[TLS13_HASH_MAX];
	if (a->res_master_len && (tls13_resumption_psk(tls_suite_prf_hash(su), a->res_master, hl, a->s.nonce,
	                                               a->s.nonce_len, psk) ||
	                          mem_neq(psk, a->s.psk, hl))) {
		snprintf(err, errlen,
		         "%s: the psk is not HKDF-Expand-Label(resumption_master_secret, \"resumption\", "
		         "ticket_nonce): the file was altered",
		         path);
		return -1;
	}
	return 0;
}

static int fill(const lines *ls, app_session *a, const char *path, char *err, size_t errlen)
{
	if (!ls->version) {
		snprintf(err, errlen, "%s: incomplete (truncated?): no version= line", path);
		return -1;
	}
	int v = !strcmp(ls->version, "1.3") ? V13 : !strcmp(ls->version, "1.2") ? V12 : 0;
	if (!v) {
		snprintf(err, errlen, "%s: line %d: version must be 1.2 or 1.3, not '%.20s'", path,
		         ls->version_line, ls->version);
		return -1;
	}
	for (size_t i = 0; i < N_FIELDS; i++) {
		const field *f = &fields[i];
		if (ls->val[i] && !(f->versions & v)) {
			snprintf(err, errlen, "%s: line %d: %s has no place in a TLS %s session", path,
			         ls->line[i], f->key, v == V13 ? "1.3" : "1.2");
			return -1;
		}
		if (!ls->val[i] && (f->versions & v) && !f->optional) {
			snprintf(err, errlen, "%s: incomplete (truncated?): no %s= line", path, f->key);
			return -1;
		}
		if (ls->val[i] && f->set(a, ls->val[i])) {
			snprintf(err, errlen, "%s: line %d: %s must be %s", path, ls->line[i], f->key,
			         f->want);
			return -1;
		}
	}
	a->s.valid = 1;
	a->s.version = v == V13 ? TLS_VERSION_13 : 0;
	return consistent(a, v, path, err, errlen);
}

int app_session_parse(const char *text, size_t len, const char *path, app_session *out, char *err,
                      size_t errlen)
{
	memset(out, 0, sizeof *out);
	if (memchr(text, 0, len)) {
		snprintf(err, errlen, "%s: not a tlsstep session file (binary data)", path);
		return -1;
	}
	char *copy = malloc(len + 1);
	if (!copy) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	memcpy(copy, text, len);
	copy[len] = 0;
	lines ls = {0};
	int rc = split(copy, &ls, path, err, errlen) || fill(&ls, out, path, err, errlen) ? -1 : 0;
	tls_wipe(copy, len);
	free(copy);
	if (rc)
		tls_session_wipe(&out->s);
	return rc;
}

int app_session_read(const char *path, app_session *out, char *err, size_t errlen)
{
	tls_buf b = {0};
	int rc = app_file_read(path, FILE_MAX, &b, err, errlen);
	if (!rc)
		rc = app_session_parse((const char *)b.p, b.len, path, out, err, errlen);
	if (b.p)
		tls_wipe(b.p, b.len);
	tls_buf_free(&b);
	return rc;
}

/* ---- checking it against this connection -------------------------------- */

static void iso(char *out, size_t n, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!gmtime_r(&tt, &tm) || !strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(out, n, "%" PRId64, t);
}

static int suite_offered(const app_session_want *w, uint16_t id)
{
	for (size_t i = 0; i < w->n_suites; i++)
		if (w->suites[i] == id)
			return 1;
	return 0;
}

int app_session_check(const app_session *a, const char *path, const app_session_want *w, char *err,
                      size_t errlen)
{
	int v13 = a->s.version == TLS_VERSION_13;
	if (v13 ? !w->offer13 : !w->offer12) {
		snprintf(err, errlen, "%s holds a TLS %s session, and this connect does not offer TLS %s%s",
		         path, v13 ? "1.3" : "1.2", v13 ? "1.3" : "1.2", v13 ? " (drop --tls 1.2)" : " (drop --tls 1.3)");
		return -1;
	}
	/* RFC 8446 4.6.1, RFC 6066 3: resume only with the server name the
	 * session was made with. */
	if (strcasecmp(a->server_name, w->server_name)) {
		snprintf(err, errlen,
		         "%s is a session with %s, not %s: a session is offered only to the server name it "
		         "was made with",
		         path, a->server_name, w->server_name);
		return -1;
	}
	if (v13 && w->now >= a->s.issued + (int64_t)a->s.lifetime) {
		char at[32], got[32];
		iso(at, sizeof at, a->s.issued + (int64_t)a->s.lifetime);
		iso(got, sizeof got, a->s.issued);
		snprintf(err, errlen,
		         "%s: the ticket expired at %s (received %s, lifetime %" PRIu32 " seconds)", path, at,
		         got, a->s.lifetime);
		return -1;
	}
	if (!v13 && !suite_offered(w, a->s.suite)) {
		snprintf(err, errlen,
		         "%s: the session's cipher suite %s is not among those offered (--cipher)", path,
		         tls_suite_iana_name(a->s.suite));
		return -1;
	}
	return 0;
}

/* ---- writing ------------------------------------------------------------ */

static void put_hex(FILE *f, const char *key, const uint8_t *p, size_t n)
{
	fprintf(f, "%s=", key);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%02x", p[i]);
	fputc('\n', f);
}

static void put_all(FILE *f, const app_session *a)
{
	const tls_session *s = &a->s;
	int v13 = s->version == TLS_VERSION_13;
	fprintf(f,
	        MAGIC
	        " %d\n# written by tlsstep connect --sess-out; offer it with --sess-in.\n"
	        "# It holds a secret (%s): anyone with this file can resume the session. Keep it private.\n",
	        FORMAT, v13 ? "psk" : "master_secret");
	fprintf(f, "version=%s\nserver_name=%s\ncipher_suite=%04x\nreceived=%" PRId64 "\n",
	        v13 ? "1.3" : "1.2", a->server_name, s->suite, s->issued);
	if (!v13) {
		put_hex(f, "session_id", s->id, s->id_len);
		put_hex(f, "master_secret", s->master, 48);
		fprintf(f, "extended_master_secret=%d\nencrypt_then_mac=%d\n", !!s->ems, !!s->etm);
		return;
	}
	put_hex(f, "ticket", s->ticket, s->ticket_len);
	fprintf(f, "ticket_lifetime=%" PRIu32 "\nticket_age_add=%" PRIu32 "\n", s->lifetime, s->age_add);
	put_hex(f, "ticket_nonce", s->nonce, s->nonce_len);
	fprintf(f, "max_early_data=%" PRIu32 "\n", s->max_early_data);
	if (a->res_master_len)
		put_hex(f, "resumption_master_secret", a->res_master, a->res_master_len);
	put_hex(f, "psk", s->psk, s->psk_len);
}

int app_session_write(const char *path, const app_session *a, char *err, size_t errlen)
{
	size_t n = strlen(path);
	char *tmp = malloc(n + 8);
	if (!tmp) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	memcpy(tmp, path, n);
	memcpy(tmp + n, ".XXXXXX", 8);
	int fd = mkstemp(tmp); /* mode 0600 */
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	int rc = -1;
	if (f) {
		put_all(f, a);
		rc = fflush(f) || fsync(fd) ? -1 : 0;
		rc = fclose(f) || rc ? -1 : 0;
		if (!rc)
			rc = rename(tmp, path);
	} else if (fd >= 0) {
		close(fd);
	}
	if (rc) {
		snprintf(err, errlen, "cannot write the session to %s: %s", path, strerror(errno));
		if (fd >= 0)
			unlink(tmp);
	}
	free(tmp);
	return rc;
}

/* ---- connect's use of it ------------------------------------------------ */

int app_session_load(const char *path, const app_session_want *w, app_session *a, char *err, size_t errlen)
{
	if (app_session_read(path, a, err, errlen) || app_session_check(a, path, w, err, errlen)) {
		tls_session_wipe(&a->s);
		return -1;
	}
	return 0;
}

int app_session_save(const char *path, const tls_conn *c, const char *server_name, int64_t now, char *err,
                     size_t errlen)
{
	app_session a;
	memset(&a, 0, sizeof a);
	const tls_knowledge *k = tls_conn_knowledge(c);
	if (tls_conn_session(c, &a.s)) {
		snprintf(err, errlen, "%s not written: %s", path,
		         k->tls13.active ? "the server sent no NewSessionTicket (it offers no resumption)"
		                         : "the server gave no session ID (it offers no resumption)");
		return -1;
	}
	if (!a.s.issued)
		a.s.issued = now; /* a TLS 1.2 session: when this handshake ended */
	snprintf(a.server_name, sizeof a.server_name, "%s", server_name);
	const tls13_step *rms = a.s.version == TLS_VERSION_13
	                            ? tls13_sched_find(&k->tls13.sched, "resumption_master_secret")
	                            : NULL;
	if (rms && rms->len == a.s.psk_len) {
		memcpy(a.res_master, rms->value, rms->len);
		a.res_master_len = rms->len;
	}
	int rc = app_session_write(path, &a, err, errlen);
	tls_session_wipe(&a.s);
	tls_wipe(a.res_master, sizeof a.res_master);
	return rc;
}

void app_session_report(const char *path, const tls_knowledge *k, char *out, size_t n)
{
	if (k->resumed)
		snprintf(out, n, "resumed the session of %s (%s)", path,
		         k->tls13.active ? "TLS 1.3, its ticket as a pre-shared key"
		                         : "TLS 1.2, by session ID");
	else
		snprintf(out, n, "the server did not resume the session of %s: this was a full handshake",
		         path);
}
