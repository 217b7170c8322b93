# tests/task/task.sh - training tasks on anvil (sourced after tests/lib.sh
# and tests/e2e/chain.sh). Keys: 0 deploys, 1 creates tasks, 2 and 3
# train, 4, 5 and 6 validate.

# task_chain [deploy args...]: anvil, the contracts, validators 4 5 6;
# sets TASKS.
task_chain() {
	start_anvil || return 1
	deploy "$@" || { cat "$T/deploy.err" >&2; return 1; }
	TASKS=$(jq -r '.tasks // empty' "$DENAI_DEPLOYMENT")
	[ -n "$TASKS" ] || return 1
	export DENAI_TASK_STATE="$T/task-state"
	for i in 4 5 6; do
		DENAI_PRIVATE_KEY=$(key 0) denai-deploy grant VALIDATOR_ROLE \
		    "$(addr $i)" >/dev/null 2>>"$T/deploy.err" || return 1
	done
}

# task_csvs DIR: train.csv (rows 0..2) and test.csv (rows 3..4) of the
# breast-cancer examples, 30 features and the label y.
task_csvs() {
	_dir=$1 D=$TOP/examples/data
	hdr=$(seq -s, 0 29 | sed 's/[0-9]*/f&/g'),y
	preds=$(jq -r '.models[] | select(.name == "breast_cancer") |
	    [.examples[].prediction] | join(" ")' "$TOP/examples/models/models.json")
	set -- $preds
	{ echo "$hdr"; for i in 0 1 2; do eval "y=\${$((i + 1))}"
	  jq -r 'map(tostring) | join(",")' "$D/breast_cancer_$i.json" | sed "s/\$/,$y/"; done; } >"$_dir/train.csv"
	{ echo "$hdr"; for i in 3 4; do eval "y=\${$((i + 1))}"
	  jq -r 'map(tostring) | join(",")' "$D/breast_cancer_$i.json" | sed "s/\$/,$y/"; done; } >"$_dir/test.csv"
}

# mine N: N empty blocks.
mine() { "$CAST" rpc anvil_mine "$(printf '0x%x' "$1")" >/dev/null; }
head_block() { "$CAST" block-number; }
# mine_past TASK NAME: mines until the block is past the task's NAME deadline.
mine_past() {
	_dl=$(denai-task show "$1" | jq -r ".deadlines.$2")
	_h=$(head_block)
	[ -n "$_dl" ] || return 1
	[ "$_h" -gt "$_dl" ] || mine $((_dl - _h + 1))
}
phase() { denai-task show "$1" | jq -r .phase; }

# salt: 32 random bytes in hex.
salt() { echo "0x$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')"; }
sha_of() { echo "0x$(sha256sum "$1" | cut -c1-64)"; }
cid_of() { denai-ipfs cid --cid-version 1 "$1"; }
model_seal() {	# TASK TRAINER SHA SALT
	"$CAST" keccak "$("$CAST" abi-encode "f(uint256,address,bytes32,bytes32)" "$@")"
}
scores_seal() {	# TASK VALIDATOR VALID [TRAINERS] [SCORES] SALT
	"$CAST" keccak "$("$CAST" abi-encode \
	    "f(uint256,address,bool,address[],int256[],bytes32)" "$@")"
}

# submit_as I: denai-submit with key I, stdin the records; stdout the
# records it writes.
submit_as() { DENAI_PRIVATE_KEY=$(key "$1") denai-submit --wait 60; }
