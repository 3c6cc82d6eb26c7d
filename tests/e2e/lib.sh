# Helpers for the end-to-end scripts: check NAME COMMAND... counts a pass
# or a failure and prints one line per check.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BIN="${TLSSTEP_BIN:-$ROOT/build/tlsstep}"
PASS=0
FAIL=0
TMP=$(mktemp -d)
PIDS=() # background servers, stopped on exit
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$TMP"' EXIT

ok() { PASS=$((PASS + 1)); echo "ok   $1"; }
bad() { FAIL=$((FAIL + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && echo "     $2"; }
check() {
	local name=$1
	shift
	if "$@" >"$TMP/out" 2>&1; then ok "$name"; else bad "$name" "$(head -c 600 "$TMP/out")"; fi
}
finish() {
	echo "$(basename "$0"): $PASS passed, $FAIL failed"
	echo "$PASS $FAIL" >>"${E2E_TALLY:-/dev/null}"
	[ "$FAIL" = 0 ]
}
# jq 1.6 exits 0 under -e when its input is empty, so a check of a
# command that printed nothing would pass. Under -e, an empty input file
# (the last argument) fails here instead.
jq() {
	local a
	for a in "$@"; do
		if [ "$a" = -e ] && [ -f "${!#}" ] && [ ! -s "${!#}" ]; then
			echo "jq: ${!#} is empty" >&2
			return 5
		fi
	done
	command jq "$@"
}
# start_capture FILE PORT: tshark on the loopback for one TCP port into
# FILE, in the background (sets CAPTURE_PID). Returns once dumpcap has
# written the file's header: the interface is open and its filter set,
# so nothing sent afterwards is missed ("Capturing on" alone came too
# early on a loaded machine, and the ClientHello went unrecorded).
start_capture() {
	local out=$1 port=$2
	tshark -i lo -f "tcp port $port" -w "$out" -a duration:10 >"$TMP/ts.out" 2>"$TMP/ts.err" &
	CAPTURE_PID=$!
	for _ in $(seq 100); do
		grep -q "Capturing on" "$TMP/ts.err" 2>/dev/null && [ -s "$out" ] && return 0
		sleep 0.1
	done
	kill "$CAPTURE_PID" 2>/dev/null
	return 1
}
# serve_bg OUT ARGS...: tlsstep serve on an ephemeral port of 127.0.0.1 in
# the background, for one connection (--timeout 5), stdout into OUT; sets
# SPORT once it listens. Its exit status is appended to $TMP/s.err as rc=N.
serve_bg() {
	local out=$1
	shift
	rm -f "$TMP/s.err"
	("$BIN" serve 0 --timeout 5 "$@" >"$out" 2>"$TMP/s.err"; echo "rc=$?" >>"$TMP/s.err") &
	PIDS+=($!)
	wait_for "$TMP/s.err" 'listening on' || return 1
	SPORT=$(sed -n 's/.*port \([0-9]*\)$/\1/p' "$TMP/s.err")
}
# Waits (bounded) until a file contains a pattern.
wait_for() {
	local file=$1 pattern=$2 tries=${3:-50}
	for _ in $(seq "$tries"); do
		grep -q "$pattern" "$file" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# openssl_server LOG ARGS...: openssl s_server for one TLS 1.2 connection on
# an ephemeral port of 127.0.0.1, its stdin held open (it stops when stdin
# ends), output in LOG; sets PORT. Fails when it does not start in time.
openssl_server() {
	local log=$1
	shift
	rm -f "$log" # a stale ACCEPT line would name the previous server's port
	(sleep 8 | timeout 15 openssl s_server -tls1_2 -accept 127.0.0.1:0 -naccept 1 "$@" >"$log" 2>&1) &
	PIDS+=($!)
	PORT=
	wait_for "$log" '^ACCEPT' || return 1
	PORT=$(sed -n 's/^ACCEPT .*:\([0-9]*\)$/\1/p' "$log")
}

# logged KEYLOG LABEL CLIENT_RANDOM: the secret an NSS key log holds under
# that label for that connection.
logged() { awk -v l="$2" -v r="$3" '$1 == l && $2 == r {print $3}' "$1" | head -1; }

# same_secrets JSON KEYLOG WHAT: the four TLS 1.3 traffic secrets tlsstep
# shows are the ones the peer logged for the same client random.
same_secrets() {
	local j=$1 k=$2 what=$3 cr
	cr=$(jq -r .secrets.client_random "$j")
	for pair in client_handshake_traffic_secret:CLIENT_HANDSHAKE_TRAFFIC_SECRET \
		server_handshake_traffic_secret:SERVER_HANDSHAKE_TRAFFIC_SECRET \
		client_application_traffic_secret_0:CLIENT_TRAFFIC_SECRET_0 \
		server_application_traffic_secret_0:SERVER_TRAFFIC_SECRET_0; do
		ours=$(jq -r ".secrets.${pair%:*}" "$j")
		check "$what: ${pair%:*} is the peer's ${pair#*:}" \
			test -n "$ours" -a "$ours" = "$(logged "$k" "${pair#*:}" "$cr")"
	done
}

# s_server_n VERSION LOG N ARGS...: openssl s_server for N connections
# on 127.0.0.1 with the classroom certificate; sets PORT.
s_server_n() {
	local v=$1 log=$2 n=$3
	shift 3
	rm -f "$log"
	(sleep 10 | timeout 20 openssl s_server "-$v" -accept 127.0.0.1:0 -naccept "$n" \
		-cert assets/server.crt -key assets/server.key "$@" >"$log" 2>&1) &
	PIDS+=($!)
	PORT=
	wait_for "$log" '^ACCEPT' || return 1
	PORT=$(sed -n 's/^ACCEPT .*:\([0-9]*\)$/\1/p' "$log")
}
