#!/bin/bash
# deps.sh WHAT "PKG-CONFIG MODULES" DEBIAN-PACKAGE...: installs the Debian
# packages that are missing (make deps, deps-run, deps-test).
#
# apt-get runs as root, or through sudo when sudo can run (a terminal to
# ask for the password on, or no password needed). When it cannot run, or
# fails (no archive), this prints the missing packages and the command that
# installs them, and still succeeds when pkg-config finds the libraries the
# build needs (MODULES): the build goes on and says what it lacks.
# $APT_GET replaces apt-get (tests point it at a command that fails).
set -u
what=$1 modules=$2
shift 2
apt=${APT_GET:-apt-get}

missing=()
for p in "$@"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} = 0 ]; then
	echo "make $what: all $# packages present"
	exit 0
fi

sudo=()
if [ "$(id -u)" != 0 ]; then
	if command -v sudo >/dev/null && { [ -t 0 ] || sudo -n true 2>/dev/null; }; then
		sudo=(sudo)
	else
		apt=
	fi
fi
if [ -n "$apt" ]; then
	echo "make $what: installing ${missing[*]}"
	if "${sudo[@]}" "$apt" update -q && DEBIAN_FRONTEND=noninteractive "${sudo[@]}" "$apt" install -y -q "${missing[@]}"; then
		exit 0
	fi
	why="apt-get failed"
else
	why="apt-get cannot run here (not root, no sudo)"
fi

cmd="apt-get install -y ${missing[*]}"
[ "$(id -u)" = 0 ] || cmd="sudo $cmd"
{
	echo "make $what: $why; missing: ${missing[*]}"
	echo "make $what: install them with: $cmd"
} >&2
lack=()
for m in $modules; do
	pkg-config --exists "$m" 2>/dev/null || lack+=("$m")
done
if [ ${#lack[@]} != 0 ]; then
	echo "make $what: pkg-config does not find ${lack[*]}: cannot build" >&2
	exit 1
fi
echo "make $what: going on with what is installed" >&2
exit 0
