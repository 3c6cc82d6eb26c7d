#!/usr/bin/python3
"""mkcapture.py OUT.pcap N IN.pcap...: a capture of N TLS connections made
from the given one-connection captures (tlsstep --record), taken in turn,
each copy on its own client port and later in time, checksums redone. A
large capture in a second, without running N handshakes."""
import struct
import sys

CLIENT_PORT = None


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def read(path):
    with open(path, "rb") as f:
        d = f.read()
    head, d = d[:24], d[24:]
    pkts = []
    while d:
        sec, usec, cap, ln = struct.unpack("<IIII", d[:16])
        pkts.append([sec, usec, d[16:16 + cap]])
        d = d[16 + cap:]
    return head, pkts


def main():
    out, n, ins = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    caps = [read(p) for p in ins]
    head = caps[0][0]
    # the client's port: the source port of the first packet (its SYN)
    cport = struct.unpack("!H", caps[0][1][0][2][34:36])[0]
    with open(out, "wb") as f:
        f.write(head)
        for k in range(n):
            _, pkts = caps[k % len(caps)]
            port = 20000 + k
            for sec, usec, frame in pkts:
                fr = bytearray(frame)
                sp, dp = struct.unpack("!HH", fr[34:38])
                if sp == cport:
                    struct.pack_into("!H", fr, 34, port)
                if dp == cport:
                    struct.pack_into("!H", fr, 36, port)
                ip, tcp = fr[14:34], fr[34:]
                struct.pack_into("!H", fr, 34 + 16, 0)
                pseudo = bytes(ip[12:20]) + struct.pack("!BBH", 0, 6, len(tcp))
                struct.pack_into("!H", fr, 34 + 16, csum(pseudo + bytes(fr[34:])))
                t = sec * 1000000 + usec + k * 50000
                f.write(struct.pack("<IIII", t // 1000000, t % 1000000, len(fr), len(fr)))
                f.write(fr)


if __name__ == "__main__":
    main()
