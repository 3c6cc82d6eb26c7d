#!/usr/bin/env bash
# Builds the chains that teach (and test) each rule a browser applies to a
# server's certificate chain, one accepted and one refused for each, and
# asks OpenSSL for its verdict on every one:
#
#   bash assets/mkrules.sh DIR        (the committed set is assets/rules)
#
# DIR/verdicts.txt holds one line per case,
#   CASE PURPOSE HOST LEAF ROOT CHAIN VERDICT
# where CHAIN is the intermediates file (- for none), HOST is - for no name
# check, and VERDICT is OpenSSL's: "ok" or the X509_V_ERR number of
#   openssl verify -x509_strict -auth_level 2 -purpose ssl{server,client}
#          -attime 2026-01-01 [-verify_hostname HOST] -CAfile ROOT -untrusted CHAIN LEAF
# (auth_level 2 is 112-bit security: RSA of 2048 bits and more, no SHA-1
# signatures, as the CA/Browser Forum requires). tests/unit/test_x509_rules.c
# checks that tlsstep agrees with every line, and which field it blames;
# tests/e2e/rules.sh serves the chains with openssl s_server.
# Dates are fixed (2025-2045). These keys are public teaching keys.
set -euo pipefail

if [ $# -ne 1 ]; then
	echo "usage: bash $0 DIR" >&2
	exit 2
fi
out=$1
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
START=20250101000000Z
END=20450101000000Z
AT=1767225600 # 2026-01-01
export SAN=DNS:unused NC=DNS:unused EKU=serverAuth KU=digitalSignature PATHLEN=0

cat >"$work/ext.cnf" <<'EOF'
[ req ]
distinguished_name = req_dn
prompt             = no
[ req_dn ]
CN = unused

[ v3_root ]
basicConstraints       = critical, CA:TRUE
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash

# An intermediate; PATHLEN, and EKU / NC in the variants below.
[ v3_int ]
basicConstraints       = critical, CA:TRUE, pathlen:${ENV::PATHLEN}
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid
[ v3_int_nolen ]
basicConstraints       = critical, CA:TRUE
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid
[ v3_int_eku ]
basicConstraints       = critical, CA:TRUE, pathlen:0
keyUsage               = critical, keyCertSign, cRLSign
extendedKeyUsage       = ${ENV::EKU}
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid
[ v3_int_nc ]
basicConstraints       = critical, CA:TRUE, pathlen:0
keyUsage               = critical, keyCertSign, cRLSign
nameConstraints        = critical, ${ENV::NC}
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid

[ v3_leaf ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, ${ENV::KU}
extendedKeyUsage       = ${ENV::EKU}
subjectAltName         = ${ENV::SAN}
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid
[ v3_leaf_noeku ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, ${ENV::KU}
subjectAltName         = ${ENV::SAN}
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid
EOF

SERIAL_BASE=32
. "$(dirname "$0")/pki_lib.sh"

# newkey NAME rsa|rsa1024|p256
newkey() {
	case $2 in
	rsa) openssl genrsa -traditional -out "$out/$1.key" 2048 2>/dev/null ;;
	rsa1024) openssl genrsa -traditional -out "$out/$1.key" 1024 2>/dev/null ;;
	p256) openssl ecparam -name prime256v1 -genkey -noout -out "$out/$1.key" ;;
	esac
}

# issue NAME KEYTYPE CN ISSUER EXT MD [SIGOPT...]   (ISSUER "-" = self-signed)
issue() {
	local name=$1 kt=$2 cn=$3 issuer=$4 ext=$5 md=$6
	shift 6
	local db=$issuer certopt keyfile
	[ "$issuer" = - ] && db=$name
	ca_db "$db"
	newkey "$name" "$kt"
	openssl req -new -config "$work/db-$db/ca.cnf" -key "$out/$name.key" \
		-subj "/CN=$cn/O=tlsstep rules" -out "$work/$name.csr"
	if [ "$issuer" = - ]; then
		certopt=(-selfsign)
		keyfile=$out/$name.key
	else
		certopt=(-cert "$out/$issuer.crt")
		keyfile=$out/$issuer.key
	fi
	openssl ca -batch -notext -config "$work/db-$db/ca.cnf" -extensions "$ext" -md "$md" "$@" \
		-startdate "$START" -enddate "$END" -keyfile "$keyfile" "${certopt[@]}" \
		-in "$work/$name.csr" -out "$out/$name.crt" 2>"$work/$name.log" ||
		{ cat "$work/$name.log" >&2; exit 1; }
}

# leaf NAME ISSUER [EXT [KEYTYPE [MD [SIGOPT...]]]]: a server certificate for
# rules.tlsstep.test (and 127.0.0.1) unless SAN says otherwise.
leaf() {
	local name=$1 issuer=$2 ext=${3:-v3_leaf} kt=${4:-rsa} md=${5:-sha256}
	shift $(($# < 5 ? $# : 5))
	SAN=${LSAN:-DNS:rules.tlsstep.test,IP:127.0.0.1} issue "$name" "$kt" "${LCN:-rules.tlsstep.test}" \
		"$issuer" "$ext" "$md" "$@"
}

: >"$out/verdicts.txt"
# verdict CASE PURPOSE HOST LEAF ROOT CHAIN: OpenSSL's answer, recorded.
verdict() {
	local c=$1 purpose=$2 host=$3 lf=$4 root=$5 chain=$6 args=()
	[ "$chain" != - ] && args+=(-untrusted "$out/$chain")
	[ "$host" != - ] && args+=(-verify_hostname "$host")
	local res
	if res=$(openssl verify -x509_strict -auth_level 2 -purpose "ssl$purpose" -attime $AT \
		-CAfile "$out/$root" "${args[@]}" "$out/$lf" 2>&1); then
		res=ok
	else
		res=$(printf '%s\n' "$res" | sed -n 's/.*error \([0-9]*\) at.*/\1/p' | head -1)
		res=${res:-failed}
	fi
	echo "$c $purpose $host $lf $root $chain $res" >>"$out/verdicts.txt"
}

# ---- the root and the usual intermediate ------------------------------------
issue root rsa "tlsstep Rules Root CA" - v3_root sha256
PATHLEN=0 issue int rsa "tlsstep Rules Intermediate CA" root v3_int sha256
cp "$out/int.crt" "$out/int-chain.pem"

leaf good int
verdict good server rules.tlsstep.test good.crt root.crt int-chain.pem

# ---- extendedKeyUsage --------------------------------------------------------
EKU=clientAuth leaf eku-client int
verdict eku-client server rules.tlsstep.test eku-client.crt root.crt int-chain.pem
verdict eku-client-as-client client - eku-client.crt root.crt int-chain.pem
verdict good-as-client client - good.crt root.crt int-chain.pem
EKU=codeSigning leaf eku-codesign int
verdict eku-codesign server rules.tlsstep.test eku-codesign.crt root.crt int-chain.pem
leaf eku-none int v3_leaf_noeku
verdict eku-none server rules.tlsstep.test eku-none.crt root.crt int-chain.pem
EKU=clientAuth issue int-client rsa "tlsstep Rules Client-only CA" root v3_int_eku sha256
cp "$out/int-client.crt" "$out/int-client-chain.pem"
leaf eku-int-client int-client
verdict eku-int-client server rules.tlsstep.test eku-int-client.crt root.crt int-client-chain.pem
EKU=serverAuth issue int-server rsa "tlsstep Rules Server-only CA" root v3_int_eku sha256
cp "$out/int-server.crt" "$out/int-server-chain.pem"
leaf eku-int-server int-server
verdict eku-int-server server rules.tlsstep.test eku-int-server.crt root.crt int-server-chain.pem

# ---- pathLenConstraint: root -> int (pathlen N) -> sub-CA -> leaf -------------
PATHLEN=0 issue int-len0 rsa "tlsstep Rules Intermediate pathlen 0" root v3_int sha256
issue sub-len0 rsa "tlsstep Rules Sub-CA under pathlen 0" int-len0 v3_int_nolen sha256
leaf pathlen0 sub-len0
cat "$out/sub-len0.crt" "$out/int-len0.crt" >"$out/pathlen0-chain.pem"
verdict pathlen0 server rules.tlsstep.test pathlen0.crt root.crt pathlen0-chain.pem
PATHLEN=1 issue int-len1 rsa "tlsstep Rules Intermediate pathlen 1" root v3_int sha256
issue sub-len1 rsa "tlsstep Rules Sub-CA under pathlen 1" int-len1 v3_int_nolen sha256
leaf pathlen1 sub-len1
cat "$out/sub-len1.crt" "$out/int-len1.crt" >"$out/pathlen1-chain.pem"
verdict pathlen1 server rules.tlsstep.test pathlen1.crt root.crt pathlen1-chain.pem

# ---- nameConstraints ----------------------------------------------------------
NC="permitted;DNS:rules.tlsstep.test,permitted;IP:127.0.0.0/255.0.0.0" \
	issue int-nc rsa "tlsstep Rules CA for rules.tlsstep.test" root v3_int_nc sha256
cp "$out/int-nc.crt" "$out/int-nc-chain.pem"
LSAN="DNS:www.rules.tlsstep.test,IP:127.0.0.1" LCN=www.rules.tlsstep.test leaf nc-inside int-nc
verdict nc-inside server www.rules.tlsstep.test nc-inside.crt root.crt int-nc-chain.pem
LSAN="DNS:bank.example,DNS:www.rules.tlsstep.test,IP:127.0.0.1" LCN=www.rules.tlsstep.test leaf nc-outside int-nc
verdict nc-outside server www.rules.tlsstep.test nc-outside.crt root.crt int-nc-chain.pem
LSAN="DNS:www.rules.tlsstep.test,IP:10.1.2.3" LCN=www.rules.tlsstep.test leaf nc-ip-outside int-nc
verdict nc-ip-outside server www.rules.tlsstep.test nc-ip-outside.crt root.crt int-nc-chain.pem
NC="excluded;DNS:secret.tlsstep.test,excluded;IP:10.0.0.0/255.0.0.0" \
	issue int-ncx rsa "tlsstep Rules CA not for secret.tlsstep.test" root v3_int_nc sha256
cp "$out/int-ncx.crt" "$out/int-ncx-chain.pem"
LSAN="DNS:rules.tlsstep.test,IP:127.0.0.1" leaf ncx-inside int-ncx
verdict ncx-inside server rules.tlsstep.test ncx-inside.crt root.crt int-ncx-chain.pem
LSAN="DNS:rules.tlsstep.test,DNS:db.secret.tlsstep.test" leaf ncx-excluded int-ncx
verdict ncx-excluded server rules.tlsstep.test ncx-excluded.crt root.crt int-ncx-chain.pem

# ---- CA/Browser Forum minimums -------------------------------------------------
leaf sha1-leaf int v3_leaf rsa sha1
verdict sha1-leaf server rules.tlsstep.test sha1-leaf.crt root.crt int-chain.pem
leaf rsa1024-leaf int v3_leaf rsa1024
verdict rsa1024-leaf server rules.tlsstep.test rsa1024-leaf.crt root.crt int-chain.pem
PATHLEN=0 issue int-1024 rsa1024 "tlsstep Rules 1024-bit Intermediate" root v3_int sha256
cp "$out/int-1024.crt" "$out/int-1024-chain.pem"
leaf rsa1024-int int-1024
verdict rsa1024-int server rules.tlsstep.test rsa1024-int.crt root.crt int-1024-chain.pem
# A root that signed itself with SHA-1 is fine: nobody checks that signature.
issue root-sha1 rsa "tlsstep Rules SHA-1 Root CA" - v3_root sha1
PATHLEN=0 issue int-under-sha1 rsa "tlsstep Rules Intermediate under a SHA-1 root" root-sha1 v3_int sha256
cp "$out/int-under-sha1.crt" "$out/int-under-sha1-chain.pem"
leaf sha1-root-leaf int-under-sha1
verdict sha1-root server rules.tlsstep.test sha1-root-leaf.crt root-sha1.crt int-under-sha1-chain.pem

# ---- RSA-PSS signatures on certificates -----------------------------------------
leaf pss-leaf int v3_leaf rsa sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32
verdict pss server rules.tlsstep.test pss-leaf.crt root.crt int-chain.pem
leaf pss384-leaf int v3_leaf p256 sha384 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:48
verdict pss384 server rules.tlsstep.test pss384-leaf.crt root.crt int-chain.pem

# ---- keyUsage against the key exchange (the chain itself is fine) ---------------
KU=keyEncipherment leaf ku-encipher int
verdict ku-encipher server rules.tlsstep.test ku-encipher.crt root.crt int-chain.pem
KU=digitalSignature leaf ku-sign int
verdict ku-sign server rules.tlsstep.test ku-sign.crt root.crt int-chain.pem
KU=keyCertSign leaf ku-certsign int
verdict ku-certsign server rules.tlsstep.test ku-certsign.crt root.crt int-chain.pem

# ---- many names: the host is the 18th of 20 -----------------------------------------
many=""
for i in $(seq 1 20); do many="$many${many:+,}DNS:name$i.rules.tlsstep.test"; done
LSAN="$many" LCN=name1.rules.tlsstep.test leaf many-names int
verdict many-names server name18.rules.tlsstep.test many-names.crt root.crt int-chain.pem
verdict many-names-miss server name21.rules.tlsstep.test many-names.crt root.crt int-chain.pem

rm -f "$out"/*.csr
echo "wrote $(ls "$out" | wc -l) files to $out"
