#!/bin/sh
# bench/mine.sh - PoW hashes per second of each kernel, one thread and all
# cores, against OpenSSL's SHA3-256 on one 84-byte stream (the same
# Keccak-f[1600] permutation per hash), measured in the same run.
# Medians of REPS runs (default 3) of SECS seconds (default 2) each.
#
# `openssl speed` divides by the CPU time it got (not wall time, unless
# -elapsed), so one-thread figures here do the same: hashes per CPU second,
# which holds steady on a machine shared with other work. The all-cores
# figure is hashes per wall-clock second: what a miner gets. Its CPU share
# (CPU seconds / (wall seconds x cores)) shows how much the machine gave.
set -eu
cd "$(dirname "$0")/.."
REPS=${REPS:-3}
SECS=${SECS:-2}
BENCH=${MINE_BENCH:-build/rel/bench/mine_bench}
if [ ! -x "$BENCH" ]; then
	make -s -f mk/build.mk B=build/bench-mine build/bench-mine/bench/mine_bench >&2
	BENCH=build/bench-mine/bench/mine_bench
fi
command -v openssl >/dev/null || { echo "mine: openssl not found" >&2; exit 1; }

TMP=$(mktemp "${TMPDIR:-/tmp}/mine-bench.XXXXXX")
trap 'rm -f "$TMP"' EXIT
CPUS=$(nproc)

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }
# run IMPL THREADS: appends "IMPL-THREADS cpu_rate wall_rate cpu_share".
run() {
	"$BENCH" "$1" "$2" "$SECS" | awk -v k="$1-$2" -v n="$2" 'NF == 5 {
	    printf "%s %.0f %.0f %.3f\n", k, $3 / $5, $3 / $4, $5 / ($4 * n) }' >>"$TMP"
}
ossl() {
	openssl speed -evp sha3-256 -bytes 84 -seconds "$SECS" 2>/dev/null |
	    awk '$1 == "sha3-256" { sub(/k$/, "", $2); printf "openssl %.0f\n", $2 * 1000 / 84 }' >>"$TMP"
}
med() { awk -v k="$1" -v f="$2" '$1 == k { print $f }' "$TMP" | median; }

i=0
while [ "$i" -lt "$REPS" ]; do
	ossl
	for impl in scalar avx2 avx512; do run "$impl" 1; done
	run auto "$CPUS"
	i=$((i + 1))
done

O=$(med openssl 2)
echo "mine: PoW hashes/s, median of $REPS runs of ${SECS}s; $CPUS cpus; load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
printf '%-32s %11s h/s\n' "openssl sha3-256, 84 B, 1 stream" "$O"
best=
for impl in scalar avx2 avx512; do
	r=$(med "$impl-1" 2)
	if [ -z "$r" ]; then
		printf '%-32s %11s\n' "$impl, 1 thread" "unsupported by this cpu"
		continue
	fi
	case $impl in scalar) want=1.4;; avx2) want=3;; avx512) want=8;; esac
	printf '%-32s %11s h/s %6sx openssl (target %sx)\n' "$impl, 1 thread" "$r" \
	    "$(calc %.2f "$r / $O")" "$want"
	best=$r
done
A=$(med "auto-$CPUS" 3)
AC=$(med "auto-$CPUS" 2)
S=$(med "auto-$CPUS" 4)
printf '%-32s %11s h/s %6sx openssl; %sx (%s x one thread) (target 0.9x)\n' \
    "best, $CPUS threads, wall clock" "$A" "$(calc %.2f "$A / $O")" \
    "$(calc %.2f "$A / ($best * $CPUS)")" "$CPUS"
printf '%-32s %11s h/s per CPU second, %sx one thread; CPU share %s\n' \
    "" "$AC" "$(calc %.2f "$AC / $best")" "$(calc %.0f%% "$S * 100")"
echo "(the original's web3 soliditySha3 loop in node: about 9000 h/s here, not run)"
