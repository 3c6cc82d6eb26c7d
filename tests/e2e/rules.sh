#!/bin/bash
# The rules a browser applies to a certificate chain, against real peers:
# openssl s_server serves every chain of assets/rules (made by
# assets/mkrules.sh), and `tlsstep connect` must accept exactly those that
# `openssl verify -purpose sslserver -x509_strict -auth_level 2` accepts
# (assets/rules/verdicts.txt), refuse the others with the right alert, and
# mark the field that decided. Then keyUsage against the key exchange, no
# SHA-1 signatures offered, and client certificates under serve --client-ca.
# All on 127.0.0.1, ephemeral ports, bounded waits.
. "$(dirname "$0")/lib.sh"
cd "$ROOT"
R=assets/rules

# srv LEAF CHAIN ARGS...: s_server with that certificate (CHAIN - for none);
# security level 0, so that it agrees to serve the weak ones.
srv() {
	local leaf=$1 chain=$2
	shift 2
	local extra=()
	[ "$chain" != - ] && extra=(-cert_chain "$R/$chain")
	openssl_server "$TMP/srv.log" -cert "$R/$leaf" -key "$R/${leaf%.crt}.key" "${extra[@]}" \
		-cipher 'DEFAULT:@SECLEVEL=0' "$@" || { bad "s_server started ($leaf $*)" "$(head -c 300 "$TMP/srv.log")"; return 1; }
}

conn() {
	local host=$1 root=$2
	shift 2
	timeout 20 "$BIN" connect "127.0.0.1:$PORT" --ca "$R/$root" --servername "$host" --json "$@" >"$TMP/c.json" 2>"$TMP/c.err"
	RC=$?
	wait_for "$TMP/srv.log" 'CONNECTION CLOSED\|ERROR\|shutting down\|Alert' 20 || true
}

# The alert tlsstep sends for each refused case.
alert_for() {
	case $1 in
	eku-* | ku-certsign) echo unsupported_certificate ;;
	*) echo bad_certificate ;;
	esac
}

expect_refused() {
	local label=$1 desc=$2
	check "$label: refused with $desc by the client at step 3, exit 1" jq -e --arg d "$desc" --argjson rc "$RC" \
		'$rc == 1 and .outcome == "alert" and .alert.description == $d and .alert.sent_by == "client" and .alert.step == 3' \
		"$TMP/c.json"
	check "$label: step 3 marks the field that decided" jq -e \
		'[.steps[2].messages[] | select(.name == "Certificate") | .fields[] | select(.meaning | startswith("[this decided the refusal]"))] | length == 1' \
		"$TMP/c.json"
}

expect_ok() {
	check "$1: established, exit 0" jq -e --argjson rc "$RC" '$rc == 0 and .outcome == "established"' "$TMP/c.json"
}

# ---- every server chain, as OpenSSL judges it --------------------------------
while read -r name purpose host leaf root chain verdict; do
	[ "$purpose" = server ] || continue
	case $name in ku-encipher) continue ;; esac # judged below, by key exchange
	srv "$leaf" "$chain" || continue
	conn "$host" "$root"
	if [ "$verdict" = ok ]; then
		expect_ok "$name (OpenSSL: ok)"
	else
		expect_refused "$name (OpenSSL: error $verdict)" "$(alert_for "$name")"
	fi
done <"$R/verdicts.txt"

srv nc-outside.crt int-nc-chain.pem
conn www.rules.tlsstep.test root.crt
check "nameConstraints: the reason names the CA, the rule and the name" jq -e \
	'.alert.reason | test("Rules CA for rules.tlsstep.test") and test("nameConstraints") and test("bank.example")' "$TMP/c.json"
check "nameConstraints: the intermediate's nameConstraints is the field marked" jq -e \
	'[.steps[2].messages[0].fields[] | select(.meaning | startswith("[this decided")) | .path] == ["certificate[1].extensions.nameConstraints"]' \
	"$TMP/c.json"

# ---- keyUsage against the key exchange -----------------------------------------
srv ku-encipher.crt int-chain.pem -cipher 'ECDHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0'
conn rules.tlsstep.test root.crt
expect_refused "keyEncipherment only, ECDHE_RSA" unsupported_certificate
check "keyEncipherment only, ECDHE_RSA: the reason says the key may not sign" jq -e \
	'.alert.reason | test("digitalSignature")' "$TMP/c.json"
srv ku-encipher.crt int-chain.pem -cipher 'AES128-GCM-SHA256:@SECLEVEL=0'
conn rules.tlsstep.test root.crt
expect_ok "keyEncipherment only, RSA key exchange"
srv ku-sign.crt int-chain.pem -cipher 'AES128-GCM-SHA256:@SECLEVEL=0'
conn rules.tlsstep.test root.crt
expect_refused "digitalSignature only, RSA key exchange" unsupported_certificate
srv ku-sign.crt int-chain.pem -cipher 'ECDHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0'
conn rules.tlsstep.test root.crt
expect_ok "digitalSignature only, ECDHE_RSA"

# ---- no SHA-1 for the ServerKeyExchange ------------------------------------------
srv good.crt int-chain.pem -trace
conn rules.tlsstep.test root.crt
expect_ok "good chain, with the ClientHello traced"
check "connect offers no rsa_pkcs1_sha1 nor ecdsa_sha1" bash -c \
	"grep -q 'rsa_pss_rsae_sha256' '$TMP/srv.log' && ! grep -q 'rsa_pkcs1_sha1\|ecdsa_sha1' '$TMP/srv.log'"
srv good.crt int-chain.pem -sigalgs RSA+SHA1 -cipher 'ECDHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0'
conn rules.tlsstep.test root.crt
check "a server that can only sign with SHA-1 finds nothing in common: no handshake" jq -e --argjson rc "$RC" \
	'$rc == 1 and .outcome == "alert"' "$TMP/c.json"

# ---- client certificates: clientAuth, under serve --client-ca --------------------
for row in eku-client:0 good:1; do
	leaf=${row%:*} want=${row#*:}
	serve_bg "$TMP/s.json" --json --cert $R/good.crt --key $R/good.key --client-ca $R/root.crt || {
		bad "serve started"
		continue
	}
	timeout 15 openssl s_client -tls1_2 -connect "127.0.0.1:$SPORT" -CAfile $R/root.crt \
		-cert $R/$leaf.crt -key $R/$leaf.key -cert_chain $R/int-chain.pem </dev/null >"$TMP/cli.log" 2>&1
	wait_for "$TMP/s.err" '^rc=' 60
	if [ "$want" = 0 ]; then
		check "client certificate for clientAuth: serve accepts it" grep -q '^rc=0' "$TMP/s.err"
	else
		check "client certificate for serverAuth only: serve refuses it, exit 1" grep -q '^rc=1' "$TMP/s.err"
		check "client certificate for serverAuth only: unsupported_certificate at step 5, clientAuth named" jq -e \
			'.alert.description == "unsupported_certificate" and .alert.sent_by == "server" and .alert.step == 5 and (.alert.reason | test("clientAuth"))' \
			"$TMP/s.json"
	fi
done

finish
