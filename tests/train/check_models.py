#!/usr/bin/python3
"""check_models.py - TAP: every model denai-train makes passes onnx.checker,
and onnxruntime-node and denai-predict (the oracle's evaluator) give the
same label on every row (the same value within 1e-5 for a regressor, and
our on-chain value is round(our value * 10^6)).

  check_models.py --train BIN/denai-train --predict BIN/denai-predict
      --ort tests/onnx/ort_run.js --tmp DIR FIXTURE.csv:KIND...
"""
import argparse
import json
import os
import subprocess

import onnx

n = 0
failed = 0


def ok(cond, name):
    global n, failed
    n += 1
    print("%sok %d - %s" % ("" if cond else "not ", n, name))
    if not cond:
        failed += 1
    return cond


def rows_of(csv):
    with open(csv) as f:
        head = f.readline().strip().split(",")
        li = head.index("label")
        rows, labels = [], []
        for line in f:
            v = [float(x) for x in line.strip().split(",")]
            labels.append(v[li])
            rows.append(v[:li] + v[li + 1:])
    return rows, labels


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--train", required=True)
    ap.add_argument("--predict", required=True)
    ap.add_argument("--ort", required=True)
    ap.add_argument("--tmp", required=True)
    ap.add_argument("tasks", nargs="+")
    a = ap.parse_args()
    for task in a.tasks:
        csv, kind = task.split(":")
        name = os.path.basename(csv)[:-4]
        rows, labels = rows_of(csv)
        rows_text = "".join(json.dumps(r) + "\n" for r in rows)
        rows_file = os.path.join(a.tmp, name + ".rows")
        with open(rows_file, "w") as f:
            f.write(rows_text)
        for algo in ["gbt", "rf", "linear"]:
            tag = "%s %s" % (name, algo)
            model = os.path.join(a.tmp, "%s-%s.onnx" % (name, algo))
            p = subprocess.run([a.train, "--csv", csv, "--label", "label",
                                "--kind", kind, "--algo", algo,
                                "--trees", "30", "-o", model],
                               capture_output=True, text=True)
            if not ok(p.returncode == 0, "%s: trains" % tag):
                print("# " + p.stderr)
                continue
            try:
                onnx.checker.check_model(onnx.load(model), full_check=True)
                ok(True, "%s: onnx.checker accepts it" % tag)
            except Exception as e:  # noqa
                ok(False, "%s: onnx.checker accepts it" % tag)
                print("# %s" % e)
            dec = 6 if kind == "regression" else 0
            p = subprocess.run([a.predict, "--model", model, "--decimals",
                                str(dec)], input=rows_text,
                               capture_output=True, text=True)
            ours = [json.loads(l) for l in p.stdout.splitlines() if l]
            if not ok(len(ours) == len(rows) and
                      all(r.get("type") == "prediction" for r in ours),
                      "%s: denai-predict answers %d rows" % (tag, len(rows))):
                print("# " + (p.stdout + p.stderr)[-400:])
                continue
            p = subprocess.run(["node", a.ort, model], input=rows_text,
                               capture_output=True, text=True)
            ort = [json.loads(l) for l in p.stdout.splitlines() if l]
            if not ok(len(ort) == len(rows), "%s: onnxruntime answers" % tag):
                print("# " + p.stderr[-400:])
                continue
            bad = []
            for i, (o, r) in enumerate(zip(ours, ort)):
                if kind == "classification":
                    want = r["label"][0]
                    got = int(o["prediction"])
                    if got >= 2 ** 255:
                        got -= 2 ** 256
                    if got != want or o["outputs"]["label"][0] != want:
                        bad.append((i, got, want))
                else:
                    want = r["variable"][0]
                    got = o["outputs"]["variable"][0][0]
                    enc = int(o["prediction"])
                    if enc >= 2 ** 255:
                        enc -= 2 ** 256
                    if abs(got - want) > 1e-5 * max(1, abs(want)) or \
                            abs(enc - got * 1e6) > 1 + 1e-9 * abs(enc):
                        bad.append((i, got, want))
            ok(not bad, "%s: onnxruntime and denai-predict agree on all %d "
               "rows" % (tag, len(rows)))
            for b in bad[:5]:
                print("# row %d: ours %r, onnxruntime %r" % b)
            if kind == "classification":
                acc = sum(int(o["prediction"]) == int(y) for o, y in
                          zip(ours, labels)) / len(rows)
                ok(acc > 0.85, "%s: training accuracy %.3f" % (tag, acc))
    print("1..%d" % n)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
