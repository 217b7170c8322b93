#!/usr/bin/env bash
# A trainer's commit undone by a reorg (anvil's evm_snapshot / evm_revert)
# while denai-watch --tasks follows: the chain no longer has the commit,
# so the commit is owed again and offered again --reoffer-after blocks
# later; denai-submit, asked the chain, sends it again; once it is on the
# chain for good, nothing more is offered.
. "${0%/*}/../lib.sh"
. "${0%/*}/../e2e/chain.sh"
. "${0%/*}/task.sh"

ok "chain and contracts" task_chain --quorum 1 --difficulty 1000
task_csvs "$T"
id=$(DENAI_PRIVATE_KEY=$(key 1) denai-task create --train "$T/train.csv" \
    --test "$T/test.csv" --label y --reward 1 --commit-bond 0.01 --quorum 1 \
    --windows 60,12,12,12,12 | jq -r .task_id)
out=$T/watch.ndjson
DENAI_PRIVATE_KEY=$(key 2) start_watch "$out" --tasks --role trainer \
    --state "$T/w.json" --reoffer-after 4 --poll 50
has() { [ "$(nlines "$out")" -ge "$1" ]; }
ok "the commit is offered" poll_until 30 has 1

rec=$(head -1 "$out" | jq -c --arg s "$(model_seal "$id" "$(addr 2)" \
    "$(sha_of "$TOP/examples/models/breast_cancer.onnx")" "$(salt)")" '.seal = $s')
snap=$("$CAST" rpc evm_snapshot | tr -d '"')
is "$(echo "$rec" | submit_as 2 | jq -r .status)" mined "trainer 2 commits"
mine 6
sleep 1
is "$(nlines "$out")" 1 "committed: not offered again"
"$CAST" rpc evm_revert "$snap" >/dev/null
is "$(denai-task show "$id" | jq '.trainers | length')" 0 "the reorg took the commit away"
mine 5
ok "owed again, the commit is offered again" poll_until 30 has 2
is "$(echo "$rec" | submit_as 2 | jq -r .status)" mined "denai-submit sends it again"
is "$(echo "$rec" | submit_as 2 | jq -r .status)" already-committed "and only once"
mine 20
sleep 1
is "$(nlines "$out")" 2 "committed for good: nothing more"
is "$(jq -r .action "$out" | sort -u)" commit "only commit records"
e2e_stop
done_testing
