#!/bin/sh
# ml_examples.t - the committed example models against onnxruntime-node and
# sklearn on every row of their datasets, their example data points sent as
# request records, and three runs bit-identical (see ml_examples.py).
. "${0%/*}/../lib.sh"

PY=/usr/bin/python3
command -v denai-predict >/dev/null 2>&1 || skip_all "denai-predict not built"
[ -x "$PY" ] && "$PY" -c 'import sklearn, onnx, joblib' 2>/dev/null ||
    skip_all "python3-sklearn or python3-onnx not installed"
command -v node >/dev/null 2>&1 && [ -d "$NM/onnxruntime-node" ] ||
    skip_all "node or onnxruntime-node not installed"

"$PY" "$TOP/tests/onnx/ml_examples.py" --predict "$(command -v denai-predict)" \
    --ort "$TOP/tests/onnx/ort_run.js" --tmp "$T"
