# mk/fuzz.mk - libFuzzer targets under ASan+UBSan, built with clang.
#   tests/fuzz/fuzz_<name>.c -> build/fuzz/fuzz_<name>
# Each target's seed corpus is tests/fuzz/corpus/<name>/ (committed); crashes
# found are added there so that make check replays them.
B       = build/fuzz
FCC    ?= clang
FSAN    = -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	  -fno-omit-frame-pointer
PKGS    = libcurl jansson libsodium libsecp256k1 openssl zlib \
          libmicrohttpd sqlite3 hiredis
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
FCFLAGS = -std=c11 -Wall -Wextra -Wno-unused-parameter -ffp-contract=off \
	-D_GNU_SOURCE -pthread -Ilib $(PKG_CFLAGS) -O1 -g $(FSAN)

LIB_SRC  := $(sort $(wildcard lib/*.c lib/*/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(B)/%.o)
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZERS  := $(FUZZ_SRC:tests/fuzz/%.c=$(B)/%)

all: $(FUZZERS)

$(B)/%_avx2.o: ISA = -mavx2 -mbmi2
$(B)/%_avx512.o: ISA = -mavx512f -mavx512vl -mavx512bw -mavx2 -mbmi2

$(B)/%.o: %.c
	@mkdir -p $(@D)
	$(FCC) $(FCFLAGS) $(ISA) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

$(B)/libdenai.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/fuzz_%: tests/fuzz/fuzz_%.c $(B)/libdenai.a
	$(FCC) $(FCFLAGS) -fsanitize=fuzzer -o $@ $< $(B)/libdenai.a $(PKG_LIBS) -lm

.PHONY: all
.SECONDARY:
-include $(shell find $(B) -name '*.d' 2>/dev/null)
