#!/bin/bash
# Replay at scale: a capture of N simulated handshakes (one seed each),
# listed and fully decrypted by tlsstep, against tshark decrypting the same
# file with the same key log. Prints times, the ratio and peak memory.
cd "$(dirname "$0")/../.." || exit 1
N=${REPLAY_N:-1000}
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT
for i in $(seq 1 "$N"); do
	build/tlsstep --seed "$i" --record "$D/$i.pcap" --keylog "$D/$i.keys" --json >/dev/null
done
cat "$D"/*.keys >"$D/all.keys"
# mergecap -a concatenates in order; the connections follow one another
ls "$D"/*.pcap | sort -V | xargs mergecap -a -w "$D/all.pcap"
rm -f "$D"/[0-9]*.pcap
size=$(stat -c %s "$D/all.pcap")
# Peak memory from /usr/bin/time; time as the median of 5 runs with a
# nanosecond clock (time's own figure has 10 ms steps, too coarse here).
peak() { /usr/bin/time -f "%M" "$@" 2>&1 >/dev/null | tail -1; }
median_s() {
	local ts=()
	for _ in 1 2 3 4 5; do
		local t0 t1
		t0=$(date +%s.%N)
		"$@" >/dev/null 2>&1
		t1=$(date +%s.%N)
		ts+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')")
	done
	printf '%s\n' "${ts[@]}" | sort -n | sed -n 3p
}
LIST=(build/tlsstep replay "$D/all.pcap" --keylog "$D/all.keys" --list)
JSON=(build/tlsstep replay "$D/all.pcap" --keylog "$D/all.keys" --json)
TSHARK=(tshark -n -r "$D/all.pcap" -o "tls.keylog_file:$D/all.keys" -Y tls.handshake.type==20)
t_list=$(median_s "${LIST[@]}") m_list=$(peak "${LIST[@]}")
t_json=$(median_s "${JSON[@]}") m_json=$(peak "${JSON[@]}")
t_ts=$(median_s "${TSHARK[@]}") m_ts=$(peak "${TSHARK[@]}")
# Context, not the target: tshark printing every field of the decrypted
# capture, as --json does (one run: it takes seconds).
TSJSON=(tshark -n -r "$D/all.pcap" -o "tls.keylog_file:$D/all.keys" -T json)
t0=$(date +%s.%N)
"${TSJSON[@]}" >/dev/null 2>&1
t_tsj=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.4f", b - a }')
conns=$(build/tlsstep replay "$D/all.pcap" --keylog "$D/all.keys" --list | grep -c 'keys: yes  complete')
echo "replay of $N handshakes ($((size / 1024)) KiB, medians of 5 runs), $conns complete with keys:"
awk -v a="$t_list" -v b="$t_json" -v c="$t_ts" -v d="$t_tsj" -v ma="$m_list" -v mb="$m_json" -v mc="$m_ts" 'BEGIN {
	printf "  tlsstep replay --list   %7.3f s  peak %6.1f MB\n", a, ma / 1024
	printf "  tlsstep replay --json   %7.3f s  peak %6.1f MB\n", b, mb / 1024
	printf "  tshark (decrypting)     %7.3f s  peak %6.1f MB\n", c, mc / 1024
	printf "  tshark / --list = %.1fx, tshark / --json = %.1fx faster (target: at least 3x each)\n", c / a, c / b
	printf "  peak memory / tshark: --list %.3f, --json %.3f (target: at most 0.05)\n", ma / mc, mb / mc
	printf "  context: tshark -T json (every field, as --json prints them; one run) %.3f s, --json / that = %.3f\n", d, b / d
}'
# --html: the page of one connection of the same capture (the whole file
# is still read to find it)
HTML=(build/tlsstep replay "$D/all.pcap" --keylog "$D/all.keys" --conn "$N" --html "$D/page.html")
t_html=$(median_s "${HTML[@]}")
echo "  tlsstep replay --conn $N --html  $t_html s, a page of $(($(stat -c %s "$D/page.html") / 1024)) KiB (target: well under 1 s, under 400 KB)"
