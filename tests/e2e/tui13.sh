#!/bin/bash
# The TUI on TLS 1.3 scenarios, in a private tmux server: the 1.3 step
# titles, decrypted messages marked encrypted, the key schedule pane with
# its values, the alert of tls13-tampered, and a clean exit. Every wait is
# bounded.
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1

command -v tmux >/dev/null || { bad "tmux is installed (make deps)"; finish; exit 1; }
TM="tmux -u -L tlsstep-t13-$$"
trap '$TM kill-server 2>/dev/null; rm -rf "$TMP"' EXIT
SEQ=0
S=tui

screen() { $TM capture-pane -p -t "$S" 2>/dev/null; }
shows() { # TEXT [TRIES]
	for _ in $(seq "${2:-50}"); do
		screen | grep -qF -- "$1" && return 0
		sleep 0.1
	done
	return 1
}
expect() { # NAME TEXT [TRIES]
	if shows "$2" "${3:-50}"; then ok "$1"; else bad "$1" "no '$2' on screen: $(screen | head -c 1200)"; fi
}
start() { # W H ARGS...
	local w=$1 h=$2
	shift 2
	SEQ=$((SEQ + 1))
	EXITF="$TMP/exit.$SEQ"
	$TM kill-server 2>/dev/null
	TM="tmux -u -L tlsstep-t13-$$-$SEQ"
	$TM -f /dev/null new-session -d -s "$S" -x "$w" -y "$h" \
		"env LANG=C.UTF-8 LC_ALL=C.UTF-8 '$BIN' $*; echo EXIT=\$? > '$EXITF'; sleep 60"
	$TM set -g window-size manual 2>/dev/null
}
keys() { $TM send-keys -t "$S" "$@"; }
# tab_to TEXT: Tab through the panes until TEXT shows (at most 8 presses).
tab_to() {
	for _ in 1 2 3 4 5 6 7 8; do
		shows "$1" 5 && return 0
		keys Tab
	done
	shows "$1" 10
}

HS=$("$BIN" --tls 1.3 --json | jq -r .secrets.handshake_secret)

for size in "120 40" "80 24"; do
	set -- $size
	s="${1}x${2}:"
	start "$1" "$2" --tls 1.3
	expect "$s step 1 is the TLS 1.3 client hello" "Client hello with key share"
	keys n
	expect "$s step 2: everything after the ServerHello is encrypted" "from here everything is encrypted"
	keys n
	expect "$s step 3 shows EncryptedExtensions, decrypted" "EncryptedExtensions"
	keys n
	expect "$s step 4 shows CertificateVerify" "CertificateVerify"
	if tab_to "Key schedule"; then ok "$s Tab reaches the key schedule pane"; else bad "$s Tab reaches the key schedule pane" "$(screen)"; fi
	keys z
	expect "$s the zoomed key schedule shows the handshake secret's value" "${HS:0:24}"
	keys z
	keys 7
	expect "$s step 7: the secure channel" "Secure channel"
	keys q
	if wait_for "$EXITF" "EXIT=0" 50; then ok "$s q leaves with status 0"; else bad "$s q leaves with status 0" "$(cat "$EXITF" 2>/dev/null)"; fi
done

# c: tlsstep compare over the panes, scrolled with Down, closed by any key
start 100 30 --seed 3
keys c
expect "c shows TLS 1.2 against TLS 1.3 from the seed" "TLS 1.2 against TLS 1.3"
expect "c: the comparison names the seed and both scenarios" "seed 3: TLS 1.2 (scenario ecdhe"
for _ in $(seq 25); do keys Down; done
expect "c: Down scrolls to the round trips" "Round trips before the client may send data: TLS 1.2 2, TLS 1.3 1"
keys x
gone=0
for _ in $(seq 30); do screen | grep -qF "Up Down scroll, any key closes" || { gone=1; break; }; sleep 0.1; done
if [ $gone = 1 ]; then ok "c: any other key closes it"; else bad "c: any other key closes it" "$(screen)"; fi
keys q
if wait_for "$EXITF" "EXIT=0" 50; then ok "c: q leaves with status 0"; else bad "c: q leaves with status 0"; fi

# Every TLS 1.3 scenario steps through with its lesson, the key schedule
# and the comparison: a new scenario row is tested without a new line here.
for sc in $("$BIN" scenarios | awk '/^tls13/ {print $1}'); do
	J=$("$BIN" --scenario "$sc" --seed 1 --json)
	hs=$(jq -r '.secrets.handshake_secret // ""' <<<"$J")
	last=$(jq -r '.steps | length' <<<"$J")
	title=$(jq -r '.steps[-1].title' <<<"$J")
	start 120 40 --scenario "$sc" --seed 1
	expect "$sc: step 1 with its lesson" "Lesson: Client hello with key share"
	keys "$last"
	expect "$sc: step $last, $title" "$title"
	if [ -n "$hs" ]; then
		# who knows what in TLS 1.3 terms: no TLS 1.2 rows such as write MAC keys
		expect "$sc: the knowledge pane lists the handshake secret" "handshake secret"
		if screen | grep -q "write MAC key"; then bad "$sc: no TLS 1.2 'write MAC key' row" "$(screen)"
		else ok "$sc: no TLS 1.2 'write MAC key' row"; fi
	fi
	if [ -n "$hs" ]; then
		if tab_to "Key schedule"; then
			keys z
			expect "$sc: the key schedule shows the handshake secret" "${hs:0:24}"
			keys z
		else
			bad "$sc: Tab reaches the key schedule pane" "$(screen)"
		fi
	fi
	keys c
	expect "$sc: c compares TLS 1.2 and TLS 1.3 from its seed" "TLS 1.2 against TLS 1.3"
	keys x
	keys q
	if wait_for "$EXITF" "EXIT=" 50; then ok "$sc: q leaves"; else bad "$sc: q leaves"; fi
done

start 100 30 --scenario tls13-tampered
keys 4
expect "tls13-tampered: the alert shows at step 4" "decrypt_error"
keys q
if wait_for "$EXITF" "EXIT=" 50; then ok "tls13-tampered: q leaves"; else bad "tls13-tampered: q leaves"; fi
finish
