#!/bin/bash
# serve under a classroom's load: full TLS 1.2 handshakes per second that
# `tlsstep serve --keep-serving` completes with 1, 10 and 100 clients at
# once, against `openssl s_server` (also one thread) on the same machine in
# the same run, with the same load generator (openssl s_time -new, one
# process per concurrent client), suite and key; then serve's memory with
# 1,000 idle connections open. Both servers listen on 127.0.0.1 only.
cd "$(dirname "$0")/../.." || exit 1
SECS=${LOAD_SECONDS:-3}
CIPHER=ECDHE-RSA-AES128-GCM-SHA256
D=$(mktemp -d)
SERVER=
stop() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null; SERVER=; }
trap 'stop; rm -rf "$D"' EXIT

# rate PORT N: handshakes per second with N s_time clients for SECS seconds.
rate() {
	local port=$1 n=$2
	for i in $(seq "$n"); do
		timeout $((SECS + 20)) openssl s_time -connect "127.0.0.1:$port" -new -tls1_2 -cipher "$CIPHER" \
			-time "$SECS" >"$D/st.$i" 2>&1 &
	done
	wait
	# s_time: "N connections in T real seconds"
	cat "$D"/st.* | awk '/connections in [0-9.]+ real seconds/ {c += $1; if ($4 > t) t = $4}
		END { if (t > 0) printf "%.0f", c / t; else printf "0" }'
	rm -f "$D"/st.*
}

start_tlsstep() {
	build/tlsstep serve 0 --keep-serving --cipher "$CIPHER" --timeout 60 >/dev/null 2>"$D/serve.err" &
	SERVER=$!
	for _ in $(seq 50); do grep -q 'listening on' "$D/serve.err" && break; sleep 0.1; done
	PORT=$(sed -n 's/.*listening on 127.0.0.1 port \([0-9]*\).*/\1/p' "$D/serve.err")
}

start_openssl() {
	# -www: one connection after another until killed, stdin not read.
	openssl s_server -tls1_2 -accept 127.0.0.1:0 -cert assets/server.crt -key assets/server.key \
		-cipher "$CIPHER" -www </dev/null >"$D/ossl.out" 2>&1 &
	SERVER=$!
	for _ in $(seq 50); do grep -q '^ACCEPT' "$D/ossl.out" && break; sleep 0.1; done
	PORT=$(sed -n 's/^ACCEPT .*:\([0-9]*\)$/\1/p' "$D/ossl.out")
}

echo "serve under load ($CIPHER, full handshakes, openssl s_time clients, ${SECS} s per point):"
printf '  %-20s %16s %16s %8s\n' "concurrent clients" "tlsstep hs/s" "s_server hs/s" ratio
for n in 1 10 100; do
	start_tlsstep
	t=$(rate "$PORT" "$n")
	stop
	start_openssl
	o=$(rate "$PORT" "$n")
	stop
	awk -v n="$n" -v t="$t" -v o="$o" \
		'BEGIN { printf "  %-20s %16d %16d %7.2fx\n", n, t, o, (o > 0 ? t / o : 0) }'
done

# Memory: serve's resident set before and with 1,000 idle TCP connections
# (accepted, each with its engine and model, waiting for a ClientHello).
start_tlsstep
sleep 0.2
before=$(awk '/^VmRSS/ {print $2}' "/proc/$SERVER/status")
fds_before=$(ls "/proc/$SERVER/fd" | wc -l)
python3 - "$PORT" 1000 "$D/held" <<'EOF' &
import resource, socket, sys, time
port, n, flag = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, n + 100), hard))
held = [socket.create_connection(("127.0.0.1", port)) for _ in range(n)]
open(flag, "w").write("held\n")
time.sleep(10)
EOF
HOLD=$!
for _ in $(seq 100); do [ -s "$D/held" ] && break; sleep 0.1; done
sleep 1
with=$(awk '/^VmRSS/ {print $2}' "/proc/$SERVER/status")
open_fds=$(($(ls "/proc/$SERVER/fd" | wc -l) - fds_before))
kill "$HOLD" 2>/dev/null
wait "$HOLD" 2>/dev/null
stop
awk -v b="$before" -v w="$with" -v f="$open_fds" 'BEGIN {
	printf "serve memory: %.1f MB resident idle, %.1f MB with %d open idle connections (%.1f KB each)\n",
		b / 1024, w / 1024, f, (w - b) / (f > 0 ? f : 1) }'
