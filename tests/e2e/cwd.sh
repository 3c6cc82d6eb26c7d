#!/bin/bash
# The tests do not depend on the working directory: every unit test binary
# (beside the binary under test, in tests/) and an end-to-end script pass
# when started from an empty folder elsewhere.
. "$(dirname "$0")/lib.sh"
UNIT=$(dirname "$BIN")/tests
ELSEWHERE="$TMP/elsewhere"
mkdir -p "$ELSEWHERE"
cd "$ELSEWHERE" || exit 1

n=0
for t in "$UNIT"/test_*; do
	[ -x "$t" ] || continue
	[ -f "$ROOT/tests/unit/${t##*/}.c" ] || continue # left over from a removed test
	n=$((n + 1))
	"$t" >"$TMP/u.out" 2>&1
	rc=$?
	if [ $rc = 0 ]; then ok "${t##*/} from another folder"
	else bad "${t##*/} from another folder (rc=$rc)" "$(grep -m3 -E 'FAIL|ERROR|cannot' "$TMP/u.out")"; fi
done
check "found the unit tests in $UNIT" test $n -gt 10
E2E_TALLY= bash "$ROOT/tests/e2e/help.sh" >"$TMP/e.out" 2>&1
rc=$?
if [ $rc = 0 ]; then ok "tests/e2e/help.sh from another folder"
else bad "tests/e2e/help.sh from another folder" "$(grep FAIL "$TMP/e.out")"; fi
check "nothing was written here" test -z "$(ls -A "$ELSEWHERE")"
finish
