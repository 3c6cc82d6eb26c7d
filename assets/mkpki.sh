#!/usr/bin/env bash
# Builds the classroom PKI for tlsstep: a root CA, a server and a client
# certificate, and the broken certificates the failure scenarios use
# (expired, signed by an untrusted CA, wrong name, wrong purpose).
#
#   bash assets/mkpki.sh DIR
#
# Uses `openssl ca` rather than `openssl x509 -req` because only `ca` lets us
# pin exact start and end dates (x509 -req in OpenSSL 3.0 has only -days), and
# fixed dates keep the lessons and tests true for twenty years.
# Keys are written as PKCS#1 ("BEGIN RSA PRIVATE KEY") because that is what
# libtomcrypt's rsa_import reads directly. These keys are public teaching keys.
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
# The classroom root starts before the expired leaf it signed (2020-2021),
# so that chain was good once: with the clock set back to 2020 the client
# accepts it, and only the leaf's own notAfter fails it today.
ROOT_START=20190101000000Z
SERVER_SAN="DNS:localhost,DNS:server.tlsstep.test,IP:127.0.0.1"
# The config refers to $SAN; it must exist whenever openssl reads the config.
export SAN=DNS:unused

# One CA database per issuing CA; `openssl ca` needs index, serial and a config.
ca_db() {
	local name=$1 first_serial=$2
	mkdir -p "$work/$name/new"
	: >"$work/$name/index.txt"
	echo "unique_subject = no" >"$work/$name/index.txt.attr"
	echo "$first_serial" >"$work/$name/serial"
	cat >"$work/$name/ca.cnf" <<EOF
[ ca ]
default_ca = this_ca

[ this_ca ]
dir              = $work/$name
database         = \$dir/index.txt
serial           = \$dir/serial
new_certs_dir    = \$dir/new
default_md       = sha256
policy           = policy_any
# Keep the subject exactly as requested (field order, O after CN).
preserve         = yes
unique_subject   = no
# Extensions come only from the sections below, never from the request.
copy_extensions  = none
email_in_dn      = no

[ policy_any ]
commonName       = supplied
organizationName = optional

[ req ]
distinguished_name = req_dn
prompt             = no

[ req_dn ]
CN = unused

[ v3_ca ]
basicConstraints       = critical, CA:TRUE
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash

[ v3_server ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = serverAuth
subjectAltName         = \${ENV::SAN}
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid

# Looks like a server's certificate, but is for TLS clients only.
[ v3_wrong_purpose ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = clientAuth
subjectAltName         = \${ENV::SAN}
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid

[ v3_client ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature
extendedKeyUsage       = clientAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid

# An EC key only signs (no RSA key transport): digitalSignature alone
# (RFC 8422 5.10 and RFC 8446 4.4.2.2).
[ v3_server_ec ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature
extendedKeyUsage       = serverAuth
subjectAltName         = \${ENV::SAN}
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid
EOF
}

# A key that exists is kept: rerunning the script re-signs with the same
# keys, so recorded runs and fixtures made with them stay valid.
newkey() {
	[ -s "$out/$1.key" ] && return 0
	openssl genrsa -traditional -out "$out/$1.key" 2048 2>/dev/null
}

# EC keys (named curve) in SEC1 PEM ("BEGIN EC PRIVATE KEY"), kept like the RSA ones.
newkey_ec() {
	[ -s "$out/$1.key" ] && return 0
	openssl ecparam -name "$2" -genkey -noout -param_enc named_curve -out "$out/$1.key" 2>/dev/null
}

csr() {
	local name=$1 subj=$2 ca=$3
	openssl req -new -config "$work/$ca/ca.cnf" -key "$out/$name.key" \
		-subj "$subj" -out "$work/$name.csr"
}

# sign NAME CA EXTENSIONS START END [selfsign]
sign() {
	local name=$1 ca=$2 ext=$3 start=$4 end=$5 self=${6:-}
	local keyfile=$out/$ca.key certopt=(-cert "$out/$ca.crt")
	if [ -n "$self" ]; then
		keyfile=$out/$name.key
		certopt=(-selfsign)
	fi
	SAN=${SAN:-DNS:unused} openssl ca -batch -notext -config "$work/$ca/ca.cnf" \
		-extensions "$ext" -md sha256 -startdate "$start" -enddate "$end" \
		-keyfile "$keyfile" "${certopt[@]}" \
		-in "$work/$name.csr" -out "$out/$name.crt" 2>"$work/$name.log" ||
		{ cat "$work/$name.log" >&2; exit 1; }
}

make_ca() {
	local name=$1 cn=$2 serial=$3 start=$4
	ca_db "$name" "$serial"
	newkey "$name"
	csr "$name" "/CN=$cn/O=tlsstep" "$name"
	sign "$name" "$name" v3_ca "$start" "$END" self
}

make_leaf() {
	local name=$1 ca=$2 ext=$3 cn=$4 san=$5 start=$6 end=$7 curve=${8:-}
	if [ -n "$curve" ]; then newkey_ec "$name" "$curve"; else newkey "$name"; fi
	csr "$name" "/CN=$cn/O=tlsstep" "$ca"
	SAN=$san sign "$name" "$ca" "$ext" "$start" "$end"
}

make_ca ca "tlsstep Classroom Root CA" 1000 "$ROOT_START"
make_leaf server ca v3_server server.tlsstep.test "$SERVER_SAN" "$START" "$END"
make_leaf client ca v3_client student.tlsstep.test "DNS:unused" "$START" "$END"
make_leaf expired ca v3_server server.tlsstep.test "$SERVER_SAN" \
	20200101000000Z 20210101000000Z
make_leaf wrong-name ca v3_server server.tlsstep.test "DNS:other.example" "$START" "$END"
make_leaf wrong-purpose ca v3_wrong_purpose server.tlsstep.test "$SERVER_SAN" "$START" "$END"
# EC leaves (RSA-signed by the same root), appended so every certificate
# above keeps its serial number: serials 0x1006 to 0x1008.
make_leaf ecdsa ca v3_server_ec server.tlsstep.test "$SERVER_SAN" "$START" "$END" prime256v1
make_leaf ecdsa-p384 ca v3_server_ec server.tlsstep.test "$SERVER_SAN" "$START" "$END" secp384r1
make_leaf ecdsa-client ca v3_client student.tlsstep.test "DNS:unused" "$START" "$END" prime256v1

make_ca rogue-ca "tlsstep Rogue CA (not trusted)" 2000 "$START"
make_leaf untrusted rogue-ca v3_server server.tlsstep.test "$SERVER_SAN" "$START" "$END"

# The same server key as PKCS#8, to exercise the second private key format.
openssl pkcs8 -topk8 -nocrypt -in "$out/server.key" -out "$out/server.pk8.pem"
openssl pkcs8 -topk8 -nocrypt -in "$out/ecdsa.key" -out "$out/ecdsa.pk8.pem"

# genrsa writes keys owner-only; these are public teaching keys, so let the
# whole classroom (and CI users) read them.
chmod 644 "$out"/*.key "$out/server.pk8.pem" "$out/ecdsa.pk8.pem"

# Show what was made and prove each chain verifies where it should.
for c in server client wrong-name wrong-purpose ecdsa ecdsa-p384 ecdsa-client; do
	openssl verify -attime 1767225600 -CAfile "$out/ca.crt" "$out/$c.crt" >/dev/null
done
openssl verify -attime 1767225600 -CAfile "$out/rogue-ca.crt" "$out/untrusted.crt" >/dev/null
# 2020-06-01: the expired leaf was within its dates, and so was its root.
openssl verify -attime 1590969600 -CAfile "$out/ca.crt" "$out/expired.crt" >/dev/null
echo "mkpki: wrote CA, server, client, expired, rogue-ca, untrusted, wrong-name, wrong-purpose, ecdsa, ecdsa-p384, ecdsa-client to $out"
