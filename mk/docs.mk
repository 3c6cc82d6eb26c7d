# make screenshots: the README's picture of the TUI, from a real run.
.PHONY: screenshots
screenshots: deps all
	bash tools/screenshots.sh
