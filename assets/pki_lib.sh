# Shared by mkchains.sh and mkrules.sh (sourced, not run): one `openssl ca`
# database per issuer, made on first use in $work, whose config is
# $work/ext.cnf followed by the ca section. Serial numbers start at
# SERIAL_BASE plus the number of databases so far, so every issuer's
# certificates have serials of their own.
ca_db() {
	local name=$1
	[ -d "$work/db-$name" ] && return 0
	mkdir -p "$work/db-$name/new"
	: >"$work/db-$name/index.txt"
	echo "unique_subject = no" >"$work/db-$name/index.txt.attr"
	printf '%02X\n' $((SERIAL_BASE + $(ls -d "$work"/db-* | wc -l))) >"$work/db-$name/serial"
	cat "$work/ext.cnf" - >"$work/db-$name/ca.cnf" <<EOF
[ ca ]
default_ca = this_ca
[ this_ca ]
dir              = $work/db-$name
database         = \$dir/index.txt
serial           = \$dir/serial
new_certs_dir    = \$dir/new
policy           = policy_any
preserve         = yes
unique_subject   = no
copy_extensions  = none
email_in_dn      = no
[ policy_any ]
commonName       = supplied
organizationName = optional
EOF
}
