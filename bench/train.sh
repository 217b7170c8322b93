#!/bin/sh
# bench/train.sh - denai-train against scikit-learn in one run (the work
# and the method are in bench/train.py): held-out quality on sklearn's
# bundled datasets, fit time on a synthetic 100,000 x 50 set on 2 threads,
# a whole process on breast cancer, peak memory. QUICK=1 for a short run.
set -eu
cd "$(dirname "$0")/.."
if [ -x bin/denai-train ] && [ -x bin/denai-predict ]; then
	BIN=bin
else
	make --no-print-directory -s -f mk/build.mk B=build/bench-train \
	    progs >/dev/null
	BIN=build/bench-train/bin
fi
PY=/usr/bin/python3
if ! "$PY" -c 'import sklearn, numpy' 2>/dev/null; then
	echo "train: skipped (python3-sklearn not installed)"
	exit 0
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/denai-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT
"$PY" bench/train.py --bin "$BIN" --tmp "$T" ${QUICK:+--quick}
