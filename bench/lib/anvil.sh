# bench/lib/anvil.sh - a local chain for the gas benches (sourced; not a
# bench itself: make bench runs bench/*.sh only).
#   bench_anvil NAME ACCOUNTS   anvil on a free port (APID, ETH_RPC_URL, ACCTS)
#   acct N                      the Nth unlocked account (from 0)
#   send FROM TO SIG ARGS...    a transaction; prints its gasUsed (decimal)
#   create FROM BYTECODE...     a deployment; prints the contract's address
# Needs $ANVIL, $CAST and a scratch folder $W; the caller kills $APID.
bench_anvil() {
	BENCH_NAME=$1
	"$ANVIL" --port 0 --hardfork cancun --accounts "$2" >"$W/anvil.log" 2>&1 &
	APID=$!
	_i=0
	until port=$(sed -n 's/^Listening on 127.0.0.1:\([0-9]*\).*/\1/p' "$W/anvil.log") &&
	    [ -n "$port" ]; do
		_i=$((_i + 1))
		[ $_i -lt 200 ] || { echo "$BENCH_NAME: anvil did not start" >&2; exit 1; }
		sleep 0.1
	done
	export ETH_RPC_URL=http://127.0.0.1:$port
	ACCTS=$("$CAST" rpc eth_accounts | jq -r '.[]')
}
acct() { echo "$ACCTS" | sed -n "$(($1 + 1))p"; }
send() {
	from=$1; shift
	"$CAST" send --unlocked --from "$from" --json "$@" >"$W/r.json"
	[ "$(jq -r .status "$W/r.json")" = 0x1 ] ||
	    { echo "$BENCH_NAME: tx failed: $*" >&2; exit 1; }
	"$CAST" to-dec "$(jq -r .gasUsed "$W/r.json")"
}
create() {
	from=$1; shift
	"$CAST" send --unlocked --from "$from" --json --create "$@" >"$W/r.json"
	jq -r .contractAddress "$W/r.json"
}
