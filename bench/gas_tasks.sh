#!/bin/sh
# bench/gas_tasks.sh - gas of a whole training task on a local anvil chain:
# createTask, three trainers commit, the test set is revealed, the three
# models are revealed, three validators commit and reveal their scores,
# finalize (pays, registers the winner's model in DenAI), and every payee
# withdraws. Real transaction receipts (gasUsed, intrinsic gas included),
# for the first task on a fresh deployment (every slot written for the
# first time) and a second one. Targets: a commit under 75,000 gas; the
# whole task, withdrawals included, under 2,000,000.
set -eu
cd "$(dirname "$0")/.."
. bench/lib/anvil.sh
TOP=$PWD
NM=$TOP/tools/node_modules
ANVIL=$NM/@foundry-rs/anvil-linux-amd64/bin/anvil
CAST=$NM/@foundry-rs/cast-linux-amd64/bin/cast
T_COMMIT=75000
T_TASK=2000000
for x in "$ANVIL" "$CAST"; do
	[ -x "$x" ] || { echo "gas_tasks: $x missing (make deps)" >&2; exit 1; }
done
command -v jq >/dev/null || { echo "gas_tasks: jq missing" >&2; exit 1; }

W=$(mktemp -d "${TMPDIR:-/tmp}/denai-gas-tasks.XXXXXX")
APID=
cleanup() { [ -n "$APID" ] && kill "$APID" 2>/dev/null; rm -rf "$W"; }
trap cleanup EXIT INT TERM

ART=build/contracts
[ -f $ART/DenAITasks.json ] || { ART=$W/art; node contracts/build.js "$ART" 2>/dev/null; }

bench_anvil gas_tasks 10
CREATOR=$(acct 0)
block() { "$CAST" block-number; }
mine_to() {	# mines until the next block is past $1
	n=$(( $1 - $(block) ))
	[ "$n" -le 0 ] || "$CAST" rpc anvil_mine "$(printf 0x%x "$n")" >/dev/null
}

args=$("$CAST" abi-encode 'f(uint256,uint256,uint256,uint256)' 1 1 1000 0)
O=$(create "$CREATOR" "$(jq -r .bytecode $ART/DenAI.json)${args#0x}")
K=$(create "$CREATOR" "$(jq -r .bytecode $ART/DenAITasks.json)$("$CAST" abi-encode 'f(address)' "$O" | cut -c3-)")
send "$CREATOR" "$O" 'grantRole(bytes32,address)' "$("$CAST" keccak TASKS_ROLE)" "$K" >/dev/null
for v in 4 5 6; do
	send "$CREATOR" "$O" 'grantRole(bytes32,address)' "$("$CAST" keccak VALIDATOR_ROLE)" \
	    "$(acct $v)" >/dev/null
done

TRAIN=bafkreiaeigybm7ca2bk4xc3rfoxuvija53tyekayg37hkarfft2tbn4vem
TEST=bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku
TSALT=$("$CAST" keccak "test salt")
# sha256 of "model-a", "model-b", "model-c" and their CIDs (CIDv1 raw).
SHA1=0x73f95cf180a19624e4be9a711fd53a90dadfffa410cc9cd2ba1999454a5b99b8
SHA2=0xaf30308345d789145d9087a8d6e5037a089e92239bc312bcaba0099bb8e20ba7
SHA3=0x1803683f0086326d50bf1ddbdbbdd87d8a60b3131802ce777e9460fb2e63272b
CID1=bafkreidt7fopdafbsysojpu2oep5kouq3lp77jaqzsonfoqztfcuuw4zxa
CID2=bafkreifpgayigroxrekf3eehvdloka32bcpjei43ymjlzk5abgn3ryqlu4
CID3=bafkreiayanud6aeggjwvbpy53pn33wd5rjqlgeyyalhho7uumd5s4yzhfm
eval_sha() { eval "echo \$SHA$1"; }
eval_cid() { eval "echo \$CID$1"; }

task() {	# prints "total|commit max|line"
	id=$(( $("$CAST" call "$K" 'taskCount()(uint256)') + 1 ))
	b=$(( $(block) + 1 ))
	dl="[$((b + 10)),$((b + 20)),$((b + 30)),$((b + 40)),$((b + 50))]"
	seal=$("$CAST" keccak "$("$CAST" abi-encode 'f(string,bytes32)' $TEST "$TSALT")")
	g=$(send "$CREATOR" "$K" \
	    'createTask(string,bytes32,uint8,string,uint8,uint64[5],uint8,uint96,uint96)' \
	    $TRAIN "$seal" 1 y 4 "$dl" 2 300000000000000000 100000000000000000 \
	    --value 1300000000000000000)
	total=$g line="create $g" cmax=0
	for t in 1 2 3; do
		salt=$("$CAST" keccak "salt $t")
		s=$("$CAST" keccak "$("$CAST" abi-encode 'f(uint256,address,bytes32,bytes32)' \
		    $id "$(acct $t)" "$(eval_sha $t)" "$salt")")
		g=$(send "$(acct $t)" "$K" 'commitModel(uint256,bytes32)' $id "$s" \
		    --value 100000000000000000)
		total=$((total + g)) line="$line, commit $g"
		[ "$g" -le "$cmax" ] || cmax=$g
	done
	mine_to $((b + 10))
	g=$(send "$CREATOR" "$K" 'revealTestSet(uint256,string,bytes32)' $id $TEST "$TSALT")
	total=$((total + g)) line="$line, test reveal $g"
	for t in 1 2 3; do
		g=$(send "$(acct $t)" "$K" 'revealModel(uint256,string,bytes32,bytes32)' $id \
		    "$(eval_cid $t)" "$(eval_sha $t)" "$("$CAST" keccak "salt $t")")
		total=$((total + g)) line="$line, model reveal $g"
	done
	trs="[$(acct 1),$(acct 2),$(acct 3)]"
	scs="[-30,-20,-25]"
	mine_to $((b + 30))
	for v in 4 5 6; do
		salt=$("$CAST" keccak "score salt $v")
		s=$("$CAST" keccak "$("$CAST" abi-encode \
		    'f(uint256,address,bool,address[],int256[],bytes32)' $id "$(acct $v)" true \
		    "$trs" "$scs" "$salt")")
		g=$(send "$(acct $v)" "$K" 'commitScores(uint256,bytes32)' $id "$s")
		total=$((total + g)) line="$line, score commit $g"
	done
	mine_to $((b + 40))
	for v in 4 5 6; do
		g=$(send "$(acct $v)" "$K" \
		    'revealScores(uint256,bool,address[],int256[],bytes32)' $id true "$trs" "$scs" \
		    "$("$CAST" keccak "score salt $v")")
		total=$((total + g)) line="$line, score reveal $g"
	done
	mine_to $((b + 50))
	g=$(send "$(acct 7)" "$K" 'finalize(uint256)' $id)
	total=$((total + g)) line="$line, finalize $g"
	w=$("$CAST" call "$K" 'getOutcome(uint256)(uint8,address,int256,uint256)' $id | sed -n 2p)
	[ "$(echo "$w" | tr A-F a-f)" = "$(acct 2 | tr A-F a-f)" ] ||
	    { echo "gas_tasks: wrong winner $w" >&2; exit 1; }
	for p in 1 2 3 4 5 6 0; do
		g=$(send "$(acct $p)" "$K" 'withdraw()')
		total=$((total + g)) line="$line, withdraw $g"
	done
	echo "$total|$cmax|$line"
}

first=$(task)
second=$(task)
echo "first task:  ${first##*|}"
echo "second task: ${second##*|}"
awk -v f="$first" -v s="$second" -v tc=$T_COMMIT -v tt=$T_TASK 'BEGIN {
	split(f, a, "|"); split(s, b, "|")
	printf "commit (largest): %d gas, target %d = %.3f x target (%s)\n", a[2], tc, a[2] / tc, a[2] < tc ? "under" : "OVER"
	printf "whole 3x3 task, first:  %d gas, target %d = %.3f x target (%s)\n", a[1], tt, a[1] / tt, a[1] < tt ? "under" : "OVER"
	printf "whole 3x3 task, second: %d gas, target %d = %.3f x target (%s)\n", b[1], tt, b[1] / tt, b[1] < tt ? "under" : "OVER" }'
