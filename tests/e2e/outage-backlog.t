#!/usr/bin/env bash
# The RPC node goes away under a backlog, for 10 s and then for 60 s: a
# TCP forwarder in front of anvil, which the miner node talks through, is
# killed and restarted on the same port (to the node, anvil is gone:
# connections refused). Twenty requests wait in the node's pipeline each
# time. Every stage waits the outage out, retrying with backoff (submit for
# as long as a request can still be served), and says so once per outage,
# not once per request: every request is fulfilled, no error record.
# (Before, submit gave up after 3 tries in 0.75 s: 13 of 40 lost to 5 s.)
. "${0%/*}/../lib.sh"
. "${0%/*}/chain.sh"
[ -x /usr/bin/python3 ] || skip_all "no /usr/bin/python3 for the proxy"

start_anvil
ANVIL_URL=$ETH_RPC_URL
ok "deployed with quorum 1" deploy --quorum 1 --difficulty 2000000
bc=$(register "$TOP/examples/models/breast_cancer.onnx" 0)
D=$TOP/examples/data
status() { # request $1's status on chain (2: fulfilled)
	ETH_RPC_URL=$ANVIL_URL "$CAST" call "$ORACLE" "getRequest(uint256)(address,uint256,string,uint256,bytes32,uint256,uint256,uint256,uint8,uint256,uint256,bool)" "$1" | sed -n 9p
}
fulfilled() { for id in $(seq "$1" "$2"); do [ "$(status "$id")" = 2 ] || return 1; done; }

PPORT=$(free_port)
ok "the forwarder listens" start_proxy "$PPORT" "$PORT"
export ETH_RPC_URL="http://127.0.0.1:$PPORT"
start_node 1 --poll 100

k=0 first=1
for secs in 10 60; do
	k=$((k + 1)) last=$((first + 19))
	# In a burst: five requesters (keys 2-6) side by side, four each.
	makers=""
	for j in 2 3 4 5 6; do
		( for _ in 1 2 3 4; do
			ETH_RPC_URL=$ANVIL_URL DENAI_PRIVATE_KEY=$(key "$j") denai-request \
			    --model "$bc" --data "$D/breast_cancer_$((j % 5)).json" --tip 1 |
			    jq -r .request_id >>"$T/made"
		  done ) &
		makers="$makers $!"
	done
	wait $makers
	ok "outage $k: 20 requests made, the node starts on them" poll_until 60 fulfilled "$first" "$first"
	ok "outage $k: a backlog (request $last still open)" [ "$(status "$last")" = 1 ]
	stop_proxy
	t0=$(date +%s)
	sleep "$secs"
	ok "outage $k: the forwarder is back after $secs s" start_proxy "$PPORT" "$PORT"
	ok "outage $k: all 20 fulfilled" poll_until 120 fulfilled "$first" "$last"
	back() { [ "$(grep -c "^$1: node answers again" "$T/node1.err")" -ge "$k" ]; }
	ok "outage $k: denai-watch says the node answers again" poll_until 30 back denai-watch
	diag "outage $k: all served $(($(date +%s) - t0)) s after it began"
	first=$((last + 1))
done
is "$(nlines "$T/made")" 40 "40 requests made"

e2e_stop
err=$T/node1.err
diag "$(sed 's/^/  /' "$err")"
for stage in denai-watch denai-submit denai-fetch denai-mine; do
	n=$(grep -c "^$stage: .*\(retrying\|cannot check\)" "$err")
	ok "$stage: at most one line per outage ($n for 2)" [ "$n" -le 2 ]
	a=$(grep -c "^$stage: node answers again" "$err")
	ok "$stage: no more 'answers again' lines than outages seen ($a)" [ "$a" -le "$n" ]
done
is "$(grep -c '^denai-watch: .*retrying' "$err")" 2 "denai-watch saw both outages"
is "$(grep -c '^denai-submit: .*retrying' "$err")" 2 "denai-submit saw both outages (it had a backlog)"
is "$(grep -c '^denai-watch: node answers again' "$err")" 2 "denai-watch says when each ended"
is "$(grep -c '^denai-submit: node answers again' "$err")" 2 "denai-submit says when each ended"
is "$(grep -v -e 'retrying$' -e 'answers again' -e 'mining on$' "$err" | head -3)" "" "nothing else on stderr"
is "$(jq -r 'select(.type == "error") | .error' "$T/node1.ndjson" | head -3)" "" "no error records"
is "$(jq -r 'select(.status == "mined") | .request_id' "$T/node1.ndjson" | sort -n | uniq | wc -l)" 40 \
    "the node's submissions for all 40 were mined"
done_testing
