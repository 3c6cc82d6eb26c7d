/* Loading the certificates and keys a side needs from files: a server's
 * chain and private key, a client's trusted roots; and, for a scenario,
 * both sides' from assets/, to hand to the simulator. */
#ifndef APP_PKI_H
#define APP_PKI_H

#include "sim/sim.h"
#include "tls/creds.h"

#include <stddef.h>

/* Appends every certificate in path (PEM or DER) to the chain. */
TLS_MUST_USE int app_pki_add_chain(tls_creds *p, const char *path, char *err, size_t errlen);
TLS_MUST_USE int app_pki_load_key(tls_creds *p, const char *path, char *err, size_t errlen);
TLS_MUST_USE int app_pki_load_anchors(tls_creds *p, const char *path, char *err, size_t errlen);
/* What a scenario's sides need, from the data directory's assets/: the
 * server's chain and key, the client's trusted roots and, for mutual
 * authentication, the client's certificate and key. scenario NULL is the
 * default one. err names an unknown scenario or a missing asset. */
TLS_MUST_USE int app_pki_load_scenario(const char *scenario, sim_creds *out, char *err, size_t errlen);

#endif
