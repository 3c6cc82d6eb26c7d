/* Handshake signatures (RFC 5246 4.7, 7.4.1.4.1): the server signs its
 * ServerKeyExchange parameters, a client with a certificate signs the
 * transcript in CertificateVerify. The SignatureAndHashAlgorithm code names
 * the hash and the scheme: RSA PKCS#1 v1.5, RSA-PSS with an rsaEncryption
 * key (RFC 8446 4.2.3 codes, which TLS 1.2 servers use too; salt as long as
 * the hash) or ECDSA (the signature is DER r and s). tlsstep signs with RSA
 * (PKCS#1 v1.5 or PSS) or ECDSA (tls_sig_sign_key) and verifies all three. */
#ifndef TLS_SIG_H
#define TLS_SIG_H

#include "tls/rng.h"

#include <stddef.h>
#include <stdint.h>

#include <tomcrypt.h>

#include "tls/x509.h"

struct tls_privkey;

#define TLS_SIG_RSA_SHA1 0x0201
#define TLS_SIG_RSA_SHA256 0x0401
#define TLS_SIG_RSA_SHA384 0x0501
#define TLS_SIG_RSA_SHA512 0x0601
#define TLS_SIG_ECDSA_SHA1 0x0203
#define TLS_SIG_ECDSA_SHA256 0x0403 /* ecdsa_secp256r1_sha256 */
#define TLS_SIG_ECDSA_SHA384 0x0503 /* ecdsa_secp384r1_sha384 */
#define TLS_SIG_ECDSA_SHA512 0x0603 /* ecdsa_secp521r1_sha512 */
#define TLS_SIG_PSS_SHA256 0x0804   /* rsa_pss_rsae_sha256 */
#define TLS_SIG_PSS_SHA384 0x0805
#define TLS_SIG_PSS_SHA512 0x0806
#define TLS_SIG_MAX 1024 /* bytes of an RSA-8192 signature */

enum tls_sig_scheme { TLS_SCHEME_NONE, TLS_SCHEME_PKCS1, TLS_SCHEME_PSS, TLS_SCHEME_ECDSA };

/* libtomcrypt hash index for a supported code, -1 for anything else. */
int tls_sig_hash(uint16_t alg);
enum tls_sig_scheme tls_sig_scheme(uint16_t alg);
/* The certificate key type the code needs: TLS_X509_KEY_RSA or _EC, 0 if unsupported. */
int tls_sig_key_type(uint16_t alg);
/* Hash of the concatenated parts with the algorithm's hash; 0 or -1. */
TLS_MUST_USE int tls_sig_digest(uint16_t alg, const uint8_t *const *parts, const size_t *lens, size_t n,
                                uint8_t out[64], size_t *out_len);
/* RSA signature of a digest (PKCS#1 v1.5, or PSS drawing its salt from
 * rng); 0 or TLS_ERR_INTERNAL. */
TLS_MUST_USE int tls_sig_sign(uint16_t alg, const uint8_t *digest, size_t dlen, const rsa_key *key,
                              tls_rng *rng, uint8_t *out, size_t *out_len);
/* The signature with a private key of either kind: alg's scheme must fit
 * the key (PKCS#1 or PSS for RSA; ECDSA for EC, the curve the one the TLS
 * 1.3 code names). 0 or TLS_ERR_INTERNAL. */
TLS_MUST_USE int tls_sig_sign_key(uint16_t alg, const uint8_t *digest, size_t dlen, const struct tls_privkey *key,
                                  tls_rng *rng, uint8_t *out, size_t *out_len);
/* The TLS 1.3 ECDSA scheme for a curve (RFC 8446 4.2.3 binds each to one
 * curve): 0x0403 for P-256, 0x0503 for P-384, 0 otherwise. */
uint16_t tls_sig_ecdsa_for_curve(unsigned named_curve);
/* 0 when sig is the signature of digest by the key in cert (RSA or EC, as
 * alg requires), else TLS_FAIL(decrypt_error) (RFC 5246 7.2.2: a signature
 * that cannot be verified). */
TLS_MUST_USE int tls_sig_verify(uint16_t alg, const uint8_t *digest, size_t dlen, const uint8_t *sig,
                                size_t sig_len, const tls_x509 *cert);
const char *tls_sig_name(uint16_t alg);

#endif
