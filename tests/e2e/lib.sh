# Helpers for the end-to-end scripts: check NAME COMMAND... counts a pass
# or a failure and prints one line per check.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BIN="${TLSSTEP_BIN:-$ROOT/build/tlsstep}"
PASS=0
FAIL=0
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

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
# Waits (bounded) until a file contains a pattern.
wait_for() {
	local file=$1 pattern=$2 tries=${3:-50}
	for _ in $(seq "$tries"); do
		grep -q "$pattern" "$file" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}
