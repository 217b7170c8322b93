#!/bin/sh
# denai-validate-builds: validators on different builds agree. The golden
# records (every score, invalid verdict and seal) from the release build
# (gcc -O2), the sanitizer build (-O1, ASan+UBSan) and, when built (make
# clang), a clang -O1 build, each with 1 and 3 threads.
. "${0%/*}/../lib.sh"
cd "$TOP" || exit 1
D=tests/cmd/denai-validate
V=0x4444444444444444444444444444444444444444
SALT=0x0000000000000000000000000000000000000000000000000000000000000001
n=0
for b in bin build/asan/bin build/clang/bin; do
	if [ ! -x "$b/denai-validate" ]; then
		skip "$b/denai-validate not built"
		continue
	fi
	for j in 1 3; do
		"$b/denai-validate" --state "$T/$n" --validator $V --salt $SALT \
		    --jobs $j <"$D/input.ndjson" >"$T/out$n" 2>"$T/err$n"
		ok "$b, $j thread(s): the golden records" \
		    cmp -s "$T/out$n" "$D/expected.ndjson"
		n=$((n + 1))
	done
done
ok "at least two builds compared" test "$n" -ge 4
done_testing
