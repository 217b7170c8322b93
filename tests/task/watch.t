#!/usr/bin/env bash
# denai-watch --tasks on anvil: what a trainer and a validator owe, read
# from the chain; kill -9 mid-task loses no record and repeats none; with
# no state what is still owed comes out again, nothing for a closed
# window; denai-fetch adds train_path, test_path and model_path.
. "${0%/*}/../lib.sh"
. "${0%/*}/../e2e/chain.sh"
. "${0%/*}/task.sh"

ok "chain and contracts" task_chain --quorum 1 --difficulty 1000
task_csvs "$T"
M=$TOP/examples/models
A=$(addr 2) V=$(addr 4)
id=$(DENAI_PRIVATE_KEY=$(key 1) denai-task create --train "$T/train.csv" \
    --test "$T/test.csv" --label y --reward 1 --commit-bond 0.01 --quorum 1 \
    --windows 12,12,12,12,12 | jq -r .task_id)
is "$id" 1 "task 1 created"

once() {	# KEY ROLE: one pass without state
	DENAI_PRIVATE_KEY=$(key "$1") denai-watch --tasks --role "$2" --once --no-state 2>>"$T/once.err"
}
actions() { jq -r 'select(.type == "task") | .action' | tr '\n' ' '; }

# Runs of the trainer's watcher, each killed with kill -9 (at a random
# moment, or the instant a record appears), then one left to catch up.
st=$T/tw.json runs=0
kills() {	# N: N killed runs
	for _k in $(seq "$1"); do
		runs=$((runs + 1))
		DENAI_PRIVATE_KEY=$(key 2) start_watch "$T/tw.$runs" --tasks \
		    --role trainer --state "$st" --poll 20
		if [ $((runs % 2)) -eq 0 ]; then
			poll_until 5 [ -s "$T/tw.$runs" ] || true
		else
			sleep 0.$((RANDOM % 9))
		fi
		kill -9 "$WATCH_PID" 2>/dev/null; wait "$WATCH_PID" 2>/dev/null
	done
}
settle() {	# N: one run until N records are out in all, stopped cleanly
	runs=$((runs + 1))
	DENAI_PRIVATE_KEY=$(key 2) start_watch "$T/tw.$runs" --tasks \
	    --role trainer --state "$st" --poll 20
	poll_until 30 [ "$(cat "$T"/tw.[0-9]* | wc -l)" -ge "$1" ]
	sleep 0.5
	kill -TERM "$WATCH_PID"; wait "$WATCH_PID"
}

kills 4
settle 1
is "$(cat "$T"/tw.[0-9]* | actions)" "commit " "the commit is emitted once across killed runs"
rec=$(cat "$T"/tw.[0-9]* | head -1)
is "$(jq -r '.task_id + " " + .phase + " " + .train_cid' <<<"$rec")" \
    "1 commit $(cid_of "$T/train.csv")" "with the task's fields"
is "$(jq -r '.deadlines | keys | join(",")' <<<"$rec")" \
    "commit,model_reveal,score_commit,score_reveal,test_reveal" "and its deadlines"
is "$(once 2 trainer | actions)" "commit " "without state the owed commit comes out again"

# With a state, a record still owed is offered again --reoffer-after
# blocks later (then after twice as many), and not before.
w3() { DENAI_PRIVATE_KEY=$(key 3) denai-watch --tasks --role trainer --once \
    --state "$T/tw3.json" --reoffer-after 3 | actions; }
is "$(w3)" "commit " "trainer 3 is asked to commit"
is "$(w3)" "" "once, with its state"
mine 3
is "$(w3)" "commit " "still owed 3 blocks later: offered again"
mine 3
is "$(w3)" "" "the wait doubled: not after 3 more"

# denai-fetch adds the training set.
f=$(echo "$rec" | denai-fetch)
ok "denai-fetch adds train_path" cmp "$(jq -r .train_path <<<"$f")" "$T/train.csv"

# Trainer 2 commits; trainer 3 does not.
sha=$(sha_of "$M/breast_cancer.onnx") cid=$(cid_of "$M/breast_cancer.onnx") s=$(salt)
seal=$(model_seal "$id" "$A" "$sha" "$s")
echo "{\"type\":\"task\",\"action\":\"commit\",\"task_id\":\"$id\",\"seal\":\"$seal\"}" | submit_as 2 >/dev/null
is "$(once 2 trainer | actions)" "" "once committed, no commit is owed"
mine_past "$id" commit
is "$(once 3 trainer | actions)" "" "past the commit deadline nothing is emitted"
DENAI_PRIVATE_KEY=$(key 1) denai-task reveal "$id" >/dev/null

kills 4
settle 2
is "$(cat "$T"/tw.[0-9]* | actions)" "commit reveal " "then the reveal, once, across killed runs"
is "$(cat "$T"/tw.[0-9]* | jq -r 'select(.action == "reveal") | .seal')" "$seal" \
    "the reveal record carries the seal on chain"
is "$(once 2 trainer | actions)" "reveal " "without state the owed reveal comes out again"
denai-ipfs add --cid-version 1 "$M/breast_cancer.onnx" >/dev/null
echo "{\"type\":\"task\",\"action\":\"reveal\",\"task_id\":\"$id\",\"model_cid\":\"$cid\",\"model_sha256\":\"$sha\",\"salt\":\"$s\"}" |
    submit_as 2 >/dev/null
is "$(once 2 trainer | actions)" "" "once revealed, nothing is owed"

# The validator.
out=$(once 4 validator)
is "$(jq -r '.type + " " + .trainer' <<<"$out" | tr A-F a-f)" "submission $(echo "$A" | tr A-F a-f)" \
    "the validator gets the revealed model as a submission"
is "$(jq -r '.model_cid + " " + .model_sha256 + " " + .test_cid' <<<"$out")" \
    "$cid $sha $(cid_of "$T/test.csv")" "with the model and the test set"
f=$(echo "$out" | denai-fetch)
ok "denai-fetch adds model_path" cmp "$(jq -r .model_path <<<"$f")" "$M/breast_cancer.onnx"
ok "test_path" cmp "$(jq -r .test_path <<<"$f")" "$T/test.csv"
ok "and train_path" cmp "$(jq -r .train_path <<<"$f")" "$T/train.csv"
bad=$(echo "$out" | jq -c '.model_sha256 = "0x'"$(printf '%064d' 0)"'"' | denai-fetch)
is "$(jq -r .type <<<"$bad")" error "a model whose sha256 differs is refused"
is "$(once 1 validator | actions)" "" "the creator is not asked to score"
DENAI_PRIVATE_KEY=$(key 3) denai-watch --tasks --role validator --once --no-state \
    >/dev/null 2>"$T/v3.err"
ok "--role validator for a key without VALIDATOR_ROLE warns" \
    grep -q "does not hold VALIDATOR_ROLE" "$T/v3.err"
is "$(DENAI_PRIVATE_KEY=$(key 3) denai-watch --tasks --once --no-state | jq -r .type | sort -u)" "" \
    "--role all for such a key gets no submissions"
is "$(once 2 validator | actions)" "" "nor a trainer"

mine_past "$id" model_reveal
is "$(once 4 validator | jq -r '.type + ":" + (.action // "")' | tr '\n' ' ')" \
    "submission: task:score_commit " "score window: the submission, then score_commit"
ss=$(salt)
sseal=$(scores_seal "$id" "$V" true "[$A]" "[2]" "$ss")
echo "{\"type\":\"task\",\"action\":\"score_commit\",\"task_id\":\"$id\",\"seal\":\"$sseal\"}" | submit_as 4 >/dev/null
is "$(once 4 validator)" "" "committed: nothing more until the reveal window"
mine_past "$id" score_commit
is "$(once 4 validator | actions)" "score_reveal " "score_reveal"
echo "{\"type\":\"task\",\"action\":\"score_reveal\",\"task_id\":\"$id\",\"test_valid\":true,\"trainers\":[\"$A\"],\"scores\":[\"2\"],\"salt\":\"$ss\"}" |
    submit_as 4 >/dev/null
is "$(once 4 validator | actions)" "" "revealed: nothing"
mine_past "$id" score_reveal
is "$(once 4 validator | actions)" "finalize " "finalizable: finalize"
is "$(once 2 trainer | actions)" "finalize " "for the trainer too"
is "$(once 6 validator | actions)" "" "not for a validator who took no part"
echo "{\"type\":\"task\",\"action\":\"finalize\",\"task_id\":\"$id\"}" | submit_as 4 >/dev/null
is "$(once 4 validator | actions)" "withdraw " "finalized: the validator is owed its share"
is "$(once 2 trainer | jq -r '.action + " " + .owed')" \
    "withdraw $(DENAI_PRIVATE_KEY=$(key 2) "$CAST" call "$TASKS" "owed(address)(uint256)" "$A" | awk '{print $1}')" \
    "the winner is owed its reward"
echo '{"type":"task","action":"withdraw"}' | submit_as 2 >/dev/null
is "$(once 2 trainer | actions)" "" "withdrawn: nothing owed"
e2e_stop
done_testing
