#!/bin/bash
# --tamper STEP:OFFSET that would flip nothing is a usage error (exit 2, one
# line naming the step's length), not a run that looks untouched.
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1

# usage NAME PATTERN ARGS...: exit 2, one line on stderr matching PATTERN, no output
usage() {
	local name=$1 pattern=$2
	shift 2
	"$BIN" "$@" >"$TMP/o" 2>"$TMP/e"
	local rc=$?
	if [ $rc = 2 ] && [ "$(wc -l <"$TMP/e")" = 1 ] && grep -q -- "$pattern" "$TMP/e" && [ ! -s "$TMP/o" ]; then
		ok "$name"
	else bad "$name" "rc=$rc stderr=$(cat "$TMP/e")"; fi
}

for sc in rsa ecdhe mutual; do
	# the step's length on the wire: its records, concatenated
	len=$("$BIN" --json --scenario "$sc" | jq '[.steps[4].records[] | length / 2] | add')
	usage "$sc: --tamper 5:99999 names step 5's $len bytes" "step 5 has $len bytes on the wire (offsets 0 to $((len - 1)))" \
		--plain --scenario "$sc" --tamper 5:99999
	usage "$sc: --tamper 5:$len, one past the end" "step 5 has $len bytes" --json --scenario "$sc" --tamper "5:$len"
	"$BIN" --json --scenario "$sc" --tamper "5:$((len - 1))" >"$TMP/last.json"
	check "$sc: --tamper 5:$((len - 1)), the last byte, is flipped: an alert" jq -e '.outcome == "alert"' "$TMP/last.json"
done
# A flipped length field breaks the step's framing: still a run, measured
# on the untouched handshake.
for t in 1:3 1:4:0x80 2:3; do
	"$BIN" --json --scenario rsa-gcm --tamper "$t" >"$TMP/t.json" 2>"$TMP/t.err"
	rc=$?
	check "--tamper $t (a record length) runs, exit $rc" test $rc = 1 -a -s "$TMP/t.json"
done
usage "step 8 is out of range" "the step is 1 to 7, not 8" --plain --tamper 8:1
usage "step 0 is out of range" "the step is 1 to 7, not 0" --plain --tamper 0:1
usage "a negative offset" "needs STEP:OFFSET" --plain --tamper 5:-1
usage "a step the handshake does not reach" "step 5 is not reached, the handshake ends at step 3" \
	--plain --scenario untrusted-ca --tamper 5:1

# Resumed, the server's Finished (step 6) goes before the client's step 5:
# when the client refuses it, step 5 holds the alert and step 6 is still
# shown, so every record of the run appears.
"$BIN" --json --scenario resume --tamper 6:30 >"$TMP/r.json" 2>/dev/null
check "resume --tamper 6:30: the client's bad_record_mac at step 5" \
	jq -e '.alert.sent_by == "client" and .alert.description == "bad_record_mac" and .alert.step == 5' "$TMP/r.json"
check "resume --tamper 6:30: step 6 shows the server's ChangeCipherSpec and Finished record" \
	jq -e '[.steps[] | select(.number == 6) | .messages[].name] == ["ChangeCipherSpec", "Encrypted handshake message"]' "$TMP/r.json"
finish
