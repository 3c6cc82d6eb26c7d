#include "model/choice.h"

#include "tls/msg.h"
#include "tls/tls13.h"

#include <stdio.h>
#include <string.h>

static uint16_t u16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static const tls_ext *find(const tls_ext *e, size_t n, uint16_t type)
{
	for (size_t i = 0; i < n; i++)
		if (e[i].type == type)
			return &e[i];
	return NULL;
}

/* RFC 8701 GREASE values (0x0a0a, 0x1a1a, ... 0xfafa): a browser lists one
 * so servers learn to ignore what they do not know; nothing is chosen
 * from them, so the lists here leave them out. */
static int grease(uint16_t v)
{
	return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

/* Not a cipher suite either: the signalling values of RFC 5746 3.3
 * (TLS_EMPTY_RENEGOTIATION_INFO_SCSV) and RFC 7507 (TLS_FALLBACK_SCSV)
 * ride in the list but name nothing a server could choose. */
static int not_a_suite(uint16_t v)
{
	return grease(v) || v == 0x00ff || v == 0x5600;
}

static void client_side(const tls_client_hello *ch, model_choice *c)
{
	const tls_ext *sv = find(ch->exts, ch->n_exts, TLS_EXT_SUPPORTED_VERSIONS);
	c->client_sv = sv && sv->len >= 1 && sv->data[0] == sv->len - 1;
	for (size_t i = 1; c->client_sv && i + 1 < sv->len && c->n_versions < 8; i += 2)
		if (!grease(u16(sv->data + i)))
			c->versions[c->n_versions++] = u16(sv->data + i);
	if (!c->client_sv)
		c->versions[c->n_versions++] = ch->version;
	for (size_t i = 0; i < ch->n_suites; i++)
		c->n_suites += !not_a_suite(ch->suites[i]);
	for (size_t i = 0; i < ch->n_groups && i < 32; i++)
		if (!grease(ch->groups[i]))
			c->groups[c->n_groups++] = ch->groups[i];
	/* key_share: client_shares<2..>, each group(2) key_exchange<1..2^16-1> */
	const tls_ext *ks = find(ch->exts, ch->n_exts, TLS_EXT_KEY_SHARE);
	for (size_t i = 2; ks && i + 4 <= ks->len && c->n_shares < 8; i += 4 + u16(ks->data + i + 2))
		if (!grease(u16(ks->data + i)))
			c->shares[c->n_shares++] = u16(ks->data + i);
}

static void server_side(const tls_server_hello *sh, const tls_client_hello *ch, model_choice *c)
{
	const tls_ext *sv = find(sh->exts, sh->n_exts, TLS_EXT_SUPPORTED_VERSIONS);
	c->has_server_hello = 1;
	c->server_sv = sv && sv->len == 2;
	c->version = c->server_sv ? u16(sv->data) : sh->version;
	c->suite = sh->suite;
	for (size_t i = 0, k = 0; i < ch->n_suites && !c->suite_rank; i++) {
		k += !not_a_suite(ch->suites[i]);
		if (ch->suites[i] == sh->suite)
			c->suite_rank = k;
	}
	/* the last byte is 01 for TLS 1.2, 00 for older versions */
	c->downgrade = !memcmp(sh->random + 24, tls13_downgrade_12, 7) && sh->random[31] <= 1;
}

int model_choice_read(const model *m, model_choice *c)
{
	tls_client_hello ch;
	tls_server_hello sh;
	memset(c, 0, sizeof *c);
	const model_msg *g = model_find_msg(m, 1, MODEL_MSG_CLIENT_HELLO, 0);
	if (!g || g->bytes.len < 4 || tls_client_hello_decode(g->bytes.p + 4, g->bytes.len - 4, &ch, NULL))
		return 0;
	c->has_client_hello = 1;
	client_side(&ch, c);
	const model_msg *s = model_find_msg(m, 2, MODEL_MSG_SERVER_HELLO, 1);
	if (s && s->bytes.len >= 4 && !tls_server_hello_decode(s->bytes.p + 4, s->bytes.len - 4, &sh, NULL))
		server_side(&sh, &ch, c);
	return 1;
}

static void join(char *out, size_t n, size_t i, size_t k, const char *name, const char *last_sep)
{
	size_t o = strlen(out);
	snprintf(out + o, n - o, "%s%s", i == 0 ? "" : i + 1 == k ? last_sep : ", ", name);
}

void model_choice_versions(const model_choice *c, char *out, size_t n)
{
	char other[16];
	out[0] = 0;
	for (size_t i = 0; i < c->n_versions; i++) {
		const char *v = tls_version_name(c->versions[i]);
		snprintf(other, sizeof other, "0x%04x", c->versions[i]);
		join(out, n, i, c->n_versions, v ? v : other, " and ");
	}
}

void model_choice_groups(const uint16_t *g, size_t k, char *out, size_t n)
{
	char other[16];
	out[0] = 0;
	for (size_t i = 0; i < k; i++) {
		const char *v = tls_group_label(g[i]);
		snprintf(other, sizeof other, "0x%04x", g[i]);
		join(out, n, i, k, v ? v : other, ", ");
	}
}
