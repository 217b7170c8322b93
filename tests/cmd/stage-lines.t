#!/usr/bin/env bash
# Every stage reads its input through one bounded reader: a line without
# end (400 MB of 'a' and no newline before it is cut) costs no more memory
# than the 64 MiB cap, becomes one error record naming its line, and the
# record after it still goes through. (The stages used to read the whole
# line, then check the cap: 0.9 GB in 16 s of `yes aaaa | tr -d '\n'`.)
. "${0%/*}/../lib.sh"
[ -x /usr/bin/time ] || skip_all "no /usr/bin/time"

feed() { head -c 400000000 /dev/zero | tr '\0' a; printf '\n{"type":"other","n":1}\n'; }
for stage in denai-fetch denai-predict "denai-mine --from 0x0000000000000000000000000000000000000001"; do
	name=${stage%% *}
	feed | /usr/bin/time -f %M -o "$T/rss" $stage >"$T/out" 2>"$T/err"
	is "$?" 0 "$name: exit 0"
	is "$(jq -r 'select(.type == "error") | .error' "$T/out")" \
	    "line 1: longer than 67108864 bytes" "$name: one error record naming line 1"
	is "$(jq -c 'select(.type == "other")' "$T/out")" '{"type":"other","n":1}' \
	    "$name: the next record goes through"
	rss=$(tail -1 "$T/rss")
	diag "$name: max RSS $((rss / 1024)) MiB for a 400 MB line"
	ok "$name: memory stays under 300 MiB" [ "$rss" -lt 307200 ]
done
done_testing
