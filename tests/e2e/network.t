#!/usr/bin/env bash
# End to end on anvil: deploy (quorum 5), register the breast-cancer model,
# five miner pipelines (one with a deliberately wrong model), three
# concurrent requests with different tips through the example consumer.
# All are fulfilled with sklearn's answer; the consumer got the callbacks;
# the four agreeing miners are paid their share and rewarded, the wrong one
# is outvoted and gets nothing.
. "${0%/*}/../lib.sh"
. "${0%/*}/chain.sh"

start_anvil
ok "deployed with quorum 5" deploy --quorum 5 --difficulty 2000
bc=$(register "$TOP/examples/models/breast_cancer.onnx" 0)
is "$bc" 1 "breast-cancer model registered as model 1"

for i in 1 2 3 4; do start_node "$i"; done
start_node 5 --command "$bc=sh -c 'cat >/dev/null; echo 7'"

D=$TOP/examples/data
ids=""
n=0
for f in breast_cancer_0 breast_cancer_2 breast_cancer_3; do
	n=$((n + 1))
	ids="$ids $(ask "$bc" "$D/$f.json" "0.0${n}ether")"
done
is "$(echo $ids)" "1 2 3" "three requests made"

n=0
for f in breast_cancer_0 breast_cancer_2 breast_cancer_3; do
	n=$((n + 1))
	res=$(denai-request --wait-for "$n" --timeout 60 2>"$T/wait.err")
	is "$(jq -r .status <<<"$res")" fulfilled "request $n fulfilled"
	is "$(jq -r .prediction <<<"$res")" "$(sklearn_says "$D/$f.json")" \
	    "request $n: the majority value is sklearn's answer"
	is "$(jq '.agreed | length' <<<"$res")" 4 "request $n: four miners agreed"
	is "$(jq -r --arg m "$(addr 5)" '[.agreed[] | ascii_downcase] |
	    index($m | ascii_downcase)' <<<"$res")" null \
	    "request $n: the wrong miner is not among them"
	is "$(jq -r .callback_ok <<<"$res")" true "request $n: callback ran"
	got=$("$CAST" call "$CONSUMER" "responses(uint256)(uint256,address,bool)" "$n" | tr '\n' ' ')
	is "$got" "$(sklearn_says "$D/$f.json") $(addr 0) true " \
	    "request $n: the consumer stored the prediction"
done

# Tips 0.01 + 0.02 + 0.03 ether, each split four ways; 1 DENAI per win.
for i in 1 4; do
	is "$("$CAST" call "$ORACLE" "owed(address)(uint256,uint256)" "$(addr $i)" | awk '{print $1}' | tr '\n' ' ')" \
	    "15000000000000000 3000000000000000000 " "miner $i is owed its share and its reward"
done
is "$("$CAST" call "$ORACLE" "owed(address)(uint256,uint256)" "$(addr 5)" | awk '{print $1}' | tr '\n' ' ')" \
    "0 0 " "the outvoted miner is owed nothing"
before=$("$CAST" balance "$(addr 1)")
withdraw() { "$CAST" send --private-key "$(key 1)" "$ORACLE" "withdraw()" >/dev/null; }
ok "miner 1 withdraws" withdraw
is "$("$CAST" call "$TOKEN" "balanceOf(address)(uint256)" "$(addr 1)" | awk '{print $1}')" \
    3000000000000000000 "miner 1 holds 3 DENAI"
after=$("$CAST" balance "$(addr 1)")
ok "miner 1's ETH balance changed" [ "$after" != "$before" ]
is "$("$CAST" call "$ORACLE" "owed(address)(uint256,uint256)" "$(addr 1)" | awk '{print $1}' | tr '\n' ' ')" \
    "0 0 " "miner 1 is owed nothing after withdrawing"

errs=$(cat "$T"/node[1-4].ndjson | jq -c 'select(.type == "error")' | head -3)
is "$errs" "" "the honest nodes logged no error records"
e2e_stop
done_testing
