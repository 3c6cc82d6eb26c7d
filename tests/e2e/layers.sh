#!/bin/bash
# make check-layers on copies of a source tree: a tree whose includes all
# point down passes; each kind of upward include, planted, fails and is
# printed with its file and line.
source "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1

layers() { make --no-print-directory -s -f mk/layers.mk check-layers LAYERS_SRC="$1"; }

# A small tree in which every layer includes only the ones below it.
tree() {
	rm -rf "$1"
	mkdir -p "$1"/{tls,model,sim,replay,net,ui,app}
	echo '#include "tls/b.h"' >"$1/tls/a.c"
	printf '#include "model/m.h"\n#include "tls/a.h"\n' >"$1/model/m.c"
	for l in sim replay net ui; do
		printf '#include "%s/x.h"\n#include "model/m.h"\n#include <stdio.h>\n' "$l" >"$1/$l/x.c"
	done
	echo '#include "sim/sim.h"' >"$1/ui/tui.h"
	printf '#include "ui/views.h"\n#include "net/net.h"\n#include "replay/replay.h"\n' >"$1/app/cmd.c"
}

tree "$TMP/ok"
check "a tree whose includes point down passes" layers "$TMP/ok"

# planted FILE LINE: check-layers fails and prints FILE:N:LINE.
planted() {
	local t="$TMP/bad" f=$1 line=$2
	tree "$t"
	echo "$line" >>"$t/$f"
	local n
	n=$(wc -l <"$t/$f")
	if layers "$t" >"$TMP/layers.out" 2>&1; then
		bad "check-layers fails on $f: $line" "it passed"
	elif grep -qF "$t/$f:$n:$line" "$TMP/layers.out"; then
		ok "check-layers fails on $f: $line"
	else
		bad "check-layers names $f:$n" "$(head -c 400 "$TMP/layers.out")"
	fi
}
planted tls/a.c '#include "model/model.h"'
planted tls/a.c '#include "app/files.h"'
planted tls/b.h '#include "../ui/views.h"'
planted model/m.c '#include "sim/sim.h"'
planted model/m.c '#include "replay/conn.h"'
planted model/m.c '#include "net/net.h"'
planted model/m.c '#include "ui/views.h"'
planted model/m.c '#include "app/pki.h"'
planted ui/x.c '#include "net/net.h"'
planted ui/x.c '#include "replay/replay.h"'
planted ui/x.c '  #  include "app/record.h"'
planted sim/x.c '#include "app/pki.h"'
planted sim/x.c '#include "ui/views.h"'
planted replay/x.c '#include "app/files.h"'
planted net/x.c '#include "ui/tui.h"'

# The real tree, copied, with one upward include planted in the engine.
cp -r src "$TMP/real"
echo '#include "app/cli.h"' >>"$TMP/real/tls/bytes.c"
if layers "$TMP/real" >"$TMP/layers.out" 2>&1; then
	bad "check-layers fails on the real tree with a planted include" "it passed"
else
	check "check-layers names the planted include in the real tree" \
		grep -qF "$TMP/real/tls/bytes.c:$(wc -l <"$TMP/real/tls/bytes.c"):#include \"app/cli.h\"" "$TMP/layers.out"
fi
finish
