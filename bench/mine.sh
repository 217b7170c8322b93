#!/bin/sh
# bench/mine.sh - PoW hashes per second of each kernel, one thread and all
# cores, against OpenSSL's SHA3-256 on one 84-byte stream (the same
# Keccak-f[1600] permutation per hash), measured in the same run.
# Medians of REPS runs (default 3) of SECS seconds (default 2) each.
set -eu
cd "$(dirname "$0")/.."
REPS=${REPS:-3}
SECS=${SECS:-2}
BENCH=build/rel/bench/mine_bench
if [ ! -x "$BENCH" ]; then
	make -s -f mk/build.mk B=build/bench-mine build/bench-mine/bench/mine_bench >&2
	BENCH=build/bench-mine/bench/mine_bench
fi
command -v openssl >/dev/null || { echo "mine: openssl not found" >&2; exit 1; }

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
rate() { "$BENCH" "$1" "$2" "$SECS" | awk 'NF == 5 { print $5 }'; }
ossl() {
	openssl speed -evp sha3-256 -bytes 84 -seconds "$SECS" 2>/dev/null |
	    awk '$1 == "sha3-256" { sub(/k$/, "", $2); printf "%.0f\n", $2 * 1000 / 84 }'
}

CPUS=$(nproc)
: >/tmp/mine-bench.$$
trap 'rm -f /tmp/mine-bench.$$' EXIT
i=0
while [ "$i" -lt "$REPS" ]; do
	echo "openssl $(ossl)" >>/tmp/mine-bench.$$
	for impl in scalar avx2 avx512; do
		r=$(rate "$impl" 1)
		[ -n "$r" ] && echo "$impl $r" >>/tmp/mine-bench.$$
	done
	echo "all $(rate auto "$CPUS")" >>/tmp/mine-bench.$$
	i=$((i + 1))
done
med() { awk -v k="$1" '$1 == k { print $2 }' /tmp/mine-bench.$$ | median; }

O=$(med openssl)
echo "mine: PoW hashes/s, median of $REPS runs of ${SECS}s; $(uname -m), $CPUS cpus"
printf '%-28s %12s h/s\n' "openssl sha3-256 84 B, 1 stream" "$O"
best=0
for impl in scalar avx2 avx512; do
	r=$(med "$impl")
	[ -n "$r" ] || { printf '%-28s %12s\n' "$impl, 1 thread" "unsupported"; continue; }
	case $impl in scalar) want=1.4;; avx2) want=3;; avx512) want=8;; esac
	printf '%-28s %12s h/s %6sx openssl (target %sx)\n' "$impl, 1 thread" "$r" \
	    "$(ratio "$r" "$O")" "$want"
	best=$r
done
A=$(med all)
printf '%-28s %12s h/s %6sx openssl, %sx %s x one thread (target 0.9x)\n' \
    "best, $CPUS threads" "$A" "$(ratio "$A" "$O")" \
    "$(awk -v a="$A" -v b="$best" -v n="$CPUS" 'BEGIN { printf "%.2f", a / (b * n) }')" \
    "$CPUS"
echo "(the original's web3 soliditySha3 loop in node: about 9000 h/s, not run)"
