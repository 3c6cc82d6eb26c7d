# make bench: performance figures (never timed tests). Needs libssl-dev for
# the OpenSSL baseline.
.PHONY: bench
$(B)/bench/ossl_hs: tests/bench/ossl_hs.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $< $(shell pkg-config --libs libssl libcrypto)

bench: deps all $(B)/bench/ossl_hs
	@bash tests/bench/run.sh
