#!/bin/bash
# A job in the background of an interactive shell (`tlsstep serve 4433 &`)
# must not take the terminal: it prints plain text instead of being stopped
# by the kernel ("Stopped (tty output)"). The same command in the foreground
# of the terminal still opens the TUI. tty_job.py plays the shell on a pty.
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1
JOB="python3 tests/e2e/tty_job.py"

$JOB bg "$TMP/bg.out" -- "$BIN" --seed 1
rc=$?
check "simulation in the background is not stopped (rc=$rc)" test $rc = 0
check "simulation in the background prints plain text" grep -q 'Step 6: Server finished' "$TMP/bg.out"

$JOB fg "$TMP/fg.out" --keys q -- "$BIN" --seed 1
rc=$?
check "simulation in the foreground: the TUI, q quits (rc=$rc)" test $rc = 0
check "simulation in the foreground takes the screen" grep -qa $'\e\\[?1049h' "$TMP/fg.out"
check "simulation in the foreground is not plain" bash -c "! grep -q 'Step 6: Server finished' '$TMP/fg.out'"

$JOB bg "$TMP/serve.out" --until 'listening on' \
	--then "'$BIN' connect 127.0.0.1:{port} --ca assets/ca.crt --servername server.tlsstep.test --plain --timeout 5" \
	-- "$BIN" serve 0 --timeout 5
rc=$?
check "serve in the background is not stopped (rc=$rc)" test $rc = 0
check "serve in the background shows the handshake as plain text" grep -q 'Outcome: established' "$TMP/serve.out"
finish
