#!/usr/bin/env bash
# denai-serve and the tasks contract (anvil): POST /api/tasks adds the
# training set to the served store, keeps the test set private (sealed on
# chain, never served) and creates the task from the node's key (201,
# Location, the task); a retried create creates one task; GET
# /api/tasks/{id} and ?phase= follow the chain (a trainer's commit); the
# node reveals the test set itself once the commit deadline passes, also
# across a kill -9; the revealed test set is then served.
. "${0%/*}/../lib.sh"
. "${0%/*}/../e2e/chain.sh"
. "${0%/*}/serve.sh"
trap 'serve_stop; e2e_stop; _tap_cleanup' EXIT
unset DENAI_PRIVATE_KEY ETH_KEYSTORE ETH_PASSWORD ETH_FROM
[ -f "$TOP/build/contracts/DenAITasks.json" ] || skip_all "no tasks contract built"

start_anvil
ok "deployed" deploy --quorum 1 --difficulty 1000
TASKS=$(jq -r .tasks "$DENAI_DEPLOYMENT")
ok "the deployment names the tasks contract" test "$TASKS" != null
DENAI_PRIVATE_KEY=$(key 0) denai-deploy grant VALIDATOR_ROLE "$(addr 3)" >/dev/null 2>"$T/grant.err"
count() { "$CAST" call "$TASKS" 'taskCount()(uint256)'; }
mine() { "$CAST" rpc anvil_mine "$1" >/dev/null; }

D=$T/srv
DENAI_PRIVATE_KEY=$(key 5) start_serve "$D" --wait 20 --rate 0
W=$(denai-serve key add --data-dir "$D" --name w --budget 5ether | jq -r .key)
A="Authorization: Bearer $W"
TRAIN=$(printf 'a,b,y\n1,2,0\n3,4.5,1\n5,6,0\n')
TEST=$(printf 'a,b,y\n7,8,1\n9,10,0\n')
body=$(jq -nc --arg tr "$TRAIN" --arg te "$TEST" '{train_csv: $tr, test_csv: $te,
    kind: "classification", label_column: "y", reward: "1ether", reveal_bond: "0.1ether",
    commit_bond: "0.01ether", quorum: 1,
    windows: {commit: 10, test_reveal: 10, model_reveal: 10, score_commit: 10, score_reveal: 10}}')
hc POST /api/tasks -H "$A" -H "Idempotency-Key: t1" --data-binary "$body"
ID=$(echo "$body" | jq -r .id); [ "$code" = 201 ] || diag "$body"
is "$code:$(hdr Location)" "201:/api/tasks/$ID" "POST /api/tasks: 201, Location"
is "$(echo "$body" | jq -c '[.phase, .kind, .label_column, .reward, .commit_bond, .quorum, .test_cid]')" \
    '["commit","classification","y","1000000000000000000","10000000000000000",1,null]' "the task, in its commit phase"
TRAIN_CID=$(echo "$body" | jq -r .train_cid)
is "$(curl -s "$U/ipfs/$TRAIN_CID?format=raw")" "$TRAIN" "the training set is served"
is "$(count)" 1 "one task on chain"
hc POST /api/tasks -H "$A" -H "Idempotency-Key: t1" --data-binary "$body"
is "$(count)" 1 "a retried create creates no second task"
is "$(denai-serve key list --data-dir "$D" | jq -r .spent)" 1100000000000000000 "the budget pays reward and bond"
TCID=$(sqlite3 "$D/state.db" 'SELECT test_cid FROM private_sets')
hc GET "/ipfs/$TCID?format=raw"
is "$code" 404 "the test set is not served before its reveal"
ok "nor in the served store" test -z "$(find "$D/ipfs" -type f -newer "$D/state.db" -name "*$(echo "$TCID" | tail -c 8)*")"

# A trainer commits (by hand, through cast): a model file, its CID and
# sha256, the seal keccak256(abi.encode(taskId, trainer, sha, salt)).
printf 'a model of 24 bytes.....' >"$T/model"
MCID=$(denai-ipfs cid --cid-version 1 "$T/model")
MSHA=0x$(sha256sum "$T/model" | cut -c1-64)
SALT=0x$(printf '%064x' 77)
T2=$(addr 2)
MSEAL=$("$CAST" keccak "$("$CAST" abi-encode 'f(uint256,address,bytes32,bytes32)' "$ID" "$T2" "$MSHA" "$SALT")")
"$CAST" send --private-key "$(key 2)" --value 0.01ether "$TASKS" \
    'commitModel(uint256,bytes32)' "$ID" "$MSEAL" >/dev/null
poll_until 20 eval '[ "$(curl -s "$U/api/tasks/$ID" | jq -r ".commits | length")" = 1 ]'
is "$(curl -s "$U/api/tasks/$ID" | jq -r '.commits[0].trainer')" "$(addr 2 | tr A-F a-f)" "GET shows the commit"
is "$(curl -s "$U/api/tasks?phase=commit" | jq -r '.items[0].id')" "$ID" "?phase=commit lists it"
is "$(curl -s "$U/api/tasks?phase=score_reveal" | jq -c .items)" "[]" "?phase=score_reveal does not"

# kill -9, then the commit deadline passes while the node is down.
kill -9 "$SERVE_PID"; wait "$SERVE_PID" 2>/dev/null; SERVE_PIDS=""
mine 11
DENAI_PRIVATE_KEY=$(key 5) start_serve "$D" --wait 20 --rate 0
poll_until 30 eval '[ "$(curl -s "$U/api/tasks/$ID" | jq -r .test_cid)" = "$TCID" ]'
hc GET "/api/tasks/$ID"
is "$(echo "$body" | jq -r .test_cid):$(echo "$body" | jq -r .phase)" "$TCID:model_reveal" \
    "after kill -9 and a restart the node reveals the test set on time"
is "$(curl -s "$U/ipfs/$TCID?format=raw")" "$TEST" "and serves it now"
is "$(sqlite3 "$D/state.db" 'SELECT state FROM private_sets')" revealed "state.db: revealed"
hc GET /metrics
ok "metrics: tasks by phase" grep -q '^denai_serve_tasks{phase="model_reveal"} 1$' "$T/body"

# The rest of the task by hand: the model revealed, one validator's
# scores committed and revealed, finalize; the index shows the
# leaderboard, the outcome, the winner and its registered model.
dl() { curl -s "$U/api/tasks/$ID" | jq -r ".deadlines.$1"; }
mine_past() { n=$(($1 + 1 - $("$CAST" block-number))); [ "$n" -le 0 ] || mine "$n"; }
"$CAST" send --private-key "$(key 2)" "$TASKS" 'revealModel(uint256,string,bytes32,bytes32)' \
    "$ID" "$MCID" "$MSHA" "$SALT" >/dev/null
mine_past "$(dl model_reveal)"
V=$(addr 3)
SSEAL=$("$CAST" keccak "$("$CAST" abi-encode 'f(uint256,address,bool,address[],int256[],bytes32)' \
    "$ID" "$V" true "[$T2]" "[2]" "$SALT")")
"$CAST" send --private-key "$(key 3)" "$TASKS" 'commitScores(uint256,bytes32)' "$ID" "$SSEAL" >/dev/null
mine_past "$(dl score_commit)"
"$CAST" send --private-key "$(key 3)" "$TASKS" \
    'revealScores(uint256,bool,address[],int256[],bytes32)' "$ID" true "[$T2]" "[2]" "$SALT" >/dev/null
mine_past "$(dl score_reveal)"
poll_until 20 eval '[ "$(curl -s "$U/api/tasks/$ID" | jq -r .phase)" = finalizable ]'
is "$(curl -s "$U/api/tasks/$ID" | jq -r .phase)" finalizable "past the scoring deadline: finalizable"
"$CAST" send --private-key "$(key 4)" "$TASKS" 'finalize(uint256)' "$ID" >/dev/null
poll_until 20 eval '[ "$(curl -s "$U/api/tasks/$ID" | jq -r .phase)" = finalized ]'
hc GET "/api/tasks/$ID"
is "$(echo "$body" | jq -c '[.phase, .outcome, .winner, .score, .model_id]')" \
    "[\"finalized\",1,\"$(echo "$T2" | tr A-F a-f)\",\"2\",\"1\"]" "finalized: outcome, winner, score, model id"
is "$(echo "$body" | jq -c '[.leaderboard[] | [.trainer, .score, .settled]]')" \
    "[[\"$(echo "$T2" | tr A-F a-f)\",\"2\",1]]" "the leaderboard (scoreOf)"
is "$(echo "$body" | jq -c '[.commits[0].revealed, .commits[0].model_cid, .validators[0].revealed, .validators[0].test_valid]')" \
    "[1,\"$MCID\",1,1]" "the model revealed, the validator's vote"
poll_until 20 eval '[ "$(curl -s "$U/api/models/1" | jq -r .cid)" = "$MCID" ]'
is "$(curl -s "$U/api/models/1" | jq -r .cid)" "$MCID" "the winner's model is registered and listed"

# Both data sets by CID: the training set from the served store, the
# test set added privately first.
TEST2=$(printf 'a,b,y\n11,12,1\n')
P2=$(curl -s -X POST -H "$A" "$U/api/ipfs?private=1" --data-binary "$TEST2" | jq -r .cid)
hc POST /api/tasks -H "$A" --data-binary "$(jq -nc --arg tr "$TRAIN_CID" --arg te "$P2" '{train_cid: $tr,
    test_cid: $te, kind: "classification", label_column: "y", reward: "0.1ether", quorum: 1,
    windows: {commit: 10, test_reveal: 10, model_reveal: 10, score_commit: 10, score_reveal: 10}}')"
is "$code:$(echo "$body" | jq -r .train_cid)" "201:$TRAIN_CID" "a task from CIDs: 201"
hc GET "/ipfs/$P2?format=raw"
is "$code" 404 "its test set is not served"

# A task the contract refuses (quorum over the validators): 422, refunded.
hc POST /api/tasks -H "$A" --data-binary "$(jq -nc --arg tr "$TRAIN" --arg te "$TEST" '{train_csv: $tr, test_csv: $te,
    kind: "classification", label_column: "y", reward: "1ether", quorum: 5,
    windows: {commit: 10, test_reveal: 10, model_reveal: 10, score_commit: 10, score_reveal: 10}}')"
is "$code:$(echo "$body" | jq -r .error)" "422:would revert: InvalidQuorum(5, 1)" "a task the contract refuses: 422, naming why"
is "$(denai-serve key list --data-dir "$D" | jq -r .spent)" 1200000000000000000 "and nothing spent"
serve_stop
done_testing
