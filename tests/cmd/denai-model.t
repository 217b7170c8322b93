#!/usr/bin/env bash
# denai-model: usage; register checks what it is given before it costs gas
# (not ONNX, empty, missing, decimals), stores the model under its CIDv1,
# and its sha256 and the registry's view agree with sha256sum and cast;
# list/show/retire; a key without the trainer role or not the owner is
# refused with the decoded reason; the man page's examples run.
. "${0%/*}/../lib.sh"
. "${0%/*}/../e2e/chain.sh"
unset DENAI_PRIVATE_KEY ETH_KEYSTORE ETH_PASSWORD ETH_FROM

usage_checks denai-model
run denai-model
is "$rc" 64 "no command: 64"
run denai-model frobnicate
is "$rc" 64 "an unknown command: 64"
run denai-model show
is "$rc" 64 "show without an id: 64"
run denai-model register
is "$rc" 64 "register without a file: 64"

start_anvil
ok "deployed" deploy --quorum 1
chain_checks denai-model list
export DENAI_PRIVATE_KEY=$(key 0)
M=$TOP/examples/models
nonce() { "$CAST" nonce "$(addr "$1")"; }
n0=$(nonce 0)

run denai-model list
is "$rc:$out" "0:" "list with no models: nothing"
run denai-model show x
is "$rc:$err" "64:denai-model: model id: expected a non-negative number, got 'x'" "show x: 64"
run denai-model show 9
is "$rc:$err" "65:denai-model: model 9 is not registered" "show of no model: 65"
printf 'hello, not a model\n' >"$T/notonnx.onnx"
run denai-model register "$T/notonnx.onnx"
is "$rc:${err%%:*}:$(grep -c "$T/notonnx.onnx" "$T/err")" "65:denai-model:1" \
    "a file that is not ONNX is refused: 65, naming it"
: >"$T/empty.onnx"
run denai-model register "$T/empty.onnx"
is "$rc:$err" "65:denai-model: $T/empty.onnx: ModelProto has no graph" "an empty file: 65"
run denai-model register "$T/absent.onnx"
is "$rc:$err" "74:denai-model: cannot open $T/absent.onnx: No such file or directory" "a missing file: 74"
run denai-model register "$M/diabetes.onnx" --decimals 78
is "$rc:$err" "64:denai-model: --decimals: at most 77" "--decimals 78: 64"
is "$(nonce 0)" "$n0" "nothing sent for any of them"
is "$(find "$DENAI_IPFS_DIR" -type f 2>/dev/null | wc -l | tr -d ' ')" 0 "nothing stored either"

# A key without the trainer role.
DENAI_PRIVATE_KEY=$(key 1) run denai-model register "$M/breast_cancer.onnx"
is "$rc:$err" "77:denai-model: registerModel would revert: AccessControlUnauthorizedAccount($(addr 1 | tr A-F a-f), $("$CAST" keccak TRAINER_ROLE))" \
    "no trainer role: 77, the reason decoded"

run denai-model register "$M/breast_cancer.onnx" --decimals 0 --description "breast cancer"
is "$rc:$(jq -r '[.model_id, .decimals, .description] | @tsv' <<<"$out")" "0:1	0	breast cancer" \
    "register prints the model"
is "$(jq -r .sha256 <<<"$out")" "0x$(sha256sum "$M/breast_cancer.onnx" | cut -c1-64)" "its sha256 is sha256sum's"
cid=$(jq -r .cid <<<"$out")
got=$(denai-ipfs get --dir "$DENAI_IPFS_DIR" -o "$T/back.onnx" "$cid" 2>&1)
ok "the block store gives the model back under its CID" cmp -s "$T/back.onnx" "$M/breast_cancer.onnx"
gm=$("$CAST" call "$ORACLE" "getModel(uint256)(string,bytes32,uint8,bool,address,string)" 1)
is "$(sed -n 1p <<<"$gm" | tr -d '"') $(sed -n 2p <<<"$gm") $(sed -n 3,4p <<<"$gm" | tr '\n' ' ')" \
    "$cid $(jq -r .sha256 <<<"$out") 0 true " "the registry holds the CID, sha256, decimals, active (cast)"
run denai-model show 1
is "$(jq -c '[.model_id, .cid, .active, (.trainer | ascii_downcase), .description]' <<<"$out")" \
    "[\"1\",\"$cid\",true,\"$(addr 0 | tr A-F a-f)\",\"breast cancer\"]" "show 1"

# Retire: not the owner, unknown, then the owner.
DENAI_PRIVATE_KEY=$(key 1) run denai-model retire 1
is "$rc:$err" "77:denai-model: retireModel would revert: NotModelOwner(1, $(addr 1 | tr A-F a-f))" \
    "retire by another key: 77"
run denai-model retire 9
is "$rc:$err" "65:denai-model: retireModel would revert: UnknownModel(9)" "retire of no model: 65"
run denai-model retire 1
is "$rc:$(jq -c '[.model_id, .active]' <<<"$out")" '0:["1",false]' "retire 1"

# The man page's examples, as written, from the repository's root.
n=$(man_examples denai-model)
is "$n" 2 "the man page has two examples"
run_example denai-model 1 "man page: register diabetes prints model id 2"
run_example denai-model 2 "man page: list | jq @tsv"
is "$_got" "$(printf '1\tfalse\tbreast cancer\n2\ttrue\tdiabetes progression')" \
    "which lists both models"
e2e_stop
done_testing
