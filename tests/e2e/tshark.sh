#!/bin/bash
# --record/--keylog open in tshark: every record dissects cleanly, both
# Finished messages decrypt, and tshark derives the same secrets.
. "$(dirname "$0")/lib.sh"
cd "$ROOT"
TS="tshark -n -o tls.keylog_file:$TMP/k"

for sc in rsa rsa-gcm rsa-sha256; do
	for seed in 1 2; do
		n="$sc seed $seed"
		rm -f "$TMP/k" "$TMP/p.pcap" "$TMP/dbg"
		"$BIN" --json --scenario "$sc" --seed "$seed" --record "$TMP/p.pcap" --keylog "$TMP/k" >"$TMP/j"
		check "$n: recorded" test -s "$TMP/p.pcap" -a -s "$TMP/k"
		check "$n: key log line" grep -qE '^CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}$' "$TMP/k"
		$TS -r "$TMP/p.pcap" -Y '_ws.malformed or _ws.expert.severity >= "Warning"' >"$TMP/bad" 2>/dev/null
		check "$n: no malformed packet or expert warning" test ! -s "$TMP/bad"
		$TS -r "$TMP/p.pcap" -T fields -e tls.record.content_type >"$TMP/types" 2>/dev/null
		check "$n: all 13 records dissected" test "$(grep -o '[0-9]\+' "$TMP/types" | wc -l)" = 13
		$TS -o "tls.debug_file:$TMP/dbg" -r "$TMP/p.pcap" >/dev/null 2>&1
		check "$n: tshark decrypts both Finished with a good MAC" test "$(grep -c 'mac ok\|auth_tag(OK)' "$TMP/dbg" || true)" -ge 2
		check "$n: same master secret, key block, keys, verify_data" python3 tests/e2e/tshark_check.py "$TMP/dbg" "$TMP/j"
		check "$n: the HTTP request decrypts" bash -c "$TS -r '$TMP/p.pcap' -Y http.request 2>/dev/null | grep -q 'GET /'"
	done
done
finish
