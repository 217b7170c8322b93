#!/usr/bin/env bash
# denai-task: golden NDJSON for create, list, show (before and after
# commits) and cancel, with the varying fields (contract address, block
# numbers) made relative; usage; each refusal with its exit status and
# message (bad CSVs before any transaction, a quorum over the validators,
# a reveal too early, cancel by another key, withdraw with nothing owed).
# DENAI_GOLDEN_UPDATE=1 rewrites the golden file.
. "${0%/*}/../lib.sh"
. "${0%/*}/../e2e/chain.sh"
. "${0%/*}/task.sh"

G=$TOP/tests/task/golden/denai-task.ndjson
usage_checks denai-task
run denai-task frobnicate
is "$rc" 64 "an unknown verb: 64"
run denai-task show
is "$rc" 64 "show without an id: 64"

ok "chain and contracts" task_chain --quorum 1 --difficulty 1000
chain_checks denai-task list
jq 'del(.tasks)' "$DENAI_DEPLOYMENT" >"$T/old.json"
DENAI_DEPLOYMENT=$T/old.json run denai-task list
is "$rc" 64 "a deployment without a tasks contract: 64"
ok "saying so" grep -q "has no tasks contract" "$T/err"
task_csvs "$T"
creator() { env DENAI_PRIVATE_KEY="$(key 1)" denai-task "$@"; }
create() {
	creator create --train "$T/train.csv" --test "$T/test.csv" --label y \
	    --reward 0.5 --reveal-bond 0.1 --commit-bond 0.01 --quorum 2 \
	    --windows 12,13,14,15,16 "$@"
}
# norm BASE: the contract named, deadlines relative to BASE.
norm() {
	jq -c --arg t "$TASKS" --argjson b "$1" '
	    (if .contract then .contract |= (if ascii_downcase == ($t | ascii_downcase)
	        then "TASKS" else . end) else . end) |
	    (if .deadlines then .deadlines |= map_values(. - $b) else . end) |
	    (if .block_number then .block_number -= $b else . end)'
}

# Refusals before any transaction.
printf 'a,b,y\n1,2,0\n' >"$T/other.csv"
run create --label z
is "$rc:$err" "65:denai-task: train: no label column \"z\" in the header" "a missing label column: 65"
run creator create --train "$T/train.csv" --test "$T/other.csv" --label y --reward 1
is "$rc:$err" "65:denai-task: test: its header differs from the training set's" "headers that differ: 65"
printf '\357\273\277a,y\n1,0\n' >"$T/bom.csv"
run creator create --train "$T/bom.csv" --test "$T/bom.csv" --label y --reward 1
is "$rc" 65 "a BOM: 65"
run create --windows 12,13
is "$rc" 64 "--windows with two numbers: 64"
run create --kind ranking
is "$rc" 64 "an unknown kind: 64"
run create --decimals 3
is "$rc" 64 "decimals for classification: 64"
is "$("$CAST" call "$TASKS" "taskCount()(uint256)")" 0 "no task was posted"
run create --quorum 9
is "$rc" 65 "a quorum over the validators: 65"
ok "naming InvalidQuorum" grep -q "InvalidQuorum(9, 3)" "$T/err"
run create --windows 2,12,12,12,12
is "$rc" 65 "a window under the minimum: 65"
ok "naming InvalidDeadlines" grep -q InvalidDeadlines "$T/err"

# The golden session.
base=$(head_block)
{
	create | norm "$base"
	creator list | norm "$base"
	creator show 1 | norm "$base"
} >"$T/out.ndjson"
id=1
sha=$(sha_of "$TOP/examples/models/breast_cancer.onnx")
seal=$(model_seal 1 "$(addr 2)" "$sha" 0x$(printf '%064d' 7))
echo "{\"type\":\"task\",\"action\":\"commit\",\"task_id\":\"1\",\"seal\":\"$seal\"}" | submit_as 2 >/dev/null
create | norm "$base" >>"$T/out.ndjson"
creator cancel 2 | norm "$base" >>"$T/out.ndjson"
creator show 1 | norm "$base" >>"$T/out.ndjson"
creator list --all | norm "$base" >>"$T/out.ndjson"
if [ -n "${DENAI_GOLDEN_UPDATE:-}" ]; then cp "$T/out.ndjson" "$G"; fi
if cmp -s "$T/out.ndjson" "$G"; then ok "output is the golden NDJSON" true
else ok "output is the golden NDJSON" false; diff "$G" "$T/out.ndjson" | sed 's/^/# /'; fi

run creator reveal 1
is "$rc" 75 "a reveal during the commit window: 75"
ok "saying when" grep -q "still takes commits" "$T/err"
run env DENAI_PRIVATE_KEY="$(key 3)" denai-task cancel 1
is "$rc" 65 "cancel by another key: 65"
run creator cancel 1
is "$rc" 65 "cancel after a commit: 65"
ok "naming HasCommits" grep -q HasCommits "$T/err"
run creator show 7
is "$rc:$err" "65:denai-task: task 7 does not exist" "show of a task that does not exist: 65"
run creator reveal 7
is "$rc" 65 "reveal of a task with no saved test set: 65"
run creator withdraw
is "$rc:$(jq -r '.type + " " + .amount' <<<"$out")" "0:withdrawal 600000000000000000" \
    "the creator withdraws the cancelled task's reward and bond"
run creator withdraw
is "$rc" 65 "then withdraw with nothing owed: 65"
# A create whose receipt never came back leaves only the pending state:
# reveal finds it by the seal the chain accepts.
id3=$(create | jq -r .task_id)
sd=$(dirname "$(ls "$DENAI_TASK_STATE"/*/task-"$id3".json)")
sf=$sd/task-$id3.json
jq 'del(.task_id)' "$sf" >"$sd/pending-$(jq -r .seal "$sf" | cut -c3-).json"
rm "$sf"
ok "another pending state beside it" cp "$sd/pending-$(jq -r .seal "$sd"/pending-*.json | head -1 | cut -c3-).json" \
    "$sd/pending-$(printf '%064d' 1).json"
jq '.salt = "0x'"$(printf '%064d' 5)"'" | .seal = "0x'"$(printf '%064d' 1)"'"' "$sd/pending-$(printf '%064d' 1).json" >"$T/p" &&
    mv "$T/p" "$sd/pending-$(printf '%064d' 1).json"
mine_past "$id3" commit
run creator reveal "$id3"
is "$rc" 0 "reveal from the pending state"; [ "$rc" = 0 ] || diag "$err"
is "$(jq -r .test_cid <<<"$out")" "$(cid_of "$T/test.csv")" "the test set is revealed"
ok "its state is saved under the task id" test -f "$sf"
is "$(ls "$sd" | grep -c '^pending-')" 1 "the other pending state stays"

run env DENAI_PRIVATE_KEY= denai-task create --train "$T/train.csv" --test "$T/test.csv" --label y --reward 1
is "$rc" 64 "create without a key: 64"
e2e_stop
done_testing
