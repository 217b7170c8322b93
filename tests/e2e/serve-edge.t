#!/usr/bin/env bash
# One can_serve rule (lib/node/serve_rule.c) for watch, mine and submit,
# the contract's own: a submission is taken through block expiresAt, and
# one sent after block head lands in head + 1 at the earliest. At head ==
# expiresAt - 1 all three serve the request (and the submission lands in
# block expiresAt and is taken); at head == expiresAt all three call it
# closed: watch does not emit it, mine --check-open and submit say
# "closed", and no transaction is sent.
. "${0%/*}/../lib.sh"
. "${0%/*}/chain.sh"

start_anvil
ok "deployed with quorum 2 and expiry 6" deploy --quorum 2 --difficulty 1000 --expiry 6
bc=$(register "$TOP/examples/models/breast_cancer.onnx" 0)
D=$TOP/examples/data
export DENAI_PRIVATE_KEY=$(key 1)
GETREQ="getRequest(uint256)(address,uint256,string,uint256,bytes32,uint256,uint256,uint256,uint8,uint256,uint256,bool)"
expires() { "$CAST" call "$ORACLE" "$GETREQ" "$1" | sed -n 8p | awk '{print $1}'; }
head_() { "$CAST" block-number; }
to_head() { # mine blocks until the head is $1
	n=$(($1 - $(head_)))
	[ "$n" -le 0 ] || "$CAST" rpc anvil_mine "$(printf '0x%x' "$n")" >/dev/null
	[ "$(head_)" = "$1" ]
}
nonce() { "$CAST" nonce "$(addr 1)"; }

for id in 1 2; do
	is "$(DENAI_PRIVATE_KEY=$(key 0) request "$bc" "$D/breast_cancer_$id.json" 1)" "$id" "request $id made"
	E=$(expires "$id")
	ok "request $id: head to expiresAt - 1 ($((E - 1)))" to_head $((E - 1))
	denai-watch --once --all | jq -c --arg id "$id" 'select(.request_id == $id)' >"$T/rec.$id"
	is "$(nlines "$T/rec.$id")" 1 "head == expiresAt - 1: watch emits request $id"
	denai-fetch <"$T/rec.$id" | denai-predict | denai-mine -q --check-open >"$T/mined.$id"
	is "$(jq -r '.nonce != null' "$T/mined.$id")" true "head == expiresAt - 1: mine --check-open mines it"
	if [ "$id" = 1 ]; then
		# One block more: head == expiresAt.
		ok "request 1: head to expiresAt ($E)" to_head "$E"
		is "$(denai-watch --once --all | jq -r 'select(.request_id == "1") | .request_id')" "" \
		    "head == expiresAt: watch does not emit it"
		jq -c 'del(.nonce, .prediction, .miner)' "$T/mined.1" |
		    denai-mine -q --check-open >"$T/closed.1"
		is "$(jq -r .status "$T/closed.1")" closed "head == expiresAt: mine --check-open says closed"
		n0=$(nonce)
		is "$(denai-submit <"$T/mined.1" | jq -r .status)" closed "head == expiresAt: submit says closed"
		is "$(nonce)" "$n0" "and sends nothing"
	else
		# Submitted at head == expiresAt - 1: lands in block expiresAt.
		is "$(denai-submit <"$T/mined.2" | tee "$T/sub.2" | jq -r .status)" mined \
		    "head == expiresAt - 1: submit sends it, and it is mined"
		is "$(jq -r .block_number "$T/sub.2")" "$E" "in block expiresAt, where the contract still takes it"
	fi
done
e2e_stop
done_testing
