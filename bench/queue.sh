#!/usr/bin/env bash
# bench/queue.sh - records/s through denai-queue on loopback: N tiny
# records (`{"type":"request","request_id":"<i>"}`, ~40 bytes) pushed
# (pipelined XADD, 1024 per round trip) while a consumer pipeline
# `denai-queue pull --count 500 | denai-queue ack` takes them (XREADGROUP
# COUNT 500, one XACK of every id a read brought), from the first push to
# the last record out of ack, every entry acknowledged at the end.
#
# The peer, from the same run on the same redis-server: redis-benchmark
# sending the same XADD with 16 commands in flight (-P 16): the engine's own
# ceiling for appending alone; our figure moves each record three times
# (XADD, XREADGROUP, XACK) and parses it twice, so 1/3 of the ceiling
# would be par. Target: at least 50,000 records/s end to end.
#
# Usage: bench/queue.sh (after make; uses bin/ when present, else builds
# build/bench-queue). N=200000 to change the count.
set -eu
cd "$(dirname "$0")/.."
command -v redis-server >/dev/null || { echo "queue.sh: redis-server not installed (make deps)" >&2; exit 1; }
command -v redis-benchmark >/dev/null || { echo "queue.sh: redis-benchmark not installed (make deps)" >&2; exit 1; }
if [ -n "${DENAI_BIN:-}" ]; then BIN=$DENAI_BIN
elif [ -x bin/denai-queue ]; then BIN=bin
else
	make --no-print-directory -s -f mk/build.mk B=build/bench-queue progs >/dev/null
	BIN=build/bench-queue/bin
fi
N=${N:-200000}
T=$(mktemp -d "${TMPDIR:-/tmp}/denai-bench.XXXXXX")
RPID=
cleanup() {
	[ -z "$RPID" ] || { kill "$RPID" 2>/dev/null; wait "$RPID" 2>/dev/null; }
	rm -rf "$T"
}
trap cleanup EXIT

for _ in 1 2 3 4 5; do
	PORT=$((20000 + $(od -An -N2 -tu2 /dev/urandom) % 20000))
	redis-server --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no \
	    --logfile "$T/redis.log" &
	RPID=$!
	for _ in $(seq 50); do
		[ "$(redis-cli -p "$PORT" ping 2>/dev/null)" = PONG ] && break
		sleep 0.1
	done
	kill -0 "$RPID" 2>/dev/null && [ "$(redis-cli -p "$PORT" ping 2>/dev/null)" = PONG ] && break
	RPID=
done
[ -n "$RPID" ] || { echo "queue.sh: redis-server did not start" >&2; exit 1; }
export REDIS_URL="redis://127.0.0.1:$PORT/0"

seq "$N" | awk '{ printf "{\"type\":\"request\",\"request_id\":\"%d\"}\n", $1 }' >"$T/in"
now() { date +%s%N; }

# ours: push alongside pull | ack
"$BIN/denai-queue" pull bench --group g --count 1 --exit-idle 1 >/dev/null	# the group
t0=$(now)
"$BIN/denai-queue" push bench <"$T/in" &
pusher=$!
"$BIN/denai-queue" pull bench --group g --consumer c --count 500 --claim-idle 0 \
    --exit-idle 2000 | "$BIN/denai-queue" ack | { head -n "$N" >"$T/out"; now >"$T/t1"; cat >/dev/null; }
wait "$pusher"
t1=$(cat "$T/t1")
got=$(wc -l <"$T/out" | tr -d ' ')
pending=$("$BIN/denai-queue" status bench | jq '.groups[0].pending')
[ "$got" -eq "$N" ] && [ "$pending" -eq 0 ] ||
    { echo "queue.sh: $got of $N records came through, $pending pending" >&2; exit 1; }
ours=$(echo "scale=0; $N * 1000000000 / ($t1 - $t0)" | bc)

# the ceiling: redis-benchmark XADD of the same record, 16 in flight
peer=$(redis-benchmark -p "$PORT" -P 16 -n "$N" --csv XADD peer '*' record \
    '{"type":"request","request_id":"123456"}' | tail -1 | awk -F, '{ gsub(/"/, "", $(NF - 6)); print $(NF - 6) }')
peer=${peer%%.*}

echo "denai-queue on loopback, $N records of ~40 bytes:"
echo "  push -> pull -> ack, end to end:        $ours records/s (target >= 50000)"
echo "  redis-benchmark XADD -P 16 (ceiling):   $peer records/s"
echo "  ratio to the ceiling: $(echo "scale=2; $ours / $peer" | bc | sed "s/^\./0./")  (each record is moved three times: 0.33 would be par)"
