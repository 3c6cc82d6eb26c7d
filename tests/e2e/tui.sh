#!/bin/bash
# The ncurses TUI in a real terminal: a private tmux server runs
# build/tlsstep in detached sessions (80x24 and 120x40), send-keys drives
# it and capture-pane reads it. Every wait is bounded.
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1

command -v tmux >/dev/null || { bad "tmux is installed (make deps)"; finish; exit 1; }
TM="tmux -u -L tlsstep-test-$$"
trap '$TM kill-server 2>/dev/null; for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$TMP"' EXIT
SEQ=0
S=

screen() { $TM capture-pane -p -t "$S" 2>/dev/null; }
# shows TEXT [TRIES]: polls the screen until TEXT appears (fixed string).
shows() {
	for _ in $(seq "${2:-50}"); do
		screen | grep -qF -- "$1" && return 0
		sleep 0.1
	done
	return 1
}
expect() { # NAME TEXT [TRIES]
	if shows "$2" "${3:-50}"; then ok "$1"; else bad "$1" "no '$2' on screen: $(screen | head -c 900)"; fi
}
# start W H [ENV...] -- [ARGS...]: a fresh session running the TUI.
start() {
	local w=$1 h=$2 envs=()
	shift 2
	while [ $# -gt 0 ] && [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	SEQ=$((SEQ + 1))
	EXITF="$TMP/exit.$SEQ"
	# Each run gets a tmux server of its own: reusing one raced with its
	# exit, and tmux 3.3 could crash creating a second sized session.
	$TM kill-server 2>/dev/null
	TM="tmux -u -L tlsstep-test-$$-$SEQ"
	S=tui
	$TM -f /dev/null new-session -d -s "$S" -x "$w" -y "$h" \
		"env LANG=C.UTF-8 LC_ALL=C.UTF-8 ${envs[*]} '$BIN' $*; echo EXIT=\$? > '$EXITF'; sleep 60"
	$TM set -g window-size manual 2>/dev/null
	return 0
}
keys() { $TM send-keys -t "$S" "$@"; }
exited() { # NAME: the program left with status 0
	if wait_for "$EXITF" "EXIT=0" 50; then ok "$1"; else bad "$1" "$(cat "$EXITF" 2>/dev/null)"; fi
}
dump_line() { $TM capture-pane -p -e -t "$S" | grep -aE $'^(\e\\[[0-9;]*m)*0000 ' | head -1; }

MASTER=$("$BIN" --json --seed 1 | jq -r .secrets.master_secret)

walk() { # W H: the main tour at one size
	local w=$1 h=$2 s="${1}x${2}:"
	start "$w" "$h" --
	expect "$s step 1 shows Client hello" "Client hello"
	expect "$s step 1 shows ClientHello" "ClientHello"
	if [ "$w" -ge 120 ]; then expect "$s step 1 shows a field, its code and name" "client_version 0303 TLS 1.2"
	else expect "$s step 1 shows a field by name" "client_version TLS 1.2"; fi
	local before after
	before=$(dump_line)
	keys j
	expect "$s moving the selection selects record.content_type" "selected: record.content_type"
	after=$(dump_line)
	if [ -n "$before" ] && [ "$before" != "$after" ]; then ok "$s the highlighted bytes change"
	else bad "$s the highlighted bytes change" "before=$before after=$after"; fi
	keys Tab l l l l l l l l l l l l
	expect "$s moving in the dump selects the field under the cursor" "selected: client_hello.random.gmt_unix_time"
	keys n n n n n
	expect "$s five steps forward show Server finished" "Step 6 of 6: Server finished"
	keys Tab Tab Tab
	expect "$s the master secret shown equals --json" "${MASTER:0:24}"
	keys p
	expect "$s back goes to step 5" "Step 5 of 6: Client response"
	keys Tab
	expect "$s step 5 has the derivation" "master_secret = PRF(pre_master"
	keys 3
	expect "$s 3 jumps to step 3" "Step 3 of 6: Server certificate"
	$TM resize-window -t "$S" -x 60 -y 20
	expect "$s 60x20 shows terminal too small" "terminal too small (need 80x24)"
	$TM resize-window -t "$S" -x "$w" -y "$h"
	expect "$s growing again recovers" "Step 3 of 6: Server certificate"
	keys '?'
	expect "$s ? shows the help" "Help: any key closes"
	expect "$s the help lists w" "write the whole handshake"
	expect "$s the help's marker is the one on screen" "'▶' marks"
	keys x
	keys q
	exited "$s q exits with status 0"
}

walk 80 24
walk 120 40
walk 200 60

# A mouse click (SGR encoding, as xterm sends it) selects the field under it.
start 80 24 TERM=xterm-256color --
expect "mouse: the view starts" "Client hello"
keys -l $'\e[<0;12;7M\e[<0;12;7m'
expect "mouse: a click on the tree selects that field" "selected: record.length"
keys q

start 80 24 NO_COLOR=1 --
expect "NO_COLOR=1 starts" "Client hello"
if $TM capture-pane -p -e -t "$S" | grep -aq $'\e\\[3[0-7]m'; then bad "NO_COLOR=1 draws no colour"
else ok "NO_COLOR=1 draws no colour"; fi
keys C-c
exited "Ctrl-C quits with status 0"

start 80 24 -- --ascii
expect "--ascii starts" "Client hello C->S"
if screen | grep -q '[▶│→←]'; then bad "--ascii draws only ASCII"; else ok "--ascii draws only ASCII"; fi
keys q
exited "--ascii quits"

start 80 24 LANG=C LC_ALL=C --
expect "a non-UTF-8 locale falls back to ASCII" "Client hello C->S"
keys q

start 80 24 -- --seed 7 --step 4 --record "$TMP/t.pcap" --keylog "$TMP/t.keys"
expect "--step 4 opens at step 4" "Step 4 of 6: Server hello done"
expect "the status line names the seed" "seed 7"
keys w
expect "w writes the capture and key log" "wrote $TMP/t.pcap"
if [ -s "$TMP/t.pcap" ] && [ -s "$TMP/t.keys" ]; then ok "w: both files are there"; else bad "w: both files are there"; fi
keys w
expect "a second w never overwrites: a new name" "wrote $TMP/t-2.pcap"
keys r
expect "r restarts at step 1" "Step 1 of 6: Client hello"
keys 7
expect "7 runs every step to the secure channel" "After the 6 steps: Secure channel"
keys q

start 80 24 -- --autoplay 0.2
expect "--autoplay steps by itself" "Step 6 of" 150
keys q

start 80 24 -- --scenario untrusted-ca --autoplay 0.2
expect "untrusted CA with autoplay: the question" "The client's choice" 100
sleep 0.8
if screen | grep -q "unknown_ca\|ALERT\|reached the end"; then bad "no verdict on screen before the choice" "$(screen)"
else ok "no verdict on screen before the choice"; fi
expect "autoplay waits for the choice" "waiting for your choice"
keys s
expect "after severing the verdict shows" "unknown_ca"
keys q

start 120 40 -- --scenario tampered
expect "tampered: step 1" "Client hello"
expect "tampered: the changed field is marked in the tree" "!! [0] c0af"
keys / s u i t e s Enter Escape j j
expect "tampered: sent vs received" "the sender wrote c02f TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, the receiver got c0af"
keys q

# A resumed handshake is marked: the skipped steps, the status line, the
# connection list of a replay.
start 120 40 -- --scenario resume
expect "resume: step 1" "Client hello"
if screen | grep -q "(resumed)"; then bad "resume: not said before the ServerHello"; else ok "resume: not said before the ServerHello"; fi
keys 4
expect "resume: the status says resumed" "(resumed)"
expect "resume: the timeline marks the skipped steps" "3 C←S skipped"
keys 3
expect "resume: step 3 says why it is empty" "skipped: the session was resumed"
keys q
"$BIN" --scenario resume --plain --record "$TMP/rs.pcap" --keylog "$TMP/rs.keys" >/dev/null
check "resume: replay --list says resumed" bash -c "'$BIN' replay '$TMP/rs.pcap' --keylog '$TMP/rs.keys' --list | grep -q 'complete  resumed\( \|$\)'"

# w at step 1 writes the whole handshake, named after scenario and seed,
# and tshark decrypts all of it.
mkdir -p "$TMP/w" && cd "$TMP/w" || exit 1
start 80 24 -- --scenario rsa --seed 3
expect "w at step 1: the view starts" "Step 1 of 6"
keys w
expect "w at step 1 writes files named after scenario and seed" "wrote tlsstep-rsa-seed3.pcap"
keys q
cd "$ROOT" || exit 1
TS="tshark -n -o tls.keylog_file:$TMP/w/tlsstep-rsa-seed3.keys"
if $TS -r "$TMP/w/tlsstep-rsa-seed3.pcap" -Y http.request 2>/dev/null | grep -q 'GET /' &&
	[ "$($TS -r "$TMP/w/tlsstep-rsa-seed3.pcap" -Y 'tls.handshake.type == 20' 2>/dev/null | wc -l)" -ge 2 ]; then
	ok "w at step 1: tshark decrypts both Finished and the request"
else bad "w at step 1: tshark decrypts both Finished and the request"; fi

# Every scenario at the three sizes: its story at its step, the offered
# suites by name, the ladder, zoom, the introduction.
story_step() { [ -f "lessons/scenario-$1.md" ] && grep -m1 -o '<!-- step [0-9]* -->' "lessons/scenario-$1.md" | tr -dc 0-9; }
for size in "80 24" "120 40" "200 60"; do
	for sc in $("$BIN" scenarios | awk '{print $1}'); do
		n="${size/ /x} $sc:"
		st=$(story_step "$sc")
		start $size -- --scenario "$sc"
		expect "$n step 1 opens" "Client hello"
		first=$("$BIN" --json --scenario "$sc" | jq -r '.steps[0].messages[0].fields[] | select(.path == "client_hello.cipher_suites[0]") | .meaning' | grep -o 'TLS_[A-Z0-9_]*')
		second=$("$BIN" --json --scenario "$sc" | jq -r '.steps[0].messages[0].fields[] | select(.path == "client_hello.cipher_suites[1]") | .meaning' | grep -o 'TLS_[A-Z0-9_]*')
		keys / s u i t e s Enter Escape
		expect "$n the offered suites by name in the tree" "${first:0:30}" 30
		[ -n "$second" ] && expect "$n ... each of them, not only the selected one" "${second:0:30}" 30
		keys z
		expect "$n z zooms the tree" "zoomed: z goes back" 30
		keys z L
		expect "$n L shows the ladder" "ClientHello -" 30
		keys z
		if screen | grep -q "Ladder"; then ok "$n the ladder zooms"; else bad "$n the ladder zooms"; fi
		keys z 0
		expect "$n 0 shows the introduction" "Step 0: Introduction" 30
		if [ -n "$st" ] && [ -f "lessons/scenario-$sc.md" ]; then
			keys "$st"
			[ "$sc" = untrusted-ca ] && keys s
			keys L z G
			found=0
			for _ in $(seq 80); do
				if shows "In this scenario" 3; then found=1; break; fi
				keys k k k k
			done
			if [ $found = 1 ]; then ok "$n the scenario's story at step $st"
			else bad "$n the scenario's story at step $st" "$(screen | head -c 600)"; fi
		fi
		keys q
	done
done

start 80 24 -- --scenario untrusted-ca --step 6
expect "untrusted CA: the client asks, as browsers do" "accept anyway"
keys s
expect "severing: the handshake stops at its alert step" "ALERT: the client sent a fatal alert unknown_ca"
keys q

start 80 24 -- --scenario untrusted-ca
keys 3
expect "untrusted CA at step 3: the prompt" "sever the connection"
keys a
expect "accepting anyway: the client goes on" "accepted anyway"
keys 6
expect "accepting anyway: the handshake completes" "Step 6 of 6: Server finished"
keys q

start 80 24 -- --no-lessons
expect "--no-lessons starts" "Client hello"
if screen | grep -q "Lesson"; then bad "--no-lessons hides the lesson"; else ok "--no-lessons hides the lesson"; fi
keys q
exited "--no-lessons quits"

if [ -x "$BIN" ]; then
	out=$(TLSSTEP_TUI_BENCH=1 script -qec "'$BIN'" /dev/null 2>&1 </dev/null | tr -d '\r' | grep -ao 'first_frame_ms=[0-9.]* redraw_ms=[0-9.]*')
	if [ -n "$out" ]; then ok "TLSSTEP_TUI_BENCH=1: $out"; else bad "TLSSTEP_TUI_BENCH=1 prints timings"; fi
fi

# A live handshake is browsed the same way: connect to openssl s_server.
if openssl_server "$TMP/ss.log" -cert assets/server.crt -key assets/server.key; then
	start 80 24 -- connect "127.0.0.1:$PORT" --ca assets/ca.crt --servername localhost
	expect "connect opens the same view" "Step 1 of"
	keys 5
	expect "connect: step 5 of the live handshake" "Client response"
	keys 2 L L z G
	found=0
	for _ in $(seq 80); do
		if shows "What the server chose, and why" 3; then found=1; break; fi
		keys k k k k
	done
	if [ $found = 1 ]; then ok "connect: step 2's lesson says what the server chose, and why"
	else bad "connect: step 2's lesson says what the server chose, and why" "$(screen | head -c 600)"; fi
	keys z q
	exited "connect view quits with status 0"
else
	bad "openssl s_server started"
fi

# A replayed capture with two connections: the picker, then the same view.
"$BIN" --plain --record "$TMP/a.pcap" --keylog "$TMP/a.keys" >/dev/null
"$BIN" --plain --seed 2 --scenario rsa-gcm --record "$TMP/b.pcap" --keylog "$TMP/b.keys" >/dev/null
cat "$TMP/a.keys" "$TMP/b.keys" >"$TMP/ab.keys"
if mergecap -a -w "$TMP/ab.pcap" "$TMP/a.pcap" "$TMP/b.pcap" 2>/dev/null; then
	start 80 24 -- replay "$TMP/ab.pcap" --keylog "$TMP/ab.keys"
	expect "replay: a picker lists the connections" "pick one"
	keys j Enter
	expect "replay: the picked connection opens at step 1" "Step 1 of"
	keys 6
	expect "replay: its suite is the second connection's" "AES_128_GCM"
	keys q
	expect "replay: q goes back to the picker" "pick one"
	keys q
	exited "replay: q in the picker quits with status 0"
else
	bad "mergecap joined two captures"
fi

# serve --keep-serving on a terminal: the connections so far, newest first.
start 100 30 -- serve 0 --keep-serving --timeout 3
expect "serve: the list waits for a client" "waiting for a client"
SPORT=$(screen | sed -n 's/.*listening on 127.0.0.1 port \([0-9]*\).*/\1/p' | head -1)
if [ -n "$SPORT" ]; then
	for _ in 1 2; do
		timeout 10 curl -s --cacert assets/ca.crt --tlsv1.2 --tls-max 1.2 "https://localhost:$SPORT/" >/dev/null
	done
	expect "serve: two connections listed" "#2"
	if screen | grep -q "#1 .*established"; then ok "serve: the first is listed as established"
	else bad "serve: the first is listed as established" "$(screen | head -8)"; fi
	if screen | grep -q "#1 .*TLS 1\.2  TLS_"; then ok "serve: the list names the version the server picked (1.2 for curl --tls-max 1.2)"
	else bad "serve: the list names the version the server picked (1.2 for curl --tls-max 1.2)" "$(screen | head -8)"; fi
	timeout 10 curl -s --cacert assets/ca.crt "https://localhost:$SPORT/" >/dev/null
	expect "serve: curl's default gets TLS 1.3, and the list says so" "TLS 1.3  TLS_AES_"
	keys Enter
	expect "serve: Enter opens the newest connection" "Step 1 of"
	# The lecturer reads one handshake; the class still connects.
	if timeout 10 curl -s --cacert assets/ca.crt --tlsv1.2 --tls-max 1.2 "https://localhost:$SPORT/" >/dev/null
	then ok "serve: a client is answered while a handshake is open in the view"
	else bad "serve: a client is answered while a handshake is open in the view"; fi
	keys q
	expect "serve: q goes back to the list" "newest first"
	expect "serve: the client served meanwhile is listed" "#3"
	keys q
	exited "serve: q in the list stops the server with status 0"
else
	bad "serve: the list shows the port" "$(screen | head -3)"
fi

finish
