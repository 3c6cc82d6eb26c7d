# Sourced by replay13.sh (not run on its own: run.sh runs *.sh only).
# make_captures13 DIR: TLS 1.3 captures made on this machine, in DIR:
#   all.pcapng  every connection below, captured by one tshark on lo
#   all.keys    the key log openssl s_client and curl wrote (NSS labels)
#   conns.txt   one line per connection, in capture order: "N NAME"
# Connections: one per 1.3 suite; HelloRetryRequest (server groups P-256,
# client share X25519); resumption with (EC)DHE (psk_dhe_ke) and without
# (psk_ke: the server has no share it accepts and allow_no_dhe_kex lets it
# skip the retry); 0-RTT early data; mutual authentication; a KeyUpdate
# (s_client's K command) and curl with ALPN. Servers listen on ephemeral
# ports of 127.0.0.1, every wait is bounded, everything stays in DIR.
# Needs ROOT, TMP, wait_for and PIDS from lib.sh.

R13_SERVERS=()
R13_PORTS=()
# r13_server NAME ARGS...: an openssl s_server -tls1_3 for up to 8
# connections, stdin held open (it stops when stdin ends); sets R13_PORT.
r13_server() {
	local name=$1 log="$R13_DIR/srv-$1.log"
	shift
	(sleep 60 | timeout 70 openssl s_server -tls1_3 -accept 127.0.0.1:0 -naccept 8 \
		-cert "$ROOT/assets/server.crt" -key "$ROOT/assets/server.key" "$@" >"$log" 2>&1) &
	PIDS+=($!)
	R13_SERVERS+=($!)
	wait_for "$log" '^ACCEPT' 100 || return 1
	R13_PORT=$(sed -n 's/^ACCEPT .*:\([0-9]*\)$/\1/p' "$log")
	R13_PORTS+=("$R13_PORT")
}

R13_N=0
# r13_client NAME PORT INPUT ARGS...: one s_client connection; INPUT is
# what it types, lines separated by | and typed 0.3 s apart (s_client reads
# a command letter only at the start of a read; K: a key update both ways).
r13_client() {
	local name=$1 port=$2 input=$3
	shift 3
	(IFS='|'; for l in $input; do echo "$l"; sleep 0.3; done; sleep 1) | timeout 8 openssl s_client -tls1_3 \
		-connect "127.0.0.1:$port" -servername server.tlsstep.test -keylogfile "$R13_DIR/all.keys" \
		-CAfile "$ROOT/assets/ca.crt" "$@" >"$R13_DIR/cli-$name.log" 2>&1
	R13_N=$((R13_N + 1))
	echo "$R13_N $name" >>"$R13_DIR/conns.txt"
}

make_captures13() {
	R13_DIR=$1
	mkdir -p "$R13_DIR"
	rm -f "$R13_DIR"/*
	local plain hrr psk_ke early mutual www
	r13_server plain -num_tickets 1 || return 1
	plain=$R13_PORT
	r13_server hrr -groups P-256 || return 1
	hrr=$R13_PORT
	r13_server psk_ke -groups P-256 -allow_no_dhe_kex || return 1
	psk_ke=$R13_PORT
	r13_server early -early_data -num_tickets 1 || return 1
	early=$R13_PORT
	r13_server mutual -Verify 1 -CAfile "$ROOT/assets/ca.crt" || return 1
	mutual=$R13_PORT
	r13_server www -www -alpn http/1.1 || return 1
	www=$R13_PORT
	local filter="tcp port ${R13_PORTS[0]}" p
	for p in "${R13_PORTS[@]:1}"; do filter="$filter or tcp port $p"; done
	tshark -i lo -f "$filter" -w "$R13_DIR/all.pcapng" >"$R13_DIR/ts.out" 2>"$R13_DIR/ts.err" &
	local ts=$!
	PIDS+=($ts)
	local ok=
	for _ in $(seq 150); do
		grep -q "Capturing on" "$R13_DIR/ts.err" 2>/dev/null && [ -s "$R13_DIR/all.pcapng" ] && ok=1 && break
		sleep 0.1
	done
	[ -n "$ok" ] || return 1

	local s
	for s in TLS_AES_128_GCM_SHA256 TLS_AES_256_GCM_SHA384 TLS_CHACHA20_POLY1305_SHA256; do
		r13_client "$s" "$plain" hello -ciphersuites "$s"
	done
	r13_client hrr "$hrr" hello -groups X25519:P-256
	r13_client ticket "$plain" hello -sess_out "$R13_DIR/plain.sess"
	r13_client resume-psk-dhe "$plain" hello -sess_in "$R13_DIR/plain.sess"
	r13_client ticket2 "$psk_ke" hello -groups P-256 -sess_out "$R13_DIR/ke.sess"
	r13_client resume-psk-ke "$psk_ke" hello -groups X25519 -allow_no_dhe_kex \
		-sess_in "$R13_DIR/ke.sess"
	r13_client ticket3 "$early" hello -sess_out "$R13_DIR/early.sess"
	printf 'GET /early HTTP/1.0\r\n\r\n' >"$R13_DIR/early.txt"
	r13_client early-data "$early" hello -sess_in "$R13_DIR/early.sess" -early_data "$R13_DIR/early.txt"
	r13_client mutual "$mutual" hello -cert "$ROOT/assets/client.crt" -key "$ROOT/assets/client.key"
	r13_client key-update "$plain" 'hello|K|after the update'
	SSLKEYLOGFILE="$R13_DIR/all.keys" timeout 8 curl -s --tlsv1.3 --cacert "$ROOT/assets/ca.crt" \
		--resolve "server.tlsstep.test:$www:127.0.0.1" "https://server.tlsstep.test:$www/" -o "$R13_DIR/curl.out" \
		2>"$R13_DIR/curl.err"
	R13_N=$((R13_N + 1))
	echo "$R13_N curl" >>"$R13_DIR/conns.txt"
	sleep 0.5
	for p in "${R13_SERVERS[@]}"; do kill "$p" 2>/dev/null; done
	kill -INT "$ts" 2>/dev/null
	wait "$ts" 2>/dev/null
	test -s "$R13_DIR/all.pcapng"
}
