/* Writing a model's records as a pcap (Ethernet, IPv4, TCP between
 * 127.0.0.1:50000 and 127.0.0.1:443, with a three-way handshake and a FIN
 * exchange) and its NSS key log, so Wireshark can open and decrypt it. */
#ifndef APP_RECORD_H
#define APP_RECORD_H

#include "model/model.h"
#include "ui/tui.h"

#include <stddef.h>

int app_record_pcap(const model *m, const char *path, char *err, size_t errlen);
int app_record_keylog(const model *m, const char *path, char *err, size_t errlen);
/* Both, as BASE.pcap and BASE.keys, or BASE-2.pcap ... when those exist:
 * never over a file. msg says what was written, or why not. */
int app_record_save(const model *m, const char *base, char *msg, size_t n);
/* The TUI's w for a finished model (replay, connect, serve): ctx is the
 * base name (e.g. "capture-conn2"). */
int app_record_save_view(void *ctx, const tui_options *o, char *msg, size_t n);
/* "DIR/capture.pcapng" and 3 -> "capture-conn3" (in the current folder). */
void app_record_base_for(const char *file, int conn, char *out, size_t n);

#endif
