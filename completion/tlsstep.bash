# bash completion for tlsstep: subcommands, options and scenario names.
_tlsstep()
{
	local cur prev cmd i
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD - 1]}
	cmd=
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		scenarios | connect | serve | replay | bench) cmd=${COMP_WORDS[i]}; break ;;
		esac
	done
	case $prev in
	--scenario)
		COMPREPLY=($(compgen -W "$(tlsstep scenarios 2>/dev/null | awk '{print $1}')" -- "$cur"))
		return ;;
	--record | --keylog | --ca | --cert | --key | --client-ca | --data-dir | --html | --sess-in | --sess-out)
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	--tls)
		COMPREPLY=($(compgen -W "1.2 1.3" -- "$cur"))
		return ;;
	--cipher)
		COMPREPLY=($(compgen -W "AES128-SHA AES256-SHA AES128-SHA256 AES256-SHA256 AES128-GCM-SHA256 AES256-GCM-SHA384 ECDHE-RSA-AES128-GCM-SHA256 ECDHE-RSA-AES256-GCM-SHA384 DHE-RSA-AES128-SHA TLS_AES_128_GCM_SHA256 TLS_AES_256_GCM_SHA384 TLS_CHACHA20_POLY1305_SHA256" -- "$cur"))
		return ;;
	esac
	local opts
	case $cmd in
	"") opts="scenarios connect serve replay bench --scenario --seed --time --step --plain --json --record --keylog --tamper --accept-untrusted --autoplay --no-lessons --ascii --data-dir --html --help --version" ;;
	connect) opts="--ca --insecure --servername --cipher --cert --key --timeout --tls --seed --time --plain --json --html --sess-in --sess-out --help" ;;
	serve) opts="--cert --key --client-ca --cipher --bind --keep-serving --timeout --tls --seed --time --plain --json --help" ;;
	replay) opts="--keylog --key --list --conn --plain --json --html --help" ;;
	bench) opts="--scenario -n --rounds --portable-rsa --json --help" ;;
	scenarios) opts="" ;;
	esac
	if [[ $cur == -* || -z $cmd ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
	else
		COMPREPLY=($(compgen -f -- "$cur"))
	fi
}
complete -F _tlsstep tlsstep
