/* Writes the seed corpora (make fuzz-corpus): real records and messages
 * from handshakes run in the fuzzing build, so protected records carry the
 * fuzzing identity the harnesses expect.
 *
 * The engine seeds are the exact byte streams a harness's own side would
 * receive: the peer here uses the harness's configuration and random
 * stream, so replaying a seed drives the harness's side through a whole
 * handshake. */
#include "common.h"
#include "model/model.h"
#include "model/observe.h"
#include "tls/msg.h"
#include "tls/fuzzing.h"
#include "tls/protect.h"

#include <errno.h>
#include <sys/stat.h>

static const char *out_dir;

static void put_file(const char *harness, const char *name, const uint8_t *a, size_t na,
		     const uint8_t *b, size_t nb)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", out_dir, harness);
	if (mkdir(path, 0755) && errno != EEXIST)
		fuzz_die(path, strerror(errno));
	snprintf(path, sizeof path, "%s/%s/%s", out_dir, harness, name);
	FILE *f = fopen(path, "wb");
	if (!f || (na && fwrite(a, 1, na, f) != na) || (nb && fwrite(b, 1, nb, f) != nb) || fclose(f))
		fuzz_die(path, "cannot write");
}

/* One handshake between a client and a server, recording each direction.
 * suite: 0 = both sides offer everything, else the only suite of `limit`
 * (0 client, 1 server). */
static void handshake(uint16_t suite, int limit, tls_buf *c2s, tls_buf *s2c, tls_buf *obs_in)
{
	int v13 = suite && tls_suite_by_id(suite) && tls_suite_by_id(suite)->tls13;
	tls_rng rng[2];
	tls_config cfg[2];
	tls_conn *side[2];
	if (tls_rng_seed(&rng[0], FUZZ_SEED, "client") || tls_rng_seed(&rng[1], FUZZ_SEED, "server"))
		fuzz_die("rng", "seed");
	for (int i = 0; i < 2; i++) {
		fuzz_config(&cfg[i], i, &rng[i]);
		if (v13) /* both sides as fuzz_engine.c sets them up for a chunk byte with 0x80 */
			cfg[i].max_version = 0x0304;
		if (suite && i == limit && v13) {
			cfg[i].suites13 = &suite;
			cfg[i].n_suites13 = 1;
		} else if (suite && i == limit) {
			cfg[i].suites = &suite;
			cfg[i].n_suites = 1;
		}
		if (tls_conn_new(&side[i], &cfg[i]))
			fuzz_die("tls_conn_new", "failed");
	}
	tls_conn_start(side[0]);
	int app_sent = 0;
	for (int round = 0; round < 20; round++) {
		int moved = 0;
		for (int from = 0; from < 2; from++) {
			size_t n;
			const uint8_t *p;
			while ((n = tls_conn_next_record(side[from])) > 0) {
				tls_conn_output(side[from], &p);
				if (tls_buf_put(from ? s2c : c2s, p, n) ||
				    tls_buf_u8(obs_in, (unsigned)from) || tls_buf_put(obs_in, p, n))
					fuzz_die("tls_buf_put", "out of memory");
				tls_conn_recv(side[!from], p, n);
				tls_conn_consume(side[from], n);
				moved = 1;
			}
		}
		if (!app_sent && tls_conn_status(side[0]) == TLS_ESTABLISHED &&
		    tls_conn_status(side[1]) == TLS_ESTABLISHED) {
			static const uint8_t req[] = "GET / HTTP/1.0\r\n\r\n";
			tls_conn_send_app(side[0], req, sizeof req - 1);
			tls_conn_send_app(side[1], req, 4);
			tls_conn_close(side[0]);
			app_sent = moved = 1;
		}
		if (!moved)
			break;
	}
	if (!app_sent)
		fprintf(stderr, "mkcorpus: suite 0x%04x limit %d did not complete: %s / %s\n", suite,
			limit, tls_conn_error(side[0]), tls_conn_error(side[1]));
	for (int i = 0; i < 2; i++) {
		tls_conn_free(side[i]);
		tls_rng_free(&rng[i]);
	}
}

/* Every handshake message of one direction's stream, for fuzz_msg. */
static void messages(const tls_buf *stream, const char *tag)
{
	tls_buf hs = {0};
	/* Plaintext handshake records only; the identity keeps Finished
	 * readable behind its IV too, but the cleartext ones suffice. */
	for (size_t at = 0; at + 5 <= stream->len;) {
		size_t n = (size_t)(stream->p[at + 3] << 8 | stream->p[at + 4]);
		if (stream->p[at] == TLS_CT_HANDSHAKE) {
			if (tls_buf_put(&hs, stream->p + at + 5, n))
				fuzz_die("tls_buf_put", "out of memory");
		} else if (stream->p[at] == TLS_CT_CHANGE_CIPHER_SPEC)
			break;
		at += 5 + n;
	}
	int k = 0;
	for (size_t at = 0; at + 4 <= hs.len; k++) {
		size_t n = (size_t)hs.p[at + 1] << 16 | (size_t)hs.p[at + 2] << 8 | hs.p[at + 3];
		char name[64];
		if (at + 4 + n > hs.len)
			break;
		snprintf(name, sizeof name, "%s-%d-%s", tag, k, tls_hs_name(hs.p[at]));
		/* Certificates are big and the x509 harness has them: keep one. */
		if (hs.p[at] != TLS_HS_CERTIFICATE || !strcmp(tag, "s2c-default")) {
			put_file("fuzz_msg", name, hs.p + at + 4, n, NULL, 0);
			strcat(name, "-whole");
			put_file("fuzz_msg", name, hs.p + at, 4 + n, NULL, 0);
		}
		at += 4 + n;
	}
	tls_buf_free(&hs);
}

static void protect_seeds(void)
{
	static const uint8_t mac[48] = "0123456789abcdef0123456789abcdef0123456789abcde";
	static const uint8_t key[32] = "fedcba9876543210fedcba987654321";
	static const uint8_t iv[16] = "salt-and-pepper";
	static const uint8_t pt[] = "GET / HTTP/1.0\r\n\r\n";
	for (size_t i = 0; i < tls_suite_count() && i < 32; i++) {
		if (tls_suite_at(i)->tls13)
			continue; /* TLS 1.3 records are not tls_protect's */
		for (int real = 0; real < 2; real++) {
			tls_protect p;
			tls_rng rng;
			tls_buf out = {0};
			uint8_t head[2] = {(uint8_t)(i | (real ? 0x80 : 0)), TLS_CT_APPLICATION_DATA};
			char name[64];
			tls_fuzzing_set(!real);
			tls_rng_seed(&rng, 7, "fuzz");
			if (tls_protect_init(&p, tls_suite_at(i), mac, key, iv) ||
			    tls_protect_seal(&p, &rng, head[1], 0x0303, pt, sizeof pt - 1, &out))
				fuzz_die("protect", tls_suite_at(i)->name);
			snprintf(name, sizeof name, "open-%s-%s", real ? "real" : "identity",
				 tls_suite_at(i)->name);
			put_file("fuzz_protect", name, head, 2, out.p, out.len);
			head[0] |= 0x40;
			snprintf(name, sizeof name, "roundtrip-%s-%s", real ? "real" : "identity",
				 tls_suite_at(i)->name);
			put_file("fuzz_protect", name, head, 2, pt, sizeof pt - 1);
			tls_buf_free(&out);
			tls_protect_free(&p);
			tls_rng_free(&rng);
		}
	}
	tls_fuzzing_set(1);
}

int main(int argc, char **argv)
{
	out_dir = argc > 1 ? argv[1] : "tests/fuzz/corpus";
	mkdir(out_dir, 0755);
	fuzz_setup_pki();
	const uint8_t chunk0 = 0, chunk7 = 7;
	for (size_t i = 0; i <= tls_suite_count(); i++) {
		uint16_t id = i ? tls_suite_at(i - 1)->id : 0;
		/* a TLS 1.3 suite: fuzz_engine's chunk byte turns 1.3 on with 0x80 */
		const uint8_t v13 = i && tls_suite_at(i - 1)->tls13 ? 0x80 : 0;
		tls_buf c2s = {0}, s2c = {0}, obs_a = {0}, obs_b = {0};
		char name[96];
		const char *sn = i ? tls_suite_at(i - 1)->name : "default";
		/* The server harness: a client offering only this suite. */
		handshake(id, 0, &c2s, &s2c, &obs_a);
		snprintf(name, sizeof name, "c2s-%s", sn);
		put_file("fuzz_server", name, v13 ? &v13 : &chunk0, 1, c2s.p, c2s.len);
		if (i == 0) {
			snprintf(name, sizeof name, "c2s-%s-split7", sn);
			put_file("fuzz_server", name, &chunk7, 1, c2s.p, c2s.len);
		}
		messages(&c2s, i ? "c2s" : "c2s-default");
		tls_buf_free(&c2s);
		tls_buf_free(&s2c);
		/* The client harness: a server accepting only this suite. */
		handshake(id, 1, &c2s, &s2c, &obs_b);
		snprintf(name, sizeof name, "s2c-%s", sn);
		put_file("fuzz_client", name, v13 ? &v13 : &chunk0, 1, s2c.p, s2c.len);
		if (i == 0) {
			snprintf(name, sizeof name, "s2c-%s-split7", sn);
			put_file("fuzz_client", name, &chunk7, 1, s2c.p, s2c.len);
		}
		messages(&s2c, i ? "s2c" : "s2c-default");
		/* The observer: the server's key opens the premaster (flag 2). */
		const uint8_t flags = 2;
		snprintf(name, sizeof name, "handshake-%s", sn);
		put_file("fuzz_observe", name, &flags, 1, obs_b.p, obs_b.len);
		tls_buf_free(&c2s);
		tls_buf_free(&s2c);
		tls_buf_free(&obs_a);
		tls_buf_free(&obs_b);
	}
	protect_seeds();
	/* Certificates (DER) for the x509 harness, key files for the PEM one. */
	/* and, from assets/rules, the extensions the path rules read
	 * (nameConstraints, extendedKeyUsage, pathLenConstraint, RSA-PSS). */
	const char *certs[] = {"server.crt",          "ca.crt",          "expired.crt",
			       "wrong-name.crt",      "rogue-ca.crt",    "rules/nc-outside.crt",
			       "rules/ncx-excluded.crt", "rules/pss384-leaf.crt", "rules/pathlen0.crt",
			       "rules/many-names.crt", "rules/int-nc.crt", "rules/int-ncx.crt",
			       "rules/int-client.crt"};
	for (size_t i = 0; i < sizeof certs / sizeof *certs; i++) {
		char path[1024], err[256], name[64];
		tls_creds p = {0};
		app_data_path(path, sizeof path, "assets/");
		strcat(path, certs[i]);
		if (app_pki_add_chain(&p, path, err, sizeof err))
			fuzz_die(path, err);
		snprintf(name, sizeof name, "%s", certs[i]);
		for (char *c = name; *c; c++)
			*c = *c == '/' ? '-' : *c;
		if (!strncmp(name, "rules-", 6) && strlen(name) > 4)
			strcpy(name + strlen(name) - 4, ".der");
		put_file("fuzz_x509", name, p.chain_der[0], p.chain_len[0], NULL, 0);
		tls_creds_free(&p);
	}
	const char *keys[] = {"server.key", "server.pk8.pem", "ca.crt"};
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
		char path[1024], err[256];
		tls_buf f = {0};
		app_data_path(path, sizeof path, "assets/");
		strcat(path, keys[i]);
		if (app_file_read(path, 1 << 20, &f, err, sizeof err))
			fuzz_die(path, err);
		put_file("fuzz_pem", keys[i], f.p, f.len, NULL, 0);
		tls_buf_free(&f);
	}
	tls_creds_free(&fuzz_server_pki);
	tls_creds_free(&fuzz_client_pki);
	return 0;
}
