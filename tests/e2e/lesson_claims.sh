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
--scenario ecdhe-ecdsa --tamper 4:100|decrypt_error|4|client|changes a byte of the ECDSA signature; the client finds it does not verify
--scenario ecdhe --tamper 5:20|illegal_parameter|5|server|the server refused the client'"'"'s public value
--scenario ecdhe --tamper 6:30|bad_record_mac|6|client|the client sent the fatal alert bad_record_mac
--scenario mutual --tamper 5:1000|decrypt_error|5|server|the server refuses it with decrypt_error
--scenario rsa-gcm --tamper 5:300|bad_record_mac|5|server|throws the record away unread and sends bad_record_mac
--scenario etm --tamper 5:300|bad_record_mac|5|server|the server rejects it with bad_record_mac
--scenario resume --tamper 5:20|bad_record_mac|5|server|Finished record failed its integrity check at the server
--scenario dhe --seed 563|established|||unless the result starts with a zero byte
--scenario tls13-tampered|decrypt_error|4|client|RFC 8446 (4.4.3) asks for exactly this alert
--scenario tls13-downgrade|illegal_parameter|2|client|The client found them and stopped at once
--scenario tls13-tampered --tamper 4:30|bad_record_mac|4|client|of the same record on the wire instead, as a real attacker would: the client answers bad_record_mac
--scenario tls13 --tamper 3:40|bad_record_mac|3|client|the client answers bad_record_mac at once
--scenario ecdhe --tamper 4:20|decrypt_error|4|client|the client refused the ServerKeyExchange before drawing its own value: no premaster secret exists on either side
--scenario dhe --tamper 4:20|decrypt_error|4|client|no premaster secret exists on either side
--scenario mutual --tamper 4:20|decrypt_error|4|client|no premaster secret exists on either side
--scenario tampered --tamper 1:20|decrypt_error|4|client|no premaster secret exists on either side
--scenario ecdhe --tamper 6:30|bad_record_mac|6|client|the server'"'"'s Finished record failed its integrity check at the client; verify_data was never read
--scenario rsa --tamper 6:30|bad_record_mac|6|client|the server'"'"'s Finished record failed its integrity check at the client
--scenario resume|established|||At that moment the server still waited for the client'"'"'s Finished
--scenario untrusted-ca|unknown_ca|3|client|An alert sent before the sender'"'"'s ChangeCipherSpec travels in cleartext
--scenario rsa|established|||An alert sent before the sender'"'"'s ChangeCipherSpec travels in cleartext; after it, alerts are encrypted like any record
--scenario tampered|decrypt_error|5|server|The first entry arrived as a code the server does not implement, so it took the next one it supports
--scenario tampered --tamper 3:100|unknown_ca|3|client|breaks its signature or changes its issuer (bad_certificate, unsupported_certificate, unknown_ca
--scenario tampered --tamper 3:20|bad_certificate|3|client|makes it fail to parse
--scenario tampered --tamper 3:200|unsupported_certificate|3|client|makes it fail to parse
--scenario tampered --tamper 3:300|bad_certificate|3|client|breaks its signature
--scenario ecdhe --tamper 6:30|bad_record_mac|6|client|Each side multiplied the other'"'"'s point by its own private number
--scenario wrong-host --accept-untrusted|established|||sees the host name in the ClientHello and the certificate.
--scenario tls13-downgrade|illegal_parameter|2|client|32 random bytes, TLS 1.3'"'"'s middlebox compatibility mode (RFC 8446, D.4), not a session to resume
--scenario tls13-downgrade|illegal_parameter|2|client|The attacker cannot strip the mark: an ECDHE or DHE ServerKeyExchange signs both randoms
--scenario resume|established|||the client names a session from an earlier connection and asks to resume it
--scenario tls13|established|||The real offer is the supported_versions extension (4.2.1): TLS 1.3 and TLS 1.2
--scenario tls13|established|||PKCS#1 v1.5 must not sign a TLS 1.3 handshake message
--scenario tls13-ecdsa|established|||RFC 6979 derives it from the key and the message
--scenario tls13-ecdsa|established|||Their lengths still show through: '

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

# What the lessons must not say in a run, because the run shows otherwise:
# args | phrase absent from its --plain output (wrapping undone).
never='--scenario ecdhe --tamper 4:20|the client holds the premaster secret, the master secret and all session keys
--scenario tampered --tamper 1:20|the client holds the premaster secret, the master secret and all session keys
--scenario ecdhe --tamper 4:20|Each side multiplied the other'"'"'s point
--scenario ecdhe --tamper 6:30|the handshake is over
--scenario rsa --tamper 6:30|the handshake is over
--scenario ecdhe --tamper 6:30|Try this: --tamper 6:30
--scenario resume|Both sides hold identical keys and a verified transcript; the handshake is over
--scenario untrusted-ca|Alerts during the handshake travel in cleartext
--scenario rsa|After the handshake they are encrypted like everything else
--scenario tampered --tamper 6:30|and any alert, in cleartext
--scenario tampered|the server decides by its own configuration
--scenario tampered --tamper 3:100|breaks a signature (bad_certificate or decrypt_error)
--scenario wrong-host --accept-untrusted|in the ClientHello, the certificate.
--scenario no-shared-cipher|--scenario no-shared-cipher shows
--scenario old-version|--scenario old-version one that refuses
--scenario tampered|unknown suite
--scenario expired|expired on '

while IFS='|' read -r args phrase; do
	# shellcheck disable=SC2086 # args is a list of options
	"$BIN" --plain $args 2>&1 | tr '\n' ' ' | tr -s ' ' >"$TMP/run.txt"
	if grep -qiF -- "$phrase" "$TMP/run.txt"; then
		bad "$args: the output says '$phrase', which the run contradicts"
	else
		ok "$args: the output does not say '$phrase'"
	fi
done <<<"$never"

# The run behind the alert sentences: an alert sent after the sender's
# ChangeCipherSpec is a protected record (longer than its two bytes), one
# sent before it is two bytes in the clear.
alert_body() {
	# shellcheck disable=SC2086
	"$BIN" --json $1 | command jq -r '[.steps[].records[] | select(startswith("15"))][0][6:10]'
}
check "ecdhe --tamper 6:30: the client's alert after its ChangeCipherSpec is encrypted" \
	test "$(alert_body '--scenario ecdhe --tamper 6:30')" != 0002
check "untrusted-ca: the client's alert before any ChangeCipherSpec is two bytes in the clear" \
	test "$(alert_body '--scenario untrusted-ca')" = 0002

# The engine's own words: a suite it lacks is named as such, and a
# certificate is valid through notAfter (RFC 5280, 4.1.2.5).
"$BIN" --plain --scenario tampered >"$TMP/p.txt" 2>&1
check "tampered: 0xC0AF is 'a suite tlsstep does not implement'" \
	grep -q 'offered first: a suite tlsstep does not implement (0xC0AF)' "$TMP/p.txt"
r=$("$BIN" --json --scenario expired | command jq -r '.alert.reason')
check "expired: the verdict says the certificate expired after its notAfter" \
	grep -q 'expired after 2021-01-01 00:00:00 UTC' <<<"$r"

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
