#!/bin/bash
# Remakes tests/fixtures/chromium-156: headless Chromium fetches
# https://127.0.0.1:PORT/ from `openssl s_server -tls1_3 -www` (the
# classroom certificate, assets/server.crt), dumpcap records loopback
# filtered to that port, Chromium writes its NSS key log.
# usage (root, for dumpcap on lo): tests/tools/chromium_capture.sh OUTDIR
set -eu
out=${1:?usage: chromium_capture.sh OUTDIR}
mkdir -p "$out"
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
openssl s_server -accept "127.0.0.1:$port" -tls1_3 -www -alpn http/1.1 -cert assets/server.crt -key assets/server.key \
	-quiet </dev/null >"$tmp/server.log" 2>&1 &
pids+=($!)
dumpcap -i lo -f "tcp port $port" -n -w "$tmp/capture.pcapng" >"$tmp/dumpcap.log" 2>&1 &
pids+=($!)
# no probe connection (it would land in the capture): look at the sockets
for _ in $(seq 100); do
	ss -ltn "sport = :$port" | grep -q LISTEN && [ -s "$tmp/capture.pcapng" ] && break
	sleep 0.1
done
sleep 0.2
SSLKEYLOGFILE="$tmp/keylog.txt" timeout 30 chromium --headless=new --no-sandbox --disable-gpu \
	--no-first-run --no-default-browser-check --disable-extensions --disable-background-networking \
	--disable-component-update --disable-sync --ignore-certificate-errors \
	--user-data-dir="$tmp/profile" --ssl-key-log-file="$tmp/keylog.txt" \
	--dump-dom "https://127.0.0.1:$port/" >"$tmp/page.html" 2>"$tmp/chromium.log" || true
sleep 1
kill "${pids[1]}"; wait "${pids[1]}" 2>/dev/null || true
cp "$tmp/capture.pcapng" "$tmp/keylog.txt" "$out/"
echo "port $port; $(grep -c . "$tmp/keylog.txt") key log lines; page $(wc -c <"$tmp/page.html") bytes" >&2
