/* The fuzzing-mode switch.
 *
 * A fuzzer cannot forge a MAC, an AEAD tag, a Finished or a signature, so
 * without help it never gets past the first check that needs a key. A build
 * with -DTLSSTEP_FUZZING (only `make fuzz`, never `make`) lets those checks
 * pass: record protection becomes the identity (the record keeps its shape:
 * explicit IV or nonce, MAC, padding, tag) and the MAC and tag comparisons
 * are ignored. A harness may turn the switch off at run time
 * (tls_fuzzing_set(0)) to fuzz the real cryptography too.
 * In every other build tls_fuzzing() is the constant 0 and the compiler
 * drops the code it guards. */
#ifndef TLS_FUZZING_H
#define TLS_FUZZING_H

#ifdef TLSSTEP_FUZZING
#ifndef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
#error "TLSSTEP_FUZZING disables integrity checks: only mk/fuzz.mk may define it"
#endif
extern int tls_fuzzing_enabled; /* defined in protect.c, 1 unless a harness clears it */
static inline int tls_fuzzing(void)
{
	return tls_fuzzing_enabled;
}
static inline void tls_fuzzing_set(int on)
{
	tls_fuzzing_enabled = on;
}
#else
static inline int tls_fuzzing(void)
{
	return 0;
}
/* Harness code shared with the unit tests compiles in every build. */
static inline void tls_fuzzing_set(int on)
{
	(void)on;
}
#endif

#endif
