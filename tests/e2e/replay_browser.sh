#!/bin/bash
# A real browser's handshakes: the Chromium 156 capture of
# tests/fixtures/chromium-156 (its README says how it was made) replayed
# with its key log, then headless Chromium live against tlsstep serve.
# Browsers send GREASE, ECH GREASE, hybrid post-quantum key shares and
# extensions no RFC defines yet: each must be named and decoded.
source "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1
F=tests/fixtures/chromium-156
CH=$(command -v chromium || command -v chromium-browser)

"$BIN" replay "$F/capture.pcapng" --keylog "$F/keylog.txt" --json >"$TMP/all.json"
check "two connections, both TLS 1.3 with keys, complete, x25519, ALPN http/1.1" \
	jq -se 'length == 2 and all(.[]; .tls_version == "TLS 1.3" and .keys and .complete and .group == "x25519" and .alpn == "http/1.1")' "$TMP/all.json"
check "every handshake message decrypted and named, in RFC 8446 order" \
	jq -se 'all(.[]; [.steps[].messages[] | select(.name != "ChangeCipherSpec" and .name != "ApplicationData" and .name != "Alert") | select((.encrypted | not) or .decrypted) | .name] |
	  .[0:7] == ["ClientHello", "ServerHello", "EncryptedExtensions", "Certificate", "CertificateVerify", "Finished", "Finished"] and
	  (.[7:] | length > 0 and all(. == "NewSessionTicket")))' "$TMP/all.json"
check "no handshake message left encrypted" \
	jq -se '[.[].steps[].messages[] | select(.encrypted and (.decrypted | not) and .name != "ApplicationData")] | length == 0' "$TMP/all.json"
check "both Finished verified, and the server's CertificateVerify" \
	jq -se 'all(.[]; [.notes[] | select(test("^server Finished verified, client Finished verified; server CertificateVerify verified"))] | length == 1)' "$TMP/all.json"
"$BIN" replay "$F/capture.pcapng" --keylog "$F/keylog.txt" --json >"$TMP/lines.json"
check "same decrypted handshake types as tshark with the same key log" \
	python3 tests/e2e/replay13_tshark.py "$F/capture.pcapng" "$F/keylog.txt" "$TMP/lines.json"

# the ClientHello's field tree, for both connections
hello='.steps[0].messages[0].fields'
check "ClientHello: no field unknown to tlsstep, none left uninterpreted" \
	jq -se "all(.[]; [$hello[].meaning | select(test(\"unknown|tlsstep does not know|not interpreted|do not parse\"))] | length == 0)" "$TMP/all.json"
tshark -n -r "$F/capture.pcapng" -Y 'tls.handshake.type == 1' -T fields -e tls.handshake.extension.type 2>/dev/null >"$TMP/ts_exts"
check "ClientHello: every extension tshark sees, by number, named in order" \
	jq -se --rawfile ts "$TMP/ts_exts" "[.[] | [$hello[] | select(.path | test(\"^client_hello.extensions\\\\[[0-9]+\\\\].type\$\")) | .meaning | capture(\"^extension type (?<n>[A-Za-z_]+) \\\\((?<v>[0-9]+)\\\\)\$\").v] | join(\",\")] == (\$ts | rtrimstr(\"\n\") | split(\"\n\"))" "$TMP/all.json"
check "ClientHello: Chrome's extensions by name" \
	jq -se "all(.[]; [$hello[].meaning] | join(\"|\") as \$m | [\"extension type GREASE\", \"encrypted_client_hello (65037)\", \"application_settings (17613)\", \"trust_anchors (51764)\", \"compress_certificate (27)\", \"signed_certificate_timestamp (18)\", \"status_request (5)\", \"psk_key_exchange_modes (45)\", \"session_ticket (35)\", \"extended_master_secret (23)\", \"renegotiation_info (65281)\", \"ec_point_formats (11)\"] | all(. as \$n | \$m | contains(\$n)))" "$TMP/all.json"
check "ClientHello: GREASE named in suites, versions, groups, signature schemes and extensions" \
	jq -se "all(.[]; [$hello[] | select(.meaning | test(\"GREASE\")) | .path | sub(\"\\\\[[0-9]+\\\\]\"; \"\"; \"g\") | sub(\"^client_hello.extensions.\"; \"\")] | unique | . as \$p |
	  [\"client_hello.cipher_suites\", \"versions\", \"named_group_list\", \"supported_signature_algorithms\", \"type\", \"client_shares.group\", \"client_shares.key_exchange\", \"grease_data\"] | all(. as \$w | \$p | index(\$w)))" "$TMP/all.json"
check "ClientHello: key shares decoded, X25519MLKEM768 split ML-KEM-768 1184 then X25519 32" \
	jq -se "all(.[]; [$hello[] | select(.path | test(\"client_shares\\\\[[0-9]+\\\\]\\\\.(group|key_exchange[.a-z0-9]*)\$\")) | \"\\(.path | sub(\".*client_shares\"; \"\")) \\(.length)\"] ==
	  [\"[0].group 2\", \"[0].key_exchange.length 2\", \"[0].key_exchange 1\", \"[1].group 2\", \"[1].key_exchange.length 2\", \"[1].key_exchange 1216\", \"[1].key_exchange.mlkem768 1184\", \"[1].key_exchange.x25519 32\", \"[2].group 2\", \"[2].key_exchange.length 2\", \"[2].key_exchange 32\"])" "$TMP/all.json"
check "ClientHello: the hybrid share and group named X25519MLKEM768" \
	jq -se "all(.[]; [$hello[] | select(.meaning | test(\"^(group of this share: )?X25519MLKEM768 \\\\(0x11ec\\\\): hybrid\"))] | length == 2)" "$TMP/all.json"
check "ClientHello: ALPN protocols as text, ECH outer fields, supported_versions" \
	jq -se "all(.[]; [$hello[].meaning] | join(\"|\") as \$m | [\"protocol: h2\", \"protocol: http/1.1\", \"settings for: h2\", \"outer: this ClientHello\", \"HPKE KDF: HKDF-SHA256\", \"GREASE ECH\", \"preferred: TLS 1.3 (0x0304)\", \"also: TLS 1.2 (0x0303)\", \"brotli (2)\", \"mldsa65 (0x0905)\"] | all(. as \$n | \$m | contains(\$n)))" "$TMP/all.json"
check "the notes: hybrid share's parts, no ML-KEM in tlsstep, not taken; ECH not used" \
	jq -se 'all(.[]; [.notes[] | select(test("X25519MLKEM768 \\(0x11ec\\): the client.s key_exchange is the ML-KEM-768 encapsulation key \\(1184 bytes\\) then the X25519 public key \\(32 bytes\\)") or
	  test("tlsstep has no ML-KEM.*The server did not take it") or test("server Finished verifies over this very ClientHello"))] | length == 3)' "$TMP/all.json"
check "decrypted messages: the engine's describer names every field, the server's ALPN choice as text, the certificate's fields" \
	jq -se 'all(.[]; [.steps[].messages[] | select(.decrypted) | .fields[].meaning | select(test("unknown|tlsstep does not know|not interpreted|do not parse"))] | length == 0) and
	  all(.[]; [.steps[].messages[] | select(.name == "EncryptedExtensions") | .fields[] | select(.path | test("protocol_name_list\\[0\\]$")) | .meaning] == ["the server'"'"'s choice: http/1.1"]) and
	  all(.[]; [.steps[].messages[] | select(.name == "Certificate") | .fields[].path] | any(. == "certificate[0].subject"))' "$TMP/all.json"
"$BIN" replay "$F/capture.pcapng" --keylog "$F/keylog.txt" --plain >"$TMP/plain.txt"
check "--plain shows the same tree" \
	bash -c "grep -q 'key_exchange.mlkem768: part 1 of 2: ML-KEM-768 encapsulation key' '$TMP/plain.txt' && grep -q 'extension type trust_anchors (51764)' '$TMP/plain.txt'"
"$BIN" replay "$F/capture.pcapng" --keylog "$F/keylog.txt" --html "$TMP/page.html" >/dev/null 2>&1
check "--html shows the same tree" \
	bash -c "grep -q '>mlkem768 (1184 bytes)<' '$TMP/page.html' && grep -q 'GREASE ECH' '$TMP/page.html'"

# ---- live: headless Chromium against tlsstep serve --tls 1.3 ----------------
if [ -z "$CH" ]; then
	bad "chromium is not installed" "run make deps"
	finish
	exit
fi
serve_bg "$TMP/serve.json" --tls 1.3 --json --timeout 10 || bad "serve started"
timeout 30 "$CH" --headless=new --no-sandbox --disable-gpu --no-first-run --no-default-browser-check \
	--disable-extensions --disable-background-networking --disable-component-update --disable-sync \
	--ignore-certificate-errors --user-data-dir="$TMP/profile" --dump-dom "https://127.0.0.1:$SPORT/" \
	>"$TMP/page.out" 2>"$TMP/chromium.err"
wait_for "$TMP/s.err" 'rc=' 100
check "live: serve ended well, the handshake established in TLS 1.3" \
	bash -c "grep -q rc=0 '$TMP/s.err' && jq -e '.outcome == \"established\" and .version == \"TLS 1.3\"' '$TMP/serve.json'"
check "live: Chromium's hybrid share named, serve took the x25519 share" \
	jq -e '.tls13.key_share_group == "x25519" and
	  ([.steps[0] | .. | objects | select(.path? // "" | test("client_shares\\[[0-9]+\\]\\.group$")) | .meaning | select(test("X25519MLKEM768 \\(0x11ec\\)"))] | length > 0) and
	  ([.steps[1] | .. | objects | select(.path? // "" | test("server_share\\.group$")) | .meaning] | unique == ["group of this share: x25519 (0x001d): ECDHE on Curve25519 (RFC 7748)"])' "$TMP/serve.json"
check "live: Chromium's ClientHello has no field unknown to tlsstep" \
	jq -e '[.steps[0] | .. | objects | select(has("path") and has("meaning")) | .meaning | select(test("unknown|tlsstep does not know|not interpreted|do not parse"))] | length == 0' "$TMP/serve.json"
finish
