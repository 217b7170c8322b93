#!/usr/bin/env bash
# denai-submit: usage and start failures; records it cannot send become
# error records naming the request (or the line); other records and error
# records pass through byte for byte; a mined solution is sent and its
# receipt matches cast's; already-submitted, closed and InvalidProof cost
# no transaction (the sender's nonce does not move). A sealed request is
# committed from a state folder (the seal checked against cast's), then
# revealed, also by a denai-submit started again on that folder.
. "${0%/*}/../lib.sh"
. "${0%/*}/../e2e/chain.sh"
unset DENAI_PRIVATE_KEY ETH_KEYSTORE ETH_PASSWORD ETH_FROM

usage_checks denai-submit
run denai-submit extra
is "$rc" 64 "a stray argument: 64"

start_anvil
ok "deployed (quorum 2)" deploy --quorum 2 --difficulty 1000
run denai-submit
is "$rc:$err" "64:denai-submit: no signing key: set DENAI_PRIVATE_KEY, or ETH_KEYSTORE and ETH_PASSWORD" \
    "no key: 64"
export DENAI_PRIVATE_KEY=$(key 1)
chain_checks denai-submit

bc=$(register "$TOP/examples/models/breast_cancer.onnx" 0)
request "$bc" "$TOP/examples/data/breast_cancer_0.json" 1000 >/dev/null
denai-watch --once --all | jq -c '.prediction = "0"' >"$T/req"
nonce() { "$CAST" nonce "$(addr "$1")"; }
# submit_as I FILE: denai-submit with key I, input FILE.
submit_as() { DENAI_PRIVATE_KEY=$(key "$1") RUN_IN=$2 run denai-submit; }

# Records it cannot send, and records it passes on.
other='{"type":"result","request_id":"7","x":[1,2.5,"a"]}'
erec='{"type":"error","stage":"fetch","request_id":"9","error":"boom","line":3}'
{
	jq -c 'del(.nonce)' "$T/req"
	jq -c '.nonce = "5" | del(.prediction)' "$T/req"
	echo '{"type":"request","prediction":"1","nonce":"5"}'
	echo "$other"
	echo "$erec"
	echo 'not json'
	jq -c '.nonce = "0x10" | .prediction = "seven"' "$T/req"
} >"$T/in"
n0=$(nonce 1)
submit_as 1 "$T/in"
is "$rc" 0 "exit 0 at end of input"
is "$(sed -n 1p <<<"$out")" \
    '{"type":"error","stage":"submit","request_id":"1","error":"record has no \"nonce\" (run denai-mine first)","line":1}' \
    "no nonce: an error record naming the request and the line"
is "$(sed -n 2p <<<"$out")" \
    '{"type":"error","stage":"submit","request_id":"1","error":"record has no \"prediction\" (run denai-mine first)","line":2}' \
    "no prediction: an error record"
is "$(sed -n 3p <<<"$out" | jq -c '[.request_id, .error, .line]')" \
    '[null,"record has no \"request_id\"",3]' "no request id: an error record"
is "$(sed -n 4p <<<"$out")" "$other" "another record type passes through unchanged"
is "$(sed -n 5p <<<"$out")" "$erec" "an error record passes through unchanged"
is "$(sed -n 6p <<<"$out" | jq -c '[.type, .stage, .line, (.error | startswith("line 6: not JSON"))]')" \
    '["error","submit",6,true]' "a malformed line: an error record with its line number"
is "$(sed -n 7p <<<"$out" | jq -c '[.request_id, .line, (.error | test("prediction"))]')" \
    '["1",7,true]' "a prediction that is no number: an error record naming the field"
is "$(wc -l <<<"$out" | tr -d ' ')" 7 "one line out per line in"
is "$(nonce 1)" "$n0" "no transaction sent for any of them"

# A wrong proof: decoded from the revert, no transaction.
jq -c '.nonce = "1"' "$T/req" >"$T/bad"
submit_as 1 "$T/bad"
is "$rc:$(jq -r .error <<<"$out")" \
    "0:submitSolution would revert: InvalidProof(1, $(addr 1 | tr A-F a-f), 1)" \
    "InvalidProof decoded from the revert"
is "$(nonce 1)" "$n0" "no transaction for it"
# A request that does not exist: an error record, no transaction.
jq -c '.request_id = "999" | .nonce = "1"' "$T/req" >"$T/none"
submit_as 1 "$T/none"
is "$rc:$(jq -c '[.type, .request_id, .error]' <<<"$out")" \
    '0:["error","999","request 999 does not exist"]' \
    "an unknown request: an error record naming it"
is "$(nonce 1)" "$n0" "no transaction for it"
# A record mined for another address.
DENAI_PRIVATE_KEY=$(key 2) denai-mine -q --threads 1 <"$T/req" >"$T/mined2"
submit_as 1 "$T/mined2"
is "$(jq -r .error <<<"$out")" \
    "the record was mined for $(addr 2), but the key is $(addr 1)" \
    "a solution mined for another miner is refused"

# Mined: the outcome against the receipt as cast reads it.
DENAI_PRIVATE_KEY=$(key 1) denai-mine -q --threads 1 <"$T/req" >"$T/mined1"
submit_as 1 "$T/mined1"
is "$rc:$(jq -r .status <<<"$out")" "0:mined" "a valid solution is mined"
tx=$(jq -r .tx_hash <<<"$out")
rcpt=$("$CAST" receipt --json "$tx")
is "$(jq -r '[.gas_used, .block_number] | @tsv' <<<"$out")" \
    "$("$CAST" to-dec "$(jq -r .gasUsed <<<"$rcpt")")	$("$CAST" to-dec "$(jq -r .blockNumber <<<"$rcpt")")" \
    "gas_used and block_number are the receipt's"
is "$(jq -r .request_tx_hash <<<"$out")" "$(jq -r .tx_hash "$T/req")" \
    "the request's own transaction moves to request_tx_hash"
is "$(jq -r '.from | ascii_downcase' <<<"$rcpt")" "$(addr 1 | tr A-F a-f)" "sent by the key's address"
is "$(nonce 1)" $((n0 + 1)) "one transaction"
is "$("$CAST" call "$ORACLE" "hasSubmitted(uint256,address)(bool)" 1 "$(addr 1)")" true \
    "the oracle has miner 1's submission"

# Again: already-submitted, no transaction.
submit_as 1 "$T/mined1"
is "$rc:$(jq -r .status <<<"$out")" "0:already-submitted" "the same solution again: already-submitted"
is "$(jq -r .tx_hash <<<"$out")" "$(jq -r .tx_hash "$T/req")" "no tx_hash added"
is "$(nonce 1)" $((n0 + 1)) "no transaction"

# Miner 2 completes the quorum; miner 3 comes too late: closed.
submit_as 2 "$T/mined2"
is "$(jq -r .status <<<"$out")" mined "miner 2's solution is mined"
is "$(denai-request --status 1 | jq -r .status)" fulfilled "the request is fulfilled"
DENAI_PRIVATE_KEY=$(key 3) denai-mine -q --threads 1 <"$T/req" >"$T/mined3"
n3=$(nonce 3)
submit_as 3 "$T/mined3"
is "$rc:$(jq -r .status <<<"$out")" "0:closed" "a solution for a fulfilled request: closed"
is "$(nonce 3)" "$n3" "no transaction"
# What denai-mine --check-open already closed passes through.
jq -c '.status = "closed"' "$T/req" >"$T/pre"
submit_as 3 "$T/pre"
is "$out" "$(cat "$T/pre")" "a record already given a status (no nonce) passes through"
# A sealed request: denai-request --sealed, denai-watch marks it, and
# denai-submit commits from a state folder, then reveals from it.
out=$(DENAI_PRIVATE_KEY=$(key 0) denai-request --sealed --model "$bc" \
    --data "$TOP/examples/data/breast_cancer_2.json" --tip 1000)
is "$(jq -r '[.request_id, .sealed] | @tsv' <<<"$out")" "2	true" \
    "denai-request --sealed: request 2, its record says sealed"
is "$("$CAST" call "$ORACLE" "sealedInfo(uint256)(bool,uint256,uint256)" 2 | tr '\n' ' ')" \
    "true 0 0 " "sealed on the chain, no seal yet"
denai-watch --once --all | jq -c 'select(.request_id == "2")' >"$T/sreq"
is "$(jq -r .sealed "$T/sreq")" true "denai-watch offers it marked sealed"
jq -c '.prediction = "1"' "$T/sreq" >"$T/sreq1"
DENAI_PRIVATE_KEY=$(key 1) denai-mine -q --threads 1 <"$T/sreq1" >"$T/smined1"
DENAI_PRIVATE_KEY=$(key 2) denai-mine -q --threads 1 <"$T/sreq1" >"$T/smined2"
n1=$(nonce 1)
DENAI_PRIVATE_KEY=$(key 1) RUN_IN=$T/smined1 run denai-submit --state "$T/s1" --wait 1
is "$rc" 75 "miner 1 commits; the reveal phase does not come before --wait: 75"
is "$(jq -r .error <<<"$out")" "not finished before denai-submit had to exit (--wait)" \
    "its record comes out as an error record saying so"
is "$(nonce 1)" $((n1 + 1)) "one transaction: the commit"
is "$("$CAST" call "$ORACLE" "hasSubmitted(uint256,address)(bool)" 2 "$(addr 1)")" true \
    "the oracle has miner 1's seal"
st=$T/s1/sealed-2.json
is "$(stat -c %a "$st" 2>/dev/null)" 600 "the salt is kept in the state folder, mode 0600"
salt=$(jq -r .salt "$st")
is "$(jq -r .seal "$st")" \
    "$("$CAST" keccak "$("$CAST" abi-encode "f(uint256,address,uint256,bytes32)" 2 "$(addr 1)" 1 "$salt")")" \
    "the seal is keccak256(abi.encode(requestId, miner, prediction, salt)) as cast computes it"
DENAI_PRIVATE_KEY=$(key 1) RUN_IN=/dev/null run denai-submit --state "$T/s1" --wait 1
is "$rc:$(nonce 1)" "75:$((n1 + 1))" "started again on its state: still waiting, no second commit"
DENAI_PRIVATE_KEY=$(key 1) denai-submit --state "$T/s1" --wait 60 </dev/null >"$T/bg1" 2>"$T/bg1.err" &
bg=$!
DENAI_PRIVATE_KEY=$(key 2) RUN_IN=$T/smined2 run denai-submit --state "$T/s2" --wait 60
is "$rc:$(jq -r .status <<<"$out")" "0:mined" "miner 2 commits (the quorum of seals) and reveals"
is "$(jq -r '.commit_block_number < .block_number' <<<"$out")" true "its commit was mined before its reveal"
wait "$bg"
is "$?:$(jq -r '[.status, .request_id] | @tsv' "$T/bg1")" "0:mined	2" \
    "miner 1, started on its state with no input, reveals"
is "$(nonce 1)" $((n1 + 2)) "miner 1: two transactions in all, a commit and a reveal"
is "$(denai-request --status 2 | jq -r '[.status, .prediction] | @tsv')" "fulfilled	1" \
    "request 2 fulfilled on the revealed value"
is "$(ls "$T/s1" "$T/s2")" "$(printf '%s:\n\n%s:' "$T/s1" "$T/s2")" "both states removed"
DENAI_PRIVATE_KEY=$(key 3) denai-mine -q --threads 1 <"$T/sreq1" >"$T/smined3"
n3=$(nonce 3)
DENAI_PRIVATE_KEY=$(key 3) RUN_IN=$T/smined3 run denai-submit --state "$T/s3"
is "$rc:$(jq -r .status <<<"$out"):$(nonce 3)" "0:closed:$n3" "a sealed request fulfilled: closed, no transaction"
e2e_stop
done_testing
