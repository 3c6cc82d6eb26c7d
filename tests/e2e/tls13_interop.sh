#!/bin/bash
# The TLS 1.3 engine against peers nobody here wrote, through the test
# driver build/tests/tls13_peer: our client against openssl s_server
# -tls1_3 and our server against openssl s_client -tls1_3 and gnutls-cli,
# for each suite and group, HelloRetryRequest, mutual authentication, an
# ECDSA server certificate (openssl's and ours, P-256 and P-384), EC client keys
# both ways, resumption with a ticket and middlebox
# compatibility. The NSS key log our driver writes must equal the peer's.
# 127.0.0.1 only, ephemeral ports, bounded waits.
. "$(dirname "$0")/lib.sh"
cd "$ROOT"
A=assets
PEER=$ROOT/build/tests/tls13_peer
[ -x "$PEER" ] || make -s --no-print-directory build/tests/tls13_peer >/dev/null || exit 1

# The key log lines of the five secrets our driver logs, sorted, so two
# logs compare (a client offering a PSK logs early secrets too).
keys() { grep -E '^(CLIENT|SERVER)_(HANDSHAKE_TRAFFIC_SECRET|TRAFFIC_SECRET_0) |^EXPORTER_SECRET ' "$1" 2>/dev/null | sort; }
same_keys() { [ -s "$1" ] && [ "$(keys "$1")" = "$(keys "$2")" ] && [ "$(keys "$1" | wc -l)" -ge 5 ]; }

# s13_server LOG NACCEPT ARGS...: openssl s_server -tls1_3 -www; sets PORT.
s13_server() {
	local log=$1 n=$2
	shift 2
	rm -f "$log"
	(sleep 10 | timeout 20 openssl s_server -tls1_3 -accept 127.0.0.1:0 -naccept "$n" -www \
		-keylogfile "$TMP/srv.keys" "$@" >"$log" 2>&1) &
	PIDS+=($!)
	PORT=
	wait_for "$log" '^ACCEPT' || return 1
	PORT=$(sed -n 's/^ACCEPT .*:\([0-9]*\)$/\1/p' "$log")
}

# our_client NAME EXPECT ARGS...: our driver against $PORT; EXPECT is a
# pattern its result line must hold.
our_client() {
	local name=$1 want=$2
	shift 2
	timeout 20 "$PEER" client "$PORT" --ca $A/ca.crt --keylog "$TMP/cli.keys" "$@" >"$TMP/c.out" 2>&1
	check "$name: established" grep -q "client established.*$want" "$TMP/c.out"
	check "$name: the page came back" grep -q 'client read [1-9][0-9]* bytes' "$TMP/c.out"
	sleep 0.2
	check "$name: openssl's key log equals ours" same_keys "$TMP/cli.keys" "$TMP/srv.keys"
	# s_server keeps its key log open across connections: keep ours too
	[ -n "${KEEP_KEYS:-}" ] || rm -f "$TMP/cli.keys" "$TMP/srv.keys"
}

# ---- our client, openssl s_server ----
for s in TLS_AES_128_GCM_SHA256:0x1301 TLS_AES_256_GCM_SHA384:0x1302 TLS_CHACHA20_POLY1305_SHA256:0x1303; do
	s13_server "$TMP/s.log" 1 -cert $A/server.crt -key $A/server.key -ciphersuites "${s%:*}" || bad "s_server ${s%:*}"
	our_client "client, ${s%:*}" "suite=${s#*:} .*cv=0x080[456]"
done
for g in X25519:0x001d P-256:0x0017 ffdhe2048:0x0100; do
	s13_server "$TMP/s.log" 1 -cert $A/server.crt -key $A/server.key -groups "${g%:*}" || bad "s_server ${g%:*}"
	our_client "client, group ${g%:*}" "group=${g#*:} hrr=0" --group "${g#*:}"
done
s13_server "$TMP/s.log" 1 -cert $A/server.crt -key $A/server.key -groups P-256 || bad "s_server HRR"
our_client "client, HelloRetryRequest to P-256" "group=0x0017 hrr=1" --group 0x001d --group 0x0017
s13_server "$TMP/s.log" 1 -cert $A/server.crt -key $A/server.key -groups P-256 || bad "s_server HRR compat"
our_client "client, HRR in compatibility mode" "group=0x0017 hrr=1 psk=0 compat=1" --group 0x001d --group 0x0017 --compat
s13_server "$TMP/s.log" 1 -cert $A/server.crt -key $A/server.key -Verify 1 -CAfile $A/ca.crt || bad "s_server -Verify"
our_client "client, mutual authentication" "suite=" --cert $A/client.crt --key $A/client.key
check "client, mutual: s_server verified our certificate" grep -q 'CN *= *[^ ]' "$TMP/s.log"

# An ECDSA P-256 server certificate, issued by the classroom CA here.
cat >"$TMP/ec.ext" <<'X'
subjectAltName = DNS:localhost
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
basicConstraints = CA:FALSE
X
openssl ecparam -name prime256v1 -genkey -noout -out "$TMP/ec.key" 2>/dev/null
openssl req -new -key "$TMP/ec.key" -subj /CN=localhost -out "$TMP/ec.csr" 2>/dev/null
openssl x509 -req -in "$TMP/ec.csr" -CA $A/ca.crt -CAkey $A/ca.key -CAcreateserial -CAserial "$TMP/ca.srl" \
	-days 30 -extfile "$TMP/ec.ext" -out "$TMP/ec.crt" 2>/dev/null
s13_server "$TMP/s.log" 1 -cert "$TMP/ec.crt" -key "$TMP/ec.key" || bad "s_server ECDSA"
our_client "client, ECDSA certificate" "cv=0x0403"
# Our client with the classroom EC client key: its CertificateVerify is ECDSA.
s13_server "$TMP/s.log" 1 -cert $A/server.crt -key $A/server.key -Verify 1 -CAfile $A/ca.crt || bad "s_server -Verify EC"
our_client "client, mutual authentication with an EC key" "suite=" --cert $A/ecdsa-client.crt --key $A/ecdsa-client.key
check "client, mutual EC: s_server verified our certificate" grep -q 'CN *= *student' "$TMP/s.log"

# Resumption: the ticket from the first connection, offered in the second.
s13_server "$TMP/s.log" 2 -cert $A/server.crt -key $A/server.key || bad "s_server resumption"
KEEP_KEYS=1 our_client "client, first connection" "psk=0" --sess-out "$TMP/ticket.bin"
check "client kept a ticket" grep -q 'kept a ticket' "$TMP/c.out"
our_client "client, resumed with the ticket" "psk=1 .*cv=0x0000" --sess-in "$TMP/ticket.bin"

# A TLS 1.2-only server: the client falls back (X25519 and RSA-PSS from its 1.3 offer).
rm -f "$TMP/s.log"
(sleep 8 | timeout 15 openssl s_server -tls1_2 -accept 127.0.0.1:0 -naccept 1 -www -cert $A/server.crt \
	-key $A/server.key >"$TMP/s.log" 2>&1) &
PIDS+=($!)
wait_for "$TMP/s.log" '^ACCEPT' && PORT=$(sed -n 's/^ACCEPT .*:\([0-9]*\)$/\1/p' "$TMP/s.log")
timeout 20 "$PEER" client "$PORT" --ca $A/ca.crt >"$TMP/c.out" 2>&1
check "client, TLS 1.2-only s_server: TLS 1.2 with ECDHE over X25519" \
	grep -q 'client established version=0x0303 suite=0xc02f group=0x001d' "$TMP/c.out"

# ---- our server, openssl s_client and gnutls-cli ----
# our_server NAME NACCEPT ARGS...: the driver as a server; sets SPORT.
our_server() {
	local n=$1
	shift
	rm -f "$TMP/p.err" "$TMP/p.out" "$TMP/srv.keys" "$TMP/cli.keys"
	(timeout 25 "$PEER" server --cert $A/server.crt --key $A/server.key --keylog "$TMP/srv.keys" \
		--accept "$n" "$@" >"$TMP/p.out" 2>"$TMP/p.err") &
	PIDS+=($!)
	wait_for "$TMP/p.err" 'listening on' || return 1
	SPORT=$(sed -n 's/.*port \([0-9]*\)$/\1/p' "$TMP/p.err")
}
s_client13() {
	(echo hello; sleep 1) | timeout 15 openssl s_client -tls1_3 -connect "127.0.0.1:$SPORT" -servername localhost \
		-CAfile $A/ca.crt -verify_return_error -keylogfile "$TMP/cli.keys" "$@" >"$TMP/cl.log" 2>&1
}
server_checks() {
	local name=$1 want=$2
	wait_for "$TMP/p.out" 'server read' 40
	check "$name: our server established" grep -q "server established.*$want" "$TMP/p.out"
	check "$name: s_client verified and read our data" \
		sh -c "grep -q 'Verify return code: 0 (ok)' '$TMP/cl.log' && grep -q 'hello from tlsstep' '$TMP/cl.log'"
	check "$name: s_client's key log equals ours" same_keys "$TMP/srv.keys" "$TMP/cli.keys"
}
for s in TLS_AES_128_GCM_SHA256:0x1301 TLS_AES_256_GCM_SHA384:0x1302 TLS_CHACHA20_POLY1305_SHA256:0x1303; do
	our_server 1 || bad "server started"
	s_client13 -ciphersuites "${s%:*}"
	server_checks "server, ${s%:*}" "suite=${s#*:}"
done
for g in X25519:0x001d P-256:0x0017 ffdhe2048:0x0100; do
	our_server 1 || bad "server started"
	s_client13 -groups "${g%:*}"
	server_checks "server, group ${g%:*}" "group=${g#*:} hrr=0"
done
our_server 1 --group 0x0017 || bad "server started"
s_client13 -groups X25519:P-256
server_checks "server, HelloRetryRequest to P-256" "group=0x0017 hrr=1"
our_server 1 --mutual --ca $A/ca.crt || bad "server started"
s_client13 -cert $A/client.crt -key $A/client.key
server_checks "server, mutual authentication" "client_cert=1"
our_server 1 --mutual --ca $A/ca.crt || bad "server started"
s_client13 -cert $A/ecdsa-client.crt -key $A/ecdsa-client.key
server_checks "server, mutual authentication, the client's key EC" "client_cert=1"
# Our server with the classroom EC certificate: ECDSA P-256 and P-384.
for e in ecdsa:0x0403:SHA256 ecdsa-p384:0x0503:SHA384; do
	n=${e%%:*} rest=${e#*:}
	our_server 1 --cert $A/$n.crt --key $A/$n.key || bad "server started"
	s_client13
	server_checks "server, $n certificate" "cv=${rest%:*}"
	check "server, $n: s_client saw an ECDSA signature with ${rest#*:}" \
		sh -c "grep -q 'Peer signature type: ECDSA' '$TMP/cl.log' && grep -q 'Peer signing digest: ${rest#*:}' '$TMP/cl.log'"
done
our_server 2 --tickets 2 || bad "server started"
s_client13 -sess_out "$TMP/sess.pem"
server_checks "server, first connection" "psk=0"
rm -f "$TMP/cli.keys" "$TMP/srv.keys"
s_client13 -sess_in "$TMP/sess.pem"
wait_for "$TMP/p.out" 'psk=1' 40
check "server, s_client resumed with our ticket" grep -q '^Reused, TLSv1.3' "$TMP/cl.log"
check "server, resumed: no certificate, PSK with (EC)DHE" grep -q 'server established.*psk=1 .*cv=0x0000' "$TMP/p.out"
check "server, resumed: s_client's key log equals ours" same_keys "$TMP/srv.keys" "$TMP/cli.keys"

# A TLS 1.2-only s_client: our 1.3 server answers in 1.2, its random ending in DOWNGRD\1.
our_server 1 || bad "server started"
(echo hello; sleep 1) | timeout 15 openssl s_client -tls1_2 -connect "127.0.0.1:$SPORT" -servername localhost \
	-CAfile $A/ca.crt -verify_return_error -msg >"$TMP/cl.log" 2>&1
wait_for "$TMP/p.out" 'server' 40
check "server, TLS 1.2-only s_client: TLS 1.2" grep -q 'server established version=0x0303' "$TMP/p.out"
check "server, TLS 1.2-only s_client: the downgrade sentinel in ServerHello.random" \
	sh -c "grep -A3 'ServerHello' '$TMP/cl.log' | tr -d ' \n' | grep -qi '444f574e47524401'"

if command -v gnutls-cli >/dev/null; then
	our_server 2 --tickets 1 || bad "server started"
	(echo hello; sleep 1) | SSLKEYLOGFILE="$TMP/cli.keys" timeout 20 gnutls-cli --priority 'NORMAL:-VERS-ALL:+VERS-TLS1.3' \
		--x509cafile $A/ca.crt --verify-hostname localhost --sni-hostname localhost -p "$SPORT" -r 127.0.0.1 \
		>"$TMP/g.log" 2>&1
	wait_for "$TMP/p.out" 'psk=1' 40
	check "server, gnutls-cli: full handshake" grep -q 'server established.*psk=0' "$TMP/p.out"
	check "server, gnutls-cli: resumed with our ticket" grep -q 'This is a resumed session' "$TMP/g.log"
	check "server, gnutls-cli: key logs agree" same_keys "$TMP/srv.keys" "$TMP/cli.keys"
else
	bad "gnutls-cli is missing (Debian package gnutls-bin)"
fi
finish
