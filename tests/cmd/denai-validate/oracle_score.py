#!/usr/bin/python3
"""oracle_score.py CSV LABEL KIND DECIMALS MODEL - the task score computed
another way: each row sent to denai-predict as the JSON data point a
prediction request carries (the fields' own texts), the score summed with
Python's integers and the label scaled with decimal.Decimal."""
import json, subprocess, sys
from decimal import Decimal, ROUND_HALF_UP

path, label, kind, dec, model = sys.argv[1:6]
kind, dec = int(kind), int(dec)
lines = open(path).read().splitlines()
head = lines[0].split(',')
li = head.index(label)
points, targets = [], []
for ln in lines[1:]:
    f = ln.split(',')
    points.append('[' + ','.join(f[:li] + f[li + 1:]) + ']')
    lab = Decimal(f[li])
    if kind == 0:
        targets.append(int(lab))
    else:
        targets.append(int((lab * (Decimal(10) ** dec)).quantize(Decimal(1), rounding=ROUND_HALF_UP)))
out = subprocess.run(['denai-predict', '--model', model, '--decimals', str(dec)],
                     input='\n'.join(points) + '\n', capture_output=True, text=True, check=True).stdout
preds = []
for ln in out.splitlines():
    p = int(json.loads(ln)['prediction'])
    preds.append(p - 2**256 if p >= 2**255 else p)
assert len(preds) == len(targets)
if kind == 0:
    print(sum(1 for p, t in zip(preds, targets) if p == t))
else:
    lo = -(2**255 - 1)
    s = 0
    for p, t in zip(preds, targets):
        s = max(lo, s - max(0, min(2**255 - 1, (p - t) ** 2)))
    print(s)
