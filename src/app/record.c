#include "app/record.h"
#include "model/model13.h"

#include <fcntl.h>
#include <unistd.h>

#include "app/files.h"

#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>

#define CLIENT_PORT 50000
#define SERVER_PORT 443
#define MAX_SEG     65000 /* IPv4 total length must fit 16 bits */

typedef struct {
	pcap_dumper_t *d;
	uint32_t seq[2]; /* next sequence number per side */
	long long usec;  /* capture clock */
} tcp_writer;

static uint16_t csum_add(uint32_t sum, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)((p[i] << 8) | p[i + 1]);
	if (n & 1)
		sum += (uint32_t)(p[n - 1] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}
static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

enum { FIN = 0x01, SYN = 0x02, PSH = 0x08, ACK = 0x10 };

/* One Ethernet/IPv4/TCP frame from side `from` (0 client, 1 server). */
static void segment(tcp_writer *w, int from, unsigned flags, const uint8_t *data, size_t n)
{
	static uint8_t f[14 + 20 + 20 + MAX_SEG];
	uint8_t *eth = f, *ip = f + 14, *tcp = f + 34;
	memset(f, 0, 54);
	memset(eth, 0, 12); /* loopback: zero MACs, as Linux captures them */
	put16(eth + 12, 0x0800);
	ip[0] = 0x45;
	put16(ip + 2, (unsigned)(40 + n));
	put16(ip + 4, (unsigned)(w->usec & 0xffff)); /* identification */
	ip[6] = 0x40;                                /* don't fragment */
	ip[8] = 64;
	ip[9] = 6;
	const uint8_t lo[4] = {127, 0, 0, 1};
	memcpy(ip + 12, lo, 4);
	memcpy(ip + 16, lo, 4);
	put16(ip + 10, (uint16_t)~csum_add(0, ip, 20));
	put16(tcp, from ? SERVER_PORT : CLIENT_PORT);
	put16(tcp + 2, from ? CLIENT_PORT : SERVER_PORT);
	put32(tcp + 4, w->seq[from]);
	put32(tcp + 8, (flags & ACK) ? w->seq[!from] : 0);
	tcp[12] = 5 << 4;
	tcp[13] = (uint8_t)flags;
	put16(tcp + 14, 65535);
	if (n)
		memcpy(tcp + 20, data, n);
	/* checksum over the pseudo-header, then the segment */
	uint8_t pseudo[12];
	memcpy(pseudo, ip + 12, 8);
	pseudo[8] = 0;
	pseudo[9] = 6;
	put16(pseudo + 10, (unsigned)(20 + n));
	uint32_t sum = csum_add(0, pseudo, 12);
	put16(tcp + 16, (uint16_t)~csum_add(sum, tcp, 20 + n));
	struct pcap_pkthdr h;
	h.ts.tv_sec = (time_t)(w->usec / 1000000);
	h.ts.tv_usec = (suseconds_t)(w->usec % 1000000);
	h.caplen = h.len = (bpf_u_int32)(54 + n);
	pcap_dump((u_char *)w->d, &h, f);
	w->usec += 1000;
	w->seq[from] += (uint32_t)n + ((flags & (SYN | FIN)) ? 1 : 0);
}

static void payload(tcp_writer *w, int from, const uint8_t *p, size_t n)
{
	for (size_t off = 0; off < n; off += MAX_SEG) {
		size_t k = n - off < MAX_SEG ? n - off : MAX_SEG;
		segment(w, from, ACK | PSH, p + off, k);
	}
}

int app_record_pcap(const model *m, const char *path, char *err, size_t errlen)
{
	pcap_t *pd = pcap_open_dead(DLT_EN10MB, 65535);
	if (!pd) {
		snprintf(err, errlen, "cannot start a pcap writer");
		return -1;
	}
	tcp_writer w = {0};
	w.d = pcap_dump_open(pd, path);
	if (!w.d) {
		snprintf(err, errlen, "cannot write %s: %s", path, pcap_geterr(pd));
		pcap_close(pd);
		return -1;
	}
	/* Deterministic initial sequence numbers and clock. */
	w.seq[0] = 0x10000000 + (uint32_t)(m->seed & 0xffff);
	w.seq[1] = 0x20000000 + (uint32_t)(m->seed & 0xffff);
	w.usec = 1767225600LL * 1000000;
	segment(&w, 0, SYN, NULL, 0);
	segment(&w, 1, SYN | ACK, NULL, 0);
	segment(&w, 0, ACK, NULL, 0);
	for (int s = 1; s <= MODEL_LAST_STEP; s++)
		for (size_t i = 0; i < m->steps[s].n_rec; i++) {
			const model_record *r = &m->steps[s].rec[i];
			payload(&w, r->from_server, r->wire.p, r->wire.len);
		}
	segment(&w, 0, FIN | ACK, NULL, 0);
	segment(&w, 1, FIN | ACK, NULL, 0);
	segment(&w, 0, ACK, NULL, 0);
	pcap_dump_close(w.d);
	pcap_close(pd);
	return 0;
}

/* TLS 1.3: one NSS key log line per traffic secret (the labels Wireshark
 * and OpenSSL's SSLKEYLOGFILE use), as far as the handshake got. */
static int keylog13(const model *m, const char *path, char *err, size_t errlen)
{
	static const struct {
		const char *label, *name;
	} lines[] = {
		{"CLIENT_HANDSHAKE_TRAFFIC_SECRET", "client_handshake_traffic_secret"},
		{"SERVER_HANDSHAKE_TRAFFIC_SECRET", "server_handshake_traffic_secret"},
		{"CLIENT_TRAFFIC_SECRET_0", "client_application_traffic_secret_0"},
		{"SERVER_TRAFFIC_SECRET_0", "server_application_traffic_secret_0"},
		{"EXPORTER_SECRET", "exporter_master_secret"},
	};
	const model_value *cr = &m->secrets[MS_CLIENT_RANDOM];
	char text[5 * 240];
	size_t n = 0;
	for (size_t i = 0; cr->known && i < sizeof lines / sizeof lines[0]; i++) {
		const tls13_step *t = model13_value(m, lines[i].name);
		if (!t)
			continue;
		n += (size_t)snprintf(text + n, sizeof text - n, "%s ", lines[i].label);
		for (size_t b = 0; b < 32; b++)
			n += (size_t)snprintf(text + n, sizeof text - n, "%02x", cr->v[b]);
		text[n++] = ' ';
		for (size_t b = 0; b < t->len; b++)
			n += (size_t)snprintf(text + n, sizeof text - n, "%02x", t->value[b]);
		text[n++] = '\n';
	}
	if (!n) {
		snprintf(err, errlen, "no traffic secret to write to %s: the handshake stopped before step 2", path);
		return -1;
	}
	return app_file_write(path, text, n, err, errlen);
}

int app_record_keylog(const model *m, const char *path, char *err, size_t errlen)
{
	if (m->t13.active)
		return keylog13(m, path, err, errlen);
	const model_value *cr = &m->secrets[MS_CLIENT_RANDOM], *ms = &m->secrets[MS_MASTER];
	if (!cr->known || !ms->known) {
		snprintf(err, errlen, "no master secret to write to %s: the handshake stopped before step 5",
		         path);
		return -1;
	}
	char line[256];
	size_t n = (size_t)snprintf(line, sizeof line, "CLIENT_RANDOM ");
	for (size_t i = 0; i < 32; i++)
		n += (size_t)snprintf(line + n, sizeof line - n, "%02x", cr->v[i]);
	line[n++] = ' ';
	for (size_t i = 0; i < 48; i++)
		n += (size_t)snprintf(line + n, sizeof line - n, "%02x", ms->v[i]);
	line[n++] = '\n';
	return app_file_write(path, line, n, err, errlen);
}

/* Opens path only if no file is there, so a second w never overwrites
 * the first one's files. */
static int free_name(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

int app_record_save(const model *m, const char *base, char *msg, size_t n)
{
	char pcap[600], keys[600], err[512];
	int k;
	for (k = 1; k < 1000; k++) {
		if (k == 1) {
			snprintf(pcap, sizeof pcap, "%s.pcap", base);
			snprintf(keys, sizeof keys, "%s.keys", base);
		} else {
			snprintf(pcap, sizeof pcap, "%s-%d.pcap", base, k);
			snprintf(keys, sizeof keys, "%s-%d.keys", base, k);
		}
		if (access(pcap, F_OK) || access(keys, F_OK)) {
			if (!access(pcap, F_OK) || !access(keys, F_OK))
				continue; /* half a pair is there: leave it alone */
			if (!free_name(pcap))
				continue;
			if (!free_name(keys)) {
				unlink(pcap);
				continue;
			}
			break;
		}
	}
	if (k == 1000) {
		snprintf(msg, n, "write failed: no free name for %s", base);
		return -1;
	}
	if (app_record_pcap(m, pcap, err, sizeof err) || app_record_keylog(m, keys, err, sizeof err)) {
		snprintf(msg, n, "write failed: %s", err);
		return -1;
	}
	snprintf(msg, n, "wrote %s and %s (the whole handshake)", pcap, keys);
	return 0;
}

int app_record_save_view(void *ctx, const tui_options *o, char *msg, size_t n)
{
	if (!o->view) {
		snprintf(msg, n, "nothing to write");
		return -1;
	}
	return app_record_save(o->view, ctx, msg, n);
}

void app_record_base_for(const char *file, int conn, char *out, size_t n)
{
	const char *b = strrchr(file, '/');
	b = b ? b + 1 : file;
	const char *dot = strrchr(b, '.');
	int k = dot && dot != b ? (int)(dot - b) : (int)strlen(b);
	snprintf(out, n, "%.*s-conn%d", k, b, conn);
}
