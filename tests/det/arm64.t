#!/usr/bin/env bash
# The evaluator gives the same output bits on arm64 as here: outbits is
# cross-built with Debian's gcc-aarch64-linux-gnu and with clang
# --target=aarch64-linux-gnu (-O3), run under qemu-user with the multiarch
# loader (libc6:arm64; not -L /usr/aarch64-linux-gnu, which mixes two glibc
# builds), and compared case by case with the native release build: the
# ONNX node cases, random rows of every example model, and every elementwise
# and reduce operator on tensors of specials (-0, inf, NaN, subnormals).
# mk/deps.sh installs the cross tools.
. "${0%/*}/lib.sh"
QEMU=$(command -v qemu-aarch64 || command -v qemu-aarch64-static || true)
ok "qemu-aarch64 is installed (make deps)" test -n "$QEMU"
ok "gcc-aarch64-linux-gnu is installed (make deps)" \
    command -v aarch64-linux-gnu-gcc
ok "the arm64 loader is installed (libc6:arm64)" \
    test -e /lib/ld-linux-aarch64.so.1
# The cross builds see only the evaluator's own packages (jansson, zlib,
# both :arm64): the host's pkg-config paths would mix in x86 headers.
X="PKG_CFLAGS= PKG_LIBS="
ok "gcc cross build" det_build build/det-arm64-gcc \
    CC=aarch64-linux-gnu-gcc $X
ok "clang cross build (-O3)" det_build build/det-arm64-clang \
    CC="clang --target=aarch64-linux-gnu" OPT=-O3 $X
for v in gcc clang; do
	b=$TOP/build/det-arm64-$v/det/outbits
	is "$(file -b "$b" | cut -d, -f2)" " ARM aarch64" "$v: an arm64 binary"
	ok "$v: runs under qemu" det_run "$QEMU" "$b" "$T/arm-$v.txt"
	same "$T/ref.txt" "$T/arm-$v.txt" \
	    "arm64 ($v): identical output bits on every case"
done
done_testing
