#!/usr/bin/python3
"""kdf_check.py PAGE.html EXPECT.json: runs every `openssl kdf` command the
page shows and checks that each prints a value --json has for the same
handshake (master_secret, the key block cut into the keys, a verify_data),
and that the master secret's and both verify_data's commands are there
when --json knows them. Exits 1 on any mismatch or when the page shows none."""
import html
import json
import re
import subprocess
import sys

page = open(sys.argv[1], encoding="utf-8").read()
with open(sys.argv[2]) as f:
    s = json.loads(f.readline())["secrets"]
cmds = [html.unescape(c) for c in re.findall(r'<code class="kdf">([^<]*)</code>', page)]
if not cmds:
    sys.exit("no openssl kdf command on the page")
parts = ["client_write_mac_key", "server_write_mac_key", "client_write_key", "server_write_key",
         "client_write_iv", "server_write_iv"]
key_block = "".join(s[p] or "" for p in parts)
named = {s[k]: k for k in ("master_secret", "client_verify_data", "server_verify_data") if s.get(k)}
seen, bad = set(), 0
for cmd in cmds:
    out = subprocess.run(["bash", "-c", cmd], capture_output=True, text=True, timeout=20)
    got = out.stdout.strip().replace(":", "").lower()
    # the key block may run past the keys (what the suite does not use)
    what = named.get(got) or ("key_block" if key_block and got.startswith(key_block) else None)
    ok = out.returncode == 0 and what is not None
    print("%s %s: %s" % ("ok  " if ok else "FAIL", what or "?", got[:64] if ok else "%s %s" % (got, out.stderr.strip())))
    bad += not ok
    seen.add(what)
missing = [k for k in ("master_secret", "key_block", "client_verify_data", "server_verify_data")
           if k not in seen and (s.get(k) if k != "key_block" else key_block)]
# no command for a master secret whose premaster is unknown (a key log gives
# the master secret only) or belongs to an earlier handshake (resumed)
if not s.get("premaster_secret") or "resumed" in page:
    missing = [k for k in missing if k != "master_secret"]
if missing:
    print("FAIL no command for", missing)
    bad += 1
sys.exit(1 if bad else 0)
