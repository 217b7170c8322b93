# DenAI - a decentralized ML prediction oracle as small Unix programs.
#
#   make            build libdenai, the programs (bin/), tests, contracts
#   make check      install what is missing, build, run every test (TAP, prove)
#   make demo       install what is missing, start a chain, run a whole network
#   make bench      benchmarks against their named peers
#   make fuzz       build the libFuzzer targets and fuzz each for FUZZ_SECONDS
#   make install    PREFIX=/usr/local: programs and man pages
#
# The real work is in mk/: build.mk (a build variant), fuzz.mk (fuzzers),
# deps.sh (packages), contracts.mk (Solidity, forge).

PREFIX   ?= /usr/local
FUZZ_SECONDS ?= 60
PROVE_JOBS ?= 2

ASAN_FLAGS = -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer

export DENAI_SHARED ?= $(abspath ../shared)

all: build contracts

build:
	@$(MAKE) --no-print-directory -f mk/build.mk B=build/rel BINDIR=bin \
	    DATADIR=$(PREFIX)/share/denai all

asan:
	@$(MAKE) --no-print-directory -f mk/build.mk B=build/asan \
	    OPT="-O1 -g" SAN="$(ASAN_FLAGS)" all

# A clang build (tests that compare builds use it when present).
clang:
	@$(MAKE) --no-print-directory -f mk/build.mk B=build/clang CC=clang \
	    OPT="-O1 -g" BINDIR=build/clang/bin all

fuzz-build:
	@$(MAKE) --no-print-directory -f mk/fuzz.mk all

# Owned by their areas: contracts (solc-js, forge) and example models.
-include mk/contracts.mk mk/models.mk
contracts::
models::

deps:
	@sh mk/deps.sh

# Unit tests run from the sanitizer build; shell tests drive the sanitizer
# build's programs; fuzz corpora replay under ASan+UBSan.
check: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory asan
	@$(MAKE) --no-print-directory fuzz-build
	DENAI_BIN=$(CURDIR)/build/asan/bin \
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    prove -j$(PROVE_JOBS) --timer build/asan/t/*.t \
	    $(sort $(wildcard tests/*/*.t))

# Only the tests whose path matches T, e.g. make test T=rlp
test: build asan
	@t=$$(printf '%s\n' build/asan/t/*.t tests/*/*.t | grep -F -- '$(T)'); \
	if [ -z "$$t" ]; then echo "make test: no test path contains '$(T)'" >&2; exit 1; fi; \
	DENAI_BIN=$(CURDIR)/build/asan/bin prove -v $$t

bench: deps all
	@failed=; for b in $(sort $(wildcard bench/*.sh)); do \
	    echo "== $$b"; bash $$b || failed="$$failed $$b"; done; \
	    if [ -n "$$failed" ]; then echo "bench failed:$$failed"; exit 1; fi

fuzz: fuzz-build
	@for f in build/fuzz/fuzz_*; do n=$${f##*/fuzz_}; \
	    mkdir -p build/fuzz/corpus/$$n; \
	    echo "== $$n ($(FUZZ_SECONDS)s)"; \
	    $$f -max_total_time=$(FUZZ_SECONDS) -artifact_prefix=tests/fuzz/corpus/$$n/crash- \
	        build/fuzz/corpus/$$n tests/fuzz/corpus/$$n || exit 1; done

demo: deps all
	@bash examples/demo.sh

# Programs, man pages, and the contract artifacts denai-deploy reads
# (it looks in ./build/contracts first, then $(PREFIX)/share/denai/contracts).
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	    $(DESTDIR)$(PREFIX)/share/denai/contracts
	install -m 755 bin/denai-* $(DESTDIR)$(PREFIX)/bin/
	install -m 644 man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 build/contracts/*.json $(DESTDIR)$(PREFIX)/share/denai/contracts/

clean:
	rm -rf build bin contracts/out contracts/cache

.PHONY: all build asan clang fuzz-build deps check test bench fuzz demo install clean contracts models
