#!/bin/sh
# Verified fetch against real HTTP gateways on loopback (tests/ipfs/gateway.py):
# a multi-block file comes back intact through an honest gateway; every kind
# of lying or failing gateway is refused, named with the CID, and the next
# gateway used; fetched blocks stay in the store; a corrupt store block is
# caught and fetched again.
. "${0%/*}/../lib.sh"
. "${0%/*}/gw.sh"
gw_have || skip_all "no /usr/bin/python3"
command -v denai-ipfs >/dev/null || skip_all "denai-ipfs not built"

SRC=$T/src
head -c 700000 /dev/urandom >"$T/file"	# 3 chunks: a two-level DAG
v1=$(denai-ipfs add --dir "$SRC" "$T/file")
v0=$(denai-ipfs add --dir "$SRC" --cid-version 0 "$T/file")
ok "source store has the blocks" test -n "$v1" -a -n "$v0"

good=$(gw_start good ok "$SRC/blocks") || skip_all "cannot start gateway"

# get CID NAME GATEWAYS: fetch into a fresh store; output and errors in $T/NAME.*
get() {
	_cid=$1 _name=$2 _gws=$3
	denai-ipfs get --dir "$T/st-$_name" --gateway "$_gws" --timeout 1 \
	    --retries 0 "$_cid" >"$T/$_name.got" 2>"$T/$_name.err"
	echo $? >"$T/$_name.rc"
}

get "$v1" honest "$good"
is "$(cat "$T/honest.rc")" 0 "honest gateway: exit 0"
ok "honest gateway: cidv1 file intact" cmp -s "$T/file" "$T/honest.got"
is "$(cat "$T/honest.err")" "" "honest gateway: nothing on stderr"
is "$(grep -c 'format=raw accept=application/vnd.ipld.raw' "$T/good.log")" 4 \
    "asked for 4 raw blocks (root + 3 leaves) with the raw Accept header"

get "$v0" honest0 "$good"
ok "honest gateway: cidv0 file intact" cmp -s "$T/file" "$T/honest0.got"

for mode in wrong truncated slow 500 html htmlraw huge; do
	liar=$(gw_start "$mode" "$mode" "$SRC/blocks" --delay 5)
	get "$v1" "$mode" "$liar,$good"
	is "$(cat "$T/$mode.rc")" 0 "$mode: fetch succeeds through the next gateway"
	ok "$mode: file intact" cmp -s "$T/file" "$T/$mode.got"
	ok "$mode: refusal names the gateway and the cid" \
	    grep -q "^denai-ipfs: gateway $liar: $v1: " "$T/$mode.err"
	diag "$(head -1 "$T/$mode.err")"
done
ok "wrong bytes: said so" grep -q "sent wrong bytes" "$T/wrong.err"
ok "truncated: said so" grep -q "truncated body" "$T/truncated.err"
ok "slow: timed out" grep -q "timed out" "$T/slow.err"
ok "500: said so" grep -q "HTTP status 500" "$T/500.err"
ok "html: said so" grep -q "HTML page" "$T/html.err"
ok "html labelled raw: caught by the hash" grep -q "wrong bytes.*HTML page" "$T/htmlraw.err"
ok "a body over the block size: said so" grep -q "sent more than 2097152 bytes" "$T/huge.err"
is "$(grep -c "gateway $(cat "$T/wrong.port" | sed 's/^/http:\/\/127.0.0.1:/')" "$T/wrong.err")" 1 \
    "a gateway that lied is not asked again for the same file"

# Retries: a gateway failing every other request serves the whole file
# alone with one retry round; with none it fails.
flaky=$(gw_start flaky flaky "$SRC/blocks")
denai-ipfs get --dir "$T/st-flaky" --gateway "$flaky" --retries 1 "$v1" \
    >"$T/flaky.got" 2>"$T/flaky.err"
is "$?" 0 "flaky gateway, --retries 1: exit 0"
ok "flaky gateway: file intact" cmp -s "$T/file" "$T/flaky.got"
ok "flaky gateway: each 503 reported" grep -q "HTTP status 503" "$T/flaky.err"
flaky2=$(gw_start flaky2 flaky "$SRC/blocks")
denai-ipfs get --dir "$T/st-flaky2" --gateway "$flaky2" --retries 0 "$v1" \
    >/dev/null 2>&1
is "$?" 69 "flaky gateway, --retries 0: exit 69"

# Only liars: nothing is written, nothing is stored, exit 69 (unavailable).
wrong=http://127.0.0.1:$(cat "$T/wrong.port")
html=http://127.0.0.1:$(cat "$T/html.port")
get "$v1" liars "$wrong,$html"
is "$(cat "$T/liars.rc")" 69 "only lying gateways: exit 69"
is "$(wc -c <"$T/liars.got" | tr -d ' ')" 0 "only lying gateways: no bytes out"
is "$(find "$T/st-liars/blocks" -type f | wc -l | tr -d ' ')" 0 "lies are not stored"
ok "only lying gateways: the error names the cid" grep -q "^denai-ipfs: $v1: no gateway gave the block" "$T/liars.err"

# Blocks fetched are kept: the honest run's store serves it with no gateway.
denai-ipfs get --dir "$T/st-honest" "$v1" >"$T/again" 2>"$T/again.err"
ok "fetched blocks were kept in the store" cmp -s "$T/file" "$T/again"

# A corrupt block in the store is refused (and removed), then fetched again.
blk=$(find "$T/st-honest/blocks" -type f -size +100k | head -1)
printf 'X' | dd of="$blk" bs=1 seek=1000 conv=notrunc 2>/dev/null
denai-ipfs get --dir "$T/st-honest" "$v1" >"$T/corrupt.got" 2>"$T/corrupt.err"
is "$?" 69 "corrupt block and no gateway: exit 69"
ok "corrupt block reported" grep -q "is corrupt" "$T/corrupt.err"
denai-ipfs get --dir "$T/st-honest" --gateway "$good" "$v1" >"$T/refetch.got" 2>/dev/null
ok "corrupt block fetched again from the gateway" cmp -s "$T/file" "$T/refetch.got"

# A block no gateway has.
missing=$(printf 'not anywhere' | denai-ipfs cid -)
get "$missing" missing "$good"
is "$(cat "$T/missing.rc")" 69 "missing block: exit 69"
ok "missing block: 404 named" grep -q "HTTP status 404" "$T/missing.err"

# denai-fetch with an empty store takes data and model from the gateway.
printf '[[1, 2.5], [3, 4]]\n' >"$T/point.json"
dc=$(denai-ipfs add --dir "$SRC" "$T/point.json")
good2=$(gw_start good2 ok "$SRC/blocks")
sha=$(sha256sum "$T/file" | cut -c1-64)
printf '{"type":"request","request_id":"1","data_cid":"%s","model_cid":"%s","model_sha256":"0x%s"}\n' \
    "$dc" "$v0" "$sha" | denai-fetch --dir "$T/st-fetch" --gateway "$wrong,$good2" \
    >"$T/fetch.out" 2>"$T/fetch.err"
is "$(jq -c .data "$T/fetch.out")" '[[1,2.5],[3,4]]' "denai-fetch: data point from the gateway"
ok "denai-fetch: model file verified" cmp -s "$T/file" "$(jq -r .model_path "$T/fetch.out")"
ok "denai-fetch: the lying gateway was named" grep -q "gateway $wrong: " "$T/fetch.err"
done_testing
