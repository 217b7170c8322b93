#!/usr/bin/python3
"""ml_ops.py - the ai.onnx.ml kernels against onnxruntime-node, attribute
form by attribute form, printing TAP (driven by ml_ops.t).

usage: ml_ops.py --predict PATH/denai-predict --ort ort_run.js --tmp DIR

Small models written with onnx.helper cover what sklearn2onnx never
writes: every tree node mode (LEQ, LT, GTE, GT, EQ, NEQ) on inputs that hit
the thresholds exactly, the binary classifier forms (weights on class 1
only, all >= 0 or mixed; on class 0 only; on both), base_values of size 0,
1 and 2, every post transform, MIN/MAX/AVERAGE/SUM aggregation, several
targets, string class labels; LinearClassifier with one and several score
rows; SVMClassifier in SVC and linear mode with each kernel, with and
without probabilities; SVMRegressor (one_class too); Scaler, Normalizer,
Binarizer, Imputer, ArrayFeatureExtractor. Each model runs on 200 random
rows; labels must be equal on every row, floats within rtol 1e-3, atol 1e-5.
"""
import argparse
import json
import os
import subprocess
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

ML = "ai.onnx.ml"
N = 0
FAILED = 0
NF = 4


def ok(cond, name, *diag):
    global N, FAILED
    N += 1
    print("%sok %d - %s" % ("" if cond else "not ", N, name))
    if not cond:
        FAILED += 1
        for d in diag:
            for line in str(d).splitlines():
                print("#   " + line)
    sys.stdout.flush()
    return cond


def model(nodes, outputs, inits=(), nf=NF):
    g = helper.make_graph(
        nodes, "t", [helper.make_tensor_value_info("input", TensorProto.FLOAT,
                                                   ["N", nf])],
        [helper.make_tensor_value_info(n, t, ["N"] if n == "label" else
                                       ["N", None]) for n, t in outputs],
        initializer=list(inits))
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13),
                                            helper.make_opsetid(ML, 3)])
    m.ir_version = 8
    return m


def forest(rng, ntrees, depth, ncls, modes, ids_of_leaf):
    """Random trees on NF features, thresholds on the 0.5 grid."""
    a = dict(tree=[], node=[], feat=[], mode=[], val=[], t=[], f=[],
             wt=[], wn=[], wi=[], ww=[])
    for tid in range(ntrees):
        nid = [0]

        def grow(d):
            me = nid[0]
            nid[0] += 1
            a["tree"].append(tid)
            a["node"].append(me)
            pos = len(a["node"]) - 1
            if d == depth or (d > 0 and rng.rand() < 0.2):
                for k in ["feat", "val", "t", "f"]:
                    a[k].append(0)
                a["mode"].append("LEAF")
                for cid, w in ids_of_leaf(rng):
                    a["wt"].append(tid)
                    a["wn"].append(me)
                    a["wi"].append(cid)
                    a["ww"].append(float(np.float32(w)))
                return me
            a["feat"].append(int(rng.randint(NF)))
            a["mode"].append(modes[rng.randint(len(modes))])
            a["val"].append(float(rng.randint(-4, 5)) / 2)
            a["t"].append(0)
            a["f"].append(0)
            a["t"][pos] = grow(d + 1)
            a["f"][pos] = grow(d + 1)
            return me
        grow(0)
    return a


def tree_nodes(a):
    return dict(nodes_treeids=a["tree"], nodes_nodeids=a["node"],
                nodes_featureids=a["feat"], nodes_modes=a["mode"],
                nodes_values=a["val"], nodes_truenodeids=a["t"],
                nodes_falsenodeids=a["f"])


MODES = ["BRANCH_LEQ", "BRANCH_LT", "BRANCH_GTE", "BRANCH_GT", "BRANCH_EQ",
         "BRANCH_NEQ"]


def tree_classifier_cases(rng):
    out = []
    forms = {
        "class 1, weights >= 0": lambda r: [(1, r.rand())],
        "class 1, mixed weights": lambda r: [(1, r.rand() - 0.5)],
        "class 0 only": lambda r: [(0, r.rand() - 0.3)],
        "both classes": lambda r: [(0, r.rand()), (1, r.rand())],
        "both classes, mixed": lambda r: [(0, r.rand() - 0.5),
                                          (1, r.rand() - 0.5)],
    }
    for fname, leaf in forms.items():
        for nbase in (0, 1, 2):
            for post in ("NONE", "LOGISTIC", "SOFTMAX", "SOFTMAX_ZERO"):
                a = forest(rng, 3, 3, 2, MODES, leaf)
                attrs = tree_nodes(a)
                attrs.update(class_treeids=a["wt"], class_nodeids=a["wn"],
                             class_ids=a["wi"], class_weights=a["ww"],
                             classlabels_int64s=[3, 7], post_transform=post)
                if nbase:
                    attrs["base_values"] = list(rng.rand(nbase) - 0.5)
                out.append(("TreeEnsembleClassifier 2 classes, %s, %d base "
                            "values, %s" % (fname, nbase, post),
                            model([helper.make_node(
                                "TreeEnsembleClassifier", ["input"],
                                ["label", "probabilities"], domain=ML,
                                **attrs)],
                                [("label", TensorProto.INT64),
                                 ("probabilities", TensorProto.FLOAT)])))
    for fname in ("both classes", "class 1, mixed weights"):
        a = forest(rng, 3, 3, 2, MODES, forms[fname])
        attrs = tree_nodes(a)
        attrs.update(class_treeids=a["wt"], class_nodeids=a["wn"],
                     class_ids=a["wi"], class_weights=a["ww"],
                     classlabels_strings=["no", "yes"])
        out.append(("TreeEnsembleClassifier 2 string classes, %s" % fname,
                    model([helper.make_node(
                        "TreeEnsembleClassifier", ["input"],
                        ["label", "probabilities"], domain=ML, **attrs)],
                        [("label", TensorProto.STRING),
                         ("probabilities", TensorProto.FLOAT)])))
    for nbase in (0, 3):
        for post in ("NONE", "LOGISTIC", "SOFTMAX", "SOFTMAX_ZERO"):
            for strings in (False, True):
                a = forest(rng, 4, 3, 3, MODES,
                           lambda r: [(int(r.randint(3)), r.rand())])
                attrs = tree_nodes(a)
                attrs.update(class_treeids=a["wt"], class_nodeids=a["wn"],
                             class_ids=a["wi"], class_weights=a["ww"],
                             post_transform=post)
                if strings:
                    attrs["classlabels_strings"] = ["a", "b", "c"]
                else:
                    attrs["classlabels_int64s"] = [0, 1, 2]
                if nbase:
                    attrs["base_values"] = list(rng.rand(nbase))
                out.append(("TreeEnsembleClassifier 3 classes%s, %d base "
                            "values, %s" % (" (strings)" if strings else "",
                                            nbase, post),
                            model([helper.make_node(
                                "TreeEnsembleClassifier", ["input"],
                                ["label", "probabilities"], domain=ML,
                                **attrs)],
                                [("label", TensorProto.STRING if strings
                                  else TensorProto.INT64),
                                 ("probabilities", TensorProto.FLOAT)])))
    return out


def tree_regressor_cases(rng):
    out = []
    for nt in (1, 3):
        for agg in ("SUM", "AVERAGE", "MIN", "MAX"):
            for base in (False, True):
                posts = ("NONE", "PROBIT") if nt == 1 else \
                    ("NONE", "SOFTMAX", "LOGISTIC", "SOFTMAX_ZERO")
                for post in posts:
                    # PROBIT wants sums in (0, 1): small positive weights
                    lo, hi = (0.01, 0.2) if post == "PROBIT" else (-2, 2)
                    a = forest(rng, 4, 3, nt, MODES, lambda r: [
                        (k, lo + r.rand() * (hi - lo)) for k in range(nt)
                        if nt == 1 or r.rand() < 0.7])
                    attrs = tree_nodes(a)
                    attrs.update(target_treeids=a["wt"],
                                 target_nodeids=a["wn"], target_ids=a["wi"],
                                 target_weights=a["ww"], n_targets=nt,
                                 aggregate_function=agg,
                                 post_transform=post)
                    if base:
                        attrs["base_values"] = list(rng.rand(nt) * (
                            0.1 if post == "PROBIT" else 1))
                    out.append(("TreeEnsembleRegressor %d targets, %s%s, %s"
                                % (nt, agg, ", base values" if base else "",
                                   post),
                                model([helper.make_node(
                                    "TreeEnsembleRegressor", ["input"],
                                    ["variable"], domain=ML, **attrs)],
                                    [("variable", TensorProto.FLOAT)])))
    return out


def linear_cases(rng):
    out = []
    for rows, labels, post in [(1, [4, 9], "NONE"), (1, [4, 9], "LOGISTIC"),
                               (1, [4, 9], "SOFTMAX"),
                               (2, [0, 1], "LOGISTIC"), (3, [5, 6, 7], "NONE"),
                               (3, [5, 6, 7], "SOFTMAX"),
                               (3, [5, 6, 7], "LOGISTIC"),
                               (3, [5, 6, 7], "SOFTMAX_ZERO")]:
        out.append(("LinearClassifier %d rows, %s" % (rows, post), model(
            [helper.make_node("LinearClassifier", ["input"],
                              ["label", "probabilities"], domain=ML,
                              coefficients=list(rng.randn(rows * NF)),
                              intercepts=list(rng.randn(rows)),
                              classlabels_ints=labels, post_transform=post)],
            [("label", TensorProto.INT64),
             ("probabilities", TensorProto.FLOAT)])))
    for t in (1, 2):
        out.append(("LinearRegressor %d targets" % t, model(
            [helper.make_node("LinearRegressor", ["input"], ["variable"],
                              domain=ML, coefficients=list(rng.randn(t * NF)),
                              intercepts=list(rng.randn(t)), targets=t)],
            [("variable", TensorProto.FLOAT)])))
    return out


def svm_cases(rng):
    out = []
    for kernel in ("LINEAR", "RBF", "POLY", "SIGMOID"):
        for nc in (2, 3):
            for proba in (False, True):
                for post in (("NONE", "LOGISTIC", "SOFTMAX") if not proba
                             else ("NONE", "LOGISTIC")):
                    vpc = [int(v) for v in rng.randint(1, 4, nc)]
                    nv = sum(vpc)
                    npair = nc * (nc - 1) // 2
                    attrs = dict(
                        kernel_type=kernel,
                        kernel_params=[0.3, 0.5, 2.0],
                        vectors_per_class=vpc,
                        support_vectors=list(rng.randn(nv * NF)),
                        coefficients=list(rng.randn((nc - 1) * nv)),
                        rho=list(rng.randn(npair) * 0.3),
                        classlabels_ints=list(range(nc)),
                        post_transform=post)
                    if proba:
                        attrs["prob_a"] = list(-rng.rand(npair) * 3)
                        attrs["prob_b"] = list(rng.randn(npair) * 0.1)
                    out.append(("SVMClassifier %s, %d classes%s, %s" % (
                        kernel, nc, ", probabilities" if proba else "", post),
                        model([helper.make_node(
                            "SVMClassifier", ["input"],
                            ["label", "probabilities"], domain=ML, **attrs)],
                            [("label", TensorProto.INT64),
                             ("probabilities", TensorProto.FLOAT)])))
    for nc in (2, 3):
        out.append(("SVMClassifier linear mode, %d classes" % nc, model(
            [helper.make_node("SVMClassifier", ["input"],
                              ["label", "probabilities"], domain=ML,
                              coefficients=list(rng.randn(nc * NF)),
                              kernel_params=[0.0, 0.0, 0.0], rho=[0.2],
                              classlabels_ints=list(range(nc)))],
            [("label", TensorProto.INT64),
             ("probabilities", TensorProto.FLOAT)])))
    for kernel in ("RBF", "LINEAR", "POLY"):
        for one in (0, 1):
            nv = 5
            out.append(("SVMRegressor %s%s" % (kernel,
                                               ", one_class" if one else ""),
                        model([helper.make_node(
                            "SVMRegressor", ["input"], ["variable"],
                            domain=ML, kernel_type=kernel,
                            kernel_params=[0.2, 0.1, 3.0], n_supports=nv,
                            support_vectors=list(rng.randn(nv * NF)),
                            coefficients=list(rng.randn(nv)), rho=[0.3],
                            one_class=one)],
                            [("variable", TensorProto.FLOAT)])))
    out.append(("SVMRegressor linear mode", model(
        [helper.make_node("SVMRegressor", ["input"], ["variable"], domain=ML,
                          coefficients=list(rng.randn(NF)), rho=[0.3],
                          kernel_params=[0.0, 0.0, 0.0])],
        [("variable", TensorProto.FLOAT)])))
    return out


def prep_cases(rng):
    out = []
    for k in (1, NF):
        out.append(("Scaler %d values" % k, model(
            [helper.make_node("Scaler", ["input"], ["variable"], domain=ML,
                              offset=list(rng.randn(k)),
                              scale=list(rng.rand(k) + 0.5))],
            [("variable", TensorProto.FLOAT)])))
    for norm in ("MAX", "L1", "L2"):
        # shifted so that no row is all zeros (0/0 has no answer)
        out.append(("Normalizer %s" % norm, model(
            [helper.make_node("Add", ["input", "ten"], ["pos"]),
             helper.make_node("Normalizer", ["pos"], ["variable"],
                              domain=ML, norm=norm)],
            [("variable", TensorProto.FLOAT)],
            [numpy_helper.from_array(np.array([10.0], np.float32),
                                     "ten")])))
    out.append(("Binarizer", model(
        [helper.make_node("Binarizer", ["input"], ["variable"], domain=ML,
                          threshold=0.5)], [("variable", TensorProto.FLOAT)])))
    out.append(("Imputer", model(
        [helper.make_node("Imputer", ["input"], ["variable"], domain=ML,
                          imputed_value_floats=[9.0, 8.0, 7.0, 6.0],
                          replaced_value_float=0.5)],
        [("variable", TensorProto.FLOAT)])))
    out.append(("ArrayFeatureExtractor", model(
        [helper.make_node("ArrayFeatureExtractor", ["input", "idx"],
                          ["variable"], domain=ML)],
        [("variable", TensorProto.FLOAT)],
        [numpy_helper.from_array(np.array([3, 0, 3], np.int64), "idx")])))
    return out


def rows(rng, n=200):
    return (rng.randint(-5, 6, (n, NF)) / 2.0 +
            (rng.rand(n, NF) < 0.3) * rng.randn(n, NF) * 0.1)


def compare(name, ours, ref):
    for key in ref[0]:
        a = [o.get(key) for o in ours]
        b = [r[key] for r in ref]
        if key == "label":
            a = [x[0] if isinstance(x, list) else x for x in a]
            b = [x[0] for x in b]
            bad = [i for i in range(len(b)) if a[i] != b[i]]
            ok(not bad, "%s: label equals onnxruntime's on every row" % name,
               ["row %d: %r vs %r" % (i, a[i], b[i]) for i in bad[:5]])
            continue
        try:
            fa = np.array([np.ravel(np.asarray(x, np.float64)) for x in a])
            fb = np.array([np.asarray(x, np.float64) for x in b])
        except (TypeError, ValueError) as e:
            ok(False, "%s: %s comparable" % (name, key), e, a[:2], b[:2])
            continue
        if fa.shape != fb.shape:
            ok(False, "%s: %s shape" % (name, key), fa.shape, fb.shape)
            continue
        d = np.abs(fa - fb)
        bad = ~(d <= 1e-5 + 1e-3 * np.abs(fb))
        i = int(np.argmax(bad.any(axis=1))) if bad.any() else 0
        ok(not bad.any(), "%s: %s equals onnxruntime's" % (name, key),
           "row %d: %s vs %s" % (i, fa[i], fb[i]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--predict", required=True)
    ap.add_argument("--ort", required=True)
    ap.add_argument("--tmp", required=True)
    ap.add_argument("--only", default="")
    a = ap.parse_args()
    rng = np.random.RandomState(20261125)
    X = rows(rng)
    text = "".join(json.dumps([float(v) for v in r]) + "\n" for r in X)
    cases = (tree_classifier_cases(rng) + tree_regressor_cases(rng) +
             linear_cases(rng) + svm_cases(rng) + prep_cases(rng))
    todo = []
    for i, (name, m) in enumerate(cases):
        if a.only not in name:
            continue
        onnx.checker.check_model(m)
        path = os.path.join(a.tmp, "m%d.onnx" % i)
        with open(path, "wb") as f:
            f.write(m.SerializeToString())
        todo.append((name, path))
    rpath = os.path.join(a.tmp, "rows.ndjson")
    with open(rpath, "w") as f:
        f.write(text)
    q = subprocess.run(["node", a.ort, "--rows", rpath] +
                       [p for _, p in todo], capture_output=True, text=True)
    refs = {}
    for line in q.stdout.splitlines():
        r = json.loads(line)
        refs[r["model"]] = r
    ok(q.returncode == 0 and len(refs) == len(todo),
       "onnxruntime runs all %d models" % len(todo), q.stderr[-1500:])
    for name, path in todo:
        p = subprocess.run([a.predict, "--model", path], input=text,
                           capture_output=True, text=True)
        ours = [json.loads(line) for line in p.stdout.splitlines() if line]
        if not ok(p.returncode == 0 and len(ours) == len(X) and
                  all(r.get("type") == "prediction" for r in ours),
                  "%s: denai-predict answers every row" % name,
                  p.stderr[-1500:], ours[:1]):
            continue
        r = refs.get(path, {"error": "no answer"})
        if not ok("rows" in r and len(r["rows"]) == len(X),
                  "%s: onnxruntime answers every row" % name,
                  r.get("error")):
            continue
        compare(name, [o["outputs"] for o in ours], r["rows"])
    print("1..%d" % N)
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
