#!/usr/bin/env bash
# denai-queue's verbs against a real redis-server: push, pull, ack, status
# and trim; malformed entries written by hand; a dead consumer's entries
# claimed after --claim-idle; a long job keeping its claim; dead letters;
# push waiting on the backlog; REDIS_URL with a password (from a file), and
# the unreachable server (exit 69, no password printed).
. "${0%/*}/../lib.sh"
. "${0%/*}/redis.sh"

usage_checks denai-queue
run denai-queue pull s
is "$rc:$err" "64:denai-queue: pull needs --group" "pull without --group: 64"
run denai-queue frob s
is "$rc:$(head -1 "$T/err")" "64:denai-queue: unknown verb 'frob'" "an unknown verb: 64"

REDIS_URL=redis://u:hunter2@127.0.0.1:1/0 run denai-queue status s
is "$rc:$err" "69:denai-queue: cannot reach redis at redis://127.0.0.1:1/0: Connection refused" \
    "unreachable: 69, naming the server without the password"
REDIS_URL=http://x run denai-queue status s
is "$rc" 64 "a URL that is not redis://: 64"

start_redis
reqs() { for i in $(seq "$1" "$2"); do echo "{\"type\":\"request\",\"request_id\":\"$i\"}"; done; }

# push, pull, ack
reqs 1 5 >"$T/in"
echo 'not json' >>"$T/in"
RUN_IN=$T/in run denai-queue push s1
is "$rc:$out:$err" "0::" "push: exit 0, nothing printed"
is "$(rcli xlen s1)" 6 "six entries"
is "$(qstatus s1 '[.length, (.groups | length)] | @tsv')" "6	0" "status: length, no group yet"
rcli xadd s1 '*' foo bar >/dev/null
rcli xadd s1 '*' record '[1,2]' >/dev/null
rcli xadd s1 '*' record '{"a":' >/dev/null
run denai-queue pull s1 --group g --consumer c1 --exit-idle 300
is "$rc" 0 "pull --exit-idle: exits 0 when idle"
cp "$T/out" "$T/pulled"
is "$(jq -r 'select(.type == "request") | .request_id' "$T/pulled" | tr '\n' ' ')" "1 2 3 4 5 " \
    "the records, in order"
is "$(jq -r '.queue | "\(.stream) \(.group)"' "$T/pulled" | sort -u)" "s1 g" "each with a queue field"
is "$(jq -r 'select(.type == "error") | .stage' "$T/pulled" | tr '\n' ' ')" "push queue queue queue " \
    "a bad line and three hand-written entries become error records"
ok "the entry without a record field is named" grep -q 'has no \\"record\\" field' "$T/pulled"
is "$(qstatus s1 '.groups[0] | [.pending, .lag, .consumers[0].consumer, .consumers[0].pending] | @tsv')" \
    "9	0	c1	9" "status: nine pending for c1"
RUN_IN=$T/pulled run denai-queue ack
is "$rc" 0 "ack: exit 0"
cmp -s "$T/out" "$T/pulled"
is "$?" 0 "ack passes every record on unchanged"
is "$(qstatus s1 '.groups[0].pending')" 0 "nothing pending once acknowledged (errors too)"
run denai-queue trim s1
is "$(jq -r .removed <<<"$out")" 9 "trim removes the acknowledged entries"
is "$(rcli xlen s1)" 0 "the stream is empty"
echo '{"type":"request","request_id":"x"}' | denai-queue push s1
run denai-queue trim s1
is "$(jq -r .removed <<<"$out"):$(rcli xlen s1)" "0:1" "trim keeps what was not delivered"

# a record with a bad queue field at ack, and one without
printf '%s\n' '{"type":"x","queue":{"stream":"s1"}}' '{"type":"y"}' '{oops' >"$T/bad"
RUN_IN=$T/bad run denai-queue ack
is "$rc:$(jq -c -r '[.type, .stage] | @tsv' "$T/out" | tr '\n' ' ')" \
    "0:x	 error	ack y	 error	ack " "ack: bad queue field and bad line reported, records passed on"

# a dead consumer's entries are claimed after --claim-idle
reqs 1 4 | denai-queue push s2
denai-queue pull s2 --group g --consumer dead --count 4 --claim-idle 0 --exit-idle 100 >"$T/dead"
is "$(wc -l <"$T/dead" | tr -d ' ')" 4 "a consumer took four and died"
run denai-queue pull s2 --group g --consumer alive --claim-idle 300 --exit-idle 1500
is "$(jq -r .request_id "$T/out" | sort | tr '\n' ' ')" "1 2 3 4 " "another claimed them after the idle time"
is "$(qstatus s2 '.groups[0].consumers[] | select(.consumer == "alive") | .pending')" 4 \
    "now pending for the live one"
# a consumer restarted under its name gets back what it held first
run denai-queue pull s2 --group g --consumer alive --claim-idle 0 --exit-idle 100
is "$(jq -r .request_id "$T/out" | sort | tr '\n' ' ')" "1 2 3 4 " "a restarted consumer re-reads its own pending entries"
denai-queue ack <"$T/out" >/dev/null

# a long job renews its claim: entries handed out stay with it
reqs 1 2 | denai-queue push s3
( denai-queue pull s3 --group g --consumer slow --claim-idle 1500 --exit-idle 5000 | (sleep 5; cat >/dev/null) ) &
slow=$!
pending_is() { [ "$(qstatus "$1" '.groups[0].pending')" = "$2" ]; }
poll_until 10 pending_is s3 2
sleep 2.5
run denai-queue pull s3 --group g --consumer thief --claim-idle 1500 --exit-idle 500
is "$(wc -l <"$T/out" | tr -d ' ')" 0 "a working consumer's entries are not claimed (renewed)"
is "$(qstatus s3 '.groups[0].consumers[] | select(.consumer == "slow") | .pending')" 2 \
    "it still holds them"
wait "$slow"
run denai-queue pull s3 --group g --consumer thief --claim-idle 1500 --exit-idle 3000
is "$(wc -l <"$T/out" | tr -d ' ')" 2 "once it stopped renewing, they are claimed"

# dead letters: delivered max times, never acknowledged
reqs 7 7 | denai-queue push s4
for i in 1 2 3; do
	denai-queue pull s4 --group g --consumer "d$i" --claim-idle 50 --max-deliveries 2 \
	    --exit-idle 400 >"$T/dl$i" 2>"$T/dl$i.err"
done
is "$(cat "$T"/dl1 "$T"/dl2 "$T"/dl3 | wc -l | tr -d ' ')" 2 "delivered twice"
ok "the pull that buried it says so" grep -q "moved to s4:dead" "$T/dl3.err"
is "$(rcli xlen s4:dead)" 1 "one dead letter"
is "$(rcli --raw xrange s4:dead - + | sed -n 3,4p | tr '\n' ' ')" \
    '{"type":"request","request_id":"7"} reason ' "it keeps the record"
ok "and the reason" rcli --raw xrange s4:dead - + | grep -q "delivered 2 times and never acknowledged"
is "$(qstatus s4 '[.groups[0].pending, .dead_letter] | @tsv')" "0	1" "nothing pending; status counts it"

# push waits while the group's backlog is over --max-lag
denai-queue pull s5 --group g --exit-idle 100 >/dev/null
reqs 1 40 | denai-queue push s5 --max-lag 10 &
pusher=$!
len_at_least() { [ "$(rcli xlen "$1")" -ge "$2" ]; }
poll_until 10 len_at_least s5 10
sleep 0.5
n=$(rcli xlen s5)
ok "push blocks at the bound ($n entries)" [ "$n" -le 15 ]
ok "and is still running" kill -0 "$pusher"
denai-queue pull s5 --group g --count 100 --exit-idle 2500 >"$T/p5"
wait "$pusher"
is "$?:$(wc -l <"$T/p5" | tr -d ' ')" "0:40" "draining the group lets it finish"

# metrics from pull
reqs 1 3 | denai-queue push s6
denai-queue pull s6 --group g --exit-idle 200 --metrics "$T/pull.prom" >/dev/null
is "$(grep '^denai_records_out_total' "$T/pull.prom")" 'denai_records_out_total{stage="queue-pull"} 3' \
    "--metrics: records out"
ok "queue gauges" grep -q '^denai_queue_pending{stage="queue-pull",stream="s6",group="g"} ' "$T/pull.prom"

redis_stop

# a password, given in the URL or in a file
REDIS_AUTH=s3cret
start_redis --requirepass s3cret
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/2"
run denai-queue status s
is "$rc" 69 "no password: 69"
ok "and no secret printed" sh -c "! grep -q s3cret '$T/err'"
echo wrong >"$T/pw"
REDIS_PASSWORD_FILE=$T/pw run denai-queue status s
is "$rc" 69 "a wrong password: 69"
ok "the message names neither password" sh -c "! grep -q 'wrong\|s3cret' '$T/err'"
echo s3cret >"$T/pw"
echo '{"type":"request"}' | REDIS_PASSWORD_FILE=$T/pw denai-queue push s
is "$(REDIS_PASSWORD_FILE=$T/pw denai-queue status s | jq .length)" 1 "REDIS_PASSWORD_FILE authenticates; db 2"
is "$(rcli -n 2 xlen s):$(rcli -n 0 xlen s)" "1:0" "the entry is in database 2"
is "$(REDIS_URL=redis://:s3cret@127.0.0.1:$REDIS_PORT/2 denai-queue status s | jq .length)" 1 \
    "a password in REDIS_URL"
done_testing
