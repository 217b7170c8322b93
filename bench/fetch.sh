#!/bin/sh
# bench/fetch.sh - verified fetch throughput from the local block store:
# `denai-ipfs get` of a 64 MiB multi-block file (257 blocks, each read and
# checked against its CID) against `sha256sum` of the same bytes, in the
# same run, medians of 5. Hashing is the work both must do; the target is
# at least 0.7x sha256sum's throughput.
set -eu
cd "$(dirname "$0")/.."
B=build/bench-fetch
if [ -x bin/denai-ipfs ]; then BIN=bin
else
	make --no-print-directory -s -f mk/build.mk B=$B progs >/dev/null
	BIN=$B/bin
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/denai-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT
N=5
SIZE=$((64 * 1048576))
head -c $SIZE /dev/urandom >"$T/file"
c1=$("$BIN/denai-ipfs" add --dir "$T/store" "$T/file")
c0=$("$BIN/denai-ipfs" add --dir "$T/store" --cid-version 0 "$T/file")
"$BIN/denai-ipfs" get --dir "$T/store" --max-size $SIZE "$c1" | cmp -s - "$T/file" ||
    { echo "fetch.sh: fetched bytes differ" >&2; exit 1; }

now() { date +%s%N; }
# median CMD...: runs CMD N times, prints the median wall time in ns.
median() {
	_i=0
	while [ $_i -lt $N ]; do
		_t0=$(now); "$@" >/dev/null; _t1=$(now)
		echo $((_t1 - _t0))
		_i=$((_i + 1))
	done | sort -n | sed -n "$(((N + 1) / 2))p"
}
get1() { "$BIN/denai-ipfs" get --dir "$T/store" --max-size $SIZE "$c1"; }
get0() { "$BIN/denai-ipfs" get --dir "$T/store" --max-size $SIZE "$c0"; }
sha() { sha256sum "$T/file"; }
# A second reference: the hash code denai itself uses (OpenSSL, with the
# CPU's SHA extensions where coreutils may have none).
ossl() { openssl dgst -sha256 "$T/file"; }
sha >/dev/null; get1 >/dev/null; get0 >/dev/null	# warm the page cache
# Interleave so that both see the same machine load.
ts=$(median sha)
t1=$(median get1)
t0=$(median get0)
ts2=$(median sha)
[ "$ts2" -lt "$ts" ] && ts=$ts2
to=
command -v openssl >/dev/null && to=$(median ossl)
mbs() { echo "scale=1; $SIZE * 1000000000 / $1 / 1048576" | bc; }
echo "verified fetch from the local store, 64 MiB, median of $N:"
echo "  denai-ipfs get (cidv1, raw leaves):  $(mbs "$t1") MiB/s"
echo "  denai-ipfs get (cidv0, ipfs add):    $(mbs "$t0") MiB/s"
echo "  sha256sum (peer):                    $(mbs "$ts") MiB/s"
[ -n "$to" ] && echo "  openssl dgst -sha256 (reference):    $(mbs "$to") MiB/s"
echo "  ratio cidv1/sha256sum: $(echo "scale=2; $ts / $t1" | bc)  cidv0/sha256sum: $(echo "scale=2; $ts / $t0" | bc)  (target >= 0.70)"
[ -n "$to" ] && echo "  ratio cidv1/openssl: $(echo "scale=2; $to / $t1" | bc)"
exit 0
