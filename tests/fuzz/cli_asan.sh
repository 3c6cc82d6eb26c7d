#!/bin/bash
# Command-line runs under AddressSanitizer + UBSan (make check-cli): every
# scenario in plain and JSON, every step, tampering, recording, and a set of
# usage errors. Each run must exit with the status the contract gives (0, 1
# or 2) and print no sanitizer report (mk/check.mk sets exitcode=86 for those).
BIN=${1:-build-asan/tlsstep}
cd "$(dirname "$0")/../.." || exit 1
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
PASS=0
FAIL=0

# run WANT ARGS...: WANT is a list of accepted exit codes, e.g. "0 1".
run() {
	local want=$1
	shift
	"$BIN" "$@" >"$TMP/out" 2>"$TMP/err" </dev/null
	local rc=$?
	if [[ " $want " == *" $rc "* ]] && ! grep -qE 'Sanitizer|runtime error:' "$TMP/err"; then
		PASS=$((PASS + 1))
	else
		FAIL=$((FAIL + 1))
		echo "FAIL (exit $rc, want $want): tlsstep $*"
		head -c 3000 "$TMP/err"
	fi
}

scenarios=$("$BIN" scenarios | awk '{print $1}')
[ -n "$scenarios" ] || { echo "FAIL: tlsstep scenarios listed nothing"; exit 1; }
run 0 scenarios
run 0 --help
run 0 --version
for sc in $scenarios; do
	for mode in --plain --json; do
		run "0 1" --scenario "$sc" $mode
		run "0 1" --scenario "$sc" $mode --seed 12345 --no-lessons
	done
	run "0 1" --scenario "$sc" --json --accept-untrusted
	run "0 1" --scenario "$sc" --plain --record "$TMP/$sc.pcap" --keylog "$TMP/$sc.keys"
done
for step in 1 2 3 4 5 6 7; do
	run "0 1" --plain --step "$step"
	run "0 1" --json --step "$step" --scenario rsa-gcm
done
# A flipped byte in every step, at a few offsets (past the end of the
# step included: that is a usage error, 2).
for step in 1 2 3 4 5 6; do
	for off in 0 3 5 9 40 100 700 5000; do
		run "0 1 2" --json --tamper "$step:$off:0x80"
		run "0 1 2" --plain --scenario rsa-gcm --tamper "$step:$off"
	done
done
run "0 1" --json --max-fragment 1
run "0 1" --json --max-fragment 7 --scenario rsa-sha256
run "0 1" --json --time 2030-06-01T00:00:00Z
run "0 1" --json --time 2000-01-01

# Usage errors: one line, exit 2.
run 2 --scenario no-such-scenario --plain
run 2 --seed -1 --plain
run 2 --seed abc --plain
run 2 --seed 99999999999999999999999 --plain
run 2 --step 0 --plain
run 2 --step 99 --plain
run 2 --tamper x --plain
run 2 --tamper 5: --plain
run 2 --tamper 9:1 --plain
run 2 --tamper 5:99999 --plain
run 2 --tamper 5:1 --plain --scenario untrusted-ca
run 2 --tamper 5:1:0x1ff --plain
run 2 --time yesterday --plain
run 2 --time 2026-13-45T99:99:99Z --plain
run 2 --autoplay -3 --plain
run 2 --max-fragment 0 --plain
run 2 --no-such-option
run 2 --plain --json extra-argument
run 2 connect
run 2 connect host:port:extra --timeout 0
run 2 serve
run 2 serve notaport
run "1 2" replay
run "1 2" replay "$TMP/does-not-exist.pcap"
printf 'not a capture' >"$TMP/junk.pcap"
run "1 2" replay "$TMP/junk.pcap"
run "0 1 2" replay "$TMP/rsa.pcap" --keylog "$TMP/rsa.keys" --plain
run "0 1 2" replay "$TMP/rsa.pcap" --keylog "$TMP/junk.pcap" --json
run "0 1 2" replay "$TMP/rsa.pcap" --key assets/server.key --plain
run "0 1 2" replay "$TMP/rsa.pcap" --key "$TMP/junk.pcap" --plain
run "0 1 2" bench -n 2 --json
run 1 connect 127.0.0.1:1 --timeout 1 --plain

echo "cli_asan: $PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
