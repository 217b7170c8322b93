#!/usr/bin/env bash
# The training platform end to end, with faults, driven by the example
# nodes (examples/trainer.sh, examples/validator.sh) and the programs:
# a task on the breast-cancer split, two trainer nodes (gbt, linear) and
# two honest validator nodes, while
#  - trainer A's node is killed with kill -9 between its commit and its
#    reveal and started again on the same state directory: it reveals;
#  - a third validator lies about a score (its score_commit record edited
#    by hand, the seal recomputed, fed to denai-submit): outvoted, unpaid;
#  - a copier commits A's seal and, once A has revealed, reveals A's model
#    with A's salt: refused (WrongSeal), and it gets nothing;
# and at the end the winner's model answers a prediction through a miner
# node, equal to denai-predict on the winner's model file.
. "${0%/*}/../lib.sh"
. "${0%/*}/../e2e/chain.sh"
. "${0%/*}/../task/task.sh"

# keys 7.. of anvil's mnemonic: 0 deploys, 1 mines, 2 creates the task,
# 3 and 4 train, 5 copies, 6 and 7 validate, 8 lies.
E2E_KEYS="$E2E_KEYS
0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356
0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97"
A=3 B=4 COPIER=5 LIAR=8
TRAIN=$TOP/examples/data/breast_cancer_train.csv TEST=$TOP/examples/data/breast_cancer_test.csv

setup() {
	start_anvil --accounts 10 || return 1
	deploy --quorum 1 --difficulty 1000 || { cat "$T/deploy.err" >&2; return 1; }
	TASKS=$(jq -r '.tasks // empty' "$DENAI_DEPLOYMENT")
	[ -n "$TASKS" ] || return 1
	export DENAI_TASK_STATE="$T/task-state"
	for i in 6 7 $LIAR; do
		DENAI_PRIVATE_KEY=$(key 0) denai-deploy grant VALIDATOR_ROLE \
		    "$(addr $i)" >/dev/null 2>>"$T/deploy.err" || return 1
	done
}
ok "chain, contracts, three validators" setup

trainer() {	# I ALGO
	DENAI_PRIVATE_KEY=$(key "$1") setsid "$TOP/examples/trainer.sh" \
	    --dir "$T/trainer$1" --algo "$2" --threads 1 --poll 100 \
	    --log "$T/node$1.ndjson" 2>>"$T/node$1.err" &
	E2E_PIDS="$E2E_PIDS $!"
	eval "TRAINER$1=$!"
}
validator() {	# I
	DENAI_PRIVATE_KEY=$(key "$1") setsid "$TOP/examples/validator.sh" \
	    --dir "$T/validator$1" --poll 100 \
	    --log "$T/node$1.ndjson" 2>>"$T/node$1.err" &
	E2E_PIDS="$E2E_PIDS $!"
}
diagnose() {
	for i in $A $B 6 7; do
		diag "node $i: $(tail -c 600 "$T/node$i.err" 2>/dev/null) $(tail -2 "$T/node$i.ndjson" 2>/dev/null)"
	done
}
trainer $A gbt; trainer $B linear; validator 6; validator 7

DENAI_PRIVATE_KEY=$(key 2) setsid denai-task create --train "$TRAIN" \
    --test "$TEST" --label diagnosis --reward 1 --reveal-bond 0.1 \
    --commit-bond 0.01 --quorum 2 --windows 40,12,12,12,12 --auto-reveal \
    --timeout 300 >"$T/create.ndjson" 2>"$T/create.err" &
E2E_PIDS="$E2E_PIDS $!"
ok "the task is posted" poll_until 30 sh -c "denai-task show 1 >/dev/null 2>&1"

commit_of() { denai-task show 1 | jq -r --arg a "$(addr "$1")" '.trainers[] | select(.trainer == $a)'; }
committed() { [ -n "$(commit_of $A)" ] && [ -n "$(commit_of $B)" ]; }
ok "both trainer nodes commit" poll_until 120 committed || diagnose
seal_a=$(commit_of $A | jq -r .seal)

# The copier commits A's seal (visible on chain) with its own bond.
copy=$(printf '{"type":"task","action":"commit","task_id":"1","seal":"%s"}\n' "$seal_a" |
    submit_as $COPIER 2>"$T/copier.err")
diag "copier's commit: $(jq -c '{status, revert}' <<<"$copy")"

# kill -9 trainer A's whole pipeline between commit and reveal.
kill -KILL -- "-$TRAINER3" 2>/dev/null
{ wait "$TRAINER3"; } 2>/dev/null
ok "trainer A's node is gone" sh -c "! kill -0 -- -$TRAINER3 2>/dev/null"
mine_past 1 commit
test_revealed() { [ -n "$(denai-task show 1 | jq -r '.test_cid // empty')" ]; }
ok "the creator reveals the test set" poll_until 30 test_revealed
revealed() { [ "$(commit_of "$1" | jq -r .revealed)" = true ]; }
ok "trainer B reveals" poll_until 60 revealed $B || diagnose
is "$(commit_of $A | jq -r .revealed)" false "A, killed, has not revealed"
trainer $A gbt
ok "trainer A's node, restarted on its state directory, reveals" poll_until 60 revealed $A || diagnose
is "$(commit_of $A | jq -r .model_sha256)" \
    "$(jq -r 'select(.action == "commit" and .status == "mined") | .model_sha256' "$T/node$A.ndjson")" \
    "with the model it committed before the kill"
is "$(cat "$T/node$A.ndjson" | jq -s '[.[] | select(.action == "commit" and .status == "mined")] | length')" 1 \
    "A committed once"

# The copier reveals A's model with A's salt (public in A's reveal):
# the seal binds the trainer's address, so the chain refuses it.
reveal_a=$(jq -c 'select(.action == "reveal" and .status == "mined")' "$T/node$A.ndjson" | head -1)
copied=$(jq -c '{type, action, task_id, model_cid, model_sha256, salt}' <<<"$reveal_a" |
    submit_as $COPIER 2>>"$T/copier.err")
diag "copier's reveal: $(jq -c '{type, status, revert}' <<<"$copied")"
is "$(jq -r '.revert // .status' <<<"$copied")" WrongSeal "the copier's reveal of A's model is refused (WrongSeal)"
is "$(commit_of $COPIER | jq -r '.revealed // false')" false "the copier has no revealed model"
late=$(printf '{"type":"task","action":"commit","task_id":"1","seal":"%s"}\n' "$seal_a" |
    submit_as 0 2>>"$T/copier.err")
is "$(jq -r '.status // .revert' <<<"$late")" closed "a commit after the deadline sends nothing"
mine_past 1 model_reveal

vstate() { "$CAST" call "$TASKS" "validatorState(uint256,address)(bool,bool)" 1 "$(addr "$1")" | tr '\n' ' '; }
honest_committed() { [ "$(vstate 6)$(vstate 7)" = "true false true false " ]; }
ok "both honest validators commit" poll_until 120 honest_committed || diagnose

# The liar: its own pipeline, once, up to the score_commit record.
DENAI_PRIVATE_KEY=$(key $LIAR) sh -c "denai-watch --tasks --role validator --once \
    --no-state | denai-fetch | denai-validate --state '$T/liar'" >"$T/liar.ndjson" 2>"$T/liar.err"
honest=$(jq -c 'select(.action == "score_commit")' "$T/liar.ndjson")
ok "the liar's validator computes the honest list" test -n "$honest"
# the lie: the scores swapped, the first one 50 higher still
lie=$(jq -c '.scores |= (reverse | .[0] = ((.[0] | tonumber) + 50 | tostring))' <<<"$honest")
trainers=$(jq -r '.trainers | join(",")' <<<"$lie")
scores=$(jq -r '.scores | join(",")' <<<"$lie")
seal=$(scores_seal 1 "$(addr $LIAR)" "$(jq -r .test_valid <<<"$lie")" "[$trainers]" "[$scores]" "$(jq -r .salt <<<"$lie")")
lie=$(jq -c --arg s "$seal" '.seal = $s' <<<"$lie")
diag "honest: $(jq -c .scores <<<"$honest")  lie: $(jq -c .scores <<<"$lie")"
is "$(submit_as $LIAR <<<"$lie" | jq -r .status)" mined "the liar commits its edited list"
mine_past 1 score_commit
honest_revealed() { [ "$(vstate 6)$(vstate 7)" = "true true true true " ]; }
ok "the honest validators reveal" poll_until 60 honest_revealed || diagnose
is "$(jq -c '.action = "score_reveal"' <<<"$lie" | submit_as $LIAR | jq -r .status)" mined \
    "the liar reveals the edited list"
is "$(vstate $LIAR)" "true true " "the liar's list is on chain"
mine_past 1 score_reveal
ok "a validator node finalizes" poll_until 60 sh -c "[ \"\$(denai-task show 1 | jq -r .phase)\" = finalized ]" || diagnose

show=$(denai-task show 1)
diag "$(jq -c '[.trainers[] | {trainer, score, settled}], .outcome' <<<"$show")"
want=$(jq -c '[.trainers, .scores] | transpose | map({(.[0]): .[1]}) | add' <<<"$honest")
got=$(jq -c --argjson w "$want" '[.trainers[] | (.trainer | ascii_downcase) as $t |
    select($w[$t]) | {($t): .score}] | add' <<<"$show")
is "$got" "$want" "the settled scores are the honest ones (the liar is outvoted)"
best=$(jq -r --argjson w "$want" '.trainers | map(select($w[.trainer | ascii_downcase])) |
    max_by(.score | tonumber) as $b | map(select(.score == $b.score)) | min_by(.seq) | .trainer' <<<"$show")
is "$(jq -r .outcome.winner <<<"$show")" "$best" "the honest best wins"
owed_addr() { "$CAST" call "$TASKS" "owed(address)(uint256)" "$1" | cut -d' ' -f1; }
owed() { owed_addr "$(addr "$1")"; }
is "$(owed $LIAR)" 0 "the liar is owed nothing"
is "$(owed $COPIER)" 0 "the copier is owed nothing (its bond is forfeited)"
# the nodes withdraw what they are owed by themselves
withdrew() { jq -c 'select(.action == "withdraw" and .status == "mined")' "$T/node$1.ndjson" 2>/dev/null | grep -q .; }
ok "honest validator 1 is paid (its node withdrew)" poll_until 30 withdrew 6
ok "honest validator 2 is paid (its node withdrew)" poll_until 30 withdrew 7
[ "$(jq -r .outcome.winner <<<"$show")" = "$(addr $A)" ] && W=$A || W=$B
ok "the winner is paid (its node withdrew)" poll_until 30 withdrew $W
diag "withdrawn: $(cat "$T"/node[3467].ndjson | jq -c 'select(.action == "withdraw") | [.status, .owed // .amount]' | tr '\n' ' ')"
# Several nodes finalize; those that lose the race are told
# already-finalized, not an error.
is "$(cat "$T"/node[3467].ndjson | jq -s '[.[] | select(.type == "error")] | length')" 0 \
    "no error records from the nodes"

mid=$(jq -r .outcome.model_id <<<"$show")
wcid=$(jq -r '.outcome.winner as $w | .trainers[] | select(.trainer == $w) | .model_cid' <<<"$show")
denai-ipfs get -o "$T/winner.onnx" "$wcid" >/dev/null 2>>"$T/copier.err"
sed -n 2p "$TEST" | jq -Rc 'split(",")[:-1] | map(tonumber)' >"$T/row.json"
own=$(denai-predict --model "$T/winner.onnx" <"$T/row.json" | jq -r .prediction)
start_node 1 --poll 50
rid=$(request "$mid" "$T/row.json" 0.01ether)
res=$(denai-request --wait-for "$rid" --timeout 90 2>"$T/wait.err")
is "$(jq -r .status <<<"$res")" fulfilled "the winner's model answers a request through a miner node"
is "$(jq -r .prediction <<<"$res")" "$own" "with the winner's own answer ($own)"
e2e_stop
is "$(cat "$T"/*.err | grep -c 'Sanitizer' || true)" 0 "no sanitizer reports from any stage"
done_testing
