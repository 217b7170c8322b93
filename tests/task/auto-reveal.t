#!/usr/bin/env bash
# denai-task create --auto-reveal --wait: stays, reveals the test set when
# the commit window closes, prints each phase as the chain reaches it, and
# the task once finalized. A task nobody trained ends with its reward
# back to the creator.
. "${0%/*}/../lib.sh"
. "${0%/*}/../e2e/chain.sh"
. "${0%/*}/task.sh"

ok "chain and contracts" task_chain --quorum 1 --difficulty 1000
task_csvs "$T"
DENAI_PRIVATE_KEY=$(key 1) setsid denai-task create --train "$T/train.csv" \
    --test "$T/test.csv" --label y --reward 0.2 --quorum 1 \
    --windows 12,12,12,12,12 --auto-reveal --wait --timeout 120 \
    >"$T/out" 2>"$T/err" &
pid=$!
E2E_PIDS="$E2E_PIDS $pid"
seen() { grep -q "\"phase\":\"$1\"" "$T/out" 2>/dev/null; }
ok "the task is posted" poll_until 30 grep -qs '"type":"task"' "$T/out"
ok "its commit phase is printed" poll_until 10 seen commit
mine_past 1 commit
ok "past the commit deadline it reveals the test set itself" poll_until 20 seen model_reveal
is "$(denai-task show 1 | jq -r .test_cid)" "$(cid_of "$T/test.csv")" "the test CID is on chain"
mine_past 1 model_reveal
ok "score_commit is printed" poll_until 10 seen score_commit
mine_past 1 score_commit
ok "score_reveal is printed" poll_until 10 seen score_reveal
mine_past 1 score_reveal
ok "finalizable is printed" poll_until 10 seen finalizable
before=$(denai-task show 1 | jq -r .phase)
is "$before" finalizable "the task waits for finalize"
r=$(DENAI_PRIVATE_KEY=$(key 0) denai-task finalize 1)
is "$(jq -r .phase <<<"$r")" finalized "anyone finalizes it with denai-task"
wait "$pid"
is "$?" 0 "the waiting create exits 0"
is "$(jq -r 'select(.type == "phase") | .phase' "$T/out" | tr '\n' ' ')" \
    "commit test_reveal model_reveal score_commit score_reveal finalizable finalized " \
    "every phase printed once, in order"
is "$(tail -1 "$T/out" | jq -r '.phase + " " + .outcome.outcome')" "finalized no_score" \
    "then the task: no score settled"
is "$("$CAST" call "$TASKS" "owed(address)(uint256)" "$(addr 1)" | awk '{print $1}')" \
    200000000000000000 "the reward goes back to the creator"
e2e_stop
done_testing
