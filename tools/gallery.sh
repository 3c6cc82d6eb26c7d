#!/bin/bash
# gallery.sh BINARY OUTDIR: the HTML gallery (make gallery writes doc/gallery):
# the default run and a few scenarios, each one self-contained page, and an
# index linking them. Generated, never edited by hand; tests/e2e/html_gallery.sh
# regenerates it and compares, so it cannot go stale.
set -u
bin=$1 out=$2
mkdir -p "$out"
# name|arguments|what it shows
pages=(
	"rsa||The default run (scenario rsa, seed 1): RSA key exchange, the six steps and the secure channel."
	"ecdhe|--scenario ecdhe|ECDHE: a ServerKeyExchange signed by the server, and forward secrecy."
	"ecdhe-ecdsa|--scenario ecdhe-ecdsa|ECDHE with an ECDSA certificate, the TLS 1.2 handshake most web servers offer."
	"tls13|--scenario tls13|TLS 1.3: one round trip, everything after the ServerHello encrypted, and the HKDF key schedule."
	"resume|--scenario resume|Session resumption: steps 3 and 4 skipped, the server finishes first."
	"tampered|--scenario tampered|An attacker flips a bit of the ClientHello; the Finished check catches it."
	"expired|--scenario expired|An expired certificate: the client refuses it at step 3 with an alert."
)
{
	printf '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
	printf '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
	printf '<meta name="color-scheme" content="light dark">\n<title>tlsstep: the gallery</title>\n'
	printf '<style>body{margin:0 auto;max-width:48rem;padding:0 1rem;font:16px/1.5 system-ui,sans-serif}</style>\n'
	printf '</head>\n<body>\n<main>\n<h1>tlsstep: TLS 1.2 handshakes, one page each</h1>\n'
	printf '<p>Every page below is one real handshake run by tlsstep, written by <code>tlsstep --html FILE</code>: '
	printf 'the ladder, each step with its lesson, every byte annotated, who knows what, and the derivations '
	printf 'with the commands that reproduce them. Each page is self-contained and works offline.</p>\n<ul>\n'
} >"$out/index.html"
for p in "${pages[@]}"; do
	IFS='|' read -r name args what <<<"$p"
	# shellcheck disable=SC2086 # the arguments are words
	"$bin" $args --seed 1 --html "$out/$name.html"
	[ $? = 2 ] && { echo "gallery.sh: $name failed" >&2; exit 1; }
	printf '<li><a href="%s.html">%s</a>: %s</li>\n' "$name" "$name" "$what" >>"$out/index.html"
done
printf '</ul>\n</main>\n</body>\n</html>\n' >>"$out/index.html"
