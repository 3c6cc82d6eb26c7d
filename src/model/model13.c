#include "model/model13.h"

#include <string.h>

static const char *const titles13[] = {
    "",
    "Client hello with key share",
    "Server hello; from here everything is encrypted",
    "Encrypted extensions and certificate",
    "Certificate verify and server finished",
    "Client finished",
    "New session ticket",
    "Secure channel",
};

/* When each secret may be known (RFC 8446 2 and 7.1): the early secret
 * once the ClientHello went by (from the PSK, or zeros); everything from the
 * (EC)DHE shared secret once the ServerHello brought the server's share;
 * the master secret and the application secrets once the server's Finished
 * closed the transcript they hash; the client's Finished and the resumption
 * master secret with the client's Finished. The server computes most of them
 * earlier, while building its flight, but sends them in these steps. */
static const model13_secret secrets13[] = {
    {"early_secret", "early secret", 1},
    {"binder_key", "binder key", 1},
    {"derived_for_handshake", "derived (for the handshake secret)", 2},
    {"handshake_secret", "handshake secret", 2},
    {"client_handshake_traffic_secret", "client handshake traffic secret", 2},
    {"server_handshake_traffic_secret", "server handshake traffic secret", 2},
    {"client_handshake_write_key", "client handshake key", 2},
    {"client_handshake_write_iv", "client handshake IV", 2},
    {"server_handshake_write_key", "server handshake key", 2},
    {"server_handshake_write_iv", "server handshake IV", 2},
    {"server_finished_key", "server finished key", 4},
    {"server_verify_data", "server verify_data", 4},
    {"derived_for_master", "derived (for the master secret)", 4},
    {"master_secret", "master secret", 4},
    {"client_application_traffic_secret_0", "client application traffic secret", 4},
    {"server_application_traffic_secret_0", "server application traffic secret", 4},
    {"exporter_master_secret", "exporter master secret", 4},
    {"client_application_write_key", "client application key", 4},
    {"client_application_write_iv", "client application IV", 4},
    {"server_application_write_key", "server application key", 4},
    {"server_application_write_iv", "server application IV", 4},
    {"client_finished_key", "client finished key", 5},
    {"client_verify_data", "client verify_data", 5},
    {"resumption_master_secret", "resumption master secret", 5},
};

#define N13 (sizeof secrets13 / sizeof secrets13[0])
_Static_assert(N13 <= 32, "model_side.t13_known has 32 bits");

const uint8_t model13_hrr_random[32] = {
    0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
    0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
};

size_t model13_count(void)
{
	return N13;
}

const model13_secret *model13_at(size_t i)
{
	return i < N13 ? &secrets13[i] : NULL;
}

int model13_index(const char *name)
{
	for (size_t i = 0; name && i < N13; i++)
		if (!strcmp(secrets13[i].name, name))
			return (int)i;
	return -1;
}

const char *model13_step_title(int n)
{
	return n >= 1 && n <= MODEL_LAST_STEP ? titles13[n] : "";
}

const char *model13_short_title(int n)
{
	static const char *const t[] = {"",           "Hello+share", "ServerHello", "Cert",
	                                "Verify+Fin", "Finished",    "Ticket",      "Secure"};
	return n >= 1 && n <= MODEL_LAST_STEP ? t[n] : "";
}

void model13_titles(model *m, int tls13)
{
	for (int i = 1; i <= MODEL_LAST_STEP; i++)
		m->steps[i].title = tls13 ? titles13[i] : model_step_title(i);
	m->t13.titled = tls13;
}

void model_set_tls13(model *m)
{
	m->version = 0x0304;
	m->t13.active = 1;
	model13_titles(m, 1);
}

int model_is_tls13(const model *m)
{
	return m->t13.active;
}

const tls13_step *model13_value(const model *m, const char *name)
{
	return tls13_sched_find(&m->t13.sched, name);
}

int model13_known(const model_side *s, const char *name)
{
	int i = model13_index(name);
	return i >= 0 && (s->t13_known >> i & 1u);
}

void model13_mark(model_side *s, const tls13_sched *sc)
{
	for (size_t i = 0; i < sc->trace_len; i++) {
		int k = model13_index(sc->trace[i].name);
		if (k >= 0)
			s->t13_known |= 1u << k;
	}
}

const char *model13_covers(const tls13_step *t)
{
	static const struct {
		const char *label, *covers;
	} by_label[] = {
	    {"c hs traffic", "ClientHello..ServerHello"},
	    {"s hs traffic", "ClientHello..ServerHello"},
	    {"c ap traffic", "ClientHello..server Finished"},
	    {"s ap traffic", "ClientHello..server Finished"},
	    {"exp master", "ClientHello..server Finished"},
	    {"res master", "ClientHello..client Finished"},
	    {"derived", ""},
	    {"res binder", ""},
	    {"ext binder", ""},
	};
	if (!t->context_len)
		return NULL;
	if (!t->label) /* an HMAC: verify_data */
		return "ClientHello..the message before this Finished";
	for (size_t i = 0; i < sizeof by_label / sizeof by_label[0]; i++)
		if (!strcmp(by_label[i].label, t->label))
			return by_label[i].covers;
	return NULL;
}
