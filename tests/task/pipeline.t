#!/usr/bin/env bash
# A task done by nodes, not by hand: two trainer pipelines
#   denai-watch --tasks --role trainer | denai-fetch | denai-train | denai-submit
# and two validator pipelines
#   denai-watch --tasks --role validator | denai-fetch | denai-validate | denai-submit
# follow a task that denai-task posted (with --auto-reveal) while the test
# mines blocks past each deadline; the nodes commit, reveal, score and
# finalize it by themselves, and the winner's model answers a prediction.
. "${0%/*}/../lib.sh"
. "${0%/*}/../e2e/chain.sh"
. "${0%/*}/task.sh"

/usr/bin/python3 -c 'import sklearn' 2>/dev/null || skip_all "no sklearn"
ok "chain and contracts" task_chain --quorum 1 --difficulty 1000
/usr/bin/python3 - "$T" <<'PY'
import sys
from sklearn.datasets import load_breast_cancer
d = load_breast_cancer()
names = ["f%d" % i for i in range(30)] + ["y"]
rows = [list(map(repr, map(float, x))) + [str(int(y))] for x, y in zip(d.data, d.target)]
for name, part in (("train", rows[:400]), ("test", rows[400:])):
    with open(sys.argv[1] + "/" + name + ".csv", "w") as f:
        f.write(",".join(names) + "\n")
        for r in part:
            f.write(",".join(r) + "\n")
PY
trainer() {	# I
	DENAI_PRIVATE_KEY=$(key "$1") setsid sh -c "denai-watch --tasks --role trainer \
	    --poll 100 --state '$T/w$1.json' | denai-fetch | denai-train --state '$T/train$1' \
	    --threads 1 | denai-submit" >"$T/node$1.ndjson" 2>"$T/node$1.err" &
	E2E_PIDS="$E2E_PIDS $!"
}
validator() {	# I
	DENAI_PRIVATE_KEY=$(key "$1") setsid sh -c "denai-watch --tasks --role validator \
	    --poll 100 --state '$T/w$1.json' | denai-fetch | denai-validate --state '$T/val$1' |
	    denai-submit" >"$T/node$1.ndjson" 2>"$T/node$1.err" &
	E2E_PIDS="$E2E_PIDS $!"
}
trainer 2; trainer 3; validator 4; validator 5
DENAI_PRIVATE_KEY=$(key 1) setsid denai-task create --train "$T/train.csv" \
    --test "$T/test.csv" --label y --reward 1 --reveal-bond 0.1 \
    --commit-bond 0.01 --quorum 2 --windows 40,12,12,12,12 --auto-reveal \
    --timeout 300 >"$T/create.ndjson" 2>"$T/create.err" &
E2E_PIDS="$E2E_PIDS $!"

committed() { [ "$(denai-task show 1 2>/dev/null | jq '.trainers | length')" = 2 ]; }
revealed() { [ "$(denai-task show 1 | jq '[.trainers[] | select(.revealed)] | length')" = 2 ]; }
vstate() { "$CAST" call "$TASKS" "validatorState(uint256,address)(bool,bool)" 1 "$(addr "$1")" | tr '\n' ' '; }
vcommitted() { [ "$(vstate 4)$(vstate 5)" = "true false true false " ]; }
vrevealed() { [ "$(vstate 4)$(vstate 5)" = "true true true true " ]; }
finalized() { [ "$(phase 1)" = finalized ]; }
diagnose() { for i in 2 3 4 5; do diag "node $i: $(tail -c 600 "$T/node$i.err") $(tail -2 "$T/node$i.ndjson")"; done; }

ok "both trainer nodes commit" poll_until 120 committed || diagnose
mine_past 1 commit
ok "the creator's denai-task reveals the test set" poll_until 30 sh -c \
    "denai-task show 1 | jq -e '.test_cid != \"\"' >/dev/null"
ok "both trainer nodes reveal their models" poll_until 60 revealed || diagnose
mine_past 1 model_reveal
ok "both validator nodes commit their scores" poll_until 120 vcommitted || diagnose
mine_past 1 score_commit
ok "and reveal them" poll_until 60 vrevealed || diagnose
mine_past 1 score_reveal
ok "a node finalizes the task" poll_until 60 finalized || diagnose
show=$(denai-task show 1)
diag "$(jq -c '[.trainers[] | {trainer, score}], .outcome' <<<"$show")"
is "$(jq -r .outcome.outcome <<<"$show")" winner "a winner"
is "$(jq -r '[.trainers[] | .settled] | all' <<<"$show")" true "both scores settled"
is "$(jq -r '.outcome.winner as $w | .trainers | max_by(.score | tonumber) as $b |
    [.[] | select(.score == $b.score)] | min_by(.seq) | .trainer == $w' <<<"$show")" true \
    "the best score wins, a tie to the earlier commit"
mid=$(jq -r .outcome.model_id <<<"$show")
errs=$(cat "$T"/node[2-5].ndjson | jq -c 'select(.type == "error")')
is "$(printf '%s' "$errs" | grep -c .)" 0 "no error records from the nodes"
[ -z "$errs" ] || diag "$errs"

start_node 6 --poll 50
rid=$(request "$mid" "$TOP/examples/data/breast_cancer_0.json" 0.01ether)
res=$(denai-request --wait-for "$rid" --timeout 90 2>"$T/wait.err")
is "$(jq -r .status <<<"$res")" fulfilled "the trained winner answers a prediction"
e2e_stop
done_testing
