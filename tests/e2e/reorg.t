#!/usr/bin/env bash
# A reorg made with anvil's evm_snapshot / evm_revert while denai-watch
# follows: requests 3, 4, 5 are made after the snapshot and emitted; the
# revert drops them; two new requests take ids 3 and 4 at the same heights
# in new blocks. The watch says it saw the reorg, emits the new 3 and 4
# (the new 4 with a new challenge), never emits the vanished 5 again, and
# its checkpoint holds the new chain's block hashes.
. "${0%/*}/../lib.sh"
. "${0%/*}/chain.sh"

start_anvil
ok "deployed" deploy --quorum 5 --difficulty 1000
bc=$(register "$TOP/examples/models/breast_cancer.onnx" 0)
D=$TOP/examples/data
out=$T/watch.ndjson st=$T/watch-state.json
start_watch "$out" --state "$st" --all --poll 50
has() { [ "$(nlines "$out")" -ge "$1" ]; }
field() { jq -r --arg id "$2" "select(.request_id == \$id) | .$3" "$out" | sed -n "${1}p"; }

request "$bc" "$D/breast_cancer_0.json" 1 >/dev/null
request "$bc" "$D/breast_cancer_1.json" 2 >/dev/null
ok "requests 1 and 2 emitted" poll_until 30 has 2

snap=$("$CAST" rpc evm_snapshot | tr -d '"')
S=$("$CAST" block-number)
for i in 3 4 5; do request "$bc" "$D/breast_cancer_$((i % 4)).json" "$i" >/dev/null; done
ok "requests 3, 4, 5 emitted" poll_until 30 has 5
old3=$(field 1 3 challenge) old4=$(field 1 4 challenge) old5=$(field 1 5 challenge)
oldh=$(field 1 3 block_hash)
is "$(field 1 3 block_number)" $((S + 1)) "request 3 was in block S+1"

is "$("$CAST" rpc evm_revert "$snap")" true "evm_revert"
is "$("$CAST" block-number)" "$S" "the chain is back at the snapshot"
reorg_seen() { grep -q 'reorganised' "$out.err"; }
ok "denai-watch says it saw the reorg" poll_until 30 reorg_seen
ok "its checkpoint rewound to block S+1" poll_until 10 \
    sh -c "[ \"\$(jq .next_block '$st')\" = $((S + 1)) ]"

# New requests in new blocks at the old heights: other data, other tips.
is "$(request "$bc" "$D/breast_cancer_2.json" 30)" 3 "the new chain's request 3"
is "$(request "$bc" "$D/breast_cancer_0.json" 40)" 4 "the new chain's request 4"
ok "both emitted" poll_until 30 has 7
is "$(field 2 3 block_number) $(field 2 4 block_number)" "$((S + 1)) $((S + 2))" \
    "at the same heights"
is "$(field 2 3 tip) $(field 2 4 tip)" "30 40" "with their new tips"
ok "request 4 has a new challenge" [ "$(field 2 4 challenge)" != "$old4" ]
is "$(field 2 3 challenge)" "$old3" \
    "request 3's challenge is the same (same parent block, same id)"
is "$(field 2 3 block_hash)" "$("$CAST" block $((S + 1)) -f hash)" \
    "request 3 is in the new block S+1"
ok "not in the old one" [ "$(field 2 3 block_hash)" != "$oldh" ]

# The vanished request 5: let the watch follow a few more blocks.
"$CAST" rpc anvil_mine 3 >/dev/null
head=$("$CAST" block-number)
caught() { [ "$(jq .next_block "$st")" -gt "$head" ]; }
ok "the watch followed the new chain to its head" poll_until 30 caught
is "$(jq -r .request_id "$out" | tr '\n' ' ')" "1 2 3 4 5 3 4 " \
    "emitted: 1 2 3 4 5, then the new 3 and 4; the vanished 5 not again"
is "$(grep -c "$old5" "$out")" 1 "request 5's record appears once"
hashes_ok() {
	jq -r '.blocks[] | "\(.[0]) \(.[1])"' "$st" | while read -r n h; do
		[ "$("$CAST" block "$n" -f hash)" = "$h" ] || return 1
	done
}
ok "every block hash in the checkpoint is on the new chain" hashes_ok
ok "the old block S+1 is not in the checkpoint" sh -c "! grep -q '$oldh' '$st'"
kill -TERM "$WATCH_PID"; wait "$WATCH_PID"
is "$?" 0 "denai-watch exits 0 on SIGTERM"
e2e_stop
done_testing
