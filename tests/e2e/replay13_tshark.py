#!/usr/bin/env python3
"""For every TLS connection of a capture, compares the handshake message
types tlsstep shows (replay --json, one object per line) with those tshark
decrypts with the same key log: the same types, as many times each.

usage: replay13_tshark.py CAPTURE KEYLOG TLSSTEP_JSON
Prints one line per mismatch; exit 1 if any, or if a side found nothing."""
import collections
import json
import subprocess
import sys

NAMES = {"ClientHello": 1, "ServerHello": 2, "HelloRetryRequest": 2, "NewSessionTicket": 4, "EndOfEarlyData": 5,
         "EncryptedExtensions": 8, "Certificate": 11, "CertificateRequest": 13,
         "CertificateVerify": 15, "Finished": 20, "KeyUpdate": 24}


def tshark_types(capture, keylog):
    """client endpoint 'ip:port' -> Counter of handshake types."""
    out = subprocess.run(
        ["tshark", "-n", "-r", capture, "-o", "tls.keylog_file:" + keylog, "-Y", "tls.handshake.type",
         "-T", "fields", "-e", "tcp.stream", "-e", "ip.src", "-e", "tcp.srcport",
         "-e", "ip.dst", "-e", "tcp.dstport", "-e", "tls.handshake.type"],
        capture_output=True, text=True, check=True).stdout
    streams = collections.defaultdict(collections.Counter)
    client = {}
    for line in out.splitlines():
        stream, src, sport, dst, dport, types = line.split("\t")
        codes = [int(t) for t in types.split(",") if t]
        if 1 in codes and stream not in client:
            client[stream] = f"{src}:{sport}"
        streams[stream].update(codes)
    return {client[s]: c for s, c in streams.items() if s in client}


def tlsstep_types(path):
    res = {}
    for line in open(path):
        j = json.loads(line)
        c = collections.Counter()
        for step in j["steps"]:
            for m in step["messages"]:
                if m["name"] in NAMES and (m.get("decrypted", True) or not m.get("encrypted")):
                    c[NAMES[m["name"]]] += 1
        res[j["client"]] = c
    return res


def main():
    capture, keylog, js = sys.argv[1:4]
    ts, us = tshark_types(capture, keylog), tlsstep_types(js)
    errors = []
    if not ts or not us:
        errors.append(f"nothing to compare: tshark {len(ts)} connections, tlsstep {len(us)}")
    for client in sorted(set(ts) | set(us)):
        a, b = ts.get(client), us.get(client)
        if a != b:
            errors.append(f"{client}: tshark {sorted((a or {}).items())} tlsstep {sorted((b or {}).items())}")
    for e in errors:
        print(e)
    print(f"{len(ts)} connections compared")
    sys.exit(1 if errors else 0)


main()
