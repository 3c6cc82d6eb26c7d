#!/bin/bash
# Each suite scenario and mutual authentication against openssl
# (tlsstep connect -> s_server, s_client -> tlsstep serve; both sides must
# hold the same master secret), and every scenario's --record pcap decrypts
# in tshark with the key log. 127.0.0.1, ephemeral ports, bounded waits.
. "$(dirname "$0")/lib.sh"
cd "$ROOT"
A=assets

# openssl s_server with the classroom server certificate; sets PORT.
s_server() {
	local log=$1
	shift
	openssl_server "$log" -cert $A/server.crt -key $A/server.key "$@"
}

# tlsstep serve with --json into $TMP/s.json (serve_bg in lib.sh).
serve() {
	serve_bg "$TMP/s.json" --json "$@"
}

# name:openssl-cipher:suite-id[:mutual]
for row in ecdhe:ECDHE-RSA-AES128-GCM-SHA256:49199 ecdhe-sha384:ECDHE-RSA-AES256-GCM-SHA384:49200 \
	dhe:DHE-RSA-AES128-SHA:51 rsa:AES128-SHA:47 rsa-gcm:AES128-GCM-SHA256:156 \
	rsa-sha256:AES256-SHA256:61 mutual:ECDHE-RSA-AES128-GCM-SHA256:49199:mutual; do
	IFS=: read -r sc suite id mutual <<<"$row"
	srv_opts=() cli_opts=() tls_opts=() serve_opts=()
	if [ -n "$mutual" ]; then
		srv_opts=(-Verify 1 -CAfile $A/ca.crt)
		tls_opts=(--cert $A/client.crt --key $A/client.key)
		cli_opts=(-cert $A/client.crt -key $A/client.key)
		serve_opts=(--client-ca $A/ca.crt)
	fi
	rm -f "$TMP/srv.keys" "$TMP/cli.keys" "$TMP/c.json" "$TMP/s.json"
	s_server "$TMP/srv.log" -cipher "$suite" -keylogfile "$TMP/srv.keys" "${srv_opts[@]}" || bad "$sc: s_server started"
	timeout 20 "$BIN" connect "127.0.0.1:$PORT" --ca assets/ca.crt --servername localhost --json "${tls_opts[@]}" >"$TMP/c.json" 2>"$TMP/c.err"
	rc=$?
	check "$sc: connect to s_server -cipher $suite: exit 0" bash -c "test $rc = 0 || { cat '$TMP/c.err'; tail -3 '$TMP/srv.log'; false; }"
	check "$sc: connect: established with suite $id" jq -e --argjson id "$id" '.outcome == "established" and .cipher_suite_id == $id' "$TMP/c.json"
	ms=$(jq -r .secrets.master_secret "$TMP/c.json")
	sleep 0.2
	check "$sc: connect: s_server's key log has our master secret" grep -q " $ms\$" "$TMP/srv.keys"
	if [ -n "$mutual" ]; then
		check "$sc: connect: sent Certificate and CertificateVerify" jq -e '[.steps[4].messages[].name] | index("CertificateVerify") != null' "$TMP/c.json"
		check "$sc: s_server verified our certificate" grep -q 'subject=.*student.tlsstep.test' "$TMP/srv.log"
	fi

	serve --cipher "$suite" "${serve_opts[@]}" || bad "$sc: serve started"
	timeout 15 openssl s_client -tls1_2 -cipher "$suite" -connect "127.0.0.1:$SPORT" -servername localhost \
		-CAfile $A/ca.crt -verify_return_error -keylogfile "$TMP/cli.keys" "${cli_opts[@]}" </dev/null >"$TMP/cli.log" 2>&1
	wait_for "$TMP/s.err" '^rc=' 60
	check "$sc: s_client to serve: verified" grep -q 'Verify return code: 0 (ok)' "$TMP/cli.log"
	check "$sc: serve: exit 0, suite $id" bash -c "grep -q '^rc=0' '$TMP/s.err' && jq -e '.cipher_suite_id == $id' '$TMP/s.json' >/dev/null"
	ms=$(jq -r .secrets.master_secret "$TMP/s.json")
	check "$sc: serve: s_client's key log has our master secret" grep -q " $ms\$" "$TMP/cli.keys"
	if [ -n "$mutual" ]; then
		check "$sc: serve: checked s_client's certificate" jq -e '[.steps[4].messages[].name] | index("CertificateVerify") != null' "$TMP/s.json"
	fi
done

# s_client without a certificate, to a server that requires one.
serve --client-ca $A/ca.crt || bad "serve started"
timeout 15 openssl s_client -tls1_2 -connect "127.0.0.1:$SPORT" -CAfile $A/ca.crt </dev/null >"$TMP/cli.log" 2>&1
wait_for "$TMP/s.err" '^rc=' 60
check "mutual without a client certificate: serve exits 1" grep -q '^rc=1' "$TMP/s.err"
check "mutual without a client certificate: handshake_failure at step 5" jq -e '.alert.description == "handshake_failure" and .alert.sent_by == "server" and .alert.step == 5' "$TMP/s.json"

# Every scenario's recording opens in tshark; established ones decrypt.
TS="tshark -n -o tls.keylog_file:$TMP/k"
for sc in $("$BIN" scenarios | awk '{print $1}'); do
	rm -f "$TMP/k" "$TMP/p.pcap" "$TMP/dbg"
	"$BIN" --json --scenario "$sc" --seed 1 --record "$TMP/p.pcap" --keylog "$TMP/k" >"$TMP/j" 2>/dev/null
	n=$(jq '[.steps[].records[]] | length' "$TMP/j")
	$TS -r "$TMP/p.pcap" -Y '_ws.malformed' >"$TMP/bad" 2>/dev/null
	check "$sc: pcap has no malformed packet" test ! -s "$TMP/bad"
	$TS -r "$TMP/p.pcap" -T fields -e tls.record.content_type >"$TMP/types" 2>/dev/null
	check "$sc: all $n records dissected" test "$(grep -o '[0-9]\+' "$TMP/types" | wc -l)" = "$n"
	jq -e '.outcome == "established"' "$TMP/j" >/dev/null || continue
	$TS -r "$TMP/p.pcap" -Y '_ws.expert.severity >= "Warning"' >"$TMP/bad" 2>/dev/null
	check "$sc: no expert warning" test ! -s "$TMP/bad"
	$TS -o "tls.debug_file:$TMP/dbg" -r "$TMP/p.pcap" >/dev/null 2>&1
	check "$sc: tshark decrypts both Finished" test "$(grep -c 'mac ok\|auth_tag(OK)' "$TMP/dbg" || true)" -ge 2
	case $sc in # TLS 1.3 has no master secret or key block for tshark to print: tls13.sh
	tls13*) ;;
	*) check "$sc: tshark derives the same secrets" python3 tests/e2e/tshark_check.py "$TMP/dbg" "$TMP/j" ;;
	esac
	check "$sc: the HTTP request decrypts" bash -c "$TS -r '$TMP/p.pcap' -Y http.request 2>/dev/null | grep -q 'GET /'"
done
finish
