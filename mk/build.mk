# mk/build.mk - one build variant of libdenai, the programs, the unit tests
# and the bench drivers. The top Makefile calls it with B= (output folder)
# and the variant's flags; files are found by wildcard, so a new lib/, cmd/,
# tests/unit/ or bench/ source needs no edit here.
#
#   lib/*.c lib/*/*.c    -> $(B)/libdenai.a   (*_avx2.c, *_avx512.c get ISA flags)
#   cmd/common/*.c       -> $(B)/libcmd.a     (flag/env helpers shared by programs)
#   cmd/denai-*.c        -> $(BINDIR)/denai-*
#   tests/unit/test_*.c  -> $(B)/t/test_*.t   (TAP programs)
#   bench/*.c            -> $(B)/bench/*

B      ?= build/rel
BINDIR ?= $(B)/bin
CC     ?= cc
OPT    ?= -O2 -g
SAN    ?=
AR     ?= ar

PKGS      = libcurl jansson libsodium libsecp256k1 openssl zlib \
            libmicrohttpd sqlite3 hiredis
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN   = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wno-unused-parameter \
	-Werror=implicit-function-declaration -Werror=incompatible-pointer-types \
	-Werror=int-conversion
# Determinism: no contraction into FMA, no fast-math, IEEE semantics.
FPFLAGS = -ffp-contract=off -fno-fast-math
# Where installed data (contract artifacts) lives; set by make install.
DATADIR ?= /usr/local/share/denai
# FPFLAGS come after $(CFLAGS): `make CFLAGS=-Ofast` or -ffp-contract=fast
# cannot silently change the evaluator's output bits (tests/det/cflags.t).
ALLCFLAGS = -std=c11 $(WARN) -D_GNU_SOURCE -pthread -Ilib \
	-DDENAI_DATADIR='"$(DATADIR)"' \
	$(PKG_CFLAGS) $(OPT) $(SAN) $(CFLAGS) $(FPFLAGS)
LIBS   = $(PKG_LIBS) -lm -pthread $(LDLIBS)

# Quiet by default; make V=1 shows the commands.
ifeq ($(V),1)
Q =
say = @:
else
Q = @
say = @printf '  %-5s %s\n'
endif

LIB_SRC   := $(sort $(wildcard lib/*.c lib/*/*.c))
CMDC_SRC  := $(sort $(wildcard cmd/common/*.c))
CMD_SRC   := $(sort $(wildcard cmd/denai-*.c))
UNIT_SRC  := $(sort $(wildcard tests/unit/test_*.c))
BENCH_SRC := $(sort $(wildcard bench/*.c))

LIB_OBJ   := $(LIB_SRC:%.c=$(B)/%.o)
CMDC_OBJ  := $(CMDC_SRC:%.c=$(B)/%.o)
PROGS     := $(CMD_SRC:cmd/%.c=$(BINDIR)/%)
UNITS     := $(UNIT_SRC:tests/unit/%.c=$(B)/t/%.t)
BENCHES   := $(BENCH_SRC:bench/%.c=$(B)/bench/%)

all: $(B)/libdenai.a $(PROGS) $(UNITS) $(BENCHES)
lib: $(B)/libdenai.a
progs: $(PROGS)
units: $(UNITS)

# The x86 kernels get their ISA flags only when the target is x86 (an arm64
# cross build compiles them as portable C: they test the ISA at run time).
TARGET := $(shell $(CC) -dumpmachine 2>/dev/null)
ifneq ($(filter x86_64-% i%86-%,$(TARGET)),)
$(B)/%_avx2.o: ISA = -mavx2 -mbmi2
$(B)/%_avx512.o: ISA = -mavx512f -mavx512vl -mavx512bw -mavx2 -mbmi2
endif

$(B)/%.o: %.c
	@mkdir -p $(@D)
	$(say) CC $@
	$(Q)$(CC) $(ALLCFLAGS) $(ISA) -MMD -MP -c -o $@ $<

$(B)/libdenai.a: $(LIB_OBJ)
	@rm -f $@
	$(say) AR $@
	$(Q)$(AR) rcs $@ $^

$(B)/libcmd.a: $(CMDC_OBJ) $(B)/libdenai.a
	@rm -f $@
	$(say) AR $@
	$(Q)$(AR) rcs $@ $(CMDC_OBJ)

$(BINDIR)/%: $(B)/cmd/%.o $(B)/libcmd.a $(B)/libdenai.a
	@mkdir -p $(@D)
	$(say) LD $@
	$(Q)$(CC) $(ALLCFLAGS) -o $@ $< $(B)/libcmd.a $(B)/libdenai.a $(LIBS)

# denai-predict links statically where the archives are there and no
# sanitizer is on: a one-record process then skips the dynamic loader
# (0.3 ms of its 2 ms, and 1.3 MiB of RSS; docs/perf.md).
# STATIC_PREDICT=0 turns it off.
STATIC_PREDICT ?= 1
static_ok = $(and $(filter 1,$(STATIC_PREDICT)),$(if $(SAN),,1),\
	$(filter /%,$(shell $(CC) -print-file-name=libjansson.a)),\
	$(filter /%,$(shell $(CC) -print-file-name=libz.a)),\
	$(filter /%,$(shell $(CC) -print-file-name=libc.a)))
ifneq ($(static_ok),)
$(BINDIR)/denai-predict: $(B)/cmd/denai-predict.o $(B)/libcmd.a $(B)/libdenai.a
	@mkdir -p $(@D)
	$(say) LD $@
	$(Q)$(CC) $(ALLCFLAGS) -static -o $@ $< $(B)/libcmd.a \
	    $(B)/libdenai.a -ljansson -lz -lm -pthread $(LDLIBS)
endif

$(B)/t/%.t: $(B)/tests/unit/%.o $(B)/libdenai.a
	@mkdir -p $(@D)
	$(say) LD $@
	$(Q)$(CC) $(ALLCFLAGS) -o $@ $< $(B)/libdenai.a $(LIBS)

$(B)/bench/%: $(B)/bench/%.o $(B)/libdenai.a
	@mkdir -p $(@D)
	$(say) LD $@
	$(Q)$(CC) $(ALLCFLAGS) -o $@ $< $(B)/libdenai.a $(LIBS)

# tests/det/outbits: the evaluator's output bits on a fixed set, linked from
# the evaluator's own sources only (jansson and zlib), so it cross-builds for
# arm64 with nothing but the cross compiler and two :arm64 -dev packages.
# An archive, so the linker takes only what outbits reaches.
DET_LIB := $(sort $(wildcard lib/*.c lib/onnx/*.c)) \
	lib/eth/u256.c lib/eth/hex.c lib/node/record.c \
	$(filter-out lib/train/job.c lib/train/stage.c,$(wildcard lib/train/*.c))
$(B)/det/libdet.a: $(DET_LIB:%.c=$(B)/%.o)
	@mkdir -p $(@D)
	@rm -f $@
	$(Q)$(AR) rcs $@ $^
$(B)/det/outbits: $(B)/tests/det/outbits.o $(B)/det/libdet.a
	@mkdir -p $(@D)
	$(say) LD $@
	$(Q)$(CC) $(ALLCFLAGS) -o $@ $^ -ljansson -lz -lm -pthread
det: $(B)/det/outbits

.PHONY: all lib progs units det
.SECONDARY:
-include $(shell find $(B) -name '*.d' 2>/dev/null)
