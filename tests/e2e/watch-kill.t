#!/usr/bin/env bash
# denai-watch killed with kill -9 at every point of its emit sequence:
# after staging the checkpoint (synced, not yet renamed), after writing
# the record, after renaming the checkpoint into place. The checkpoint is
# never torn, and a restart loses nothing: with a miner (--from) the chain
# is the truth, so every open request it has not answered is emitted again
# (the stages downstream are idempotent); with --all the checkpoint alone
# decides, and only a kill between the record and the rename repeats one.
. "${0%/*}/../lib.sh"
. "${0%/*}/chain.sh"

start_anvil
ok "deployed" deploy --quorum 5 --difficulty 1000
bc=$(register "$TOP/examples/models/breast_cancer.onnx" 0)
D=$TOP/examples/data
for i in 1 2 3; do request "$bc" "$D/breast_cancer_$i.json" "$i" >/dev/null; done
miner=$(addr 1)

# run_until OUT N ARGS...: a watch left to emit N records, then stopped.
run_until() {
	_o=$1 _n=$2; shift 2
	start_watch "$_o" "$@" --poll 50
	_has() { [ "$(nlines "$_o")" -ge "$_n" ]; }
	poll_until 30 _has
	kill -TERM "$WATCH_PID"; wait "$WATCH_PID"
}

for who in miner all; do
	[ "$who" = miner ] && sel="--from $miner" || sel=--all
	for at in staged written renamed; do
		st=$T/st.$who.$at
		{ DENAI_TEST_KILL_AT=$at denai-watch $sel --state "$st" --poll 50 \
		    >"$T/a.$who.$at"; } 2>/dev/null
		is "$?" 137 "$who, killed $at: SIGKILL on the first emit"
		if [ -e "$st" ]; then
			ok "$who, killed $at: the checkpoint is whole JSON" jq -e .next_block "$st"
		else
			ok "$who, killed $at: no checkpoint yet (none was renamed)" [ "$at" != renamed ]
		fi
		run_until "$T/b.$who.$at" 3 $sel --state "$st"
		got=$(cat "$T/a.$who.$at" "$T/b.$who.$at" | jq -r .request_id | sort -n | uniq | tr '\n' ' ')
		is "$got" "1 2 3 " "$who, killed $at: every request emitted after the restart"
		n=$(cat "$T/a.$who.$at" "$T/b.$who.$at" | wc -l | tr -d ' ')
		if [ "$who" = all ]; then
			want=3; [ "$at" = written ] && want=4
			is "$n" "$want" "$who, killed $at: $want records in all (the checkpoint decides)"
		else
			ok "$who, killed $at: each open request offered again ($n records)" [ "$n" -ge 3 ]
		fi
	done
done
e2e_stop
done_testing
