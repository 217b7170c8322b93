#!/bin/sh
# examples/node.sh - one DenAI miner node: the whole pipeline.
#
#   denai-watch | denai-fetch | denai-predict | denai-mine | denai-submit
#
# Settings come from the environment, as every denai program reads them:
#   ETH_RPC_URL          the node (default http://127.0.0.1:8545)
#   DENAI_DEPLOYMENT     the deployment file (default ./deployment.json)
#   DENAI_PRIVATE_KEY    the miner's key (or ETH_KEYSTORE + ETH_PASSWORD)
#   DENAI_IPFS_DIR       the block store and model cache
#   DENAI_IPFS_GATEWAY   trustless gateways, comma separated (optional)
# Options:
#   --threads N          mining threads (default: all cores)
#   --log FILE           append every record leaving the pipeline (NDJSON)
#   --state FILE         denai-watch's checkpoint (default under XDG_STATE_HOME)
#   --poll MS            how often denai-watch asks for new blocks (default 1000;
#                        a local chain answers in a millisecond: 10 is fine)
#   --models FILE        denai-fetch's model map instead of the chain registry
#   --command ID=CMD     answer model ID with a local command (denai-predict)
# Error records are printed to stderr as they pass, so an operator sees them;
# the final records (mined, closed, already-submitted) go to --log or stdout.
set -eu

threads= log=/dev/stdout state= models= command= poll=
while [ $# -gt 0 ]; do
	case $1 in
	--threads) threads=$2; shift 2 ;;
	--log) log=$2; shift 2 ;;
	--state) state=$2; shift 2 ;;
	--poll) poll=$2; shift 2 ;;
	--models) models=$2; shift 2 ;;
	--command) command=$2; shift 2 ;;
	-h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "node.sh: unknown option $1" >&2; exit 64 ;;
	esac
done

denai-watch ${state:+--state "$state"} ${poll:+--poll "$poll"} |
    denai-fetch ${models:+--models "$models"} |
    denai-predict ${command:+--command "$command"} |
    denai-mine -q --check-open ${threads:+--threads "$threads"} |
    denai-submit |
    tee -a "$log" |
    jq -c --unbuffered 'select(.type == "error")' >&2
