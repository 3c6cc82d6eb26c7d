#!/bin/bash
# --predict. The right letters are never revealed by a helper mode: a
# first run answers every question 'a' and its verdicts name the right
# letters (predict_check.py letters); predict_check.py verify then holds
# each right answer against the run's --json (suite id, server random
# bytes, message order, knowledge columns, alert), so a wrong key fails.
# With the key: every scenario scores M/M, answering wrong scores 0/M, the
# same answers give the same output twice, a short or bad answer sheet is
# one line on stderr and a non-zero exit. Then two replayed captures, and
# the TUI in tmux for every scenario, right and wrong (it asks the very
# questions --plain asks: the same code, src/ui/predict*.c).
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1
PAIRS=() # transcript and --json of each run, checked together at the end
# letters FILE: the right letter of each question, from the verdicts.
letters() {
	sed -n -e 's/^  right: you chose \([a-d]\)) .*/\1/p' \
		-e 's/^  wrong: you chose [a-d]) .*; the answer is \([a-d]\)) .*/\1/p' "$1"
}
# steps FILE: "STEP LETTER" for each question (to drive the TUI).
steps() {
	paste -d' ' <(awk '/^---- Before step /{s=$4+0} /^Q[0-9]+\. /{print s}' "$1") <(letters "$1")
}

# key NAME CMD...: runs CMD --predict --plain with all 'a', learns and
# verifies the right letters into $TMP/NAME.right, then checks the scores.
key() {
	local name=$1
	shift
	yes a | head -100 >"$TMP/a.txt"
	if ! "$@" --predict --plain <"$TMP/a.txt" >"$TMP/$name.a" 2>"$TMP/$name.err"; then
		bad "$name: answering 'a' runs to the end" "$(head -3 "$TMP/$name.err")"
		return 1
	fi
	"$@" --json >"$TMP/$name.json" 2>/dev/null
	PAIRS+=("$TMP/$name.a" "$TMP/$name.json")
	letters "$TMP/$name.a" >"$TMP/$name.right"
	local m
	m=$(wc -l <"$TMP/$name.right")
	if [ "$m" -lt 1 ]; then
		bad "$name: asks at least one question"
		return 1
	fi
	"$@" --predict --plain <"$TMP/$name.right" >"$TMP/$name.r1" 2>&1
	if [ "$(tail -1 "$TMP/$name.r1")" = "score: $m/$m" ]; then ok "$name: all right scores $m/$m"
	else bad "$name: all right scores $m/$m" "$(tail -1 "$TMP/$name.r1")"; fi
	sed 's/^a$/B/; s/^[b-d]$/a/; s/^B$/b/' "$TMP/$name.right" >"$TMP/$name.wrong"
	"$@" --predict --plain <"$TMP/$name.wrong" >"$TMP/$name.w" 2>&1
	local rc=$?
	if [ "$(tail -1 "$TMP/$name.w")" = "score: 0/$m" ] && [ $rc = 0 ] &&
		[ "$(grep -c '^  wrong: ' "$TMP/$name.w")" = "$m" ]; then
		ok "$name: all wrong scores 0/$m, exit 0"
	else
		bad "$name: all wrong scores 0/$m, exit 0" "rc=$rc $(tail -1 "$TMP/$name.w")"
	fi
	"$@" --predict --plain <"$TMP/$name.right" >"$TMP/$name.r2" 2>&1
	if cmp -s "$TMP/$name.r1" "$TMP/$name.r2"; then ok "$name: same answers, same output"
	else bad "$name: same answers, same output"; fi
}

for s in $("$BIN" scenarios | awk '{print $1}'); do
	key "$s" "$BIN" --scenario "$s" --seed 1
done
key "rsa-seed7" "$BIN" --seed 7
key "tamper-5" "$BIN" --scenario ecdhe --seed 2 --tamper 5:20

# A sheet that ends early, a line that is not a letter: one line, non-zero.
m=$(wc -l <"$TMP/rsa-seed7.right")
head -n $((m - 1)) "$TMP/rsa-seed7.right" >"$TMP/short.txt"
"$BIN" --seed 7 --predict --plain <"$TMP/short.txt" >/dev/null 2>"$TMP/short.err"
rc=$?
if [ $rc != 0 ] && [ "$(wc -l <"$TMP/short.err")" = 1 ] && grep -q 'end of input' "$TMP/short.err"; then
	ok "an answer sheet that ends early: one line, exit $rc"
else
	bad "an answer sheet that ends early: one line, non-zero" "rc=$rc $(cat "$TMP/short.err")"
fi
printf 'a\nz\n' >"$TMP/badletter.txt"
"$BIN" --seed 7 --predict --plain <"$TMP/badletter.txt" >/dev/null 2>"$TMP/bad.err"
rc=$?
if [ $rc != 0 ] && [ "$(wc -l <"$TMP/bad.err")" = 1 ] && grep -q "'z' is not an answer" "$TMP/bad.err"; then
	ok "a bad letter from a file: one line naming it, exit $rc"
else
	bad "a bad letter from a file: one line naming it, non-zero" "rc=$rc $(cat "$TMP/bad.err")"
fi
"$BIN" --predict --json </dev/null >/dev/null 2>"$TMP/json.err"
if [ $? = 2 ] && grep -q -- '--predict' "$TMP/json.err"; then ok "--predict --json is a usage error"
else bad "--predict --json is a usage error" "$(cat "$TMP/json.err")"; fi

# Replays: the Illustrated TLS capture and one the simulator records.
F=tests/fixtures/illustrated-tls12
key "illustrated" "$BIN" replay "$F/capture.pcap" --keylog "$F/keylog.txt"
"$BIN" --scenario dhe --seed 3 --plain --record "$TMP/dhe.pcap" --keylog "$TMP/dhe.keys" >/dev/null 2>&1
key "recorded-dhe" "$BIN" replay "$TMP/dhe.pcap" --keylog "$TMP/dhe.keys"

if python3 tests/e2e/predict_check.py "${PAIRS[@]}" >"$TMP/verify.out"; then
	ok "the right answers agree with --json: $(tail -1 "$TMP/verify.out")"
else
	bad "the right answers agree with --json" "$(head -5 "$TMP/verify.out")"
fi

# ---- the TUI ------------------------------------------------------------
command -v tmux >/dev/null || { bad "tmux is installed (make deps)"; finish; exit 1; }
TM="tmux -u -L tlsstep-predict-$$"
trap '$TM kill-server 2>/dev/null; rm -rf "$TMP"' EXIT
SEQ=0
# A tmux server of its own for each run (reusing one raced with its exit).
new_tui() {
	$TM kill-server 2>/dev/null
	SEQ=$((SEQ + 1))
	TM="tmux -u -L tlsstep-predict-$$-$SEQ"
	$TM -f /dev/null new-session -d -s tui -x 110 -y 40 \
		"env LANG=C.UTF-8 LC_ALL=C.UTF-8 '$BIN' $* --predict; echo EXIT=\$?; sleep 30"
}
screen() { $TM capture-pane -p -t tui 2>/dev/null; }
shows() { # TEXT: polls the screen, bounded
	for _ in $(seq 50); do
		screen | grep -qF -- "$1" && return 0
		sleep 0.1
	done
	return 1
}
# tui NAME KEYFILE ARGS...: answers with the letters of KEYFILE ("STEP
# LETTER" lines), checks each verdict and the final score.
tui() {
	local name=$1 keyf=$2 want=$3
	shift 3
	new_tui "$@"
	local step=1 n=0 right=0 okv=1 s l
	while read -r s l; do
		while [ "$step" -lt "$s" ]; do
			$TM send-keys -t tui n
			step=$((step + 1))
		done
		shows "Predict before step $s is shown" || { okv=0; break; }
		$TM send-keys -t tui "$l"
		if [ "$want" = right ]; then shows "right: you chose $l)" || okv=0
		else shows "wrong: you chose $l)" || okv=0; fi
		$TM send-keys -t tui Enter
		n=$((n + 1))
	done <"$keyf"
	[ "$want" = right ] && right=$n
	sleep 0.2
	$TM send-keys -t tui q
	if [ $okv = 1 ] && shows "score: $right/$n" && shows "EXIT=0"; then
		ok "TUI $name: $n verdicts $want, score $right/$n"
	else
		bad "TUI $name: $n verdicts $want, score $right/$n" "$(screen | grep -v '^$' | tail -5)"
	fi
}
for s in $("$BIN" scenarios | awk '{print $1}'); do
	steps "$TMP/$s.a" >"$TMP/$s.steps"
	awk '{print $1, ($2 == "a" ? "b" : "a")}' "$TMP/$s.steps" >"$TMP/$s.wsteps"
	tui "$s" "$TMP/$s.steps" right --scenario "$s" --seed 1
	tui "$s" "$TMP/$s.wsteps" wrong --scenario "$s" --seed 1
done
# 'Enter' on the highlighted choice answers as well as its letter.
new_tui --seed 7
shows "Predict before step 1 is shown"
$TM send-keys -t tui Down Enter
if shows "you chose b)"; then ok "TUI: Down and Enter choose b"; else bad "TUI: Down and Enter choose b" "$(screen | head -12)"; fi
$TM send-keys -t tui Enter n
shows "Predict before step 2 is shown"
if ! screen | grep -qE 'seed 7 +TLS_|Fields \('; then ok "TUI: the question hides the step (no tree, no suite in the status)"
else bad "TUI: the question hides the step (no tree, no suite in the status)" "$(screen | tail -3)"; fi
$TM send-keys -t tui q
$TM kill-server 2>/dev/null
finish
