#!/usr/bin/env bash
# examples/demo.sh - the whole DenAI network on one machine (make demo):
# a local chain, the contracts, two models, five miner nodes, and one
# prediction request per model through the example consumer, printed next
# to scikit-learn's answer for the same input. Everything it starts is
# stopped when it ends, also on Ctrl-C.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"
export PATH="$TOP/bin:$PATH"
ANVIL="$TOP/tools/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil"
CAST="$TOP/tools/node_modules/@foundry-rs/cast-linux-amd64/bin/cast"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/denai-demo.XXXXXX")
PIDS=()

cleanup() {
	trap - EXIT INT TERM
	for p in "${PIDS[@]}"; do kill -TERM -- "-$p" 2>/dev/null || kill "$p" 2>/dev/null || true; done
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

# anvil's well-known development keys (mnemonic "test test ... junk").
KEYS=(
 0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80
 0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d
 0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a
 0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6
 0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a
 0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba
)

PORT=$(free_port)
say "starting anvil on 127.0.0.1:$PORT"
setsid "$ANVIL" --port "$PORT" --silent &
PIDS+=($!)
export ETH_RPC_URL="http://127.0.0.1:$PORT"
for _ in $(seq 100); do "$CAST" chain-id >/dev/null 2>&1 && break; sleep 0.1; done

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
say "done in $((SECONDS - start)) s; stopping the network"
