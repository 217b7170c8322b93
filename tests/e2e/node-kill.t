#!/usr/bin/env bash
# Five miner nodes (quorum 5: every one must answer every request), thirty
# requests, and whole nodes killed with kill -9 (the process group: watch,
# fetch, predict, mine, submit at once) at random moments, then restarted
# with the same state. The checkpoint says a request went out when watch
# wrote it, long before the node answered; the restarted watch asks the
# chain instead (open, and not answered by this miner: offer it again), so
# every request is fulfilled. (Before, 7 of 30 stayed open for good.)
. "${0%/*}/../lib.sh"
. "${0%/*}/chain.sh"

N=30 KILLS=14
start_anvil
ok "deployed with quorum 5" deploy --quorum 5 --difficulty 1000
bc=$(register "$TOP/examples/models/breast_cancer.onnx" 0)
D=$TOP/examples/data
declare -A node
for i in 1 2 3 4 5; do start_node "$i" --poll 100; node[$i]=$!; done

( for i in $(seq $N); do
	request "$bc" "$D/breast_cancer_$((i % 4)).json" "$i" >>"$T/made" || exit 1
	sleep 0.$((1 + RANDOM % 4))
  done ) 2>"$T/made.err" &
maker=$!

kills=0
while [ "$kills" -lt "$KILLS" ]; do
	sleep 0.$((2 + RANDOM % 8))
	i=$((1 + RANDOM % 5))
	kill -9 -- "-${node[$i]}" 2>/dev/null && kills=$((kills + 1))
	wait "${node[$i]}" 2>/dev/null
	start_node "$i" --poll 100; node[$i]=$!
done
wait "$maker"
is "$?" 0 "the $N requests were made"
diag "$kills whole-node kills"

fulfilled() { # all N requests fulfilled
	for id in $(seq $N); do
		[ "$("$CAST" call "$ORACLE" "getRequest(uint256)(address,uint256,string,uint256,bytes32,uint256,uint256,uint256,uint8,uint256,uint256,bool)" "$id" | sed -n 9p)" = 2 ] || return 1
	done
}
ok "all $N requests fulfilled" poll_until 180 fulfilled
for id in $(seq $N); do
	st=$("$CAST" call "$ORACLE" "getRequest(uint256)(address,uint256,string,uint256,bytes32,uint256,uint256,uint256,uint8,uint256,uint256,bool)" "$id" | sed -n 9p)
	[ "$st" = 2 ] || diag "request $id: status $st"
done
is "$(cat "$T"/node*.ndjson | jq -r 'select(.type == "error") | .error' | sort | uniq -c | head -5)" "" \
    "no error records"
e2e_stop
done_testing
