#!/usr/bin/env bash
# denai-request: usage; the mistakes caught before anything is sent (exit
# 65, the key's nonce unmoved): unknown model, retired model, malformed
# data points, insufficient funds; a request's record against cast;
# --status, --wait-for, --cancel before and after expiry (deploy --expiry
# 2), directly and through the consumer; the man page's example.
. "${0%/*}/../lib.sh"
. "${0%/*}/../e2e/chain.sh"
unset DENAI_PRIVATE_KEY ETH_KEYSTORE ETH_PASSWORD ETH_FROM

usage_checks denai-request
run denai-request
is "$rc" 64 "no mode: 64"
run denai-request --status 1 --cancel 1
is "$rc" 64 "two modes: 64"
run denai-request --model 1
is "$rc" 64 "--model without --data: 64"
run denai-request --model 1 --data x --via 0x01 --consumer
is "$rc" 64 "--via with --consumer: 64"
run denai-request --model 1 --data x --tip 1parsec
is "$rc:${err%%:*}" "64:denai-request" "a bad --tip: 64"

start_anvil
ok "deployed (quorum 1, expiry 2 blocks)" deploy --quorum 1 --difficulty 1000 --expiry 2
chain_checks denai-request --status 1
export DENAI_PRIVATE_KEY=$(key 0)
D=$TOP/examples/data
bc=$(register "$TOP/examples/models/breast_cancer.onnx" 0)
old=$(register "$TOP/examples/models/diabetes.onnx" 0)
DENAI_PRIVATE_KEY=$(key 0) denai-model retire "$old" >/dev/null
nonce() { "$CAST" nonce "$(addr "$1")"; }
n0=$(nonce 0)

# Mistakes, caught before sending.
run denai-request --model 9 --data "$D/breast_cancer_0.json"
is "$rc:$err" "65:denai-request: model 9 is not registered (see denai-model list)" "unknown model: 65"
run denai-request --model "$old" --data "$D/diabetes_0.json"
is "$rc:$err" "65:denai-request: model $old is retired" "retired model: 65"
printf '[1, "a"]' >"$T/strings.json"
run denai-request --model "$bc" --data "$T/strings.json"
is "$rc:$err" "65:denai-request: $T/strings.json: data point is not a non-empty nested array of numbers" \
    "an array holding a string: 65"
printf '[1, 2' >"$T/cut.json"
run denai-request --model "$bc" --data "$T/cut.json"
is "$rc:$err" "65:denai-request: $T/cut.json: not JSON: ']' expected near end of file at line 1" \
    "truncated JSON: 65, with the line"
printf '[]' >"$T/empty.json"
run denai-request --model "$bc" --data "$T/empty.json"
is "$rc:$err" "65:denai-request: $T/empty.json: data point is not a non-empty nested array of numbers" "an empty array: 65"
printf '{"x": 3}' >"$T/obj.json"
run denai-request --model "$bc" --data "$T/obj.json"
is "$rc:$err" "65:denai-request: $T/obj.json: data point input 'x' is not a non-empty nested array of numbers" \
    "an object whose input is no array: 65"
run denai-request --model "$bc" --data "$T/absent.json"
is "$rc:${err%%:*}" "74:denai-request" "a data file that is not there: 74"
bal=$("$CAST" balance "$(addr 0)" --ether)
run denai-request --model "$bc" --data "$D/breast_cancer_0.json" --tip 100000ether
is "$rc:$err" "65:denai-request: insufficient funds: the tip is 100000 ether, $(addr 0 | tr A-F a-f) holds $bal ether" \
    "a tip the key cannot pay: 65"
poor=0x$(printf '%064x' 12345)
DENAI_PRIVATE_KEY=$poor run denai-request --model "$bc" --data "$D/breast_cancer_0.json" --tip 1
is "$rc:${err%%,*}" "65:denai-request: insufficient funds: the tip is 0.000000000000000001 ether" \
    "an empty account: 65"
# The data point's shape is checked against the model before sending: a
# 10-feature point for the 30-feature model would be accepted on chain,
# fail at every miner, and lock the tip until expiry.
printf '[%s]' "$(seq -s, 10)" >"$T/ten.json"
run denai-request --model "$bc" --data "$T/ten.json" --tip 1
is "$rc" 65 "a 10-feature point for the 30-feature model: 65"
ok "says why" grep -q "$T/ten.json does not fit model $bc: .*30" "$T/err"
run denai-request --model "$bc" --data "$T/ten.json" --tip 1 --ipfs-dir "$T/noipfs"
is "$rc" 69 "the model file nowhere to be had: 69"
ok "says --no-shape-check sends it unchecked" grep -q "no-shape-check" "$T/err"
is "$(nonce 0)" "$n0" "nothing sent for them"

# A tip equal to the balance leaves nothing for the gas: refused before
# sending (65, as the man page says), not failed at the node (75).
wei=$("$CAST" balance "$(addr 0)")
run denai-request --model "$bc" --data "$D/breast_cancer_0.json" --tip "${wei}wei"
is "$rc" 65 "a tip equal to the balance: 65"
ok "says the gas does not fit" grep -q "insufficient funds: the tip is .* plus up to .* ether of gas" "$T/err"
is "$(nonce 0)" "$n0" "nothing was sent for any of them"

# A request; its record against the chain.
run denai-request --model "$bc" --data "$D/breast_cancer_2.json" --tip 0.5ether
is "$rc:$(jq -r '[.type, .request_id, .model_id, .tip] | @tsv' <<<"$out")" \
    "0:request	1	$bc	500000000000000000" "a request: its record"
cidv1() { # CIDv1 raw of a file: "b" + base32(0x01 0x55 0x12 0x20 sha256)
	/usr/bin/python3 -c 'import base64, hashlib, sys
d = hashlib.sha256(open(sys.argv[1], "rb").read()).digest()
print("b" + base64.b32encode(bytes([1, 0x55, 0x12, 0x20]) + d).decode().lower().rstrip("="))' "$1"
}
is "$(jq -r .data_cid <<<"$out")" "$(cidv1 "$D/breast_cancer_2.json")" \
    "the data point's CID is the file's CIDv1 (raw)"
ok "the data point is in the block store" [ -n "$(find "$DENAI_IPFS_DIR" -type f | head -1)" ]
rcpt=$("$CAST" receipt --json "$(jq -r .tx_hash <<<"$out")")
is "$("$CAST" to-dec "$(jq -r .blockNumber <<<"$rcpt")")" "$(jq -r .block_number <<<"$out")" \
    "its block is the receipt's"
GR="getRequest(uint256)(address,uint256,string,uint256,bytes32,uint256,uint256,uint256,uint256,uint256,uint256,bool)"
got=$("$CAST" call "$ORACLE" "$GR" 1)
is "$(sed -n 3p <<<"$got" | tr -d '"') $(sed -n 5p <<<"$got")" \
    "$(jq -r '[.data_cid, .challenge] | join(" ")' <<<"$out")" "the oracle holds the CID and the challenge"
expires=$(sed -n 8p <<<"$got")
run denai-request --status 1
is "$rc:$(jq -r '[.type, .status, .request_id] | @tsv' <<<"$out")" "0:result	open	1" "--status: open"
run denai-request --status 99
is "$rc:$err" "65:denai-request: request 99 does not exist" "--status of no request: 65"
run denai-request --wait-for 1 --timeout 1
is "$rc:${err%% (*}" "75:denai-request: request 1 still open after 1 s" "--wait-for times out: 75"

# Cancel: not yet, then after expiry (the tip comes back), then again.
run denai-request --cancel 1
is "$rc:$err" "65:denai-request: cancelRequest would revert: NotExpired(1, $expires)" \
    "--cancel before expiry: 65, decoded"
"$CAST" rpc anvil_mine 3 >/dev/null
b0=$("$CAST" balance "$(addr 0)")
run denai-request --cancel 1
is "$rc:$(jq -r .status <<<"$out")" "0:cancelled" "--cancel after expiry"
ok "the tip came back" sh -c "[ \"\$(echo '$("$CAST" balance "$(addr 0)") - $b0 > 490000000000000000' | bc)\" = 1 ]"
run denai-request --cancel 1
is "$rc:$err" "65:denai-request: cancelRequest would revert: RequestNotOpen(1)" \
    "--cancel twice: 65, decoded"
DENAI_PRIVATE_KEY=$(key 0) request "$bc" "$D/breast_cancer_0.json" >/dev/null
"$CAST" rpc anvil_mine 3 >/dev/null
DENAI_PRIVATE_KEY=$(key 1) run denai-request --cancel 2
is "$rc:$err" "65:denai-request: cancelRequest would revert: NotRequester(2, $(addr 1 | tr A-F a-f))" \
    "--cancel of another's request: 65"
run denai-request --consumer --model "$bc" --data "$D/breast_cancer_0.json" --tip 0.01ether
id=$(jq -r .request_id <<<"$out")
is "$(denai-request --status "$id" | jq -r .requester)" "$CONSUMER" "through the consumer: the consumer is the requester"
"$CAST" rpc anvil_mine 3 >/dev/null
run denai-request --cancel "$id" --consumer
is "$rc:$(jq -r .status <<<"$out")" "0:cancelled" "--cancel --consumer after expiry"
run denai-request --model "$bc" --data "$T/ten.json" --tip 1 --ipfs-dir "$T/noipfs" --no-shape-check
is "$rc:$(jq -r .type <<<"$out")" "0:request" "--no-shape-check sends it unchecked"

# The man page's example, as written, with one miner node.
start_node 1
n=$(man_examples denai-request)
ok "the man page has an example" [ "$n" -ge 1 ]
run_example denai-request 1 "man page: --consumer --wait prints sklearn's answer"
run_example denai-request 2 "man page: --consumer --sealed --wait prints sklearn's answer"
e2e_stop
done_testing
