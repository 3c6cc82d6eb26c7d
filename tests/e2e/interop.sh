#!/bin/bash
# tlsstep against peers nobody here wrote: openssl s_server / s_client and
# curl, on 127.0.0.1 with ephemeral ports and bounded waits.
. "$(dirname "$0")/lib.sh"
cd "$ROOT"
A=assets

# openssl s_server with the classroom server certificate, -msg so its log
# shows both Finished messages; sets PORT.
s_server() {
	local log=$1
	shift
	openssl_server "$log" -msg -cert $A/server.crt -key $A/server.key "$@"
}

# The verify_data of each Finished in an openssl -msg log, in order.
msg_verify_data() {
	grep -A1 'Handshake \[length 0010\], Finished' "$1" | grep '^    14 00 00 0c' |
		sed 's/^    14 00 00 0c //; s/ //g'
}

for pair in AES128-SHA:47 AES128-GCM-SHA256:156 AES256-SHA256:61; do
	suite=${pair%:*} id=${pair#*:}
	s_server "$TMP/srv.log" -cipher "$suite" -keylogfile "$TMP/srv.keys" || bad "s_server $suite started"
	timeout 20 "$BIN" connect "127.0.0.1:$PORT" --ca assets/ca.crt --servername localhost --json >"$TMP/c.json" 2>"$TMP/c.err"
	rc=$?
	check "connect to s_server ($suite): established, exit 0" test "$rc" = 0
	check "connect ($suite): suite as asked" jq -e --argjson id "$id" '.source == "connect" and .outcome == "established" and .cipher_suite_id == $id' "$TMP/c.json"
	ms=$(jq -r .secrets.master_secret "$TMP/c.json")
	check "connect ($suite): openssl's key log has our master secret" grep -q " $ms\$" "$TMP/srv.keys"
	# OpenSSL turns on the extended master secret, and encrypt-then-MAC for CBC
	etm=$([ "$suite" = AES128-GCM-SHA256 ] && echo false || echo true)
	check "connect ($suite): extended master secret, encrypt-then-MAC $etm" \
		jq -e --argjson etm "$etm" '.extended_master_secret and .encrypt_then_mac == $etm' "$TMP/c.json"
	sleep 0.2
	want=$(jq -r '.secrets.client_verify_data, .secrets.server_verify_data' "$TMP/c.json")
	check "connect ($suite): both verify_data agree with openssl -msg" test "$(msg_verify_data "$TMP/srv.log")" = "$want"
	rm -f "$TMP/srv.keys"

	serve_bg "$TMP/s.json" --json || bad "serve started"
	timeout 15 openssl s_client -tls1_2 -cipher "$suite" -connect "127.0.0.1:$SPORT" -servername localhost \
		-CAfile $A/ca.crt -verify_return_error -keylogfile "$TMP/cli.keys" </dev/null >"$TMP/cli.log" 2>&1
	wait_for "$TMP/s.err" '^rc=' 60
	check "s_client to serve ($suite): verified, established" grep -q 'Verify return code: 0 (ok)' "$TMP/cli.log"
	check "serve ($suite): exit 0" grep -q '^rc=0' "$TMP/s.err"
	ms=$(jq -r .secrets.master_secret "$TMP/s.json")
	check "serve ($suite): s_client's key log has our master secret" grep -q " $ms\$" "$TMP/cli.keys"
	check "serve ($suite): saw the SNI" jq -e '.source == "serve" and .server_name == "localhost"' "$TMP/s.json"
	check "serve ($suite): extended master secret, encrypt-then-MAC $etm" \
		jq -e --argjson etm "$etm" '.extended_master_secret and .encrypt_then_mac == $etm' "$TMP/s.json"
	rm -f "$TMP/cli.keys" "$TMP/s.err"
done

# Every suite in tlsstep's table, both ways, against OpenSSL.
for suite in AES256-SHA AES128-SHA256 AES256-GCM-SHA384 ECDHE-RSA-AES128-GCM-SHA256 \
	ECDHE-RSA-AES256-GCM-SHA384 ECDHE-RSA-AES128-SHA ECDHE-RSA-AES256-SHA ECDHE-RSA-AES128-SHA256 \
	ECDHE-RSA-AES256-SHA384 DHE-RSA-AES128-SHA DHE-RSA-AES128-SHA256 DHE-RSA-AES128-GCM-SHA256 \
	DHE-RSA-AES256-GCM-SHA384; do
	rm -f "$TMP/srv.keys" "$TMP/cli.keys" "$TMP/s.err"
	s_server "$TMP/srv.log" -cipher "$suite" -keylogfile "$TMP/srv.keys" || bad "s_server $suite started"
	timeout 20 "$BIN" connect "127.0.0.1:$PORT" --ca assets/ca.crt --servername localhost --cipher "$suite" --json >"$TMP/c.json" 2>/dev/null
	ms=$(jq -r .secrets.master_secret "$TMP/c.json")
	check "$suite: connect agrees with openssl on the master secret" grep -q " $ms\$" "$TMP/srv.keys"
	serve_bg "$TMP/s.json" --json --cipher "$suite" || bad "serve started"
	timeout 15 openssl s_client -tls1_2 -cipher "$suite" -connect "127.0.0.1:$SPORT" -servername localhost \
		-CAfile $A/ca.crt -verify_return_error -keylogfile "$TMP/cli.keys" </dev/null >"$TMP/cli.log" 2>&1
	wait_for "$TMP/s.err" '^rc=' 60
	ms=$(jq -r .secrets.master_secret "$TMP/s.json")
	check "$suite: serve agrees with openssl on the master secret" grep -q " $ms\$" "$TMP/cli.keys"
done

# By default the client trusts the system's CAs, which never heard of the
# classroom CA: unknown_ca, with a hint.
s_server "$TMP/srv.log" -cipher AES128-SHA
timeout 20 "$BIN" connect "127.0.0.1:$PORT" --servername localhost --json >"$TMP/c.json" 2>"$TMP/c.err"
check "system trust store: exit 1" test $? = 1
check "system trust store: the client sends unknown_ca" jq -e '.alert.description == "unknown_ca" and .alert.sent_by == "client" and .alert.step == 3' "$TMP/c.json"
check "system trust store: one line with a hint" bash -c "test \$(wc -l <'$TMP/c.err') = 1 && grep -q -- '--ca assets/ca.crt' '$TMP/c.err'"
s_server "$TMP/srv.log" -cipher AES128-SHA
timeout 20 "$BIN" connect "127.0.0.1:$PORT" --insecure --json >"$TMP/c.json" 2>"$TMP/c.err"
check "--insecure: established" jq -e '.outcome == "established"' "$TMP/c.json"
check "--insecure: said loudly" grep -q 'NOT be verified' "$TMP/c.err"

# What the real server chose that the simulator's default does not show is
# marked on the steps (a chain, the ServerKeyExchange signature); the suite
# is in the live lesson's choice (offered, chosen, and why).
s_server "$TMP/srv.log" -cert assets/chains/rsa-leaf.crt -key assets/chains/rsa-leaf.key \
	-cert_chain assets/chains/rsa-int.crt -sigalgs RSA-PSS+SHA256
timeout 20 "$BIN" connect "127.0.0.1:$PORT" --insecure --json >"$TMP/c.json" 2>/dev/null
check "choice: the suite the server chose, and its rank in the offer" \
	jq -e '(.cipher_suite | startswith("TLS_ECDHE")) and .choice.suite_rank >= 1 and (.choice.why | test("TLS_ECDHE"))' "$TMP/c.json"
check "marks: the chain of 2 certificates" jq -e '.steps[2].note | test("chain of 2 certificates")' "$TMP/c.json"
check "marks: the ServerKeyExchange signature" jq -e '.steps[3].note | test("rsa_pss_rsae_sha256")' "$TMP/c.json"

# serve --keep-serving remembers the last session: openssl s_client
# -reconnect resumes it, and the model says which steps were skipped.
"$BIN" serve 0 --keep-serving --json --timeout 3 >"$TMP/ks.json" 2>"$TMP/ks.err" &
KS=$! # the server itself, so the kill below stops it
PIDS+=($KS)
wait_for "$TMP/ks.err" 'listening on' || bad "serve --keep-serving started"
SPORT=$(sed -n 's/.*port \([0-9]*\)$/\1/p' "$TMP/ks.err")
timeout 20 openssl s_client -tls1_2 -reconnect -no_ticket -connect "127.0.0.1:$SPORT" -CAfile $A/ca.crt \
	-servername localhost </dev/null >"$TMP/rc.log" 2>&1
check "resume: openssl reused the session served by tlsstep" grep -q '^Reused, TLSv1.2' "$TMP/rc.log"
for _ in $(seq 50); do [ "$(wc -l <"$TMP/ks.json")" -ge 6 ] && break; sleep 0.1; done
check "resume: six connections, all established" test "$(jq -r .outcome "$TMP/ks.json" | grep -c established)" = 6
check "resume: a resumed one says steps 3 and 4 were skipped" \
	jq -se '.[1].steps | map(select(.number == 3 or .number == 4) | .note) | all(test("skipped"))' "$TMP/ks.json"
kill "$KS" 2>/dev/null

# A server that only speaks a suite tlsstep lacks.
s_server "$TMP/srv.log" -cipher AES128-CCM
timeout 20 "$BIN" connect "127.0.0.1:$PORT" --ca assets/ca.crt --json >"$TMP/c.json" 2>"$TMP/c.err"
check "no common suite: exit 1" test $? = 1
check "no common suite: handshake_failure from the server" jq -e '.alert.description == "handshake_failure" and .alert.sent_by == "server"' "$TMP/c.json"
check "no common suite: one line on stderr" test "$(wc -l <"$TMP/c.err")" = 1

# A server that reads the ClientHello and hangs up.
cat >"$TMP/hangup.py" <<'PY'
import socket, sys
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
print(s.getsockname()[1], flush=True)
s.settimeout(10)
c, _ = s.accept(); c.recv(4096); c.close()
PY
python3 "$TMP/hangup.py" >"$TMP/port" &
PIDS+=($!)
wait_for "$TMP/port" '[0-9]'
timeout 20 "$BIN" connect "127.0.0.1:$(cat "$TMP/port")" --plain >/dev/null 2>"$TMP/c.err"
check "server hangs up: exit 1" test $? = 1
check "server hangs up: says so in one line" bash -c "test \$(wc -l <'$TMP/c.err') = 1 && grep -q 'closed the connection in the middle of the handshake' '$TMP/c.err'"

# A server that never answers.
sed 's/c.recv(4096); c.close()/import time; time.sleep(8)/' "$TMP/hangup.py" >"$TMP/silent.py"
python3 "$TMP/silent.py" >"$TMP/port2" &
PIDS+=($!)
wait_for "$TMP/port2" '[0-9]'
timeout 20 "$BIN" connect "127.0.0.1:$(cat "$TMP/port2")" --timeout 1 --plain >/dev/null 2>"$TMP/c.err"
check "silent server: exit 1 after the timeout" test $? = 1
check "silent server: names the timeout" grep -q 'timeout' "$TMP/c.err"

# Nobody listening.
timeout 20 "$BIN" connect 127.0.0.1:1 --plain >/dev/null 2>"$TMP/c.err"
check "connection refused: exit 1" test $? = 1
check "connection refused: one line naming it" bash -c "test \$(wc -l <'$TMP/c.err') = 1 && grep -q 'cannot connect' '$TMP/c.err'"

# curl gets the page about its own handshake.
serve_bg "$TMP/s.txt" --plain
timeout 15 curl -sS --cacert $A/ca.crt --tlsv1.2 --tls-max 1.2 "https://localhost:$SPORT/" >"$TMP/page" 2>&1
check "curl gets the handshake page" grep -q 'master secret: [0-9a-f]\{96\}' "$TMP/page"
wait_for "$TMP/s.err" '^rc=' 60
check "serve after curl: exit 0" grep -q '^rc=0' "$TMP/s.err"
finish
