/* Writing a model's records as a pcap (Ethernet, IPv4, TCP between
 * 127.0.0.1:50000 and 127.0.0.1:443, with a three-way handshake and a FIN
 * exchange) and its NSS key log, so Wireshark can open and decrypt it. */
#ifndef APP_RECORD_H
#define APP_RECORD_H

#include "model/model.h"

#include <stddef.h>

int record_pcap(const model *m, const char *path, char *err, size_t errlen);
int record_keylog(const model *m, const char *path, char *err, size_t errlen);

#endif
