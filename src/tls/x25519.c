#include "tls/x25519.h"

#include "tls/alert.h"
#include "tls/bytes.h"

#include <nettle/curve25519.h>

int tls_x25519_keygen(const uint8_t priv[TLS_X25519_LEN], uint8_t pub[TLS_X25519_LEN])
{
	if (!priv || !pub)
		return TLS_ERR_INTERNAL;
	curve25519_mul_g(pub, priv);
	return 0;
}

int tls_x25519_shared(const uint8_t priv[TLS_X25519_LEN], const uint8_t *peer, size_t peer_len,
                      uint8_t out[TLS_X25519_LEN])
{
	uint8_t acc = 0;

	if (!priv || !out)
		return TLS_ERR_INTERNAL;
	if (!peer || peer_len != TLS_X25519_LEN)
		return TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER);
	curve25519_mul(out, priv, peer);
	/* OR of every byte rather than an early exit, so the check's time
	 * does not depend on where the secret's first non-zero byte is. */
	for (size_t i = 0; i < TLS_X25519_LEN; i++)
		acc |= out[i];
	if (acc == 0) {
		tls_wipe(out, TLS_X25519_LEN);
		return TLS_FAIL(TLS_ALERT_ILLEGAL_PARAMETER);
	}
	return 0;
}
