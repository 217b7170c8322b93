#!/usr/bin/python3
# Builds the small models tests/cmd/denai-predict.t uses (committed; rerun
# with Debian's python3-onnx to regenerate): values chosen to be exact in
# float so the golden outputs are exact.
import os
import numpy as np
import onnx
from onnx import helper, TensorProto, numpy_helper

here = os.path.dirname(os.path.abspath(__file__))
ML = helper.make_opsetid("ai.onnx.ml", 1)
ONNX = helper.make_opsetid("", 13)


def save(graph, name, opsets):
    m = helper.make_model(graph, opset_imports=opsets, producer_name="mk_models")
    m.ir_version = 8
    onnx.checker.check_model(m)
    onnx.save(m, os.path.join(here, name))


# reg.onnx: y = x @ [1,2,3]^T + 0.5, x [N,3] -> y [N,1]
w = numpy_helper.from_array(np.array([[1], [2], [3]], dtype=np.float32), "w")
b = numpy_helper.from_array(np.array([0.5], dtype=np.float32), "b")
g = helper.make_graph(
    [helper.make_node("MatMul", ["x", "w"], ["xw"], name="mm"),
     helper.make_node("Add", ["xw", "b"], ["y"], name="add")],
    "reg",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 3])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 1])],
    [w, b])
save(g, "reg.onnx", [ONNX])

seq_map = onnx.TypeProto()
seq_map.sequence_type.elem_type.map_type.key_type = TensorProto.INT64
seq_map.sequence_type.elem_type.map_type.value_type.tensor_type.elem_type = \
    TensorProto.FLOAT

# cls.onnx: scores = [x0, x1], labels 3 and 7, then a ZipMap.
g = helper.make_graph(
    [helper.make_node("LinearClassifier", ["x"], ["label", "scores"],
                      name="lc", domain="ai.onnx.ml",
                      coefficients=[1.0, 0.0, 0.0, 0.0, 1.0, 0.0],
                      intercepts=[0.0, 0.0],
                      classlabels_ints=[3, 7]),
     helper.make_node("ZipMap", ["scores"], ["probabilities"], name="zm",
                      domain="ai.onnx.ml", classlabels_int64s=[3, 7])],
    "cls",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 3])],
    [helper.make_tensor_value_info("label", TensorProto.INT64, ["N"]),
     helper.make_value_info("probabilities", seq_map)])
save(g, "cls.onnx", [ONNX, ML])

# two.onnx: s = a + b, two inputs of shape [2].
g = helper.make_graph(
    [helper.make_node("Add", ["a", "b"], ["s"], name="add")],
    "two",
    [helper.make_tensor_value_info("a", TensorProto.DOUBLE, [2]),
     helper.make_tensor_value_info("b", TensorProto.DOUBLE, [2])],
    [helper.make_tensor_value_info("s", TensorProto.DOUBLE, [2])])
save(g, "two.onnx", [ONNX])

# bad.onnx: an operator the evaluator does not have (not checked: the
# checker refuses unknown operators too).
g = helper.make_graph(
    [helper.make_node("Frobnicate", ["x"], ["y"], name="frob")],
    "bad",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 3])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 3])])
m = helper.make_model(g, opset_imports=[ONNX], producer_name="mk_models")
m.ir_version = 8
onnx.save(m, os.path.join(here, "bad.onnx"))
