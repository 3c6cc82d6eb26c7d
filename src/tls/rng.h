/* The random generator handed to each side of a connection.
 *
 * A libtomcrypt chacha20_prng. The engine never seeds it from the system: the
 * simulator seeds it from --seed (so every byte repeats), the network code
 * seeds it from getrandom unless the user asked for a seed. */
#ifndef TLS_RNG_H
#define TLS_RNG_H

#include <stddef.h>
#include <stdint.h>

#include <tomcrypt.h>

typedef struct {
	prng_state state;
	int idx; /* libtomcrypt prng index of chacha20_prng */
} tls_rng;

/* Deterministic: the same (seed, label) always gives the same stream. */
int tls_rng_seed(tls_rng *r, uint64_t seed, const char *label);
/* From caller-supplied entropy (at least 32 bytes). */
int tls_rng_from_entropy(tls_rng *r, const uint8_t *entropy, size_t n);
int tls_rng_read(tls_rng *r, uint8_t *out, size_t n);
void tls_rng_free(tls_rng *r);

#endif
