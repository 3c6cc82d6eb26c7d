/* From a captured frame to a TCP segment: link layer, IPv4/IPv6, TCP.
 *
 * Only what TCP reassembly needs is kept (addresses, ports, sequence number,
 * flags, payload). Every length comes from the capture and is checked
 * against what was actually captured before it is used; a frame cut short
 * by the snapshot length keeps the bytes that exist and says how many are
 * missing, so the stream above can report a gap instead of inventing data. */
#ifndef REPLAY_PACKET_H
#define REPLAY_PACKET_H

#include <stddef.h>
#include <stdint.h>

enum { TCPF_FIN = 0x01, TCPF_SYN = 0x02, TCPF_RST = 0x04, TCPF_ACK = 0x10 };

typedef struct {
	uint8_t addr[16]; /* IPv4 in the first 4 bytes */
	uint16_t port;
} replay_endpoint;

typedef struct {
	int family; /* 4 or 6 */
	replay_endpoint src, dst;
	uint32_t seq;
	uint8_t flags;
	const uint8_t *data; /* points into the frame */
	size_t len;          /* payload bytes present */
	size_t missing;      /* payload bytes the snapshot length cut off */
} replay_seg;

enum pkt_result {
	PKT_TCP = 0,
	PKT_NOT_IP,       /* ARP, LLDP ... */
	PKT_NOT_TCP,      /* UDP, ICMP ... */
	PKT_FRAGMENT,     /* IP fragment: not reassembled */
	PKT_MALFORMED,    /* reason in why */
	PKT_BAD_LINKTYPE, /* a link type tlsstep does not read */
};

/* Parses one frame of link type dlt (pcap DLT_ value). caplen bytes were
 * captured. On PKT_MALFORMED, why names the problem. */
enum pkt_result replay_pkt_parse(int dlt, const uint8_t *p, size_t caplen, replay_seg *seg,
			  const char **why);
/* Whether replay_pkt_parse reads this link type. */
int replay_pkt_linktype_ok(int dlt);
/* "192.0.2.1:443" or "[::1]:8443" */
void replay_pkt_endpoint_str(char *out, size_t n, int family, const replay_endpoint *e);

#endif
