#!/bin/bash
# --html: pages of simulations, replays and serve, checked in a real
# headless Chromium through the DevTools protocol (tests/html/cdp.py, one
# browser for every page) and by the HTML checker make deps installs
# (html-validate, pinned in tests/html). Also: the size of a page, the
# page of a 1,000-connection capture's chosen connection, and serve
# answering curl with the page of the handshake curl just made.
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1
HV="$ROOT/build/html-validate/node_modules/.bin/html-validate"
CHROMIUM=$(command -v chromium || command -v chromium-browser)
FIX=tests/fixtures/illustrated-tls12

pages=()
for sc in rsa ecdhe resume tampered; do
	"$BIN" --scenario "$sc" --seed 1 --html "$TMP/$sc.html" 2>/dev/null
	"$BIN" --scenario "$sc" --seed 1 --json >"$TMP/$sc.json" 2>/dev/null
	pages+=("$TMP/$sc.html:$TMP/$sc.json")
done
check "--html writes a page and nothing else on stdout" \
	bash -c "[ -z \"\$('$BIN' --html '$TMP/q.html')\" ] && cmp -s '$TMP/q.html' '$TMP/rsa.html'"
"$BIN" --plain --html "$TMP/p.html" >"$TMP/p.txt"
check "--plain --html: both" bash -c "grep -q '==== Step 6' '$TMP/p.txt' && cmp -s '$TMP/p.html' '$TMP/rsa.html'"
check "--html to a folder that does not exist: one line, exit 1" \
	bash -c "'$BIN' --html /nonexistent/x.html 2>'$TMP/e'; [ \$? = 1 ] && [ \$(wc -l <'$TMP/e') = 1 ]"

# the Illustrated TLS capture, and the chosen connection of a 1,000-connection capture
"$BIN" replay "$FIX/capture.pcap" --keylog "$FIX/keylog.txt" --html "$TMP/fixture.html"
"$BIN" replay "$FIX/capture.pcap" --keylog "$FIX/keylog.txt" --json >"$TMP/fixture.json"
pages+=("$TMP/fixture.html:$TMP/fixture.json")
"$BIN" --scenario rsa --seed 5 --json --record "$TMP/c1.pcap" --keylog "$TMP/c1.keys" >/dev/null
"$BIN" --scenario ecdhe --seed 6 --json --record "$TMP/c2.pcap" --keylog "$TMP/c2.keys" >/dev/null
cat "$TMP/c1.keys" "$TMP/c2.keys" >"$TMP/c.keys"
/usr/bin/python3 tests/html/mkcapture.py "$TMP/big.pcap" 1000 "$TMP/c1.pcap" "$TMP/c2.pcap"
check "the 1,000-connection capture has 1,000 connections" \
	bash -c "[ \$('$BIN' replay '$TMP/big.pcap' --list | wc -l) = 1000 ]"
"$BIN" replay "$TMP/big.pcap" --keylog "$TMP/c.keys" --conn 734 --html "$TMP/big734.html"
"$BIN" replay "$TMP/big.pcap" --keylog "$TMP/c.keys" --conn 734 --json >"$TMP/big734.json"
pages+=("$TMP/big734.html:$TMP/big734.json")
check "replay --html of connection 734 is that connection (ECDHE, port 20733)" \
	bash -c "grep -q 'Connection 734 of the capture' '$TMP/big734.html' && grep -q '127.0.0.1:20733' '$TMP/big734.html' && grep -q ECDHE '$TMP/big734.html'"
check "replay --html --list is a usage error" bash -c "'$BIN' replay '$TMP/big.pcap' --list --html '$TMP/x.html' 2>/dev/null; [ \$? = 2 ]"
check "replay --conn beyond the capture writes no page" \
	bash -c "! '$BIN' replay '$FIX/capture.pcap' --conn 9 --html '$TMP/none.html' 2>/dev/null && [ ! -e '$TMP/none.html' ]"

# every openssl kdf command on a page prints the value --json has: SHA-384,
# a DHE premaster as long as p, the extended master secret, a resumed
# session (no premaster), a capture (tests/html/kdf_check.py; serve below)
kdf=("$TMP/resume.html:$TMP/resume.json" "$TMP/fixture.html:$TMP/fixture.json")
for sc in ecdhe-sha384 dhe ems; do
	"$BIN" --scenario "$sc" --html "$TMP/k-$sc.html" && "$BIN" --scenario "$sc" --json >"$TMP/k-$sc.json"
	kdf+=("$TMP/k-$sc.html:$TMP/k-$sc.json")
done
for p in "${kdf[@]}"; do
	check "$(basename "${p%%:*}"): the openssl kdf commands reproduce the secrets" \
		/usr/bin/python3 tests/html/kdf_check.py "${p%%:*}" "${p#*:}"
done
for p in "${pages[@]}"; do
	f=${p%%:*}
	size=$(stat -c %s "$f")
	check "$(basename "$f") is under 400 KB ($size bytes)" test "$size" -lt 409600
done

# serve: curl gets text/html, the page of its own handshake (TLS 1.2 here:
# the page's openssl kdf commands are TLS 1.2's PRF)
SPORT=
serve_bg "$TMP/serve.out" --json --tls 1.2
if [ -n "${SPORT:-}" ]; then
	SSLKEYLOGFILE="$TMP/curl.keys" timeout 10 curl -sk -D "$TMP/h" -o "$TMP/served.html" "https://127.0.0.1:$SPORT/"
	wait_for "$TMP/s.err" "rc=" 100
	ms=$(awk '/^CLIENT_RANDOM/ {print $3}' "$TMP/curl.keys" 2>/dev/null | tail -1)
	check "serve answers a GET with text/html" grep -qi '^content-type: text/html' "$TMP/h"
	check "serve's page holds the master secret from curl's key log" \
		bash -c "[ -n '$ms' ] && grep -q '$ms' '$TMP/served.html'"
	check "serve's page declares its length" \
		bash -c "grep -qi \"^content-length: \$(stat -c %s '$TMP/served.html')\" '$TMP/h'"
	check "serve's page: its openssl kdf commands print the connection's values" \
		/usr/bin/python3 tests/html/kdf_check.py "$TMP/served.html" "$TMP/serve.out"
	pages_served=("$TMP/served.html")
else
	bad "serve did not start" "$(cat "$TMP/s.err" 2>/dev/null)"
	pages_served=()
fi
# serve's default with curl's: TLS 1.3, its secrets and the server's choice on the page
SPORT=
serve_bg "$TMP/serve13.out" --json
if [ -n "${SPORT:-}" ]; then
	SSLKEYLOGFILE="$TMP/curl13.keys" timeout 10 curl -sk -o "$TMP/served13.html" "https://127.0.0.1:$SPORT/"
	wait_for "$TMP/s.err" "rc=" 100
	chts=$(awk '/^CLIENT_HANDSHAKE_TRAFFIC_SECRET/ {print $3}' "$TMP/curl13.keys" 2>/dev/null | tail -1)
	check "serve (default) to curl: a TLS 1.3 page with curl's client handshake traffic secret" \
		bash -c "[ -n '$chts' ] && grep -q '$chts' '$TMP/served13.html' && grep -q 'served your TLS 1.3 handshake' '$TMP/served13.html'"
	check "serve's TLS 1.3 page: the TLS 1.3 lessons, and what the server chose and why" \
		bash -c "grep -q 'from here everything is encrypted' '$TMP/served13.html' &&
			grep -q 'What the server chose, and why' '$TMP/served13.html' && ! grep -q 'lesson unavailable' '$TMP/served13.html'"
	check "serve's TLS 1.3 page: who knows what under the RFC 8446 names (no TLS 1.2 MAC key or master secret rows)" \
		bash -c "grep -q '<th scope=\"row\">client handshake traffic secret</th>' '$TMP/served13.html' &&
			! grep -q '<th scope=\"row\">client write MAC key</th>' '$TMP/served13.html'"
	pages_served+=("$TMP/served13.html")
fi
SPORT=
serve_bg "$TMP/serve2.out"
if [ -n "${SPORT:-}" ]; then
	timeout 10 curl -sk -I -o "$TMP/head.out" "https://127.0.0.1:$SPORT/"
	wait_for "$TMP/s.err" "rc=" 100
	check "serve answers HEAD with the headers only" \
		bash -c "grep -qi '^content-type: text/html' '$TMP/head.out' && ! grep -q '<html' '$TMP/head.out'"
fi

# connect --html: the page of a live connection to openssl s_server
if openssl_server "$TMP/srv.log" -cert assets/server.crt -key assets/server.key -keylogfile "$TMP/srv.keys"; then
	timeout 20 "$BIN" connect "127.0.0.1:$PORT" --ca assets/ca.crt --servername localhost --html "$TMP/connect.html" \
		>"$TMP/connect.out" 2>"$TMP/connect.err"
	rc=$?
	check "connect --html: exit 0, nothing on stdout, a page" \
		bash -c "[ $rc = 0 ] && [ ! -s '$TMP/connect.out' ] && [ -s '$TMP/connect.html' ]"
	ms=$(awk '/^CLIENT_RANDOM/ {print $3}' "$TMP/srv.keys" 2>/dev/null | tail -1)
	check "connect --html: the page holds the master secret openssl logged" \
		bash -c "[ -n '$ms' ] && grep -q '$ms' '$TMP/connect.html'"
	pages_served+=("$TMP/connect.html")
else
	bad "openssl s_server started"
fi

if [ -x "$HV" ]; then
	files=()
	for p in "${pages[@]}"; do files+=("${p%%:*}"); done
	files+=("$TMP"/k-*.html)
	check "the pages validate (html-validate)" "$HV" -c tests/html/htmlvalidate.json "${files[@]}" "${pages_served[@]}"
else
	bad "html-validate is not installed" "run make deps (it installs tests/html's pinned checker under build/)"
fi

if [ -n "$CHROMIUM" ]; then
	mkdir -p "$TMP/shots" "$TMP/profile"
	# every page but ecdhe's (validated above; its layout is rsa's): the
	# browser is the slow part of this script
	browse=()
	for p in "${pages[@]}"; do [[ $p == */ecdhe.html:* ]] || browse+=("$p"); done
	CDP_PROFILE="$TMP/profile" /usr/bin/python3 tests/html/cdp.py "$CHROMIUM" "$TMP/shots" "${browse[@]}" >"$TMP/cdp.out" 2>&1
	while IFS= read -r line; do
		case "$line" in
		"ok   "*) ok "${line#ok   }" ;;
		"FAIL "*) bad "${line#FAIL }" ;;
		*) echo "$line" ;;
		esac
	done <"$TMP/cdp.out"
	grep -q '^ok ' "$TMP/cdp.out" || bad "the browser checks ran" "$(tail -5 "$TMP/cdp.out")"
else
	bad "chromium is not installed" "run make deps"
fi
finish
