#!/usr/bin/env bash
# The RPC endpoint goes away for a few seconds and comes back, twice: a
# TCP forwarder in front of anvil is killed and restarted on the same
# port. denai-watch, and a whole miner node (quorum 2, so the requests stay
# open for the watch to see however late it comes back), talk to anvil only
# through it; the requests are made straight to anvil, during the outage
# too. denai-watch says "retrying" once per outage and when the node
# answers again, and emits every request once; the node serves them all.
. "${0%/*}/../lib.sh"
. "${0%/*}/chain.sh"
[ -x /usr/bin/python3 ] || skip_all "no /usr/bin/python3 for the proxy"

start_anvil
ANVIL_URL=$ETH_RPC_URL
ok "deployed with quorum 2" deploy --quorum 2 --difficulty 1000
bc=$(register "$TOP/examples/models/breast_cancer.onnx" 0)
D=$TOP/examples/data
direct() { ETH_RPC_URL=$ANVIL_URL request "$@"; }

PPORT=$(free_port)
ok "the forwarder listens" start_proxy "$PPORT" "$PORT"
export ETH_RPC_URL="http://127.0.0.1:$PPORT"
out=$T/watch.ndjson
start_watch "$out" --state "$T/watch-state.json" --all --poll 100
start_node 1 --state "$T/node-state.json"
has() { [ "$(nlines "$out")" -ge "$1" ]; }
served() { # the node's submission for request $1 was mined
	[ "$(jq -r --arg id "$1" 'select(.request_id == $id) | .status' "$T/node1.ndjson" 2>/dev/null)" = mined ] &&
	[ "$(ETH_RPC_URL=$ANVIL_URL "$CAST" call "$ORACLE" "hasSubmitted(uint256,address)(bool)" "$1" "$(addr 1)")" = true ]
}

is "$(direct "$bc" "$D/breast_cancer_0.json" 1)" 1 "request 1 made"
ok "request 1 emitted" poll_until 30 has 1
ok "the node served request 1" poll_until 60 served 1

for k in 1 2; do
	id=$((k + 1))
	stop_proxy
	down() { [ "$(grep -c 'retrying' "$out.err")" -ge "$k" ]; }
	ok "outage $k: denai-watch says it is retrying" poll_until 30 down
	is "$(direct "$bc" "$D/breast_cancer_$id.json" "$id")" "$id" \
	    "outage $k: request $id made while the node is away"
	sleep 3		# the outage: several polls fail meanwhile
	ok "outage $k: the forwarder is back" start_proxy "$PPORT" "$PORT"
	up() { [ "$(grep -c 'answers again' "$out.err")" -ge "$k" ]; }
	ok "outage $k: denai-watch says the node answers again" poll_until 60 up
	ok "outage $k: request $id emitted" poll_until 30 has "$id"
	ok "outage $k: the node served request $id" poll_until 60 served "$id"
done

is "$(grep -c 'retrying' "$out.err")" 2 "one retrying line per outage"
is "$(grep -c 'answers again' "$out.err")" 2 "one answers-again line per outage"
is "$(grep -v -e 'retrying$' -e 'answers again' "$out.err" | head -3)" "" \
    "nothing else on stderr"
is "$(jq -r .request_id "$out" | tr '\n' ' ')" "1 2 3 " \
    "each request emitted once"
is "$(jq -r 'select(.status == "mined") | .request_id' "$T/node1.ndjson" | tr '\n' ' ')" "1 2 3 " \
    "the node submitted once for each request"
kill -TERM "$WATCH_PID"; wait "$WATCH_PID"
is "$?" 0 "denai-watch exits 0 on SIGTERM"
e2e_stop
done_testing
