#!/bin/bash
# make bench: tlsstep's handshakes against OpenSSL's in the same run, same
# suite and key; prints medians and the ratio tlsstep / OpenSSL.
cd "$(dirname "$0")/../.." || exit 1
N=${BENCH_N:-300}
ROUNDS=${BENCH_ROUNDS:-5}
OSSL=build/bench/ossl_hs
TMPD=$(mktemp -d)
trap 'rm -rf "$TMPD"' EXIT
printf '%-16s %-28s %12s %12s %8s\n' scenario "openssl cipher" "tlsstep ms" "openssl ms" ratio
# Every primitive is libtomcrypt's (GMP math), so there is one row per
# key exchange.
for row in rsa:AES128-SHA ecdhe:ECDHE-RSA-AES128-GCM-SHA256 dhe:DHE-RSA-AES128-SHA; do
	IFS=: read -r sc cipher <<<"$row"
	if ! build/tlsstep scenarios | grep -q "^$sc "; then
		printf '%-16s %-28s %12s\n' "$sc" "$cipher" "(no such scenario yet)"
		continue
	fi
	out="$TMPD/$sc.json"
	build/tlsstep bench --scenario "$sc" -n "$N" --rounds "$ROUNDS" --json >"$out"
	t=$(jq -r .seconds_per_handshake "$out")
	o=$("$OSSL" "$cipher" "$N" assets "$ROUNDS" | jq -r .seconds_per_handshake)
	awk -v s="$sc" -v c="$cipher" -v t="$t" -v o="$o" \
		'BEGIN { printf "%-16s %-28s %12.3f %12.3f %7.2fx\n", s, c, t * 1000, o * 1000, t / o }'
done

echo
echo "Where tlsstep's time goes (ms per handshake; 'encoding_and_engine' is everything outside the timed primitives):"
for f in "$TMPD"/*.json; do
	[ -e "$f" ] || continue
	jq -r '"  \(.scenario): " + ([.phases | to_entries[] | "\(.key) \((.value * 1000 * 1000 | round) / 1000)"] | join(", ")) + "; total/primitives \(.engine_overhead_ratio)"' "$f"
done

echo
REPLAY_N=${REPLAY_N:-1000} bash tests/bench/replay_scale.sh
echo; bash tests/bench/serve_load.sh
echo
t=$(TLSSTEP_TUI_BENCH=1 script -qec "build/tlsstep" /dev/null 2>&1 </dev/null | tr -d '\r' | grep -ao 'first_frame_ms=[0-9.]* redraw_ms=[0-9.]*')
echo "TUI (80x24 pseudo-terminal): $t"
