#!/bin/bash
# doc/json.md is the JSON contract: the key paths --json emits for every
# scenario (seed 1), the Illustrated TLS 1.2 replay (with and without its key
# log), a TLS 1.3 replay and a connect/serve pair are exactly the documented ones, each of the
# documented type. Then the check itself: a key added to the output, a row
# dropped from the document, a row for a key nobody emits, each fail.
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1
DOC=doc/json.md
FIX=tests/fixtures/illustrated-tls12
J="$TMP/json"
mkdir -p "$J"

for sc in $("$BIN" scenarios | awk '{print $1}'); do
	"$BIN" --json --seed 1 --scenario "$sc" >"$J/sim-$sc.json" 2>/dev/null
done
"$BIN" replay "$FIX/capture.pcap" --keylog "$FIX/keylog.txt" --json >"$J/replay.json"
"$BIN" replay "$FIX/capture.pcap" --json >"$J/replay-nokeys.json"
# a TLS 1.3 replay has keys of its own (group, hrr, ...)
"$BIN" --scenario tls13-hrr --record "$TMP/t13.pcap" --keylog "$TMP/t13.keys" --json >/dev/null
"$BIN" replay "$TMP/t13.pcap" --keylog "$TMP/t13.keys" --json >"$J/replay13.json"
if serve_bg "$J/serve.json" --json --seed 1; then
	"$BIN" connect "127.0.0.1:$SPORT" --ca assets/ca.crt --servername server.tlsstep.test --json --timeout 5 \
		>"$J/connect.json" 2>/dev/null
	wait_for "$TMP/s.err" 'rc=' 60
fi
check "connect and serve printed their JSON" test -s "$J/serve.json" -a -s "$J/connect.json"

python3 tests/e2e/json_keys.py "$DOC" "$J"/*.json >"$TMP/keys.out" 2>&1
rc=$?
if [ $rc = 0 ]; then ok "$(tail -1 "$TMP/keys.out")"; else bad "emitted keys = documented keys" "$(cat "$TMP/keys.out")"; fi

# The check fails when the output or the document changes alone.
fails() { # NAME PATTERN DOC FILES...
	local name=$1 pattern=$2
	shift 2
	python3 tests/e2e/json_keys.py "$@" >"$TMP/neg.out" 2>&1
	local r=$?
	if [ $r = 1 ] && grep -q -- "$pattern" "$TMP/neg.out"; then ok "$name"
	else bad "$name" "rc=$r $(cat "$TMP/neg.out")"; fi
}
jq -c '.steps[0].messages[0].sneaky = 1' "$J/sim-rsa.json" >"$TMP/added.json"
fails "a key added without the document fails" 'emitted but not in .*: steps\[\]\.messages\[\]\.sneaky' \
	"$DOC" "$J"/*.json "$TMP/added.json"
grep -v '^| `secrets.key_block`' "$DOC" >"$TMP/dropped.md"
fails "a row dropped from the document fails" 'emitted but not in .*: secrets.key_block' "$TMP/dropped.md" "$J"/*.json
{ cat "$DOC"; echo '| `secrets.retired` | hex string or null | never | gone |'; } >"$TMP/extra.md"
fails "a documented key nobody emits fails" 'emitted by none .*: secrets.retired' "$TMP/extra.md" "$J"/*.json
jq -c '.seed = "1"' "$J/sim-rsa.json" >"$TMP/typed.json"
fails "a value of another type fails" 'seed: a string' "$DOC" "$J"/*.json "$TMP/typed.json"
finish
