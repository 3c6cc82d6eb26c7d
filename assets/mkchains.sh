#!/usr/bin/env bash
# Builds the certificate chains the chain tests use (tests/e2e/chains.sh,
# tests/unit/test_x509_chain.c): root -> intermediate -> leaf, as real sites
# are served, in four families, and the broken chains a client must refuse.
#
#   bash assets/mkchains.sh DIR        (the committed set is assets/chains)
#
# Families (FAM-root, FAM-int, FAM-leaf .crt/.key):
#   rsa    RSA-2048 everywhere, sha256WithRSAEncryption
#   p256   ECDSA P-256 everywhere, ecdsa-with-SHA256
#   p384   ECDSA P-384 everywhere, ecdsa-with-SHA384
#   mixed  RSA root -> P-256 intermediate (RSA signature) -> P-384 leaf
#          (ECDSA P-256 signature over SHA-384: the hash is cut to 256 bits)
# Every leaf names DNS:chain.tlsstep.test, DNS:localhost and IP:127.0.0.1.
# Broken ones (all under the p256 root):
#   wild-leaf        *.tlsstep.test only, signed by p256-int
#   expired-int      an intermediate valid 2020-2021; expired-leaf is signed by it
#   nonca-leaf       signed with p256-leaf's key: an issuer that is not a CA
# Dates are fixed (2025-2045) with `openssl ca -startdate/-enddate`, as
# assets/mkpki.sh does, so the tests stay true for twenty years. These keys
# are public teaching keys.
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
OLD_START=20200101000000Z
OLD_END=20210101000000Z
LEAF_SAN="DNS:chain.tlsstep.test,DNS:localhost,IP:127.0.0.1"
export SAN=DNS:unused

cat >"$work/ext.cnf" <<'EOF'
[ req ]
distinguished_name = req_dn
prompt             = no
[ req_dn ]
CN = unused

[ v3_ca ]
basicConstraints       = critical, CA:TRUE
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash

[ v3_int ]
basicConstraints       = critical, CA:TRUE, pathlen:0
keyUsage               = critical, digitalSignature, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid

[ v3_leaf ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature
extendedKeyUsage       = serverAuth
subjectAltName         = ${ENV::SAN}
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid
EOF

SERIAL_BASE=16
. "$(dirname "$0")/pki_lib.sh"

# newkey NAME rsa|p256|p384
newkey() {
	case $2 in
	rsa) openssl genrsa -traditional -out "$out/$1.key" 2048 2>/dev/null ;;
	p256) openssl ecparam -name prime256v1 -genkey -noout -out "$out/$1.key" ;;
	p384) openssl ecparam -name secp384r1 -genkey -noout -out "$out/$1.key" ;;
	esac
}

# issue NAME KEYTYPE CN ISSUER EXT MD START END   (ISSUER "-" = self-signed)
issue() {
	local name=$1 kt=$2 cn=$3 issuer=$4 ext=$5 md=$6 start=$7 end=$8
	local db=$issuer certopt keyfile
	[ "$issuer" = - ] && db=$name
	ca_db "$db"
	newkey "$name" "$kt"
	openssl req -new -config "$work/db-$db/ca.cnf" -key "$out/$name.key" \
		-subj "/CN=$cn/O=tlsstep chains" -out "$work/$name.csr"
	if [ "$issuer" = - ]; then
		certopt=(-selfsign)
		keyfile=$out/$name.key
	else
		certopt=(-cert "$out/$issuer.crt")
		keyfile=$out/$issuer.key
	fi
	openssl ca -batch -notext -config "$work/db-$db/ca.cnf" -extensions "$ext" -md "$md" \
		-startdate "$start" -enddate "$end" -keyfile "$keyfile" "${certopt[@]}" \
		-in "$work/$name.csr" -out "$out/$name.crt" 2>"$work/$name.log" ||
		{ cat "$work/$name.log" >&2; exit 1; }
}

# family FAM ROOTKEY INTKEY LEAFKEY MD_ROOT_SIGNS MD_INT_SIGNS
family() {
	local f=$1
	issue "$f-root" "$2" "tlsstep $f Root CA" - v3_ca "$5" "$START" "$END"
	issue "$f-int" "$3" "tlsstep $f Intermediate CA" "$f-root" v3_int "$5" "$START" "$END"
	SAN=$LEAF_SAN issue "$f-leaf" "$4" chain.tlsstep.test "$f-int" v3_leaf "$6" "$START" "$END"
}

family rsa rsa rsa rsa sha256 sha256
family p256 p256 p256 p256 sha256 sha256
family p384 p384 p384 p384 sha384 sha384
family mixed rsa p256 p384 sha256 sha384

SAN="DNS:*.tlsstep.test" issue wild-leaf p256 "*.tlsstep.test" p256-int v3_leaf sha256 "$START" "$END"
issue expired-int p256 "tlsstep Expired Intermediate CA" p256-root v3_int sha256 "$OLD_START" "$OLD_END"
SAN=$LEAF_SAN issue expired-leaf p256 chain.tlsstep.test expired-int v3_leaf sha256 "$START" "$END"
SAN="DNS:evil.tlsstep.test" issue nonca-leaf p256 evil.tlsstep.test p256-leaf v3_leaf sha256 "$START" "$END"

# What a server sends after its leaf (s_server -cert_chain).
for f in rsa p256 p384 mixed; do cp "$out/$f-int.crt" "$out/$f-chain.pem"; done
cp "$out/expired-int.crt" "$out/expired-chain.pem"
cat "$out/p256-leaf.crt" "$out/p256-int.crt" >"$out/nonca-chain.pem"
# Wrong order and an extra certificate: an unrelated intermediate, the root,
# then the intermediate that is needed.
cat "$out/rsa-int.crt" "$out/p256-root.crt" "$out/p256-int.crt" >"$out/p256-messy-chain.pem"
echo "wrote $(ls "$out" | wc -l) files to $out"
