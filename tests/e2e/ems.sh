#!/bin/bash
# The extended master secret (RFC 7627) checked from outside: the session
# hash recomputed from the handshake messages in --json, the master secret
# recomputed by `openssl kdf`, and tshark decrypting the recorded handshake.
. "$(dirname "$0")/lib.sh"
cd "$ROOT"

"$BIN" --json --scenario ems --record "$TMP/e.pcap" --keylog "$TMP/e.keys" >"$TMP/e.json"
check "ems: established, flagged in JSON" jq -e '.outcome == "established" and .extended_master_secret == true' "$TMP/e.json"
# Handshake messages in wire order, up to and including the ClientKeyExchange.
want_hash=$(python3 - "$TMP/e.json" <<'PY'
import hashlib, json, sys
j = json.load(open(sys.argv[1]))
h = hashlib.sha256()
for s in j["steps"]:
    for m in s["messages"]:
        if m["encrypted"] or m["name"] in ("ChangeCipherSpec", "Alert", "ApplicationData"):
            continue
        h.update(bytes.fromhex(m["bytes"]))
        if m["name"] == "ClientKeyExchange":
            print(h.hexdigest()); sys.exit(0)
PY
)
check "ems: session_hash = SHA-256 of the messages up to ClientKeyExchange" test "$want_hash" = "$(jq -r .secrets.session_hash "$TMP/e.json")"
seed=$(printf 'extended master secret' | od -An -tx1 | tr -d ' \n')$want_hash
ms=$(openssl kdf -keylen 48 -kdfopt digest:SHA256 -kdfopt "hexsecret:$(jq -r .secrets.premaster_secret "$TMP/e.json")" \
	-kdfopt "hexseed:$seed" TLS1-PRF 2>/dev/null | tr -d ':\n' | tr 'A-F' 'a-f')
check "ems: openssl kdf gives the same master secret" test "$ms" = "$(jq -r .secrets.master_secret "$TMP/e.json")"
tshark -n -r "$TMP/e.pcap" -o "tls.keylog_file:$TMP/e.keys" -o "tls.debug_file:$TMP/dbg" >/dev/null 2>&1
check "ems: tshark decrypts with the same keys" python3 tests/e2e/tshark_check.py "$TMP/dbg" "$TMP/e.json"
"$BIN" --json --scenario rsa >"$TMP/r.json"
check "without ems the master secret differs" test "$(jq -r .secrets.master_secret "$TMP/r.json")" != "$(jq -r .secrets.master_secret "$TMP/e.json")"
finish
