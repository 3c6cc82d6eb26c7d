#!/bin/bash
# TLS 1.3 in the simulator: every tls13 scenario runs to its outcome, every
# secret it shows reproduces with Python's hashlib and hmac
# (tls13_check.py), the handshake traffic secret in the --plain key
# schedule reproduces from the values printed beside it, tshark decrypts a
# --record with its --keylog and sees the same handshake messages, --tls
# picks and refuses scenarios, --tamper works on encrypted steps, and
# tlsstep compare says what differs.
. "$(dirname "$0")/lib.sh"
cd "$ROOT"

for sc in tls13 tls13-hrr tls13-resume tls13-mutual tls13-ecdsa tls13-chacha tls13-tampered; do
	check "tlsstep scenarios lists $sc" bash -c "'$BIN' scenarios | grep -q '^$sc '"
	for seed in 1 7; do
		"$BIN" --scenario "$sc" --seed "$seed" --json >"$TMP/$sc.$seed.json"
		check "$sc seed $seed: every secret reproduces from the shown values" \
			python3 tests/e2e/tls13_check.py "$TMP/$sc.$seed.json"
	done
	check "$sc: TLS 1.3, the 1.3 step titles" \
		jq -e '.version == "TLS 1.3" and .steps[1].title == "Server hello; from here everything is encrypted"' \
		"$TMP/$sc.1.json"
done
for seed in 1 7; do
	"$BIN" --scenario tls13-downgrade --seed "$seed" --json >"$TMP/dg.json"
	check "tls13-downgrade seed $seed: the server fell back to 1.2 and ended its random in DOWNGRD 01" \
		jq -e '.version == "TLS 1.2" and (.secrets.server_random | endswith("444f574e47524401"))' "$TMP/dg.json"
	check "tls13-downgrade seed $seed: the client aborts at step 2 with illegal_parameter" \
		jq -e '.alert.sent_by == "client" and .alert.description == "illegal_parameter" and .alert.step == 2' "$TMP/dg.json"
done
j="$TMP/tls13.1.json"
check "tls13: established, one NewSessionTicket in step 6, data in step 7" \
	jq -e '.outcome == "established" and ([.steps[5].messages[].name] == ["NewSessionTicket"])
		and ([.steps[6].messages[] | select(.name == "ApplicationData")] | length == 2)' "$j"
check "tls13: EncryptedExtensions and Certificate decrypted in step 3, marked encrypted" \
	jq -e '[.steps[2].messages[] | [.name, .encrypted, .decrypted]] ==
		[["EncryptedExtensions",true,true],["Certificate",true,true]]' "$j"
check "tls13: the compatibility ChangeCipherSpec is there and explained" \
	jq -e '.tls13.middlebox_compat and ([.steps[1].messages[] | select(.name == "ChangeCipherSpec") | .note
		| test("RFC 8446 D.4")] == [true])' "$j"
check "tls13: nobody knows the handshake secret at step 1, both at step 2" \
	jq -e '.steps[0].client_knows.handshake_secret == null and .steps[0].server_knows.handshake_secret == null
		and .steps[1].client_knows.handshake_secret != null and .steps[1].server_knows.handshake_secret != null' "$j"
check "tls13: master secret from step 4, resumption master secret from step 5" \
	jq -e '.steps[2].client_knows.master_secret == null and .steps[3].client_knows.master_secret != null
		and .steps[3].server_knows.resumption_master_secret == null
		and .steps[4].server_knows.resumption_master_secret != null' "$j"
check "tls13-hrr: a HelloRetryRequest and a second ClientHello in step 1" \
	jq -e '.tls13.hello_retry_request and ([.steps[0].messages[].name] == ["ClientHello","HelloRetryRequest","ClientHello"])
		and (.tls13.key_share_group | startswith("secp256r1"))' "$TMP/tls13-hrr.1.json"
check "tls13-resume: the PSK was accepted: no Certificate, no CertificateVerify" \
	jq -e '.tls13.psk_accepted and .secrets.binder_key != null
		and ([.steps[2,3].messages[].name] == ["EncryptedExtensions","Finished"])' "$TMP/tls13-resume.1.json"
check "tls13-mutual: the client's Certificate and CertificateVerify are encrypted" \
	jq -e '[.steps[4].messages[] | select(.encrypted) | .name] == ["Certificate","CertificateVerify","Finished"]' \
	"$TMP/tls13-mutual.1.json"
check "tls13-chacha: TLS_CHACHA20_POLY1305_SHA256, 32-byte keys" \
	jq -e '.cipher_suite_id == 4867 and (.secrets.client_application_write_key | length) == 64' \
	"$TMP/tls13-chacha.1.json"
check "tls13-ecdsa: established, the server's CertificateVerify is ecdsa_secp256r1_sha256 with r and s named" \
	jq -e '.outcome == "established" and .tls13.cert_verify_scheme == "ecdsa_secp256r1_sha256"
		and ([.steps[3].messages[] | select(.name == "CertificateVerify") | .fields[].path
		      | select(test("signature\\.[rs]$"))] == ["certificate_verify.signature.r","certificate_verify.signature.s"])' \
	"$TMP/tls13-ecdsa.1.json"
"$BIN" --scenario tls13-ecdsa --seed 5 --plain >"$TMP/ec.a"
"$BIN" --scenario tls13-ecdsa --seed 5 --plain >"$TMP/ec.b"
check "tls13-ecdsa: the same seed gives the same bytes (ECDSA's k comes from the seeded generator)" \
	cmp -s "$TMP/ec.a" "$TMP/ec.b"
"$BIN" --scenario tls13-ecdsa --seed 5 --json >"$TMP/ec.c"
"$BIN" --scenario tls13-ecdsa --seed 5 --json >"$TMP/ec.d"
check "tls13-ecdsa: --json too" cmp -s "$TMP/ec.c" "$TMP/ec.d"
check "tls13-ecdsa: the lesson says the key is EC and the signature ECDSA" \
	bash -c "tr '\n' ' ' <'$TMP/ec.a' | grep -q 'key is EC, on the curve P-256 (secp256r1), so the scheme is ECDSA'"
check "tls13-tampered: the client sends decrypt_error at step 4" \
	jq -e '.outcome == "alert" and .alert.sent_by == "client" and .alert.description == "decrypt_error"
		and .alert.step == 4' "$TMP/tls13-tampered.1.json"

# The value a student copies from the key schedule pane: HKDF-Expand-Label
# of the shown handshake secret, label and transcript hash.
"$BIN" --scenario tls13 --plain --no-lessons --step 2 >"$TMP/t.plain"
check "--plain key schedule: client_handshake_traffic_secret reproduces from the lines above it" python3 - "$TMP/t.plain" <<'PY'
import hashlib, hmac, re, sys
text = open(sys.argv[1]).read().split("Key schedule:")[-1]
hs = re.search(r"handshake_secret = HKDF-Extract.*\n(?:.*shared secret = .*\n)?\s+= ([0-9a-f]+)", text).group(1)
m = re.search(r'client_handshake_traffic_secret = Derive-Secret\(handshake_secret, "c hs traffic", '
              r'ClientHello..ServerHello\)\n\s+transcript hash = ([0-9a-f]+)\n\s+= ([0-9a-f]+)', text)
th, shown = m.group(1), m.group(2)
label = b"tls13 c hs traffic"
info = (32).to_bytes(2, "big") + bytes([len(label)]) + label + bytes([32]) + bytes.fromhex(th)
got = hmac.new(bytes.fromhex(hs), info + b"\x01", hashlib.sha256).hexdigest()
sys.exit(0 if got == shown else 1)
PY

# tshark, with the NSS key log lines of TLS 1.3, decrypts every record and
# sees the handshake messages tlsstep shows, in the same order.
for sc in tls13 tls13-hrr tls13-mutual tls13-ecdsa tls13-chacha; do
	rm -f "$TMP/k" "$TMP/p.pcap"
	"$BIN" --scenario "$sc" --json --record "$TMP/p.pcap" --keylog "$TMP/k" >"$TMP/r.json"
	check "$sc: the key log has the five TLS 1.3 labels" test "$(grep -cE '^(CLIENT_HANDSHAKE_TRAFFIC_SECRET|SERVER_HANDSHAKE_TRAFFIC_SECRET|CLIENT_TRAFFIC_SECRET_0|SERVER_TRAFFIC_SECRET_0|EXPORTER_SECRET) [0-9a-f]{64} [0-9a-f]{64,96}$' "$TMP/k")" = 5
	tshark -n -o "tls.keylog_file:$TMP/k" -r "$TMP/p.pcap" -T fields -e tls.handshake.type 2>/dev/null |
		tr ',\t' '\n\n' | grep -v '^$' | tr '\n' ' ' >"$TMP/ts.types"
	python3 -c "
import json,sys
j=json.load(open('$TMP/r.json'))
t=[str(int(m['bytes'][:2],16)) for s in j['steps'] for m in s['messages']
   if m['name'] not in ('ChangeCipherSpec','Alert','ApplicationData') and not m['name'].startswith('Encrypted ')]
print(' '.join(t)+' ', end='')" >"$TMP/tl.types"
	check "$sc: tshark decrypts the same handshake messages ($(cat "$TMP/tl.types"))" \
		cmp -s "$TMP/ts.types" "$TMP/tl.types"
	check "$sc: tshark reads the HTTP request inside" \
		bash -c "tshark -n -o 'tls.keylog_file:$TMP/k' -r '$TMP/p.pcap' -Y http.request 2>/dev/null | grep -q 'GET /'"
done

# --tls
"$BIN" --tls 1.3 --json >"$TMP/d.json"
check "--tls 1.3 alone runs scenario tls13" jq -e '.scenario == "tls13" and .version == "TLS 1.3"' "$TMP/d.json"
"$BIN" --tls 1.3 --scenario rsa >/dev/null 2>"$TMP/e"
check "--tls 1.3 with a TLS 1.2 scenario: exit 2, the problem named" \
	bash -c "[ $? = 2 ] && grep -q \"scenario 'rsa' is a TLS 1.2 scenario\" '$TMP/e'"
"$BIN" --tls 1.2 --scenario tls13-hrr >/dev/null 2>"$TMP/e"
check "--tls 1.2 with a TLS 1.3 scenario: exit 2" bash -c "[ $? = 2 ] && test \$(wc -l <'$TMP/e') = 1"
"$BIN" --tls 2 >/dev/null 2>"$TMP/e"
check "--tls 2: exit 2" bash -c "[ $? = 2 ] && grep -q 'needs 1.2 or 1.3' '$TMP/e'"
"$BIN" --tls 1.2 --json | jq -e '.scenario == "rsa"' >/dev/null
check "--tls 1.2 keeps the default scenario" test $? = 0

# --tamper on an encrypted 1.3 step: the AEAD tag fails
"$BIN" --scenario tls13 --tamper 3:40 --json >"$TMP/tm.json"
check "--tamper 3:40 on tls13: the client answers bad_record_mac at step 3" \
	jq -e '.alert.sent_by == "client" and .alert.description == "bad_record_mac" and .alert.step == 3' "$TMP/tm.json"

# compare
"$BIN" compare --seed 3 --json >"$TMP/c.json"
check "compare --json: two round trips against one, ecdhe against tls13" \
	jq -e '.source == "compare" and .seed == 3 and .tls12.scenario == "ecdhe" and .tls13.scenario == "tls13"
		and .tls12.round_trips == 2 and .tls13.round_trips == 1
		and .tls12.first_encrypted_step == 5 and .tls13.first_encrypted_step == 3' "$TMP/c.json"
check "compare --json: the messages only one of them has" \
	jq -e '(.only_in_tls12 | index("ServerHelloDone") and index("ClientKeyExchange") and index("ServerKeyExchange"))
		and (.only_in_tls13 | index("EncryptedExtensions") and index("NewSessionTicket") and index("CertificateVerify (server)"))' "$TMP/c.json"
"$BIN" compare --seed 3 >"$TMP/c.txt"
check "compare --plain: the round trips and where the keys come from" \
	bash -c "grep -q 'Round trips before the client may send data: TLS 1.2 2, TLS 1.3 1' '$TMP/c.txt' &&
		grep -q 'HKDF key schedule' '$TMP/c.txt' && grep -q 'key expansion' '$TMP/c.txt'"
"$BIN" --scenario ecdhe --seed 3 --json | jq -c '.steps[0].records' >"$TMP/c12"
check "compare runs the same handshake as --scenario ecdhe with that seed" \
	bash -c "'$BIN' --scenario ecdhe --seed 3 --plain | grep -q \"\$(jq -r '.tls12.cipher_suite' '$TMP/c.json')\""
check "compare --help says why ECDHE" bash -c "'$BIN' compare --help | grep -q 'forward secrecy'"
"$BIN" compare --bogus >/dev/null 2>&1
check "compare --bogus: exit 2" test $? = 2
finish
