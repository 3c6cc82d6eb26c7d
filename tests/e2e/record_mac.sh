#!/bin/bash
# The decrypted records show the bytes the padding-oracle lesson talks
# about, and they are the real ones: record_mac_check.py recomputes each
# CBC record's MAC from --json with Python's hmac (MAC key, sequence
# number, header, message) and checks the padding against its length byte.
. "$(dirname "$0")/lib.sh"
cd "$ROOT"

for sc in rsa etm rsa-sha256 dhe; do
	"$BIN" --scenario "$sc" --seed 1 --json >"$TMP/$sc.json"
	check "$sc: the MAC and padding of every decrypted record reproduce (steps 5, 6, 7)" \
		python3 tests/e2e/record_mac_check.py "$TMP/$sc.json" 5 6 7
done
check "rsa, step 5: a 20-byte HMAC-SHA1 MAC, 11 bytes of padding 0b, padding_length 0b" \
	jq -e '.steps[4] as $s | $s.decrypted_record_fields[2] as $f | $s.decrypted_records[2] as $h
		| ($f | map(select(.path == "record.mac"))[0].length) == 20
		and ($f | map(select(.path == "record.padding"))[0] | .length == 11
			and ($h[2 * .offset: 2 * (.offset + .length)] == ("0b" * 11)))
		and ($f | map(select(.path == "record.padding_length"))[0] | $h[2 * .offset: 2 * .offset + 2] == "0b")' \
	"$TMP/rsa.json"
check "etm: the MAC sits after the ciphertext, outside what was decrypted" \
	jq -e '.steps[4].decrypted_record_fields[2] | map(.path) | .[-1] == "record.mac" and .[-2] == "record.padding_length"' \
	"$TMP/etm.json"
check "cleartext records have no decrypted form" \
	jq -e '[.steps[0:4][].decrypted_records[]] | all(. == null)' "$TMP/rsa.json"

# A wrong MAC key, or padding that does not match its length, fails the check.
jq -c '.secrets.client_write_mac_key |= (.[0:38] + (if .[38:40] == "00" then "01" else "00" end))' \
	"$TMP/rsa.json" >"$TMP/wrongkey.json"
check "the check fails with another MAC key" \
	bash -c "! python3 tests/e2e/record_mac_check.py $TMP/wrongkey.json 5"
jq -c '(.steps[4].decrypted_records[2]) |= (.[0:-4] + "0a0b")' "$TMP/rsa.json" >"$TMP/badpad.json"
check "the check fails when a padding byte differs from padding_length" \
	bash -c "! python3 tests/e2e/record_mac_check.py $TMP/badpad.json 5"

# AEAD: the explicit nonce, the message and the tag; no MAC, no padding.
for sc in rsa-gcm ecdhe; do
	"$BIN" --scenario "$sc" --seed 1 --json >"$TMP/$sc.json"
	check "$sc: decrypted Finished shows nonce_explicit, content and tag" \
		jq -e '.steps[4] | .decrypted_record_fields[2] | map(.path)
			== ["record.content_type","record.version","record.length","record.nonce_explicit","record.content","record.tag"]' \
		"$TMP/$sc.json"
done

# The same spans in --plain, under the record they come from.
"$BIN" --scenario rsa --seed 1 --plain --no-lessons >"$TMP/rsa.plain"
check "--plain shows the decrypted Finished record's MAC and padding at step 5" \
	bash -c "sed -n '/^==== Step 5/,/^==== Step 6/p' $TMP/rsa.plain | grep -q 'record.mac: MAC: HMAC-SHA1 (20 bytes)' &&
		sed -n '/^==== Step 5/,/^==== Step 6/p' $TMP/rsa.plain | grep -q 'record.padding_length: padding_length: 11'"
finish
