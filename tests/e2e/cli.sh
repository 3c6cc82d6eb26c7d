#!/bin/bash
# The command line: plain and JSON output, determinism, usage errors.
. "$(dirname "$0")/lib.sh"
cd "$ROOT"

check "--help exits 0 and lists --seed" bash -c "'$BIN' --help | grep -q -- --seed"
check "--version" bash -c "'$BIN' --version | grep -q '^tlsstep '"

usage() { # NAME ARGS... : exit 2 and exactly one line on stderr
	local name=$1
	shift
	"$BIN" "$@" >"$TMP/o" 2>"$TMP/e"
	local rc=$?
	if [ $rc = 2 ] && [ "$(wc -l <"$TMP/e")" = 1 ] && grep -q '^tlsstep: ' "$TMP/e"; then ok "$name"
	else bad "$name" "rc=$rc stderr=$(cat "$TMP/e")"; fi
}
usage "unknown option" --frobnicate
usage "seed not a number" --seed abc
usage "negative seed" --seed -4
usage "unknown scenario" --scenario nope
usage "bad --time" --time yesterday
usage "bad --tamper" --tamper 9:1
usage "bad --step" --step 0
usage "unknown command" fly
usage "missing asset" --plain --data-dir /nonexistent
usage "connect without target" connect
usage "serve with a bad port" serve 99999

"$BIN" --plain --seed 1 >"$TMP/p1"
check "plain exits 0" test $? = 0
for t in "Client hello" "Server hello" "Server certificate" "Server hello done" "Client response" "Server finished"; do
	check "plain shows step '$t'" grep -q "Step [1-6]: $t" "$TMP/p1"
done
check "plain shows the master secret formula" grep -q 'master_secret = PRF(pre_master_secret, "master secret"' "$TMP/p1"
check "plain shows the key block split" grep -q 'client_write_key .*key_block\[' "$TMP/p1"
check "plain names fields" grep -q 'client_hello.cipher_suites\[0\]' "$TMP/p1"
check "plain shows both verify_data" bash -c "grep -c 'verify_data matches' '$TMP/p1' | grep -qx 2"

"$BIN" --json --seed 1 >"$TMP/j1"
"$BIN" --json --seed 1 >"$TMP/j1b"
"$BIN" --json --seed 2 >"$TMP/j2"
check "json parses" jq -e . "$TMP/j1"
check "json has the contract keys" jq -e '.source == "simulation" and .scenario == "rsa" and .seed == 1 and .version == "TLS 1.2" and .cipher_suite == "TLS_RSA_WITH_AES_128_CBC_SHA" and .cipher_suite_id == 47 and .outcome == "established" and (.steps | length) >= 6 and (.steps[0].title == "Client hello") and (.steps[0].records | length) == 1 and (.steps[0].messages[0].fields | length) > 10 and (.secrets | keys | length) >= 12' "$TMP/j1"
check "json: every secret known" jq -e '[.secrets.client_random, .secrets.server_random, .secrets.premaster_secret, .secrets.master_secret, .secrets.client_write_mac_key, .secrets.server_write_mac_key, .secrets.client_write_key, .secrets.server_write_key, .secrets.client_write_iv, .secrets.server_write_iv, .secrets.client_verify_data, .secrets.server_verify_data] | all(type == "string")' "$TMP/j1"
check "same seed, same bytes" cmp "$TMP/j1" "$TMP/j1b"
check "seed 2 differs" bash -c "! cmp -s '$TMP/j1' '$TMP/j2'"
check "plain when piped" bash -c "'$BIN' | grep -q 'Step 1: Client hello'"

"$BIN" --json --scenario untrusted-ca >"$TMP/u"
check "failed handshake exits 1" test $? = 1
check "failure JSON names the alert" jq -e '.outcome == "alert" and .alert.sent_by == "client" and .alert.description == "unknown_ca" and .alert.step == 3' "$TMP/u"
check "rsa-gcm has no MAC keys" jq -e '.secrets.client_write_mac_key == null and .cipher_suite_id == 156' <("$BIN" --json --scenario rsa-gcm)
check "scenarios lists rsa" bash -c "'$BIN' scenarios | grep -q '^rsa '"
check "--step 3 stops at step 3" jq -e '(.steps | length) == 3' <("$BIN" --json --step 3)
check "--tamper 6 ends in bad_record_mac" jq -e '.alert.description == "bad_record_mac" and .alert.sent_by == "client"' <("$BIN" --json --tamper 6:30:0x80)
finish
