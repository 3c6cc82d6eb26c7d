# libFuzzer harnesses: every parser of outside bytes, fed mutated input.
#
#   make fuzz FUZZ_SECONDS=N   build every harness and run each for N seconds
#                              (default 60), one at a time, one job each
#   make fuzz-build            only build them (build-fuzz/fuzz_*)
#   make fuzz-corpus           rewrite the seed corpora in tests/fuzz/corpus
#
# The library is compiled again with clang, ASan + UBSan, coverage
# instrumentation and -DTLSSTEP_FUZZING (src/tls/fuzzing.h: record
# protection becomes the identity and MAC/tag checks are skipped). That
# define exists only here; build/ never has it.
#
# A harness keeps what it learns in build-fuzz/corpus/<name> and reads the
# committed seeds from tests/fuzz/corpus/<name>. Crashes land in
# build-fuzz/artifacts/; each one fixed becomes an input under
# tests/fuzz/regress/ that tests/unit/test_regress.c replays in `make test`.

FUZZ_B       := build-fuzz
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_ARGS    ?= -rss_limit_mb=2048 -timeout=10 -max_len=20000
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer $(SAN_RELAX)
FUZZ_CFLAGS  := -O1 -g $(FUZZ_SAN) -std=c11 -Wall -Wextra -Wno-unknown-warning-option \
                -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -DGMP_DESC -DLTM_DESC \
                -DTLSSTEP_FUZZING -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION \
                -Isrc -Itests/fuzz $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
FUZZ_OBJ     := $(LIB_SRC:%.c=$(FUZZ_B)/obj/%.o)
FUZZ_LIB     := $(FUZZ_B)/libtlsstep-fuzz.a
# One harness per entry point; fuzz_engine.c makes two (server and client).
FUZZ_SINGLE  := $(filter-out fuzz_engine,$(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_NAMES   := fuzz_server fuzz_client $(FUZZ_SINGLE)
FUZZ_BINS    := $(FUZZ_NAMES:%=$(FUZZ_B)/%)
FUZZ_ENV     := ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 UBSAN_OPTIONS=print_stacktrace=1

.PHONY: fuzz fuzz-build fuzz-corpus fuzz-clean

$(FUZZ_B)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC (fuzz) $<"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

$(FUZZ_LIB): $(FUZZ_OBJ)
	@rm -f $@
	@ar rcs $@ $^

$(FUZZ_B)/fuzz_server: tests/fuzz/fuzz_engine.c tests/fuzz/common.h $(FUZZ_LIB)
	@echo "  LD (fuzz) $@"; $(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -DFUZZ_SERVER=1 -o $@ $< $(FUZZ_LIB) $(LDLIBS)

$(FUZZ_B)/fuzz_client: tests/fuzz/fuzz_engine.c tests/fuzz/common.h $(FUZZ_LIB)
	@echo "  LD (fuzz) $@"; $(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -DFUZZ_SERVER=0 -o $@ $< $(FUZZ_LIB) $(LDLIBS)

$(FUZZ_B)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/common.h $(FUZZ_LIB)
	@echo "  LD (fuzz) $@"; $(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_LIB) $(LDLIBS)

$(FUZZ_B)/mkcorpus: tests/fuzz/mkcorpus.c tests/fuzz/common.h $(FUZZ_LIB)
	@echo "  LD (fuzz) $@"; $(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -o $@ $< $(FUZZ_LIB) $(LDLIBS)

fuzz-build: $(FUZZ_BINS)

fuzz-corpus: $(FUZZ_B)/mkcorpus
	rm -rf tests/fuzz/corpus.new
	env $(FUZZ_ENV) $(FUZZ_B)/mkcorpus tests/fuzz/corpus.new
	@# Only the directories mkcorpus makes; the pcap and key log seeds are kept.
	for d in tests/fuzz/corpus.new/*; do rm -rf tests/fuzz/corpus/$${d##*/}; mv $$d tests/fuzz/corpus/; done
	rmdir tests/fuzz/corpus.new
	@du -sh tests/fuzz/corpus/*

# Stops at the first harness that finds something (its exit status).
fuzz: fuzz-build
	@mkdir -p $(FUZZ_B)/artifacts $(FUZZ_B)/logs
	@for h in $(FUZZ_NAMES); do \
	  mkdir -p $(FUZZ_B)/corpus/$$h tests/fuzz/corpus/$$h; \
	  echo "== $$h for $(FUZZ_SECONDS)s"; \
	  env $(FUZZ_ENV) $(FUZZ_B)/$$h $(FUZZ_ARGS) -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	    -artifact_prefix=$(FUZZ_B)/artifacts/$$h- $(FUZZ_B)/corpus/$$h tests/fuzz/corpus/$$h \
	    >$(FUZZ_B)/logs/$$h.log 2>&1; rc=$$?; \
	  grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::peak_rss_mb)' $(FUZZ_B)/logs/$$h.log; \
	  if [ $$rc != 0 ]; then tail -60 $(FUZZ_B)/logs/$$h.log; echo "$$h: FINDING (exit $$rc), see $(FUZZ_B)/artifacts"; exit $$rc; fi; \
	done

fuzz-clean:
	rm -rf $(FUZZ_B)

-include $(FUZZ_OBJ:.o=.d)

# The regression test with the fuzzing switch on: the saved inputs take the
# paths the fuzzer saw (identity record protection).
$(FUZZ_B)/test_regress: tests/unit/test_regress.c $(wildcard tests/fuzz/*.c tests/fuzz/*.h) $(FUZZ_LIB)
	@echo "  LD (fuzz) $@"; $(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link $(shell pkg-config --cflags cmocka) \
	  -o $@ $< $(FUZZ_LIB) $(LDLIBS) $(TESTLIBS)

.PHONY: fuzz-regress
fuzz-regress: $(FUZZ_B)/test_regress
	@env $(FUZZ_ENV) $(FUZZ_B)/test_regress >$(FUZZ_B)/test_regress.log 2>&1; rc=$$?; \
	  grep -v '^  fuzz_' $(FUZZ_B)/test_regress.log; exit $$rc
