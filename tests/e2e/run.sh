#!/bin/bash
# Runs every end-to-end script in tests/e2e and sums their results.
#
# E2E_JOBS=N runs N scripts at a time (default 2): each script has its own
# $TMP (lib.sh) and listens on ephemeral ports of 127.0.0.1, so they do not
# meet. A script's output is printed in one piece when it ends, with its
# time; the slowest are listed at the end.
# E2E_ALONE names scripts that measure time or hold many connections, or
# whose server waits out its --timeout (a second script beside them would
# make a slow machine look like a slow tlsstep): they run one at a time
# after the others.
# E2E_SKIP names scripts not to run at all (make check uses it).
# E2E_ONLY, when set, runs just the scripts it names.
cd "$(dirname "$0")/../.." || exit 1
JOBS=${E2E_JOBS:-2}
ALONE=${E2E_ALONE-serve_classroom serve_battery}
export E2E_TALLY
E2E_TALLY=$(mktemp)
LOGS=$(mktemp -d)
trap 'rm -rf "$LOGS" "$E2E_TALLY"' EXIT

listed() { # listed NAME "LIST": is NAME (without .sh) in the space-separated LIST
	case " $2 " in *" $1 "*) return 0 ;; esac
	return 1
}

# One script, its output into the log folder, its status and seconds beside.
one() {
	local t=$1 name start rc
	name=$(basename "$t" .sh)
	start=$(date +%s.%N)
	bash "$t" >"$LOGS/$name.out" 2>&1
	rc=$?
	echo "$rc $(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN {print b - a}')" >"$LOGS/$name.rc"
}

report() { # report NAME: prints a finished script's output once
	local name=$1 rc secs
	read -r rc secs <"$LOGS/$name.rc"
	printf '== tests/e2e/%s.sh (%.0f s)\n' "$name" "$secs"
	cat "$LOGS/$name.out"
	printf '%s %.1f\n' "$name" "$secs" >>"$LOGS/times"
	[ "$rc" = 0 ] || status=1
	touch "$LOGS/$name.done"
}

# Prints every script that finished since the last call.
flush() {
	local f name
	for f in "$LOGS"/*.rc; do
		[ -e "$f" ] || continue
		name=$(basename "$f" .rc)
		[ -e "$LOGS/$name.done" ] || report "$name"
	done
}

status=0
together=() alone=()
for t in tests/e2e/*.sh; do
	name=$(basename "$t" .sh)
	case "$name" in run | lib) continue ;; esac
	[ -n "${E2E_ONLY:-}" ] && ! listed "$name" "$E2E_ONLY" && continue
	listed "$name" "${E2E_SKIP:-}" && { echo "== $t skipped (E2E_SKIP)"; continue; }
	if listed "$name" "$ALONE"; then alone+=("$t"); else together+=("$t"); fi
done

start=$(date +%s)
for t in "${together[@]}"; do
	while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do
		wait -n
		flush
	done
	one "$t" &
done
wait
flush
for t in "${alone[@]}"; do
	one "$t"
	flush
done

read -r p f < <(awk '{p += $1; f += $2} END {print p + 0, f + 0}' "$E2E_TALLY")
echo "e2e: slowest scripts (seconds): $(sort -k2 -rn "$LOGS/times" 2>/dev/null | head -6 | awk '{printf "%s %.0f, ", $1, $2}' | sed 's/, $//')"
echo "e2e: $p passed, $f failed in $(($(date +%s) - start)) s ($JOBS at a time)"
exit $status
