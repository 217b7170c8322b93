#!/bin/sh
# replay.t - runs every libFuzzer target in build/fuzz over its committed
# seed corpus (tests/fuzz/corpus/<name>/, seeds and crashes found) once,
# under the ASan+UBSan the fuzzers are built with. One TAP line per target.
. "${0%/*}/../lib.sh"

FUZZ=${DENAI_FUZZ_DIR:-$TOP/build/fuzz}
CORPUS=$TOP/tests/fuzz/corpus
set -- "$FUZZ"/fuzz_*
[ -x "$1" ] || skip_all "no fuzzers in $FUZZ (make fuzz-build)"

for f in "$@"; do
	[ -x "$f" ] || continue
	name=${f##*/fuzz_}
	dir=$CORPUS/$name
	if [ ! -d "$dir" ]; then
		_tap_n=$((_tap_n + 1))
		echo "not ok $_tap_n - $name: no seed corpus in tests/fuzz/corpus/$name"
		_tap_failed=$((_tap_failed + 1))
		continue
	fi
	n=$(find "$dir" -type f | wc -l)
	if ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1} \
	    "$f" -runs=0 -timeout=20 -rss_limit_mb=2048 "$dir" \
	    >"$T/$name.log" 2>&1; then
		ok "$name: $n corpus files replay cleanly" true
	else
		ok "$name: $n corpus files replay cleanly" false
		tail -n 30 "$T/$name.log" | sed 's/^/# /'
	fi
done
done_testing
