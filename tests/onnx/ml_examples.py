#!/usr/bin/python3
"""ml_examples.py - the committed example models (examples/models) against
onnxruntime-node and sklearn, printing TAP (driven by ml_examples.t).

usage: ml_examples.py --predict PATH/denai-predict --ort ort_run.js --tmp DIR

For each model in examples/models/models.json:
- the file's sha256 is the manifest's;
- each example data point, sent as a pipeline request record, gets the
  manifest's prediction (sklearn's, computed when the model was built);
- on every row of its dataset, denai-predict gives onnxruntime's label and
  scores (rtol 1e-3, atol 1e-5) or value (rtol 1e-4, atol 1e-4);
- retrained here from the same seed (tools/build_models.py into DIR), the
  model must export to the same bytes; then sklearn's own predictions are
  compared on every row (labels equal; values within 1e-3 + 1e-4|v|, and
  the on-chain rounding equal except where sklearn's value is within 1e-3
  of a .5 boundary);
- three runs of denai-predict over all rows print identical bytes.
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.realpath(__file__))
TOP = os.path.realpath(os.path.join(HERE, "..", ".."))
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


def on_chain(value, decimals):
    """round(value * 10^decimals), half away from zero, exactly; as a
    uint256 (two's complement) decimal string."""
    from fractions import Fraction
    x = Fraction(float(value)) * 10 ** decimals
    v = int(abs(x) + Fraction(1, 2))
    return str((-v if x < 0 else v) % (1 << 256))


def rows_text(X):
    return "".join(json.dumps([float(v) for v in r]) + "\n" for r in X)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--predict", required=True)
    ap.add_argument("--ort", required=True)
    ap.add_argument("--tmp", required=True)
    a = ap.parse_args()
    mdir = os.path.join(TOP, "examples", "models")
    with open(os.path.join(mdir, "models.json")) as f:
        manifest = json.load(f)
    import sklearn
    import joblib
    from sklearn import datasets
    rebuilt = os.path.join(a.tmp, "rebuilt")
    p = subprocess.run(["/usr/bin/python3",
                        os.path.join(TOP, "tools", "build_models.py"),
                        "--models", rebuilt, "--data",
                        os.path.join(a.tmp, "data"), "--pickles", rebuilt],
                       capture_output=True, text=True)
    ok(p.returncode == 0, "build_models.py retrains the examples",
       p.stderr[-2000:])
    for m in manifest["models"]:
        name, path = m["name"], os.path.join(mdir, m["file"])
        with open(path, "rb") as f:
            blob = f.read()
        ok(hashlib.sha256(blob).hexdigest() == m["sha256"],
           "%s: sha256 is the manifest's" % name)
        ok(len(blob) < 1 << 20, "%s: under 1 MiB (%d bytes)" %
           (name, len(blob)))
        # the example data points, as pipeline request records
        recs = ""
        for i, ex in enumerate(m["examples"]):
            with open(os.path.join(mdir, ex["file"])) as f:
                point = json.load(f)
            ok(len(point) == m["inputs"], "%s: example %d has %d numbers" %
               (name, i, m["inputs"]))
            recs += json.dumps({"type": "request", "request_id": str(i + 1),
                                "model_id": "1", "data": point,
                                "model_path": path}) + "\n"
        p = subprocess.run([a.predict, "--decimals", str(m["decimals"])],
                           input=recs, capture_output=True, text=True)
        got = [json.loads(line) for line in p.stdout.splitlines() if line]
        ok(len(got) == len(m["examples"]) and
           [g.get("prediction") for g in got] ==
           [ex["prediction"] for ex in m["examples"]],
           "%s: example requests get sklearn's predictions %s" %
           (name, [ex["prediction"] for ex in m["examples"]]),
           p.stderr[-1000:], [g.get("prediction") or g for g in got])
        # every row of the dataset
        X, y = getattr(datasets, "load_" + m["dataset"])(return_X_y=True)
        text = rows_text(X)
        outs = []
        for _ in range(3):
            p = subprocess.run([a.predict, "--model", path, "--decimals",
                                str(m["decimals"])], input=text,
                               capture_output=True, text=True)
            outs.append(p.stdout)
        ok(p.returncode == 0 and outs[0] == outs[1] == outs[2] and
           len(outs[0].splitlines()) == len(X),
           "%s: three runs over %d rows print identical bytes" %
           (name, len(X)), p.stderr[-1000:])
        ours = [json.loads(line)["outputs"] for line in outs[0].splitlines()]
        pred = [json.loads(line)["prediction"] for line in
                outs[0].splitlines()]
        p = subprocess.run(["node", a.ort, path], input=text,
                           capture_output=True, text=True)
        ref = [json.loads(line) for line in p.stdout.splitlines() if line]
        if not ok(p.returncode == 0 and len(ref) == len(X),
                  "%s: onnxruntime answers every row" % name,
                  p.stderr[-1000:]):
            continue
        classifier = m["kind"] == "classifier"
        if classifier:
            lab = np.array([o["label"][0] for o in ours])
            rlab = np.array([r["label"][0] for r in ref])
            ok((lab == rlab).all(), "%s: label equals onnxruntime's on "
               "all %d rows" % (name, len(X)),
               np.nonzero(lab != rlab)[0][:10])
            a1 = np.array([np.ravel(o["probabilities"]) for o in ours])
            b1 = np.array([r["probabilities"] for r in ref])
            d = np.abs(a1 - b1)
            ok((d <= 1e-5 + 1e-3 * np.abs(b1)).all(),
               "%s: probabilities equal onnxruntime's (max |d| %.3g)" %
               (name, d.max()))
        else:
            v = np.array([np.ravel(o["variable"])[0] for o in ours])
            rv = np.array([r["variable"][0] for r in ref])
            d = np.abs(v - rv)
            ok((d <= 1e-4 + 1e-4 * np.abs(rv)).all(),
               "%s: values equal onnxruntime's (max |d| %.3g)" %
               (name, d.max()))
        pkl = os.path.join(rebuilt, name + ".pkl")
        with open(os.path.join(rebuilt, m["file"]), "rb") as f:
            same = hashlib.sha256(f.read()).hexdigest() == m["sha256"]
        if not ok(same, "%s: retrained with sklearn %s, exports the same "
                  "bytes" % (name, sklearn.__version__)):
            continue
        est = joblib.load(pkl)
        sk = est.predict(X)
        if classifier:
            ok((lab == sk).all(), "%s: label equals sklearn's on all %d "
               "rows" % (name, len(X)), np.nonzero(lab != sk)[0][:10])
        else:
            d = np.abs(v - sk)
            ok((d <= 1e-3 + 1e-4 * np.abs(sk)).all(),
               "%s: values near sklearn's (max |d| %.3g)" % (name, d.max()))
            scale = 10 ** m["decimals"]
            frac = np.abs(sk * scale - np.floor(sk * scale) - 0.5)
            want = [on_chain(x, m["decimals"]) for x in sk]
            bad = [i for i in range(len(X)) if pred[i] != want[i] and
                   frac[i] > 1e-3]
            ok(not bad, "%s: on-chain values equal sklearn's rounded "
               "(rows off a .5 boundary)" % name, bad[:10])
    print("1..%d" % N)
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
