#include "replay/packet.h"

#include <arpa/inet.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>

#define ETH_IPV4 0x0800
#define ETH_IPV6 0x86DD
#define ETH_VLAN 0x8100
#define ETH_QINQ 0x88A8

static unsigned be16(const uint8_t *p)
{
	return (unsigned)((p[0] << 8) | p[1]);
}
static uint32_t be32(const uint8_t *p)
{
	return ((uint32_t)be16(p) << 16) | be16(p + 2);
}

int replay_pkt_linktype_ok(int dlt)
{
	switch (dlt) {
	case DLT_EN10MB:
	case DLT_LINUX_SLL:
	case DLT_LINUX_SLL2:
	case DLT_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
	case DLT_NULL:
	case DLT_LOOP: return 1;
	default: return 0;
	}
}

static enum pkt_result tcp(const uint8_t *p, size_t have, size_t len, replay_seg *s,
			   const char **why)
{
	/* have: bytes captured; len: bytes the IP header says the segment has */
	if (have < 20) {
		*why = "TCP header cut short by the capture";
		return PKT_MALFORMED;
	}
	size_t off = (size_t)(p[12] >> 4) * 4;
	if (off < 20 || off > len || off > have) {
		*why = "TCP data offset out of range";
		return PKT_MALFORMED;
	}
	s->src.port = (uint16_t)be16(p);
	s->dst.port = (uint16_t)be16(p + 2);
	s->seq = be32(p + 4);
	s->flags = p[13];
	s->data = p + off;
	s->len = (have < len ? have : len) - off;
	s->missing = len > have ? len - have : 0;
	return PKT_TCP;
}

static enum pkt_result ipv4(const uint8_t *p, size_t have, replay_seg *s, const char **why)
{
	if (have < 20 || (p[0] >> 4) != 4) {
		*why = have < 20 ? "IPv4 header cut short" : "IP version is not 4";
		return PKT_MALFORMED;
	}
	size_t ihl = (size_t)(p[0] & 15) * 4, total = be16(p + 2);
	if (total == 0)
		total = have; /* segmentation offload: the NIC fills the length in later */
	if (ihl < 20 || ihl > have || total < ihl) {
		*why = ihl < 20 ? "IPv4 header length (IHL) below 5"
				: "IPv4 header length out of range";
		return PKT_MALFORMED;
	}
	if (p[9] != 6)
		return PKT_NOT_TCP;
	if ((be16(p + 6) & 0x3fff) != 0)
		return PKT_FRAGMENT; /* more-fragments flag or a fragment offset */
	s->family = 4;
	memset(s->src.addr, 0, 16);
	memset(s->dst.addr, 0, 16);
	memcpy(s->src.addr, p + 12, 4);
	memcpy(s->dst.addr, p + 16, 4);
	return tcp(p + ihl, have - ihl, total - ihl, s, why);
}

/* Walks IPv6 extension headers to TCP; fragments and ESP stop the walk. */
static enum pkt_result ipv6(const uint8_t *p, size_t have, replay_seg *s, const char **why)
{
	if (have < 40 || (p[0] >> 4) != 6) {
		*why = have < 40 ? "IPv6 header cut short" : "IP version is not 6";
		return PKT_MALFORMED;
	}
	size_t len = be16(p + 4), at = 40;
	unsigned next = p[6];
	s->family = 6;
	memcpy(s->src.addr, p + 8, 16);
	memcpy(s->dst.addr, p + 24, 16);
	len = len ? len + 40 : have; /* 0: jumbogram or offload, trust the capture */
	for (int hops = 0; hops < 16; hops++) {
		size_t ext;
		switch (next) {
		case 6:
			if (at > len) {
				*why = "IPv6 extension headers overrun the payload";
				return PKT_MALFORMED;
			}
			return tcp(p + at, have > at ? have - at : 0, len - at, s, why);
		case 0:  /* hop-by-hop */
		case 43: /* routing */
		case 60: /* destination options */
			if (at + 2 > have)
				goto cut;
			ext = ((size_t)p[at + 1] + 1) * 8;
			break;
		case 51: /* authentication header */
			if (at + 2 > have)
				goto cut;
			ext = ((size_t)p[at + 1] + 2) * 4;
			break;
		case 44: /* fragment */
			if (at + 8 > have)
				goto cut;
			if ((be16(p + at + 2) & 0xfff9) != 0)
				return PKT_FRAGMENT;
			ext = 8; /* an atomic fragment is a whole packet */
			break;
		default: return PKT_NOT_TCP;
		}
		next = p[at];
		at += ext;
	}
	*why = "too many IPv6 extension headers";
	return PKT_MALFORMED;
cut:
	*why = "IPv6 extension header cut short";
	return PKT_MALFORMED;
}

static enum pkt_result by_version(const uint8_t *p, size_t have, replay_seg *s, const char **why)
{
	if (!have)
		return PKT_NOT_IP;
	if ((p[0] >> 4) == 4)
		return ipv4(p, have, s, why);
	if ((p[0] >> 4) == 6)
		return ipv6(p, have, s, why);
	return PKT_NOT_IP;
}

static enum pkt_result by_ethertype(unsigned type, const uint8_t *p, size_t have, replay_seg *s,
				    const char **why)
{
	if (type == ETH_IPV4)
		return ipv4(p, have, s, why);
	if (type == ETH_IPV6)
		return ipv6(p, have, s, why);
	return PKT_NOT_IP;
}

static enum pkt_result ethernet(const uint8_t *p, size_t have, replay_seg *s, const char **why)
{
	size_t at = 12;
	if (have < 14)
		goto cut;
	unsigned type = be16(p + at);
	while (type == ETH_VLAN || type == ETH_QINQ) { /* 802.1Q tags: 4 bytes each */
		at += 4;
		if (at + 2 > have)
			goto cut;
		type = be16(p + at);
	}
	return by_ethertype(type, p + at + 2, have - at - 2, s, why);
cut:
	*why = "Ethernet header cut short";
	return PKT_MALFORMED;
}

/* BSD loopback: a 4-byte address family, in the byte order of the machine
 * that captured (DLT_NULL) or network order (DLT_LOOP). AF_INET6 differs
 * between systems (10 Linux, 24 NetBSD/OpenBSD, 28 FreeBSD, 30 macOS). */
static enum pkt_result loopback(int dlt, const uint8_t *p, size_t have, replay_seg *s,
				const char **why)
{
	if (have < 4) {
		*why = "loopback header cut short";
		return PKT_MALFORMED;
	}
	uint32_t fam = be32(p);
	if (dlt == DLT_NULL && fam > 0xffff)
		fam = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
		      (uint32_t)p[3] << 24;
	if (fam == 2)
		return ipv4(p + 4, have - 4, s, why);
	if (fam == 10 || fam == 24 || fam == 28 || fam == 30)
		return ipv6(p + 4, have - 4, s, why);
	return PKT_NOT_IP;
}

enum pkt_result replay_pkt_parse(int dlt, const uint8_t *p, size_t have, replay_seg *s, const char **why)
{
	*why = "";
	memset(s, 0, sizeof *s);
	switch (dlt) {
	case DLT_EN10MB: return ethernet(p, have, s, why);
	case DLT_LINUX_SLL:
		if (have < 16)
			break;
		return by_ethertype(be16(p + 14), p + 16, have - 16, s, why);
	case DLT_LINUX_SLL2:
		if (have < 20)
			break;
		return by_ethertype(be16(p), p + 20, have - 20, s, why);
	case DLT_RAW:
	case DLT_IPV4:
	case DLT_IPV6: return by_version(p, have, s, why);
	case DLT_NULL:
	case DLT_LOOP: return loopback(dlt, p, have, s, why);
	default: return PKT_BAD_LINKTYPE;
	}
	*why = "Linux cooked header cut short";
	return PKT_MALFORMED;
}

void replay_pkt_endpoint_str(char *out, size_t n, int family, const replay_endpoint *e)
{
	char a[INET6_ADDRSTRLEN];
	if (!inet_ntop(family == 6 ? AF_INET6 : AF_INET, e->addr, a, sizeof a))
		snprintf(a, sizeof a, "?");
	if (family == 6)
		snprintf(out, n, "[%s]:%u", a, e->port);
	else
		snprintf(out, n, "%s:%u", a, e->port);
}
