#!/bin/bash
# tools/check_paths.sh (make check-paths): the repository passes; a small
# tree passes until one bad line is planted in it, then fails naming the
# file and line. The bad lines are assembled with printf so that this file
# does not hold them itself.
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1
CP=tools/check_paths.sh

check "the repository refers to nothing outside it" bash "$CP"

T="$TMP/tree"
mkdir -p "$T/a/b"
printf '#include "../../a/b/ok.h"\nsee ../c and steps 1..N...\n' >"$T/a/b/ok.c"
printf 'x\n' >"$T/a/b/ok.h"
check "a clean tree passes" bash "$CP" "$T"

# plant FILE LINE NAME: the tree fails with FILE:2 named, then is clean again.
plant() {
	local file=$1 line=$2 name=$3
	printf 'first line\n%s\n' "$line" >"$T/$file"
	bash "$CP" "$T" >"$TMP/cp.out" 2>&1
	local rc=$?
	if [ $rc = 1 ] && grep -q "^check-paths: $file:2: " "$TMP/cp.out"; then ok "fails on $name"
	else bad "fails on $name" "rc=$rc $(cat "$TMP/cp.out")"; fi
	rm -f "$T/$file"
}
plant a/beside.sh "$(printf 'FIX=$ROOT/%s/%s/fixtures' .. shared)" "a folder beside the repository"
plant a/b/abs.c "$(printf 'f("/%s/shared/x.crt");' work)" "an absolute /work path"
plant README.md "$(printf 'see /%s/.cache/x' root)" "an absolute /root path"
plant a/home.mk "$(printf 'X := /%s/alice/src' home)" "an absolute /home path"
plant a/own.txt "$T/assets/ca.crt" "the tree's own location"
plant a/b/up.c "$(printf '#include "%s/%s/%s/outside.h"' .. .. ..)" "a relative path out of the tree"
plant a/b/dollar.sh "$(printf 'cd "$(dirname "$0")/%s/%s/%s"' .. .. ..)" "a script climbing out of the tree"

# In a git checkout only tracked files count.
git -C "$T" init -q 2>/dev/null
git -C "$T" add a
printf 'f("/%s/x");\n' work >"$T/a/untracked.c"
check "git: an untracked file is not read" bash "$CP" "$T"
git -C "$T" add a/untracked.c
check "git: once tracked, it fails" bash -c "bash '$CP' '$T' >'$TMP/g'; [ \$? = 1 ] && grep -q '^check-paths: a/untracked.c:1: ' '$TMP/g'"
finish
