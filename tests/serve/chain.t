#!/usr/bin/env bash
# denai-serve on a chain (anvil): the index follows the oracle (models,
# requests, miners, fulfilment); POST /api/requests sends from the node's
# key within the API key's budget (402 past it); Idempotency-Key (a retry
# creates one request, another body under the same key is 422); a miner
# elsewhere fetches the data point through this node's gateway; kill -9
# with a job accepted while the chain is away, then a restart, sends it
# exactly once; a deleted index.db is rebuilt from the chain.
. "${0%/*}/../lib.sh"
. "${0%/*}/../e2e/chain.sh"
. "${0%/*}/serve.sh"
trap 'serve_stop; e2e_stop; _tap_cleanup' EXIT
unset DENAI_PRIVATE_KEY ETH_KEYSTORE ETH_PASSWORD ETH_FROM

start_anvil
ok "deployed (quorum 1)" deploy --quorum 1 --difficulty 1000
M=$(register "$TOP/examples/models/breast_cancer.onnx" 0)
POINT=$(cat "$TOP/examples/data/breast_cancer_0.json")
count() { "$CAST" call "$ORACLE" 'requestCount()(uint256)'; }

# The node's RPC goes through a proxy, so the chain can be taken away.
PX=$(free_port)
start_proxy "$PX" "$PORT"
D=$T/srv
DENAI_PRIVATE_KEY=$(key 5) start_serve "$D" --rpc-url "http://127.0.0.1:$PX" --wait 10 --rate 0 --threads 1
ok "started" test -n "$P"
W=$(denai-serve key add --data-dir "$D" --name w --budget 0.025ether | jq -r .key)
A="Authorization: Bearer $W"

poll_until 20 eval '[ "$(curl -s "$U/api/models" | jq -r ".items[0].id")" = "$M" ]'
is "$(curl -s "$U/api/models/$M" | jq -c '[.id, .decimals, .description]')" "[\"$M\",0,\"test model\"]" \
    "GET /api/models/{id} from the index"
hc GET /healthz
is "$code:$(echo "$body" | jq -c '[.chain, .chain_up, .chain_id]')" '200:[true,true,31337]' "healthz: on chain 31337"
is "$(echo "$body" | jq -r .address)" "$(addr 5)" "healthz: the node's address"

# A request from an API key.
req='{"model_id": '$M', "data": '$POINT', "tip": "0.01ether"}'
hc POST /api/requests -H "$A" -H "Idempotency-Key: one" --data-binary "$req"
RID=$(echo "$body" | jq -r .request_id)
is "$code:$(hdr Location)" "201:/api/requests/$RID" "POST /api/requests: 201, Location"
is "$(count)" 1 "one request on chain"
hc POST /api/requests -H "$A" -H "Idempotency-Key: one" --data-binary "$req"
is "$code:$(echo "$body" | jq -r .request_id)" "201:$RID" "a retry with the same Idempotency-Key answers the same request"
is "$(count)" 1 "and sends nothing"
hc POST /api/requests -H "$A" -H "Idempotency-Key: one" --data-binary '{"model_id": '$M', "data": [1]}'
is "$code:$(echo "$body" | jq -r .field)" "422:Idempotency-Key" "the same key with another body: 422"
hc POST /api/requests -H "$A" --data-binary "{\"model_id\": $M, \"data\": $POINT, \"tip\": \"0.02ether\"}"
is "$code" 402 "past the key's budget: 402"
is "$(denai-serve key list --data-dir "$D" | jq -r .spent)" 10000000000000000 "the budget spent is the tip"
hc POST /api/requests -H "$A" --data-binary '{"model_id": 99, "data": [1]}'
is "$code:$(echo "$body" | jq -r .error | cut -c1-12)" "422:would revert" "an unknown model: 422, the revert named"
is "$(denai-serve key list --data-dir "$D" | jq -r .spent)" 10000000000000000 "a failed job spends nothing"
hc POST /api/tasks -H "$A" -d '{}'
is "$code" 400 "POST /api/tasks checks its body first"

# A miner elsewhere, reading the data point through this node's gateway.
DENAI_IPFS_GATEWAY=$U start_node 1 --poll 50
poll_until 60 eval '[ "$(curl -s "$U/api/requests/$RID" | jq -r .status)" = fulfilled ]'
hc GET "/api/requests/$RID"
is "$(echo "$body" | jq -r .status)" fulfilled "the request is fulfilled (the miner fetched through the gateway)"
is "$(echo "$body" | jq -r .prediction)" "$(sklearn_says "$TOP/examples/data/breast_cancer_0.json")" "with the prediction"
is "$(echo "$body" | jq -r '.miners[0].miner')" "$(addr 1 | tr A-F a-f)" "and its miner"
is "$(curl -s "$U/api/requests?status=fulfilled" | jq -r '.items[0].id')" "$RID" "listed as fulfilled"
hc GET /metrics
ok "metrics: requests by status" grep -q '^denai_serve_requests{status="fulfilled"} 1$' "$T/body"
ok "metrics: the chain head" grep -qE '^denai_serve_chain_head_block [1-9]' "$T/body"

# The chain goes away; a job is accepted (202), the node is killed -9,
# the chain comes back, the node restarts and sends it once.
W2=$(denai-serve key add --data-dir "$D" --name w2 --budget 1ether | jq -r .key)
stop_proxy
n0=$(count)
serve_stop_9() { kill -9 "$SERVE_PID"; wait "$SERVE_PID" 2>/dev/null; SERVE_PIDS=""; }
curl -s -o "$T/bg.body" -D "$T/bg.headers" -w '%{http_code}' -X POST \
    -H "Authorization: Bearer $W2" -H "Idempotency-Key: k9" "$U/api/requests" \
    --data-binary "{\"model_id\": $M, \"data\": $POINT}" >"$T/bg.code" &
bg=$!
sleep 1
t0=$(date +%s%N)
hc GET /healthz
is "$code" 200 "while a POST waits for the chain, its one HTTP thread serves others"
ok "at once (the waiting connection is suspended, not a thread)" \
    test $((($(date +%s%N) - t0) / 1000000)) -lt 5000
wait "$bg"
code=$(cat "$T/bg.code"); body=$(cat "$T/bg.body"); cp "$T/bg.headers" "$T/headers"
JOB=$(echo "$body" | jq -r .job)
is "$code:$(hdr Location)" "202:/api/requests/$JOB" "the chain away: 202 with the job to poll"
hc GET "/api/requests/$JOB"
is "$code:$(echo "$body" | jq -r .state)" "200:accepted" "the job is accepted"
serve_stop_9
start_proxy "$PX" "$PORT"
DENAI_PRIVATE_KEY=$(key 5) start_serve "$D" --rpc-url "http://127.0.0.1:$PX" --wait 20 --rate 0
poll_until 30 eval '[ "$(curl -s "$U/api/requests/$JOB" | jq -r .state)" = done ]'
hc GET "/api/requests/$JOB"
R2=$(echo "$body" | jq -r .request_id)
is "$(echo "$body" | jq -r .state):$R2" "done:$((RID + 1))" "after kill -9 and a restart the job is sent"
is "$(count)" $((n0 + 1)) "exactly once"
hc POST /api/requests -H "Authorization: Bearer $W2" -H "Idempotency-Key: k9" \
    --data-binary "{\"model_id\": $M, \"data\": $POINT}"
is "$code:$(echo "$body" | jq -r .request_id)" "201:$R2" "its retry answers the request"
serve_stop

# index.db deleted: rebuilt from the chain; state.db (keys) kept.
rm -f "$D"/index.db*
DENAI_PRIVATE_KEY=$(key 5) start_serve "$D" --rpc-url "http://127.0.0.1:$PX" --rate 0
poll_until 30 eval '[ "$(curl -s "$U/api/requests/$RID" | jq -r .status)" = fulfilled ]'
is "$(curl -s "$U/api/requests/$RID" | jq -r .status)" fulfilled "a deleted index.db is rebuilt from the chain"
is "$(curl -s "$U/api/models" | jq -r '.items | length')" 1 "models too"
hc POST /api/ipfs -H "$A" --data-binary x
is "$code" 201 "the keys survive (state.db)"

# A reorg: the chain goes back before a request, then grows again.
snap=$("$CAST" rpc evm_snapshot | tr -d '"')
hc POST /api/requests -H "Authorization: Bearer $W2" --data-binary "{\"model_id\": $M, \"data\": $POINT}"
R3=$(echo "$body" | jq -r .request_id)
is "$code:$(curl -s "$U/api/requests/$R3" | jq -r .id)" "201:$R3" "a request indexed"
"$CAST" rpc evm_revert "$snap" >/dev/null
"$CAST" rpc anvil_mine 3 >/dev/null
poll_until 30 eval '[ "$(curl -s -o /dev/null -w "%{http_code}" "$U/api/requests/$R3")" = 404 ]'
is "$(curl -s -o /dev/null -w '%{http_code}' "$U/api/requests/$R3")" 404 "a reorg takes it out of the index"
is "$(curl -s "$U/api/requests/$RID" | jq -r .status)" fulfilled "what came before stays"
ok "the reorg is counted" eval 'curl -s "$U/metrics" | grep -qE "^denai_serve_chain_reorgs_total [1-9]"'
serve_stop
done_testing
