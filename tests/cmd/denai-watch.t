#!/usr/bin/env bash
# denai-watch: usage, the failures at start (deployment, chain, node, state
# file), --once output checked against cast's view of the logs, open
# requests first with the highest tip first, the miner's own submissions
# skipped, and the man page's example.
. "${0%/*}/../lib.sh"
. "${0%/*}/../e2e/chain.sh"
unset DENAI_PRIVATE_KEY ETH_KEYSTORE ETH_PASSWORD ETH_FROM

usage_checks denai-watch
run denai-watch --once extra
is "$rc" 64 "a stray argument: 64"
run denai-watch --state a --no-state
is "$rc" 64 "--state with --no-state: 64"
run denai-watch --from 0x01 --all
is "$rc" 64 "--from with --all: 64"
run denai-watch --range 0
is "$rc" 64 "--range 0: 64"

start_anvil
ok "deployed (quorum 2)" deploy --quorum 2 --difficulty 1000
chain_checks denai-watch --once --all
run denai-watch --once --all --from 0x01
is "$rc" 64 "--from with --all refused before the chain is asked"

run denai-watch --once --all
is "$rc:$out:$err" "0::" "nothing open: no output, exit 0"

bc=$(register "$TOP/examples/models/breast_cancer.onnx" 0)
D=$TOP/examples/data
for t in 5 70 20; do request "$bc" "$D/breast_cancer_0.json" "$t" >/dev/null; done
run denai-watch --once --all
is "$rc" 0 "--once exits 0"
is "$(jq -r '[.request_id, .tip] | @tsv' <<<"$out" | tr '\t\n' ': ')" \
    "2:70 3:20 1:5 " "the open requests, highest tip first"
is "$(jq -r .type <<<"$out" | sort -u)" request "all of type request"
# Each record against the log as cast sees it.
topic=$("$CAST" keccak "PredictionRequested(uint256,uint256,address,string,uint256,bytes32,uint256)")
for id in 1 2 3; do
	rec=$(jq -c --arg id "$id" 'select(.request_id == $id)' <<<"$out")
	log=$("$CAST" logs --json --from-block 0 --address "$ORACLE" "$topic" \
	    "$("$CAST" to-uint256 "$id")")
	is "$(jq -r '[.block_number, .block_hash, .tx_hash, .log_index] | @tsv' <<<"$rec")" \
	    "$("$CAST" to-dec "$(jq -r '.[0].blockNumber' <<<"$log")")	$(jq -r '.[0] | [.blockHash, .transactionHash] | @tsv' <<<"$log")	$("$CAST" to-dec "$(jq -r '.[0].logIndex' <<<"$log")")" \
	    "request $id: block, hash, transaction and log index as in the log"
	data=$(jq -r '.[0].data' <<<"$log")
	dec=$("$CAST" abi-decode --input "f(string,uint256,bytes32,uint256)" "$data" | tr '\n' ' ')
	is "$(jq -r '[.data_cid, .tip, .challenge, .difficulty] | join(" ")' <<<"$rec") " \
	    "$(sed 's/"//g; s/ \[[^]]*\]//g' <<<"$dec")" \
	    "request $id: cid, tip, challenge, difficulty as cast decodes them"
	is "$(jq -r '[.chain_id, .contract, .model_id, (.requester | ascii_downcase)] | @tsv' <<<"$rec")" \
	    "$(printf '31337\t%s\t1\t%s' "$ORACLE" "$(addr 0 | tr A-F a-f)")" \
	    "request $id: chain, contract, model, requester"
done

# A miner that submitted for request 2 does not see it again.
jq -c 'select(.request_id == "2") | .prediction = "1"' <<<"$out" >"$T/r2"
DENAI_PRIVATE_KEY=$(key 1) denai-mine -q --threads 1 <"$T/r2" |
    DENAI_PRIVATE_KEY=$(key 1) denai-submit >"$T/sub2"
is "$(jq -r .status "$T/sub2")" mined "miner 1 submitted for request 2"
run denai-watch --once --from "$(addr 1)"
is "$(jq -r .request_id <<<"$out" | tr '\n' ' ')" "3 1 " "--from: request 2 skipped for miner 1"
DENAI_PRIVATE_KEY=$(key 1) run denai-watch --once
is "$(jq -r .request_id <<<"$out" | tr '\n' ' ')" "3 1 " "the key's address is the miner by default"
DENAI_PRIVATE_KEY=$(key 1) run denai-watch --once --all
is "$(jq -r .request_id <<<"$out" | tr '\n' ' ')" "2 3 1 " "--all skips none"

# State files.
echo '{"version":1}' >"$T/bad-state.json"
run denai-watch --state "$T/bad-state.json" --all
is "$rc:$err" "65:denai-watch: $T/bad-state.json: watch state is malformed" \
    "a malformed state file: 65"
echo 'nope' >"$T/bad-state.json"
run denai-watch --state "$T/bad-state.json" --all
is "$rc:${err%%:*}" "65:denai-watch" "a state file that is not JSON: 65"
start_watch "$T/w.out" --state "$T/state.json" --all --poll 50
poll_until 30 [ -s "$T/state.json" ]
kill -TERM "$WATCH_PID"; wait "$WATCH_PID"
is "$?" 0 "SIGTERM: exit 0"
is "$(jq -r .request_id "$T/w.out" | tr '\n' ' ')" "2 3 1 " "a following run emits the open requests first"
is "$(jq -c '[.version, .chain_id, (.contract | ascii_downcase), .next_block]' "$T/state.json")" \
    "[1,31337,\"$(tr A-F a-f <<<"$ORACLE")\",$(($("$CAST" block-number) + 1))]" \
    "the checkpoint names the chain, the contract and the next block"
jq '.contract = "0x0000000000000000000000000000000000000001"' "$T/state.json" >"$T/other.json"
run denai-watch --state "$T/other.json" --all
is "$rc:$err" "64:denai-watch: $T/other.json: watch state is for another chain or contract" \
    "a state file of another contract: 64"
run denai-watch --state "$T/state.json" --all --once
is "$(jq -r .request_id <<<"$out" | tr '\n' ' ')" "2 3 1 " "--once ignores the state file"

# The man page's first example.
n=$(man_examples denai-watch)
ok "the man page has examples" [ "$n" -ge 1 ]
run_example denai-watch 1 "man page: denai-watch --once --all | jq"
is "$_got" "$(printf '2\t70\n3\t20\n1\t5')" "which prints the open requests"
e2e_stop
done_testing
