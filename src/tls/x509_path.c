/* Certification path validation (RFC 5280 6.1) for what the web PKI uses,
 * with the CA/Browser Forum's minimums on top: what a browser decides about
 * the server's certificate chain, and why, in one sentence per rule. Every
 * refusal also names the field that decided it, so step 3 can point at it. */
#include "tls/x509.h"

#include "tls/alert.h"
#include "tls/ecdsa.h"
#include "tls/fuzzing.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#define BAD         TLS_FAIL(TLS_ALERT_BAD_CERTIFICATE)
#define UNSUPPORTED TLS_FAIL(TLS_ALERT_UNSUPPORTED_CERTIFICATE)
#define UNKNOWN_CA  TLS_FAIL(TLS_ALERT_UNKNOWN_CA)
#define MAX_PATH    8
#define MAX_CHAIN   64

/* A path from the leaf up: c[0] is the leaf, c[n-1] the anchor, unless the
 * leaf is itself an anchor (n == 1, leaf_is_anchor). */
typedef struct {
	const tls_x509 *c[MAX_PATH + 1];
	size_t n;
	int leaf_is_anchor;
	const tls_x509 *sent; /* what the peer sent, to name fields */
	size_t n_sent;
	tls_x509_verdict *v;
} vpath;

/* Appends to a fixed buffer, cutting what does not fit. */
static void add(char *out, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void add(char *out, size_t n, const char *fmt, ...)
{
	size_t len = strlen(out);
	if (len + 1 >= n)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(out + len, n - len, fmt, ap);
	va_end(ap);
}

/* The name a learner knows the certificate by: its CN, else its first DNS
 * name, else the whole subject. */
static void cert_label(const tls_x509 *c, char *out, size_t n)
{
	const char *cn = NULL;
	if (!strncmp(c->subject, "CN=", 3))
		cn = c->subject + 3;
	else if ((cn = strstr(c->subject, ", CN=")) != NULL)
		cn += 5;
	out[0] = 0;
	if (cn) {
		const char *end = strstr(cn, ", ");
		size_t l = end ? (size_t)(end - cn) : strlen(cn);
		add(out, n, "%.*s", (int)l, cn);
	} else if (c->n_dns) {
		add(out, n, "%s", c->dns[0]);
	} else {
		add(out, n, "'%s'", c->subject);
	}
}

static int was_sent(const vpath *p, const tls_x509 *c)
{
	return p->sent && c >= p->sent && c < p->sent + p->n_sent;
}

/* Records the verdict: the sentence, and "certificate[i].field" when the
 * certificate is one the peer sent. */
static int refuse(vpath *p, int rc, const tls_x509 *c, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static int refuse(vpath *p, int rc, const tls_x509 *c, const char *field, const char *fmt, ...)
{
	tls_x509_verdict *v = p->v;
	if (!v)
		return rc;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(v->why, sizeof v->why, fmt, ap);
	va_end(ap);
	v->field[0] = 0;
	if (c && field && was_sent(p, c))
		snprintf(v->field, sizeof v->field, "certificate[%zu].%s", (size_t)(c - p->sent), field);
	return rc;
}

static int same_der(const tls_x509 *a, const tls_x509 *b)
{
	return a->der_len == b->der_len && !memcmp(a->der, b->der, a->der_len);
}

/* Byte comparison of the Name encodings: what every issuer in practice
 * produces, and far simpler than RFC 5280's string-preparation rules. */
static int issued_by(const tls_x509 *child, const tls_x509 *issuer)
{
	if (!child->der || !issuer->der)
		return 0; /* an entry whose parse failed */
	return issuer->subject_len == child->issuer_len &&
	       !memcmp(issuer->der + issuer->subject_off, child->der + child->issuer_off, child->issuer_len);
}

/* The signature is checked with the issuer's key, and the algorithm must
 * fit that key: an ECDSA signature from an RSA issuer (or the reverse)
 * never verifies. */
static int sig_ok(const tls_x509 *child, const tls_x509 *issuer)
{
	unsigned char h[MAXBLOCKSIZE];
	unsigned long hl = sizeof h;
	int stat = 0, err = CRYPT_ERROR;
	if (child->sig_hash < 0 || !issuer->has_key || child->sig_len == 0 || child->tbs_len == 0)
		return 0;
	if (hash_memory(child->sig_hash, child->der + child->tbs_off, child->tbs_len, h, &hl) != CRYPT_OK)
		return 0;
	const uint8_t *sig = child->der + child->sig_off;
	if (child->sig_kind == TLS_X509_SIG_ECDSA && issuer->key_type == TLS_X509_KEY_EC) {
		if (tls_ecdsa_verify(issuer->ec_curve, &issuer->ec_key, h, hl, sig, child->sig_len) == 0)
			return 1;
	} else if (issuer->key_type == TLS_X509_KEY_RSA &&
	           (child->sig_kind == TLS_X509_SIG_RSA || child->sig_kind == TLS_X509_SIG_PSS)) {
		/* rsa_verify_hash_ex wants a non-const key but only reads it. */
		rsa_key k = issuer->key;
		int pad = child->sig_kind == TLS_X509_SIG_PSS ? LTC_PKCS_1_PSS : LTC_PKCS_1_V1_5;
		err = rsa_verify_hash_ex(sig, child->sig_len, h, hl, pad, child->sig_hash, child->sig_salt,
		                         &stat, &k);
	}
	/* CRYPT_OK only means the computation ran; stat says whether it matched.
	 * A fuzzing build checks but does not insist (src/tls/fuzzing.h). */
	return (err == CRYPT_OK && stat == 1) || tls_fuzzing();
}

static int no_issuer(vpath *p, const tls_x509 *cur, const tls_x509 *bad_issuer)
{
	char who[128];
	cert_label(cur, who, sizeof who);
	if (bad_issuer)
		return refuse(p, BAD, cur, "signatureValue",
		              "the signature on the certificate for %s does not verify with the key of '%s'",
		              who, bad_issuer->subject);
	if (issued_by(cur, cur))
		return refuse(p, UNKNOWN_CA, cur, "issuer",
		              "the certificate for %s is self-signed and not trusted", who);
	return refuse(p, UNKNOWN_CA, cur, "issuer", "issuer '%s' is not trusted", cur->issuer);
}

/* Walks from the leaf to an anchor, taking at each step the first candidate
 * whose name matches and whose key verifies the signature. */
static int build_path(vpath *p, const tls_x509 *chain, size_t n, const tls_x509 *anchors, size_t na)
{
	unsigned char used[MAX_CHAIN] = {0};
	p->n = 1;
	p->c[0] = &chain[0];
	for (size_t a = 0; a < na; a++)
		if (same_der(&chain[0], &anchors[a])) {
			p->leaf_is_anchor = 1;
			return 0;
		}
	for (;;) {
		const tls_x509 *cur = p->c[p->n - 1], *bad = NULL;
		for (size_t a = 0; a < na; a++) {
			if (!issued_by(cur, &anchors[a]))
				continue;
			if (sig_ok(cur, &anchors[a])) {
				p->c[p->n++] = &anchors[a];
				return 0;
			}
			bad = &anchors[a];
		}
		size_t next = 0;
		for (size_t i = 1; i < n && !next; i++) {
			if (used[i] || !issued_by(cur, &chain[i]))
				continue;
			if (sig_ok(cur, &chain[i]))
				next = i;
			else
				bad = &chain[i];
		}
		if (!next)
			return no_issuer(p, cur, bad);
		if (p->n == MAX_PATH)
			return refuse(p, UNKNOWN_CA, NULL, NULL, "no trusted root within %d certificates",
			              MAX_PATH);
		used[next] = 1;
		p->c[p->n++] = &chain[next];
	}
}

/* ---- the rules, each over the whole path -------------------------------- */

static int check_time(vpath *p, int64_t now)
{
	char who[128], t[40];
	for (size_t i = 0; i < p->n; i++) {
		const tls_x509 *c = p->c[i];
		if (now >= c->not_before && now <= c->not_after)
			continue;
		cert_label(c, who, sizeof who);
		if (now < c->not_before) {
			tls_x509_time_str(c->not_before, t, sizeof t);
			return refuse(p, TLS_FAIL(TLS_ALERT_CERTIFICATE_EXPIRED), c, "validity.notBefore",
			              "certificate for %s is not valid until %s", who, t);
		}
		tls_x509_time_str(c->not_after, t, sizeof t);
		return refuse(p, TLS_FAIL(TLS_ALERT_CERTIFICATE_EXPIRED), c, "validity.notAfter",
		              "certificate for %s expired on %s", who, t);
	}
	return 0;
}

static int check_issuers(vpath *p)
{
	for (size_t i = 1; i < p->n; i++) {
		const tls_x509 *c = p->c[i];
		if (!c->is_ca)
			return refuse(
			    p, BAD, c, "extensions.basicConstraints",
			    "issuer '%s' is not a CA (basicConstraints), so it may not sign certificates",
			    c->subject);
		if (c->has_key_usage && !(c->key_usage & TLS_X509_KU_KEY_CERT_SIGN))
			return refuse(
			    p, BAD, c, "extensions.keyUsage",
			    "issuer '%s' lacks keyCertSign in keyUsage, so it may not sign certificates",
			    c->subject);
	}
	return 0;
}

static int check_critical(vpath *p)
{
	char who[128];
	size_t n = p->leaf_is_anchor ? 1 : p->n - 1;
	for (size_t i = 0; i < n; i++) {
		const tls_x509 *c = p->c[i];
		if (!c->unknown_critical[0])
			continue;
		cert_label(c, who, sizeof who);
		return refuse(p, BAD, c, NULL,
		              "certificate for %s has a critical extension tlsstep does not understand (%s)",
		              who, c->unknown_critical);
	}
	return 0;
}

/* CA/Browser Forum Baseline Requirements 6.1.5 and 7.1.3: RSA keys of at
 * least 2048 bits, and no SHA-1 or MD5 in the signatures a CA makes (a
 * root's signature on itself is never checked, so it does not count). */
static int check_minimums(vpath *p)
{
	char who[128];
	for (size_t i = 0; i < p->n; i++) {
		const tls_x509 *c = p->c[i];
		cert_label(c, who, sizeof who);
		if (c->key_type == TLS_X509_KEY_RSA && c->key_bits < TLS_X509_MIN_RSA_BITS)
			return refuse(
			    p, BAD, c, "subjectPublicKeyInfo.modulus",
			    "the certificate for %s has an RSA key of %u bits; browsers require at least %d, "
			    "as smaller keys can be factored",
			    who, c->key_bits, TLS_X509_MIN_RSA_BITS);
		if (c->sig_weak && i + 1 < p->n)
			return refuse(
			    p, BAD, c, "signatureAlgorithm",
			    "the certificate for %s is signed with %s; browsers refuse SHA-1 and MD5 "
			    "signatures, since forged certificates with the same hash have been made",
			    who, c->sig_name);
	}
	return 0;
}

static int self_issued(const tls_x509 *c)
{
	return issued_by(c, c);
}

/* RFC 5280 6.1.4 (l), (m): a CA's pathLenConstraint bounds the CAs that
 * are not self-issued between it and the leaf. */
static int check_path_len(vpath *p)
{
	char who[128];
	for (size_t j = 2; j < p->n; j++) {
		const tls_x509 *ca = p->c[j];
		unsigned below = 0;
		for (size_t k = 1; k < j; k++)
			below += !self_issued(p->c[k]);
		if (!ca->has_path_len || below <= ca->path_len)
			continue;
		cert_label(p->c[1], who, sizeof who);
		if (ca->path_len == 0)
			return refuse(
			    p, BAD, ca, "extensions.basicConstraints",
			    "the CA '%s' may sign only certificates that are not CAs (pathLenConstraint 0), "
			    "yet there is a CA below it (%s)",
			    ca->subject, who);
		return refuse(
		    p, BAD, ca, "extensions.basicConstraints",
		    "the CA '%s' allows at most %u CAs below it (pathLenConstraint), this chain has %u",
		    ca->subject, ca->path_len, below);
	}
	return 0;
}

static int lower(int ch)
{
	return ch >= 'A' && ch <= 'Z' ? ch + ('a' - 'A') : ch;
}

/* Case-insensitive for ASCII only, independent of the locale. */
static int same_ci(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
			return 0;
	return 1;
}

/* RFC 5280 4.2.1.10: "example.com" covers itself and every name under it,
 * ".example.com" only the names under it, "" everything. A wildcard name is
 * compared as written, so "*.example.com" is under example.com. */
static int dns_within(const char *name, const char *base)
{
	size_t nl = strlen(name), bl = strlen(base);
	if (nl && name[nl - 1] == '.')
		nl--;
	if (bl && base[bl - 1] == '.')
		bl--;
	if (bl == 0)
		return 1;
	if (base[0] == '.')
		return nl > bl && same_ci(name + nl - bl, base, bl);
	if (nl == bl)
		return same_ci(name, base, bl);
	return nl > bl && name[nl - bl - 1] == '.' && same_ci(name + nl - bl, base, bl);
}

static int ip_within(const uint8_t *ip, size_t len, const tls_x509_subtree *t)
{
	if (len != t->ip_len)
		return 0;
	for (size_t i = 0; i < len; i++)
		if ((ip[i] & t->mask[i]) != (t->ip[i] & t->mask[i]))
			return 0;
	return 1;
}

static void subtree_str(const tls_x509_subtree *t, char *out, size_t n)
{
	char txt[INET6_ADDRSTRLEN];
	unsigned bits = 0;
	if (!t->is_ip) {
		snprintf(out, n, "%s", t->dns[0] ? t->dns : "(any name)");
		return;
	}
	for (size_t i = 0; i < t->ip_len; i++)
		for (unsigned x = t->mask[i]; x; x &= x - 1)
			bits++;
	inet_ntop(t->ip_len == 4 ? AF_INET : AF_INET6, t->ip, txt, sizeof txt);
	snprintf(out, n, "%s/%u", txt, bits);
}

/* The permitted subtrees of one form, "a, b, c". */
static void permitted_list(const tls_x509 *ca, int is_ip, char *out, size_t n)
{
	char one[64];
	out[0] = 0;
	for (size_t i = 0; i < ca->n_permitted; i++) {
		if (ca->permitted[i].is_ip != is_ip)
			continue;
		subtree_str(&ca->permitted[i], one, sizeof one);
		add(out, n, "%s%s", out[0] ? ", " : "", one);
	}
}

/* The constraint itself, or, when it sits in a root the peer did not send,
 * the names that break it. */
static const char *nc_field(const vpath *p, const tls_x509 *ca)
{
	return was_sent(p, ca) ? "extensions.nameConstraints" : "extensions.subjectAltName";
}

/* One name (dns, or ip of len bytes) against one CA's constraints:
 * excluded first, then, if the CA permits any subtree of the name's form,
 * one of them must hold it. */
static int name_ok(vpath *p, const tls_x509 *ca, const tls_x509 *c, const char *dns, const uint8_t *ip,
                   size_t len)
{
	char who[128], shown[INET6_ADDRSTRLEN], sub[64], list[200];
	int is_ip = dns == NULL, any = 0, in = 0;
	for (size_t i = 0; i < ca->n_excluded; i++) {
		const tls_x509_subtree *t = &ca->excluded[i];
		if (t->is_ip != is_ip || !(is_ip ? ip_within(ip, len, t) : dns_within(dns, t->dns)))
			continue;
		cert_label(c, who, sizeof who);
		subtree_str(t, sub, sizeof sub);
		if (is_ip)
			inet_ntop(len == 4 ? AF_INET : AF_INET6, ip, shown, sizeof shown);
		return refuse(p, BAD, was_sent(p, ca) ? ca : c, nc_field(p, ca),
		              "the CA '%s' may not issue certificates for %s (nameConstraints excludes it), "
		              "but the certificate for %s names %s",
		              ca->subject, sub, who, is_ip ? shown : dns);
	}
	for (size_t i = 0; i < ca->n_permitted; i++) {
		const tls_x509_subtree *t = &ca->permitted[i];
		if (t->is_ip != is_ip)
			continue;
		any = 1;
		in |= is_ip ? ip_within(ip, len, t) : dns_within(dns, t->dns);
	}
	if (!any || in)
		return 0;
	cert_label(c, who, sizeof who);
	permitted_list(ca, is_ip, list, sizeof list);
	if (is_ip)
		inet_ntop(len == 4 ? AF_INET : AF_INET6, ip, shown, sizeof shown);
	return refuse(
	    p, BAD, was_sent(p, ca) ? ca : c, nc_field(p, ca),
	    "the CA '%s' may only issue certificates for %s %s (nameConstraints), but the certificate "
	    "for %s names %s",
	    ca->subject, is_ip ? "addresses in" : "names under", list, who, is_ip ? shown : dns);
}

/* RFC 5280 6.1.3 (b), (c): every certificate below a CA (self-issued
 * intermediates excepted) must fit that CA's constraints. Only the
 * subjectAltName's dNSName and iPAddress entries are checked: tlsstep never
 * uses the subject's CN as a name. */
static int check_names(vpath *p)
{
	int rc;
	for (size_t j = 1; j < p->n; j++) {
		const tls_x509 *ca = p->c[j];
		if (!ca->has_name_constraints)
			continue;
		for (size_t k = 0; k < j; k++) {
			const tls_x509 *c = p->c[k];
			if (k > 0 && self_issued(c))
				continue;
			for (size_t i = 0; i < c->n_dns; i++)
				if ((rc = name_ok(p, ca, c, c->dns[i], NULL, 0)) != 0)
					return rc;
			for (size_t i = 0; i < c->n_ip; i++)
				if ((rc = name_ok(p, ca, c, NULL, c->ip[i], c->ip_len[i])) != 0)
					return rc;
		}
	}
	return 0;
}

/* extendedKeyUsage, where present, must list the purpose on every
 * certificate of the path, CAs included (as browsers and OpenSSL ask:
 * a CA restricted to client certificates cannot vouch for a server).
 * anyExtendedKeyUsage is not enough for TLS, as in OpenSSL. */
static int check_purpose(vpath *p, int purpose)
{
	char who[128];
	if (purpose == TLS_X509_PURPOSE_ANY)
		return 0;
	unsigned want = purpose == TLS_X509_PURPOSE_SERVER ? TLS_X509_EKU_SERVER : TLS_X509_EKU_CLIENT;
	const char *what = purpose == TLS_X509_PURPOSE_SERVER ? "serverAuth" : "clientAuth";
	const char *role = purpose == TLS_X509_PURPOSE_SERVER ? "a TLS server" : "a TLS client";
	for (size_t i = 0; i < p->n; i++) {
		const tls_x509 *c = p->c[i];
		if (!c->has_eku || (c->eku & want))
			continue;
		cert_label(c, who, sizeof who);
		if (i == 0)
			return refuse(
			    p, UNSUPPORTED, c, "extensions.extKeyUsage",
			    "the certificate for %s was issued for other purposes (extendedKeyUsage lacks "
			    "%s), so it may not identify %s",
			    who, what, role);
		return refuse(
		    p, UNSUPPORTED, c, "extensions.extKeyUsage",
		    "the CA '%s' may only vouch for other purposes (extendedKeyUsage lacks %s), so no "
		    "certificate below it may identify %s",
		    c->subject, what, role);
	}
	return 0;
}

static int check_key_usage(vpath *p, unsigned need, int purpose)
{
	const tls_x509 *c = p->c[0];
	char who[128];
	const unsigned tls_uses = TLS_X509_KU_DIGITAL_SIGNATURE | TLS_X509_KU_KEY_ENCIPHERMENT | (1u << 4);
	if (!c->has_key_usage)
		return 0;
	cert_label(c, who, sizeof who);
	/* Whatever the key exchange, a TLS key signs, encrypts or agrees. */
	if (purpose != TLS_X509_PURPOSE_ANY && !(c->key_usage & tls_uses))
		return refuse(p, UNSUPPORTED, c, "extensions.keyUsage",
		              "the key of the certificate for %s may neither sign, encrypt nor agree on keys "
		              "(keyUsage), so it cannot serve in TLS",
		              who);
	if ((c->key_usage & need) == need)
		return 0;
	if (need & TLS_X509_KU_KEY_ENCIPHERMENT)
		return refuse(
		    p, UNSUPPORTED, c, "extensions.keyUsage",
		    "the key of the certificate for %s may not encrypt (keyUsage lacks keyEncipherment), "
		    "and RSA key exchange encrypts the premaster secret to it",
		    who);
	return refuse(
	    p, UNSUPPORTED, c, "extensions.keyUsage",
	    "the key of the certificate for %s may not sign (keyUsage lacks digitalSignature), and %s", who,
	    purpose == TLS_X509_PURPOSE_CLIENT ? "the client signs the CertificateVerify with it"
	                                       : "this key exchange has the server sign its ephemeral key");
}

int tls_x509_name_match(const char *pattern, const char *host)
{
	if (!pattern || !host)
		return 0;
	size_t pl = strlen(pattern), hl = strlen(host);
	if (hl && host[hl - 1] == '.')
		hl--;
	if (pl && pattern[pl - 1] == '.')
		pl--;
	if (pl == 0 || hl == 0 || memchr(host, '*', hl))
		return 0;
	if (pl > 2 && pattern[0] == '*' && pattern[1] == '.') {
		const char *suffix = pattern + 1; /* ".example.com" */
		size_t sl = pl - 1;
		/* "*.com" would cover a whole top-level domain. */
		if (!memchr(suffix + 1, '.', sl - 1) || memchr(suffix, '*', sl))
			return 0;
		const char *dot = memchr(host, '.', hl);
		if (!dot || dot == host)
			return 0;
		size_t rest = hl - (size_t)(dot - host);
		return rest == sl && same_ci(dot, suffix, sl);
	}
	if (memchr(pattern, '*', pl))
		return 0; /* partial-label wildcards ("f*.example.com") are not honoured */
	return pl == hl && same_ci(pattern, host, pl);
}

static void list_names(const tls_x509 *c, char *out, size_t n)
{
	char txt[INET6_ADDRSTRLEN];
	out[0] = 0;
	for (size_t i = 0; i < c->n_dns; i++)
		add(out, n, "%s%s", out[0] ? ", " : "", c->dns[i]);
	for (size_t i = 0; i < c->n_ip; i++) {
		inet_ntop(c->ip_len[i] == 4 ? AF_INET : AF_INET6, c->ip[i], txt, sizeof txt);
		add(out, n, "%s%s", out[0] ? ", " : "", txt);
	}
	if (!out[0])
		add(out, n, "(none: it has no subjectAltName)");
}

/* IP literals match iPAddress entries only and names match dNSName entries
 * only, as RFC 6125 asks; the subject CN is never consulted. */
static int check_host(vpath *p, const char *host)
{
	const tls_x509 *c = p->c[0];
	uint8_t ip[16];
	char names[512], lit[INET6_ADDRSTRLEN + 2];
	size_t ipl = 0;
	size_t hl = strlen(host);
	/* "[::1]" is how URLs write IPv6 literals. */
	if (hl > 2 && hl < sizeof lit && host[0] == '[' && host[hl - 1] == ']') {
		snprintf(lit, sizeof lit, "%.*s", (int)(hl - 2), host + 1);
		if (inet_pton(AF_INET6, lit, ip) == 1)
			ipl = 16;
	} else if (inet_pton(AF_INET, host, ip) == 1) {
		ipl = 4;
	} else if (inet_pton(AF_INET6, host, ip) == 1) {
		ipl = 16;
	}
	for (size_t i = 0; ipl && i < c->n_ip; i++)
		if (c->ip_len[i] == ipl && !memcmp(c->ip[i], ip, ipl))
			return 0;
	for (size_t i = 0; !ipl && i < c->n_dns; i++)
		if (tls_x509_name_match(c->dns[i], host))
			return 0;
	list_names(c, names, sizeof names);
	return refuse(p, BAD, c, c->n_dns || c->n_ip ? "extensions.subjectAltName" : "subject",
	              "%s '%s' is not among the certificate's names: %s", ipl ? "IP address" : "host name",
	              host, names);
}

int tls_x509_verify(const tls_x509 *chain, size_t n, const tls_x509 *anchors, size_t n_anchors,
                    const tls_x509_policy *pol, tls_x509_verdict *v)
{
	vpath p = {.sent = chain, .n_sent = n, .v = v};
	tls_x509_policy none = {0};
	int rc;
	if (!pol)
		pol = &none;
	if (v)
		v->why[0] = v->field[0] = 0;
	if (!chain || n == 0 || !chain[0].der)
		return refuse(&p, BAD, NULL, NULL, "the peer sent no certificate");
	if (n > MAX_CHAIN)
		return refuse(&p, BAD, NULL, NULL,
		              "the peer sent %zu certificates; tlsstep accepts at most %d", n, MAX_CHAIN);
	if (!anchors)
		n_anchors = 0;
	if ((rc = build_path(&p, chain, n, anchors, n_anchors)) != 0 || (rc = check_time(&p, pol->now)) != 0)
		return rc;
	if (!p.leaf_is_anchor &&
	    ((rc = check_issuers(&p)) != 0 || (rc = check_critical(&p)) != 0 ||
	     (rc = check_minimums(&p)) != 0 || (rc = check_path_len(&p)) != 0 ||
	     (rc = check_names(&p)) != 0 || (rc = check_purpose(&p, pol->purpose)) != 0 ||
	     (rc = check_key_usage(&p, pol->leaf_key_usage, pol->purpose)) != 0))
		return rc;
	if (p.leaf_is_anchor && (rc = check_critical(&p)) != 0)
		return rc;
	if (pol->host && (rc = check_host(&p, pol->host)) != 0)
		return rc;
	return 0;
}

int tls_x509_verify_chain(const tls_x509 *chain, size_t n, const tls_x509 *anchors, size_t n_anchors,
                          int64_t now, const char *host, char *why, size_t why_len)
{
	tls_x509_policy pol = {.now = now, .host = host};
	tls_x509_verdict v;
	int rc = tls_x509_verify(chain, n, anchors, n_anchors, &pol, &v);
	if (why && why_len)
		snprintf(why, why_len, "%s", v.why);
	return rc;
}
