# tlsstep build. `make` builds build/tlsstep; `make run ARGS="..."` installs
# what running needs and starts it (the TUI on a terminal); `make test`
# installs what testing needs, builds and runs every test.
CC      ?= cc
PKGS    := libtomcrypt libtommath gmp ncursesw libpcap nettle hogweed
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -Wall -Wextra -Werror -Wno-format-truncation -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L \
           -DGMP_DESC -DLTM_DESC -Isrc $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS  := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
TESTLIBS := $(shell pkg-config --libs cmocka 2>/dev/null)
# Tests find their data from the source tree, not the working directory.
TEST_CFLAGS := -DTLSSTEP_SRCDIR='"$(CURDIR)"'
B       := build

LIB_SRC := $(wildcard src/tls/*.c src/model/*.c src/sim/*.c src/net/*.c src/replay/*.c src/ui/*.c src/app/*.c)
LIB_OBJ := $(LIB_SRC:%.c=$(B)/%.o)
TEST_SRC := $(wildcard tests/unit/test_*.c)
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(B)/tests/%)

# Debian packages: what building and running need, and what the tests add
# (peers, oracles, sanitizers, the TUI and screenshot tools).
DEPS_RUN  := build-essential pkg-config libtomcrypt-dev libtommath-dev libgmp-dev nettle-dev \
             libncurses-dev libpcap-dev
DEPS_TEST := libcmocka-dev libssl-dev tmux tshark openssl gnutls-bin jq curl python3 aspell aspell-en \
             valgrind ca-certificates python3-pil python3-cryptography fonts-dejavu-core man-db \
             clang libclang-rt-14-dev
# Run with ARGS: make run ARGS="--scenario ecdhe".
ARGS ?=

.PHONY: all deps deps-run deps-test run test unit e2e check-paths clean assets
all: $(B)/tlsstep

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC $<"
	@$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(B)/libtlsstep.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/tlsstep: $(B)/src/main.o $(B)/libtlsstep.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/tests/%: tests/unit/%.c $(B)/libtlsstep.a $(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	@echo "  CC $<"
	@$(CC) $(CFLAGS) $(TEST_CFLAGS) $(shell pkg-config --cflags cmocka) -Itests/unit -o $@ $< $(B)/libtlsstep.a $(LDLIBS) $(TESTLIBS)

# The TLS 1.3 interop driver (tests/e2e/tls13_interop.sh): the engine on a socket.
$(B)/tests/tls13_peer: tests/tools/tls13_peer.c $(B)/libtlsstep.a
	@mkdir -p $(dir $@)
	@echo "  CC $<"
	@$(CC) $(CFLAGS) -o $@ $< $(B)/libtlsstep.a $(LDLIBS)

# Install only what is missing, and say what; without apt, name the
# packages and the command, and go on when pkg-config finds the libraries.
deps-run:
	@bash tools/deps.sh deps-run "$(PKGS)" $(DEPS_RUN)
deps-test:
	@bash tools/deps.sh deps-test "$(PKGS) cmocka" $(DEPS_RUN) $(DEPS_TEST)
deps: deps-test

# A sub-make, so that pkg-config's flags are read once the packages are in.
run: deps-run
	@$(MAKE) --no-print-directory all
	$(B)/tlsstep $(ARGS)

unit: $(TEST_BIN)
	@fail=0; for t in $(TEST_BIN); do echo "== $$t"; $$t || fail=1; done; exit $$fail

e2e: all
	@bash tests/e2e/run.sh

# No tracked file may refer to a folder beside the repository, a path of this machine or a
# file outside the repository: a fresh clone must pass its tests alone.
check-paths:
	@bash tools/check_paths.sh

# Every stage runs even when one fails; any failing fails the target.
test: deps
	@$(MAKE) --no-print-directory all $(TEST_BIN) $(B)/tests/tls13_peer
	@st=0; $(MAKE) --no-print-directory check-paths || st=1; \
	$(MAKE) --no-print-directory check-layers || st=1; \
	$(MAKE) --no-print-directory unit || st=1; \
	$(MAKE) --no-print-directory e2e || st=1; \
	if [ $$st = 0 ]; then echo "make test: all passed"; else echo "make test: FAILED"; fi; exit $$st

# The classroom PKI is committed; this regenerates it.
assets:
	bash assets/mkpki.sh assets

clean:
	rm -rf $(B)

-include $(LIB_OBJ:.o=.d) $(B)/src/main.d
# Extra targets (fuzzing, benchmarks, install) live in mk/, one file per concern.
-include $(wildcard mk/*.mk)
