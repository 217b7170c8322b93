#!/usr/bin/env bash
# Sealed (commit-reveal) requests end to end on anvil (issue 17): quorum 5,
# five miner pipelines, requests through the example consumer made with
# denai-request --consumer --sealed.
#
# Request 1: four miners commit (miner 5 among them); miner 5 is killed
# (kill -9, the whole node) before it can reveal; the last seal comes when
# miner 4 starts. The others reveal; a copier (key 6, cast only) that
# saw a revealed value tries to get in with it: submitSolution, a late
# commitSolution and revealSolution all revert. Miner 5 is started again:
# its denai-submit reads its seal back from its state folder and reveals;
# the request is fulfilled with sklearn's answer, the consumer called back,
# the five are paid, the copier is not.
# Request 2: the five running, each commits then reveals (every commit
# mined before every reveal), fulfilled, called back.
. "${0%/*}/../lib.sh"
. "${0%/*}/chain.sh"

start_anvil
ok "deployed with quorum 5" deploy --quorum 5 --difficulty 2000
bc=$(register "$TOP/examples/models/breast_cancer.onnx" 0)
D=$TOP/examples/data
GETREQ="getRequest(uint256)(address,uint256,string,uint256,bytes32,uint256,uint256,uint256,uint8,uint256,uint256,bool)"

status_of() { "$CAST" call "$ORACLE" "$GETREQ" "$1" | sed -n 9p; }
seals_of() { "$CAST" call "$ORACLE" "$GETREQ" "$1" | sed -n 10p; }
reveals_of() { "$CAST" call "$ORACLE" "sealedInfo(uint256)(bool,uint256,uint256)" "$1" | sed -n 3p; }
committed() { [ "$("$CAST" call "$ORACLE" "hasSubmitted(uint256,address)(bool)" "$1" "$(addr "$2")")" = true ]; }
owed() { "$CAST" call "$ORACLE" "owed(address)(uint256,uint256)" "$(addr "$1")" | awk '{print $1}' | tr '\n' ' '; }
ask_sealed() {
	DENAI_PRIVATE_KEY=$(key 0) denai-request --consumer --sealed \
	    --model "$bc" --data "$1" --tip "$2"
}

declare -A node
for i in 1 2 3 5; do start_node "$i" --poll 100; node[$i]=$!; done

rec=$(ask_sealed "$D/breast_cancer_0.json" 0.05ether)
is "$(jq -r '.request_id, .sealed' <<<"$rec" | tr '\n' ' ')" "1 true " \
    "denai-request --consumer --sealed: request 1, marked sealed"
is "$("$CAST" call "$ORACLE" "sealedInfo(uint256)(bool,uint256,uint256)" 1 | head -1)" true \
    "the chain has it sealed"

ok "four miners commit (quorum 5: no reveal phase yet)" poll_until 60 eval '[ "$(seals_of 1)" = 4 ]'
ok "miner 5 is among them" committed 1 5
is "$(reveals_of 1)" 0 "nobody can reveal before the quorum of seals"
watched() { denai-watch --once "$@" 2>/dev/null | jq -r 'select(.request_id == "1") | .sealed'; }
is "$(watched --all)" true "taking seals: a fresh denai-watch lists it (openSealedRequests), marked sealed"
is "$(watched --from "$(addr 4)")" true "and for miner 4, which has not committed"
is "$(watched --from "$(addr 5)")" "" "but not for a miner that committed"
{ kill -9 -- "-${node[5]}"; wait "${node[5]}"; } 2>/dev/null
st=$(ls "$T"/state/denai/submit-*/sealed-1.json 2>/dev/null | wc -l | tr -d ' ')
is "$st" 4 "each of the four committed miners keeps its seal in its state folder"
diag "miner 5 killed with -9 after its commit"

start_node 4 --poll 100; node[4]=$!
ok "the fifth seal opens the reveal phase" poll_until 60 eval '[ "$(seals_of 1)" = 5 ]'
ok "the four live miners reveal" poll_until 60 eval '[ "$(reveals_of 1)" = 4 ]'
is "$(status_of 1)" 1 "request 1 waits for miner 5's reveal"
is "$(watched --all)" "" "in its reveal phase denai-watch offers it to nobody"

# The copier saw the value revealed and tries to be paid for it.
value=$(cat "$T"/node1.ndjson | jq -r 'select(.request_id == "1" and .status == "mined") | .prediction')
is "$value" "$(sklearn_says "$D/breast_cancer_0.json")" "miner 1 revealed sklearn's answer"
# refused SIGNATURE ERROR ARGS...: the copier (key 6) sends it and the
# oracle refuses it with ERROR (its selector in the revert data).
refused() {
	_sig=$1 _want=$2; shift 2
	"$CAST" send --private-key "$(key 6)" "$ORACLE" "$_sig" "$@" >"$T/copy.out" 2>&1 && return 1
	grep -q "$("$CAST" sig "$_want" | sed 's/^0x//')" "$T/copy.out" || { diag "$(cat "$T/copy.out")"; return 1; }
}
ok "the copier's submitSolution of it is refused: RequestNotOpen" \
    refused "submitSolution(uint256,uint256,uint256)" "RequestNotOpen(uint256)" 1 "$value" 7
salt=0x$(printf '%064x' 1)
seal=$("$CAST" keccak "$("$CAST" abi-encode "f(uint256,address,uint256,bytes32)" 1 "$(addr 6)" "$value" "$salt")")
ok "its late commitSolution is refused: RequestExpired (the seals are in)" \
    refused "commitSolution(uint256,bytes32,uint256)" "RequestExpired(uint256,uint256)" 1 "$seal" 7
ok "its revealSolution without a seal is refused: NotCommitted" \
    refused "revealSolution(uint256,uint256,bytes32)" "NotCommitted(uint256,address)" 1 "$value" "$salt"
is "$(seals_of 1):$(reveals_of 1)" "5:4" "the copier changed nothing"

start_node 5 --poll 100; node[5]=$!
ok "restarted, miner 5 reveals from its state: request 1 fulfilled" poll_until 60 eval '[ "$(status_of 1)" = 2 ]'
res=$(denai-request --status 1)
is "$(jq -r .prediction <<<"$res")" "$(sklearn_says "$D/breast_cancer_0.json")" "request 1: sklearn's answer"
is "$(jq '.agreed | length' <<<"$res")" 5 "request 1: the five revealers agreed"
is "$(jq -r .callback_ok <<<"$res")" true "request 1: callback ran"
is "$("$CAST" call "$CONSUMER" "responses(uint256)(uint256,address,bool)" 1 | tr '\n' ' ')" \
    "$(sklearn_says "$D/breast_cancer_0.json") $(addr 0) true " "the consumer stored the prediction"
r5=$(jq -c 'select(.request_id == "1" and .type == "request")' "$T/node5.ndjson")
is "$(jq -r .status <<<"$r5")" mined "miner 5's restarted node reports its reveal mined"
is "$(owed 5)" "10000000000000000 1000000000000000000 " "miner 5 is paid its share and its reward"
is "$(owed 6)" "0 0 " "the copier is owed nothing"
poll_until 10 eval '[ -z "$(ls "$T"/state/denai/submit-*/sealed-1.json 2>/dev/null)" ]'
is "$(ls "$T"/state/denai/submit-*/sealed-1.json 2>/dev/null | wc -l | tr -d ' ')" 0 \
    "the states of request 1 are removed once it is settled"

rec=$(ask_sealed "$D/breast_cancer_2.json" 0.05ether)
is "$(jq -r .request_id <<<"$rec")" 2 "request 2 made, sealed"
ok "request 2 fulfilled by the five" poll_until 60 eval '[ "$(status_of 2)" = 2 ]'
poll_until 10 eval '[ "$(cat "$T"/node[1-5].ndjson | jq -s "[.[] | select(.request_id == \"2\" and .status == \"mined\")] | length")" = 5 ]'
recs=$(cat "$T"/node[1-5].ndjson | jq -s -c '[.[] | select(.request_id == "2" and .status == "mined")]')
is "$(jq length <<<"$recs")" 5 "five records of request 2, each mined"
is "$(jq '[.[].sealed] | all' <<<"$recs")" true "each marked sealed"
is "$(jq '([.[].commit_block_number] | max) < ([.[].block_number] | min)' <<<"$recs")" true \
    "every commit was mined before any reveal"
res=$(denai-request --status 2)
is "$(jq -r '.prediction, .callback_ok' <<<"$res" | tr '\n' ' ')" "$(sklearn_says "$D/breast_cancer_2.json") true " \
    "request 2: sklearn's answer, callback ran"
is "$(owed 1)" "20000000000000000 2000000000000000000 " "miner 1 is paid for both"

errs=$(cat "$T"/node[1-5].ndjson | jq -c 'select(.type == "error")' | head -3)
is "$errs" "" "no error records"
e2e_stop
done_testing
