#!/bin/sh
# Differential: denai-ipfs cid against the npm package ipfs-only-hash (what
# `ipfs add` computes), run live, over random files from 0 bytes to 4 MiB,
# for the default CIDv0, --cid-version 1 --raw-leaves and the other two
# combinations, and with small chunks to reach deep balanced DAGs (174 and
# 174*174 leaf boundaries).
. "${0%/*}/../lib.sh"
command -v node >/dev/null || skip_all "no node"
[ -d "$TOP/tools/node_modules/ipfs-only-hash" ] || skip_all "ipfs-only-hash not installed"
command -v denai-ipfs >/dev/null || skip_all "denai-ipfs not built"
REF="$TOP/tests/ipfs/only-hash.js"

rnd() { od -An -N4 -tu4 /dev/urandom | tr -d ' '; }

K=262144
sizes="0 1 1000 $((K - 1)) $K $((K + 1)) $((2 * K)) $((3 * K + 7))"
i=0
while [ $i -lt 8 ]; do
	sizes="$sizes $(($(rnd) % (4 * 1048576 + 1)))"
	i=$((i + 1))
done
diag "sizes: $sizes"
files=
for s in $sizes; do
	head -c "$s" /dev/urandom >"$T/f$s"
	files="$files $T/f$s"
done

# compare NAME DENAI-FLAGS -- REF-FLAGS: every file's CID must agree.
compare() {
	_name=$1 _ours=$2 _ref=$3
	# shellcheck disable=SC2086
	node "$REF" $_ref $files >"$T/ref" 2>"$T/ref.err" || {
		ok "$_name: reference ran" false; cat "$T/ref.err" >&2; return; }
	: >"$T/ours"
	for f in $files; do
		# shellcheck disable=SC2086
		denai-ipfs cid $_ours "$f" >>"$T/ours" 2>&1
	done
	if cmp -s "$T/ours" "$T/ref"; then
		ok "$_name: $(wc -l <"$T/ref" | tr -d ' ') files agree" true
	else
		ok "$_name: files agree" false
		paste "$T/ours" "$T/ref" | sed 's/^/# ours\tref: /'
	fi
}

compare "ipfs add (cidv0)" "--cid-version 0" ""
compare "ipfs add --cid-version 1 --raw-leaves" "--cid-version 1 --raw-leaves" \
    "--cid-version 1 --raw-leaves"
compare "cidv1, dag-pb leaves" "--cid-version 1 --no-raw-leaves" "--cid-version 1"
compare "cidv0, raw leaves" "--cid-version 0 --raw-leaves" "--raw-leaves"
is "$(denai-ipfs cid - <"$T/f1000")" "$(denai-ipfs cid "$T/f1000")" "stdin gives the same cid"

# Deep DAGs with 16-byte chunks: 174 leaves, 175, 174*174, 174*174+1.
files=
for s in 0 16 2784 2785 $((174 * 174 * 16)) $((174 * 174 * 16 + 1)) $(($(rnd) % 600000)); do
	head -c "$s" /dev/urandom >"$T/g$s"
	files="$files $T/g$s"
done
compare "16-byte chunks, cidv0" "--cid-version 0 --chunker size-16" "--chunk-size 16"
compare "16-byte chunks, cidv1 raw leaves" \
    "--cid-version 1 --raw-leaves --chunker size-16" \
    "--cid-version 1 --raw-leaves --chunk-size 16"
done_testing
