#!/usr/bin/env bash
# examples/demo.sh - the whole DenAI network on one machine (make demo):
# a local chain, the contracts, two models, five miner nodes, and one
# prediction request per model through the example consumer, printed next
# to scikit-learn's answer for the same input, and a sealed (commit-reveal)
# request through the same miners, its seals and reveals printed block by
# block. Then a second act, the
# training platform: a task on the breast-cancer training split with a
# private test split, two trainer nodes (examples/trainer.sh, gbt and rf)
# and three validator nodes (examples/validator.sh) doing it by themselves
# while the demo advances the chain past each deadline; the leaderboard,
# the winner, the model id it was registered under, and that new model
# asked for a prediction through the five miners. Everything it starts is
# stopped when it ends, also on failure and on Ctrl-C.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"
export PATH="${DENAI_BIN:-$TOP/bin}:$PATH"
ANVIL="$TOP/tools/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil"
CAST="$TOP/tools/node_modules/@foundry-rs/cast-linux-amd64/bin/cast"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/denai-demo.XXXXXX")
PIDS=()

cleanup() {
	trap - EXIT; trap "" INT TERM	# a second Ctrl-C does not cut the cleanup short
	for p in "${PIDS[@]}"; do kill -TERM -- "-$p" 2>/dev/null || kill "$p" 2>/dev/null || true; done
	# every stage of every pipeline gone (a second, then kill -9)
	for _ in $(seq 20); do
		local alive=
		for p in "${PIDS[@]}"; do kill -0 -- "-$p" 2>/dev/null && alive=1; done
		[ -n "$alive" ] || break
		sleep 0.05
	done
	for p in "${PIDS[@]}"; do kill -KILL -- "-$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'echo; echo "demo: interrupted" >&2; exit 130' INT TERM

say() { printf '\033[1m== %s\033[0m\n' "$*" >&2; }

free_port() {
	local p
	for _ in $(seq 50); do
		p=$((20000 + RANDOM % 20000))
		(exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
	done
	echo "demo: no free port" >&2; exit 69
}

# anvil's well-known development keys (mnemonic "test test ... junk"):
# 0 deploys and is the consumer, 1-5 mine, 6 posts the training task,
# 7 and 8 train, 9, 10 and 11 validate.
KEYS=(
 0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80
 0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d
 0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a
 0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6
 0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a
 0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba
 0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e
 0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356
 0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97
 0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6
 0xf214f2b2cd398c806f84e317254e0f0b801d0643303237d97a22a48e01628897
 0x701b615bbdfb9de65240bc28bd21bbc0d996645a3dd57e7b12bc2bdf6f192c82
)

# Our anvil must answer and still be alive: when another program took the
# port first, ours exited and theirs answers; then try another port.
for try in 1 2 3 4 5; do
	PORT=$(free_port)
	say "starting anvil on 127.0.0.1:$PORT"
	setsid "$ANVIL" --port "$PORT" --accounts ${#KEYS[@]} --silent &
	PIDS+=($!)
	export ETH_RPC_URL="http://127.0.0.1:$PORT"
	up=
	for _ in $(seq 100); do
		kill -0 "${PIDS[-1]}" 2>/dev/null || break
		"$CAST" chain-id >/dev/null 2>&1 && { sleep 0.2; kill -0 "${PIDS[-1]}" 2>/dev/null && up=1; break; }
		sleep 0.1
	done
	[ -z "$up" ] || break
	[ "$try" -lt 5 ] || { echo "demo: anvil did not start" >&2; exit 69; }
done

export DENAI_DEPLOYMENT="$WORK/deployment.json" DENAI_IPFS_DIR="$WORK/ipfs"
export DENAI_ARTIFACTS="$TOP/build/contracts" XDG_STATE_HOME="$WORK/state"

say "deploying (quorum 5)"
DENAI_PRIVATE_KEY=${KEYS[0]} denai-deploy --quorum 5 --difficulty 50000 >/dev/null
CONSUMER=$(jq -r .consumer "$DENAI_DEPLOYMENT")

say "registering the models"
bc=$(DENAI_PRIVATE_KEY=${KEYS[0]} denai-model register examples/models/breast_cancer.onnx \
    --decimals 0 --description "breast cancer: random forest, 30 features, 0 malignant / 1 benign" | jq -r .model_id)
db=$(DENAI_PRIVATE_KEY=${KEYS[0]} denai-model register examples/models/diabetes.onnx \
    --decimals 0 --description "diabetes progression: regressor, 10 features" | jq -r .model_id)
denai-model list | jq -r '"   model \(.model_id): \(.cid)  \(.description)"' >&2

say "starting five miner nodes"
for i in 1 2 3 4 5; do
	DENAI_PRIVATE_KEY=${KEYS[$i]} setsid examples/node.sh --threads 1 --poll 10 \
	    --log "$WORK/node$i.ndjson" 2>"$WORK/node$i.err" &
	PIDS+=($!)
done

sklearn() {	# sklearn's answer for a data file, from the models manifest
	jq -r --arg f "../data/$(basename "$1")" \
	    '.models[].examples[] | select(.file == $f) | .prediction' examples/models/models.json
}

wait_for() {	# SECONDS WHAT CMD...: poll CMD until it succeeds
	local end=$((SECONDS + $1)) what=$2; shift 2
	until "$@"; do
		if [ "$SECONDS" -ge "$end" ]; then
			echo "demo: timed out waiting for $what; the nodes' logs:" >&2
			for f in "$WORK"/*.err "$WORK"/*.ndjson; do
				[ -s "$f" ] && { echo "-- $f" >&2; tail -5 "$f" >&2; }
			done
			exit 1
		fi
		sleep 0.2
	done
}
ask() {
	local model=$1 data=$2 name=$3 req id res cons
	say "asking model $model ($name) about $data through the consumer"
	req=$(DENAI_PRIVATE_KEY=${KEYS[0]} denai-request --consumer --model "$model" \
	    --data "$data" --tip 0.01ether)
	id=$(jq -r .request_id <<<"$req")
	echo "   request $id, data $(jq -r .data_cid <<<"$req")" >&2
	res=$(denai-request --wait-for "$id" --timeout 90)
	cons=$("$CAST" call "$CONSUMER" "responses(uint256)(uint256,address,bool)" "$id" | head -1)
	printf '   %-14s request %s: consumer received %s (sklearn says %s); %s of %s miners agreed, callback ok: %s\n' \
	    "$name" "$id" "$cons" "$(sklearn "$data")" \
	    "$(jq '.agreed | length' <<<"$res")" "$(jq '.submissions | length' <<<"$res")" \
	    "$(jq -r .callback_ok <<<"$res")"
}

start=$SECONDS
ask "$bc" examples/data/breast_cancer_2.json "breast cancer"
ask "$db" examples/data/diabetes_0.json "diabetes"

# A sealed request (commit-reveal, the requester's choice): the same five
# miners first commit keccak256(requestId, miner, prediction, salt), then
# reveal once all five seals are in, so none can copy another's value.
miner_of() { local i; for i in 1 2 3 4 5; do
	[ "$(DENAI_PRIVATE_KEY=${KEYS[$i]} denai-key address)" = "$1" ] && { echo "miner $i"; return; }; done; echo "$1"; }
say "a sealed request: the five miners commit sealed predictions, then reveal them"
req=$(DENAI_PRIVATE_KEY=${KEYS[0]} denai-request --consumer --sealed --model "$bc" \
    --data examples/data/breast_cancer_3.json --tip 0.01ether)
id=$(jq -r .request_id <<<"$req")
echo "   request $id, sealed: $(jq -r .sealed <<<"$req")" >&2
res=$(denai-request --wait-for "$id" --timeout 90)
sealed_recs() { cat "$WORK"/node[1-5].ndjson | jq -s -c --arg id "$id" \
    '[.[] | select(.request_id == $id and .status == "mined")]'; }
wait_for 30 "five sealed records" sh -c "[ \"\$(cat $WORK/node[1-5].ndjson | jq -s '[.[] | select(.request_id == \"$id\" and .status == \"mined\")] | length')\" = 5 ]"
recs=$(sealed_recs)
echo "   seals in:" >&2
jq -r 'sort_by(.commit_block_number)[] | "\(.commit_block_number) \(.miner)"' <<<"$recs" |
    while read -r b m; do echo "     block $b: $(miner_of "$m") committed its seal" >&2; done
echo "   the fifth seal opened the reveal window ($("$CAST" call "$(jq -r .oracle "$DENAI_DEPLOYMENT")" "REVEAL_WINDOW()(uint256)") blocks); reveals:" >&2
jq -r 'sort_by(.block_number)[] | "\(.block_number) \(.miner) \(.prediction)"' <<<"$recs" |
    while read -r b m p; do echo "     block $b: $(miner_of "$m") revealed $p" >&2; done
cons=$("$CAST" call "$CONSUMER" "responses(uint256)(uint256,address,bool)" "$id" | head -1)
printf '   %-14s request %s: consumer received %s (sklearn says %s); %s of %s revealers agreed, callback ok: %s\n' \
    "sealed" "$id" "$cons" "$(sklearn examples/data/breast_cancer_3.json)" \
    "$(jq '.agreed | length' <<<"$res")" "$(jq '.submissions | length' <<<"$res")" \
    "$(jq -r .callback_ok <<<"$res")"

# ---- act two: the training platform ----------------------------------
# A task asks for a better model; trainer and validator nodes do it by
# themselves; the demo only advances the chain (anvil mines a block per
# transaction, deadlines are blocks) and prints what happens.
TRAIN=examples/data/breast_cancer_train.csv TEST=examples/data/breast_cancer_test.csv
ALGOS=([7]=gbt [8]=rf)
addr_of() { DENAI_PRIVATE_KEY=${KEYS[$1]} denai-key address; }
declare -A NAME
for i in 6 7 8 9 10 11; do NAME[$(addr_of "$i")]=$i; done
who() {	# ADDRESS: a short name for the demo's roles
	local i=${NAME[$1]:-}
	case $i in
	6) echo "creator $1" ;;
	7|8) echo "trainer $((i - 6)) ($1, ${ALGOS[$i]})" ;;
	9|10|11) echo "validator $((i - 8)) ($1)" ;;
	*) echo "$1" ;;
	esac
}
show() { denai-task show "$TASK"; }
mine_past() {	# DEADLINE-NAME: mine empty blocks until the deadline is behind us
	local dl h
	dl=$(show | jq -r ".deadlines.$1")
	h=$("$CAST" block-number)
	[ "$h" -gt "$dl" ] || "$CAST" rpc anvil_mine "$(printf '0x%x' $((dl - h + 1)))" >/dev/null
	echo "   (mined to block $("$CAST" block-number), past the $1 deadline $dl)" >&2
}
ntrainers() { show | jq "[.trainers[] | select($1)] | length"; }
vstate() {
	"$CAST" call "$TASKS" "validatorState(uint256,address)(bool,bool)" "$TASK" \
	    "$(addr_of "$1")" | tr '\n' ' '
}
vall() { [ "$(vstate 9)$(vstate 10)$(vstate 11)" = "$(printf "$1 %.0s" 1 2 3)" ]; }

say "act two: a training task"
echo "   The oracle only serves models someone registered. A training task asks anyone
   to train a better one: the creator posts a training set and a reward, keeps
   a test set sealed until every trainer has committed, validators score the
   revealed models on it, and the best is paid and registered as a new model.
   Why a private test split: on a public dataset trainers could know the test rows and fit them." >&2
TASKS=$(jq -r .tasks "$DENAI_DEPLOYMENT")
for i in 9 10 11; do
	DENAI_PRIVATE_KEY=${KEYS[0]} denai-deploy grant VALIDATOR_ROLE "$(addr_of "$i")" >/dev/null
done
echo "   VALIDATOR_ROLE granted to validators 1-3 (keys 9-11)" >&2

say "starting two trainer nodes (gbt, rf) and three validator nodes"
for i in 7 8; do
	DENAI_PRIVATE_KEY=${KEYS[$i]} setsid examples/trainer.sh --dir "$WORK/trainer$i" \
	    --algo "${ALGOS[$i]}" --threads 1 --poll 100 \
	    --log "$WORK/trainer$i.ndjson" 2>"$WORK/trainer$i.err" &
	PIDS+=($!)
done
for i in 9 10 11; do
	DENAI_PRIVATE_KEY=${KEYS[$i]} setsid examples/validator.sh --dir "$WORK/validator$i" \
	    --poll 100 --log "$WORK/validator$i.ndjson" 2>"$WORK/validator$i.err" &
	PIDS+=($!)
done

rows=$(($(wc -l <"$TEST") - 1))
say "creator posts the task: $TRAIN ($(($(wc -l <"$TRAIN") - 1)) rows) public, $TEST ($rows rows) sealed"
DENAI_PRIVATE_KEY=${KEYS[6]} setsid denai-task create --train "$TRAIN" --test "$TEST" \
    --label diagnosis --reward 1 --reveal-bond 0.1 --commit-bond 0.01 --quorum 2 \
    --windows 30,10,10,10,10 --auto-reveal --state-dir "$WORK/creator" \
    >"$WORK/creator.ndjson" 2>"$WORK/creator.err" &
PIDS+=($!)
task_posted() {	# sets TASK from denai-task's first record (jq 1.6 -e passes empty input)
	TASK=$(head -1 "$WORK/creator.ndjson" | jq -r '.task_id // empty' 2>/dev/null)
	[ -n "$TASK" ]
}
wait_for 30 "the task" task_posted
show | jq -r '"   task \(.task_id): reward 1 ETH, quorum \(.quorum), training set \(.train_cid)",
    "   deadlines (blocks): \(.deadlines | to_entries | map("\(.key) \(.value)") | join(", "))"' >&2

say "phase commit: the trainers train on the public split and commit sealed models"
wait_for 60 "two commits" sh -c "[ \$(denai-task show $TASK | jq '.trainers | length') = 2 ]"
show | jq -r '.trainers[] | "\(.trainer) \(.seal)"' | while read -r a s; do
	echo "   $(who "$a") committed seal $s" >&2; done
mine_past commit

say "phase test_reveal: the creator's denai-task reveals the test split"
test_revealed() { [ -n "$(show | jq -r '.test_cid // empty')" ]; }
wait_for 30 "the test set" test_revealed
echo "   test set $(show | jq -r .test_cid)" >&2

say "phase model_reveal: the trainers reveal their models (from their state directories)"
wait_for 60 "two reveals" sh -c "[ \$(denai-task show $TASK | jq '[.trainers[] | select(.revealed)] | length') = 2 ]"
show | jq -r '.trainers[] | "\(.trainer) \(.model_cid)"' | while read -r a c; do
	echo "   $(who "$a") revealed model $c" >&2; done
mine_past model_reveal

say "phase score_commit: each validator scores both models on the $rows test rows and commits a sealed list"
wait_for 60 "three score seals" vall "true false"
echo "   validators 1, 2 and 3 committed" >&2
mine_past score_commit

say "phase score_reveal: the validators reveal their lists; a score settles on 2 agreeing votes"
wait_for 60 "three score reveals" vall "true true"
echo "   validators 1, 2 and 3 revealed" >&2
mine_past score_reveal

say "finalize: a validator node finalizes the task; the winner is paid and registered"
wait_for 60 "the outcome" sh -c "[ \"\$(denai-task show $TASK | jq -r .phase)\" = finalized ]"
final=$(show)
echo "   leaderboard (score = test rows predicted right):" >&2
jq -r '.trainers | sort_by(-(.score | tonumber), .seq)[] | "\(.trainer) \(.score)"' <<<"$final" |
    while read -r a sc; do printf '     %-62s %s of %s rows\n' "$(who "$a")" "$sc" "$rows" >&2; done
WINNER=$(jq -r .outcome.winner <<<"$final")
MID=$(jq -r .outcome.model_id <<<"$final")
echo "   winner: $(who "$WINNER"), registered as model $MID" >&2
denai-model list | jq -r --arg m "$MID" 'select(.model_id == $m) |
    "   model \(.model_id): \(.cid), owned by \(.trainer)"' >&2

say "asking the new model $MID through the consumer and the five miners"
jq -Rc 'split(",")[:-1] | map(tonumber)' <<<"$(sed -n 2p "$TEST")" >"$WORK/row.json"
label=$(sed -n 2p "$TEST" | awk -F, '{print $NF}')
WCID=$(jq -r --arg w "$WINNER" '.trainers[] | select(.trainer == $w) | .model_cid' <<<"$final")
denai-ipfs get -o "$WORK/winner.onnx" "$WCID" >/dev/null
own=$(denai-predict --model "$WORK/winner.onnx" <"$WORK/row.json" | jq -r '.prediction // .')
req=$(DENAI_PRIVATE_KEY=${KEYS[0]} denai-request --consumer --model "$MID" \
    --data "$WORK/row.json" --tip 0.01ether)
id=$(jq -r .request_id <<<"$req")
res=$(denai-request --wait-for "$id" --timeout 90)
cons=$("$CAST" call "$CONSUMER" "responses(uint256)(uint256,address,bool)" "$id" | head -1)
printf '   test row 1 (label %s): consumer received %s, the winner'"'"'s model file says %s; %s of %s miners agreed\n' \
    "$label" "$cons" "$own" "$(jq '.agreed | length' <<<"$res")" "$(jq '.submissions | length' <<<"$res")" >&2

say "done in $((SECONDS - start)) s; stopping the network"
