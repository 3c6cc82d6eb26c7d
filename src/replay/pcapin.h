/* Reading a capture file: pcap or pcapng, through libpcap, one packet at a
 * time (never the whole file in memory).
 *
 * Before libpcap opens the file, its first bytes are checked so the error
 * names the actual problem (empty file, bad magic, truncated header).
 * libpcap 1.10 does not expose pcapng Decryption Secrets Blocks, so
 * replay_input_secrets walks the pcapng block headers itself (seeking past packets)
 * and hands any TLS key log found there to the key log reader. */
#ifndef REPLAY_PCAPIN_H
#define REPLAY_PCAPIN_H

#include "replay/keylog.h"

#include <pcap/pcap.h>
#include <stddef.h>
#include <stdint.h>

#define RIN_MAX_DSB (1024 * 1024) /* a key log block larger than this is ignored */

typedef struct {
	pcap_t *p;
	int dlt;
	int pcapng;
	uint64_t packets; /* read so far */
	const char *path;
	char *buf; /* stdio buffer of libpcap's FILE, freed after pcap_close */
} replay_input;

/* 0, or -1 with a one-line reason in err ("FILE: ..."). */
TLS_MUST_USE int replay_input_open(replay_input *in, const char *path, char *err, size_t errlen);
/* 1 a packet, 0 end of file, -1 a damaged packet (err says which). */
int replay_input_next(replay_input *in, const struct pcap_pkthdr **h, const uint8_t **data, char *err,
	     size_t errlen);
void replay_input_close(replay_input *in);
/* Adds the TLS key logs of a pcapng file's Decryption Secrets Blocks to k.
 * Returns how many blocks were used (0 for pcap files). */
int replay_input_secrets(const char *path, keylog *k);

#endif
