#!/bin/sh
# keccak.sh - single-stream Keccak-256 on 84-byte inputs (the PoW message)
# against OpenSSL's SHA3-256 on 84-byte inputs (the same permutation; its
# EVP interface pays a set-up per hash), measured in the same run: hashes
# per second of CPU time, runs of one second taken in turn (ours, OpenSSL's)
# so that load on the machine falls on both, medians of RUNS runs, and the
# ratio. Run from the repo root after make.
set -eu
RUNS=${RUNS:-7}
B=${KECCAK_BENCH:-build/rel/bench/keccak_bench}
if [ ! -x "$B" ]; then
	B=build/bench-keccak/bench/keccak_bench
	make --no-print-directory -s -f mk/build.mk B=build/bench-keccak "$B" \
	    >/dev/null
fi
command -v openssl >/dev/null ||
    { echo "keccak.sh: openssl not found" >&2; exit 1; }

T=$(mktemp -d "${TMPDIR:-/tmp}/keccak-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT
i=0
while [ $i -lt "$RUNS" ]; do
	"$B" 1 1 2>/dev/null >>"$T/ours"
	# openssl speed -mr prints "+F:<n>:sha3-256:<bytes per CPU second>".
	openssl speed -mr -evp sha3-256 -bytes 84 -seconds 1 2>/dev/null |
	    awk -F: '$1 == "+F" { printf "%.0f\n", $4 / 84 }' >>"$T/peer"
	i=$((i + 1))
done
median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ours=$(median "$T/ours")
peer=$(median "$T/peer")
[ -n "$peer" ] && [ "$peer" -gt 0 ] ||
    { echo "keccak.sh: no figure from openssl speed" >&2; exit 1; }
ratio=$(awk -v a="$ours" -v b="$peer" 'BEGIN { printf "%.2f", a / b }')
echo "keccak256, 84-byte inputs, single stream: denai $ours hashes/s"
echo "openssl speed -evp sha3-256 -bytes 84:     openssl $peer hashes/s"
echo "ratio: ${ratio}x (target 1.30x; medians of $RUNS one-second runs, CPU time)"
