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
finish
