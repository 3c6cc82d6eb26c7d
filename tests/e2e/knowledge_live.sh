#!/bin/bash
# Who knows what, live: connect fills the remote server's column with what
# the protocol lets it know (marked inferred), and a connection resumed
# against serve keeps its columns through the skipped steps 3-4. Real
# openssl peers on 127.0.0.1, ephemeral ports, bounded waits.
. "$(dirname "$0")/lib.sh"
cd "$ROOT"
A=assets

openssl_server "$TMP/srv.log" -cert $A/server.crt -key $A/server.key -cipher AES128-SHA ||
	bad "s_server started"
timeout 20 "$BIN" connect "127.0.0.1:$PORT" --ca $A/ca.crt --servername localhost --json >"$TMP/c.json" 2>"$TMP/c.err"
check "connect: established" jq -e '.outcome == "established"' "$TMP/c.json"
check "connect: the server's column is inferred, ours is not" \
	jq -e '[.steps[] | .server_knows.inferred == true and (.client_knows.inferred // false) == false] | all' "$TMP/c.json"
check "connect: the server has the premaster and master secret from step 5, not before" \
	jq -e '[.steps[] | [.number, .server_knows.premaster_secret != null, .server_knows.master_secret != null]]
		== [[1,false,false],[2,false,false],[3,false,false],[4,false,false],[5,true,true],[6,true,true],[7,true,true]]' "$TMP/c.json"
check "connect: its server verify_data from step 6" \
	jq -e '.steps[4].server_knows.server_verify_data == null and .steps[5].server_knows.server_verify_data == .secrets.server_verify_data' "$TMP/c.json"
check "connect: transcript and Finished hashes reproduce" python3 tests/e2e/finished_check.py "$TMP/c.json" --min-finished 2
openssl_server "$TMP/srv.log" -cert $A/server.crt -key $A/server.key || bad "s_server started again"
timeout 20 "$BIN" connect "127.0.0.1:$PORT" --insecure --plain >"$TMP/c.plain" 2>/dev/null
check "connect --plain: says the server's column is inferred" grep -q "server's column is inferred" "$TMP/c.plain"

# serve, resumed by openssl s_client -reconnect.
"$BIN" serve 0 --keep-serving --json --timeout 3 >"$TMP/ks.json" 2>"$TMP/ks.err" &
KS=$!
PIDS+=($KS)
wait_for "$TMP/ks.err" 'listening on' || bad "serve --keep-serving started"
SPORT=$(sed -n 's/.*port \([0-9]*\)$/\1/p' "$TMP/ks.err")
timeout 20 openssl s_client -tls1_2 -reconnect -no_ticket -connect "127.0.0.1:$SPORT" -CAfile $A/ca.crt \
	-servername localhost </dev/null >"$TMP/rc.log" 2>&1
check "serve: openssl resumed the session" grep -q '^Reused, TLSv1.2' "$TMP/rc.log"
for _ in $(seq 50); do [ "$(wc -l <"$TMP/ks.json")" -ge 2 ] && break; sleep 0.1; done
kill "$KS" 2>/dev/null
sed -n 2p "$TMP/ks.json" >"$TMP/resumed.json"
check "serve, resumed: steps 3-4 keep the master secret and the transcript of step 2" \
	jq -e '.steps as $s | [3, 4] | map($s[. - 1] | .server_knows.master_secret != null and .client_knows.master_secret != null
		and .server_knows.transcript_hash == $s[1].server_knows.transcript_hash and .server_knows.transcript_hash != null) | all' "$TMP/resumed.json"
check "serve, resumed: the client's column is inferred" jq -e '.steps[2].client_knows.inferred == true' "$TMP/resumed.json"
check "serve, resumed: transcript and Finished hashes reproduce" \
	python3 tests/e2e/finished_check.py "$TMP/resumed.json" --min-finished 2
check "serve, full handshake: transcript and Finished hashes reproduce" \
	bash -c "sed -n 1p '$TMP/ks.json' >'$TMP/full.json' && python3 tests/e2e/finished_check.py '$TMP/full.json' --min-finished 2"

# The same resumed connection in --plain: every lesson loads (none names a
# value nobody holds yet), and the derivation view takes the cached master
# secret at step 1 and makes the key block at step 2.
"$BIN" serve 0 --keep-serving --plain --timeout 3 >"$TMP/ks.plain" 2>"$TMP/ksp.err" &
KS=$!
PIDS+=($KS)
wait_for "$TMP/ksp.err" 'listening on' || bad "serve --keep-serving --plain started"
SPORT=$(sed -n 's/.*port \([0-9]*\)$/\1/p' "$TMP/ksp.err")
timeout 20 openssl s_client -tls1_2 -reconnect -no_ticket -connect "127.0.0.1:$SPORT" -CAfile $A/ca.crt \
	-servername localhost </dev/null >"$TMP/rcp.log" 2>&1
for _ in $(seq 50); do [ "$(grep -c '^Outcome' "$TMP/ks.plain")" -ge 2 ] && break; sleep 0.1; done
kill "$KS" 2>/dev/null
awk '/^tlsstep:/ {n++} n == 2' "$TMP/ks.plain" >"$TMP/resumed.plain"
check "serve --plain, resumed: every lesson loads" \
	bash -c "grep -q '^==== Step 7' '$TMP/resumed.plain' && ! grep -q 'lesson unavailable' '$TMP/ks.plain'"
check "serve --plain, resumed: the cached master secret at step 1, the key block at step 2" \
	bash -c "awk '/^==== Step/ {s = \$3 + 0} /^  (Master secret|Key block) \\(client and server\\)/ {print s, \$1}' '$TMP/resumed.plain' | tr '\n' ' ' | grep -qx '1 Master 2 Key '"
finish
