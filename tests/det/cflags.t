#!/usr/bin/env bash
# Hostile CFLAGS cannot change the evaluator's output bits: mk/build.mk puts
# the floating-point flags (-ffp-contract=off -fno-fast-math) after
# $(CFLAGS), so `make CFLAGS=-Ofast` or -ffp-contract=fast is overridden.
# Built with gcc and clang; compared with the release build, case by case.
. "${0%/*}/lib.sh"
HOSTILE="-Ofast -ffast-math -ffp-contract=fast -march=native -funroll-loops"
for cc in gcc clang; do
	command -v $cc >/dev/null || { skip "no $cc"; continue; }
	ok "$cc: built with CFLAGS=$HOSTILE" \
	    det_build build/det-$cc CC=$cc CFLAGS="$HOSTILE"
	ok "$cc: runs" det_run "$TOP/build/det-$cc/det/outbits" "$T/$cc.txt"
	same "$T/ref.txt" "$T/$cc.txt" "$cc: identical output bits on every case"
done
done_testing
