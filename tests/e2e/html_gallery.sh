#!/bin/bash
# doc/gallery is generated (make gallery): regenerated here from the current
# build and compared, so a change of the pages, lessons or engine that is
# not followed by `make gallery` fails here instead of going stale.
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1
check "tools/gallery.sh runs" bash tools/gallery.sh "$BIN" "$TMP/gallery"
check "doc/gallery is what this build generates (run make gallery)" diff -r doc/gallery "$TMP/gallery"
check "the README links the gallery" grep -q 'doc/gallery/index.html' README.md
for f in doc/gallery/*.html; do
	case "$f" in */index.html) continue ;; esac
	check "the index links $(basename "$f")" grep -q "href=\"$(basename "$f")\"" doc/gallery/index.html
done
finish
