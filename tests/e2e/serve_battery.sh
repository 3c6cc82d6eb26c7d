#!/bin/bash
# Conformance battery for `tlsstep serve`: tlsbattery.py sends
# several hundred malformed client flights, each with the outcome RFC 5246
# prescribes, to one `serve --keep-serving`, and checks after each one that
# serve finished the connection and still serves. Ends with one good
# handshake per suite. KNOWN lines are deviations the lead has to decide on:
# counted apart, neither passes nor failures.
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1

# The first python3 that has the cryptography package (make deps installs
# Debian's python3-cryptography for /usr/bin/python3).
PY=
for p in python3 /usr/bin/python3; do
	if "$p" -c 'import cryptography' 2>/dev/null; then PY=$p; break; fi
done
if [ -z "$PY" ]; then
	bad "python3 with the cryptography package (make deps installs python3-cryptography)"
	finish
	exit 1
fi

SERVE_PID=
cleanup() {
	[ -n "$SERVE_PID" ] && kill "$SERVE_PID" 2>/dev/null && wait "$SERVE_PID" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

# Both suites the client speaks, pinned, so suites added to serve's default
# list (ECDHE, DHE) change nothing here.
"$BIN" serve 0 --keep-serving --json --timeout 3 \
	--cipher AES128-GCM-SHA256 --cipher AES128-SHA --cipher ECDHE-RSA-AES128-GCM-SHA256 >"$TMP/serve.json" 2>"$TMP/serve.err" &
SERVE_PID=$!
if ! wait_for "$TMP/serve.err" "listening on 127.0.0.1 port [0-9]" 50; then
	bad "serve starts and prints its port" "$(head -c 600 "$TMP/serve.err")"
	finish
	exit 1
fi
PORT=$(sed -n 's/.*listening on 127.0.0.1 port \([0-9]*\).*/\1/p' "$TMP/serve.err" | head -n 1)

# Generous: the machine running make test may be busy with other work
# (make check gives a sanitized server more: BATTERY_TIMEOUT).
timeout "${BATTERY_TIMEOUT:-600}" "$PY" "$ROOT/tests/e2e/tlsbattery.py" --port "$PORT" --pid "$SERVE_PID" \
	--json-out "$TMP/serve.json" --cert "$ROOT/assets/server.crt" "$@" >"$TMP/battery.out" 2>&1
rc=$?
grep -v '^[0-9]* passed' "$TMP/battery.out" || true
summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ known$' "$TMP/battery.out" | tail -n 1)
if [ -z "$summary" ]; then
	bad "tlsbattery.py ran to the end (exit $rc)" "$(tail -n 5 "$TMP/battery.out")"
else
	read -r p _ f _ k _ <<<"${summary//,/}"
	PASS=$((PASS + p))
	FAIL=$((FAIL + f))
	echo "serve_battery.sh: $p cases as the RFC prescribes, $f not, $k known deviations (KNOWN lines above)"
fi
if kill -0 "$SERVE_PID" 2>/dev/null; then ok "serve is still running after the battery"; else bad "serve is still running after the battery"; fi
if grep -qE 'AddressSanitizer|runtime error|Segmentation fault|Aborted' "$TMP/serve.err"; then
	bad "serve's stderr is free of crashes" "$(grep -E 'AddressSanitizer|runtime error|Segmentation fault|Aborted' "$TMP/serve.err" | head -n 3)"
fi
finish
