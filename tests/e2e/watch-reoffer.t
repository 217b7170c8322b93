#!/usr/bin/env bash
# The chain is the truth: a watch with a miner offers a request again when
# it is still open and the miner has not answered it --reoffer-after
# blocks after it went out (a stage downstream lost it), the wait doubling
# each time; once the miner has answered, never again.
. "${0%/*}/../lib.sh"
. "${0%/*}/chain.sh"

start_anvil
ok "deployed with quorum 2" deploy --quorum 2 --difficulty 1000
bc=$(register "$TOP/examples/models/breast_cancer.onnx" 0)
D=$TOP/examples/data
is "$(request "$bc" "$D/breast_cancer_1.json" 1)" 1 "request 1 made"
out=$T/w.ndjson
DENAI_PRIVATE_KEY=$(key 1) start_watch "$out" --no-state --reoffer-after 3 --poll 50
has() { [ "$(nlines "$out")" -ge "$1" ]; }
mine() { "$CAST" rpc anvil_mine "$1" >/dev/null; }
ok "emitted at start" poll_until 30 has 1
mine 0x2; sleep 1
is "$(nlines "$out")" 1 "2 blocks later: not yet"
mine 0x1
ok "3 blocks later, unanswered: offered again" poll_until 30 has 2
mine 0x3; sleep 1
is "$(nlines "$out")" 2 "3 more: not yet (the wait doubled to 6)"
mine 0x3
ok "6 more: offered a third time" poll_until 30 has 3
head -1 "$out" | denai-fetch | denai-predict |
    DENAI_PRIVATE_KEY=$(key 1) denai-mine -q | DENAI_PRIVATE_KEY=$(key 1) denai-submit >"$T/sub"
is "$(jq -r .status "$T/sub")" mined "the miner answers it"
mine 0x20; sleep 1.5
is "$(nlines "$out")" 3 "answered: never offered again"
is "$(jq -r .request_id "$out" | sort -u)" 1 "only request 1"
is "$(cat "$out.err")" "" "nothing on stderr"
e2e_stop
done_testing
