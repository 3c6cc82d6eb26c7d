/* Record protection: tls_protect_open on arbitrary fragments for every
 * suite, with fixed keys, under the real cryptography and under the
 * fuzzing identity (where the fuzzer controls the decrypted padding and
 * MAC bytes directly). A round trip (seal then open) must give back the
 * plaintext; an open must fail with bad_record_mac or record_overflow and
 * nothing else, and leave no output behind.
 *
 * Input: byte 0 = suite (mod count) and flags, byte 1 = content type,
 * then the fragment (or the plaintext, for a round trip). */
#include "tls/alert.h"
#include "tls/crypto.h"
#include "tls/fuzzing.h"
#include "tls/protect.h"
#include "tls/suites.h"

#include <stdlib.h>
#include <string.h>

#define F_REAL 0x80      /* real cryptography, not the fuzzing identity */
#define F_ROUNDTRIP 0x40 /* seal the rest, then open it */
#define F_SEQ 0x20       /* a sequence number far from 0 */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return tls_crypto_init() ? 1 : 0;
}

static void set_modes(tls_protect *p, uint8_t type, const uint8_t iv[16])
{
	if (type & 0x40)
		tls_protect_set_etm(p, 1);
	if ((type & 0x20) && tls_protect_set_tls10(p, iv))
		return; /* not a CBC suite: there is no TLS 1.0 mode to set */
}

/* TLS 1.3 suites: the fragment becomes a whole record (its header made
 * here) for tls13_record_open; a round trip seals first. */
static int fuzz_tls13(const tls_suite *s, const uint8_t *data, size_t size)
{
	static const uint8_t key[32] = "fedcba9876543210fedcba987654321";
	static const uint8_t iv[12] = "salt-and-pep";
	uint64_t seq = (data[0] & F_SEQ) ? 0xfffffffffffffff0u : 0;
	const uint8_t *body = data + 2;
	size_t n = size - 2;
	tls_buf rec = {0};
	if (data[0] & F_ROUNDTRIP) {
		if (n > TLS_MAX_PLAINTEXT || tls13_record_seal(s, key, iv, seq, data[1], body, n, &rec))
			goto done;
	} else if (n <= 0xffff) {
		uint8_t h[5] = {data[1], 3, 3, (uint8_t)(n >> 8), (uint8_t)n};
		if (tls_buf_put(&rec, h, 5) || tls_buf_put(&rec, body, n))
			abort();
	} else {
		goto done;
	}
	uint8_t *out = malloc(rec.len + 1), type = 0;
	size_t out_len = 0;
	int rc = out ? tls13_record_open(s, key, iv, seq, rec.p, rec.len, out, &out_len, &type) : 0;
	if ((data[0] & F_ROUNDTRIP) && data[1] &&
	    (rc || type != data[1] || out_len != n || (n && memcmp(out, body, n))))
		abort(); /* a sealed record must open to what went in */
	if (rc && out_len)
		abort();
	free(out);
done:
	tls_buf_free(&rec);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t mac[48] = "0123456789abcdef0123456789abcdef0123456789abcde";
	static const uint8_t key[32] = "fedcba9876543210fedcba987654321";
	static const uint8_t iv[16] = "salt-and-pepper";
	tls_protect p;
	tls_buf out = {0}, sealed = {0};
	tls_rng rng;
	const tls_suite *s;
	int rc;

	if (size < 2 || tls_suite_count() == 0)
		return 0;
	s = tls_suite_at((data[0] & 0x1f) % tls_suite_count());
	tls_fuzzing_set(!(data[0] & F_REAL));
	if (s->tls13)
		return fuzz_tls13(s, data, size);
	if (tls_protect_init(&p, s, mac, key, iv))
		abort(); /* every suite in the table must be usable */
	if (data[0] & F_SEQ)
		p.seq = 0xfffffffffffffff0u;
	uint8_t type = data[1];
	/* Two bits of the content type also pick the record layouts: encrypt-
	 * then-MAC and TLS 1.0's chained IVs (both CBC only; GCM refuses). */
	set_modes(&p, type, iv);
	const uint8_t *frag = data + 2;
	size_t n = size - 2;
	/* Exactly-sized copy, so ASan sees any read past the fragment. */
	uint8_t *copy = malloc(n ? n : 1);
	if (!copy)
		abort();
	memcpy(copy, frag, n);

	if (data[0] & F_ROUNDTRIP) {
		tls_protect q;
		if (tls_rng_seed(&rng, 7, "fuzz") || tls_protect_init(&q, s, mac, key, iv))
			abort();
		set_modes(&q, type, iv);
		q.seq = p.seq;
		rc = tls_protect_seal(&q, &rng, type, 0x0303, copy, n, &sealed);
		if (rc == 0) {
			rc = tls_protect_open(&p, type, 0x0303, sealed.p, sealed.len, &out);
			if (rc || out.len != n || (n && memcmp(out.p, copy, n)))
				abort(); /* what was sealed must open to itself */
		} else if (n <= TLS_MAX_PLAINTEXT) {
			abort();
		}
		tls_protect_free(&q);
		tls_rng_free(&rng);
	} else {
		uint64_t seq = p.seq;
		rc = tls_protect_open(&p, type, 0x0303, copy, n, &out);
		if (rc != 0 && rc != TLS_FAIL(TLS_ALERT_BAD_RECORD_MAC) &&
		    rc != TLS_FAIL(TLS_ALERT_RECORD_OVERFLOW))
			abort();
		if (rc != 0 && (out.len != 0 || p.seq != seq))
			abort();
		if (rc == 0 && (out.len > TLS_MAX_PLAINTEXT || p.seq != seq + 1))
			abort();
	}
	free(copy);
	tls_buf_free(&out);
	tls_buf_free(&sealed);
	tls_protect_free(&p);
	tls_fuzzing_set(1);
	return 0;
}
