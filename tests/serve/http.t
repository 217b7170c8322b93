#!/usr/bin/env bash
# denai-serve without a chain: usage; every route's answers and error
# codes (400 naming the field, 401, 403, 404, 405 with Allow, 406, 413
# early and chunked, 429 with Retry-After, 503 for writes); API keys (add,
# list, revoke, scopes, hashed in a 0600 state.db); --private; the
# trustless gateway used by denai-fetch as DENAI_IPFS_GATEWAY; /metrics;
# a slow client that holds no thread (one thread, --timeout 2).
. "${0%/*}/../lib.sh"
. "${0%/*}/serve.sh"
trap 'serve_stop; _tap_cleanup' EXIT
unset DENAI_PRIVATE_KEY ETH_KEYSTORE

usage_checks denai-serve
run denai-serve key add
is "$rc" 64 "key add without --name: 64"
run denai-serve key add --name x --scope admin --data-dir "$T/k"
is "$rc:$err" "64:denai-serve: --scope: read or write" "a bad scope: 64"
run denai-serve key revoke 9 --data-dir "$T/k"
is "$rc:$err" "65:denai-serve: no key 9 (or revoked already)" "revoking an unknown key: 65"

DENAI_DEPLOYMENT=$T/none.json run denai-serve --data-dir "$T/x" --port 0
is "$rc:$err" "74:denai-serve: no deployment file $T/none.json (run denai-deploy, or set DENAI_DEPLOYMENT)" \
    "on chain without a deployment: 74, naming it"
run denai-serve --no-chain --data-dir "$T/x" --listen nowhere
is "$rc:$err" "64:denai-serve: listen address 'nowhere' is not an IPv4 address" "a bad --listen: 64"

D=$T/srv
start_serve "$D" --no-chain --threads 1 --timeout 2 --body-max 4096 --file-max 4096 --rate 0
ok "started" test -n "$P"
W=$(denai-serve key add --data-dir "$D" --name writer --budget 1ether)
R=$(denai-serve key add --data-dir "$D" --name reader --scope read)
WK=$(echo "$W" | jq -r .key) RK=$(echo "$R" | jq -r .key)
ok "a key is dk_ and 48 hex digits" eval 'echo "$WK" | grep -qE "^dk_[0-9a-f]{48}$"'
is "$(echo "$W" | jq -c '[.id, .name, .scope, .budget, .spent]')" \
    '[1,"writer","write","1000000000000000000","0"]' "key add prints its id, scope and budget"
is "$(stat -c %a "$D/state.db")" 600 "state.db is 0600"
ok "the secret is not stored" eval '! grep -qa "${WK#dk_}" "$D/state.db"'
is "$(denai-serve key list --data-dir "$D" | jq -r .name | paste -sd,)" "writer,reader" "key list"
ok "key list shows no secret" eval '! denai-serve key list --data-dir "$D" | grep -q dk_'

# Reads.
hc GET /healthz
is "$code:$(echo "$body" | jq -c '[.ok, .chain]')" '200:[true,false]' "GET /healthz"
hc GET /api/tasks
is "$code:$body" '200:{"next_cursor":null,"items":[]}' "GET /api/tasks: an empty page"
hc GET /api/requests
is "$code:$(echo "$body" | jq -c .items)" '200:[]' "GET /api/requests"
hc GET /api/models
is "$code:$(echo "$body" | jq -c .items)" '200:[]' "GET /api/models"
hc GET /api/tasks/7
is "$code:$body" '404:{"error":"no task 7","field":null}' "an unknown task: 404"
hc GET /api/tasks/x7
is "$code:$(echo "$body" | jq -r .field)" '400:id' "a task id that is no number: 400 naming id"
hc GET /api/tasks/j-00
is "$code" 404 "an unknown job: 404"
hc GET /api/requests/3
is "$code" 404 "an unknown request: 404"
hc GET /api/models/3
is "$code" 404 "an unknown model: 404"
hc GET '/api/tasks?phase=nope'
is "$code:$(echo "$body" | jq -r .field)" '400:phase' "an unknown phase: 400"
hc GET '/api/tasks?limit=0'
is "$code:$(echo "$body" | jq -r .field)" '400:limit' "limit 0: 400"
hc GET '/api/tasks?limit=100000&phase=commit'
is "$code" 200 "a limit over the cap is capped"
hc GET '/api/models?cursor=abc'
is "$code:$(echo "$body" | jq -r .field)" '400:cursor' "a bad cursor: 400"
hc GET '/api/requests?status=lost'
is "$code:$(echo "$body" | jq -r .field)" '400:status' "a bad status: 400"
hc GET /nowhere
is "$code:$(hdr Content-Type)" '404:application/json' "an unknown route: 404 in JSON"
hc GET /api/tasks/1/extra
is "$code" 404 "a deeper path: 404"
hc DELETE /api/tasks
is "$code:$(hdr Allow)" '405:GET, HEAD, POST' "DELETE /api/tasks: 405 with Allow"
hc POST /api/models
is "$code:$(hdr Allow)" '405:GET, HEAD' "POST /api/models: 405 with Allow"
hc GET /api/ipfs
is "$code:$(hdr Allow)" '405:POST' "GET /api/ipfs: 405 with Allow"
hc GET /
is "$code:$(hdr Content-Type)" '200:text/html; charset=utf-8' "GET / is the status page"
ok "the page names itself" grep -q '<title>DenAI node</title>' "$T/body"
hc HEAD /healthz -I
is "$code" 200 "HEAD /healthz"

# Auth on writes.
hc POST /api/tasks -d '{}'
is "$code:$(echo "$body" | jq -r .error)" '401:this needs an API key (Authorization: Bearer <key>)' "a write without a key: 401"
hc POST /api/tasks -H "Authorization: Bearer dk_nope" -d '{}'
is "$code:$(echo "$body" | jq -r .error)" '401:unknown or revoked API key' "an unknown key: 401"
hc POST /api/tasks -H "Authorization: Basic abc" -d '{}'
is "$code" 401 "not a Bearer key: 401"
hc POST /api/tasks -H "Authorization: Bearer $RK" -d '{}'
is "$code:$(echo "$body" | jq -r .error)" '403:this key is read-only' "a read-only key: 403"
hc GET /api/tasks -H "Authorization: Bearer $RK"
is "$code" 200 "a read key reads"

# Bodies, field by field.
A="Authorization: Bearer $WK"
CSV='a,b,y\n1,2,0\n3,4.5,1\n'
task() { jq -nc --arg csv "$(printf "$CSV")" "{train_csv: \$csv, test_csv: \$csv, kind: \"classification\", label_column: \"y\", reward: \"0.01ether\", windows: {commit: 5, test_reveal: 5, model_reveal: 5, score_commit: 5, score_reveal: 5}} $1"; }
field() {
	hc POST /api/tasks -H "$A" --data-binary "$(task "$1")"
	is "$code:$(echo "$body" | jq -r .field)" "400:$2" "$3"
}
hc POST /api/tasks -H "$A" -d 'not json'
is "$code:$(echo "$body" | jq -r .field)" "400:null" "not JSON: 400"
hc POST /api/tasks -H "$A" -d '[1]'
is "$code" 400 "not an object: 400"
hc POST /api/tasks -H "$A"
is "$code:$(echo "$body" | jq -r .error)" "400:the body is empty: send a JSON object" "no body: 400"
field '+ {extra: 1}' extra "an unknown field: 400 naming it"
field '| del(.train_csv)' train_csv "no training set"
field '+ {train_cid: "bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq"}' train_cid "both a CSV and a CID"
field '| del(.test_csv) + {test_cid: "nocid"}' test_cid "a bad CID"
field '| del(.test_csv) + {test_cid: "bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq"}' test_cid "a test CID not in the private store"
field '+ {kind: "clustering"}' kind "an unknown kind"
field '| del(.label_column)' label_column "no label column"
field '+ {label_column: "z"}' train_csv "a label the CSV lacks"
field '+ {decimals: 3}' decimals "decimals on classification"
field '+ {kind: "regression", decimals: 19}' decimals "decimals over 18"
field '+ {reward: "1 parsec"}' reward "a bad reward"
field '+ {reward: "0"}' reward "a zero reward"
field '+ {commit_bond: true}' commit_bond "a bond that is no amount"
field '+ {quorum: 0}' quorum "quorum 0"
field '+ {deadlines: {commit: 1}}' windows "deadlines and windows"
field '+ {windows: {commit: 1}}' windows "windows short of five"
field '+ {windows: {commit: 0, test_reveal: 1, model_reveal: 1, score_commit: 1, score_reveal: 1}}' windows.commit "a zero window"
field '| del(.windows) + {deadlines: {commit: 9, test_reveal: 8, model_reveal: 10, score_commit: 11, score_reveal: 12}}' deadlines.test_reveal "deadlines out of order"
CSV='a,b,y\n1,x,0\n'
field '' train_csv "a CSV field that is no number"
CSV='a,a,y\n1,2,0\n'
field '' train_csv "a CSV header that repeats a name"
CSV='a,b,y\n1,"2",0\n'
field '' train_csv "a quoted CSV field"
CSV='a,b,y\n1,2\n'
field '' train_csv "a short CSV row"
CSV='\xef\xbb\xbfa,b,y\n1,2,0\n'
field '' train_csv "a CSV with a byte order mark"
CSV='a,b,y\n1,2,0\n'
hc POST /api/tasks -H "$A" --data-binary "$(task '+ {test_csv: "b,a,y\n1,2,0\n"}')"
is "$code:$(echo "$body" | jq -r .field)" "400:test_csv" "a test header unlike the training header"
hc POST /api/tasks -H "$A" --data-binary "$(task '')"
is "$code:$(echo "$body" | jq -r .error)" "503:this node sends no transactions (it runs without a chain)" \
    "a good task without a chain: 503"
rq() {
	hc POST /api/requests -H "$A" --data-binary "$1"
	is "$code:$(echo "$body" | jq -r .field)" "400:$2" "$3"
}
rq '{"data": [1]}' model_id "a request without a model"
rq '{"model_id": "x", "data": [1]}' model_id "a model id that is no number"
rq '{"model_id": 1}' data "a request without data"
rq '{"model_id": 1, "data": [1], "data_cid": "bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq"}' data_cid "data and a CID"
rq '{"model_id": 1, "data": ["a"]}' data "a data point of strings"
rq '{"model_id": 1, "data": [1], "tip": "-1"}' tip "a negative tip"
rq '{"model_id": 1, "data": [1], "callback_gas": 9999999}' callback_gas "callback gas over the cap"
rq '{"model_id": 1, "data_cid": "bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq"}' data_cid "a data CID not in the store"
hc POST /api/requests -H "$A" -d '{"model_id": 1, "data": [1, 2]}'
is "$code" 503 "a good request without a chain: 503"

# Body cap: 413 from Content-Length (before reading) and from a chunked body.
head -c 5000 /dev/zero | tr '\0' a >"$T/big"
hc POST /api/ipfs -H "$A" --data-binary @"$T/big"
is "$code:$(echo "$body" | jq -r .error)" "413:the body is over 4096 bytes" "a body over the cap: 413"
hc POST /api/ipfs -H "$A" -H "Transfer-Encoding: chunked" --data-binary @"$T/big"
is "$code" 413 "a chunked body over the cap: 413"

# The gateway: add, then fetch raw blocks and whole files.
printf 'hello' >"$T/hello"
hc POST /api/ipfs -H "$A" --data-binary @"$T/hello"
CID=$(echo "$body" | jq -r .cid)
is "$code:$CID:$(hdr Location)" "201:bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq:/ipfs/$CID" \
    "POST /api/ipfs: 201, the CID, Location"
hc POST /api/ipfs -H "Authorization: Bearer $RK" --data-binary @"$T/hello"
is "$code" 403 "adding needs a write key"
hc GET "/ipfs/$CID?format=raw"
is "$code:$body:$(hdr Content-Type)" "200:hello:application/vnd.ipld.raw" "GET /ipfs/CID?format=raw"
hc GET "/ipfs/$CID" -H "Accept: application/vnd.ipld.raw"
is "$code:$body" "200:hello" "Accept: application/vnd.ipld.raw"
hc GET "/ipfs/$CID"
is "$code:$body" "200:hello" "a plain GET serves the file"
hc GET "/ipfs/$CID?format=car"
is "$code" 406 "format=car: 406"
hc GET "/ipfs/notacid"
is "$code:$(echo "$body" | jq -r .field)" "400:cid" "a bad CID: 400"
hc GET "/ipfs/bafkreie7q3iidccmpvszul7kudcvvuavuo7u6gzlbobczuk5nqk3b4akba?format=raw"
is "$code" 404 "a block not here: 404"
hc POST '/api/ipfs?private=1' -H "$A" --data-binary 'secret,y'
PCID=$(echo "$body" | jq -r .cid)
is "$code:$(echo "$body" | jq -r .private)" "201:true" "a private add"
hc GET "/ipfs/$PCID?format=raw"
is "$code" 404 "a private block is never served"
head -c 700000 /dev/urandom >"$T/multi"
hc POST /api/ipfs -H "$A" --data-binary @"$T/multi"
is "$code" 413 "over the --file-max cap"
serve_stop
mkdir -p "$T/prom"
printf '# TYPE denai_records_out_total counter\ndenai_records_out_total{stage="watch"} 7\n' >"$T/prom/denai-watch.prom"
printf 'not a metrics file\n' >"$T/prom/notes.txt"
start_serve "$D" --no-chain --rate 0 --body-max 4096 --metrics-dir "$T/prom"
hc POST /api/ipfs -H "$A" --data-binary @"$T/multi"
MCID=$(echo "$body" | jq -r .cid)
is "$code" 201 "a file of several blocks, after a restart with the default --file-max (over --body-max)"
DENAI_IPFS_GATEWAY=$U denai-fetch --dir "$T/elsewhere" --cid "$MCID" >"$T/fetched" 2>"$T/err"
ok "denai-fetch elsewhere gets it through this gateway (DENAI_IPFS_GATEWAY)" \
    cmp -s "$T/fetched" "$T/multi" || diag "$(cat "$T/err")"
hc GET /metrics
is "$code:$(hdr Content-Type)" "200:text/plain; version=0.0.4; charset=utf-8" "GET /metrics"
ok "counts requests by route and code" grep -q '^denai_serve_http_requests_total{route="/api/ipfs",code="201"} 1$' "$T/body"
ok "a latency histogram" grep -q '^denai_serve_http_request_duration_seconds_bucket{route="/ipfs/{cid}",le="+Inf"} ' "$T/body"
ok "the _count" grep -q '^denai_serve_http_request_duration_seconds_count{route="/ipfs/{cid}"} ' "$T/body"
ok "jobs by state" grep -q '^# TYPE denai_serve_jobs gauge' "$T/body"
ok "the stages' metrics files of this machine (--metrics-dir)" \
    grep -q '^denai_records_out_total{stage="watch"} 7$' "$T/body"
ok "only *.prom files" sh -c "! grep -q 'not a metrics file' '$T/body'"
serve_stop

# Revoked keys; --private reads.
denai-serve key revoke 1 --data-dir "$D"
is "$(denai-serve key list --data-dir "$D" | jq -r 'select(.id == 1) | has("revoked")')" true "key revoke"
start_serve "$D" --no-chain --private --rate 0
hc POST /api/ipfs -H "$A" --data-binary x
is "$code" 401 "a revoked key: 401"
hc GET /api/tasks
is "$code" 401 "--private: a read without a key: 401"
hc GET /healthz
is "$code" 200 "--private: /healthz stays public"
hc GET /api/tasks -H "Authorization: Bearer $RK"
is "$code" 200 "--private: a read key reads"
serve_stop

# Rate limits: per address and per key, 429 with Retry-After.
# (0.02/s: no token comes back during the test, however slow the machine)
start_serve "$T/srv2" --no-chain --rate 0.02 --burst 3
codes=$(for i in 1 2 3 4; do curl -s -o /dev/null -w '%{http_code} ' "$U/healthz"; done)
is "$codes" "200 200 200 429 " "the fourth request in a burst of three: 429"
hc GET /healthz
ok "with Retry-After in seconds (about 50)" test "$code" = 429 -a "$(hdr Retry-After)" -ge 40 -a "$(hdr Retry-After)" -le 50
hc GET /metrics
ok "counted" test "$code" = 429
serve_stop

# A slow client holds no thread: one thread, a half-sent request, another
# client served meanwhile; the idle connection closed after --timeout.
start_serve "$T/srv3" --no-chain --threads 1 --timeout 2 --rate 0
exec 3<>"/dev/tcp/127.0.0.1/$P"
printf 'GET /healthz HTTP/1.1\r\nHost: x\r\n' >&3
hc GET /healthz
is "$code" 200 "served while a slow client holds its connection"
t0=$(date +%s)
timeout 20 cat <&3 >/dev/null
is "$?" 0 "the slow client is cut off"
ok "after about the timeout" test $(($(date +%s) - t0)) -le 10
exec 3<&-
serve_stop
ok "no sanitizer reports from the servers (ASan build)" \
    eval '! grep -l "Sanitizer" "$D.err" "$T/srv2.err" "$T/srv3.err"'
done_testing
