#!/bin/sh
# stage.t - denai-train as a pipeline stage: golden records for commit,
# reveal, pass-through and failures; the seal is keccak256(abi.encode(
# taskId, trainer, modelSha256, salt)) (checked with cast); the model is in
# the block store under its CIDv1 raw; a restarted trainer, or one killed
# with -9 while training, commits the same model, salt and seal.
. "${0%/*}/../lib.sh"

command -v denai-train >/dev/null 2>&1 || skip_all "denai-train not built"
F="$TOP/tests/train/fixtures"
TR=0x70997970C51812dc3A010C7d01b50e0d17dc79C8
C=0x5FbDB2315678afecb367f032d93F642f64180aa3
export DENAI_IPFS_DIR="$T/ipfs"
unset DENAI_PRIVATE_KEY ETH_KEYSTORE ETH_FROM DENAI_TRAIN_STATE

task() {	# task ID ACTION [extra jq object]
	jq -nc --arg id "$1" --arg a "$2" --arg c "$C" --arg p "$F/iris.csv" \
	    "{type:\"task\", chain_id:\"31337\", contract:\$c, task_id:\$id,
	      phase:\"commit\", action:\$a, kind:\"classification\",
	      label_column:\"label\", decimals:0, commit_bond:\"1000\",
	      train_path:\$p} + ${3:-{\}}"
}
# Masks what changes from run to run: salts, seals, the state path.
mask() {
	jq -c 'if .salt then .salt |= (if test("^0x[0-9a-f]{64}$") then "SALT" else . end) else . end
	    | if .seal then .seal |= (if test("^0x[0-9a-f]{64}$") then "SEAL" else . end) else . end
	    | if .model_path then .model_path |= sub(".*/"; "") else . end
	    | if .train_path then .train_path |= sub(".*/"; "") else . end'
}

{
	echo '{"type":"request","request_id":"9","model_id":"1"}'
	task 1 commit
	task 1 reveal
	task 2 reveal
	task 3 commit '{train_path:null}'
	task 4 commit '{label_column:"nope"}'
	task 1 finalize
	echo 'not json'
} >"$T/in"
denai-train --state "$T/state" --trainer $TR --threads 2 <"$T/in" >"$T/out" 2>"$T/err"
is "$?" 0 "the stage exits 0 at the end of its input"
mask <"$T/out" >"$T/got"
cat >"$T/want" <<EOF2
{"type":"request","request_id":"9","model_id":"1"}
$(task 1 commit '{model_cid:"MCID", model_sha256:"MSHA", seal:"SEAL", algo:"gbt", model_path:"train-31337-0x5fbdb2315678afecb367f032d93f642f64180aa3-1.onnx"}' | mask)
$(task 1 reveal '{model_cid:"MCID", model_sha256:"MSHA", salt:"SALT", model_path:"train-31337-0x5fbdb2315678afecb367f032d93f642f64180aa3-1.onnx"}' | mask)
EOF2
cid=$(sed -n 2p "$T/out" | jq -r .model_cid)
sha=$(sed -n 2p "$T/out" | jq -r .model_sha256)
seal=$(sed -n 2p "$T/out" | jq -r .seal)
salt=$(sed -n 3p "$T/out" | jq -r .salt)
sed -i "s/MCID/$cid/; s/MSHA/$sha/" "$T/want"
is "$(head -3 "$T/got")" "$(cat "$T/want")" "commit and reveal records (golden, salt and seal masked)"
case $cid in bafkrei*) r=ok ;; *) r=bad ;; esac
is "$r" ok "the model's CID is CIDv1 raw ($cid)"
is "$(sed -n 3p "$T/out" | jq -r .model_cid)" "$cid" "reveal names the committed model"
m="$T/state/train-31337-0x5fbdb2315678afecb367f032d93f642f64180aa3-1.onnx"
is "0x$(sha256sum "$m" | cut -c1-64)" "$sha" "the saved model's sha256"
is "$(denai-fetch --dir "$T/ipfs" --cid "$cid" | sha256sum | cut -c1-64)" \
    "${sha#0x}" "the block store serves the model under its CID"
is "$(stat -c %a "$T/state/train-31337-0x5fbdb2315678afecb367f032d93f642f64180aa3-1.json")" 600 "the state file is mode 0600"
if [ -n "$CAST" ]; then
	want=$("$CAST" keccak "$("$CAST" abi-encode 'f(uint256,address,bytes32,bytes32)' 1 $TR "$sha" "$salt")")
	is "$seal" "$want" "seal = keccak256(abi.encode(taskId, trainer, sha256, salt)) (cast)"
else
	skip "cast not installed"
fi
is "$(sed -n 4p "$T/out" | jq -r '.type + " " + .task_id + " " + .error')" \
    "error 2 no saved commit for task 2 in $T/state" "reveal without a commit is an error record (with its task_id)"
is "$(sed -n 5p "$T/out" | jq -r '.type + " " + .error')" \
    "error no train_path: run denai-fetch before denai-train" "commit without train_path is an error record"
is "$(sed -n 6p "$T/out" | jq -r '.type')" error "an unknown label column is an error record"
is "$(sed -n 7p "$T/out" | jq -c .)" "$(task 1 finalize)" "other actions pass through"
is "$(sed -n 8p "$T/out" | jq -r '.type + " " + (.line|tostring)')" "error 8" "a bad line is an error record naming it"
grep -q "task 1: gbt classification, 150 rows x 4 features" "$T/err"
is "$?" 0 "training metrics on stderr"

# A restart: the same commit again reuses the state, even with the block
# store gone (the model goes back in) and with another --algo.
rm -rf "$T/ipfs"
task 1 commit | denai-train --state "$T/state" --trainer $TR --algo rf >"$T/again"
is "$(jq -r '.model_cid + " " + .seal + " " + .algo' "$T/again")" "$cid $seal gbt" "a restart commits the same model, salt and seal"
is "$(denai-fetch --dir "$T/ipfs" --cid "$cid" | sha256sum | cut -c1-64)" \
    "${sha#0x}" "and puts the model back in the block store"
task 1 commit | denai-train --state "$T/state" --trainer 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC >"$T/other"
is "$(jq -r .type "$T/other")" error "another trainer's state is not reused"

# kill -9 while training: nothing is emitted and nothing saved; the next
# run trains and saves once, and a third run reuses it.
task 5 commit '{train_path:"'"$F"'/diabetes.csv", kind:"regression"}' >"$T/t5"
denai-train --state "$T/s5" --trainer $TR --algo rf --trees 3000 --threads 1 <"$T/t5" >"$T/o5a" &
pid=$!
sleep 0.3
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
is "$(cat "$T/o5a")" "" "killed while training: nothing emitted"
ls "$T/s5"/*.json >/dev/null 2>&1 && r=saved || r=none
is "$r" none "killed while training: no state saved"
denai-train --state "$T/s5" --trainer $TR --algo rf --trees 20 <"$T/t5" >"$T/o5b"
denai-train --state "$T/s5" --trainer $TR --algo rf --trees 20 <"$T/t5" >"$T/o5c"
is "$(jq -c '[.model_sha256, .seal]' "$T/o5c")" "$(jq -c '[.model_sha256, .seal]' "$T/o5b")" "after the kill: one commit, reused"
done_testing
