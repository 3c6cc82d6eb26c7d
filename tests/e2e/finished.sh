#!/bin/bash
# Every value a student copies from the screen reproduces outside tlsstep:
# for every scenario and for replayed captures, finished_check.py recomputes
# each step's transcript hash, the hash each Finished covers and both
# verify_data with Python's hashlib and hmac, and checks who knows what when.
. "$(dirname "$0")/lib.sh"
cd "$ROOT"

for sc in $("$BIN" scenarios | awk '{print $1}'); do
	case $sc in tls13*) continue ;; esac # TLS 1.3 has no PRF: tls13.sh checks its schedule
	for seed in 1 7; do
		"$BIN" --scenario "$sc" --seed "$seed" --json >"$TMP/$sc.$seed.json"
		min=0
		[ "$(jq -r .outcome "$TMP/$sc.$seed.json")" = established ] && min=2
		check "$sc seed $seed: transcript and Finished hashes reproduce" \
			python3 tests/e2e/finished_check.py "$TMP/$sc.$seed.json" --min-finished $min
	done
done

# Replays: a capture with a key log (values, not moments), and one opened
# with the server's RSA key.
for sc in rsa ecdhe ems resume; do
	"$BIN" --scenario "$sc" --record "$TMP/$sc.pcap" --keylog "$TMP/$sc.keys" --json >/dev/null
	"$BIN" replay "$TMP/$sc.pcap" --keylog "$TMP/$sc.keys" --json >"$TMP/r-$sc.json"
	check "replay of $sc with a key log: hashes reproduce, knowledge in its steps" \
		python3 tests/e2e/finished_check.py "$TMP/r-$sc.json" --min-finished 2
done
"$BIN" replay "$TMP/rsa.pcap" --key assets/server.key --json >"$TMP/r-key.json"
check "replay opened with the server key: hashes reproduce" \
	python3 tests/e2e/finished_check.py "$TMP/r-key.json" --min-finished 2
check "replay: the server knows the master secret from step 5, the client from step 4" \
	jq -e '[.steps[] | [.number, .client_knows.master_secret != null, .server_knows.master_secret != null]]
		== [[1,false,false],[2,false,false],[3,false,false],[4,true,false],[5,true,true],[6,true,true],[7,true,true]]' "$TMP/r-rsa.json"
check "replay of a resumed handshake: both hold the cached session's master secret from step 1" \
	jq -e '.steps[0].client_knows.master_secret != null and .steps[0].server_knows.master_secret != null
		and .steps[0].client_knows.client_write_key == null and .steps[1].server_knows.master_secret != null
		and .steps[1].client_knows.master_secret != null
		and (.steps[2].note | startswith("skipped"))' "$TMP/r-resume.json"
FX=tests/fixtures/illustrated-tls12
if [ -f "$FX/capture.pcap" ]; then
	"$BIN" replay "$FX/capture.pcap" --keylog "$FX/keylog.txt" --json >"$TMP/fx.json"
	check "Illustrated TLS fixture: hashes and verify_data reproduce" \
		python3 tests/e2e/finished_check.py "$TMP/fx.json" --min-finished 2
fi

# The numbers on screen are the ones in the JSON.
"$BIN" --scenario rsa --seed 1 --plain >"$TMP/rsa.plain"
want=$(jq -r .secrets.client_finished_hash "$TMP/rsa.1.json")
check "--plain spells out the client's Finished hash and its length" \
	grep -qF "SHA-256(1,371 bytes of handshake messages) = $want)[0..11]" "$TMP/rsa.plain"
check "--json: client_finished_hash of rsa seed 1" test "${want:0:8}" = 7e2c4cd2
finish
