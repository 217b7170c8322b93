#!/usr/bin/env bash
# A miner node started while its Ethereum node is away (restarted during
# an outage): watch and submit wait for it, saying so once, instead of
# exiting; once it answers, the request made meanwhile is served.
. "${0%/*}/../lib.sh"
. "${0%/*}/chain.sh"
[ -x /usr/bin/python3 ] || skip_all "no /usr/bin/python3 for the proxy"

start_anvil
ANVIL_URL=$ETH_RPC_URL
ok "deployed with quorum 1" deploy --quorum 1 --difficulty 1000
bc=$(register "$TOP/examples/models/breast_cancer.onnx" 0)
is "$(request "$bc" "$TOP/examples/data/breast_cancer_1.json" 1)" 1 "request 1 made"
PPORT=$(free_port)
export ETH_RPC_URL="http://127.0.0.1:$PPORT"	# nothing there yet
start_node 1 --poll 100
err=$T/node1.err
waiting() { [ -f "$err" ] && [ "$(grep -c 'waiting for it' "$err")" -ge 2 ]; }
ok "watch and submit say they wait for the node" poll_until 30 waiting
sleep 2
ok "the node comes" start_proxy "$PPORT" "$PORT"
served() { [ "$(jq -r 'select(.request_id == "1") | .status' "$T/node1.ndjson" 2>/dev/null)" = mined ]; }
ok "request 1 served" poll_until 60 served
e2e_stop
is "$(grep -c '^denai-watch: .*waiting for it' "$err")" 1 "denai-watch: one line while away"
is "$(grep -c '^denai-submit: .*waiting for it' "$err")" 1 "denai-submit: one line while away"
is "$(grep -c 'node answers again' "$err")" 2 "and one each when it answers"
is "$(grep -v -e 'waiting for it$' -e 'answers again' "$err" | head -3)" "" "nothing else on stderr"
done_testing
