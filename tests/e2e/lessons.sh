#!/bin/bash
# Lessons: each file exists, is not far over what a teacher reads aloud in
# 1-2 minutes, and passes an English spell check (aspell, with the project
# word list lessons/words.txt). Code spans and {{placeholders}} are not
# spell-checked: they hold field names and values, not prose. Then every
# scenario, and the runs the lessons suggest under "Try this", print in
# --plain without an unfilled placeholder or an unavailable lesson. Run from
# anywhere; it works from the repository root.
set -u
cd "$(dirname "$0")/../.."
fail=0
files="00-introduction 01-client-hello 02-server-hello 03-server-certificate
04-server-hello-done 05-client-response 06-server-finished 07-secure-channel
scenario-rsa-gcm scenario-rsa-sha256 scenario-ems scenario-etm scenario-ecdhe scenario-ecdhe-sha384
scenario-ecdhe-ecdsa scenario-dhe scenario-mutual scenario-resume scenario-untrusted-ca
scenario-expired scenario-wrong-host scenario-wrong-purpose scenario-no-shared-cipher
scenario-old-version scenario-tampered
tls13-00-introduction tls13-01-client-hello tls13-02-server-hello tls13-03-encrypted-extensions
tls13-04-server-finished tls13-05-client-finished tls13-06-session-ticket tls13-07-secure-channel
tls13-scenario tls13-scenario-hrr tls13-scenario-resume tls13-scenario-mutual tls13-scenario-chacha
tls13-scenario-tampered tls13-scenario-ecdsa"
for f in $files; do
	p="lessons/$f.md"
	if [ ! -f "$p" ]; then
		echo "FAIL: $p is missing"
		fail=1
		continue
	fi
	# Every branch of the {{if}} blocks counts here, and the step lessons
	# hold branches for each key exchange and for resumption, so the bound
	# is loose; test_lesson checks the filled text of every scenario
	# against 100-400 words.
	words=$(sed -e 's/{{[^}]*}}//g' "$p" | wc -w)
	if [ "$words" -gt 900 ] || [ "$words" -lt 100 ]; then
		echo "FAIL: $p has $words words (a lesson is read aloud in 1-2 minutes)"
		fail=1
	fi
done
# No lesson is left behind under a scenario name that no longer exists.
for p in lessons/scenario-*.md; do
	n=$(basename "$p" .md)
	case " $(echo $files) " in
	*" $n "*) ;;
	*)
		echo "FAIL: $p is not in this test's list (a renamed scenario?)"
		fail=1
		;;
	esac
done

if command -v aspell >/dev/null 2>&1 && aspell dicts 2>/dev/null | grep -q '^en'; then
	bad=$(for p in lessons/*.md; do
		sed -e 's/`[^`]*`//g' -e 's/{{[^}]*}}//g' "$p" |
			aspell list --lang=en_US --mode=none --personal="$PWD/lessons/words.txt" |
			sed "s|^|$p: |"
	done | sort -u)
	if [ -n "$bad" ]; then
		echo "FAIL: words aspell does not know (fix them, or add terms to lessons/words.txt):"
		echo "$bad"
		fail=1
	fi
else
	echo "SKIP: spell check (install aspell and aspell-en)"
fi

# A run's --plain output with an unfilled placeholder or a lesson that
# failed to load (text_lesson prints "(lesson unavailable: why)").
check_plain() {
	local out
	out=$(build/tlsstep --plain "$@" 2>&1)
	# a placeholder, not two braces a hex dump's ASCII column happens to show
	if echo "$out" | grep -qE '\{\{ *(if |else|end|[a-z_]+ *\}\})'; then
		echo "FAIL: --plain $* prints an unfilled placeholder"
		fail=1
	fi
	if echo "$out" | grep -q 'lesson unavailable'; then
		echo "FAIL: --plain $*: $(echo "$out" | grep 'lesson unavailable' | head -1)"
		fail=1
	fi
}
if [ -x build/tlsstep ]; then
	for s in $(build/tlsstep scenarios | awk '{print $1}'); do
		check_plain --scenario "$s"
	done
	# the old names still work
	check_plain --scenario wrong-name
	check_plain --scenario no-common-suite
	# the runs the lessons suggest
	check_plain --scenario rsa --tamper 5:100
	check_plain --scenario rsa --tamper 6:30
	check_plain --scenario rsa --tamper 1:20
	check_plain --scenario rsa-gcm --tamper 5:300
	check_plain --scenario ecdhe --tamper 4:20
	check_plain --scenario ecdhe --tamper 5:20
	check_plain --scenario ecdhe --tamper 6:30
	check_plain --scenario mutual --tamper 5:1000
	check_plain --scenario resume --tamper 5:20
	check_plain --scenario tampered --tamper 6:30
	check_plain --scenario dhe --seed 563
	check_plain --scenario untrusted-ca --accept-untrusted
	check_plain --scenario wrong-host --accept-untrusted
	check_plain --scenario expired --time 2020-06-01T00:00:00Z
	check_plain --scenario rsa --step 4
fi

[ $fail = 0 ] && echo "lessons: ok"
exit $fail
