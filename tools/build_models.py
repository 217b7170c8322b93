#!/usr/bin/python3
"""build_models.py - train the example models on sklearn's bundled datasets
and export them to ONNX (make models).

usage: build_models.py [--models DIR] [--data DIR] [--pickles DIR]

Writes DIR/<name>.onnx, DIR/models.json (the manifest: file, sha256,
decimals, description, input count, and sklearn's prediction for each
example data point), the example data points (<data>/<name>_<i>.json, each
one JSON array), and the pickled sklearn models (<pickles>/<name>.pkl, not
committed: the benchmark's Python peer and the tests load them). Training
is seeded, so a rebuild with the same sklearn gives the same files.
"""
import argparse
import hashlib
import json
import os
import sys

import joblib
import numpy as np
from sklearn.datasets import load_breast_cancer, load_diabetes
from sklearn.ensemble import GradientBoostingRegressor, RandomForestClassifier
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

sys.path.insert(0, os.path.dirname(os.path.realpath(__file__)))
import sklearn2onnx  # noqa: E402

EXAMPLE_ROWS = [0, 1, 19, 100, 300]


def models():
    """(name, dataset loader, estimator, decimals, description)"""
    return [
        ("breast_cancer", load_breast_cancer,
         RandomForestClassifier(n_estimators=100, max_depth=6,
                                random_state=1),
         0, "Breast cancer (Wisconsin): RandomForestClassifier, 100 trees of "
            "depth <= 6, 30 features; predicts 0 (malignant) or 1 (benign)"),
        ("diabetes", load_diabetes,
         GradientBoostingRegressor(n_estimators=100, max_depth=3,
                                   random_state=1),
         0, "Diabetes: GradientBoostingRegressor, 100 trees of depth 3, 10 "
            "features; predicts disease progression after one year"),
        ("mlp_breast_cancer", load_breast_cancer,
         Pipeline([("scale", StandardScaler()),
                   ("mlp", MLPClassifier(hidden_layer_sizes=(32, 16),
                                         max_iter=2000, random_state=1))]),
         0, "Breast cancer: StandardScaler and an MLPClassifier (30-32-16-2, "
            "ReLU); predicts 0 (malignant) or 1 (benign)"),
    ]


def on_chain(value, decimals):
    """The uint256 prediction as a decimal string: value * 10^decimals
    rounded half away from zero (exactly, as denai-predict does), negatives
    as two's complement."""
    from fractions import Fraction
    x = Fraction(float(value)) * 10 ** decimals
    v = int(abs(x) + Fraction(1, 2))
    if x < 0:
        v = -v
    return str(v % (1 << 256))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", default="examples/models")
    ap.add_argument("--data", default="examples/data")
    ap.add_argument("--pickles", default="build/models")
    a = ap.parse_args()
    for d in (a.models, a.data, a.pickles):
        os.makedirs(d, exist_ok=True)
    manifest = []
    for name, load, est, decimals, desc in models():
        X, y = load(return_X_y=True)
        est.fit(X, y)
        joblib.dump(est, os.path.join(a.pickles, name + ".pkl"))
        proto = sklearn2onnx.convert(est, name=name, doc=desc)
        path = os.path.join(a.models, name + ".onnx")
        sklearn2onnx.save(proto, path)
        with open(path, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        classifier = sklearn2onnx.is_classifier(est)
        examples = []
        for i, r in enumerate(EXAMPLE_ROWS):
            row = [float(v) for v in X[r]]
            dpath = os.path.join(a.data, "%s_%d.json" % (name, i))
            with open(dpath, "w") as f:
                f.write(json.dumps(row) + "\n")
            pred = est.predict(X[r:r + 1])[0]
            ex = {"file": os.path.relpath(dpath, a.models), "row": r}
            if classifier:
                ex["label"] = int(pred)
                ex["prediction"] = str(int(pred))
                ex["probabilities"] = [
                    round(float(p), 6) for p in est.predict_proba(
                        X[r:r + 1])[0]]
            else:
                ex["value"] = float(pred)
                ex["prediction"] = on_chain(pred, decimals)
            examples.append(ex)
        manifest.append({
            "name": name, "file": name + ".onnx", "sha256": digest,
            "decimals": decimals, "description": desc,
            "inputs": int(X.shape[1]),
            "kind": "classifier" if classifier else "regressor",
            "dataset": load.__name__.replace("load_", ""),
            "bytes": os.path.getsize(path),
            "examples": examples,
        })
    with open(os.path.join(a.models, "models.json"), "w") as f:
        json.dump({"sklearn": __import__("sklearn").__version__,
                   "models": manifest}, f, indent=1)
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
