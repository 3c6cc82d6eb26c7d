#!/bin/bash
# tlsstep replay end to end: every scenario's --record replays to the
# simulation's steps and secrets; the Illustrated TLS 1.2 fixture gives its
# published values; captures of openssl s_server/s_client made here give
# tshark's secrets (key log, --key, pcapng Decryption Secrets Block); the
# corpus of broken files in tests/replay gets its expected one-line answers,
# under valgrind with E2E_VALGRIND=1 (make check runs this script under
# AddressSanitizer, which checks the same runs in a fraction of the time).
. "$(dirname "$0")/lib.sh"
cd "$ROOT"
FIX="$ROOT/tests/fixtures/illustrated-tls12"

# ---- (a) round trip -------------------------------------------------------
above_traffic='.premaster_secret, .master_secret, .early_secret, .binder_key, .derived_for_handshake,
  .handshake_secret, .derived_for_master, .resumption_master_secret'
keylog_gives=".secrets | if \$v == \"TLS 1.3\" then del($above_traffic) else del(.premaster_secret) end"
keylog_gives=".version as \$v | $keylog_gives"
# After an attacker's flip (.tamper) the capture holds what arrived, not
# what the sender hashed: a replay's Finished hashes are the receiver's.
# (wire_only is set per scenario below)
same_steps='[.outcome, .alert.sent_by, .alert.description, .alert.step,
  [.steps[] | [.number, .title, .records, [.messages[] | .name]]]]'
for sc in $("$BIN" scenarios | awk '{print $1}'); do
	rm -f "$TMP/s.pcap" "$TMP/s.keys"
	"$BIN" --json --scenario "$sc" --seed 3 --record "$TMP/s.pcap" --keylog "$TMP/s.keys" >"$TMP/sim.json" 2>/dev/null
	K=()
	[ -s "$TMP/s.keys" ] && K=(--keylog "$TMP/s.keys")
	"$BIN" replay "$TMP/s.pcap" "${K[@]}" --json >"$TMP/rep.json" 2>"$TMP/err"
	check "$sc: replay exits 0" test $? = 0
	check "$sc: one JSON line, source replay" test "$(jq -r .source "$TMP/rep.json")" = replay
	wire_only=.
	jq -e .tamper "$TMP/sim.json" >/dev/null && wire_only='del(.secrets.client_finished_hash, .secrets.server_finished_hash)'
	check "$sc: same steps, records, messages, outcome" \
		test "$(jq -c "$same_steps" "$TMP/sim.json")" = "$(jq -c "$same_steps" "$TMP/rep.json")"
	# the key log gives the master secret, not the premaster; in TLS 1.3 it
	# gives the traffic secrets, none of the secrets above them
	# (tls13-tampered: the replay checks the altered wire, where the server's
	# Finished no longer matches; the key log also holds secrets the client
	# never got to use)
	if [ "$sc" = tls13-tampered ]; then
		check "$sc: the replay finds the altered CertificateVerify" \
			jq -e '[.notes[] | select(test("server Finished does NOT verify.*server CertificateVerify does NOT verify"))] | length == 1' "$TMP/rep.json"
	else
		check "$sc: same secrets (premaster aside; 1.3: what a key log gives)" \
			test "$(jq -c "$wire_only | $keylog_gives" "$TMP/sim.json")" = "$(jq -c "$wire_only | $keylog_gives" "$TMP/rep.json")"
	fi
	if jq -e '.version == "TLS 1.3"' "$TMP/sim.json" >/dev/null; then
		check "$sc: 1.3: the secrets above the traffic secrets unknown to the replay" \
			jq -e "[.secrets | $above_traffic] | all(. == null)" "$TMP/rep.json"
	fi
	if [ -s "$TMP/s.keys" ] && jq -e '.cipher_suite | startswith("TLS_RSA_")' "$TMP/sim.json" >/dev/null; then
		"$BIN" replay "$TMP/s.pcap" --key assets/server.key --json >"$TMP/rep2.json"
		check "$sc: --key gives every secret, premaster too" \
			test "$(jq -c "$wire_only | .secrets" "$TMP/sim.json")" = "$(jq -c "$wire_only | .secrets" "$TMP/rep2.json")"
	fi
done
"$BIN" --json --scenario rsa --record "$TMP/s.pcap" >/dev/null
"$BIN" replay "$TMP/s.pcap" --json >"$TMP/rep.json"
check "no keys: cleartext steps in full, Finished marked with what is needed" \
	jq -e '.secrets.master_secret == null and
	  ([.steps[].messages[] | select(.name == "Certificate")] | length == 1) and
	  ([.steps[4].messages[] | select(.encrypted and (.decrypted | not)) | .note
	    | test("master secret is needed")] | all)' "$TMP/rep.json"

# several connections in one file, the same ports reused
for seed in 1 2 3; do
	"$BIN" --json --scenario rsa --seed $seed --record "$TMP/m$seed.pcap" --keylog "$TMP/m$seed.keys" >/dev/null
done
mergecap -a -w "$TMP/m.pcap" "$TMP/m1.pcap" "$TMP/m2.pcap" "$TMP/m3.pcap"
cat "$TMP"/m[123].keys >"$TMP/m.keys"
"$BIN" replay "$TMP/m.pcap" --keylog "$TMP/m.keys" --list >"$TMP/list"
check "--list: three lines, keys and complete" test "$(grep -c 'TLS 1.2  TLS_RSA_WITH_AES_128_CBC_SHA (0x002F)  keys: yes  complete' "$TMP/list")" = 3
"$BIN" replay "$TMP/m.pcap" --keylog "$TMP/m.keys" --json >"$TMP/all.json"
check "--json: one object per connection" test "$(jq -s 'map(.connection) | join(",")' -r "$TMP/all.json")" = "1,2,3"
"$BIN" replay "$TMP/m.pcap" --keylog "$TMP/m.keys" --json --conn 2 >"$TMP/two.json"
"$BIN" --json --scenario rsa --seed 2 >"$TMP/sim2.json"
check "--conn 2 is the second handshake" test "$(jq -c .secrets.master_secret "$TMP/two.json")" = "$(jq -c .secrets.master_secret "$TMP/sim2.json")"

# Connections to servers with different certificates, one repeated, and a
# client certificate: a certificate chain described once and reused for a
# later connection must give that connection exactly its own fields.
parts=()
i=0
for sc in rsa wrong-host untrusted-ca rsa mutual wrong-host; do
	i=$((i + 1))
	"$BIN" --json --scenario "$sc" --seed "$i" --record "$TMP/c$i.pcap" --keylog "$TMP/c$i.keys" >/dev/null 2>&1
	touch "$TMP/c$i.keys" # a failed handshake writes none
	"$BIN" replay "$TMP/c$i.pcap" --keylog "$TMP/c$i.keys" --json >"$TMP/c$i.json" 2>/dev/null
	parts+=("$TMP/c$i.pcap")
done
mergecap -a -w "$TMP/c.pcap" "${parts[@]}"
cat "$TMP"/c[1-6].keys >"$TMP/c.keys"
"$BIN" replay "$TMP/c.pcap" --keylog "$TMP/c.keys" --json >"$TMP/call.json" 2>/dev/null
fields='[.certificate_subject, [.steps[].messages[] | [.name, .from, .fields]]]'
for i in 1 2 3 4 5 6; do
	check "mixed certificates: connection $i has its own fields" \
		test "$(jq -c "select(.connection == $i) | $fields" "$TMP/call.json")" = "$(jq -c "$fields" "$TMP/c$i.json")"
done

# A file cut short: the connections before the damage first, then the one
# line that says so (stdout and stderr into one pipe, as a terminal shows).
head -c "$(($(stat -c %s "$TMP/c.pcap") * 2 / 3))" "$TMP/c.pcap" >"$TMP/cut.pcap"
"$BIN" replay "$TMP/cut.pcap" --list >"$TMP/cut.out" 2>&1
check "a cut file: the damage line comes after the connections shown" \
	sh -c "tail -n 1 '$TMP/cut.out' | grep -q 'connections before it are shown' && [ \$(wc -l <'$TMP/cut.out') -ge 2 ]"

# ---- (b) the Illustrated TLS 1.2 fixture ----------------------------------
if [ -d "$FIX" ]; then
	"$BIN" replay "$FIX/capture.pcap" --keylog "$FIX/keylog.txt" --json >"$TMP/fix.json"
	want() { grep "^| $1 |" "$FIX/README.md" | awk -F'|' '{gsub(/ /, "", $3); print $3}'; }
	got() { jq -r ".secrets.$1" "$TMP/fix.json"; }
	check "fixture: client random" test "$(got client_random)" = "$(want 'client random')"
	check "fixture: server random" test "$(got server_random)" = "$(want 'server random')"
	check "fixture: master secret" test "$(got master_secret)" = "$(want 'master secret')"
	check "fixture: its suite (0xC013) is one tlsstep decrypts" \
		jq -e '.notes | all(test("not one tlsstep implements") | not)' "$TMP/fix.json"
	for k in "client write MAC key" "server write MAC key" "client write key" "server write key" \
		"client write IV" "server write IV" "client verify_data" "server verify_data"; do
		j=$(echo "$k" | sed 's/ write MAC key/_write_mac_key/; s/ write key/_write_key/; s/ write IV/_write_iv/; s/ verify_data/_verify_data/')
		check "fixture: $k" test "$(got "$j")" = "$(want "$k")"
	done
	check "fixture: both Finished verified" test "$(jq '[.steps[].messages[] | select(.note == "verify_data matches")] | length' "$TMP/fix.json")" = 2
	check "fixture: ping/pong decrypted" test "$(jq -r '[.steps[6].messages[] | select(.name == "ApplicationData") | .bytes] | join(",")' "$TMP/fix.json")" = "70696e67,706f6e67"
else
	bad "fixture missing: $FIX"
fi

# ---- (c) openssl peers captured by tshark ----------------------------------
capture() { # SUITE FILE.pcapng KEYLOG
	local suite=$1 out=$2 keys=$3 port
	rm -f "$out" "$keys" "$TMP/srv.out" "$TMP/ts.err"
	# An ephemeral port on 127.0.0.1, then a capture of just that port.
	# stdin held open: s_server closes the connection when its stdin ends.
	# 40 s, not 10: on a loaded machine tshark can take most of 10 s to start;
	# the server is stopped as soon as the client is done anyway.
	sleep 40 | timeout 45 openssl s_server -accept 127.0.0.1:0 -cert assets/server.crt -key assets/server.key \
		-cipher "$suite" -tls1_2 -no_etm -naccept 1 >"$TMP/srv.out" 2>&1 &
	local srv=$!
	wait_for "$TMP/srv.out" '^ACCEPT' 50 || return 1
	port=$(sed -n 's/^ACCEPT .*:\([0-9]*\)$/\1/p' "$TMP/srv.out")
	start_capture "$out" "$port" || return 1
	local ts=$CAPTURE_PID
	(echo hello; sleep 1) | timeout 5 openssl s_client -connect "127.0.0.1:$port" -tls1_2 -cipher "$suite" -no_etm \
		-keylogfile "$keys" -quiet -no_ign_eof >"$TMP/cli.out" 2>&1
	# the client is done; the server would linger until its stdin ends
	sleep 0.5
	kill "$srv" 2>/dev/null
	wait "$srv" 2>/dev/null
	kill -INT "$ts" 2>/dev/null
	wait "$ts" 2>/dev/null
	test -s "$out"
}
for suite in AES128-SHA AES128-GCM-SHA256 ECDHE-RSA-AES128-GCM-SHA256 DHE-RSA-AES128-SHA; do
	if ! capture "$suite" "$TMP/o.pcapng" "$TMP/o.keys"; then
		bad "$suite: capture with tshark and openssl"
		continue
	fi
	"$BIN" replay "$TMP/o.pcapng" --keylog "$TMP/o.keys" --json >"$TMP/o.json"
	tshark -n -o "tls.keylog_file:$TMP/o.keys" -o "tls.debug_file:$TMP/o.dbg" -r "$TMP/o.pcapng" >/dev/null 2>&1
	check "$suite: keys and complete" jq -e '.keys and .complete and .outcome == "established"' "$TMP/o.json"
	check "$suite: same master secret, keys and verify_data as tshark" python3 tests/e2e/tshark_check.py "$TMP/o.dbg" "$TMP/o.json"
	check "$suite: the client's hello decrypted" jq -e '[.steps[6].messages[] | select(.name == "ApplicationData") | .bytes] | any(. == "68656c6c6f0a")' "$TMP/o.json"
	case $suite in ECDHE* | DHE*) continue ;; esac
	"$BIN" replay "$TMP/o.pcapng" --key assets/server.key --json >"$TMP/k.json"
	check "$suite: --key instead of the key log, same secrets" python3 tests/e2e/tshark_check.py "$TMP/o.dbg" "$TMP/k.json"
	check "$suite: --key recovers the premaster" jq -e '.secrets.premaster_secret | length == 96' "$TMP/k.json"
	# the key log carried inside the capture (pcapng Decryption Secrets Block)
	editcap --inject-secrets "tls,$TMP/o.keys" "$TMP/o.pcapng" "$TMP/dsb.pcapng" 2>/dev/null
	"$BIN" replay "$TMP/dsb.pcapng" --json >"$TMP/d.json"
	check "$suite: keys from the pcapng Decryption Secrets Block" python3 tests/e2e/tshark_check.py "$TMP/o.dbg" "$TMP/d.json"
done

# ---- (d) the corpus of broken files ----------------------------------------
"$BIN" --json --scenario rsa --record "$TMP/rsa.pcap" --keylog "$TMP/rsa.keys" >/dev/null
head -c -20 "$TMP/rsa.pcap" >"$TMP/rsa-cut.pcap"
{
	cat "$TMP/rsa.keys"
	echo "CLIENT_RANDOM 0011 $(cut -d' ' -f3 "$TMP/rsa.keys")"
	printf 'CLIENT_RANDOM \0 nul\n'
	head -c 5000 /dev/zero | tr '\0' a
	echo
	echo "CLIENT_RANDOM $(cut -d' ' -f2 "$TMP/rsa.keys") 00ff"
	echo "RSA 0102 $(cut -d' ' -f3 "$TMP/rsa.keys")"
} >"$TMP/bad.keys"
VG=()
[ "${E2E_VALGRIND:-0}" = 1 ] && command -v valgrind >/dev/null && VG=(valgrind -q --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99)
cd tests/replay
while IFS='|' read -r file args code text; do
	[[ $file == "#"* ]] && continue
	[ -z "$file$args" ] && continue
	f=${file/#@/$TMP/}
	a=${args//@/$TMP/}
	# shellcheck disable=SC2086
	"${VG[@]}" "$BIN" replay $f $a >"$TMP/c.out" 2>"$TMP/c.err"
	rc=$?
	name="corpus ${file:-(no file)} $args"
	if [ "$rc" != "$code" ]; then
		bad "$name: exit $rc, want $code" "$(head -c 300 "$TMP/c.err")"
	elif ! grep -qF -- "$text" "$TMP/c.err" "$TMP/c.out"; then
		bad "$name: '$text' not in the output" "$(head -c 300 "$TMP/c.err")"
	elif [ "$code" = 1 ] && [ "$(grep -vc '^==' "$TMP/c.err")" != 1 ]; then
		bad "$name: want one line on stderr" "$(cat "$TMP/c.err")"
	else
		ok "$name"
	fi
done <expected.txt
cd "$ROOT"
finish
