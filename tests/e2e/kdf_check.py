#!/usr/bin/env python3
"""Runs every `openssl kdf` command tlsstep --plain prints in its
derivation views and checks that openssl gives the value printed just
above it (master secret, key block, verify_data), and that this value is
the one --json reports.

Usage: kdf_check.py PLAIN JSON [--resumed]; prints one line per command;
exits 1 on any mismatch, or when no key block command was found, or no
master secret command (but --resumed: the master secret comes from the
session, so no command makes it)."""
import json
import re
import subprocess
import sys

def main():
    plain = open(sys.argv[1], encoding="utf-8").read().splitlines()
    secrets = json.loads(open(sys.argv[2], encoding="utf-8").readline())["secrets"]
    step, shown, what, errors, ran = 0, None, None, [], set()
    for i, line in enumerate(plain):
        m = re.match(r"==== Step (\d+):", line)
        if m:
            step = int(m.group(1))
        m = re.match(r"\s+= (\w+) \((\d+) bytes\)$", line)
        if m:
            # the value: the hex lines below the label
            what, hexes, j = m.group(1), "", i + 1
            while j < len(plain) and re.fullmatch(r"\s+[0-9a-f]+", plain[j]):
                hexes += plain[j].strip()
                j += 1
            shown = hexes
            if len(shown) != 2 * int(m.group(2)):
                errors.append(f"step {step}: {what} shows {len(shown) // 2} bytes, says {m.group(2)}")
        if line.strip().startswith("openssl kdf "):
            cmd = line.strip()
            out = subprocess.run(["bash", "-c", cmd], capture_output=True, text=True)
            got = out.stdout.strip().replace(":", "").lower()
            if out.returncode or got != shown:
                errors.append(f"step {step}: `{cmd}` gave {got or out.stderr.strip()}, shown {shown}")
                continue
            if what == "verify_data":
                cands = [secrets.get("client_verify_data"), secrets.get("server_verify_data")]
                if got not in cands:
                    errors.append(f"step {step}: verify_data {got} is not in --json")
            elif secrets.get(what) != got:
                errors.append(f"step {step}: {what} {got} differs from --json {secrets.get(what)}")
            ran.add(what)
            print(f"step {step}: {what} reproduced by openssl kdf")
    for e in errors:
        print(e)
    want = {"key_block"} if "--resumed" in sys.argv[3:] else {"master_secret", "key_block"}
    if not want <= ran:
        print(f"only {sorted(ran)} had a command")
        errors.append("missing")
    sys.exit(1 if errors else 0)


main()
