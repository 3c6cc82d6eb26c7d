#!/bin/bash
# Runs every end-to-end script in tests/e2e and sums their results.
cd "$(dirname "$0")/../.." || exit 1
export E2E_TALLY
E2E_TALLY=$(mktemp)
status=0
for t in tests/e2e/*.sh; do
	case "$t" in */run.sh | */lib.sh) continue ;; esac
	echo "== $t"
	bash "$t" || status=1
done
read -r p f < <(awk '{p += $1; f += $2} END {print p + 0, f + 0}' "$E2E_TALLY")
rm -f "$E2E_TALLY"
echo "e2e: $p passed, $f failed"
exit $status
