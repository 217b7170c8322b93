#!/bin/sh
# ml_sklearn.t - every tools/sklearn2onnx model type, evaluated by
# denai-predict on a whole bundled dataset, against sklearn (labels equal on
# every row, values within tolerance) and onnxruntime-node (same labels, same
# scores within tolerance); tie rows of forests included. The work is in
# ml_check.py, which prints the TAP.
. "${0%/*}/../lib.sh"

PY=/usr/bin/python3
ORT="$NM/onnxruntime-node"
command -v denai-predict >/dev/null 2>&1 || skip_all "denai-predict not built"
[ -x "$PY" ] && "$PY" -c 'import sklearn, onnx' 2>/dev/null ||
    skip_all "python3-sklearn or python3-onnx not installed"
command -v node >/dev/null 2>&1 && [ -d "$ORT" ] ||
    skip_all "node or onnxruntime-node not installed"

"$PY" "$TOP/tests/onnx/ml_check.py" --predict "$(command -v denai-predict)" \
    --ort "$TOP/tests/onnx/ort_run.js" --tmp "$T"
