#!/usr/bin/env bash
# A training task through every phase on anvil, driven only by the
# programs: denai-task creates it (key 1), trainers 2 and 3 commit and
# reveal by hand-written records through denai-submit, validators 4 and 5
# commit and reveal their scores the same way, denai-submit finalizes.
# The winner's model is then registered in the oracle and answers a
# prediction through a miner pipeline (examples/node.sh). Each program's
# refusals along the way are checked too.
. "${0%/*}/../lib.sh"
. "${0%/*}/../e2e/chain.sh"
. "${0%/*}/task.sh"

ok "chain and contracts" task_chain --quorum 1 --difficulty 1000
task_csvs "$T"
M=$TOP/examples/models
A=$(addr 2) B=$(addr 3) V1=$(addr 4) V2=$(addr 5)

# -- create --------------------------------------------------------------
run env DENAI_PRIVATE_KEY="$(key 1)" denai-task create --train "$T/train.csv" \
    --test "$T/test.csv" --label y --reward 1 --reveal-bond 0.1 \
    --commit-bond 0.01 --quorum 2 --windows 12,12,12,12,12
is "$rc" 0 "denai-task create exits 0"; [ "$rc" = 0 ] || diag "$err"
id=$(jq -r .task_id <<<"$out")
is "$id" 1 "task 1 created"
is "$(jq -r '.phase + " " + .kind + " " + .label_column + " " + .reward' <<<"$out")" \
    "commit classification y 1000000000000000000" "its record: phase, kind, label, reward in wei"
is "$(jq -r .train_cid <<<"$out")" "$(cid_of "$T/train.csv")" "the train CID is the file's"
ok "the training set is in the block store" denai-ipfs get "$(jq -r .train_cid <<<"$out")" -o "$T/got.csv"
is "$(jq -r .test_cid <<<"$out")" "" "the test CID is not on chain yet"
ok "the test set is not in the block store" sh -c "! denai-ipfs get --timeout 1 $(cid_of "$T/test.csv") -o $T/no.csv 2>/dev/null"
sf=$(ls "$DENAI_TASK_STATE"/*/task-1.json)
is "$(stat -c %a "$sf")" 600 "the creator's state file is private (0600)"
is "$(jq -r .test_cid "$sf")" "$(cid_of "$T/test.csv")" "and holds the test CID"

# -- commits ---------------------------------------------------------------
shaA=$(sha_of "$M/breast_cancer.onnx") cidA=$(cid_of "$M/breast_cancer.onnx")
shaB=$(sha_of "$M/mlp_breast_cancer.onnx") cidB=$(cid_of "$M/mlp_breast_cancer.onnx")
saltA=$(salt) saltB=$(salt)
sealA=$(model_seal "$id" "$A" "$shaA" "$saltA")
sealB=$(model_seal "$id" "$B" "$shaB" "$saltB")
commit() { echo "{\"type\":\"task\",\"action\":\"commit\",\"task_id\":\"$id\",\"seal\":\"$1\"}"; }
r=$(commit "$sealA" | submit_as 2)
is "$(jq -r .status <<<"$r")" mined "trainer A commits through denai-submit"
r=$(commit "$sealB" | submit_as 3)
is "$(jq -r .status <<<"$r")" mined "trainer B commits"
r=$(commit "$sealA" | submit_as 2)
is "$(jq -r .status <<<"$r")" already-committed "the same commit again is not sent"
r=$(echo '{"type":"task","action":"commit","task_id":"9","seal":"'"$sealA"'"}' | submit_as 2)
is "$(jq -r .type <<<"$r")" error "a commit to a task that does not exist is refused"
ok "naming the task" grep -q "task 9 does not exist" <<<"$(jq -r .error <<<"$r")"
r=$(echo '{"type":"task","action":"commit","task_id":"1","seal":"0x00"}' | submit_as 2)
is "$(jq -r .type <<<"$r")" error "a malformed seal is refused"
run env DENAI_PRIVATE_KEY="$(key 1)" denai-task cancel "$id"
is "$rc" 65 "cancel after commits: 65"
ok "naming HasCommits" grep -q HasCommits "$T/err"

reveal() {	# SALT CID SHA
	echo "{\"type\":\"task\",\"action\":\"reveal\",\"task_id\":\"$id\",\"model_cid\":\"$2\",\"model_sha256\":\"$3\",\"salt\":\"$1\"}"
}
r=$(reveal "$saltA" "$cidA" "$shaA" | submit_as 2)
is "$(jq -r .type <<<"$r")" error "a model reveal before the test set is refused"
ok "as too early" grep -q "too early" <<<"$(jq -r .error <<<"$r")"
run env DENAI_PRIVATE_KEY="$(key 1)" denai-task reveal "$id"
is "$rc" 75 "denai-task reveal during the commit window: 75 (try later)"

# -- test set ---------------------------------------------------------------
mine_past "$id" commit
is "$(phase "$id")" test_reveal "past the commit deadline: test_reveal"
r=$(commit "$(model_seal "$id" "$(addr 6)" "$shaA" "$saltA")" | submit_as 6)
is "$(jq -r .status <<<"$r")" closed "a commit after its deadline is not sent"
run env DENAI_PRIVATE_KEY="$(key 1)" denai-task reveal "$id"
is "$rc" 0 "denai-task reveal"; [ "$rc" = 0 ] || diag "$err"
is "$(jq -r .phase <<<"$out")" model_reveal "the task moves to model_reveal"
is "$(jq -r .test_cid <<<"$out")" "$(cid_of "$T/test.csv")" "the test CID is public"
ok "and the test set is in the block store" denai-ipfs get "$(cid_of "$T/test.csv")" -o "$T/got2.csv"

# -- model reveals ----------------------------------------------------------
r=$(reveal "$(salt)" "$cidA" "$shaA" | submit_as 2)
is "$(jq -r .type <<<"$r")" error "a reveal with the wrong salt is refused"
is "$(jq -r .revert <<<"$r")" WrongSeal "naming the contract's error"
r=$(reveal "$saltA" "$cidA" "$shaA" | submit_as 2)
is "$(jq -r .status <<<"$r")" mined "trainer A reveals"
r=$(reveal "$saltB" "$cidB" "$shaB" | submit_as 3)
is "$(jq -r .status <<<"$r")" mined "trainer B reveals"
r=$(reveal "$saltA" "$cidA" "$shaA" | submit_as 2)
is "$(jq -r .status <<<"$r")" already-revealed "a second reveal is not sent"

# -- scores -----------------------------------------------------------------
mine_past "$id" model_reveal
is "$(phase "$id")" score_commit "score_commit"
s1=$(salt) s2=$(salt)
seal1=$(scores_seal "$id" "$V1" true "[$A,$B]" "[2,1]" "$s1")
seal2=$(scores_seal "$id" "$V2" true "[$A,$B]" "[2,1]" "$s2")
scommit() { echo "{\"type\":\"task\",\"action\":\"score_commit\",\"task_id\":\"$id\",\"seal\":\"$1\"}"; }
r=$(scommit "$seal1" | submit_as 2)
is "$(jq -r '.type + ":" + .revert' <<<"$r")" error:NotValidator "a trainer may not score: NotValidator"
r=$(scommit "$seal1" | submit_as 4)
is "$(jq -r .status <<<"$r")" mined "validator 1 commits its scores"
r=$(scommit "$seal2" | submit_as 5)
is "$(jq -r .status <<<"$r")" mined "validator 2 commits its scores"
r=$(scommit "$seal1" | submit_as 4)
is "$(jq -r .status <<<"$r")" already-committed "a second score commit is not sent"
mine_past "$id" score_commit
is "$(phase "$id")" score_reveal "score_reveal"
sreveal() {	# SALT
	echo "{\"type\":\"task\",\"action\":\"score_reveal\",\"task_id\":\"$id\",\"test_valid\":true,\"trainers\":[\"$A\",\"$B\"],\"scores\":[\"2\",1],\"salt\":\"$1\"}"
}
r=$(sreveal "$s2" | submit_as 4)
is "$(jq -r .revert <<<"$r")" WrongSeal "a score reveal that does not match the seal is refused"
r=$(sreveal "$s1" | submit_as 4)
is "$(jq -r .status <<<"$r")" mined "validator 1 reveals"
r=$(sreveal "$s2" | submit_as 5)
is "$(jq -r .status <<<"$r")" mined "validator 2 reveals"
r=$(echo "{\"type\":\"task\",\"action\":\"finalize\",\"task_id\":\"$id\"}" | submit_as 0)
is "$(jq -r .type <<<"$r")" error "finalize before the scoring deadline is refused"

# -- finalize ---------------------------------------------------------------
mine_past "$id" score_reveal
is "$(phase "$id")" finalizable "finalizable"
r=$(echo "{\"type\":\"task\",\"action\":\"finalize\",\"task_id\":\"$id\"}" | submit_as 0)
is "$(jq -r .status <<<"$r")" mined "anyone finalizes through denai-submit"
r=$(echo "{\"type\":\"task\",\"action\":\"finalize\",\"task_id\":\"$id\"}" | submit_as 0)
is "$(jq -r .status <<<"$r")" already-finalized "a second finalize is not sent"
show=$(denai-task show "$id")
is "$(jq -r .phase <<<"$show")" finalized "finalized"
is "$(jq -r .outcome.outcome <<<"$show")" winner "the outcome is a winner"
is "$(jq -r .outcome.winner <<<"$show" | tr A-F a-f)" "$(echo "$A" | tr A-F a-f)" "trainer A wins"
is "$(jq -r .outcome.score <<<"$show")" 2 "with the settled score 2"
is "$(jq -r '[.trainers[] | .settled] | all' <<<"$show")" true "both scores settled"
is "$(jq -r '[.trainers[] | .score] | join(" ")' <<<"$show")" "2 1" "as the validators voted"
[ "$(jq -r '[.trainers[] | .settled] | all' <<<"$show")" = true ] || diag "$show"
mid=$(jq -r .outcome.model_id <<<"$show")
info=$(denai-model show "$mid" 2>/dev/null || true)
diag "model $mid: $info"

# -- withdraw ---------------------------------------------------------------
r=$(echo '{"type":"task","action":"withdraw"}' | submit_as 2)
is "$(jq -r .status <<<"$r")" mined "the winner withdraws through denai-submit"
r=$(echo '{"type":"task","action":"withdraw"}' | submit_as 2)
is "$(jq -r .status <<<"$r")" nothing-owed "then nothing is owed"
run env DENAI_PRIVATE_KEY="$(key 4)" denai-task withdraw
is "$rc" 0 "validator 1 withdraws with denai-task"; [ "$rc" = 0 ] || diag "$err"
run env DENAI_PRIVATE_KEY="$(key 4)" denai-task withdraw
is "$rc" 65 "and a second time has nothing to withdraw: 65"

# -- the winner answers a prediction -------------------------------------------
denai-ipfs add --cid-version 1 "$M/breast_cancer.onnx" >/dev/null
start_node 6 --poll 50
D=$TOP/examples/data
rid=$(request "$mid" "$D/breast_cancer_0.json" 0.01ether)
res=$(denai-request --wait-for "$rid" --timeout 90 2>"$T/wait.err")
is "$(jq -r .status <<<"$res")" fulfilled "a request to the winning model is fulfilled"
is "$(jq -r .prediction <<<"$res")" "$(sklearn_says "$D/breast_cancer_0.json")" \
    "with the model's answer"
e2e_stop
done_testing
