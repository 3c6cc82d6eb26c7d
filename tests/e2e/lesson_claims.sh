#!/bin/bash
# What the lessons claim about a run, checked against the run itself. Each
# row names a run (a scenario, and the --tamper, --time or other options a
# lesson suggests), the alert the lessons say it ends in (or "established"),
# the step and the sender of that alert, and a phrase of the lesson text
# printed in that run's --plain output that states it. The row fails when
# the run's --json disagrees with the row, or when the lesson no longer says
# so: the text and the behaviour cannot drift apart unnoticed. Every
# --tamper a lesson suggests must have a row.
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1

# args | alert | step | sender | phrase in the --plain output (wrapping undone)
rows='--scenario untrusted-ca|unknown_ca|3|client|It sent the fatal alert unknown_ca
--scenario untrusted-ca --accept-untrusted|established|||told it to go on. It drew a premaster secret anyway
--scenario expired|certificate_expired|3|client|found the date passed
--scenario expired --time 2020-06-01T00:00:00Z|established|||every check passes
--scenario wrong-host|bad_certificate|3|client|this client sends bad_certificate
--scenario wrong-host --accept-untrusted|established|||the client went on anyway
--scenario no-shared-cipher|handshake_failure|1|server|did not reply with a ServerHello
--scenario old-version|protocol_version|1|server|answered at once with the fatal alert protocol_version
--scenario tampered|decrypt_error|5|server|is not what the server computed from its own transcript
--scenario tampered --tamper 1:20|decrypt_error|4|client|the client finds the signature wrong at step 4: decrypt_error
--scenario tampered --tamper 6:30|bad_record_mac|6|client|A changed byte under encryption fails the record'"'"'s MAC or tag: bad_record_mac
--scenario rsa --tamper 1:20|bad_record_mac|5|server|the client'"'"'s Finished record failed its integrity check at the server
--scenario rsa --tamper 5:100|bad_record_mac|5|server|fails the record check with bad_record_mac
--scenario rsa --tamper 6:30|bad_record_mac|6|client|The client sent the fatal alert bad_record_mac
--scenario ecdhe --tamper 4:20|decrypt_error|4|client|the signature no longer verifies and the client stops with an alert
--scenario ecdhe --tamper 5:20|illegal_parameter|5|server|the server refused the client'"'"'s public value
--scenario ecdhe --tamper 6:30|bad_record_mac|6|client|the client sent the fatal alert bad_record_mac
--scenario mutual --tamper 5:1000|decrypt_error|5|server|the server refuses it with decrypt_error
--scenario rsa-gcm --tamper 5:300|bad_record_mac|5|server|throws the record away unread and sends bad_record_mac
--scenario etm --tamper 5:300|bad_record_mac|5|server|the server rejects it with bad_record_mac
--scenario resume --tamper 5:20|bad_record_mac|5|server|Finished record failed its integrity check at the server
--scenario dhe --seed 563|established|||unless the result starts with a zero byte'

while IFS='|' read -r args alert step sender phrase; do
	# shellcheck disable=SC2086 # args is a list of options
	"$BIN" --json $args >"$TMP/run.json" 2>/dev/null
	# shellcheck disable=SC2086
	"$BIN" --plain $args 2>&1 | tr '\n' ' ' | tr -s ' ' >"$TMP/run.txt"
	if [ "$alert" = established ]; then
		got=$(command jq -r '.outcome' "$TMP/run.json")
		want=established
	else
		got=$(command jq -r '"\(.alert.description) \(.alert.step) \(.alert.sent_by)"' "$TMP/run.json")
		want="$alert $step $sender"
	fi
	if [ "$got" = "$want" ]; then
		ok "$args: $want"
	else
		bad "$args: the run ends in '$got', the lessons say '$want'"
	fi
	if grep -qiF -- "$phrase" "$TMP/run.txt"; then
		ok "$args: the lesson says '$phrase'"
	else
		bad "$args: the lesson text no longer says '$phrase'"
	fi
done <<<"$rows"

# The DHE lesson's suggestion: with --seed 563 the shared number starts
# with a zero byte, which DHE strips (the premaster is shorter than p).
n=$("$BIN" --json --scenario dhe --seed 563 | command jq -r '.secrets.premaster_secret | length / 2')
check "dhe --seed 563: premaster of 255 bytes, not 256 (got $n)" test "$n" = 255

# What the runs print beside the lessons says the same.
r=$("$BIN" --json --scenario mutual --tamper 5:1000 | command jq -r '.alert.reason')
check "mutual --tamper 5:1000: the reason does not claim the client lacks the key" \
	grep -q 'altered, or not made with that key' <<<"$r"
"$BIN" --plain --scenario rsa --tamper 5:100 >"$TMP/p.txt" 2>&1
check "rsa --tamper 5:100: no verify_data verdict for a record the server could not open" \
	bash -c "! grep -q 'verify_data does NOT match' '$TMP/p.txt' && grep -q 'verify_data never checked' '$TMP/p.txt'"
"$BIN" --plain --scenario rsa >"$TMP/p.txt" 2>&1
check "rsa: a one-byte record body is '1 byte'" \
	bash -c "grep -q 'length of the record body: 1 byte\$' '$TMP/p.txt' && ! grep -qE '[^0-9]1 bytes' '$TMP/p.txt'"

# Every --tamper a lesson suggests is a row above.
for t in $(grep -ohE -- '--tamper [0-9]+:[0-9]+' lessons/*.md | sed 's/--tamper //' | sort -u); do
	if grep -qF -- "--tamper $t|" <<<"$rows"; then
		ok "lessons suggest --tamper $t: a row checks it"
	else
		bad "lessons suggest --tamper $t, but no row checks what it does"
	fi
done

# Scenario lessons: markers are "<!-- step N -->" lines, N from 0 to 7 and
# rising, never inside an {{if}} block (the view fills each part alone).
for p in lessons/scenario-*.md; do
	if awk '
		/<!--/ {
			if ($0 !~ /^<!-- step [0-7] -->$/) { print "malformed marker: " $0; bad = 1 }
			n = $3 + 0
			if (seen && n <= last) { print "marker out of order: " $0; bad = 1 }
			if (depth) { print "marker inside {{if}}: " $0; bad = 1 }
			seen = 1; last = n
		}
		{
			line = $0
			depth += gsub(/\{\{ *if /, "", line)
			depth -= gsub(/\{\{ *end *\}\}/, "", line)
		}
		END { exit bad }' "$p" >"$TMP/markers" 2>&1; then
		ok "$p: step markers"
	else
		bad "$p: step markers" "$(cat "$TMP/markers")"
	fi
done
finish
