#!/bin/bash
# make screenshots: the README's pictures from real runs of the TUI (tmux
# capture-pane with colours, drawn by tools/ansi2png.py): the presenter
# layout at step 1 (cipher suites by name in the tree, the lesson beside
# them) and the ladder diagram at step 5.
set -e
cd "$(dirname "$0")/.."
W=120 H=40
TM="tmux -u -L tlsstep-shot-$$"
trap '$TM kill-server 2>/dev/null' EXIT

# shot NAME KEYS...: a fresh run, the keys, then doc/NAME.png
shot() {
	local name=$1
	shift
	$TM kill-server 2>/dev/null || true
	$TM -f /dev/null new-session -d -s shot -x $W -y $H \
		"env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color build/tlsstep --scenario ecdhe --seed 1; sleep 30"
	for _ in $(seq 50); do
		$TM capture-pane -p -t shot | grep -q "Step 1 of" && break
		sleep 0.1
	done
	for k in "$@"; do
		$TM send-keys -t shot "$k"
		sleep 0.05
	done
	sleep 0.5
	$TM capture-pane -p -e -t shot >"build/$name.ansi"
	/usr/bin/python3 tools/ansi2png.py "build/$name.ansi" "doc/$name.png" $W $H
	echo "wrote doc/$name.png"
}

shot tui-presenter j j j j j j j j j j j j j j j j j
shot tui-ladder 5 L
