/* Alerts (RFC 5246 7.2) and the engine's error convention.
 *
 * Every engine function returns 0 on success or a negative status. A status
 * made with TLS_FAIL(desc) names the alert the engine must send; any other
 * negative value is an internal error (alert internal_error). */
#ifndef TLS_ALERT_H
#define TLS_ALERT_H

enum tls_alert_desc {
	TLS_ALERT_CLOSE_NOTIFY = 0,
	TLS_ALERT_UNEXPECTED_MESSAGE = 10,
	TLS_ALERT_BAD_RECORD_MAC = 20,
	TLS_ALERT_RECORD_OVERFLOW = 22,
	TLS_ALERT_HANDSHAKE_FAILURE = 40,
	TLS_ALERT_BAD_CERTIFICATE = 42,
	TLS_ALERT_UNSUPPORTED_CERTIFICATE = 43,
	TLS_ALERT_CERTIFICATE_REVOKED = 44,
	TLS_ALERT_CERTIFICATE_EXPIRED = 45,
	TLS_ALERT_CERTIFICATE_UNKNOWN = 46,
	TLS_ALERT_ILLEGAL_PARAMETER = 47,
	TLS_ALERT_UNKNOWN_CA = 48,
	TLS_ALERT_ACCESS_DENIED = 49,
	TLS_ALERT_DECODE_ERROR = 50,
	TLS_ALERT_DECRYPT_ERROR = 51,
	TLS_ALERT_PROTOCOL_VERSION = 70,
	TLS_ALERT_INSUFFICIENT_SECURITY = 71,
	TLS_ALERT_INTERNAL_ERROR = 80,
	TLS_ALERT_USER_CANCELED = 90,
	TLS_ALERT_NO_RENEGOTIATION = 100,
	TLS_ALERT_MISSING_EXTENSION = 109,
	TLS_ALERT_UNSUPPORTED_EXTENSION = 110,
	TLS_ALERT_CERTIFICATE_REQUIRED = 116,
};

#define TLS_ALERT_WARNING 1
#define TLS_ALERT_FATAL 2

/* Negative status carrying the alert to send. */
#define TLS_FAIL(desc) (-(0x100 | (int)(desc)))
#define TLS_ERR_INTERNAL (-1)

/* The alert description a negative status maps to. */
int tls_status_alert(int status);
/* "bad_record_mac", or NULL for an unknown description. */
const char *tls_alert_name(int desc);

#endif
