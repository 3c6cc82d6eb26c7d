# The HTML view's extras: `make gallery` writes doc/gallery (committed; a
# test regenerates it and compares), and `make deps` installs the pinned
# HTML checker from tests/html into build/html-validate for the tests.
.PHONY: gallery html-validate
HTML_VALIDATE := $(B)/html-validate/node_modules/.bin/html-validate

gallery: all
	@rm -rf doc/gallery
	@bash tools/gallery.sh $(B)/tlsstep doc/gallery
	@echo "gallery: doc/gallery/*.html written"

$(HTML_VALIDATE): tests/html/package.json tests/html/package-lock.json
	@# npm may come from elsewhere (nodesource): install Debian's only when none is there
	@command -v npm >/dev/null || bash tools/deps.sh deps-test "" npm
	@mkdir -p $(B)/html-validate
	@cp tests/html/package.json tests/html/package-lock.json $(B)/html-validate/
	@cd $(B)/html-validate && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

html-validate: $(HTML_VALIDATE)
deps: html-validate
