#!/usr/bin/env python3
"""Writes the corpus of broken captures in this directory. Each file is
small and damaged in one way; expected.txt says what tlsstep replay must
answer. Run it again only to change the corpus."""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def pcap_header(linktype=1, snaplen=65535, magic=0xA1B2C3D4):
    return struct.pack("<IHHiIII", magic, 2, 4, 0, 0, snaplen, linktype)


def record(frame, caplen=None, wirelen=None):
    caplen = len(frame) if caplen is None else caplen
    wirelen = len(frame) if wirelen is None else wirelen
    return struct.pack("<IIII", 1767225600, 0, caplen, wirelen) + frame


def ipv4(proto, payload, ihl=5):
    total = 20 + len(payload)
    hdr = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, total, 1, 0x4000, 64, proto, 0,
                      bytes([127, 0, 0, 1]), bytes([127, 0, 0, 1]))
    return hdr + payload


def ipv6(next_header, payload):
    return struct.pack("!IHBB16s16s", 6 << 28, len(payload), next_header, 64,
                       bytes(15) + b"\x01", bytes(15) + b"\x01") + payload


def tcp(sport, dport, seq, flags, data=b"", doff=5):
    return struct.pack("!HHIIBBHHH", sport, dport, seq, 0, doff << 4, flags, 65535, 0, 0) + data


def eth(payload, ethertype=0x0800):
    return bytes(12) + struct.pack("!H", ethertype) + payload


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def pcapng_block(btype, body):
    n = 12 + len(body)
    return struct.pack("<II", btype, n) + body + struct.pack("<I", n)


def main():
    syn = eth(ipv4(6, tcp(50000, 443, 1, 0x02)))
    write("bad_magic.pcap", b"GET / HTTP/1.1\r\nHost: example\r\n\r\n")
    write("empty.pcap", b"")
    write("short_header.pcap", pcap_header()[:10])
    write("snaplen0.pcap", pcap_header(snaplen=0) + record(syn))
    write("truncated_packet.pcap", pcap_header() + record(syn)[:30])
    write("huge_caplen.pcap", pcap_header() + struct.pack("<IIII", 1767225600, 0, 0x7FFFFFF0, 0x7FFFFFF0) + syn)
    write("caplen_over_snaplen.pcap", pcap_header(snaplen=40) + record(syn))
    write("unknown_linktype.pcap", pcap_header(linktype=147) + record(syn))
    write("ihl_below_5.pcap", pcap_header() + record(eth(ipv4(6, tcp(50000, 443, 1, 0x02), ihl=4))))
    write("tcp_data_offset.pcap", pcap_header() + record(eth(ipv4(6, tcp(50000, 443, 1, 0x02, doff=15)))))
    write("tcp_data_offset_small.pcap", pcap_header() + record(eth(ipv4(6, tcp(50000, 443, 1, 0x02, doff=2)))))
    udp = struct.pack("!HHHH", 5353, 5353, 12, 0) + b"dnsq"
    write("udp_only.pcap", pcap_header() + record(eth(ipv4(17, udp))))
    write("arp_only.pcap", pcap_header() + record(eth(bytes(28), 0x0806)))
    http = b"GET / HTTP/1.0\r\n\r\n"
    write("not_tls.pcap", pcap_header() + record(syn) +
          record(eth(ipv4(6, tcp(50000, 443, 2, 0x18, http)))))
    # IPv6 on the raw-IP link type (LINKTYPE_RAW = 101)
    write("ipv6_raw_not_tls.pcap", pcap_header(linktype=101) +
          record(ipv6(6, tcp(50000, 443, 1, 0x02))) + record(ipv6(6, tcp(50000, 443, 2, 0x18, http))))
    # a hop-by-hop header claiming 2 KiB in a 48-byte packet
    write("ipv6_ext_overrun.pcap", pcap_header(linktype=101) +
          record(ipv6(0, bytes([6, 255]) + bytes(6))))
    # TLS-looking first bytes that are not a ClientHello (a ServerHello from the client)
    write("no_client_hello.pcap", pcap_header() + record(syn) +
          record(eth(ipv4(6, tcp(50000, 443, 2, 0x18, b"\x16\x03\x03\x00\x04\x02\x00\x00\x00")))))
    shb = pcapng_block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
    idb = pcapng_block(1, struct.pack("<HHI", 1, 0, 65535))
    write("pcapng_bad_shb_length.pcapng", struct.pack("<II", 0x0A0D0D0A, 7) + shb[8:])
    epb = pcapng_block(6, struct.pack("<IIIII", 0, 0, 0, len(syn), len(syn)) + syn + bytes(2))
    bad = bytearray(epb)
    struct.pack_into("<I", bad, 4, 0xFFFFFF00)
    write("pcapng_huge_block.pcapng", shb + idb + bytes(bad))
    bad = bytearray(epb)
    struct.pack_into("<I", bad, 4, len(epb) + 3)
    write("pcapng_odd_block.pcapng", shb + idb + bytes(bad))
    write("pcapng_no_idb.pcapng", shb + epb)


main()
