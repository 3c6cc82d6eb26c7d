#!/usr/bin/python3
"""kdf_check.py PAGE.html EXPECT.json: runs every `openssl kdf` command the
page shows and checks that it prints the value --json has for the same
handshake (master_secret, the key block cut into the keys, both
verify_data). Exits 1 on any mismatch or when the page shows none."""
import html
import json
import re
import subprocess
import sys

page = open(sys.argv[1], encoding="utf-8").read()
with open(sys.argv[2]) as f:
    s = json.loads(f.readline())["secrets"]
cmds = re.findall(r'<p>([^<:]*):</p>\n<pre><code class="kdf">([^<]*)</code></pre>', page)
if not cmds:
    sys.exit("no openssl kdf command on the page")
parts = ["client_write_mac_key", "server_write_mac_key", "client_write_key", "server_write_key",
         "client_write_iv", "server_write_iv"]
want = {
    "master_secret": s["master_secret"],
    "key_block": "".join(s[p] or "" for p in parts),
    "client verify_data": s["client_verify_data"],
    "server verify_data": s["server_verify_data"],
}
bad = 0
for what, cmd in cmds:
    cmd = html.unescape(cmd)
    out = subprocess.run(["bash", "-c", cmd], capture_output=True, text=True, timeout=20)
    got = out.stdout.strip().replace(":", "").lower()
    exp = want[what]
    # the key block may run past the keys (what the suite does not use)
    ok = out.returncode == 0 and exp and (got == exp if what != "key_block" else got.startswith(exp))
    print("%s %s: %s" % ("ok  " if ok else "FAIL", what, got[:64] if ok else "%s != %s %s" % (got, exp, out.stderr.strip())))
    bad += not ok
sys.exit(1 if bad else 0)
