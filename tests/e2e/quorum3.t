#!/usr/bin/env bash
# Quorum 3: three miner nodes; two requests for the diabetes regressor
# (decimals 0) through the example consumer are fulfilled with
# round(sklearn's value) as recorded in examples/models/models.json, all
# three miners agreeing and paid.
. "${0%/*}/../lib.sh"
. "${0%/*}/chain.sh"

start_anvil
ok "deployed with quorum 3" deploy --quorum 3 --difficulty 2000
is "$(denai-request --status 1 2>&1 >/dev/null | head -1)" \
    "denai-request: request 1 does not exist" "no request yet"
db=$(register "$TOP/examples/models/diabetes.onnx" 0)
is "$db" 1 "diabetes model registered"
is "$(denai-model show "$db" | jq -c '[.decimals, .active]')" "[0,true]" \
    "registered with decimals 0, active"
for i in 1 2 3; do start_node "$i"; done

D=$TOP/examples/data
# sklearn's value for an example point, rounded (decimals 0).
rounded() {
	jq -r --arg f "../data/$1.json" '.models[].examples[] |
	    select(.file == $f) | .value' "$TOP/examples/models/models.json" |
	    awk '{ v = $1 < 0 ? -$1 : $1; r = int(v + 0.5); print ($1 < 0 ? -r : r) }'
}
is "$(ask "$db" "$D/diabetes_0.json" 0.03ether) $(ask "$db" "$D/diabetes_3.json" 0.06ether)" \
    "1 2" "two requests made"
n=0
for f in diabetes_0 diabetes_3; do
	n=$((n + 1))
	want=$(rounded "$f")
	ok "request $n: sklearn's value is known" [ -n "$want" ]
	res=$(denai-request --wait-for "$n" --timeout 120 2>"$T/wait.err")
	is "$(jq -r .status <<<"$res")" fulfilled "request $n fulfilled"
	is "$(jq -r .prediction <<<"$res")" "$want" \
	    "request $n: the prediction is round(sklearn's value) = $want"
	is "$(jq '.submissions | length' <<<"$res") $(jq '.agreed | length' <<<"$res")" \
	    "3 3" "request $n: three submissions, all agreeing"
	got=$("$CAST" call "$CONSUMER" "responses(uint256)(uint256,address,bool)" "$n" | head -1)
	is "$got" "$want" "request $n: the consumer was called back with it"
done
for i in 1 2 3; do
	is "$("$CAST" call "$ORACLE" "owed(address)(uint256,uint256)" "$(addr "$i")" | awk '{print $1}' | tr '\n' ' ')" \
	    "30000000000000000 2000000000000000000 " "miner $i is owed a third of each tip and two rewards"
done
errs=$(cat "$T"/node[1-3].ndjson | jq -c 'select(.type == "error")' | head -3)
is "$errs" "" "the nodes logged no error records"
e2e_stop
done_testing
