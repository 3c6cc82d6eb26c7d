#!/bin/bash
# The derivation view shows each value at the step where a side computes it
# and prints the `openssl kdf` (TLS1-PRF) command that reproduces it:
# kdf_check.py runs every printed command and compares openssl's answer
# with the value on screen and in --json.
. "$(dirname "$0")/lib.sh"
cd "$ROOT"

for sc in rsa ecdhe-sha384 ems dhe resume; do
	"$BIN" --scenario "$sc" --seed 1 --plain --no-lessons >"$TMP/$sc.plain"
	"$BIN" --scenario "$sc" --seed 1 --json >"$TMP/$sc.json"
	resumed=
	[ "$sc" = resume ] && resumed=--resumed
	check "$sc: every printed openssl kdf command gives the value shown" \
		python3 tests/e2e/kdf_check.py "$TMP/$sc.plain" "$TMP/$sc.json" $resumed
done

# Where each derivation sits: its step and its side.
steps() { # FILE PATTERN: the steps whose derivation has PATTERN
	awk -v p="$2" '/^==== Step/ {s = $3 + 0} /^Derivation in this step/ {d = 1} /^==== Step/ {d = 0}
		d && index($0, p) {print s}' "$1" | sort -u | tr '\n' ' '
}
check "rsa: the client's master secret and keys at step 4, the server's at step 5" \
	test "$(steps "$TMP/rsa.plain" 'Master secret (client)')$(steps "$TMP/rsa.plain" 'Key block (client)')$(steps "$TMP/rsa.plain" 'Master secret (server), once the ClientKeyExchange')" = "4 4 5 "
check "rsa: verify_data at the Finished steps only" \
	test "$(steps "$TMP/rsa.plain" 'client verify_data')$(steps "$TMP/rsa.plain" 'server verify_data')" = "5 6 "
check "ems: the master secret from the session hash, with its openssl command" \
	grep -q "'seed:extended master secret' -kdfopt hexseed:$(jq -r .secrets.session_hash "$TMP/ems.json") TLS1-PRF" "$TMP/ems.plain"
check "ecdhe-sha384: TLS1-PRF with SHA384" grep -q 'openssl kdf -keylen 48 -kdfopt digest:SHA384' "$TMP/ecdhe-sha384.plain"
check "resume: the key block at step 2 from the cached master secret, no master secret derived" \
	test "$(steps "$TMP/resume.plain" 'Key block (client and server)')$(steps "$TMP/resume.plain" 'master_secret = PRF')" = "2 "

# The check fails when a shown value is wrong.
sed 's/^\(      \)f2079b82/\1f2079b83/' "$TMP/rsa.plain" >"$TMP/wrong.plain"
check "the check fails when the shown master secret differs from openssl's" \
	bash -c "! python3 tests/e2e/kdf_check.py $TMP/wrong.plain $TMP/rsa.json"
finish
