#!/usr/bin/env python3
"""Compares what tshark derived (its -o tls.debug_file output) with what
tlsstep printed in --json: master secret, key block, each key, and the
verify_data of both decrypted Finished messages."""
import json
import re
import sys


def blocks(path):
    """name -> list of byte strings, for every 'name[len]:' hex block."""
    out = {}
    name, data = None, b""
    for line in open(path, errors="replace"):
        m = re.match(r"^(.+)\[(\d+)\]:\s*$", line)
        if m:
            if name:
                out.setdefault(name, []).append(data)
            name, data = m.group(1), b""
            continue
        m = re.match(r"^\| ((?:[0-9a-f]{2} )+)", line)
        if m and name:
            data += bytes.fromhex(m.group(1).replace(" ", ""))
            continue
        if name:
            out.setdefault(name, []).append(data)
            name = None
    if name:
        out.setdefault(name, []).append(data)
    return out


def main():
    dbg, js = sys.argv[1], json.load(open(sys.argv[2]))
    b = blocks(dbg)
    s = js["secrets"]
    errors = []

    def same(label, block, want, prefix=False):
        got = [x.hex() for x in b.get(block, [])]
        if want is None:
            return
        # tshark may derive a longer key block than the suite needs
        if not any(g == want or (prefix and g.startswith(want)) for g in got):
            errors.append(f"{label}: tlsstep {want} not among tshark's {got[:3]}")

    same("master secret", "stored (pre-)master secret", s["master_secret"])
    same("key block", "key expansion", s["key_block"], prefix=True)
    for key, block in [("client_write_key", "Client Write key"), ("server_write_key", "Server Write key"),
                       ("client_write_mac_key", "Client MAC key"), ("server_write_mac_key", "Server MAC key")]:
        same(key, block, s[key])
    finished = [p[4:16].hex() for p in b.get("Plaintext", []) if p[:4] == bytes([20, 0, 0, 12])]
    for side in ("client_verify_data", "server_verify_data"):
        if s[side] not in finished:
            errors.append(f"{side} {s[side]} not in tshark's decrypted Finished {finished}")
    for e in errors:
        print(e)
    sys.exit(1 if errors else 0)


main()
