#!/usr/bin/env bash
# examples/serve.sh - the REST node on a local chain, driven with curl: a
# chain and the contracts, one miner node, denai-serve with an API key;
# then a prediction request and a training task over HTTP, the test set
# revealed by the node itself, the status page and the metrics. Everything
# it starts is stopped when it ends, also on Ctrl-C.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"
export PATH="$TOP/bin:$PATH"
ANVIL="$TOP/tools/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil"
CAST="$TOP/tools/node_modules/@foundry-rs/cast-linux-amd64/bin/cast"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/denai-serve.XXXXXX")
PIDS=()
cleanup() {
	trap - EXIT INT TERM
	for p in "${PIDS[@]}"; do kill -TERM -- "-$p" 2>/dev/null || kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'echo; echo "serve.sh: interrupted" >&2; exit 130' INT TERM
say() { printf '\033[1m== %s\033[0m\n' "$*" >&2; }
free_port() {
	local p
	for _ in $(seq 50); do
		p=$((20000 + RANDOM % 20000))
		(exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
	done
	exit 69
}
# anvil's development keys: deployer, miner, validator, the node's own.
K0=0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80
K1=0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d
K3=0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6
K5=0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba

PORT=$(free_port)
say "anvil on 127.0.0.1:$PORT, the contracts, a model"
setsid "$ANVIL" --port "$PORT" --silent &
PIDS+=($!)
export ETH_RPC_URL="http://127.0.0.1:$PORT"
for _ in $(seq 100); do "$CAST" chain-id >/dev/null 2>&1 && break; sleep 0.1; done
export DENAI_DEPLOYMENT="$WORK/deployment.json" DENAI_IPFS_DIR="$WORK/ipfs"
export DENAI_ARTIFACTS="$TOP/build/contracts" XDG_STATE_HOME="$WORK/state"
DENAI_PRIVATE_KEY=$K0 denai-deploy --quorum 1 --difficulty 1000 >/dev/null
DENAI_PRIVATE_KEY=$K0 denai-deploy grant VALIDATOR_ROLE \
    "$(DENAI_PRIVATE_KEY=$K3 denai-key address)" >/dev/null
MODEL=$(DENAI_PRIVATE_KEY=$K0 denai-model register examples/models/breast_cancer.onnx \
    --decimals 0 --description "breast cancer" | jq -r .model_id)

HTTP=$(free_port)
U=http://127.0.0.1:$HTTP
say "denai-serve on $U (its own key pays; each API key has a budget)"
DENAI_PRIVATE_KEY=$K5 setsid denai-serve --data-dir "$WORK/serve" --port "$HTTP" \
    --poll-ms 200 2>"$WORK/serve.err" &
PIDS+=($!)
until curl -sf "$U/healthz" >/dev/null; do sleep 0.1; done
KEY=$(denai-serve key add --data-dir "$WORK/serve" --name example --budget 2ether | jq -r .key)
AUTH="Authorization: Bearer $KEY"

say "a miner node that fetches data points through this gateway"
DENAI_PRIVATE_KEY=$K1 DENAI_IPFS_GATEWAY=$U setsid examples/node.sh --threads 1 \
    --poll 100 --log "$WORK/node.ndjson" 2>"$WORK/node.err" &
PIDS+=($!)

say "POST /api/requests"
curl -s -H "$AUTH" -H 'Idempotency-Key: example-1' "$U/api/requests" \
    -d "{\"model_id\": $MODEL, \"data\": $(cat examples/data/breast_cancer_2.json), \"tip\": \"0.01ether\"}" |
    tee "$WORK/req.json" | jq -c '{request_id, status, data_cid}'
RID=$(jq -r .request_id "$WORK/req.json")
until [ "$(curl -s "$U/api/requests/$RID" | jq -r .status)" = fulfilled ]; do sleep 0.5; done
say "GET /api/requests/$RID"
curl -s "$U/api/requests/$RID" | jq -c '{id, status, prediction, miners: [.miners[].miner]}'

say "POST /api/tasks (training and test CSV inline; the test set stays private)"
CSV() { printf 'x1,x2,label\n'; for i in $(seq "$1" "$2"); do echo "$i,$((i % 7)),$((i % 2))"; done; }
jq -n --arg tr "$(CSV 1 40)" --arg te "$(CSV 41 60)" '{train_csv: $tr, test_csv: $te,
    kind: "classification", label_column: "label", reward: "1ether", reveal_bond: "0.1ether",
    commit_bond: "0.01ether", quorum: 1,
    windows: {commit: 10, test_reveal: 10, model_reveal: 10, score_commit: 10, score_reveal: 10}}' |
    curl -s -H "$AUTH" -H 'Idempotency-Key: task-1' "$U/api/tasks" --data-binary @- |
    tee "$WORK/task.json" | jq -c '{id, phase, deadlines, test_cid}'
TID=$(jq -r .id "$WORK/task.json")
say "past the commit deadline, the node reveals the test set itself"
"$CAST" rpc anvil_mine 11 >/dev/null
until [ "$(curl -s "$U/api/tasks/$TID" | jq -r .test_cid)" != null ]; do sleep 0.3; done
curl -s "$U/api/tasks/$TID" | jq -c '{id, phase, test_cid}'

say "GET /api/tasks?phase=model_reveal, /api/models, /metrics"
curl -s "$U/api/tasks?phase=model_reveal" | jq -c '[.items[].id]'
curl -s "$U/api/models" | jq -c '[.items[] | {id, description}]'
curl -s "$U/metrics" | grep -E '^denai_serve_(tasks|requests|chain_head_block)'
say "the status page is at $U/ (Ctrl-C to stop)"
[ -t 0 ] && [ "${1:-}" != --once ] && sleep infinity || true
