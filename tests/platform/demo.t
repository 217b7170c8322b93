#!/usr/bin/env bash
# make demo keeps working: both acts run to the end, the sealed request is
# committed by the five miners before any reveals and answered, the trained winner's
# answer through the five miners equals its own model file's, and nothing
# the demo started is left running, nor its scratch folder.
. "${0%/*}/../lib.sh"
[ -n "$ANVIL" ] && [ -n "$CAST" ] || skip_all "anvil is not installed (make deps)"
[ -f "$TOP/build/contracts/DenAITasks.json" ] || skip_all "contracts not built (make)"
command -v jq >/dev/null || skip_all "jq is not installed"

export TMPDIR=$T
start=$(date +%s)
timeout 170 bash "$TOP/examples/demo.sh" >"$T/out" 2>"$T/err"
rc=$?
is "$rc" 0 "the demo runs to the end"
[ "$rc" = 0 ] || tail -20 "$T/err" | sed 's/^/# /'
diag "demo: $(($(date +%s) - start)) s"
cat "$T/out" >>"$T/err"
is "$(grep -c '5 of 5 miners agreed' "$T/err")" 3 "three answers, each from the five miners"
ok "the sealed request: sklearn's answer from the five revealers, called back" \
    grep -q '^   sealed  *request [0-9]*: consumer received \([0-9]*\) (sklearn says \1); 5 of 5 revealers agreed, callback ok: true' "$T/err"
is "$(grep -c ': miner [1-5] committed its seal$' "$T/err"):$(grep -c ': miner [1-5] revealed ' "$T/err")" "5:5" \
    "five seals, then five reveals printed"
last_seal=$(sed -n 's/^     block \([0-9]*\): miner . committed its seal$/\1/p' "$T/err" | sort -n | tail -1)
first_reveal=$(sed -n 's/^     block \([0-9]*\): miner . revealed .*/\1/p' "$T/err" | sort -n | head -1)
ok "every seal came before every reveal" [ "${last_seal:-0}" -lt "${first_reveal:-0}" ]
is "$(grep -c '^   leaderboard' "$T/err")" 1 "a leaderboard"
ok "two trainers on it, gbt and rf" sh -c "grep -A2 '^   leaderboard' '$T/err' | grep -q ', gbt)' &&
    grep -A2 '^   leaderboard' '$T/err' | grep -q ', rf)'"
ok "a winner registered as a model" grep -q '^   winner: trainer [12] .*, registered as model [0-9]' "$T/err"
line=$(grep 'consumer received .*, the winner' "$T/err")
diag "$line"
got=$(sed 's/.*consumer received \([^,]*\),.*/\1/' <<<"$line")
own=$(sed "s/.*model file says \([^;]*\);.*/\1/" <<<"$line")
ok "the consumer received an answer" test -n "$got"
is "$got" "$own" "the winner's model answers through the miners as its own file does"
is "$(ls -d "$T"/denai-demo.* 2>/dev/null | wc -l)" 0 "the scratch folder is removed"
port=$(sed -n 's/.*starting anvil on 127.0.0.1:\([0-9]*\).*/\1/p' "$T/err" | tail -1)
ok "its anvil is stopped" bash -c "! (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null"
is "$(ps -eo args | grep -c "[${T:0:1}]${T:1}/denai-demo")" 0 "none of its nodes is running"
done_testing
