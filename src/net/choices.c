#include "net/choices.h"

#include "sim/scenario.h"
#include "tls/msg.h"
#include "tls/suites.h"

#include <stdio.h>
#include <string.h>

/* Appends ", text" (or text) to a step note, within its size. */
static void add(model_step *st, const char *text)
{
	size_t n = strlen(st->note);
	snprintf(st->note + n, sizeof st->note - n, "%s%s", n ? "; " : "", text);
}

static void hello_choices(model *m)
{
	const model_msg *sh = model_find_msg(m, 2, MODEL_MSG_SERVER_HELLO, 1);
	tls_server_hello h;
	char buf[200];
	if (!sh || sh->bytes.len < 4 || tls_server_hello_decode(sh->bytes.p + 4, sh->bytes.len - 4, &h, NULL))
		return;
	/* the suite: the live lesson says what was offered and why this one */
	for (size_t i = 0; i < h.n_exts; i++) {
		uint16_t t = h.exts[i].type;
		if (t == TLS_EXT_RENEGOTIATION_INFO)
			continue; /* the simulator has it too */
		const char *nm = tls_ext_name(t);
		snprintf(buf, sizeof buf, "it answered the %s extension%s", nm ? nm : "unknown",
			 t == TLS_EXT_EXTENDED_MASTER_SECRET ? " (see --scenario ems)"
			 : t == TLS_EXT_ENCRYPT_THEN_MAC     ? " (see --scenario etm)"
							     : "");
		add(&m->steps[2], buf);
	}
}

static void certificate_choices(model *m)
{
	const model_msg *c = model_find_msg(m, 3, MODEL_MSG_CERTIFICATE, 1);
	tls_certificate_msg cm;
	char buf[200];
	if (!c || c->bytes.len < 4 || tls_certificate_decode(c->bytes.p + 4, c->bytes.len - 4, &cm, NULL))
		return;
	if (cm.n > 1) {
		snprintf(buf, sizeof buf,
			 "the server sent a chain of %zu certificates (its own and intermediates towards a "
			 "root); the simulator's server sends one",
			 cm.n);
		add(&m->steps[3], buf);
	}
}

static void key_exchange_choices(model *m, const tls_knowledge *k)
{
	char buf[200];
	if (!k->ske_sig_alg)
		return;
	snprintf(buf, sizeof buf, "ServerKeyExchange: group %s, signed with %s", tls_group_name(k->named_group),
		 tls_sig_alg_name(k->ske_sig_alg));
	add(&m->steps[4], buf);
}

void net_mark_server_choices(model *m, const tls_knowledge *k)
{
	hello_choices(m);
	certificate_choices(m);
	key_exchange_choices(m, k);
}
