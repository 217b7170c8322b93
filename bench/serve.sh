#!/bin/sh
# bench/serve.sh - GET /api/tasks/{id} under `wrk --latency`: denai-serve
# (one libmicrohttpd thread, the task read from index.db each time: the
# task row, its commits, validators and leaderboard) against Express on
# Node (the original's stack) serving the same JSON from memory, in the
# same run. Each server is pinned to core 0, wrk to core 1 (taskset).
# Prints requests/s and p99 for both and the ratio; the target is at
# least 3x Express's requests/s and a lower p99 at the same connections.
set -eu
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "serve.sh: wrk is not installed (make deps)"; exit 0; }
command -v node >/dev/null || { echo "serve.sh: node is not installed"; exit 0; }
[ -d tools/node_modules/express ] || { echo "serve.sh: express is not installed (tools/)"; exit 0; }
if [ -x bin/denai-serve ]; then BIN=bin
else
	make --no-print-directory -s -f mk/build.mk B=build/bench-serve progs >/dev/null
	BIN=build/bench-serve/bin
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/denai-bench.XXXXXX")
PIDS=
trap 'for p in $PIDS; do kill "$p" 2>/dev/null; done; rm -rf "$T"' EXIT
CONN=${CONN:-50}
DUR=${DUR:-10}
CPUS=$(nproc)
pin_srv=; pin_wrk=
if [ "$CPUS" -ge 2 ] && command -v taskset >/dev/null; then
	pin_srv="taskset -c 0"; pin_wrk="taskset -c 1"
fi

# An index.db with one task as the follower would have written it: a
# classification task past its deadlines with three trainers scored.
D=$T/srv
$BIN/denai-serve run --no-chain --data-dir "$D" --port 0 --port-file "$T/p0" 2>/dev/null &
p=$!
while [ ! -s "$T/p0" ]; do sleep 0.1; done
kill $p; wait $p 2>/dev/null || true
sqlite3 "$D/index.db" <<'SQL'
INSERT INTO tasks VALUES(7, '0x70997970c51812dc3a010c7d01b50e0d17dc79c8',
 'bafkreihetd4pe3xvartzuto63lpfa2lnuyt4uoj6icrzuagp33ywhlzouq', 0, 'label', 0,
 110, 120, 130, 140, 150, 3, '1000000000000000000', '10000000000000000', 100,
 '0x898a002b254b629693368d0f8c120cbefc3b34fe3e875fc9bebc6d8c38f23c7c',
 'bafkreicf7kgacuzqurudj7showbxgb24p5tqfmrmzepbxehucg3oz33jh4', 112, NULL, 151,
 1, '0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc', '97', '4');
INSERT INTO commits VALUES
 (7, '0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc', '0x11', 1, 101, 121, 'bafkreia', '0xaa'),
 (7, '0x90f79bf6eb2c4f870365e785982e1f101e93b906', '0x22', 2, 102, 122, 'bafkreib', '0xbb'),
 (7, '0x15d34aaf54267db7d7c367839aaf71a00a2c6a65', '0x33', 3, 103, 123, 'bafkreic', '0xcc');
INSERT INTO votes VALUES
 (7, '0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc', 131, 141, 1),
 (7, '0x976ea74026e726554db657fa54763abd0c3a0aa9', 132, 142, 1),
 (7, '0x14dc79964da2c08b23698b3d3cc7ca32193d9955', 133, 143, 1);
INSERT INTO scores VALUES
 (7, '0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc', 1, '97', 151),
 (7, '0x90f79bf6eb2c4f870365e785982e1f101e93b906', 1, '95', 151),
 (7, '0x15d34aaf54267db7d7c367839aaf71a00a2c6a65', 1, '88', 151);
SQL
$pin_srv $BIN/denai-serve run --no-chain --data-dir "$D" --port 0 \
    --port-file "$T/p1" --threads 1 --rate 0 2>/dev/null &
PIDS="$PIDS $!"
while [ ! -s "$T/p1" ]; do sleep 0.1; done
U1=http://127.0.0.1:$(cat "$T/p1")/api/tasks/7
curl -sf "$U1" >"$T/task.json"
P2=$((20000 + $(od -An -N2 -tu2 /dev/urandom) % 20000))
$pin_srv node bench/serve_express.js "$T/task.json" $P2 2>/dev/null &
PIDS="$PIDS $!"
U2=http://127.0.0.1:$P2/api/tasks/7
i=0; until curl -sf "$U2" >"$T/task2.json"; do i=$((i + 1)); [ $i -lt 100 ] || exit 1; sleep 0.1; done
[ "$(jq -cS . "$T/task.json")" = "$(jq -cS . "$T/task2.json")" ] ||
    { echo "serve.sh: the two servers answer differently" >&2; exit 1; }

# run URL: "requests/s p99-ms" from wrk.
run() {
	$pin_wrk wrk -t1 -c"$CONN" -d"${DUR}s" --latency "$1" >"$T/wrk" 2>&1
	rps=$(awk '/^Requests\/sec:/ {print $2}' "$T/wrk")
	p99=$(awk '$1 == "99%" {v = $2; if (v ~ /us$/) {sub(/us/, "", v); v /= 1000}
	    else if (v ~ /ms$/) sub(/ms/, "", v); else if (v ~ /s$/) {sub(/s/, "", v); v *= 1000}
	    print v}' "$T/wrk")
	echo "$rps $p99"
}
# Warm both, then measure them alternately, twice, keeping each one's
# better run (the build machine is shared: load comes and goes).
DUR=2 run "$U1" >/dev/null; DUR=2 run "$U2" >/dev/null
r1=0 l1=999999 r2=0 l2=999999
for _ in 1 2; do
	set -- $(run "$U1")
	if [ "$(echo "$1 > $r1" | bc -l)" = 1 ]; then r1=$1 l1=$2; fi
	set -- $(run "$U2")
	if [ "$(echo "$1 > $r2" | bc -l)" = 1 ]; then r2=$1 l2=$2; fi
done
echo "GET /api/tasks/{id}, $(wc -c <"$T/task.json") bytes of JSON, wrk $CONN connections, best of 2 x ${DUR}s, server on one core"
printf '  denai-serve (libmicrohttpd, SQLite)  %10.0f req/s   p99 %8.2f ms\n' "$r1" "$l1"
printf '  express %s (node %s)   %10.0f req/s   p99 %8.2f ms\n' \
    "$(node -p "require('./tools/node_modules/express/package.json').version")" "$(node --version)" "$r2" "$l2"
printf '  ratio: %.2fx requests/s (target 3x), p99 %.2fx lower\n' \
    "$(echo "$r1 / $r2" | bc -l)" "$(echo "$l2 / $l1" | bc -l)"
