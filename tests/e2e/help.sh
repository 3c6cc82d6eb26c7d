#!/bin/bash
# Every command answers --help and -h with its usage on stdout, exit 0 and
# nothing on stderr, wherever the option stands. The table must name every
# subcommand src/main.c dispatches.
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1

# command (empty: the simulation) | a word its usage must contain
COMMANDS=(
	"|--scenario"
	"scenarios|scenarios"
	"replay|--keylog"
	"connect|--servername"
	"serve|--keep-serving"
	"bench|--rounds"
	"compare|forward secrecy"
)

table=$(for row in "${COMMANDS[@]}"; do echo "${row%%|*}"; done | sed '/^$/d' | sort | tr '\n' ' ')
dispatched=$(grep -o 'strcmp(cmd, "[a-z0-9-]*")' src/main.c | sed 's/.*"\(.*\)")/\1/' | sort | tr '\n' ' ')
check "the table names every subcommand of src/main.c ($dispatched)" test "$table" = "$dispatched"

for row in "${COMMANDS[@]}"; do
	cmd=${row%%|*} word=${row#*|}
	for h in --help -h; do
		# shellcheck disable=SC2086 # an empty cmd is no argument
		"$BIN" $cmd $h >"$TMP/h.out" 2>"$TMP/h.err"
		rc=$?
		name="tlsstep${cmd:+ $cmd} $h"
		if [ $rc = 0 ] && [ ! -s "$TMP/h.err" ] && grep -q '^Usage: tlsstep' "$TMP/h.out" && grep -q -- "$word" "$TMP/h.out"; then
			ok "$name: usage on stdout, exit 0"
		else
			bad "$name: usage on stdout, exit 0" "rc=$rc out=$(head -c 200 "$TMP/h.out") err=$(cat "$TMP/h.err")"
		fi
	done
done
# After other arguments too (replay FILE --help is still help, not a replay).
check "tlsstep replay FILE --help" bash -c "'$BIN' replay tests/fixtures/illustrated-tls12/capture.pcap --help | grep -q '^Usage: tlsstep replay'"
check "tlsstep --seed 3 -h" bash -c "'$BIN' --seed 3 -h | grep -q '^Usage: tlsstep'"
# connect and serve speak TLS 1.3 and 1.2 unless --tls names one; the usage says so.
check "connect --help: --tls 1.2|1.3 offers one version, default both" \
	bash -c "'$BIN' connect --help | grep -q -- '--tls 1.2|1.3 .*offer only that version (default: 1.3 and 1.2'"
check "serve --help: --tls 1.2|1.3 accepts one version, default both with 1.3 preferred" \
	bash -c "'$BIN' serve --help | grep -q -- '--tls 1.2|1.3 .*accept only that version (default: both, 1.3 preferred)'"
check "connect --tls 1.4 is a usage error (exit 2)" bash -c "'$BIN' connect 127.0.0.1:1 --tls 1.4 2>/dev/null; test \$? = 2"
check "connect --cipher of a 1.2 suite with --tls 1.3 is a usage error (exit 2)" \
	bash -c "'$BIN' connect 127.0.0.1:1 --tls 1.3 --cipher AES128-SHA 2>&1 | grep -q 'only TLS 1.2 suites'"
finish
