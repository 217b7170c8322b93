#!/bin/sh
# examples/validator.sh - one DenAI validator node: the whole pipeline.
#
#   denai-watch --tasks --role validator | denai-fetch | denai-validate | denai-submit
#
# For every task whose models are revealed it scores each model on the
# task's test set (the oracle's own evaluator, row by row), commits one
# sealed list of scores, reveals it when the scoring window turns, and
# finalizes the task once it can be. The key needs VALIDATOR_ROLE
# (denai-deploy grant VALIDATOR_ROLE ADDRESS, by the deployer). Scores,
# salts and seals are saved in the state directory before they leave: a
# restart with the same --dir reveals the list it committed, never a new one.
#
# Settings come from the environment, as every denai program reads them:
#   ETH_RPC_URL          the node (default http://127.0.0.1:8545)
#   DENAI_DEPLOYMENT     the deployment file (default ./deployment.json)
#   DENAI_PRIVATE_KEY    the validator's key (or ETH_KEYSTORE + ETH_PASSWORD)
#   DENAI_IPFS_DIR       the block store (test sets and models)
#   DENAI_IPFS_GATEWAY   trustless gateways, comma separated (optional)
# Options:
#   --dir DIR            the node's state: DIR/watch.json (denai-watch's
#                        checkpoint) and DIR/validate/ (scores, salts,
#                        seals); default $XDG_STATE_HOME/denai/validator-ADDRESS
#   --jobs N             threads per model (default 1; scores do not depend on it)
#   --poll MS            how often denai-watch asks the chain (default 1000)
#   --log FILE           append every record leaving the pipeline (NDJSON)
# Error records are printed to stderr as they pass, so an operator sees them;
# the final records (mined, closed, ...) go to --log or stdout.
set -eu

dir= jobs= poll= log=/dev/stdout
while [ $# -gt 0 ]; do
	case $1 in
	--dir) dir=$2; shift 2 ;;
	--jobs) jobs=$2; shift 2 ;;
	--poll) poll=$2; shift 2 ;;
	--log) log=$2; shift 2 ;;
	-h|--help) sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "validator.sh: unknown option $1" >&2; exit 64 ;;
	esac
done
if [ -z "$dir" ]; then
	me=$(denai-key address)
	dir=${XDG_STATE_HOME:-$HOME/.local/state}/denai/validator-$me
fi
mkdir -p "$dir/validate"

denai-watch --tasks --role validator --state "$dir/watch.json" ${poll:+--poll "$poll"} |
    denai-fetch |
    denai-validate --state "$dir/validate" ${jobs:+--jobs "$jobs"} |
    denai-submit |
    tee -a "$log" |
    jq -c --unbuffered 'select(.type == "error")' >&2
