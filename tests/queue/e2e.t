#!/usr/bin/env bash
# At least once, end to end, on anvil with a real redis-server: one
# producer (denai-watch --miner M | denai-fetch | denai-queue push) and
# three worker pipelines (denai-queue pull | predict | mine | submit |
# denai-queue ack) holding M's key. Worker 1 is killed with kill -9 while
# it holds an entry, worker 2 is stopped and restarted. 50 requests: all
# fulfilled, the entry worker 1 held is finished by another, no request
# got two transactions from M, nothing is left pending.
. "${0%/*}/../lib.sh"
. "${0%/*}/../e2e/chain.sh"
. "${0%/*}/redis.sh"

N=${QUEUE_E2E_REQUESTS:-50}
start_anvil
ok "deployed with quorum 1" deploy --quorum 1 --difficulty 500 ||
    { diag "$(cat "$T/deploy.err")"; done_testing; exit 1; }
bc=$(register "$TOP/examples/models/breast_cancer.onnx" 0)
is "$bc" 1 "model registered"
start_redis
M=$(addr 1)
S=denai:work:$M

# producer: watches for M's work without M's key
DENAI_METRICS_DIR=$T/ma setsid sh -c "denai-watch --miner $M --poll 100 --no-state 2>>'$T/watch.err' |
    denai-fetch 2>>'$T/fetch.err' |
    denai-queue push $S 2>>'$T/push.err'" &
E2E_PIDS="$E2E_PIDS $!"

# worker I [slow]: a pipeline holding M's key; slow adds two seconds
# per record between predict and mine, so a kill lands mid-work.
WPID=()
worker() {
	_slow=cat
	[ "${2:-}" = slow ] && _slow='while IFS= read -r l; do sleep 2; printf "%s\n" "$l"; done'
	# Started from a subshell, so that the test's shell does not report
	# the kill -9 of a job of its own.
	(DENAI_METRICS_DIR=$T/m$1 DENAI_PRIVATE_KEY=$(key 1) setsid sh -c "denai-queue pull $S --group $M \
	    --consumer w$1 --count 1 --max-pending 1 --claim-idle 2000 |
	    denai-predict | { $_slow; } | denai-mine -q --check-open --threads 1 |
	    denai-submit | denai-queue ack >>'$T/w$1.ndjson'" 2>>"$T/w$1.err" &
	echo $! >"$T/w$1.pid")
	WPID[$1]=$(cat "$T/w$1.pid")
	E2E_PIDS="$E2E_PIDS ${WPID[$1]}"
}
mkdir -p "$T/ma" "$T/m1" "$T/m2" "$T/m3"
worker 1 slow
worker 2
worker 3

D=$TOP/examples/data
ids=""
for i in $(seq "$N"); do
	ids="$ids $(request "$bc" "$D/breast_cancer_$((i % 5)).json")"
	if [ "$i" -eq 5 ]; then
		# in the background: kill -9 worker 1 once it holds an entry
		held() { rcli xpending "$S" "$M" - + 1 w1 | head -1 >"$T/held"; [ -s "$T/held" ]; }
		(
			poll_until 120 held || exit 1
			kill -9 -- "-${WPID[1]}"
		) &
		killer=$!
	fi
	if [ "$i" -eq 25 ]; then
		# stop worker 2 and start it again under its name
		kill -TERM -- "-${WPID[2]}"
		gone() { ! kill -0 "${WPID[2]}" 2>/dev/null; }
		poll_until 30 gone
		worker 2
	fi
done
is "$(echo $ids | wc -w | tr -d ' ')" "$N" "$N requests made"
wait "$killer"
held_id=$(cat "$T/held" 2>/dev/null)
ok "worker 1 was killed holding entry ${held_id:-none}" [ -n "${held_id:-}" ]

fulfilled=0
for id in $ids; do
	res=$(denai-request --wait-for "$id" --timeout 120 2>>"$T/wait.err")
	[ "$(jq -r .status <<<"$res")" = fulfilled ] && fulfilled=$((fulfilled + 1))
done
is "$fulfilled" "$N" "all $N requests fulfilled"

drained() { [ "$(denai-queue status "$S" | jq -c '[.groups[0].pending, .groups[0].lag]')" = "[0,0]" ]; }
ok "nothing left pending" poll_until 60 drained
is "$(rcli xlen "$S:dead")" 0 "no dead letters"

# M sent exactly one transaction per request: its nonce is N, and the
# mined submissions name each request once.
is "$("$CAST" nonce "$M")" "$N" "M sent $N transactions, one per request"
cat "$T"/w[123].ndjson >"$T/all.ndjson"
# A record lost with a killed pipeline after its transaction was sent
# comes round again and ends as closed (quorum 1) or already-submitted.
is "$(jq -r 'select(.status == "mined" or .status == "closed" or .status == "already-submitted")
    | .request_id' "$T/all.ndjson" | sort -u | wc -l | tr -d ' ')" "$N" "every request reached the end of a pipeline"
is "$(jq -r 'select(.status == "mined") | .request_id' "$T/all.ndjson" | sort | uniq -d)" "" \
    "no request mined twice"
ok "the entry worker 1 held was finished by another worker" \
    grep -q "\"id\":\"${held_id:-none}\"" "$T/w2.ndjson" "$T/w3.ndjson"
# metrics (DENAI_METRICS_DIR), rewritten every 5 s
sleep 6
out_of() { awk -v s="$2" '$1 ~ /^denai_records_out_total/ && index($1, "stage=\"" s "\"") { print $2 }' "$1"; }
ok "watch's metrics count what it emitted" [ "$(out_of "$T/ma/denai-watch.prom" watch)" -ge "$N" ]
ok "fetch's too" [ "$(out_of "$T/ma/denai-fetch.prom" fetch)" -ge "$N" ]
ok "watch's chain head" grep -q '^denai_chain_head_block{stage="watch"} [1-9]' "$T/ma/denai-watch.prom"
ok "watch's chain lag" grep -q '^denai_chain_lag_blocks{stage="watch"} [0-9]' "$T/ma/denai-watch.prom"
for s in queue-pull predict mine submit queue-ack; do
	ok "worker 3: $s wrote its metrics" grep -q "^denai_records_out_total{stage=\"$s\"}" "$T/m3/denai-$s.prom"
done
ok "mine's hash rate" grep -q '^denai_mine_hashes_per_second{stage="mine"} [0-9]' "$T/m3/denai-mine.prom"
ok "submit's gas" grep -q '^denai_submit_gas_used_total{stage="submit"} [1-9]' "$T/m3/denai-submit.prom"
ok "predict's per-record time" grep -q '^denai_record_seconds_count{stage="predict"} [1-9]' "$T/m3/denai-predict.prom"
errs=$(jq -c 'select(.type == "error")' "$T/all.ndjson" | head -3)
is "$errs" "" "no error records"
[ -z "$errs" ] || diag "$(cat "$T"/w*.err | tail -5)"
[ -z "${QUEUE_E2E_KEEP:-}" ] || cp -r "$T" "$QUEUE_E2E_KEEP"
done_testing
