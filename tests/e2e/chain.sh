# tests/e2e/chain.sh - a local chain for end-to-end tests (sourced after
# tests/lib.sh): anvil on a free port, the contracts, models, miner nodes.
# Everything started is stopped at exit.
E2E_PIDS=""
E2E_KEYS="0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80
0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d
0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a
0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6
0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a
0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba
0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e"

[ -n "$ANVIL" ] || skip_all "anvil is not installed (make deps)"
[ -f "$TOP/build/contracts/DenAI.json" ] || skip_all "contracts not built (make)"
command -v jq >/dev/null || skip_all "jq is not installed"

key() { echo "$E2E_KEYS" | sed -n "$(($1 + 1))p"; }
addr() { DENAI_PRIVATE_KEY=$(key "$1") denai-key address; }

e2e_stop() {
	for p in $E2E_PIDS; do kill -TERM -- "-$p" 2>/dev/null || kill -TERM "$p" 2>/dev/null; done
	wait 2>/dev/null
	E2E_PIDS=""
}
trap 'e2e_stop; _tap_cleanup' EXIT

free_port() {
	for _ in $(seq 50); do
		p=$((20000 + $(od -An -N2 -tu2 /dev/urandom) % 20000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
	done
	return 1
}

# start_anvil [anvil args...]: sets PORT and ETH_RPC_URL.
start_anvil() {
	_fixed=${PORT:-}
	for _try in 1 2 3 4 5; do
		PORT=${_fixed:-$(free_port)}
		setsid "$ANVIL" --port "$PORT" --silent "$@" &
		E2E_PIDS="$E2E_PIDS $!"
		ANVIL_PID=$!
		export ETH_RPC_URL="http://127.0.0.1:$PORT"
		for _ in $(seq 100); do
			# Ours must answer, and still be alive: when another test
			# took the port first, our anvil exited and theirs answers.
			if "$CAST" chain-id >/dev/null 2>&1; then
				sleep 0.2
				kill -0 "$ANVIL_PID" 2>/dev/null && return 0
				break
			fi
			kill -0 "$ANVIL_PID" 2>/dev/null || break
			sleep 0.1
		done
		[ -z "$_fixed" ] || break
	done
	echo "# anvil did not start" >&2; return 1
}

# deploy [denai-deploy args...]: sets ORACLE, CONSUMER, TOKEN.
deploy() {
	export DENAI_DEPLOYMENT="$T/deployment.json" DENAI_IPFS_DIR="$T/ipfs"
	export DENAI_ARTIFACTS="$TOP/build/contracts" XDG_STATE_HOME="$T/state"
	DENAI_PRIVATE_KEY=$(key 0) denai-deploy "$@" >/dev/null 2>"$T/deploy.err" || return 1
	ORACLE=$(jq -r .oracle "$DENAI_DEPLOYMENT")
	CONSUMER=$(jq -r .consumer "$DENAI_DEPLOYMENT")
	TOKEN=$(jq -r .token "$DENAI_DEPLOYMENT")
}

# register FILE DECIMALS: prints the model id.
register() {
	DENAI_PRIVATE_KEY=$(key 0) denai-model register "$1" --decimals "$2" \
	    --description "test model" | jq -r .model_id
}

# start_node I [node.sh args...]: miner I (keys 1..), log in $T/nodeI.ndjson.
start_node() {
	i=$1; shift
	DENAI_PRIVATE_KEY=$(key "$i") setsid "$TOP/examples/node.sh" --threads 1 \
	    --log "$T/node$i.ndjson" "$@" 2>>"$T/node$i.err" &
	E2E_PIDS="$E2E_PIDS $!"
}

# ask MODEL DATAFILE TIP: a request through the consumer; prints its id.
ask() {
	DENAI_PRIVATE_KEY=$(key 0) denai-request --consumer --model "$1" \
	    --data "$2" --tip "$3" | jq -r .request_id
}

# sklearn_says DATAFILE: the manifest's prediction for an example point.
sklearn_says() {
	jq -r --arg f "../data/$(basename "$1")" \
	    '.models[].examples[] | select(.file == $f) | .prediction' \
	    "$TOP/examples/models/models.json"
}

# nlines FILE...: the number of lines in the files (0 when absent).
nlines() { cat "$@" 2>/dev/null | wc -l | tr -d ' '; }

# request MODEL DATAFILE [TIP]: a direct request from key 0; prints its id.
request() {
	DENAI_PRIVATE_KEY=$(key 0) denai-request --model "$1" --data "$2" \
	    --tip "${3:-0}" | jq -r .request_id
}

# start_watch OUT [denai-watch args...]: a denai-watch writing to OUT (and
# OUT.err), in the background; sets WATCH_PID.
start_watch() {
	_out=$1; shift
	setsid denai-watch "$@" >>"$_out" 2>>"$_out.err" &
	WATCH_PID=$!
	E2E_PIDS="$E2E_PIDS $!"
}

# start_proxy LISTEN_PORT UPSTREAM_PORT: a TCP forwarder (tcpproxy.py);
# sets PROXY_PID. stop_proxy kills it. Used to take the RPC away.
start_proxy() {
	setsid /usr/bin/python3 "$TOP/tests/e2e/tcpproxy.py" "$1" "$2" &
	PROXY_PID=$!
	E2E_PIDS="$E2E_PIDS $!"
	poll_until 20 eval "(exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null"
}
stop_proxy() { kill -9 "$PROXY_PID" 2>/dev/null; wait "$PROXY_PID" 2>/dev/null; true; }

# man_examples PAGE: splits the EXAMPLES section's literal blocks of
# man/PAGE.1 into $T/ex.PAGE.N.cmd (a command, continuation lines joined,
# \e made \) and $T/ex.PAGE.N.want (the lines shown after it); prints N.
man_examples() {
	awk -v pre="$T/ex.$1." '
	/^\.Sh EXAMPLES/ { ex = 1; next }
	/^\.Sh / { ex = 0 }
	ex && /^\.Bd -literal/ { lit = 1; next }
	ex && /^\.Ed/ { lit = 0; next }
	!lit { next }
	{ gsub(/\\e/, "\\") }
	/^\$ / { n++; sub(/^\$ /, ""); print > (pre n ".cmd"); printf "" > (pre n ".want"); cont = 1; next }
	/^[ \t]/ && cont { print >> (pre n ".cmd"); next }
	n { cont = 0; print >> (pre n ".want") }
	END { print n + 0 }' "$TOP/man/$1.1"
}

# run_example PAGE N NAME: runs example N of PAGE with bash in the
# repository's root; passes when it exits 0 and prints the lines shown
# (when the page shows any). Its output is left in $_got.
run_example() {
	_cmd=$(cat "$T/ex.$1.$2.cmd")
	_got=$(cd "$TOP" && bash -o pipefail -c "$_cmd" 2>"$T/ex.err")
	_rc=$?
	[ "$_rc" -eq 0 ] || diag "$(cat "$T/ex.err")"
	if [ -s "$T/ex.$1.$2.want" ]; then
		is "$_rc:$_got" "0:$(cat "$T/ex.$1.$2.want")" "$3"
	else
		is "$_rc" 0 "$3"
	fi
}

# chain_checks PROG ARGS...: the failures every chain program shares: no
# deployment file, a deployment for another chain, the node unreachable.
chain_checks() {
	_p=$1
	DENAI_DEPLOYMENT=$T/none.json run "$@"
	is "$rc:$err" "74:$_p: no deployment file $T/none.json (run denai-deploy, or set DENAI_DEPLOYMENT)" \
	    "no deployment file: 74, naming it"
	jq '.chain_id = 5' "$DENAI_DEPLOYMENT" >"$T/chain5.json"
	DENAI_DEPLOYMENT=$T/chain5.json run "$@"
	is "$rc:$err" "64:$_p: $T/chain5.json is for chain 5, the node at $ETH_RPC_URL serves chain 31337" \
	    "a deployment for another chain: 64"
	ETH_RPC_URL=http://127.0.0.1:1 run "$@"
	is "$rc:$err" "69:$_p: eth_chainId to http://127.0.0.1:1: connection refused (after 3 tries)" \
	    "the node unreachable: 69"
}
