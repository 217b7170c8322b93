#!/bin/sh
# No two files of lib/ call each other in a loop: from libdenai.a's symbol
# tables (which object defines a name, which objects use it) the calls
# between objects form a graph with no cycle, so each file can be read,
# tested and replaced knowing only the files below it. A cycle is printed
# with the names that make each of its edges.
. "${0%/*}/../lib.sh"
command -v nm >/dev/null || skip_all "nm not installed"
command -v python3 >/dev/null || skip_all "python3 not installed"
A=$DENAI_BIN/../libdenai.a
[ -f "$A" ] || A=$TOP/build/rel/libdenai.a
[ -f "$A" ] || skip_all "libdenai.a not built"

nm -A "$A" >"$T/nm" 2>/dev/null
is "$?" 0 "nm reads libdenai.a"
python3 - "$T/nm" >"$T/cycles" <<'PY'
import collections, sys

defs, uses = {}, collections.defaultdict(set)
for line in open(sys.argv[1]):
    try:
        _, obj, rest = line.rstrip("\n").split(":", 2)
    except ValueError:
        continue
    f = rest.split()
    if len(f) == 3 and f[1] in "TDBRCV":
        defs[f[2]] = obj
    elif len(f) == 2 and f[0] == "U":
        uses[obj].add(f[1])
edges = collections.defaultdict(lambda: collections.defaultdict(set))
for obj, names in uses.items():
    for n in names:
        if n in defs and defs[n] != obj:
            edges[obj][defs[n]].add(n)
# Tarjan's strongly connected components, iteratively.
index, low, onstack, stack, out, counter = {}, {}, set(), [], [], [0]
for root in list(edges):
    if root in index:
        continue
    work = [(root, iter(edges[root]))]
    index[root] = low[root] = counter[0]; counter[0] += 1
    stack.append(root); onstack.add(root)
    while work:
        v, it = work[-1]
        w = next(it, None)
        if w is not None:
            if w not in index:
                index[w] = low[w] = counter[0]; counter[0] += 1
                stack.append(w); onstack.add(w)
                work.append((w, iter(edges[w])))
            elif w in onstack:
                low[v] = min(low[v], index[w])
            continue
        work.pop()
        if work:
            low[work[-1][0]] = min(low[work[-1][0]], low[v])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop(); onstack.discard(w); comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))
for comp in out:
    print("cycle: " + " ".join(comp))
    for a in comp:
        for b in comp:
            if b in edges[a]:
                print("  %s -> %s: %s" % (a, b, " ".join(sorted(edges[a][b]))))
PY
ok "the call graph was read" [ -s "$T/nm" ]
is "$(grep -c '^cycle' "$T/cycles")" 0 "no two lib files call each other in a loop"
sed 's/^/# /' "$T/cycles" | head -30
done_testing
