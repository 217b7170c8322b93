#!/bin/sh
# tests/contracts/forge.t - the Solidity suite: forge test (offline, solc-js
# through tools/solc-wrapper) turned into TAP, one line per forge test; plus
# the artifact build (contracts/build.js) and a check that it compiles the
# same bytecode as forge (so foundry.toml and build.js settings agree).
# Skips when forge, node or jq is missing.
. "${0%/*}/../lib.sh"

[ -n "$FORGE" ] || skip_all "forge not installed (make deps)"
command -v node >/dev/null 2>&1 || skip_all "node not installed"
command -v jq >/dev/null 2>&1 || skip_all "jq not installed"
[ -d "$TOP/tools/node_modules/solc" ] || skip_all "solc-js not installed (make deps)"

v=$("$TOP/tools/solc-wrapper" --version | sed -n 's/^Version: //p')
case $v in
0.8.*) ok "solc-wrapper answers --version ($v)" true ;;
*) ok "solc-wrapper answers --version" false ;;
esac

# forge writes its cache and out/ under contracts/ (kept between runs).
# Gas.t.sol and SubmitGasLimit.t.sol need each call to be a transaction of
# its own (--isolate): they skip in the main run and run alone in a second.
cd "$TOP/contracts" || exit 1
"$FORGE" test --offline --json >"$T/forge.json" 2>"$T/forge.err"
rc=$?
DENAI_GAS_ISOLATE=1 "$FORGE" test --offline --isolate --json \
    --match-contract 'GasTest|SubmitGasLimitTest' >"$T/gas.json" 2>"$T/gas.err"
rcgas=$?
for f in forge gas; do
	if ! jq -e 'type == "object" and length > 0' "$T/$f.json" >/dev/null 2>&1; then
		ok "forge test ran ($f)" false
		sed 's/^/# /' "$T/$f.err" | tail -40
		done_testing
		exit 1
	fi
done
# One TAP line per test: the isolated gas run replaces the skipped one.
jq -r -s '(.[0] * .[1]) | to_entries[] | .key as $s | .value.test_results |
    to_entries[] | [.value.status, ($s | sub("^test/"; "")) + " " + .key,
     (.value.reason // "")] | @tsv' "$T/forge.json" "$T/gas.json" >"$T/results"
while IFS='	' read -r status name reason; do
	case $status in
	Success) ok "$name" true ;;
	Skipped) skip "$name" ;;
	*) ok "$name" false; diag "$status: $reason" ;;
	esac
done <"$T/results"
ok "forge exit status 0" [ "$rc" -eq 0 ]
ok "forge --isolate (gas) exit status 0" [ "$rcgas" -eq 0 ]
n=$(grep -c '^Success' "$T/results")
ok "forge passed at least 50 tests ($n)" [ "$n" -ge 50 ]

jqtest() { jq -e "$@" >/dev/null; }

# The artifacts the deploy tool reads.
cd "$TOP" || exit 1
if node contracts/build.js "$T/art" 2>"$T/build.err"; then
	ok "contracts/build.js compiles" true
else
	ok "contracts/build.js compiles" false
	sed 's/^/# /' "$T/build.err"
fi
for c in DenAI DenAITasks DenAIToken ExampleConsumer; do
	ok "artifact $c has abi, bytecode, deployedBytecode" jqtest \
	    '(.abi | type == "array" and length > 0) and
	     (.bytecode | test("^0x[0-9a-f]{200,}$")) and
	     (.deployedBytecode | test("^0x[0-9a-f]{200,}$"))' "$T/art/$c.json"
done
sel=$(jq -r '[.abi[] | select(.type == "function") | .name] | join(" ")' "$T/art/DenAI.json")
for f in requestPrediction submitSolution cancelRequest withdraw getRequest \
    openRequests hasSubmitted difficulty quorum registerModel getModel retireModel; do
	case " $sel " in
	*" $f "*) ok "DenAI ABI has $f" true ;;
	*) ok "DenAI ABI has $f" false ;;
	esac
done
sel=$(jq -r '[.abi[] | select(.type == "function") | .name] | join(" ")' "$T/art/DenAITasks.json")
for f in createTask cancelTask commitModel revealTestSet revealModel commitScores \
    revealScores finalize withdraw taskCount phaseOf getTask getOutcome trainersOf \
    getCommit scoreOf validatorState openTasks owed; do
	case " $sel " in
	*" $f "*) ok "DenAITasks ABI has $f" true ;;
	*) ok "DenAITasks ABI has $f" false ;;
	esac
done
for f in registerFor mintFor validatorCount MINER_ROLE TASKS_ROLE; do
	jq -e --arg f "$f" '[.abi[] | select(.type == "function") | .name] | index($f) != null' \
	    "$T/art/DenAI.json" >/dev/null
	ok "DenAI ABI has $f" [ $? -eq 0 ]
done
fb="$TOP/contracts/out/DenAI.sol/DenAI.json"
if [ -f "$fb" ]; then
	is "$(jq -r .bytecode "$T/art/DenAI.json")" "$(jq -r .bytecode.object "$fb")" \
	    "build.js and forge compile the same DenAI bytecode"
fi
done_testing
