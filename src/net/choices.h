/* What a real server chose that the simulator's default handshake does not
 * show, written as step notes so every view (TUI, plain, JSON) marks it. */
#ifndef NET_CHOICES_H
#define NET_CHOICES_H

#include "model/model.h"
#include "tls/conn.h"

void net_mark_server_choices(model *m, const tls_knowledge *k);

#endif
