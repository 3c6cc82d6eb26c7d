#include "replay/pcapin.h"

#include "replay/packet.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCAPNG_SHB 0x0A0D0D0Au
#define PCAPNG_DSB 0x0000000Au
#define PCAPNG_BOM 0x1A2B3C4Du
#define DSB_TLS_KEYLOG 0x544c534bu /* "TLSK" */
#define RIN_READ_BUFFER (1 << 16)

static uint32_t rd32(const uint8_t *p, int swap)
{
	uint32_t v =
	    (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
	return swap ? (v >> 24) | ((v >> 8) & 0xff00) | ((v << 8) & 0xff0000) | (v << 24) : v;
}

/* Checks what libpcap would only call "unknown file format". */
static int precheck(replay_input *in, const char *path, char *err, size_t errlen)
{
	uint8_t h[24];
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	size_t n = fread(h, 1, sizeof h, f);
	fclose(f);
	if (n < 4) {
		snprintf(err, errlen, "%s: %s", path,
			 n ? "too short to be a capture file" : "empty file");
		return -1;
	}
	uint32_t magic = rd32(h, 0);
	in->pcapng = magic == PCAPNG_SHB;
	int pcap = magic == 0xa1b2c3d4u || magic == 0xd4c3b2a1u || magic == 0xa1b23c4du ||
		   magic == 0x4d3cb2a1u;
	if (!pcap && !in->pcapng) {
		snprintf(err, errlen, "%s: not a pcap or pcapng file (bad magic %02x%02x%02x%02x)",
			 path, h[0], h[1], h[2], h[3]);
		return -1;
	}
	if (pcap && n < 24) {
		snprintf(err, errlen, "%s: truncated pcap file header (%zu of 24 bytes)", path, n);
		return -1;
	}
	return 0;
}

/* The file, read through a stdio buffer larger than the 4 KB default, which
 * saves a system call per few packets (glibc takes a size only with the
 * buffer itself). *buf is the caller's to free once f is closed; without
 * memory for it, f keeps stdio's own. */
static FILE *open_buffered(const char *path, char **buf)
{
	FILE *f = fopen(path, "rb");
	*buf = f ? malloc(RIN_READ_BUFFER) : NULL;
	if (*buf)
		setvbuf(f, *buf, _IOFBF, RIN_READ_BUFFER);
	return f;
}

int replay_input_open(replay_input *in, const char *path, char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	memset(in, 0, sizeof *in);
	in->path = path;
	if (precheck(in, path, err, errlen))
		return -1;
	FILE *f = open_buffered(path, &in->buf); /* libpcap's; pcap_close closes it */
	if (!f) {
		snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	in->p = pcap_fopen_offline(f, ebuf);
	if (!in->p) {
		fclose(f);
		replay_input_close(in);
		snprintf(err, errlen, "%s: %s", path, ebuf[0] ? ebuf : "libpcap cannot read it");
		return -1;
	}
	in->dlt = pcap_datalink(in->p);
	if (!replay_pkt_linktype_ok(in->dlt)) {
		const char *nm = pcap_datalink_val_to_name(in->dlt);
		snprintf(err, errlen,
			 "%s: link type %d (%s) is not one tlsstep reads (Ethernet, Linux cooked, "
			 "raw IP, loopback)",
			 path, in->dlt, nm ? nm : "unknown");
		replay_input_close(in);
		return -1;
	}
	return 0;
}

int replay_input_next(replay_input *in, const struct pcap_pkthdr **h, const uint8_t **data, char *err,
	     size_t errlen)
{
	struct pcap_pkthdr *ph;
	const u_char *d;
	int rc = pcap_next_ex(in->p, &ph, &d);
	if (rc == 1) {
		in->packets++;
		*h = ph;
		*data = d;
		return 1;
	}
	if (rc == PCAP_ERROR_BREAK)
		return 0;
	snprintf(err, errlen, "%s: packet %llu is damaged: %s", in->path,
		 (unsigned long long)in->packets + 1, pcap_geterr(in->p));
	return -1;
}

void replay_input_close(replay_input *in)
{
	if (in->p)
		pcap_close(in->p);
	in->p = NULL;
	free(in->buf);
	in->buf = NULL;
}

/* One Decryption Secrets Block body: secrets type, length, data. */
static int dsb(FILE *f, uint32_t block_len, int swap, keylog *k)
{
	uint8_t h[8];
	if (block_len < 20 || fread(h, 1, 8, f) != 8)
		return 0;
	uint32_t type = rd32(h, swap), len = rd32(h + 4, swap);
	if (type != DSB_TLS_KEYLOG || len > block_len - 20 || len > RIN_MAX_DSB)
		return 0;
	char *text = malloc(len ? len : 1);
	if (!text)
		return 0;
	int used = fread(text, 1, len, f) == len;
	if (used)
		replay_keylog_text(k, text, len);
	memset(text, 0, len);
	free(text);
	return used;
}

/* Moves n bytes on by reading them: an fseeko per block would cost a
 * system call or two per packet (a capture of 1,000 handshakes has
 * 19,000 blocks), while reads come out of stdio's buffer. */
static int skip(FILE *f, uint64_t n)
{
	uint8_t scratch[4096];
	while (n) {
		size_t step = n < sizeof scratch ? (size_t)n : sizeof scratch;
		if (fread(scratch, 1, step, f) != step)
			return -1;
		n -= step;
	}
	return 0;
}

int replay_input_secrets(const char *path, keylog *k)
{
	char *buf;
	FILE *f = open_buffered(path, &buf);
	uint8_t h[12];
	int swap = 0, used = 0;
	if (!f)
		return 0;
	for (int first = 1;; first = 0) {
		if (fread(h, 1, 8, f) != 8)
			break;
		uint32_t type = rd32(h, swap), len = rd32(h + 4, swap), read = 8;
		if (rd32(h, 0) == PCAPNG_SHB) { /* a section header sets the byte order */
			if (fread(h + 8, 1, 4, f) != 4)
				break;
			read = 12;
			swap = rd32(h + 8, 0) != PCAPNG_BOM;
			len = rd32(h + 4, swap);
		} else if (first) {
			break; /* not pcapng */
		}
		if (len < 12 || len % 4)
			break; /* libpcap reports the broken block */
		if (type == PCAPNG_DSB) {
			long start = ftell(f);
			used += dsb(f, len, swap, k);
			/* dsb read some of the body; skip what it left */
			read += (uint32_t)(ftell(f) - start);
		}
		if (read > len || skip(f, len - read))
			break;
	}
	fclose(f);
	free(buf);
	return used;
}
