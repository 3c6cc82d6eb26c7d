#!/bin/bash
# The man page lists every scenario the binary knows.
. "$(dirname "$0")/lib.sh"
cd "$ROOT"
sed 's/\\//g' doc/tlsstep.1 >"$TMP/man.txt"
for s in $("$BIN" scenarios | awk '{print $1}'); do
	check "man page lists scenario $s" grep -q "^.B $s\$" "$TMP/man.txt"
done
finish
