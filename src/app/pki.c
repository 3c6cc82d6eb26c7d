#include "app/pki.h"

#include "app/files.h"
#include "tls/crypto.h"
#include "tls/pem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FILE (1024 * 1024)

static int crypto_ready(char *err, size_t errlen)
{
	if (tls_crypto_init() == 0)
		return 0;
	snprintf(err, errlen, "cannot start libtomcrypt");
	return -1;
}

int app_pki_add_chain(tls_creds *p, const char *path, char *err, size_t errlen)
{
	tls_buf f = {0};
	tls_x509 *certs = NULL;
	size_t n = 0;
	if (app_file_read(path, MAX_FILE, &f, err, errlen))
		return -1;
	if (crypto_ready(err, errlen)) {
		tls_buf_free(&f);
		return -1;
	}
	int rc = tls_x509_load_all(f.p, f.len, &certs, &n);
	if (rc || n == 0) {
		snprintf(err, errlen, "%s: no readable certificate", path);
		tls_buf_free(&f);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (p->chain_n == TLS_MAX_CERTS) {
			snprintf(err, errlen, "%s: too many certificates", path);
			rc = -1;
			break;
		}
		tls_buf *d = &p->der[p->chain_n];
		if (tls_buf_put(d, certs[i].der, certs[i].der_len)) {
			snprintf(err, errlen, "%s: out of memory", path);
			rc = -1;
			break;
		}
		p->chain_der[p->chain_n] = d->p;
		p->chain_len[p->chain_n] = d->len;
		p->chain_n++;
	}
	for (size_t i = 0; i < n; i++)
		tls_x509_free(&certs[i]);
	free(certs);
	tls_buf_free(&f);
	return rc ? -1 : 0;
}

/* The key must be the leaf certificate's (loaded first), else every
 * signature fails at the peer with a less helpful message. */
static int check_pair(tls_creds *p, const char *path, char *err, size_t errlen)
{
	tls_x509 leaf;
	if (!p->chain_n || tls_x509_parse(p->chain_der[0], p->chain_len[0], &leaf, NULL, 0, NULL))
		return 0;
	int ok = tls_privkey_matches(&p->key, &leaf);
	tls_x509_free(&leaf);
	if (ok)
		return 0;
	char have[64];
	tls_privkey_describe(&p->key, have, sizeof have);
	snprintf(err, errlen, "%s: this key (%s) is not the one in the certificate", path, have);
	return -1;
}

int app_pki_load_key(tls_creds *p, const char *path, char *err, size_t errlen)
{
	tls_buf f = {0};
	if (app_file_read(path, MAX_FILE, &f, err, errlen))
		return -1;
	if (crypto_ready(err, errlen)) {
		tls_buf_free(&f);
		return -1;
	}
	tls_privkey_free(&p->key);
	p->has_key = 0;
	int rc = tls_privkey_import(f.p, f.len, &p->key);
	tls_buf_free(&f);
	if (rc) {
		snprintf(err, errlen,
		         "%s: not a usable private key (RSA: PKCS#1 or PKCS#8; EC on P-256 or P-384: SEC1 or PKCS#8; "
		         "PEM or DER, unencrypted)",
		         path);
		return -1;
	}
	p->has_key = 1;
	return check_pair(p, path, err, errlen);
}

int app_pki_load_anchors(tls_creds *p, const char *path, char *err, size_t errlen)
{
	tls_buf f = {0};
	if (app_file_read(path, 16 * MAX_FILE, &f, err, errlen))
		return -1;
	if (crypto_ready(err, errlen)) {
		tls_buf_free(&f);
		return -1;
	}
	int rc = tls_x509_load_all(f.p, f.len, &p->anchors, &p->n_anchors);
	tls_buf_free(&f);
	if (rc || p->n_anchors == 0) {
		snprintf(err, errlen, "%s: no readable CA certificate", path);
		return -1;
	}
	return 0;
}

static int load_sides(const sim_scenario *sc, tls_creds *server, tls_creds *client, char *err, size_t errlen)
{
	char path[1024];
	app_data_path(path, sizeof path, "assets/");
	size_t base = strlen(path);
	snprintf(path + base, sizeof path - base, "%s", sc->server_cert);
	if (app_pki_add_chain(server, path, err, errlen))
		return -1;
	if (sc->chain_extra) {
		snprintf(path + base, sizeof path - base, "%s", sc->chain_extra);
		if (app_pki_add_chain(server, path, err, errlen))
			return -1;
	}
	snprintf(path + base, sizeof path - base, "%s", sc->server_key);
	if (app_pki_load_key(server, path, err, errlen))
		return -1;
	if (sc->client_cert) {
		snprintf(path + base, sizeof path - base, "%s", sc->client_cert);
		if (app_pki_add_chain(client, path, err, errlen))
			return -1;
		snprintf(path + base, sizeof path - base, "%s", sc->client_key);
		if (app_pki_load_key(client, path, err, errlen))
			return -1;
	}
	snprintf(path + base, sizeof path - base, "ca.crt");
	if (sc->request_client_cert && app_pki_load_anchors(server, path, err, errlen))
		return -1;
	return app_pki_load_anchors(client, path, err, errlen);
}

int app_pki_load_scenario(const char *scenario, sim_creds *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	const sim_scenario *sc = sim_scenario_lookup(scenario, err, errlen);
	if (!sc)
		return -1;
	if (load_sides(sc, &out->server, &out->client, err, errlen)) {
		sim_creds_free(out);
		return -1;
	}
	return 0;
}
