# tests/ipfs/gw.sh - start test gateways (gateway.py) from a shell test.
# Source after lib.sh:  . "${0%/*}/gw.sh"
#   url=$(gw_start NAME MODE DIR [extra gateway.py args])
# Gateways are stopped when the test exits. Needs /usr/bin/python3.
GW_PY="$TOP/tests/ipfs/gateway.py"
_gw_cleanup() {
	for _p in "$T"/*.pid; do
		[ -f "$_p" ] && kill "$(cat "$_p")" 2>/dev/null
	done
	_tap_cleanup
}
trap _gw_cleanup EXIT

gw_have() { [ -x /usr/bin/python3 ]; }

gw_start() {
	_n=$1 _m=$2 _d=$3; shift 3
	/usr/bin/python3 "$GW_PY" --dir "$_d" --mode "$_m" \
	    --port-file "$T/$_n.port" --log "$T/$_n.log" "$@" \
	    >"$T/$_n.out" 2>&1 &
	echo $! >"$T/$_n.pid"
	_i=0
	while [ ! -s "$T/$_n.port" ] && [ $_i -lt 100 ]; do
		sleep 0.1; _i=$((_i + 1))
	done
	[ -s "$T/$_n.port" ] || { echo "# gateway $_n did not start" >&2; return 1; }
	echo "http://127.0.0.1:$(cat "$T/$_n.port")"
}
