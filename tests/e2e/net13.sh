#!/bin/bash
# connect and serve against peers nobody here wrote (openssl s_server /
# s_client, curl), on 127.0.0.1 with ephemeral ports and bounded waits: by
# default they speak TLS 1.3 and 1.2 as a browser does, so the handshake is
# TLS 1.3 where both sides speak it and TLS 1.2 where the peer only speaks
# that (and the view says which and why); --tls 1.3 / 1.2 allow one version
# only and refuse a peer without it (protocol_version). Every traffic secret
# tlsstep shows is the one the peer logged.
. "$(dirname "$0")/lib.sh"
cd "$ROOT"
A=assets

# s_server13 LOG ARGS...: openssl s_server for one TLS 1.3 connection; sets PORT.
s_server13() { s_server_n tls1_3 "$1" 1 "${@:2}"; }

for pair in TLS_AES_128_GCM_SHA256:4865 TLS_AES_256_GCM_SHA384:4866 TLS_CHACHA20_POLY1305_SHA256:4867; do
	suite=${pair%:*} id=${pair#*:}
	rm -f "$TMP/srv.keys"
	s_server13 "$TMP/srv.log" -ciphersuites "$suite" -keylogfile "$TMP/srv.keys" || bad "s_server $suite started"
	timeout 20 "$BIN" connect "127.0.0.1:$PORT" --ca $A/ca.crt --servername localhost \
		--json >"$TMP/c.json" 2>"$TMP/c.err"
	check "connect (default) to s_server -tls1_3 ($suite): exit 0" test $? = 0
	check "connect ($suite): TLS 1.3, established, the suite asked for" \
		jq -e --argjson id "$id" '.version == "TLS 1.3" and .outcome == "established" and .cipher_suite_id == $id' "$TMP/c.json"
	check "connect ($suite): EncryptedExtensions, Certificate, CertificateVerify, Finished decrypted" \
		jq -e '[.steps[2,3].messages[] | select(.decrypted) | .name] == ["EncryptedExtensions","Certificate","CertificateVerify","Finished"]' "$TMP/c.json"
	sleep 0.3
	same_secrets "$TMP/c.json" "$TMP/srv.keys" "connect ($suite)"
done

# Each group, by the server's choice: X25519 (the client's key share), and
# P-256, P-384 (listed for TLS 1.2 ECDSA certificates, so a 1.3 server may
# ask for it too) and ffdhe2048 through a HelloRetryRequest.
for pair in X25519:x25519:false P-256:secp256r1:true P-384:secp384r1:true ffdhe2048:ffdhe2048:true; do
	g=${pair%%:*} rest=${pair#*:} name=${rest%:*} hrr=${rest#*:}
	rm -f "$TMP/srv.keys"
	s_server13 "$TMP/srv.log" -groups "$g" -keylogfile "$TMP/srv.keys" || bad "s_server -groups $g started"
	timeout 20 "$BIN" connect "127.0.0.1:$PORT" --ca $A/ca.crt --servername localhost \
		--json >"$TMP/c.json" 2>"$TMP/c.err"
	check "connect, server group $g: established over $name, HelloRetryRequest $hrr" \
		jq -e --arg g "$name" --argjson hrr "$hrr" '.outcome == "established" and (.tls13.key_share_group | startswith($g))
			and .tls13.hello_retry_request == $hrr' "$TMP/c.json"
	sleep 0.3
	same_secrets "$TMP/c.json" "$TMP/srv.keys" "connect ($g)"
done

# Mutual authentication both ways: s_server asks connect for a certificate,
# serve asks s_client.
rm -f "$TMP/srv.keys"
s_server13 "$TMP/srv.log" -Verify 1 -CAfile $A/ca.crt -keylogfile "$TMP/srv.keys" || bad "s_server -Verify started"
timeout 20 "$BIN" connect "127.0.0.1:$PORT" --tls 1.3 --ca $A/ca.crt --servername localhost \
	--cert $A/client.crt --key $A/client.key --json >"$TMP/c.json" 2>"$TMP/c.err"
check "connect --tls 1.3 --cert to s_server -Verify: established, its Certificate and CertificateVerify sent" \
	jq -e '.outcome == "established" and ([.steps[4].messages[].name] | index("CertificateVerify") != null)' "$TMP/c.json"
sleep 0.3
check "s_server -Verify accepted the client certificate" grep -q "CN *= *[a-z]*client\|Client certificate" "$TMP/srv.log"
same_secrets "$TMP/c.json" "$TMP/srv.keys" "connect --cert"

rm -f "$TMP/cli.keys" # openssl appends to a key log
serve_bg "$TMP/s.json" --json --client-ca $A/ca.crt || bad "serve --client-ca started"
timeout 10 openssl s_client -connect "127.0.0.1:$SPORT" -tls1_3 -CAfile $A/ca.crt -servername server.tlsstep.test \
	-cert $A/client.crt -key $A/client.key -keylogfile "$TMP/cli.keys" </dev/null >"$TMP/cli.out" 2>&1
wait_for "$TMP/s.err" 'rc=' 100
check "serve --client-ca with s_client -tls1_3 -cert: established, the client's CertificateVerify checked" \
	jq -e '.outcome == "established" and ([.steps[4].messages[].name] | index("CertificateVerify") != null)' "$TMP/s.json"
same_secrets "$TMP/s.json" "$TMP/cli.keys" "serve --client-ca"

# Resumption: serve --keep-serving issues a ticket; s_client comes back with it.
"$BIN" serve 0 --keep-serving --json --timeout 3 >"$TMP/ks.json" 2>"$TMP/ks.err" &
KS=$!
PIDS+=($KS)
wait_for "$TMP/ks.err" 'listening on' || bad "serve --keep-serving started"
SPORT=$(sed -n 's/.*port \([0-9]*\)$/\1/p' "$TMP/ks.err")
# (stdin held open a moment: the ticket comes after the handshake)
sleep 1 | timeout 10 openssl s_client -connect "127.0.0.1:$SPORT" -tls1_3 -CAfile $A/ca.crt -servername server.tlsstep.test \
	-sess_out "$TMP/sess.pem" >"$TMP/r1.out" 2>&1
timeout 10 openssl s_client -connect "127.0.0.1:$SPORT" -tls1_3 -CAfile $A/ca.crt -servername server.tlsstep.test \
	-sess_in "$TMP/sess.pem" </dev/null >"$TMP/r2.out" 2>&1
check "resumption: openssl reused the ticket serve gave it" grep -q "^Reused, TLSv1.3" "$TMP/r2.out"
for _ in $(seq 50); do [ "$(wc -l <"$TMP/ks.json")" -ge 2 ] && break; sleep 0.1; done
check "resumption: the second connection is resumed by PSK, with no Certificate" \
	jq -se '.[1].tls13.psk_accepted and ([.[1].steps[].messages[].name] | index("Certificate") == null)' "$TMP/ks.json"
kill "$KS" 2>/dev/null

# The default hello offers TLS 1.3 and 1.2, as a browser's; the view says
# what the server chose from it and why.
s_server13 "$TMP/srv.log" || bad "s_server -tls1_3 started"
timeout 20 "$BIN" connect "127.0.0.1:$PORT" --ca $A/ca.crt --servername localhost --json >"$TMP/c.json" 2>"$TMP/c.err"
check "connect (default) to s_server: offered [1.3, 1.2], TLS 1.3 from supported_versions" \
	jq -e '.version == "TLS 1.3" and .outcome == "established" and .choice.offered_versions == ["TLS 1.3","TLS 1.2"]
		and .choice.version_from == "supported_versions" and .choice.suite_rank >= 1' "$TMP/c.json"
check "connect --json, TLS 1.3: the why says the server answered supported_versions = TLS 1.3" \
	jq -e '.choice.why | contains("offered TLS 1.3 and TLS 1.2 in supported_versions") and contains("answered with supported_versions = TLS 1.3")' "$TMP/c.json"
s_server13 "$TMP/srv.log" || bad "s_server -tls1_3 started"
timeout 20 "$BIN" connect "127.0.0.1:$PORT" --ca $A/ca.crt --servername localhost --plain >"$TMP/c.txt" 2>"$TMP/c.err"
check "connect --plain, TLS 1.3: says what the server chose and why" \
	bash -c "grep -q '^What the server chose, and why' '$TMP/c.txt' && tr '\n' ' ' <'$TMP/c.txt' | grep -q 'answered with supported_versions = *TLS 1.3'"

# A server of TLS 1.2 only: the default offer falls back to 1.2, and says so.
rm -f "$TMP/srv12.keys"
openssl_server "$TMP/srv.log" -cert $A/server.crt -key $A/server.key -keylogfile "$TMP/srv12.keys" ||
	bad "s_server -tls1_2 started"
timeout 20 "$BIN" connect "127.0.0.1:$PORT" --ca $A/ca.crt --servername localhost --json >"$TMP/c.json" 2>"$TMP/c.err"
check "connect (default) to a TLS 1.2 server: TLS 1.2 from the legacy version, established, no DOWNGRD" \
	jq -e '.version == "TLS 1.2" and .outcome == "established" and .choice.offered_versions == ["TLS 1.3","TLS 1.2"]
		and .choice.version_from == "legacy_version" and .choice.downgrade_sentinel == false' "$TMP/c.json"
check "connect --json, TLS 1.2 server: the why says no supported_versions, 1.2 at most, DOWNGRD checked" \
	jq -e '.choice.why | contains("has no supported_versions: the server speaks (or is set to) TLS 1.2 at most") and contains("DOWNGRD")
		and contains("A browser offering TLS 1.3 and 1.2 would get TLS 1.2 from this server too")' "$TMP/c.json"
sleep 0.3
ms=$(jq -r .secrets.master_secret "$TMP/c.json")
check "connect (default) to a TLS 1.2 server: openssl logged our master secret" grep -q " $ms\$" "$TMP/srv12.keys"
openssl_server "$TMP/srv.log" -cert $A/server.crt -key $A/server.key || bad "s_server -tls1_2 started"
timeout 20 "$BIN" connect "127.0.0.1:$PORT" --ca $A/ca.crt --servername localhost --plain >"$TMP/c.txt" 2>"$TMP/c.err"
check "connect --plain, TLS 1.2 server: says the version came from the legacy version field" \
	bash -c "tr '\n' ' ' <'$TMP/c.txt' | grep -q 'the server speaks (or is set to) TLS 1.2 at most, so the version came from its legacy version *field'"

# --tls 1.3 offers 0x0304 alone: a TLS 1.2 server has no version in common.
openssl_server "$TMP/srv.log" -cert $A/server.crt -key $A/server.key || bad "s_server -tls1_2 started"
timeout 20 "$BIN" connect "127.0.0.1:$PORT" --tls 1.3 --ca $A/ca.crt --servername localhost --json >"$TMP/c.json" 2>"$TMP/c.err"
rc=$?
check "connect --tls 1.3 to a TLS 1.2 server: non-zero exit, protocol_version, offered TLS 1.3 only" \
	bash -c "test $rc != 0 && jq -e '.alert.description == \"protocol_version\" and .choice.offered_versions == [\"TLS 1.3\"]
		and .choice.version == null and (.choice.why | contains(\"No version in common\"))' '$TMP/c.json' >/dev/null"
check "connect --tls 1.3 to a TLS 1.2 server: one line on stderr naming protocol_version" \
	bash -c "test \$(wc -l <'$TMP/c.err') = 1 && grep -q 'protocol_version.*does not speak TLS 1.3' '$TMP/c.err'"

# --cipher of a TLS 1.3 suite offers that suite and TLS 1.3 alone.
s_server13 "$TMP/srv.log" || bad "s_server -tls1_3 started"
timeout 20 "$BIN" connect "127.0.0.1:$PORT" --cipher TLS_AES_256_GCM_SHA384 --ca $A/ca.crt --servername localhost \
	--json >"$TMP/c.json" 2>"$TMP/c.err"
check "connect --cipher TLS_AES_256_GCM_SHA384: offered TLS 1.3 and one suite, got them" \
	jq -e '.version == "TLS 1.3" and .cipher_suite_id == 4866 and .choice.offered_versions == ["TLS 1.3"]
		and .choice.offered_suites == 1' "$TMP/c.json"

# --tls 1.2 offers 1.2 only: a 1.3-only server refuses it.
s_server13 "$TMP/srv.log" || bad "s_server -tls1_3 started"
timeout 20 "$BIN" connect "127.0.0.1:$PORT" --tls 1.2 --ca $A/ca.crt --servername localhost --json >"$TMP/c.json" 2>"$TMP/c.err"
rc=$?
check "connect --tls 1.2 to a TLS 1.3-only server: non-zero exit, protocol_version, no supported_versions sent" \
	bash -c "test $rc != 0 && jq -e '.alert.description == \"protocol_version\" and .choice.offered_versions == [\"TLS 1.2\"]' '$TMP/c.json' >/dev/null"

# serve (default): openssl s_client with 1.3, then with 1.2 only.
rm -f "$TMP/cli.keys"
serve_bg "$TMP/s.json" --json || bad "serve started"
printf 'GET / HTTP/1.0\r\n\r\n' | timeout 10 openssl s_client -connect "127.0.0.1:$SPORT" -ign_eof \
	-keylogfile "$TMP/cli.keys" -CAfile $A/ca.crt -servername server.tlsstep.test >"$TMP/cli.out" 2>&1
wait_for "$TMP/s.err" 'rc=' 100
check "serve (default) with s_client: TLS 1.3, established, chosen from supported_versions" \
	jq -e '.version == "TLS 1.3" and .outcome == "established" and .choice.version_from == "supported_versions"
		and (.choice.offered_versions | index("TLS 1.3") != null)' "$TMP/s.json"
check "serve: the page it answered names the TLS 1.3 handshake and says what the server chose" \
	bash -c "grep -aq 'served your TLS 1.3 handshake' '$TMP/cli.out' && grep -aq 'What the server chose, and why' '$TMP/cli.out'"
same_secrets "$TMP/s.json" "$TMP/cli.keys" "serve with s_client"

serve_bg "$TMP/s.json" --json || bad "serve started"
timeout 10 openssl s_client -connect "127.0.0.1:$SPORT" -tls1_2 -CAfile $A/ca.crt \
	-servername server.tlsstep.test </dev/null >"$TMP/cli.out" 2>&1
wait_for "$TMP/s.err" 'rc=' 100
check "serve (default) with a TLS 1.2 client: TLS 1.2, and the server random ends in DOWNGRD 01 (RFC 8446 4.1.3)" \
	jq -e '.version == "TLS 1.2" and (.secrets.server_random | endswith("444f574e47524401"))
		and .choice.offered_versions == ["TLS 1.2"] and .choice.downgrade_sentinel' "$TMP/s.json"
check "serve --json, TLS 1.2 client: the why says the hello offered 1.2 only and explains the marker" \
	jq -e '.choice.why | contains("The hello offered TLS 1.2 only") and contains("DOWNGRD marker")' "$TMP/s.json"

# A client that offers P-384 alone (some servers' and clients' setting).
rm -f "$TMP/cli.keys"
serve_bg "$TMP/s.json" --json || bad "serve started"
timeout 10 openssl s_client -connect "127.0.0.1:$SPORT" -tls1_3 -groups P-384 -keylogfile "$TMP/cli.keys" \
	-CAfile $A/ca.crt -servername server.tlsstep.test </dev/null >"$TMP/cli.out" 2>&1
wait_for "$TMP/s.err" 'rc=' 100
check "serve with s_client -groups P-384: established over secp384r1, no HelloRetryRequest" \
	jq -e '.outcome == "established" and (.tls13.key_share_group | startswith("secp384r1"))
		and .tls13.hello_retry_request == false' "$TMP/s.json"
same_secrets "$TMP/s.json" "$TMP/cli.keys" "serve with s_client -groups P-384"

serve_bg "$TMP/s.json" --json --tls 1.3 || bad "serve --tls 1.3 started"
timeout 10 openssl s_client -connect "127.0.0.1:$SPORT" -tls1_2 -CAfile $A/ca.crt \
	-servername server.tlsstep.test </dev/null >"$TMP/cli.out" 2>&1
wait_for "$TMP/s.err" 'rc=' 100
check "serve --tls 1.3 with a TLS 1.2 client: refused with protocol_version, one line, exit 1" \
	bash -c "jq -e '.alert.description == \"protocol_version\" and .alert.sent_by == \"server\"' '$TMP/s.json' >/dev/null &&
		grep -q 'alert protocol version' '$TMP/cli.out' && grep -q '^rc=1' '$TMP/s.err' &&
		test \$(grep -c 'speaks only TLS 1.3' '$TMP/s.err') = 1"

serve_bg "$TMP/s.json" --json --tls 1.2 || bad "serve --tls 1.2 started"
timeout 10 openssl s_client -connect "127.0.0.1:$SPORT" -CAfile $A/ca.crt \
	-servername server.tlsstep.test </dev/null >"$TMP/cli.out" 2>&1
wait_for "$TMP/s.err" 'rc=' 100
check "serve --tls 1.2 with s_client offering 1.3: TLS 1.2, no DOWNGRD (the server does not speak 1.3)" \
	jq -e '.version == "TLS 1.2" and .outcome == "established" and .choice.downgrade_sentinel == false' "$TMP/s.json"
check "serve --json --tls 1.2: the why names serve --tls 1.2, not a client's check it cannot see" \
	jq -e '.choice.why | contains("This server, serve --tls 1.2") and contains("writes no DOWNGRD marker")
		and (contains("the client checked") | not)' "$TMP/s.json"

# A TLS 1.3-only client at a 1.2-only server: no ServerHello; the why
# names the alert, and the offer counts suites, not the SCSV beside them.
serve_bg "$TMP/s.json" --json --tls 1.2 || bad "serve --tls 1.2 started"
timeout 10 openssl s_client -connect "127.0.0.1:$SPORT" -tls1_3 -CAfile $A/ca.crt \
	-servername server.tlsstep.test </dev/null >"$TMP/cli.out" 2>&1
wait_for "$TMP/s.err" 'rc=' 100
check "serve --tls 1.2 with s_client -tls1_3: the why says no ServerHello, names the alert; 3 suites, not the SCSV" \
	jq -e '.choice.offered_suites == 3 and (.choice.why | contains("No ServerHello. The server answered the hello with the fatal alert handshake_failure"))' "$TMP/s.json"

serve_bg "$TMP/s.json" --json || bad "serve started"
SSLKEYLOGFILE="$TMP/curl.keys" timeout 10 curl -s --cacert $A/ca.crt \
	--resolve "server.tlsstep.test:$SPORT:127.0.0.1" "https://server.tlsstep.test:$SPORT/" >"$TMP/page.html"
wait_for "$TMP/s.err" 'rc=' 100
check "serve (default) with curl (default): TLS 1.3, established, a page back" \
	bash -c "jq -e '.version == \"TLS 1.3\" and .outcome == \"established\"' '$TMP/s.json' >/dev/null && grep -q 'TLS 1.3' '$TMP/page.html'"
same_secrets "$TMP/s.json" "$TMP/curl.keys" "serve with curl"
# An EC certificate (assets/ecdsa*): serve signs its CertificateVerify with
# ECDSA, connect signs its client CertificateVerify with ECDSA; in TLS 1.2
# serve takes an ECDHE_ECDSA suite and signs its ServerKeyExchange.
rm -f "$TMP/cli.keys"
serve_bg "$TMP/s.json" --json --tls 1.3 --cert $A/ecdsa.crt --key $A/ecdsa.key || bad "serve --cert ecdsa.crt started"
timeout 10 openssl s_client -connect "127.0.0.1:$SPORT" -tls1_3 -CAfile $A/ca.crt -verify_return_error \
	-servername server.tlsstep.test -keylogfile "$TMP/cli.keys" </dev/null >"$TMP/cli.out" 2>&1
wait_for "$TMP/s.err" 'rc=' 100
check "serve --cert ecdsa.crt with s_client -tls1_3 -verify_return_error: verified, ECDSA with SHA-256" \
	bash -c "grep -q 'Verify return code: 0 (ok)' '$TMP/cli.out' && grep -q 'Peer signature type: ECDSA' '$TMP/cli.out' &&
		grep -q 'Peer signing digest: SHA256' '$TMP/cli.out'"
check "serve --cert ecdsa.crt: established, CertificateVerify ecdsa_secp256r1_sha256" \
	jq -e '.outcome == "established" and .tls13.cert_verify_scheme == "ecdsa_secp256r1_sha256"' "$TMP/s.json"
same_secrets "$TMP/s.json" "$TMP/cli.keys" "serve --cert ecdsa.crt"

for pair in ecdsa.crt:ecdsa.pk8.pem:SECP256R1-SHA256 ecdsa-p384.crt:ecdsa-p384.key:SECP384R1-SHA384; do
	crt=${pair%%:*} rest=${pair#*:} key=${rest%%:*} sig=${rest#*:}
	serve_bg "$TMP/s.json" --json --tls 1.3 --cert $A/$crt --key $A/$key || bad "serve --key $key started"
	timeout 10 gnutls-cli --x509cafile $A/ca.crt -p "$SPORT" localhost \
		--priority NORMAL:-VERS-ALL:+VERS-TLS1.3 </dev/null >"$TMP/gn.out" 2>&1
	wait_for "$TMP/s.err" 'rc=' 100
	check "serve --key $key with gnutls-cli: handshake completed, (ECDSA-$sig)" \
		bash -c "grep -q 'Handshake was completed' '$TMP/gn.out' && grep -q 'ECDSA-$sig' '$TMP/gn.out'"
done

for c in ECDHE-ECDSA-AES128-GCM-SHA256 ECDHE-ECDSA-AES256-SHA; do
	serve_bg "$TMP/s.json" --json --cert $A/ecdsa.crt --key $A/ecdsa.key || bad "serve --cert ecdsa.crt started"
	timeout 10 openssl s_client -connect "127.0.0.1:$SPORT" -tls1_2 -cipher "$c" -CAfile $A/ca.crt -verify_return_error \
		-servername server.tlsstep.test </dev/null >"$TMP/cli.out" 2>&1
	wait_for "$TMP/s.err" 'rc=' 100
	check "serve with an EC key, s_client -tls1_2 -cipher $c: established, ServerKeyExchange signed with ECDSA" \
		bash -c "jq -e '.version == \"TLS 1.2\" and .outcome == \"established\"' '$TMP/s.json' >/dev/null &&
			grep -q 'Cipher is $c' '$TMP/cli.out' && grep -q 'Peer signature type: ECDSA' '$TMP/cli.out'"
done
serve_bg "$TMP/s.json" --json --cert $A/ecdsa.crt --key $A/ecdsa.key || bad "serve --cert ecdsa.crt started"
timeout 10 openssl s_client -connect "127.0.0.1:$SPORT" -tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256 -CAfile $A/ca.crt \
	</dev/null >"$TMP/cli.out" 2>&1
wait_for "$TMP/s.err" 'rc=' 100
check "serve with an EC key, a TLS 1.2 client offering only RSA suites: handshake_failure, the reason in one line" \
	bash -c "jq -e '.alert.description == \"handshake_failure\" and .alert.sent_by == \"server\"' '$TMP/s.json' >/dev/null &&
		grep -q 'alert handshake failure' '$TMP/cli.out' && jq -e '.alert.reason | test(\"key is EC\")' '$TMP/s.json' >/dev/null"

rm -f "$TMP/srv.keys"
s_server13 "$TMP/srv.log" -Verify 1 -CAfile $A/ca.crt -keylogfile "$TMP/srv.keys" || bad "s_server -Verify started"
timeout 20 "$BIN" connect "127.0.0.1:$PORT" --tls 1.3 --ca $A/ca.crt --servername localhost \
	--cert $A/ecdsa-client.crt --key $A/ecdsa-client.key --json >"$TMP/c.json" 2>"$TMP/c.err"
check "connect --cert ecdsa-client.crt to s_server -Verify: established, its CertificateVerify ecdsa_secp256r1_sha256" \
	jq -e '.outcome == "established" and ([.steps[4].messages[] | select(.name == "CertificateVerify") | .fields[]
		| select(.path == "certificate_verify.algorithm") | .meaning | test("ecdsa_secp256r1_sha256")] == [true])' "$TMP/c.json"
sleep 0.3
check "s_server -Verify accepted the EC client certificate, signed with ECDSA" \
	bash -c "grep -q 'Client certificate' '$TMP/srv.log' && grep -q 'Peer signature type: ECDSA' '$TMP/srv.log'"
same_secrets "$TMP/c.json" "$TMP/srv.keys" "connect --cert ecdsa-client.crt"

serve_bg "$TMP/s.json" --json --tls 1.3 --client-ca $A/ca.crt || bad "serve --client-ca started"
timeout 10 openssl s_client -connect "127.0.0.1:$SPORT" -tls1_3 -CAfile $A/ca.crt -servername server.tlsstep.test \
	-cert $A/ecdsa-client.crt -key $A/ecdsa-client.key </dev/null >"$TMP/cli.out" 2>&1
wait_for "$TMP/s.err" 'rc=' 100
check "serve --client-ca with s_client -cert ecdsa-client.crt: the client's ECDSA CertificateVerify checked" \
	jq -e '.outcome == "established" and ([.steps[4].messages[].name] | index("CertificateVerify") != null)' "$TMP/s.json"

timeout 10 "$BIN" connect 127.0.0.1:1 --tls 1.3 --ca $A/ca.crt --cert $A/ecdsa.crt --key $A/server.key \
	>/dev/null 2>"$TMP/c.err"
check "connect --cert ecdsa.crt --key server.key: refused before connecting, the mismatch named" \
	bash -c "test $? = 1 && grep -q 'is not the one in the certificate' '$TMP/c.err'"
finish
