#!/usr/bin/env bash
# The request-selection policy on denai-watch (lib/node/policy.c): the
# order (--order tip, the default, or oldest), a minimum tip (--min-tip), a
# minimum tip per unit of callback gas (--min-tip-per-gas: the miner whose
# submission reaches the quorum pays for the callback), and a model
# allow-list (--models). Bad values are usage errors.
. "${0%/*}/../lib.sh"
. "${0%/*}/chain.sh"

start_anvil
ok "deployed" deploy --quorum 5 --difficulty 1000
bc=$(register "$TOP/examples/models/breast_cancer.onnx" 0)
db=$(register "$TOP/examples/models/diabetes.onnx" 2)
is "$bc $db" "1 2" "two models"
D=$TOP/examples/data
req() { # MODEL DATA TIP CALLBACK_GAS
	DENAI_PRIVATE_KEY=$(key 0) denai-request --model "$1" --data "$2" \
	    --tip "$3" --callback-gas "$4" | jq -r .request_id
}
is "$(req "$bc" "$D/breast_cancer_1.json" 1gwei 0)" 1 "request 1: tip 1 gwei"
is "$(req "$bc" "$D/breast_cancer_2.json" 5gwei 0)" 2 "request 2: tip 5 gwei"
is "$(req "$bc" "$D/breast_cancer_3.json" 3gwei 1000000)" 3 "request 3: tip 3 gwei, 1 M callback gas"
is "$(req "$db" "$D/diabetes_0.json" 10gwei 0)" 4 "request 4: model 2, tip 10 gwei"
w() { denai-watch --once --all "$@" | jq -r .request_id | tr '\n' ' '; }
is "$(w)" "4 2 3 1 " "default: highest tip first"
is "$(w --order tip)" "4 2 3 1 " "--order tip"
is "$(w --order oldest)" "1 2 3 4 " "--order oldest"
is "$(w --min-tip 3gwei)" "4 2 3 " "--min-tip 3gwei: request 1 refused"
is "$(w --models 1)" "2 3 1 " "--models 1: model 2's refused"
is "$(w --models 2,1 --order oldest)" "1 2 3 4 " "--models 2,1"
# Request 3 pays 3 gwei for up to 1 M gas of callback: 3000 wei per gas.
is "$(w --min-tip-per-gas 3000wei)" "4 2 3 1 " "--min-tip-per-gas 3000wei: all (request 3 exactly)"
is "$(w --min-tip-per-gas 3001wei)" "4 2 1 " "--min-tip-per-gas 3001wei: request 3 refused"
for bad in "--order newest" "--models 1,,2" "--models x" "--min-tip lots" "--reoffer-after -1"; do
	denai-watch --once --all $bad >/dev/null 2>&1
	is "$?" 64 "$bad: 64"
done
e2e_stop
done_testing
