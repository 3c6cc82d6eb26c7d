#!/usr/bin/env python3
"""Writes a pcap of one TLS 1.3 connection whose ClientHello has the shape
Chrome and Firefox send today: GREASE values (RFC 8701) in the suites,
groups, versions and extensions, an encrypted_client_hello outer extension,
ALPN, compress_certificate, application_settings, delegated_credentials,
record_size_limit, and a hybrid post-quantum key share X25519MLKEM768
(0x11ec, 1216 bytes) next to x25519; the ServerHello picks X25519MLKEM768.
Key shares and randoms are random bytes: nothing here can be decrypted,
the test is about naming what the hellos carry.

usage: replay13_browser.py OUT.pcap"""
import os
import struct
import sys


def u8(v): return struct.pack("!B", v)
def u16(v): return struct.pack("!H", v)
def u24(v): return struct.pack("!I", v)[1:]
def vec8(b): return u8(len(b)) + b
def vec16(b): return u16(len(b)) + b
def ext(t, body): return u16(t) + vec16(body)


def client_hello():
    grease = [0x0a0a, 0x1a1a, 0x2a2a, 0x3a3a, 0x4a4a, 0x5a5a]
    suites = [grease[0], 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8]
    shares = (u16(grease[1]) + vec16(b"\0") + u16(0x11ec) + vec16(os.urandom(1216)) +
              u16(0x001d) + vec16(os.urandom(32)))
    alpn = vec16(vec8(b"h2") + vec8(b"http/1.1"))
    sni = vec16(u8(0) + vec16(b"www.example.com"))
    ech = u8(0) + u16(0x0001) + u16(0x0001) + u8(0x42) + vec16(os.urandom(32)) + vec16(os.urandom(208))
    exts = b"".join([
        ext(grease[2], b""),
        ext(0, sni),
        ext(23, b""),
        ext(0xff01, b"\0"),
        ext(10, vec16(b"".join(u16(g) for g in [grease[1], 0x11ec, 0x001d, 0x0017, 0x0018]))),
        ext(11, vec8(b"\0")),
        ext(35, b""),
        ext(16, alpn),
        ext(5, u8(1) + u16(0) + u16(0)),
        ext(13, vec16(b"".join(u16(a) for a in [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601]))),
        ext(18, b""),
        ext(51, vec16(shares)),
        ext(45, vec8(b"\1")),
        ext(43, vec8(u16(grease[3]) + u16(0x0304) + u16(0x0303))),
        ext(27, vec8(u16(2))),
        ext(0x44cd, vec16(vec8(b"h2"))),
        ext(34, vec16(b"".join(u16(a) for a in [0x0403, 0x0503, 0x0603, 0x0203]))),
        ext(28, u16(0x4001)),
        ext(0xfe0d, ech),
        ext(grease[4], b"\0"),
    ])
    body = (u16(0x0303) + os.urandom(32) + vec8(os.urandom(32)) +
            vec16(b"".join(u16(s) for s in suites)) + vec8(b"\0") + vec16(exts))
    return u8(1) + u24(len(body)) + body


def server_hello(sid):
    exts = ext(43, u16(0x0304)) + ext(51, u16(0x11ec) + vec16(os.urandom(1088 + 32)))
    body = u16(0x0303) + os.urandom(32) + vec8(sid) + u16(0x1301) + u8(0) + vec16(exts)
    return u8(2) + u24(len(body)) + body


def record(ct, payload):
    return u8(ct) + u16(0x0303 if ct != 22 else 0x0301) + vec16(payload)


def ipv4_tcp(src, dst, seq, ack, flags, data):
    tcp = struct.pack("!HHIIBBHHH", src[1], dst[1], seq, ack, 5 << 4, flags, 65535, 0, 0) + data
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 1, 0x4000, 64, 6, 0, bytes(src[0]), bytes(dst[0]))
    return bytes(12) + u16(0x0800) + ip + tcp


def main():
    c, s = ([192, 0, 2, 1], 51000), ([192, 0, 2, 2], 443)
    ch = client_hello()
    sid = ch[4 + 2 + 32 + 1:4 + 2 + 32 + 1 + 32]
    flight = record(22, server_hello(sid)) + record(20, b"\1") + record(23, os.urandom(1200))
    frames = [
        ipv4_tcp(c, s, 1000, 0, 0x02, b""),
        ipv4_tcp(s, c, 5000, 1001, 0x12, b""),
        ipv4_tcp(c, s, 1001, 5001, 0x18, record(22, ch)),
        ipv4_tcp(s, c, 5001, 1001 + 5 + len(ch), 0x18, flight),
        ipv4_tcp(c, s, 1001 + 5 + len(ch), 5001 + len(flight), 0x11, b""),
        ipv4_tcp(s, c, 5001 + len(flight), 1002 + 5 + len(ch), 0x11, b""),
    ]
    out = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)
    for i, f in enumerate(frames):
        out += struct.pack("<IIII", 1767225600 + i, 0, len(f), len(f)) + f
    open(sys.argv[1], "wb").write(out)


main()
