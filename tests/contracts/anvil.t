#!/bin/sh
# tests/contracts/anvil.t - the built artifacts (build/contracts, else built
# here) on a real node: deploy DenAI and ExampleConsumer on anvil with cast,
# register a model, make the original DenAI call requestPrediction(1, cid, 0)
# through the example consumer, find the request with openRequests, mine it
# with five accounts, and check the callback, the events, the payout and
# the DENAI mint. Skips when anvil, cast, node or jq is missing.
. "${0%/*}/../lib.sh"

[ -n "$ANVIL" ] && [ -n "$CAST" ] || skip_all "anvil/cast not installed (make deps)"
command -v node >/dev/null 2>&1 || skip_all "node not installed"
command -v jq >/dev/null 2>&1 || skip_all "jq not installed"

ART=$TOP/build/contracts
if [ ! -f "$ART/DenAI.json" ]; then
	ART=$T/art
	node "$TOP/contracts/build.js" "$ART" 2>/dev/null || { ok "build.js" false; done_testing; exit 1; }
fi

# anvil picks a free port and says which.
"$ANVIL" --port 0 --hardfork cancun --accounts 8 >"$T/anvil.log" 2>&1 &
APID=$!
trap 'kill $APID 2>/dev/null; rm -rf "$T"' EXIT
i=0
until port=$(sed -n 's/^Listening on 127.0.0.1:\([0-9]*\).*/\1/p' "$T/anvil.log") &&
    [ -n "$port" ]; do
	i=$((i + 1))
	[ $i -lt 200 ] || { ok "anvil starts" false; done_testing; exit 1; }
	sleep 0.1
done
export ETH_RPC_URL=http://127.0.0.1:$port
ACCTS=$("$CAST" rpc eth_accounts | jq -r '.[]')
acct() { echo "$ACCTS" | sed -n "$(($1 + 1))p"; }
A0=$(acct 0)
lc() { tr 'A-F' 'a-f'; }
# cast annotates numbers ("100000 [1e5]"): drop that, lower-case hex.
cl() { sed 's/ \[[^]]*\]//g' | tr 'A-F' 'a-f'; }

# tx FROM ARGS... : send, keep the receipt in $T/r.json, succeed on status 1
tx() {
	from=$1; shift
	"$CAST" send --unlocked --from "$from" --json "$@" >"$T/r.json" 2>"$T/err" &&
	    [ "$(jq -r .status "$T/r.json")" = 0x1 ]
}

args=$("$CAST" abi-encode 'f(uint256,uint256,uint256,uint256)' 5 1 100 0)
ok "deploy DenAI(5, 1, 100, 0)" tx "$A0" --create "$(jq -r .bytecode "$ART/DenAI.json")${args#0x}"
O=$(jq -r .contractAddress "$T/r.json")
is "$("$CAST" call "$O" 'quorum()(uint256)')" 5 "quorum()"
TOK=$("$CAST" call "$O" 'token()(address)')
is "$("$CAST" call "$TOK" 'symbol()(string)')" '"DENAI"' "token symbol"
is "$("$CAST" call "$TOK" 'minter()(address)' | lc)" "$(echo "$O" | lc)" "token minter is the oracle"

MCID=bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku
SHA=0x$(printf '%s' model | sha256sum | cut -c1-64)
ok "registerModel" tx "$A0" "$O" 'registerModel(string,bytes32,uint8,string)' $MCID "$SHA" 4 iris
got=$("$CAST" call "$O" 'getModel(uint256)(string,bytes32,uint8,bool,address,string)' 1 | cl | tr '\n' ' ')
is "$got" "\"$MCID\" $SHA 4 true $(echo "$A0" | lc) \"iris\" " "getModel(1)"

cargs=$("$CAST" abi-encode 'f(address)' "$O")
ok "deploy ExampleConsumer" tx "$A0" --create "$(jq -r .bytecode "$ART/ExampleConsumer.json")${cargs#0x}"
C=$(jq -r .contractAddress "$T/r.json")

CID=bafkreiaeigybm7ca2bk4xc3rfoxuvija53tyekayg37hkarfft2tbn4vem
ok "original call requestPrediction(1, cid, 0)" tx "$(acct 7)" "$C" \
    'requestPrediction(uint256,string,uint256)' 1 $CID 0
t0=$("$CAST" keccak 'PredictionRequested(uint256,uint256,address,string,uint256,bytes32,uint256)')
ev=$(jq -r --arg t "$t0" '[.logs[] | select(.topics[0] == $t)] | length' "$T/r.json")
is "$ev" 1 "PredictionRequested logged"
is "$(jq -r --arg t "$t0" '.logs[] | select(.topics[0] == $t) | .topics[3]' "$T/r.json" | lc)" \
    "$("$CAST" abi-encode 'f(address)' "$C" | lc)" "requester topic is the consumer"
is "$("$CAST" call "$O" 'openRequests(uint256,uint256)(uint256[])' 0 10)" "[1]" "openRequests finds it"
r=$("$CAST" call "$O" 'getRequest(uint256)(address,uint256,string,uint256,bytes32,uint256,uint256,uint256,uint256,uint256,uint256,bool)' 1 | cl)
is "$(echo "$r" | sed -n 3p)" "\"$CID\"" "getRequest: data CID"
is "$(echo "$r" | sed -n 7p)" 100000 "getRequest: callback gas"
is "$(echo "$r" | sed -n 9p)" 1 "getRequest: open"

k=1
while [ $k -le 5 ]; do
	ok "submitSolution by miner $k" tx "$(acct $k)" "$O" \
	    'submitSolution(uint256,uint256,uint256)' 1 31415 $k
	k=$((k + 1))
done
t1=$("$CAST" keccak 'PredictionFulfilled(uint256,uint256,bool)')
data=$(jq -r --arg t "$t1" '.logs[] | select(.topics[0] == $t) | .data' "$T/r.json")
is "$("$CAST" abi-decode --input 'f(uint256,bool)' "$data" | cl | tr '\n' ' ')" "31415 true " \
    "PredictionFulfilled(31415, callbackOk=true)"
is "$("$CAST" call "$C" 'responses(uint256)(uint256,address,bool)' 1 | cl | tr '\n' ' ')" \
    "31415 $(acct 7 | lc) true " "the consumer kept the response"
is "$("$CAST" call "$O" 'openRequests(uint256,uint256)(uint256[])' 0 10)" "[]" "no longer open"
ok "second submission refused after fulfilment" sh -c \
    "! '$CAST' send --unlocked --from $(acct 6) $O 'submitSolution(uint256,uint256,uint256)' 1 1 1 >/dev/null 2>&1"

ok "miner 1 withdraws" tx "$(acct 1)" "$O" 'withdraw()'
is "$("$CAST" call "$TOK" 'balanceOf(address)(uint256)' "$(acct 1)" | cut -d' ' -f1)" \
    1000000000000000000 "one DENAI minted to miner 1"
is "$("$CAST" call "$TOK" 'totalSupply()(uint256)' | cut -d' ' -f1)" \
    1000000000000000000 "supply = rewards withdrawn"
done_testing
