# tlsstep build. `make` builds build/tlsstep; `make test` installs missing
# packages, builds and runs every test; `make run` opens the TUI.
CC      ?= cc
PKGS    := libtomcrypt libtommath gmp ncursesw libpcap nettle hogweed
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -Wall -Wextra -Werror -Wno-format-truncation -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L \
           -DGMP_DESC -DLTM_DESC -Isrc $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS  := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
TESTLIBS := $(shell pkg-config --libs cmocka 2>/dev/null)
B       := build

LIB_SRC := $(wildcard src/tls/*.c src/model/*.c src/sim/*.c src/net/*.c src/replay/*.c src/ui/*.c src/app/*.c)
LIB_OBJ := $(LIB_SRC:%.c=$(B)/%.o)
TEST_SRC := $(wildcard tests/unit/test_*.c)
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(B)/tests/%)

DEB_PKGS := build-essential pkg-config libtomcrypt-dev libtommath-dev libgmp-dev nettle-dev \
            libncurses-dev libcmocka-dev libpcap-dev libssl-dev tmux tshark openssl jq curl \
            python3 aspell aspell-en valgrind ca-certificates \
            python3-pil python3-cryptography fonts-dejavu-core man-db clang libclang-rt-14-dev
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps run test unit e2e clean assets
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
	@$(CC) $(CFLAGS) $(shell pkg-config --cflags cmocka) -Itests/unit -o $@ $< $(B)/libtlsstep.a $(LDLIBS) $(TESTLIBS)

# Installs only what is missing, and says what it installs.
deps:
	@missing=""; for p in $(DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing$$missing"; \
	  $(SUDO) apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q $$missing; \
	else echo "make deps: all packages present"; fi

run: deps all
	$(B)/tlsstep

unit: $(TEST_BIN)
	@fail=0; for t in $(TEST_BIN); do echo "== $$t"; $$t || fail=1; done; exit $$fail

e2e: all
	@bash tests/e2e/run.sh

# Unit and end-to-end tests both run; either failing fails the target.
test: deps
	@$(MAKE) --no-print-directory all $(TEST_BIN)
	@st=0; $(MAKE) --no-print-directory unit || st=1; \
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
