#!/usr/bin/python3
"""ml_check.py - the exporter and the ai.onnx.ml kernels against sklearn and
onnxruntime, printing TAP (driven by tests/onnx/ml_sklearn.t).

usage: ml_check.py --predict PATH/denai-predict --ort tests/onnx/ort_run.js
                   --tmp DIR [--only SUBSTRING]

For each exporter model type: fit on a bundled dataset, convert with
tools/sklearn2onnx.py, evaluate every row with denai-predict (one record
per row), with onnxruntime-node, and with sklearn, and check:
- classifiers: our label equals sklearn's and onnxruntime's on every row,
  and our probabilities equal onnxruntime's within rtol 1e-3, atol 1e-5;
- regressors: ours within atol 1e-3 + rtol 1e-4 of sklearn's (float32
  arithmetic against sklearn's float64) and within rtol 1e-4, atol 1e-4 of
  onnxruntime's.
The tree cases also run on a noisy copy of the data, where forests of
fully grown trees split their votes evenly: those exact ties must give
sklearn's label (the first class).
"""
import argparse
import json
import os
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.realpath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools"))
import sklearn2onnx  # noqa: E402

from sklearn import datasets  # noqa: E402
from sklearn.ensemble import (GradientBoostingClassifier,  # noqa: E402
                              GradientBoostingRegressor,
                              RandomForestClassifier, RandomForestRegressor)
from sklearn.linear_model import (LinearRegression,  # noqa: E402
                                  LogisticRegression, Ridge)
from sklearn.neural_network import MLPClassifier, MLPRegressor  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import MinMaxScaler, StandardScaler  # noqa: E402
from sklearn.svm import SVC, SVR  # noqa: E402
from sklearn.tree import (DecisionTreeClassifier,  # noqa: E402
                          DecisionTreeRegressor)

import warnings  # noqa: E402
warnings.filterwarnings("ignore")

N = 0
FAILED = 0


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


def data(name):
    if name.endswith(" names"):
        d = getattr(datasets, "load_" + name.split()[0])()
        return d.data, np.asarray(d.target_names)[d.target]
    return getattr(datasets, "load_" + name)(return_X_y=True)


def noisy(X, seed=7):
    rng = np.random.RandomState(seed)
    return np.vstack([X, X + rng.normal(0, 0.5, X.shape) * X.std(axis=0)])


def S(*steps):
    return make_pipeline(*steps)


def cases():
    """(name, dataset, estimator, options, noisy rows, expect ties)"""
    rf = dict(n_estimators=10, random_state=0)
    return [
        ("logreg binary", "breast_cancer",
         S(StandardScaler(), LogisticRegression(max_iter=1000)), {}, 0, 0),
        ("logreg multinomial", "iris", LogisticRegression(max_iter=1000),
         {}, 0, 0),
        ("logreg multinomial binary", "breast_cancer",
         S(StandardScaler(), LogisticRegression(multi_class="multinomial",
                                                max_iter=1000)), {}, 0, 0),
        ("logreg ovr liblinear", "iris",
         LogisticRegression(solver="liblinear"), {}, 0, 0),
        ("logreg, string labels", "iris names",
         LogisticRegression(max_iter=1000), {}, 0, 0),
        ("random forest, string labels, zipmap", "iris names",
         RandomForestClassifier(n_estimators=6, random_state=0),
         {"zipmap": True}, 1, 1),
        ("svc, string labels", "wine names", S(StandardScaler(), SVC()),
         {}, 0, 0),
        ("mlp, string labels", "iris names",
         MLPClassifier((8,), max_iter=2000, random_state=0), {}, 0, 0),
        ("minmax + logreg", "wine",
         S(MinMaxScaler(), LogisticRegression(max_iter=1000)), {}, 0, 0),
        ("decision tree binary", "breast_cancer",
         DecisionTreeClassifier(random_state=0), {}, 1, 0),
        ("decision tree multiclass", "iris",
         DecisionTreeClassifier(random_state=0), {}, 1, 0),
        ("random forest binary (margin form)", "breast_cancer",
         RandomForestClassifier(**rf), {}, 1, 1),
        ("random forest binary, depth 4", "breast_cancer",
         RandomForestClassifier(n_estimators=20, max_depth=4,
                                random_state=0), {}, 1, 0),
        ("random forest binary (proba1 form)", "breast_cancer",
         RandomForestClassifier(**rf), {"tree_form": "proba1"}, 1, -1),
        ("random forest binary (proba2 form)", "breast_cancer",
         RandomForestClassifier(**rf), {"tree_form": "proba2"}, 1, -1),
        ("random forest multiclass", "iris",
         RandomForestClassifier(n_estimators=6, random_state=0), {}, 1, 1),
        ("gradient boosting binary", "breast_cancer",
         GradientBoostingClassifier(n_estimators=30, random_state=0), {},
         1, 0),
        ("gradient boosting binary, exponential loss", "breast_cancer",
         GradientBoostingClassifier(n_estimators=30, loss="exponential",
                                    random_state=0), {}, 1, 0),
        ("gradient boosting multiclass", "iris",
         GradientBoostingClassifier(n_estimators=20, random_state=0), {},
         1, 0),
        ("svc rbf binary", "breast_cancer", S(StandardScaler(), SVC()), {},
         0, 0),
        ("svc linear multiclass", "iris", SVC(kernel="linear"), {}, 0, 0),
        ("svc rbf probability", "wine",
         S(StandardScaler(), SVC(probability=True, random_state=0)), {},
         0, 0),
        ("mlp binary relu", "breast_cancer",
         S(StandardScaler(), MLPClassifier((16,), max_iter=1000,
                                           random_state=0)), {}, 0, 0),
        ("mlp multiclass tanh", "iris",
         MLPClassifier((8, 8), activation="tanh", max_iter=2000,
                       random_state=0), {}, 0, 0),
        ("mlp multiclass logistic, zipmap", "wine",
         S(StandardScaler(), MLPClassifier((10,), activation="logistic",
                                           max_iter=2000, random_state=0)),
         {"zipmap": True}, 0, 0),
        ("linear regression", "diabetes", LinearRegression(), {}, 0, 0),
        ("ridge", "diabetes", Ridge(alpha=0.5), {}, 0, 0),
        ("decision tree regressor", "diabetes",
         DecisionTreeRegressor(max_depth=6, random_state=0), {}, 1, 0),
        ("random forest regressor", "diabetes",
         RandomForestRegressor(n_estimators=20, max_depth=6,
                               random_state=0), {}, 1, 0),
        ("gradient boosting regressor", "diabetes",
         GradientBoostingRegressor(n_estimators=50, random_state=0), {},
         1, 0),
        ("svr rbf", "diabetes", S(StandardScaler(), SVR(C=50)), {}, 0, 0),
        ("svr linear", "diabetes", SVR(kernel="linear", C=100), {}, 0, 0),
        ("mlp regressor", "diabetes",
         S(StandardScaler(), MLPRegressor((16,), max_iter=3000,
                                          random_state=0)), {}, 0, 0),
        ("standard scaler alone", "wine", StandardScaler(), {}, 0, 0),
    ]


def rows_text(X):
    return "".join(json.dumps([float(v) for v in r]) + "\n" for r in X)


def run_ours(predict, model, X):
    p = subprocess.run([predict, "--model", model], input=rows_text(X),
                       capture_output=True, text=True)
    recs = [json.loads(line) for line in p.stdout.splitlines() if line]
    return p, recs


def run_ort(ort, model, X):
    p = subprocess.run(["node", ort, model], input=rows_text(X),
                       capture_output=True, text=True)
    return p, [json.loads(line) for line in p.stdout.splitlines() if line]


def flat(v):
    return np.asarray(v, dtype=np.float64).ravel()


def zip_values(v):
    """A ZipMap row ([{label: p}, ...] or {label: p}) as probabilities."""
    if isinstance(v, list) and len(v) == 1:
        v = v[0]
    if isinstance(v, dict):
        return np.array(list(v.values()))
    return flat(v)


def close(a, b, rtol, atol):
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    if a.shape != b.shape:
        return False, "shapes %s and %s" % (a.shape, b.shape)
    d = np.abs(a - b)
    bad = d > atol + rtol * np.abs(b)
    if bad.any():
        i = int(np.argmax(bad.ravel()))
        return False, "first difference at %d: %r vs %r (max |d| %g)" % (
            i, a.ravel()[i], b.ravel()[i], d.max())
    return True, "max |d| %g" % (d.max() if d.size else 0)


def check_case(a, name, dset, est, opts, use_noise, ties):
    X, y = data(dset)
    est.fit(X, y)
    Xe = noisy(X) if use_noise else X
    Xe = Xe.astype(np.float32).astype(np.float64)
    model = os.path.join(a.tmp, name.replace(" ", "_").replace(",", "")
                         .replace("(", "").replace(")", "") + ".onnx")
    try:
        proto = sklearn2onnx.convert(est, name="t", **opts)
        sklearn2onnx.save(proto, model)
    except Exception as e:  # noqa: BLE001
        ok(False, "%s: exports" % name, e)
        return
    ours_p, ours = run_ours(a.predict, model, Xe)
    if not ok(ours_p.returncode == 0 and len(ours) == len(Xe) and
              all(r.get("type") == "prediction" for r in ours),
              "%s: denai-predict answers all %d rows" % (name, len(Xe)),
              ours_p.stderr[-2000:], ours[:2]):
        return
    ort_model = model
    if opts.get("zipmap"):
        # onnxruntime-node returns no sequence-of-map outputs: give it the
        # same model without the ZipMap.
        ort_model = model[:-5] + "_nozip.onnx"
        sklearn2onnx.save(sklearn2onnx.convert(est, name="t", **dict(
            opts, zipmap=False)), ort_model)
    ort_p, ref = run_ort(a.ort, ort_model, Xe)
    if not ok(ort_p.returncode == 0 and len(ref) == len(Xe),
              "%s: onnxruntime answers all rows" % name, ort_p.stderr[-2000:]):
        return
    o = [r["outputs"] for r in ours]
    classifier = "label" in o[0]
    if classifier:
        conv = str if isinstance(o[0]["label"][0], str) else int
        lab = np.array([conv(r["label"][0]) for r in o])
        rlab = np.array([conv(r["label"][0]) for r in ref])
        bad = np.nonzero(lab != rlab)[0]
        ok(len(bad) == 0, "%s: label equals onnxruntime's on every row" %
           name, "rows %s: ours %s, onnxruntime %s" % (
               bad[:10], lab[bad[:10]], rlab[bad[:10]]))
        pkey = "output_probability" if opts.get("zipmap") else \
            "probabilities"
        mine = np.array([zip_values(r[pkey]) if opts.get("zipmap")
                         else flat(r[pkey]) for r in o])
        if opts.get("zipmap"):
            ok(all(isinstance(r[pkey], list) and
                   isinstance(r[pkey][0], dict) for r in o),
               "%s: zipmap output is a list of label maps" % name, o[0])
        theirs = np.array([flat(r["probabilities"]) for r in ref])
        c, msg = close(mine, theirs, 1e-3, 1e-5)
        ok(c, "%s: scores equal onnxruntime's (rtol 1e-3, atol 1e-5)"
           % name, msg)
        skl = est.predict(Xe)
        if ties >= 0:
            bad = np.nonzero(lab != skl)[0]
            ok(len(bad) == 0, "%s: label equals sklearn's on every row" %
               name, "rows %s: ours %s, sklearn %s" % (
                   bad[:10], lab[bad[:10]], skl[bad[:10]]))
            pred = np.array([int(r["prediction"]) for r in ours])
            if conv is str:
                names = list(est.classes_)
                ok((pred == np.array([names.index(v) for v in lab])).all(),
                   "%s: prediction is the label's index" % name)
            else:
                ok((pred == lab).all(), "%s: prediction is the label" % name)
        if hasattr(est, "predict_proba") and ties >= 0 and \
                not isinstance(est[-1] if hasattr(est, "steps") else est,
                               SVC):
            sp = est.predict_proba(Xe)
            c, msg = close(mine, sp, 1e-3, 1e-4)
            ok(c, "%s: probabilities near sklearn's (rtol 1e-3, atol "
               "1e-4)" % name, msg)
            nt = int((np.sort(sp, axis=1)[:, -1] ==
                      np.sort(sp, axis=1)[:, -2]).sum())
            if ties > 0:
                ok(nt > 0, "%s: the data has exact ties (%d rows)" %
                   (name, nt))
    else:
        key = "variable"
        mine = np.array([flat(r[key]) for r in o])
        theirs = np.array([flat(r[key]) for r in ref])
        c, msg = close(mine, theirs, 1e-4, 1e-4)
        ok(c, "%s: values equal onnxruntime's (rtol 1e-4, atol 1e-4)" %
           name, msg)
        if hasattr(est, "predict"):
            skl = np.asarray(est.predict(Xe), np.float64).reshape(
                mine.shape)
        else:
            skl = est.transform(Xe).reshape(mine.shape)
        c, msg = close(mine, skl, 1e-4, 1e-3)
        ok(c, "%s: values near sklearn's (atol 1e-3, rtol 1e-4)" % name,
           msg)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--predict", required=True)
    ap.add_argument("--ort", required=True)
    ap.add_argument("--tmp", required=True)
    ap.add_argument("--only", default="")
    a = ap.parse_args()
    for c in cases():
        if a.only in c[0]:
            check_case(a, *c)
    print("1..%d" % N)
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
