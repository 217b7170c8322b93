#!/usr/bin/env bash
# The status page (GET /) in a real browser: headless Chromium against a
# live denai-serve on anvil with data in it (a model, a fulfilled request,
# an open one); checks what the page shows after its scripts ran, and
# keeps a screenshot in build/serve/status.png.
. "${0%/*}/../lib.sh"
. "${0%/*}/../e2e/chain.sh"
. "${0%/*}/serve.sh"
trap 'serve_stop; e2e_stop; _tap_cleanup' EXIT
unset DENAI_PRIVATE_KEY ETH_KEYSTORE ETH_PASSWORD ETH_FROM
CHROMIUM=$(command -v chromium || command -v chromium-browser) ||
    skip_all "chromium is not installed"

start_anvil
ok "deployed" deploy --quorum 1 --difficulty 1000
M=$(register "$TOP/examples/models/breast_cancer.onnx" 0)
D=$T/srv
DENAI_PRIVATE_KEY=$(key 5) start_serve "$D" --wait 20 --rate 0
W=$(denai-serve key add --data-dir "$D" --name w --budget 1ether | jq -r .key)
post() {
	curl -s -X POST -H "Authorization: Bearer $W" "$U/api/requests" \
	    --data-binary "{\"model_id\": $M, \"data\": $(cat "$TOP/examples/data/$1"), \"tip\": \"$2\"}" |
	    jq -r .request_id
}
R1=$(post breast_cancer_0.json 0.01ether)
DENAI_IPFS_GATEWAY=$U start_node 1 --poll 50
poll_until 60 eval '[ "$(curl -s "$U/api/requests/$R1" | jq -r .status)" = fulfilled ]'
e2e_stop_nodes() { for p in $E2E_PIDS; do [ "$p" = "$ANVIL_PID" ] || kill -TERM -- "-$p" 2>/dev/null; done; }
e2e_stop_nodes
sleep 0.5
R2=$(post breast_cancer_1.json 0.002ether)
poll_until 20 eval '[ "$(curl -s "$U/api/requests/$R2" | jq -r .status)" = open ]'
TASK=
if [ "$(jq -r .tasks "$DENAI_DEPLOYMENT")" != null ]; then
	DENAI_PRIVATE_KEY=$(key 0) denai-deploy grant VALIDATOR_ROLE "$(addr 3)" >/dev/null 2>&1
	CSV=$(printf 'a,b,y\n1,2,0\n3,4,1\n')
	TASK=$(jq -nc --arg c "$CSV" '{train_csv: $c, test_csv: $c, kind: "classification",
	    label_column: "y", reward: "0.5ether", windows: {commit: 50, test_reveal: 10,
	    model_reveal: 10, score_commit: 10, score_reveal: 10}}' |
	    curl -s -X POST -H "Authorization: Bearer $W" "$U/api/tasks" --data-binary @- | jq -r .id)
fi
PRED=$(curl -s "$U/api/requests/$R1" | jq -r .prediction)
HEAD=$(curl -s "$U/healthz" | jq -r .head)

browse() {
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
	    --disable-dev-shm-usage --user-data-dir="$T/chrome" \
	    --virtual-time-budget=8000 "$@" "$U/" 2>>"$T/chrome.err"
}
browse --dump-dom >"$T/dom.html"
ok "chromium rendered the page" grep -q '<title>DenAI node</title>' "$T/dom.html"
# One line per table row, tags stripped, for the checks below.
tr -d '\n' <"$T/dom.html" | sed 's/<tr/\n<tr/g; s/<\/tr>/\n/g' | sed 's/<[^>]*>/ /g; s/  */ /g' >"$T/rows"
ok "the scripts ran (no error shown)" grep -q 'updated ' "$T/rows"
ok "the chain head is shown" grep -Eq "id=\"head\">$HEAD<" "$T/dom.html"
ok "the open request, with its tip" grep -Eq "^ $R2 $M 2000000000000000 [0-9]+ *$" "$T/rows"
ok "the fulfilment, with its prediction" grep -Eq "^ $R1 $M $PRED [0-9]+ *$" "$T/rows"
if [ -n "$TASK" ]; then
	ok "the task in its phase, with kind, label and reward" \
	    grep -Eq "^ $TASK classification y 500000000000000000 0 - *$" "$T/rows"
	ok "under the commit heading" grep -q 'class="phase">commit<' "$T/dom.html"
else
	ok "no tasks yet" grep -q 'no tasks yet' "$T/rows"
fi
mkdir -p "$TOP/build/serve"
browse --screenshot="$TOP/build/serve/status.png" --window-size=1280,800 >/dev/null
ok "a screenshot is kept in build/serve/status.png" test -s "$TOP/build/serve/status.png"
[ "$_tap_failed" -eq 0 ] || diag "$(cat "$T/rows")"
serve_stop
done_testing
