#!/bin/bash
# check_paths.sh [DIR]: fails when a file of the tree DIR (default: this
# repository) refers to something that exists only on the machine it was
# written on, so that a fresh clone runs and passes its tests by itself:
#   - a folder beside the repository (a "shared" one next to it);
#   - an absolute path of a build machine (/work, /root, /home, ..., or the
#     tree's own location);
#   - a relative path whose ".." climbs out of the tree, read from the
#     folder of the file that holds it.
# Files: the tracked ones in a git checkout, every file otherwise (build
# output aside). Binary files are skipped. Prints one line per finding,
# FILE:LINE: what, and exits 1 when there is any.
#
# The patterns below are written so that this file does not match itself.
set -u
dir=$(cd "${1:-$(dirname "$0")/..}" && pwd -P) || exit 2
cd "$dir" || exit 2

files() {
	if [ "$(git rev-parse --show-toplevel 2>/dev/null)" = "$dir" ]; then
		git ls-files -z
	else
		find . \( -name .git -o -name 'build*' \) -prune -o -type f -print0 | sed -z 's|^\./||'
	fi
}

found=0
report() { # FILE:LINE:TEXT WHY
	local where=${1%%:*} rest=${1#*:}
	echo "check-paths: $where:${rest%%:*}: $2"
	found=1
}

# 1 and 2: fixed patterns. The [.] and the parentheses keep this file clean.
beside='[.][.]/shared([/"'"'"' ]|$)'
machine='(^|[^A-Za-z0-9_.~$-])/(work|root|home|Users|mnt|media|srv)/[A-Za-z0-9_.]'
while IFS= read -r hit; do
	report "$hit" "refers to a folder beside the repository"
done < <(files | xargs -0 grep -nIHE -- "$beside" 2>/dev/null)
while IFS= read -r hit; do
	report "$hit" "refers to an absolute path of a build machine"
done < <(files | xargs -0 grep -nIHE -- "$machine" 2>/dev/null)
while IFS= read -r hit; do
	report "$hit" "refers to the tree's own location ($dir)"
done < <(files | xargs -0 grep -nIHF -- "$dir/" 2>/dev/null)

# 3: relative paths with a ".." component, resolved from the file's folder
# (a leading "/" is what is left of "$(dirname "$0")/.." and the like).
while IFS= read -r hit; do
	file=${hit%%:*}
	rest=${hit#*:}
	tok=${rest#*:}
	case "/$tok/" in */../*) ;; *) continue ;; esac
	base=$(dirname "$file")
	case "$tok" in /*) ;; *) tok="/$tok" ;; esac
	to=$(realpath -ms "$dir/$base$tok")
	case "$to" in
	"$dir" | "$dir"/*) ;;
	*) report "$hit" "refers to $to, outside the repository" ;;
	esac
done < <(files | xargs -0 grep -nIHoE -- '[A-Za-z0-9_./-]*[.][.][A-Za-z0-9_./-]*' 2>/dev/null)

[ $found = 0 ] && echo "check-paths: no file refers outside the repository"
exit $found
