#!/bin/bash
# Resumption across runs, like openssl s_client -sess_out / -sess_in:
# connect --sess-out keeps the session a handshake left, connect --sess-in
# offers it again. Against openssl s_server (TLS 1.3 tickets, TLS 1.2
# session IDs): the second handshake is resumed (openssl says "Reused", we
# show no Certificate) and its traffic secrets are the ones openssl logged;
# a server that does not know the ticket declines and we say so; serve is
# resumed by s_client -sess_out / -sess_in in 1.2 (1.3 is in net13.sh);
# and every bad session file ends in one line and a non-zero exit. On
# 127.0.0.1, ephemeral ports, bounded waits; --tls given every time.
. "$(dirname "$0")/lib.sh"
cd "$ROOT"
A=assets
CONNECT=(connect --ca $A/ca.crt --servername localhost --timeout 5)

# reused_on LOG LIST: the connections (1-based, as digits) on which openssl
# reused a session are exactly LIST (the line follows that one's CIPHER line).
reused_on() {
	awk -v want="$2" '/^CIPHER is/ {n++} /^Reused session-id/ {r = r n} END {exit !(r == want)}' "$1"
}

# HKDF-Extract(0, 0) with SHA-256: the early secret without a PSK.
ZEROS_EARLY=33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a

# ---- TLS 1.3: a ticket, then a PSK resumption (SHA-256 and SHA-384 suites)
for suite in TLS_AES_128_GCM_SHA256 TLS_AES_256_GCM_SHA384; do
	rm -f "$TMP/s13.keys" "$TMP/t13"
	s_server_n tls1_3 "$TMP/s13.log" 3 -ciphersuites $suite -keylogfile "$TMP/s13.keys" ||
		bad "s_server -tls1_3 ($suite) started"
	(umask 000 && timeout 20 "$BIN" "${CONNECT[@]}" "127.0.0.1:$PORT" --tls 1.3 --json \
		--sess-out "$TMP/t13" >"$TMP/c1.json" 2>"$TMP/c1.err")
	check "1.3 ($suite): connect --sess-out exits 0 and writes the ticket" \
		bash -c "grep -qx 'tlsstep-session 1' '$TMP/t13' && grep -qx 'version=1.3' '$TMP/t13' && grep -q '^ticket=' '$TMP/t13'"
	check "1.3 ($suite): the session file is mode 0600 (it holds the PSK), whatever the umask" \
		test "$(stat -c %a "$TMP/t13")" = 600
	check "1.3 ($suite): the file's resumption_master_secret is the first handshake's" \
		grep -qx "resumption_master_secret=$(jq -r .secrets.resumption_master_secret "$TMP/c1.json")" "$TMP/t13"
	timeout 20 "$BIN" "${CONNECT[@]}" "127.0.0.1:$PORT" --tls 1.3 --json --sess-in "$TMP/t13" \
		--sess-out "$TMP/t13b" >"$TMP/c2.json" 2>"$TMP/c2.err"
	check "1.3 ($suite): connect --sess-in exits 0 and says it resumed" \
		bash -c "test $? = 0 && grep -q 'resumed the session of .*TLS 1.3, its ticket as a pre-shared key' '$TMP/c2.err'"
	check "1.3 ($suite): the PSK was accepted, no Certificate, no CertificateVerify" \
		jq -e '.tls13.psk_offered and .tls13.psk_accepted and ([.steps[].messages[].name] | index("Certificate") == null and index("CertificateVerify") == null)' "$TMP/c2.json"
	check "1.3 ($suite): the early secret comes from the PSK, and a binder key exists" \
		jq -e --arg z $ZEROS_EARLY '.secrets.early_secret != $z and .secrets.binder_key != null and .steps[0].client_knows.binder_key != null' "$TMP/c2.json"
	check "1.3 ($suite): the step notes say what a PSK handshake leaves out" \
		jq -e '(.steps[0].note | test("pre-shared key")) and (.steps[2].note | startswith("no Certificate"))' "$TMP/c2.json"
	sleep 0.3
	same_secrets "$TMP/c2.json" "$TMP/s13.keys" "1.3 ($suite) resumed"
	check "1.3 ($suite): the resumed handshake left a new ticket (--sess-out with --sess-in)" \
		bash -c "test -s '$TMP/t13b' && ! cmp -s '$TMP/t13' '$TMP/t13b'"
	# that new ticket, as a page: the TLS 1.3 lessons of a resumption, every one loads
	timeout 20 "$BIN" "${CONNECT[@]}" "127.0.0.1:$PORT" --tls 1.3 --html "$TMP/c.html" --sess-in "$TMP/t13b" 2>"$TMP/c.err"
	check "1.3 ($suite) --html, resumed again: the lessons explain the ticket's binder and the early secret from the PSK, none is missing" \
		bash -c "grep -q 'the ticket of an earlier connection, with a binder' '$TMP/c.html' && grep -q 'HKDF-Extract of the PSK' '$TMP/c.html' \
			&& grep -q 'no Certificate: the server accepted the PSK' '$TMP/c.html' && ! grep -q 'unavailable' '$TMP/c.html'"
	sleep 0.3
	check "1.3 ($suite): openssl s_server reused a session on the second and third connections, not the first" \
		reused_on "$TMP/s13.log" 23
done

# Mutual authentication: s_server -Verify asks for our certificate in the
# full handshake; the PSK resumption needs none (RFC 8446 4.3.2: no
# CertificateRequest with a PSK), in both versions.
for v in 1.3 1.2; do
	s_server_n "tls1_${v#1.}" "$TMP/sm.log" 2 -Verify 1 -CAfile $A/ca.crt || bad "s_server -Verify ($v) started"
	timeout 20 "$BIN" "${CONNECT[@]}" "127.0.0.1:$PORT" --tls $v --cert $A/client.crt --key $A/client.key --json \
		--sess-out "$TMP/m$v" >"$TMP/m1.json" 2>/dev/null
	timeout 20 "$BIN" "${CONNECT[@]}" "127.0.0.1:$PORT" --tls $v --cert $A/client.crt --key $A/client.key --json \
		--sess-in "$TMP/m$v" >"$TMP/m2.json" 2>"$TMP/m2.err"
	check "mutual $v: the full handshake sent our Certificate and CertificateVerify, the resumed one no certificate at all" \
		bash -c "jq -e '[.steps[].messages[].name] | index(\"CertificateVerify\") != null' '$TMP/m1.json' >/dev/null &&
			jq -e '[.steps[].messages[].name] | index(\"Certificate\") == null and index(\"CertificateRequest\") == null' '$TMP/m2.json' >/dev/null &&
			grep -q 'resumed the session' '$TMP/m2.err'"
	sleep 0.3
	check "mutual $v: openssl s_server checked our certificate, then reused the session" \
		bash -c "grep -q 'CN *= *student' '$TMP/sm.log' && awk '/^CIPHER is/ {n++} /^Reused session-id/ {r = r n} END {exit !(r == \"2\")}' '$TMP/sm.log'"
done

# A server that did not issue the ticket (another s_server, other ticket
# keys) declines it: a full handshake, said plainly.
s_server_n tls1_3 "$TMP/s13.log" 1 -keylogfile "$TMP/s13d.keys" || bad "s_server -tls1_3 started"
timeout 20 "$BIN" "${CONNECT[@]}" "127.0.0.1:$PORT" --tls 1.3 --json --sess-in "$TMP/t13" >"$TMP/d.json" 2>"$TMP/d.err"
check "1.3 declined: exit 0, and stderr says the server did not resume, a full handshake" \
	bash -c "test $? = 0 && grep -q 'the server did not resume the session of .*: this was a full handshake' '$TMP/d.err'"
check "1.3 declined: offered but not accepted, the Certificate came, step 2's note says why" \
	jq -e '.tls13.psk_offered and (.tls13.psk_accepted | not) and ([.steps[].messages[].name] | index("Certificate") != null)
		and (.steps[1].note | startswith("the server declined the offered ticket"))' "$TMP/d.json"
check "1.3 declined: the early secret is from zeros again, and step 1 does not show that one as the client's" \
	jq -e --arg z $ZEROS_EARLY '.secrets.early_secret == $z and .steps[0].client_knows.early_secret == null
		and .steps[1].client_knows.early_secret == $z' "$TMP/d.json"
sleep 0.3
same_secrets "$TMP/d.json" "$TMP/s13d.keys" "1.3 declined"

# A server that sends no ticket: nothing to write, said, non-zero.
s_server_n tls1_3 "$TMP/s13.log" 1 -num_tickets 0 || bad "s_server -num_tickets 0 started"
rm -f "$TMP/none"
timeout 20 "$BIN" "${CONNECT[@]}" "127.0.0.1:$PORT" --tls 1.3 --timeout 2 --plain --sess-out "$TMP/none" >/dev/null 2>"$TMP/n.err"
check "1.3 without tickets: --sess-out fails in one line naming the missing NewSessionTicket, no file" \
	bash -c "test $? = 1 && grep -q 'none not written: the server sent no NewSessionTicket' '$TMP/n.err' && test ! -e '$TMP/none'"

# ---- TLS 1.2: a session ID, then an abbreviated handshake
rm -f "$TMP/s12.keys"
s_server_n tls1_2 "$TMP/s12.log" 2 -keylogfile "$TMP/s12.keys" || bad "s_server -tls1_2 started"
timeout 20 "$BIN" "${CONNECT[@]}" "127.0.0.1:$PORT" --tls 1.2 --json --sess-out "$TMP/t12" >"$TMP/e1.json" 2>"$TMP/e1.err"
check "1.2: connect --sess-out writes the session ID and master secret, mode 0600" \
	bash -c "grep -qx 'version=1.2' '$TMP/t12' && grep -q '^session_id=[0-9a-f]\{64\}$' '$TMP/t12' \
		&& grep -qx 'master_secret=$(jq -r .secrets.master_secret "$TMP/e1.json")' '$TMP/t12' && test \$(stat -c %a '$TMP/t12') = 600"
timeout 20 "$BIN" "${CONNECT[@]}" "127.0.0.1:$PORT" --tls 1.2 --json --sess-in "$TMP/t12" >"$TMP/e2.json" 2>"$TMP/e2.err"
check "1.2: connect --sess-in exits 0 and says it resumed by session ID" \
	bash -c "test $? = 0 && grep -q 'resumed the session of .*TLS 1.2, by session ID' '$TMP/e2.err'"
check "1.2: steps 3 and 4 skipped, the same master secret, no Certificate" \
	jq -e --arg ms "$(jq -r .secrets.master_secret "$TMP/e1.json")" '(.steps[2].note | startswith("skipped")) and .secrets.master_secret == $ms
		and ([.steps[].messages[].name] | index("Certificate") == null)' "$TMP/e2.json"
sleep 0.3
check "1.2: openssl s_server reused the session on the second connection" reused_on "$TMP/s12.log" 2
check "1.2: openssl logged that master secret for the second client random" \
	test "$(logged "$TMP/s12.keys" CLIENT_RANDOM "$(jq -r .secrets.client_random "$TMP/e2.json")")" = "$(jq -r .secrets.master_secret "$TMP/e2.json")"
check "1.2: transcript and Finished hashes of the resumed handshake reproduce" \
	python3 tests/e2e/finished_check.py "$TMP/e2.json" --min-finished 2
s_server_n tls1_2 "$TMP/s12.log" 1 || bad "s_server -tls1_2 started"
timeout 20 "$BIN" "${CONNECT[@]}" "127.0.0.1:$PORT" --tls 1.2 --json --sess-in "$TMP/t12" >"$TMP/e3.json" 2>"$TMP/e3.err"
check "1.2 declined (another server): exit 0, full handshake, said on stderr and in step 2's note" \
	bash -c "test $? = 0 && grep -q 'did not resume' '$TMP/e3.err' && jq -e '.steps[1].note | startswith(\"the server did not resume the offered session\")' '$TMP/e3.json' >/dev/null"

# ---- serve, resumed by openssl s_client -sess_out / -sess_in (TLS 1.2)
"$BIN" serve 0 --keep-serving --tls 1.2 --json --timeout 3 >"$TMP/ks.json" 2>"$TMP/ks.err" &
KS=$!
PIDS+=($KS)
wait_for "$TMP/ks.err" 'listening on' || bad "serve --keep-serving --tls 1.2 started"
SPORT=$(sed -n 's/.*port \([0-9]*\)$/\1/p' "$TMP/ks.err")
timeout 10 openssl s_client -connect "127.0.0.1:$SPORT" -tls1_2 -no_ticket -CAfile $A/ca.crt \
	-servername server.tlsstep.test -sess_out "$TMP/ossl.pem" </dev/null >"$TMP/o1.out" 2>&1
timeout 10 openssl s_client -connect "127.0.0.1:$SPORT" -tls1_2 -no_ticket -CAfile $A/ca.crt \
	-servername server.tlsstep.test -sess_in "$TMP/ossl.pem" </dev/null >"$TMP/o2.out" 2>&1
check "serve --tls 1.2: s_client -sess_in reused the session s_client -sess_out kept" grep -q "^Reused, TLSv1.2" "$TMP/o2.out"
for _ in $(seq 50); do [ "$(wc -l <"$TMP/ks.json")" -ge 2 ] && break; sleep 0.1; done
kill "$KS" 2>/dev/null
check "serve --tls 1.2: the second connection is resumed, steps 3-4 skipped" \
	jq -se '(.[1].steps[2].note | startswith("skipped")) and .[1].secrets.master_secret == .[0].secrets.master_secret' "$TMP/ks.json"

# serve --tls 1.3 resumed by s_client (net13.sh checks the PSK): the notes
# are TLS 1.3's (no Certificate), not the TLS 1.2 "steps skipped" ones.
"$BIN" serve 0 --keep-serving --tls 1.3 --json --timeout 3 >"$TMP/ks13.json" 2>"$TMP/ks13.err" &
KS=$!
PIDS+=($KS)
wait_for "$TMP/ks13.err" 'listening on' || bad "serve --keep-serving --tls 1.3 started"
SPORT=$(sed -n 's/.*port \([0-9]*\)$/\1/p' "$TMP/ks13.err")
sleep 1 | timeout 10 openssl s_client -connect "127.0.0.1:$SPORT" -tls1_3 -CAfile $A/ca.crt \
	-servername server.tlsstep.test -sess_out "$TMP/ossl13.pem" >"$TMP/o3.out" 2>&1
timeout 10 openssl s_client -connect "127.0.0.1:$SPORT" -tls1_3 -CAfile $A/ca.crt \
	-servername server.tlsstep.test -sess_in "$TMP/ossl13.pem" </dev/null >"$TMP/o4.out" 2>&1
for _ in $(seq 50); do [ "$(wc -l <"$TMP/ks13.json")" -ge 2 ] && break; sleep 0.1; done
kill "$KS" 2>/dev/null
check "serve --tls 1.3, resumed by s_client: TLS 1.3 notes (no Certificate), none about a session ID" \
	jq -se '.[1].tls13.psk_accepted and (.[1].steps[2].note | startswith("no Certificate"))
		and ([.[1].steps[].note // "" | test("session ID")] | any | not)' "$TMP/ks13.json"

# ---- bad session files: one line on stderr, exit 1, nothing sent
# (port 9 of 127.0.0.1: the file is refused before any connection)
printf 'tlsstep-session 2\nversion=1.3\n' >"$TMP/v2"
printf 'hello, world\n' >"$TMP/garbage"
head -n -1 "$TMP/t13" >"$TMP/trunc" # the last line, the psk, lost
awk -F= '$1 == "psk" {c = substr($2, length($2)); $0 = "psk=" substr($2, 1, length($2) - 1) (c == "0" ? "1" : "0")} {print}' \
	"$TMP/t13" >"$TMP/altered"
sed 's/^version=1.3$/version=1.2/' "$TMP/t13" >"$TMP/wrongver"
while IFS='|' read -r file args want; do
	[ -z "$file" ] && continue
	# shellcheck disable=SC2086
	timeout 10 "$BIN" connect 127.0.0.1:9 --ca $A/ca.crt --servername localhost --sess-in "$TMP/$file" $args \
		--plain >"$TMP/bad.out" 2>"$TMP/bad.err"
	rc=$?
	check "bad session file '$file' ${args:+($args) }: exit 1, one line: $want" \
		bash -c "test $rc = 1 && test \$(wc -l <'$TMP/bad.err') = 1 && grep -q -- \"$want\" '$TMP/bad.err' && test ! -s '$TMP/bad.out'"
done <<EOF
missing|--tls 1.3|cannot open
garbage|--tls 1.3|not a tlsstep session file
v2|--tls 1.3|session file format '2'; this tlsstep reads format 1
ossl.pem|--tls 1.3|an OpenSSL session (-sess_out), not a tlsstep session file
trunc|--tls 1.3|incomplete (truncated?)
altered|--tls 1.3|the file was altered
wrongver|--tls 1.3|has no place in a TLS 1.2 session
t13|--tls 1.2|holds a TLS 1.3 session, and this connect does not offer TLS 1.3 (drop --tls 1.2)
t12|--tls 1.3|holds a TLS 1.2 session, and this connect does not offer TLS 1.2 (drop --tls 1.3)
t13|--tls 1.3 --servername other.example|is a session with localhost, not other.example
t13|--tls 1.3 --time 2031-01-01T00:00:00Z|the ticket expired at
t12|--tls 1.2 --cipher TLS_RSA_WITH_AES_128_GCM_SHA256|TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 is not among those offered
EOF

check "serve refuses --sess-in (its sessions are its own), exit 2" \
	bash -c "'$BIN' serve 0 --sess-in '$TMP/t13' 2>&1 >/dev/null | grep -q 'for connect'; test \${PIPESTATUS[0]} = 2"
check "connect --help names --sess-in and --sess-out and says the file holds a secret" \
	bash -c "'$BIN' connect --help | grep -q -- '--sess-out FILE' && '$BIN' connect --help | grep -q -- '--sess-in FILE' && '$BIN' connect --help | grep -qi 'secret'"
finish
