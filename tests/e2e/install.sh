#!/bin/bash
# Packaging: every option in --help is documented in the man page, the man
# page renders, completion loads, and an installed copy works from elsewhere.
. "$(dirname "$0")/lib.sh"
cd "$ROOT"

check "man page renders" bash -c "MANWIDTH=80 man -l doc/tlsstep.1 2>&1 >/dev/null | grep -v 'cannot adjust\|cannot break' | (! grep -q .)"
for cmd in "" connect serve replay bench; do
	# shellcheck disable=SC2086
	"$BIN" $cmd --help >"$TMP/help" 2>/dev/null
	missing=""
	sed 's/\\//g' doc/tlsstep.1 >"$TMP/man.txt" # roff escapes hyphens
	for opt in $(grep -o -- '--[a-z][a-z-]*' "$TMP/help" | sort -u); do
		grep -q -- "$opt" "$TMP/man.txt" || missing="$missing $opt"
	done
	check "every option of '${cmd:-tlsstep}' --help is in the man page" test -z "$missing"
	[ -n "$missing" ] && echo "     missing:$missing"
done
check "completion loads" bash -c ". completion/tlsstep.bash && complete -p tlsstep"

DEST="$TMP/dest"
make --no-print-directory install DESTDIR="$DEST" PREFIX=/usr >"$TMP/inst.log" 2>&1
check "make install DESTDIR" test -x "$DEST/usr/bin/tlsstep" -a -f "$DEST/usr/share/man/man1/tlsstep.1"
(cd / && "$DEST/usr/bin/tlsstep" --plain --seed 1 >"$TMP/inst.out" 2>&1)
check "installed binary runs from another directory" grep -q 'Outcome: established' "$TMP/inst.out"
check "installed binary finds its lessons" grep -q 'Client hello' "$TMP/inst.out"
make --no-print-directory uninstall DESTDIR="$DEST" PREFIX=/usr >>"$TMP/inst.log" 2>&1
check "make uninstall removes it" test ! -e "$DEST/usr/bin/tlsstep" -a ! -e "$DEST/usr/share/tlsstep"
finish
