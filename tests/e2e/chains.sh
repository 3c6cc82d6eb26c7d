#!/bin/bash
# Certificate chains as real servers send them: openssl s_server with a
# root -> intermediate -> leaf chain (assets/chains, made by
# assets/mkchains.sh) for RSA, ECDSA P-256 and P-384, every ECDHE_ECDSA
# suite, RSA-PSS signatures, and the broken chains a client must refuse.
# All on 127.0.0.1, ephemeral ports, bounded waits.
. "$(dirname "$0")/lib.sh"
cd "$ROOT"
C=assets/chains
NAME=chain.tlsstep.test

# srv ARGS...: openssl s_server for one connection, with -trace so its log
# shows the ClientHello's extensions; sets PORT.
srv() {
	rm -f "$TMP/srv.keys"
	openssl_server "$TMP/srv.log" -trace -keylogfile "$TMP/srv.keys" "$@" ||
		{ bad "s_server started ($*)" "$(head -c 300 "$TMP/srv.log")"; return 1; }
}

# conn HOST ARGS...: tlsstep connect to the last server, JSON in $TMP/c.json.
conn() {
	local host=$1
	shift
	timeout 20 "$BIN" connect "$host:$PORT" --json "$@" >"$TMP/c.json" 2>"$TMP/c.err"
	RC=$?
	# s_server writes its key log as the handshake ends; let it finish.
	wait_for "$TMP/srv.log" 'CONNECTION CLOSED\|ERROR\|shutting down\|Alert' 20 || true
}

# expect_alert LABEL DESCRIPTION SENDER STEP
expect_alert() {
	check "$1: exit 1" test "$RC" = 1
	check "$1: $2 sent by the $3 at step $4" jq -e --arg d "$2" --arg s "$3" --argjson n "$4" \
		'.outcome == "alert" and .alert.description == $d and .alert.sent_by == $s and .alert.step == $n' \
		"$TMP/c.json"
}

# expect_ok LABEL [SUITE_ID]
expect_ok() {
	check "$1: established, exit 0" jq -e --argjson rc "$RC" \
		'$rc == 0 and .source == "connect" and .outcome == "established" and .alert == null' "$TMP/c.json"
	if [ -n "${2:-}" ]; then
		check "$1: suite 0x$2" jq -e --argjson id "$((16#$2))" '.cipher_suite_id == $id' "$TMP/c.json"
		ms=$(jq -r .secrets.master_secret "$TMP/c.json")
		check "$1: openssl's key log has our master secret" grep -q " $ms\$" "$TMP/srv.keys"
	fi
}

# The ServerKeyExchange's signature_algorithm field, as the views name it.
ske_sig() {
	jq -r '.steps[].messages[] | select(.name == "ServerKeyExchange") | .fields[] |
		select(.path | endswith("signature_algorithm")) | .meaning' "$TMP/c.json"
}

# ---- good chains: every ECDHE_ECDSA suite on P-256 and P-384 ------------
for fam in p256 p384; do
	for pair in ECDHE-ECDSA-AES128-GCM-SHA256:C02B ECDHE-ECDSA-AES256-GCM-SHA384:C02C \
		ECDHE-ECDSA-AES128-SHA:C009 ECDHE-ECDSA-AES256-SHA:C00A \
		ECDHE-ECDSA-AES128-SHA256:C023 ECDHE-ECDSA-AES256-SHA384:C024; do
		suite=${pair%:*} id=${pair#*:}
		srv -cert $C/$fam-leaf.crt -key $C/$fam-leaf.key -cert_chain $C/$fam-chain.pem -cipher "$suite" || continue
		conn 127.0.0.1 --ca $C/$fam-root.crt --servername $NAME
		expect_ok "$fam chain, $suite" "$id"
	done
	check "$fam: the ServerKeyExchange is signed with ECDSA, and the view names it" \
		grep -q '^how it is signed: ecdsa_' <(ske_sig)
	check "$fam: the certificate's key is shown as EC" jq -e \
		'[.steps[2].messages[0].fields[] | select(.path | endswith("subjectPublicKeyInfo.algorithm")) | .meaning] |
		 .[0] | test("id-ecPublicKey")' "$TMP/c.json"
done

# RSA root -> P-256 intermediate -> P-384 leaf: every link a different kind.
srv -cert $C/mixed-leaf.crt -key $C/mixed-leaf.key -cert_chain $C/mixed-chain.pem
conn 127.0.0.1 --ca $C/mixed-root.crt --servername $NAME
expect_ok "mixed RSA/P-256/P-384 chain"

for pair in ECDHE-RSA-AES128-GCM-SHA256:C02F ECDHE-RSA-AES256-SHA384:C028; do
	suite=${pair%:*} id=${pair#*:}
	srv -cert $C/rsa-leaf.crt -key $C/rsa-leaf.key -cert_chain $C/rsa-chain.pem -cipher "$suite" || continue
	conn 127.0.0.1 --ca $C/rsa-root.crt --servername $NAME
	expect_ok "rsa chain, $suite" "$id"
done

# RSA-PSS and PKCS#1 v1.5 in the ServerKeyExchange, as the server chooses.
for sa in RSA-PSS+SHA256:rsa_pss_rsae_sha256 RSA-PSS+SHA384:rsa_pss_rsae_sha384 \
	RSA-PSS+SHA512:rsa_pss_rsae_sha512 RSA+SHA384:rsa_pkcs1_sha384 RSA+SHA512:rsa_pkcs1_sha512; do
	alg=${sa%:*} name=${sa#*:}
	srv -cert $C/rsa-leaf.crt -key $C/rsa-leaf.key -cert_chain $C/rsa-chain.pem -sigalgs "$alg" \
		-cipher ECDHE-RSA-AES128-GCM-SHA256 || continue
	conn 127.0.0.1 --ca $C/rsa-root.crt --servername $NAME
	expect_ok "rsa chain, server signs with $alg" C02F
	check "$alg: the view names $name" grep -q "^how it is signed: $name " <(ske_sig)
done
srv -cert $C/rsa-leaf.crt -key $C/rsa-leaf.key -cert_chain $C/rsa-chain.pem -sigalgs RSA-PSS+SHA256 \
	-cipher ECDHE-RSA-AES128-GCM-SHA256
timeout 20 "$BIN" connect "127.0.0.1:$PORT" --ca $C/rsa-root.crt --servername $NAME --plain >"$TMP/c.txt" 2>&1
check "plain view names rsa_pss_rsae_sha256" grep -q 'rsa_pss_rsae_sha256' "$TMP/c.txt"

# ---- what servers get wrong ---------------------------------------------
srv -cert $C/p256-leaf.crt -key $C/p256-leaf.key
conn 127.0.0.1 --ca $C/p256-root.crt --servername $NAME
expect_alert "intermediate not sent" unknown_ca client 3

srv -cert $C/p256-leaf.crt -key $C/p256-leaf.key -cert_chain $C/p256-messy-chain.pem
conn 127.0.0.1 --ca $C/p256-root.crt --servername $NAME
expect_ok "intermediates out of order, with an unrelated extra"

for h in a.tlsstep.test:ok a.b.tlsstep.test:bad tlsstep.test:bad; do
	host=${h%:*} want=${h#*:}
	srv -cert $C/wild-leaf.crt -key $C/wild-leaf.key -cert_chain $C/p256-chain.pem || continue
	conn 127.0.0.1 --ca $C/p256-root.crt --servername "$host"
	if [ "$want" = ok ]; then
		expect_ok "*.tlsstep.test covers $host"
	else
		expect_alert "*.tlsstep.test does not cover $host" bad_certificate client 3
	fi
done

srv -cert $C/p256-leaf.crt -key $C/p256-leaf.key -cert_chain $C/p256-chain.pem
conn 127.0.0.1 --ca $C/p256-root.crt --servername other.tlsstep.test
expect_alert "name mismatch" bad_certificate client 3
check "name mismatch: the reason lists the certificate's names" jq -e \
	'.alert.reason | test("other.tlsstep.test") and test("chain.tlsstep.test")' "$TMP/c.json"

srv -cert $C/expired-leaf.crt -key $C/expired-leaf.key -cert_chain $C/expired-chain.pem
conn 127.0.0.1 --ca $C/p256-root.crt --servername $NAME
expect_alert "expired intermediate" certificate_expired client 3
check "expired intermediate: the reason names it" jq -e '.alert.reason | test("Expired Intermediate")' "$TMP/c.json"

srv -cert $C/nonca-leaf.crt -key $C/nonca-leaf.key -cert_chain $C/nonca-chain.pem
conn 127.0.0.1 --ca $C/p256-root.crt --servername evil.tlsstep.test
expect_alert "leaf signed by a non-CA certificate" bad_certificate client 3
check "non-CA issuer: the reason says so" jq -e '.alert.reason | test("not a CA")' "$TMP/c.json"

# A suite that needs an EC key, from a server whose certificate is RSA: the
# client offers only ECDSA suites, the server has none it can use.
srv -cert $C/rsa-leaf.crt -key $C/rsa-leaf.key -cert_chain $C/rsa-chain.pem
conn 127.0.0.1 --ca $C/rsa-root.crt --servername $NAME --cipher ECDHE-ECDSA-AES128-GCM-SHA256
check "ECDSA suites only vs an RSA server: fails, exit 1" jq -e --argjson rc "$RC" \
	'$rc == 1 and .outcome == "alert" and .alert.sent_by == "server"' "$TMP/c.json"

# ---- names: IP SAN, SNI --------------------------------------------------
srv -cert $C/p256-leaf.crt -key $C/p256-leaf.key -cert_chain $C/p256-chain.pem
conn 127.0.0.1 --ca $C/p256-root.crt
expect_ok "IP literal matched against the IP SAN"
check "IP literal: no server_name in the ClientHello (our view)" jq -e \
	'[.steps[0].messages[0].fields[].path | select(test("server_name|host_name"))] | length == 0' "$TMP/c.json"
check "IP literal: the server saw no SNI" bash -c "! grep -q 'server_name' '$TMP/srv.log'"

srv -cert $C/p256-leaf.crt -key $C/p256-leaf.key -cert_chain $C/p256-chain.pem
conn 127.0.0.1 --ca $C/p256-root.crt --servername $NAME
expect_ok "host name sent"
check "SNI seen by the server" grep -q 'chain.tlsstep.test\|63 68 61.*69 6e 2e 74 6c 73 73' "$TMP/srv.log"
check "SNI in our ClientHello" jq -e \
	'[.steps[0].messages[0].fields[] | select(.path | test("host_name")) | .meaning] | join(" ") | test("chain.tlsstep.test")' \
	"$TMP/c.json"

# A server that insists on another name (-servername_fatal needs a second
# context, -cert2) refuses the ClientHello.
srv -cert $C/p256-leaf.crt -key $C/p256-leaf.key -cert_chain $C/p256-chain.pem \
	-cert2 $C/p256-leaf.crt -key2 $C/p256-leaf.key -servername www.tlsstep.test -servername_fatal
conn 127.0.0.1 --ca $C/p256-root.crt --servername $NAME
check "SNI refused by the server: fatal alert from the server at step 1" jq -e --argjson rc "$RC" \
	'$rc == 1 and .outcome == "alert" and .alert.sent_by == "server" and .alert.step == 1 and .alert.level == "fatal"' \
	"$TMP/c.json"
check "SNI refused: the server logged the name it got" grep -q 'Hostname in TLS extension: "chain.tlsstep.test"' "$TMP/srv.log"

finish
