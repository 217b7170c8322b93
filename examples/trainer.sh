#!/bin/sh
# examples/trainer.sh - one DenAI trainer node: the whole pipeline.
#
#   denai-watch --tasks --role trainer | denai-fetch | denai-train | denai-submit
#
# It commits a model to every open training task it sees (training it on
# the task's CSV), and reveals it once the task's test set is out. The
# model, its salt and its seal are saved in the state directory before the
# commit leaves: killed at any moment (kill -9 included) and started again
# with the same --dir, it reveals the model it committed and never commits
# twice.
#
# Settings come from the environment, as every denai program reads them:
#   ETH_RPC_URL          the node (default http://127.0.0.1:8545)
#   DENAI_DEPLOYMENT     the deployment file (default ./deployment.json)
#   DENAI_PRIVATE_KEY    the trainer's key (or ETH_KEYSTORE + ETH_PASSWORD)
#   DENAI_IPFS_DIR       the block store (training sets in, models out)
#   DENAI_IPFS_GATEWAY   trustless gateways, comma separated (optional)
# Options:
#   --dir DIR            the node's state: DIR/watch.json (denai-watch's
#                        checkpoint) and DIR/train/ (models, salts, seals);
#                        default $XDG_STATE_HOME/denai/trainer-ADDRESS
#   --algo ALGO          gbt, rf or linear (default: denai-train's, gbt)
#   --threads N          training threads (default: all cores)
#   --poll MS            how often denai-watch asks the chain (default 1000)
#   --log FILE           append every record leaving the pipeline (NDJSON)
# Error records are printed to stderr as they pass, so an operator sees them;
# the final records (mined, already-committed, closed) go to --log or stdout.
set -eu

dir= algo= threads= poll= log=/dev/stdout
while [ $# -gt 0 ]; do
	case $1 in
	--dir) dir=$2; shift 2 ;;
	--algo) algo=$2; shift 2 ;;
	--threads) threads=$2; shift 2 ;;
	--poll) poll=$2; shift 2 ;;
	--log) log=$2; shift 2 ;;
	-h|--help) sed -n '2,28p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "trainer.sh: unknown option $1" >&2; exit 64 ;;
	esac
done
if [ -z "$dir" ]; then
	me=$(denai-key address)
	dir=${XDG_STATE_HOME:-$HOME/.local/state}/denai/trainer-$me
fi
mkdir -p "$dir/train"

denai-watch --tasks --role trainer --state "$dir/watch.json" ${poll:+--poll "$poll"} |
    denai-fetch |
    denai-train --state "$dir/train" ${algo:+--algo "$algo"} ${threads:+--threads "$threads"} |
    denai-submit |
    tee -a "$log" |
    jq -c --unbuffered 'select(.type == "error")' >&2
