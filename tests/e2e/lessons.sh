#!/bin/bash
# Lessons: each file exists, is not far over what a teacher reads aloud in
# 1-2 minutes (both branches of {{if}} blocks count here; test_lesson checks
# the filled text), and passes an English spell check (aspell, with the
# project word list lessons/words.txt). Code spans and {{placeholders}} are
# not spell-checked: they hold field names and values, not prose. Run from
# anywhere; it works from the repository root.
set -u
cd "$(dirname "$0")/../.."
fail=0
files="00-introduction 01-client-hello 02-server-hello 03-server-certificate
04-server-hello-done 05-client-response 06-server-finished 07-secure-channel
scenario-rsa-gcm scenario-untrusted-ca scenario-expired scenario-wrong-name
scenario-no-common-suite"
for f in $files; do
	p="lessons/$f.md"
	if [ ! -f "$p" ]; then
		echo "FAIL: $p is missing"
		fail=1
		continue
	fi
	words=$(sed -e 's/{{[^}]*}}//g' "$p" | wc -w)
	if [ "$words" -gt 420 ] || [ "$words" -lt 100 ]; then
		echo "FAIL: $p has $words words (a lesson is read aloud in 1-2 minutes)"
		fail=1
	fi
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

if [ -x build/tlsstep ]; then
	for s in $(build/tlsstep scenarios | awk '{print $1}'); do
		if build/tlsstep --plain --scenario "$s" 2>&1 | grep -q '{{'; then
			echo "FAIL: --plain --scenario $s prints an unfilled placeholder"
			fail=1
		fi
	done
fi

[ $fail = 0 ] && echo "lessons: ok"
exit $fail
