#!/bin/bash
# make deps-run / deps-test without apt: the missing packages and the command
# that installs them are named, and the build goes on when pkg-config finds
# the libraries; make run passes ARGS to the binary. Nothing is installed:
# the package asked for does not exist and apt-get is replaced by `false`.
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1
NOPKG=tlsstep-no-such-package

make -s deps-run DEPS_RUN="$NOPKG" APT_GET=false >"$TMP/d.out" 2>"$TMP/d.err"
check "apt fails, libraries present: deps-run succeeds" test $? = 0
check "it names the missing package" grep -q "missing: $NOPKG" "$TMP/d.err"
check "it gives the command" grep -q "install them with: .*apt-get install -y $NOPKG\$" "$TMP/d.err"

make -s deps-run DEPS_RUN="$NOPKG" PKGS="gmp tlsstep-no-such-lib" APT_GET=false >"$TMP/d.out" 2>"$TMP/d.err"
check "apt fails, a library absent: deps-run fails" test $? != 0
check "it names the library pkg-config lacks" grep -q "does not find tlsstep-no-such-lib: cannot build" "$TMP/d.err"

make -s deps-test DEPS_TEST="$NOPKG" APT_GET=false >"$TMP/d.out" 2>"$TMP/d.err"
check "deps-test names a missing test package" grep -q "missing: $NOPKG" "$TMP/d.err"
check "deps-run does not ask for test packages" bash -c "make -s -n deps-run | grep -v -e cmocka -e valgrind -e tshark | grep -q deps-run"

# Not root and no sudo (stdin is not a terminal, sudo -n is refused): apt
# is not tried at all.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null && setpriv --reuid=65534 --regid=65534 --clear-groups test -r tools/deps.sh; then
	setpriv --reuid=65534 --regid=65534 --clear-groups bash tools/deps.sh deps-run "gmp" "$NOPKG" \
		</dev/null >"$TMP/n.out" 2>"$TMP/n.err"
	check "not root: still succeeds with the libraries" test $? = 0
	check "not root: says apt cannot run" grep -q "cannot run here" "$TMP/n.err"
	check "not root: the command uses sudo" grep -q "install them with: sudo apt-get install -y $NOPKG\$" "$TMP/n.err"
	check "not root: apt-get is not tried" bash -c "! grep -q installing '$TMP/n.out'"
else
	echo "     (not root or no setpriv: the unprivileged case is not run)"
fi

# make run: the binary with ARGS (stdout is not a terminal: plain, or --json).
if [ "$BIN" = "$ROOT/build/tlsstep" ]; then
	make -s run ARGS="--scenario ecdhe --json" 2>/dev/null | grep '^{' >"$TMP/run.json"
	check "make run ARGS=... starts that scenario" jq -e '.scenario == "ecdhe"' "$TMP/run.json"
	make -s run ARGS="--scenario dhe" 2>/dev/null >"$TMP/run.txt"
	check "make run without a terminal is plain" grep -q 'Step 1: Client hello' "$TMP/run.txt"
fi
finish
