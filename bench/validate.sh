#!/bin/sh
# bench/validate.sh - denai-validate scoring a 10,000-row test set for each
# example model (examples/models), against onnxruntime-node on the same rows
# in the same run (bench/validate_ort.js: CSV parse, predictions, score).
#
# denai-validate's figure is the whole process: reading the submission
# record, the CSV (exact grammar, float32 as the JSON path), loading the
# model under the protocol's limits, predicting every row as the oracle
# does (one row per run), the integer score, the state file. Median of 5.
# onnxruntime-node is timed in process (its start-up not counted), one
# thread, both as a single batch of all rows and as one run per row.
# Target: a 10,000-row test set in well under a second (rows/s printed).
set -eu
cd "$(dirname "$0")/.."
if [ -x bin/denai-validate ]; then
	BIN=bin
else
	make --no-print-directory -s -f mk/build.mk B=build/bench-validate \
	    progs >/dev/null
	BIN=build/bench-validate/bin
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/denai-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT
PY=/usr/bin/python3
ORT=tools/node_modules/onnxruntime-node
have_ort=0
command -v node >/dev/null 2>&1 && [ -d $ORT ] && have_ort=1
N=10000

# The test sets: dataset rows resampled to N with 2% noise (fixed seed).
if [ -x $PY ] && $PY -c 'import sklearn' 2>/dev/null; then
	$PY - "$T" $N <<'PY'
import sys
import numpy as np
from sklearn.datasets import load_breast_cancer, load_diabetes
out, n = sys.argv[1], int(sys.argv[2])
rng = np.random.RandomState(1)
for name, ds, label, cls in (("bc", load_breast_cancer(), "diagnosis", 1),
                             ("db", load_diabetes(), "progression", 0)):
    idx = rng.randint(0, len(ds.target), n)
    X = ds.data[idx] * (1 + rng.normal(0, 0.02, (n, ds.data.shape[1])))
    with open("%s/%s.csv" % (out, name), "w") as f:
        f.write(",".join([c.replace(" ", "_") for c in ds.feature_names] + [label]) + "\n")
        for i in range(n):
            y = ds.target[idx[i]]
            f.write(",".join("%.7g" % v for v in X[i]) + "," +
                    ("%d" % y if cls else "%.1f" % y) + "\n")
PY
else
	for s in bc db; do
		f=tests/cmd/denai-validate/${s}_test.csv
		head -n 1 $f >"$T/$s.csv"
		rows=$(($(wc -l <$f) - 1))
		i=0
		while [ $i -lt $((N / rows)) ]; do
			tail -n +2 $f >>"$T/$s.csv"; i=$((i + 1))
		done
	done
fi

now() { date +%s%N; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

for spec in breast_cancer:bc:diagnosis:0:0 mlp_breast_cancer:bc:diagnosis:0:0 \
    diabetes:db:progression:1:0; do
	IFS=: read -r m set label kind dec <<EOF2
$spec
EOF2
	model=examples/models/$m.onnx
	csv=$T/$set.csv
	rows=$(($(wc -l <"$csv") - 1))
	printf '{"type":"submission","task_id":"1","trainer":"0x1111111111111111111111111111111111111111","kind":%s,"label_column":"%s","decimals":%s,"model_path":"%s","test_path":"%s"}\n' \
	    "$kind" "$label" "$dec" "$model" "$csv" >"$T/in.ndjson"
	: >"$T/times"
	for i in 1 2 3 4 5; do
		rm -rf "$T/state"
		t0=$(now)
		$BIN/denai-validate --state "$T/state" <"$T/in.ndjson" >"$T/out"
		t1=$(now)
		echo $(((t1 - t0) / 1000)) >>"$T/times"
	done
	us=$(median <"$T/times")
	score=$(sed 's/.*"score":"\([^"]*\)".*/\1/' "$T/out")
	rps=$(awk -v r=$rows -v u=$us 'BEGIN { printf "%.0f", r / (u / 1e6) }')
	echo "-- $m: $rows rows"
	printf 'denai-validate   %8.3f s  %9s rows/s  score %s\n' \
	    "$(awk -v u=$us 'BEGIN { print u / 1e6 }')" "$rps" "$score"
	if [ $have_ort = 1 ]; then
		o=$(node bench/validate_ort.js $model "$csv" $label $kind $dec)
		f() { printf '%s\n' "$o" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
		bs=$(f batch_s); rs=$(f row_s)
		printf 'onnxruntime batch %7.3f s  %9.0f rows/s  score %s  (ratio %.2f)\n' \
		    "$bs" "$(awk -v r=$rows -v s=$bs 'BEGIN { print r / s }')" \
		    "$(f batch_score)" "$(awk -v a=$bs -v u=$us 'BEGIN { print a / (u / 1e6) }')"
		printf 'onnxruntime row   %7.3f s  %9.0f rows/s  score %s  (ratio %.2f)\n' \
		    "$rs" "$(awk -v r=$rows -v s=$rs 'BEGIN { print r / s }')" \
		    "$(f row_score)" "$(awk -v a=$rs -v u=$us 'BEGIN { print a / (u / 1e6) }')"
	else
		echo "onnxruntime-node: skipped (not installed)"
	fi
done
