#!/usr/bin/env bash
# denai-deploy: usage and start failures; the contracts it deploys hold the
# parameters asked for (read back with cast); the deployment file is
# written atomically (a new inode replaces the old file, no temporary file
# is left, a failed deploy leaves the old file alone) and printed as the
# same one JSON line; the man page's example.
. "${0%/*}/../lib.sh"
. "${0%/*}/../e2e/chain.sh"
unset DENAI_PRIVATE_KEY ETH_KEYSTORE ETH_PASSWORD ETH_FROM

usage_checks denai-deploy
run denai-deploy extra
is "$rc" 64 "a stray argument: 64"
run denai-deploy --quorum x
is "$rc:${err%%:*}" "64:denai-deploy" "--quorum x: 64"

start_anvil
export DENAI_ARTIFACTS=$TOP/build/contracts
mkdir -p "$T/d"
out_file=$T/d/deployment.json
run denai-deploy --out "$out_file"
is "$rc:$err" "64:denai-deploy: no signing key: set DENAI_PRIVATE_KEY, or ETH_KEYSTORE and ETH_PASSWORD" \
    "no key: 64"
export DENAI_PRIVATE_KEY=$(key 0)
ETH_RPC_URL=http://127.0.0.1:1 run denai-deploy --out "$out_file"
is "$rc:$err" "69:denai-deploy: eth_chainId to http://127.0.0.1:1: connection refused (after 3 tries)" \
    "the node unreachable: 69"
run denai-deploy --out "$out_file" --artifacts "$T/none"
is "$rc:${err%%:*}" "74:denai-deploy" "no artifacts: 74"
mkdir "$T/art" && echo '{"abi":[]}' >"$T/art/DenAI.json"
run denai-deploy --out "$out_file" --artifacts "$T/art"
is "$rc:${err%%:*}" "65:denai-deploy" "an artifact without bytecode: 65"
ok "no file written by the failures" [ ! -e "$out_file" ]

run denai-deploy --quorum 3 --difficulty 777 --expiry 12 --out "$out_file"
is "$rc" 0 "deploy: exit 0"
is "$(wc -l <"$T/out" | tr -d ' ')" 1 "prints one line"
is "$(jq -cS . <<<"$out")" "$(jq -cS . "$out_file")" "the line is the file"
O=$(jq -r .oracle "$out_file")
is "$(jq -r '[.chain_id, .quorum, (.deployer | ascii_downcase)] | @tsv' "$out_file")" \
    "$(printf '31337\t3\t%s' "$(addr 0 | tr A-F a-f)")" "chain id, quorum, deployer"
is "$("$CAST" call "$O" "quorum()(uint256)") $("$CAST" call "$O" "difficulty()(uint256)") $("$CAST" call "$O" "expiryBlocks()(uint256)") $("$CAST" call "$O" "openMining()(bool)")" \
    "3 777 12 true" "the oracle holds quorum, difficulty, expiry, open mining (cast)"
is "$("$CAST" call "$O" "token()(address)")" "$(jq -r .token "$out_file")" "the token is the oracle's"
C=$(jq -r .consumer "$out_file")
ok "the consumer has code" [ "$("$CAST" code "$C")" != 0x ]
is "$("$CAST" call "$C" "oracle()(address)" 2>/dev/null || "$CAST" call "$C" "denai()(address)")" "$O" \
    "the consumer points at the oracle"
b=$(jq -r .block "$out_file")
is "$("$CAST" receipt --json "$(jq -r '.transactions[0]' <<<"$("$CAST" block "$b" --json)")" | jq -r '.contractAddress | ascii_downcase')" \
    "$(tr A-F a-f <<<"$O")" "block is the oracle's creation block"
is "$(DENAI_DEPLOYMENT=$out_file denai-watch --once --all; echo $?)" 0 "another program reads the file"

# The tasks contract: deployed, in the file, holding TASKS_ROLE on DenAI.
K=$(jq -r .tasks "$out_file")
ok "the tasks contract has code" [ "$("$CAST" code "$K")" != 0x ]
is "$("$CAST" call "$K" "denai()(address)")" "$O" "the tasks contract points at the oracle"
is "$("$CAST" call "$O" "hasRole(bytes32,address)(bool)" "$("$CAST" keccak TASKS_ROLE)" "$K")" \
    true "it holds TASKS_ROLE"
is "$("$CAST" call "$O" "validatorCount()(uint256)")" 0 "no validators yet"

# Roles: grant and revoke by name.
export DENAI_DEPLOYMENT=$out_file
run denai-deploy grant validator "$(addr 3)"
is "$rc" 0 "grant validator: exit 0"
run denai-deploy grant VALIDATOR_ROLE "$(addr 4)"
is "$("$CAST" call "$O" "validatorCount()(uint256)")" 2 "two validators counted"
run denai-deploy grant miner "$(addr 5)"
is "$("$CAST" call "$O" "hasRole(bytes32,address)(bool)" "$("$CAST" keccak MINER_ROLE)" "$(addr 5)")" \
    true "grant miner: MINER_ROLE held"
run denai-deploy revoke validator "$(addr 3)"
is "$rc:$("$CAST" call "$O" "validatorCount()(uint256)")" 0:1 "revoke: one validator left"
run denai-deploy grant owner "$(addr 3)"
is "$rc:$err" "64:denai-deploy: unknown role \"owner\" (miner, validator, trainer, tasks, default_admin)" \
    "an unknown role: 64"
run denai-deploy grant miner 0x1234
is "$rc:${err%%:*}" "64:denai-deploy" "a bad address: 64"
run denai-deploy grant miner
is "$rc" 64 "a missing address: 64"
DENAI_PRIVATE_KEY=$(key 1) run denai-deploy grant miner "$(addr 6)"
is "$rc:${err%%:*}" "75:denai-deploy" "a key that is not the admin: refused (75)"
unset DENAI_DEPLOYMENT

# Atomic replacement.
ino=$(stat -c %i "$out_file")
run denai-deploy --no-consumer --closed-mining --out "$out_file"
is "$rc" 0 "a second deploy over the file"
ok "the file was replaced by a rename (new inode)" [ "$(stat -c %i "$out_file")" != "$ino" ]
is "$(ls -A "$T/d")" deployment.json "no temporary file left beside it"
is "$(jq -r 'has("consumer")' "$out_file")" false "--no-consumer: no consumer in the file"
is "$("$CAST" call "$(jq -r .oracle "$out_file")" "openMining()(bool)")" false "--closed-mining"
cp "$out_file" "$T/before"
ETH_RPC_URL=http://127.0.0.1:1 run denai-deploy --out "$out_file"
ok "a failed deploy leaves the old file" cmp -s "$out_file" "$T/before"
run denai-deploy --out "$T/nodir/deployment.json"
is "$rc:${err##*: }" "74:No such file or directory" "a file in a missing folder: 74"
is "$out" "" "and nothing printed"

# The man page's example (anvil is ours; the key is exported above).
n=$(man_examples denai-deploy)
cp "$out_file" "$T/keep"
export DENAI_DEPLOYMENT=$T/d/man.json
run_example denai-deploy 3 "man page: denai-deploy --quorum 3 | jq -r .oracle"
is "$_got" "$(jq -r .oracle "$DENAI_DEPLOYMENT")" "it printed the oracle's address"
is "$(grep -c . "$T/ex.denai-deploy.3.cmd")" 1 "(example 3 is the deploy command)"
e2e_stop
done_testing
