#!/bin/bash
# The man page's paths work after `make install`: every file it names under
# /usr/local/share/tlsstep is installed there, no example names a file of the
# source tree (assets/...), and its serve + curl example runs with the
# installed binary and CA certificate.
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1
MAN=doc/tlsstep.1
SHARE=/usr/local/share/tlsstep

DEST="$TMP/dest"
make --no-print-directory install DESTDIR="$DEST" >"$TMP/inst.log" 2>&1
check "make install (default PREFIX) into DESTDIR" test -x "$DEST/usr/local/bin/tlsstep"

named=$(sed 's/\\-/-/g' "$MAN" | grep -o "$SHARE/[A-Za-z0-9_./-]*" | sort -u)
check "the man page names installed files" test -n "$named"
for f in $named; do
	check "installed: $f" test -e "$DEST$f"
done
loose=$(sed 's/\\-/-/g' "$MAN" | grep -nE '(^|[^/A-Za-z])(assets|lessons)/[A-Za-z0-9_-]+\.[a-z]+' || true)
check "no path of the source tree in the man page" test -z "$loose"
[ -n "$loose" ] && echo "     $loose"

# The example, on an ephemeral port: tlsstep serve PORT & then curl --cacert.
BIN="$DEST/usr/local/bin/tlsstep"
if serve_bg "$TMP/serve.out" --plain; then
	curl -s --max-time 10 --cacert "$DEST$SHARE/assets/ca.crt" --tlsv1.2 --tls-max 1.2 \
		--resolve "localhost:$SPORT:127.0.0.1" "https://localhost:$SPORT/" >"$TMP/curl.out" 2>"$TMP/curl.err"
	rc=$?
	check "curl --cacert $SHARE/assets/ca.crt trusts the installed server (rc=$rc)" test $rc = 0
	wait_for "$TMP/s.err" 'rc=' 60
	check "the installed server shows the handshake" grep -q 'Outcome: established' "$TMP/serve.out"
else
	bad "the installed tlsstep serve starts" "$(cat "$TMP/s.err")"
fi
finish
