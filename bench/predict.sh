#!/bin/sh
# bench/predict.sh - the model runtime against its peers, side by side in
# one run, same models and rows (examples/models: the breast-cancer forest
# and the MLP):
#  1. single-row latency in process, median over 10,000 rows, and batch
#     throughput: libdenai (bench/predict_bench.c) against onnxruntime-node
#     (bench/predict_ort.js, one session.run per row); target: at least 2x
#     faster than onnxruntime for one row;
#  2. a whole process answering one record: `denai-predict --model` against
#     the original's approach, a fresh /usr/bin/python3 that loads the
#     pickled sklearn model with joblib and predicts one row; medians of
#     21 and 5 runs; targets (issue 17): under 3 ms and at least 200x
#     faster; MLP batch throughput at least 1x onnxruntime's;
#  3. peak memory (max RSS) of that denai-predict process beyond the model
#     file's size; target: under 10 MiB.
# Peers that are not installed (onnxruntime-node, python3-sklearn) are
# reported as skipped.
set -eu
cd "$(dirname "$0")/.."
B=build/bench-predict
if [ -x bin/denai-predict ] && [ -x build/rel/bench/predict_bench ]; then
	BIN=bin BENCH=build/rel/bench/predict_bench
else
	make --no-print-directory -s -f mk/build.mk B=$B progs \
	    $B/bench/predict_bench >/dev/null
	BIN=$B/bin BENCH=$B/bench/predict_bench
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/denai-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT
PY=/usr/bin/python3
ORT=tools/node_modules/onnxruntime-node
have_py=0
[ -x $PY ] && $PY -c 'import sklearn, joblib' 2>/dev/null && have_py=1
have_ort=0
command -v node >/dev/null 2>&1 && [ -d $ORT ] && have_ort=1

# The rows: the whole breast-cancer dataset, or the example points.
if [ $have_py = 1 ]; then
	$PY -c 'import json, sys
from sklearn.datasets import load_breast_cancer
for r in load_breast_cancer().data:
    print(json.dumps([float(v) for v in r]))' >"$T/rows.ndjson"
else
	cat examples/data/breast_cancer_*.json >"$T/rows.ndjson"
fi
head -n 1 "$T/rows.ndjson" >"$T/one.ndjson"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }
field() { printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

for m in breast_cancer mlp_breast_cancer; do
	model=examples/models/$m.onnx
	echo "-- $m ($(wc -l <"$T/rows.ndjson") rows, $(wc -c <$model) bytes)"
	ours=$($BENCH latency $model "$T/rows.ndjson" 10000)
	o1=$(field "$ours" single_median_us)
	ob=$(field "$ours" batch_rows_per_s)
	echo "denai   single row: median ${o1} us (p90 $(field "$ours" single_p90_us) us); batch: $ob rows/s"
	if [ $have_ort = 1 ]; then
		theirs=$(node bench/predict_ort.js $model "$T/rows.ndjson" 10000)
		t1=$(field "$theirs" single_median_us)
		tb=$(field "$theirs" batch_rows_per_s)
		echo "onnxrt  single row: median ${t1} us (p90 $(field "$theirs" single_p90_us) us); batch: $tb rows/s"
		echo "single-row latency: $(ratio "$t1" "$o1")x faster than onnxruntime-node (target >= 2x)"
		echo "batch throughput:   $(ratio "$ob" "$tb")x onnxruntime-node's (target >= 1x for the MLP, same output bits)"
	else
		echo "onnxrt  skipped (onnxruntime-node not installed)"
	fi

	p=$($BENCH spawn 21 "$T/one.ndjson" $BIN/denai-predict --model $model)
	pm=$(field "$p" median_ms)
	rss=$(field "$p" maxrss_kib)
	size=$(($(wc -c <$model) / 1024))
	echo "denai-predict process, one record: median ${pm} ms, max RSS ${rss} KiB (target < 3 ms)"
	echo "peak memory beyond the model: $((rss - size)) KiB = $(awk -v k=$((rss - size)) 'BEGIN { printf "%.2f", k / 1024 }') MiB (target < 10 MiB)"
	if [ $have_py = 1 ]; then
		[ -f build/models/$m.pkl ] ||
		    $PY tools/build_models.py --models "$T/m" --data "$T/d" \
		    --pickles build/models >/dev/null
		cat >"$T/orig.py" <<EOF
import json, sys, joblib
model = joblib.load("build/models/$m.pkl")
print(model.predict([json.loads(sys.stdin.readline())])[0])
EOF
		q=$($BENCH spawn 5 "$T/one.ndjson" $PY "$T/orig.py")
		qm=$(field "$q" median_ms)
		echo "python3 + joblib + sklearn, one row: median ${qm} ms, max RSS $(field "$q" maxrss_kib) KiB"
		echo "one-record process: $(ratio "$qm" "$pm")x faster than the Python process (target >= 200x)"
	else
		echo "python3 peer skipped (python3-sklearn not installed)"
	fi
done
