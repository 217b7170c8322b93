#!/bin/sh
# sklearn2onnx_cli.t - the tools/sklearn2onnx command: a pickled pipeline
# in, an ONNX file out that denai-predict evaluates to sklearn's label;
# --list; usage and input errors with their exit codes.
. "${0%/*}/../lib.sh"

PY=/usr/bin/python3
S2O="$TOP/tools/sklearn2onnx"
[ -x "$PY" ] && "$PY" -c 'import sklearn, onnx, joblib' 2>/dev/null ||
    skip_all "python3-sklearn or python3-onnx not installed"
command -v denai-predict >/dev/null 2>&1 || skip_all "denai-predict not built"

"$PY" - "$T" <<'PYEOF'
import json, sys, joblib
from sklearn.datasets import load_wine
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
X, y = load_wine(return_X_y=True)
m = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)).fit(X, y)
joblib.dump(m, sys.argv[1] + "/wine.pkl")
with open(sys.argv[1] + "/rows.ndjson", "w") as f:
    for r in X[::20]:
        f.write(json.dumps([float(v) for v in r]) + "\n")
with open(sys.argv[1] + "/want", "w") as f:
    f.write("\n".join(str(int(v)) for v in m.predict(X[::20])) + "\n")
PYEOF

ok "converts a pickled pipeline" "$S2O" "$T/wine.pkl" -o "$T/wine.onnx"
got=$(denai-predict --model "$T/wine.onnx" <"$T/rows.ndjson" |
    sed 's/.*"prediction":"\([0-9]*\)".*/\1/')
is "$got" "$(cat "$T/want")" "denai-predict gives sklearn's labels"
"$S2O" --zipmap "$T/wine.pkl" -o "$T/wine_zip.onnx"
ok "--zipmap: probabilities as label maps" sh -c \
    "head -n 1 '$T/rows.ndjson' | denai-predict --model '$T/wine_zip.onnx' |
    grep -q '\"output_probability\":\[{\"0\":'"
ok "--list names the estimators" sh -c "'$S2O' --list | grep -qx RandomForestClassifier"
"$S2O" "$T/wine.pkl" >/dev/null 2>&1
is $? 64 "no -o is a usage error (64)"
"$S2O" --no-such-flag >/dev/null 2>&1
is $? 64 "an unknown flag is a usage error (64)"
echo "not a pickle" >"$T/junk.pkl"
"$S2O" "$T/junk.pkl" -o "$T/junk.onnx" 2>"$T/err"
is $? 66 "an unreadable model exits 66"
ok "and says which file" grep -q "junk.pkl" "$T/err"
"$PY" -c "import joblib; from sklearn.cluster import KMeans; import numpy as np
joblib.dump(KMeans(n_clusters=2, n_init=1).fit(np.eye(4)), '$T/km.pkl')"
"$S2O" "$T/km.pkl" -o "$T/km.onnx" 2>"$T/err"
is $? 65 "an unsupported estimator exits 65"
ok "and names it" grep -q "KMeans" "$T/err"
done_testing
