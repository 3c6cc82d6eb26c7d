#!/bin/bash
# tlsstep replay of TLS 1.0 and TLS 1.1 captures: openssl s_server/s_client
# on loopback, recorded by tshark, replayed with the client's key log. Both
# Finished verify, the application data each way is decrypted, and the
# master secret, keys and verify_data equal tshark's. TLS 1.0 is the one
# with no IV in its records (chained CBC), TLS 1.1 has explicit IVs like 1.2;
# both derive everything with the MD5/SHA-1 PRF.
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1

# OpenSSL 3 refuses TLS 1.0/1.1 at its default security level.
capture() { # VERSION-FLAG SUITE ETM(yes|no) FILE.pcapng KEYLOG
	local ver=$1 suite="$2:@SECLEVEL=0" etm=$3 out=$4 keys=$5 port
	local E=()
	[ "$etm" = no ] && E=(-no_etm)
	rm -f "$out" "$keys" "$TMP/srv.out" "$TMP/ts.err"
	# An ephemeral port on 127.0.0.1, then a capture of just that port. The
	# server's stdin goes to the client once connected (s_server reads it
	# only then); held open meanwhile, as s_server stops when it ends: 40 s,
	# as tshark can take most of 10 s to start on a loaded machine.
	(echo pong; sleep 40) | timeout 45 openssl s_server -accept 127.0.0.1:0 -cert assets/server.crt \
		-key assets/server.key -cipher "$suite" "$ver" "${E[@]}" -naccept 1 >"$TMP/srv.out" 2>&1 &
	local srv=$!
	wait_for "$TMP/srv.out" '^ACCEPT' 50 || return 1
	port=$(sed -n 's/^ACCEPT .*:\([0-9]*\)$/\1/p' "$TMP/srv.out")
	start_capture "$out" "$port" || return 1
	local ts=$CAPTURE_PID
	(echo hello; sleep 2) | timeout 6 openssl s_client -connect "127.0.0.1:$port" "$ver" -cipher "$suite" \
		"${E[@]}" -keylogfile "$keys" -quiet -no_ign_eof >"$TMP/cli.out" 2>&1
	# the client is done; the server would linger until its stdin ends
	sleep 0.5
	kill "$srv" 2>/dev/null
	wait "$srv" 2>/dev/null
	kill -INT "$ts" 2>/dev/null
	wait "$ts" 2>/dev/null
	test -s "$out" -a -s "$keys"
}

for run in "-tls1 AES128-SHA no" "-tls1_1 AES128-SHA no" "-tls1 ECDHE-RSA-AES128-SHA no" \
	"-tls1 AES128-SHA yes" "-tls1_1 DHE-RSA-AES128-SHA yes"; do
	read -r ver suite etm <<<"$run"
	want=$([ "$ver" = -tls1 ] && echo "TLS 1.0" || echo "TLS 1.1")
	n="$want $suite$([ "$etm" = yes ] && echo " encrypt-then-MAC")"
	if ! capture "$ver" "$suite" "$etm" "$TMP/o.pcapng" "$TMP/o.keys"; then
		bad "$n: capture with tshark and openssl" "$(head -c 300 "$TMP/srv.out" "$TMP/cli.out")"
		continue
	fi
	"$BIN" replay "$TMP/o.pcapng" --keylog "$TMP/o.keys" --json >"$TMP/o.json" 2>"$TMP/o.err"
	check "$n: replay exits 0" test $? = 0
	# "version" comes from src/ui/json.c, which names only TLS 1.2; the
	# replay's own "tls_version" names them all
	check "$n: version named" jq -e --arg v "$want" '.tls_version == $v' "$TMP/o.json"
	check "$n: keys, complete, established" jq -e '.keys and .complete and .outcome == "established"' "$TMP/o.json"
	check "$n: both Finished say verify_data matches" \
		test "$(jq '[.steps[].messages[] | select(.name == "Finished" and .note == "verify_data matches")] | length' "$TMP/o.json")" = 2
	check "$n: client's hello decrypted" jq -e '[.steps[6].messages[] | select(.name == "ApplicationData") | .bytes] | any(. == "68656c6c6f0a")' "$TMP/o.json"
	check "$n: server's pong decrypted" jq -e '[.steps[6].messages[] | select(.name == "ApplicationData") | .bytes] | any(. == "706f6e670a")' "$TMP/o.json"
	check "$n: nothing left undecrypted" jq -e '[.steps[].messages[] | select(.encrypted and (.decrypted | not))] | length == 0' "$TMP/o.json"
	tshark -n -o "tls.keylog_file:$TMP/o.keys" -o "tls.debug_file:$TMP/o.dbg" -r "$TMP/o.pcapng" >/dev/null 2>&1
	check "$n: same master secret, keys and verify_data as tshark" python3 tests/e2e/tshark_check.py "$TMP/o.dbg" "$TMP/o.json"
	"$BIN" replay "$TMP/o.pcapng" --keylog "$TMP/o.keys" --list >"$TMP/o.list"
	check "$n: --list names the version, keys yes, complete" grep -q "$want  .*keys: yes  complete" "$TMP/o.list"
	case $suite in ECDHE* | DHE*) continue ;; esac
	"$BIN" replay "$TMP/o.pcapng" --key assets/server.key --json >"$TMP/k.json"
	check "$n: --key instead of the key log, same secrets" python3 tests/e2e/tshark_check.py "$TMP/o.dbg" "$TMP/k.json"
done
finish
