#!/bin/sh
# onnx.t - models from denai-train (every algorithm, the fixture tasks)
# pass onnx.checker, and onnxruntime-node gives denai-predict's labels and
# values on every row. The work is in check_models.py.
. "${0%/*}/../lib.sh"

PY=/usr/bin/python3
ORT="$NM/onnxruntime-node"
command -v denai-train >/dev/null 2>&1 || skip_all "denai-train not built"
[ -x "$PY" ] && "$PY" -c 'import onnx' 2>/dev/null ||
    skip_all "python3-onnx not installed"
command -v node >/dev/null 2>&1 && [ -d "$ORT" ] ||
    skip_all "node or onnxruntime-node not installed"
F="$TOP/tests/train/fixtures"
"$PY" "$TOP/tests/train/check_models.py" --train "$(command -v denai-train)" \
    --predict "$(command -v denai-predict)" --ort "$TOP/tests/onnx/ort_run.js" \
    --tmp "$T" "$F/iris.csv:classification" "$F/cancer200.csv:classification" \
    "$F/diabetes.csv:regression"
