#!/bin/bash
# tlsstep replay of TLS 1.3 with a key log, on captures made here at test
# time (replay13_make.bash: openssl s_server/s_client and curl on lo):
# every handshake message decrypted and named, both Finished and each
# CertificateVerify verified, HRR, resumption with and without (EC)DHE,
# 0-RTT, mutual auth, KeyUpdate, ALPN; the same decrypted handshake types
# as tshark with the same key log; the key log inside the pcapng; --list;
# then broken key logs and captures, each ending in a one-line answer.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/replay13_make.bash"
cd "$ROOT"
C="$TMP/caps"
if ! make_captures13 "$C"; then
	bad "TLS 1.3 captures with openssl and tshark" "$(tail -3 "$C"/ts.err "$C"/srv-*.log 2>/dev/null | head -c 600)"
	finish
	exit
fi
ok "TLS 1.3 captures: $(wc -l <"$C/conns.txt") connections"
"$BIN" replay "$C/all.pcapng" --keylog "$C/all.keys" --json >"$C/all.json" 2>"$TMP/err"
check "replay exits 0, no warnings" test $? = 0 -a ! -s "$TMP/err"
conn() { jq -c "select(.connection == $(awk -v n="$1" '$2 == n {print $1}' "$C/conns.txt"))" "$C/all.json"; }

# ---- every connection ------------------------------------------------------
while read -r n name; do
	conn "$name" >"$TMP/c.json"
	check "$name: TLS 1.3, keys, complete, established" \
		jq -e '.tls_version == "TLS 1.3" and .keys and .complete and .outcome == "established"' "$TMP/c.json"
	check "$name: every encrypted message decrypted and named" \
		jq -e '[.steps[].messages[] | select(.encrypted) | .decrypted and (.name | test("^Encrypted ") | not)] | all' "$TMP/c.json"
	check "$name: both Finished verified" \
		jq -e '[.notes[] | select(test("^server Finished verified, client Finished verified"))] | length == 1' "$TMP/c.json"
	check "$name: the client's first data decrypted" \
		jq -e '[.steps[6].messages[] | select(.name == "ApplicationData" and .from == "client")] | length >= 1' "$TMP/c.json"
	case $name in resume-* | early-data) ;; *)
		check "$name: server CertificateVerify verified" \
			jq -e '[.steps[3].messages[] | select(.name == "CertificateVerify") | .note | test("^signature verified")] == [true]' "$TMP/c.json" ;;
	esac
done <"$C/conns.txt"
for s in TLS_AES_128_GCM_SHA256 TLS_AES_256_GCM_SHA384 TLS_CHACHA20_POLY1305_SHA256; do
	check "$s: the suite named" test "$(conn "$s" | jq -r .cipher_suite)" = "$s"
done
conn TLS_AES_256_GCM_SHA384 >"$TMP/c2.json"
cr=$(jq -r .secrets.client_random "$TMP/c2.json")
check "--json secrets: the logged ones under their RFC 8446 names, what a key log cannot give null" \
	jq -e --arg c "$(awk -v r="$cr" '$1 == "CLIENT_HANDSHAKE_TRAFFIC_SECRET" && $2 == r {print $3}' "$C/all.keys")" \
	  --arg s "$(awk -v r="$cr" '$1 == "SERVER_TRAFFIC_SECRET_0" && $2 == r {print $3}' "$C/all.keys")" \
	  '.secrets.client_handshake_traffic_secret == $c and .secrets.server_application_traffic_secret_0 == $s and
	   .secrets.handshake_secret == null and .secrets.master_secret == null and .secrets.early_secret == null and
	   (.secrets.server_handshake_write_key | length == 64)' "$TMP/c2.json"
check "--json tls13: group, retry, PSK, CertificateVerify scheme" \
	jq -se 'map(.tls13) | .[0].key_share_group == "x25519" and .[0].cert_verify_scheme == "rsa_pss_rsae_sha256" and
	  ([.[] | select(.hello_retry_request)] | length == 1) and ([.[] | select(.psk_accepted)] | length == 3)' "$C/all.json"
check "what a key log cannot give, said" \
	jq -e '[.notes[] | select(test("cannot be recomputed"))] | length == 1' <(conn TLS_AES_128_GCM_SHA256)
"$BIN" replay "$C/all.pcapng" --keylog "$C/all.keys" --plain --conn 1 >"$TMP/c1.plain"
check "the key schedule from the logged secrets down, to verify_data" \
	bash -c "grep -q 'server_finished_key = HKDF-Expand-Label(server_handshake_traffic_secret, \"finished\"' $TMP/c1.plain &&
	  grep -q 'client_verify_data = HMAC-SHA256(client_finished_key' $TMP/c1.plain &&
	  grep -q 'server_application_write_key = HKDF-Expand-Label(server_application_traffic_secret_0' $TMP/c1.plain"
check "the HRR transcript: the observer's HelloRetryRequest and the verified Finished agree" \
	jq -e '[.steps[].messages[] | select(.name == "HelloRetryRequest")] | length == 1' <(conn hrr)
check "HRR: named, the group asked for, message_hash" \
	jq -e '.hrr and .group == "secp256r1" and ([.notes[] | select(test("message_hash"))] | length == 1)' <(conn hrr)
check "resumption with (EC)DHE: psk_dhe_ke, no certificate" \
	jq -e '.resumed and .psk_dhe and .group == "x25519" and ([.steps[].messages[] | select(.name == "Certificate")] | length == 0)' <(conn resume-psk-dhe)
check "resumption without (EC)DHE: psk_ke, no group" \
	jq -e '.resumed and (.psk_dhe | not) and .group == "none" and ([.notes[] | select(test("psk_ke"))] | length == 1)' <(conn resume-psk-ke)
check "0-RTT: accepted, the early data decrypted in step 1, EndOfEarlyData in step 5" \
	jq -e --arg e "$(xxd -p "$C/early.txt" | tr -d '\n')" '.early_data == "accepted" and
	  ([.steps[0].messages[] | select(.name == "ApplicationData") | .bytes] == [$e]) and
	  ([.steps[4].messages[] | .name] | index("EndOfEarlyData") != null)' <(conn early-data)
check "mutual: the client's Certificate and CertificateVerify, verified" \
	jq -e '[.steps[4].messages[] | .name] == ["ChangeCipherSpec", "Certificate", "CertificateVerify", "Finished"] and
	  ([.notes[] | select(test("client CertificateVerify verified"))] | length == 1)' <(conn mutual)
check "KeyUpdate: decrypted, and the data after it under the next secret" \
	jq -e --arg a "$(printf 'after the update\n' | xxd -p | tr -d '\n')" '([.steps[6].messages[] | select(.name == "KeyUpdate")] | length == 1) and
	  ([.steps[6].messages[] | select(.name == "ApplicationData" and .bytes == $a) | .note] == ["under application traffic secret 1 (after a KeyUpdate)"])' <(conn key-update)
check "curl: ALPN and the HTTP response decrypted" \
	jq -e '.alpn == "http/1.1" and ([.steps[6].messages[] | select(.from == "server" and .name == "ApplicationData") | .bytes | test("^485454502f312e30")] | any)' <(conn curl)
check "field tree of a decrypted message: EncryptedExtensions names ALPN" \
	jq -e '[.steps[2].messages[] | select(.name == "EncryptedExtensions") | .fields[] | .meaning] | any(test("application_layer_protocol_negotiation"))' <(conn curl)
check "field tree of the 1.3 Certificate: the certificate's own fields, as the observer names them" \
	jq -e '[.steps[2].messages[] | select(.name == "Certificate") | .fields[] | .path] | any(test("^certificate\\[0\\]\\.subject$"))' <(conn mutual)
check "field tree of a decrypted message: the ALPN protocol the server chose, as text" \
	jq -e '[.steps[2].messages[] | select(.name == "EncryptedExtensions") | .fields[] | select(.path | test("protocol_name_list\\[0\\]$")) | .meaning] == ["the server'"'"'s choice: http/1.1"]' <(conn curl)
check "0-RTT: EncryptedExtensions' early_data says accepted" \
	jq -e '[.steps[].messages[] | select(.name == "EncryptedExtensions") | .fields[].meaning] | any(test("accepts the client.s 0-RTT data"))' <(conn early-data)
check "a ticket's early_data: its max_early_data_size, the number" \
	jq -se '[.[].steps[].messages[] | select(.name == "NewSessionTicket") | .fields[] | select(.path | test("extensions\\[[0-9]+\\]\\.max_early_data_size$")) | .meaning | test("up to [0-9]+ bytes")] | length > 0 and all' "$C/all.json"

# ---- tshark, the key log inside the capture, --list -------------------------
check "same decrypted handshake types as tshark, every connection" \
	python3 tests/e2e/replay13_tshark.py "$C/all.pcapng" "$C/all.keys" "$C/all.json"
editcap --inject-secrets "tls,$C/all.keys" "$C/all.pcapng" "$TMP/dsb.pcapng" 2>/dev/null
"$BIN" replay "$TMP/dsb.pcapng" --json >"$TMP/dsb.json"
check "pcapng Decryption Secrets Block: the same as with --keylog" \
	test "$(jq -c '[.notes, .steps]' "$TMP/dsb.json" | md5sum)" = "$(jq -c '[.notes, .steps]' "$C/all.json" | md5sum)"
"$BIN" replay "$C/all.pcapng" --keylog "$C/all.keys" --list >"$TMP/list"
check "--list: version, suite, group, SNI for each" test "$(grep -c 'TLS 1.3  TLS_.*keys: yes  complete.*group .*SNI server.tlsstep.test' "$TMP/list")" = "$(($(wc -l <"$C/conns.txt") - 1))"
check "--list: resumed, HRR, 0-RTT, ALPN" grep -q 'resumed (PSK only, no (EC)DHE)' "$TMP/list" -a
check "--list: HRR, 0-RTT, ALPN" bash -c "grep -q '  HRR' $TMP/list && grep -q '0-RTT accepted' $TMP/list && grep -q 'ALPN http/1.1' $TMP/list"
"$BIN" replay "$C/all.pcapng" --json >"$TMP/nokeys.json"
check "no key log: encrypted messages opaque, one note says what opens them" \
	jq -se 'all(.[]; (.keys | not) and ([.notes[] | select(test("^no key log given"))] | length == 1))' "$TMP/nokeys.json"

# ---- a browser's hello ------------------------------------------------------
python3 tests/e2e/replay13_browser.py "$TMP/browser.pcap"
"$BIN" replay "$TMP/browser.pcap" --json >"$TMP/browser.json"
check "browser hello: every extension named, GREASE too" \
	jq -e '[.steps[0].messages[0].fields[] | select(.path | test("extensions\\[[0-9]+\\]\\.type$")) | .meaning | test("unknown")] | (length == 20 and (any | not))' "$TMP/browser.json"
check "browser hello: Chrome's and Firefox's extensions by name" \
	jq -e '[.steps[0].messages[0].fields[].meaning] | join("|") as $m | ["GREASE", "compress_certificate", "application_settings", "delegated_credentials", "record_size_limit", "encrypted_client_hello", "X25519MLKEM768"] | all(. as $n | $m | contains($n))' "$TMP/browser.json"
check "browser hello: the post-quantum share explained, ECH outer said" \
	jq -e '.group == "X25519MLKEM768" and ([.notes[] | select(test("ML-KEM-768 encapsulation key \\(1184 bytes\\) then the X25519") or test("tlsstep has no ML-KEM") or test("outer ClientHello"))] | length == 3)' "$TMP/browser.json"
check "browser hello: the hybrid shares split, ML-KEM first (1184+32, 1088+32)" \
	jq -e '[.steps[].messages[]?.fields[]? | select(.path | test("key_exchange\\.(mlkem768|x25519)$")) | "\(.path | sub(".*extensions\\[[0-9]+\\]\\."; "")) \(.length)"] == ["client_shares[1].key_exchange.mlkem768 1184", "client_shares[1].key_exchange.x25519 32", "server_share.key_exchange.mlkem768 1088", "server_share.key_exchange.x25519 32"]' "$TMP/browser.json"
check "browser hello: --list names the hybrid group" bash -c "'$BIN' replay '$TMP/browser.pcap' --list | grep -q 'group X25519MLKEM768  SNI www.example.com'"

# ---- broken key logs and captures ------------------------------------------
K="$C/all.keys"
# a wrong secret: one hex digit changed in every server handshake secret
awk '$1 == "SERVER_HANDSHAKE_TRAFFIC_SECRET" {c = substr($3, 1, 1); $3 = (c == "0" ? "1" : "0") substr($3, 2)} {print}' "$K" >"$TMP/wrong.keys"
# the client random of every line changed
awk 'NF == 3 {$2 = "00" substr($2, 3)} {print}' "$K" >"$TMP/random.keys"
grep -v '^CLIENT_TRAFFIC_SECRET_0' "$K" >"$TMP/noapp.keys"
{
	echo "CLIENT_HANDSHAKE_TRAFFIC_SECRET 0011"
	echo "SERVER_HANDSHAKE_TRAFFIC_SECRET $(printf '%064d' 0) zz"
	echo "CLIENT_TRAFFIC_SECRET_0 $(printf '%064d' 0) $(printf '%040d' 0)"
	echo "EXPORTER_SECRET $(printf '%064d' 0)"
	printf 'SERVER_TRAFFIC_SECRET_0 \0\n'
	cat "$K"
} >"$TMP/garbage.keys"
# SHA-384-long secrets for every connection (most use SHA-256 or a different one)
awk 'NF == 3 && length($3) == 64 {$3 = $3 substr($3, 1, 32)} {print}' "$K" >"$TMP/long.keys"
# cut: the capture ends inside the first connection's server flight (its
# frame cut to 400 bytes); -s 120:
# every frame cut to 120 bytes, so no record is whole
first_sh=$(tshark -n -r "$C/all.pcapng" -Y 'tls.handshake.type == 2' -T fields -e frame.number 2>/dev/null | head -1)
editcap -r "$C/all.pcapng" "$TMP/cut1.pcapng" "1-$((first_sh - 1))" 2>/dev/null
editcap -r -s 400 "$C/all.pcapng" "$TMP/cut2.pcapng" "$first_sh" 2>/dev/null
mergecap -a -w "$TMP/cut.pcapng" "$TMP/cut1.pcapng" "$TMP/cut2.pcapng"
editcap -s 120 "$C/all.pcapng" "$TMP/snap.pcapng" 2>/dev/null
head -c "$(($(stat -c %s "$C/all.pcapng") / 2))" "$C/all.pcapng" >"$TMP/half.pcapng"

VG=()
# under valgrind, unless the binary is a sanitizer build (TLSSTEP_SANITIZED=1)
[ -z "${TLSSTEP_SANITIZED:-}" ] && command -v valgrind >/dev/null && VG=(valgrind -q --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99)
# name|file|key log|exit|pattern of the one line (stdout notes or stderr)
while IFS='|' read -r name file keys code pattern; do
	A=()
	[ -n "$keys" ] && A=(--keylog "$keys")
	"${VG[@]}" "$BIN" replay "$file" "${A[@]}" --json >"$TMP/b.out" 2>"$TMP/b.err"
	rc=$?
	if [ "$rc" != "$code" ]; then
		bad "broken: $name: exit $rc, want $code" "$(head -c 300 "$TMP/b.err")"
		continue
	fi
	check "broken: $name: $pattern" grep -q -- "$pattern" "$TMP/b.out" "$TMP/b.err"
done <<EOF
wrong server handshake secret|$C/all.pcapng|$TMP/wrong.keys|0|does not open with the key from the logged SERVER_HANDSHAKE_TRAFFIC_SECRET
mismatched client random|$C/all.pcapng|$TMP/random.keys|0|has no TLS 1.3 secrets for this connection's client random
no CLIENT_TRAFFIC_SECRET_0|$C/all.pcapng|$TMP/noapp.keys|0|has no CLIENT_TRAFFIC_SECRET_0 line for this connection
short client random|$C/all.pcapng|$TMP/garbage.keys|0|garbage.keys line 1: CLIENT_HANDSHAKE_TRAFFIC_SECRET needs 2 fields
non-hex secret|$C/all.pcapng|$TMP/garbage.keys|0|line 2: SERVER_HANDSHAKE_TRAFFIC_SECRET needs 64 or 96 hex digits of secret
40-digit secret|$C/all.pcapng|$TMP/garbage.keys|0|line 3: CLIENT_TRAFFIC_SECRET_0 needs 64 or 96 hex digits
missing secret|$C/all.pcapng|$TMP/garbage.keys|0|line 4: EXPORTER_SECRET needs 2 fields, found 1
NUL byte|$C/all.pcapng|$TMP/garbage.keys|0|line 5: contains a NUL byte
secrets of the wrong length|$C/all.pcapng|$TMP/long.keys|0|handshake traffic secrets are 48 bytes, but SHA-256 needs 32
capture ends in the server flight|$TMP/cut.pcapng|$K|0|server -> client: [0-9]* bytes missing from the capture
every frame cut short|$TMP/snap.pcapng|$K|0|bytes missing from the capture
half a file|$TMP/half.pcapng|$K|0|connections before it are shown
EOF
"$BIN" replay "$TMP/cut.pcapng" --keylog "$K" --json >"$TMP/cut.json" 2>/dev/null
check "broken: capture ends in the server flight: incomplete, Finished not checked" \
	jq -e '.outcome == "incomplete" and (.complete | not) and ([.notes[] | select(test("server Finished not checked"))] | length == 1)' "$TMP/cut.json"
check "broken: garbage lines are skipped, the good ones still open everything" \
	bash -c "'$BIN' replay '$C/all.pcapng' --keylog '$TMP/garbage.keys' --json 2>/dev/null | jq -se 'all(.[]; .complete)'"
check "broken: wrong secret: no Finished checked, none wrongly failed" \
	bash -c "'$BIN' replay '$C/all.pcapng' --keylog '$TMP/wrong.keys' --json 2>/dev/null | jq -se 'all(.[]; .keys and ([.notes[] | select(test(\"^server Finished not checked, client Finished not checked\"))] | length == 1))'"
finish
