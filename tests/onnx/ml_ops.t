#!/bin/sh
# ml_ops.t - the ai.onnx.ml kernels against onnxruntime-node, one small
# model per attribute form (tree modes, binary classifier weight forms,
# base values, post transforms, aggregates, SVM kernels and modes,
# preprocessing ops); see ml_ops.py.
. "${0%/*}/../lib.sh"

PY=/usr/bin/python3
command -v denai-predict >/dev/null 2>&1 || skip_all "denai-predict not built"
[ -x "$PY" ] && "$PY" -c 'import onnx, numpy' 2>/dev/null ||
    skip_all "python3-onnx not installed"
command -v node >/dev/null 2>&1 && [ -d "$NM/onnxruntime-node" ] ||
    skip_all "node or onnxruntime-node not installed"

"$PY" "$TOP/tests/onnx/ml_ops.py" --predict "$(command -v denai-predict)" \
    --ort "$TOP/tests/onnx/ort_run.js" --tmp "$T"
