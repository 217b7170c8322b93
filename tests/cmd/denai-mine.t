#!/bin/sh
# denai-mine: solutions checked with cast keccak and bc against the target,
# the same nonce from every kernel, pass-through, error records, usage.
. "${0%/*}/../lib.sh"
command -v denai-mine >/dev/null || skip_all "denai-mine not built"
command -v jq >/dev/null || skip_all "jq not installed"
unset DENAI_PRIVATE_KEY ETH_KEYSTORE ETH_PASSWORD ETH_FROM DENAI_POW_IMPL

rhex() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }
req() { # req ID CHALLENGE DIFFICULTY
	printf '{"type":"request","request_id":"%s","challenge":"%s","difficulty":"%s"}\n' \
	    "$1" "$2" "$3"
}
MAX=115792089237316195423570985008687907853269984665640564039457584007913129639935

# below CHALLENGE MINER NONCE DIFFICULTY: cast hashes the packed bytes; bc
# says whether the hash is below (2^256-1)/difficulty.
below() {
	_p=$("$CAST" abi-encode --packed "f(bytes32,address,uint256)" "$1" "$2" "$3") &&
	_h=$("$CAST" to-dec "$("$CAST" keccak "$_p")") &&
	[ "$(echo "$_h < $MAX / $4" | BC_LINE_LENGTH=0 bc)" = 1 ]
}

# --help, usage errors.
denai-mine --help >"$T/help"; is "$?" 0 "--help exits 0"
ok "--help prints the synopsis" grep -q '^usage: denai-mine' "$T/help"
denai-mine --bogus </dev/null 2>/dev/null; is "$?" 64 "unknown option: exit 64"
denai-mine --from 0x01 </dev/null 2>"$T/err"; is "$?" 64 "bad --from: exit 64"
denai-mine --impl sse --from 0x00000000000000000000000000000000000000aa \
    </dev/null 2>"$T/err"; is "$?" 64 "unknown --impl: exit 64"
ok "names the bad implementation" grep -q "^denai-mine: .*'sse'" "$T/err"
DENAI_POW_IMPL=sse denai-mine --from 0x00000000000000000000000000000000000000aa \
    </dev/null 2>/dev/null; is "$?" 64 "DENAI_POW_IMPL=sse: exit 64"
DENAI_POW_IMPL=sse denai-mine --impl scalar \
    --from 0x00000000000000000000000000000000000000aa </dev/null
is "$?" 0 "--impl overrides DENAI_POW_IMPL"
denai-mine --threads x --from 0x00000000000000000000000000000000000000aa \
    </dev/null 2>/dev/null; is "$?" 64 "bad --threads: exit 64"
denai-mine --deadline 0 --from 0x00000000000000000000000000000000000000aa \
    </dev/null 2>/dev/null; is "$?" 64 "--deadline 0: exit 64"
denai-mine </dev/null 2>"$T/err"; is "$?" 64 "no key and no --from: exit 64"
ok "says how to give a key" grep -q "DENAI_PRIVATE_KEY" "$T/err"

# Every kernel finds the same first nonce from the same start; cast agrees.
impls=
for i in scalar avx2 avx512; do
	if denai-mine --impl "$i" --from 0x00000000000000000000000000000000000000aa \
	    </dev/null 2>/dev/null; then impls="$impls $i"
	else skip "$i: not supported by this cpu"; fi
done
diag "kernels here:$impls"
for round in 1 2 3 4; do
	ch=0x$(rhex 32); addr=0x$(rhex 20)
	d=$((1000 + $(od -An -N2 -tu2 /dev/urandom) % 30000))
	start=$(od -An -N6 -tu8 /dev/urandom | tr -d ' ')
	[ "$round" = 2 ] && start=$((4294967295 - 50))	# runs across 2^32
	first=
	for i in $impls; do
		req "$round" "$ch" "$d" |
		    denai-mine --impl "$i" --threads 1 --start-nonce "$start" \
		    --from "$addr" >"$T/out" 2>"$T/err"
		is "$?" 0 "$i, round $round: exit 0"
		n=$(jq -r .nonce "$T/out")
		if [ -z "$first" ]; then
			first=$n
			if [ -n "$CAST" ] && command -v bc >/dev/null; then
				ok "$i: cast keccak of (challenge, miner, $n) < max/$d" \
				    below "$ch" "$addr" "$n" "$d"
				h=$(jq -r .hashes "$T/out")
				is "$(echo "$n - $start + 1" | bc)" "$h" \
				    "$i: hashes = nonce - start + 1"
			else
				skip "cast or bc not installed"
			fi
		else
			is "$n" "$first" "$i gives the same nonce"
		fi
	done
	ok "nothing on stderr off a terminal" test ! -s "$T/err"
done

# The miner field: EIP-55, from --from or from the key.
addr=0x$(rhex 20)
req 1 0x$(rhex 32) 10 | denai-mine --from "$addr" >"$T/out"
if [ -n "$CAST" ]; then
	is "$(jq -r .miner "$T/out")" "$("$CAST" to-check-sum-address "$addr")" \
	    "miner is --from, checksummed"
	key=0x$(rhex 32)
	ch=0x$(rhex 32)
	req 2 "$ch" 5000 | DENAI_PRIVATE_KEY=$key denai-mine >"$T/out"
	is "$(jq -r .miner "$T/out")" \
	    "$("$CAST" wallet address --private-key "$key")" \
	    "miner is DENAI_PRIVATE_KEY's address"
	command -v bc >/dev/null &&
	ok "and its nonce passes cast keccak" below "$ch" \
	    "$(jq -r .miner "$T/out")" "$(jq -r .nonce "$T/out")" 5000
else
	skip "cast not installed"
fi

# Difficulty 1: the start nonce itself, at once, several threads or one.
req 9 0x$(rhex 32) 1 | denai-mine --threads 1 --start-nonce 0x10 \
    --from "$addr" >"$T/out"
is "$(jq -c '[.nonce, .hashes]' "$T/out")" '["16",1]' \
    "difficulty 1 with one thread: the start nonce, 1 hash"

# Pass-through of other records, errors for bad requests, in order.
cat >"$T/in" <<'IN'
{"type":"prediction","request_id":"3","prediction":"1","outputs":{"label":[1]}}
{"type":"error","stage":"fetch","request_id":"4","error":"cid mismatch"}
{"type":"request","request_id":"5","difficulty":"10"}
{"type":"request","request_id":"6","challenge":"0xzz11111111111111111111111111111111111111111111111111111111111111","difficulty":"10"}
{"type":"request","request_id":"7","challenge":"0x1111","difficulty":"10"}
{"type":"request","request_id":"8","challenge":"0x1111111111111111111111111111111111111111111111111111111111111111","difficulty":"0"}
{"type":"request","request_id":"9","challenge":"0x1111111111111111111111111111111111111111111111111111111111111111"}
{"type":"request","request_id":"10","challenge":"0x1111111111111111111111111111111111111111111111111111111111111111","difficulty":"-3"}
not json
{"note":"no type","n":[1,2,{"x":null}],"s":"caf\u00e9"}
{"type":"request","request_id":"11","challenge":"0x1111111111111111111111111111111111111111111111111111111111111111","difficulty":"7"}
IN
denai-mine --from "$addr" <"$T/in" >"$T/out" 2>"$T/err"
is "$?" 0 "bad records do not stop the stage"
is "$(wc -l <"$T/out" | tr -d ' ')" 11 "one output line per input line"
is "$(sed -n 1,2p "$T/out")" "$(sed -n 1,2p "$T/in")" \
    "other records and error records pass through unchanged"
is "$(sed -n 10p "$T/out" | jq -c -S .)" "$(sed -n 10p "$T/in" | jq -c -S .)" \
    "a record without a type passes through"
errs() { sed -n "$1p" "$T/out" | jq -r '[.type, .stage, .request_id, .error] | join("|")'; }
is "$(errs 3)" "error|mine|5|missing challenge" "missing challenge"
is "$(errs 4)" "error|mine|6|challenge: bad hex digit 'z' at position 2" \
    "bad hex challenge"
is "$(errs 5)" "error|mine|7|challenge: expected 32 bytes of hex, got 2" \
    "short challenge"
is "$(errs 6)" "error|mine|8|difficulty 0: no target (2^256-1)/0" "difficulty 0"
is "$(errs 7)" "error|mine|9|missing difficulty" "missing difficulty"
is "$(errs 8)" "error|mine|10|difficulty: bad decimal digit '-' at position 0" \
    "negative difficulty"
is "$(sed -n 9p "$T/out" | jq -r '[.type, .line] | join("|")')" "error|9" \
    "malformed line: an error record with its line number"
is "$(sed -n 11p "$T/out" | jq -r '[.request_id, .miner != null, .nonce != null] | join("|")')" \
    "11|true|true" "the request after the bad ones is mined"

# A huge difficulty stops on the deadline with a clear message.
req 12 0x$(rhex 32) "$MAX" | denai-mine --deadline 0.3 --threads 1 --from "$addr" >"$T/out"
is "$?" 0 "deadline: exit 0"
ok "deadline: error record 'no solution after N hashes in S s at difficulty D'" \
    sh -c "jq -r .error '$T/out' | grep -Eq '^no solution after [0-9]+ hashes in 0\.[0-9] s at difficulty $MAX\$'"

# The man page's first example, as written there.
MANKEY=0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80
MANCH=0x1111111111111111111111111111111111111111111111111111111111111111
ok "the man page shows this example" grep -q "DENAI_PRIVATE_KEY=$MANKEY denai-mine" \
    "$TOP/man/denai-mine.1"
echo "{\"type\":\"request\",\"request_id\":\"1\",\"challenge\":\"$MANCH\",\"difficulty\":\"1000000\"}" |
    DENAI_PRIVATE_KEY=$MANKEY denai-mine >"$T/out"
is "$(jq -r .miner "$T/out")" 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266 \
    "man page example: the miner shown"
if [ -n "$CAST" ] && command -v bc >/dev/null; then
	ok "man page example: cast keccak confirms the nonce" below "$MANCH" \
	    0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266 "$(jq -r .nonce "$T/out")" 1000000
else
	skip "cast or bc not installed"
fi

# --check-open against anvil, with a stand-in contract installed by
# anvil_setCode: getRequest(uint256) returns its 12 words and an empty
# dataCid, expiresAt (word 7) from slot 2 and status (word 8) from slot 0;
# hasSubmitted returns slot 1.
denai-mine --contract 0x01 --from "$addr" </dev/null 2>/dev/null
is "$?" 64 "--contract without --check-open: exit 64"
if [ -n "$ANVIL" ] && [ -n "$CAST" ]; then
	"$ANVIL" --port 0 >"$T/anvil.log" 2>&1 &
	apid=$!
	i=0
	while ! grep -q '^Listening on' "$T/anvil.log" && [ $i -lt 100 ]; do
		sleep 0.1; i=$((i + 1))
	done
	U=http://$(sed -n 's/^Listening on \(.*\)$/\1/p' "$T/anvil.log")
	CA=0x00000000000000000000000000000000000d3a11
	slot() { "$CAST" rpc --rpc-url "$U" anvil_setStorageAt "$CA" "$1" \
	    "$(printf '0x%064x' "$2")" >/dev/null; }
	"$CAST" rpc --rpc-url "$U" anvil_setCode "$CA" \
	    0x60003560e01c63a57d38061460285760025460e052600054610100526101806040526101a06000f35b60015460005260206000f3 >/dev/null
	slot 0 1; slot 2 1000
	r() { printf '{"type":"request","request_id":"5","contract":"%s","challenge":"0x%s","difficulty":"%s"}\n' \
	    "$CA" "$(rhex 32)" "$1"; }
	r 1000 | denai-mine --check-open --rpc-url "$U" --from "$addr" >"$T/out"
	is "$(jq -r '.nonce != null and .status == null' "$T/out")" true \
	    "open request: mined"
	slot 0 2
	r 1000 | ETH_RPC_URL=$U denai-mine --check-open --from "$addr" >"$T/out"
	is "$(jq -r '[.status, .nonce] | join("|")' "$T/out")" "closed|" \
	    "fulfilled request: status closed, not mined (ETH_RPC_URL)"
	slot 0 1; slot 2 0
	r 1000 | denai-mine --check-open --rpc-url "$U" --from "$addr" >"$T/out"
	is "$(jq -r .status "$T/out")" closed "expired request: status closed"
	slot 2 1000; slot 1 1
	r 1000 | denai-mine --check-open --rpc-url "$U" --from "$addr" >"$T/out"
	is "$(jq -r .status "$T/out")" already-submitted \
	    "hasSubmitted: status already-submitted"
	slot 1 0
	(sleep 1; slot 0 3) &
	r "$MAX" | denai-mine --check-open --check-interval 0.2 --deadline 60 --threads 1 \
	    --rpc-url "$U" --from "$addr" >"$T/out"
	is "$(jq -r .status "$T/out")" closed \
	    "request cancelled while mining: mining stops, status closed"
	wait $!
	r 1000 | denai-mine --check-open --rpc-url http://127.0.0.1:1 \
	    --from "$addr" >"$T/out" 2>"$T/err"
	is "$(jq -r '.nonce != null' "$T/out")" true \
	    "node unreachable: mines anyway"
	ok "and says why on stderr" grep -q "cannot check that requests are open: .*127.0.0.1:1" "$T/err"
	(r 1000; r 1000; r 1000; r 1000) | denai-mine --check-open \
	    --rpc-url http://127.0.0.1:1 --from "$addr" >"$T/out" 2>"$T/err"
	is "$(jq -r '.nonce != null' "$T/out" | sort -u)" true \
	    "node unreachable, four requests: all mined"
	is "$(grep -c 'cannot check' "$T/err")" 1 \
	    "one warning for the outage, not one per request"
	r 1000 | sed 's/"contract":"[^"]*",//' |
	    denai-mine --check-open --rpc-url "$U" --from "$addr" >"$T/out"
	is "$(jq -r .error "$T/out")" \
	    '--check-open: no "contract" in the record and no --contract' \
	    "no contract: an error record"
	kill "$apid"
	wait "$apid" 2>/dev/null
else
	skip "anvil or cast not installed"
fi

done_testing
