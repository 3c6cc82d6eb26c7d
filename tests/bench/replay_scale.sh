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
peak() { /usr/bin/time -f "%e %M" "$@" 2>&1 >/dev/null | tail -1; }
read -r t_list m_list < <(peak build/tlsstep replay "$D/all.pcap" --keylog "$D/all.keys" --list)
read -r t_json m_json < <(peak build/tlsstep replay "$D/all.pcap" --keylog "$D/all.keys" --json)
read -r t_ts m_ts < <(peak tshark -n -r "$D/all.pcap" -o "tls.keylog_file:$D/all.keys" -Y tls.handshake.type==20)
conns=$(build/tlsstep replay "$D/all.pcap" --keylog "$D/all.keys" --list | grep -c 'keys: yes  complete')
echo "replay of $N handshakes ($((size / 1024)) KiB), $conns complete with keys:"
awk -v a="$t_list" -v b="$t_json" -v c="$t_ts" -v ma="$m_list" -v mb="$m_json" -v mc="$m_ts" 'BEGIN {
	printf "  tlsstep replay --list   %6.2f s  peak %6.1f MB\n", a, ma / 1024
	printf "  tlsstep replay --json   %6.2f s  peak %6.1f MB\n", b, mb / 1024
	printf "  tshark (decrypting)     %6.2f s  peak %6.1f MB\n", c, mc / 1024
	printf "  (--list + --json) / tshark = %.3f\n", (a + b) / c
}'
