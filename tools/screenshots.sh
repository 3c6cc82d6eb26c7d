#!/bin/bash
# make screenshots: doc/tui-step5.png from a real run of the TUI (tmux
# capture-pane with colours, drawn by tools/ansi2png.py).
set -e
cd "$(dirname "$0")/.."
W=120 H=40
TM="tmux -u -L tlsstep-shot-$$"
trap '$TM kill-server 2>/dev/null' EXIT
$TM -f /dev/null new-session -d -s shot -x $W -y $H \
	"env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color build/tlsstep --seed 1 --step 5; sleep 30"
for _ in $(seq 50); do
	$TM capture-pane -p -t shot | grep -q "Step 5 of" && break
	sleep 0.1
done
$TM send-keys -t shot j j j j j j j j Tab Tab Tab
sleep 0.5
$TM capture-pane -p -e -t shot >build/tui-step5.ansi
/usr/bin/python3 tools/ansi2png.py build/tui-step5.ansi doc/tui-step5.png $W $H
echo "wrote doc/tui-step5.png"
