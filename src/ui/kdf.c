/* openssl kdf command lines for the TLS 1.2 PRF (RFC 5246 5, 8.1, 6.3, 7.4.9).
 * OpenSSL's TLS1-PRF joins every seed option in order, so the label goes in
 * as text and the values as hex, as the RFC writes the formula. */
#include "ui/kdf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *digest(const model *m)
{
	if (m->version == 0x0301 || m->version == 0x0302)
		return "MD5-SHA1";
	return m->prf_sha384 ? "SHA384" : "SHA256";
}

static void hex(FILE *f, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%02x", p[i]);
}

/* One command: PRF(secret, label, seed1 + seed2)[0..keylen-1]. */
static int add(kdf_cmds *c, const model *m, const char *what, const uint8_t *secret, size_t slen,
               const char *label, const model_value *s1, const model_value *s2, const uint8_t *expect,
               size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return -1;
	fprintf(f, "openssl kdf -keylen %zu -kdfopt digest:%s -kdfopt hexsecret:", n, digest(m));
	hex(f, secret, slen);
	fprintf(f, " -kdfopt 'seed:%s' -kdfopt hexseed:", label);
	hex(f, s1->v, s1->len);
	if (s2) {
		fprintf(f, " -kdfopt hexseed:");
		hex(f, s2->v, s2->len);
	}
	fprintf(f, " TLS1-PRF");
	if (fclose(f)) {
		free(buf);
		return -1;
	}
	kdf_cmd *k = &c->v[c->n++];
	k->what = what;
	k->cmd = buf;
	k->expect = expect;
	k->expect_len = n;
	return 0;
}

int kdf_commands(const model *m, kdf_cmds *out)
{
	memset(out, 0, sizeof *out);
	const model_value *s = m->secrets;
	if (!s[MS_MASTER].known || !s[MS_CLIENT_RANDOM].known || !s[MS_SERVER_RANDOM].known)
		return 0;
	const model_long_value *pf = &m->premaster_full;
	const uint8_t *pm = pf->len > s[MS_PREMASTER].len ? pf->v : s[MS_PREMASTER].v;
	size_t pml = pf->len > s[MS_PREMASTER].len ? pf->len : s[MS_PREMASTER].len;
	const model_value *ms = &s[MS_MASTER];
	int r = 0;
	if (s[MS_PREMASTER].known && pml && !m->resumed) {
		if (m->ems && m->session_hash.known)
			r = add(out, m, "master_secret", pm, pml, "extended master secret", &m->session_hash,
			        NULL, ms->v, ms->len);
		else if (!m->ems)
			r = add(out, m, "master_secret", pm, pml, "master secret", &s[MS_CLIENT_RANDOM],
			        &s[MS_SERVER_RANDOM], ms->v, ms->len);
	}
	if (!r && m->key_block_len)
		r = add(out, m, "key_block", ms->v, ms->len, "key expansion", &s[MS_SERVER_RANDOM],
		        &s[MS_CLIENT_RANDOM], m->key_block, m->key_block_len);
	for (int side = 0; side < 2 && !r; side++) {
		const model_value *vd = &s[side ? MS_SERVER_VERIFY : MS_CLIENT_VERIFY];
		if (vd->known && m->finished_hash[side].known)
			r = add(out, m, side ? "server verify_data" : "client verify_data", ms->v, ms->len,
			        side ? "server finished" : "client finished", &m->finished_hash[side], NULL,
			        vd->v, vd->len);
	}
	if (r)
		kdf_cmds_free(out);
	return r;
}

void kdf_cmds_free(kdf_cmds *c)
{
	for (int i = 0; i < c->n; i++)
		free(c->v[i].cmd);
	memset(c, 0, sizeof *c);
}
