# make check-layers: includes point down only,
#   app -> ui, sim, replay, net -> model -> tls,
# so the engine can be read (and reused) without the layers above it, and
# views never reach a socket or a capture. Prints every include that points
# the wrong way as file:line:text and fails if there is one.
# LAYERS_SRC is the tree to check (tests/e2e/layers.sh points it at copies
# with a planted upward include).
LAYERS_SRC ?= src
# A layer, then the folders it must not include.
LAYERS_RULES := tls:model,sim,replay,net,ui,app \
                model:sim,replay,net,ui,app \
                ui:net,replay,app \
                sim:app,ui replay:app,ui net:app,ui

.PHONY: check-layers
check-layers:
	@bad=0; for rule in $(LAYERS_RULES); do \
	  layer=$${rule%%:*}; deny=$$(echo "$${rule#*:}" | tr , '|'); \
	  [ -d "$(LAYERS_SRC)/$$layer" ] || continue; \
	  hits=$$(find "$(LAYERS_SRC)/$$layer" -name '*.[ch]' | LC_ALL=C sort | xargs grep -nHE \
	    "^[[:space:]]*#[[:space:]]*include[[:space:]]*[\"<]([.][.]/)*($$deny)/"); \
	  if [ -n "$$hits" ]; then echo "$$hits"; bad=1; fi; \
	done; \
	if [ $$bad = 1 ]; then \
	  echo "check-layers: the includes above point up (app -> ui, sim, replay, net -> model -> tls)"; \
	  exit 1; \
	fi; \
	echo "check-layers: every include points down"
