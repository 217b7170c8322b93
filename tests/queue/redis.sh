# tests/queue/redis.sh - a redis-server for queue tests (sourced after
# tests/lib.sh): on a free loopback port, no persistence, stopped at exit
# even when a test fails. start_redis [redis-server args...] sets
# REDIS_PORT, REDIS_PID and exports REDIS_URL.
command -v redis-server >/dev/null || skip_all "redis-server is not installed (make deps)"
command -v jq >/dev/null || skip_all "jq is not installed"

REDIS_PIDS=""
redis_stop() {
	for p in $REDIS_PIDS; do kill -TERM "$p" 2>/dev/null; done
	for p in $REDIS_PIDS; do
		for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$p" 2>/dev/null
	done
	REDIS_PIDS=""
}

redis_free_port() {
	for _ in $(seq 50); do
		p=$((20000 + $(od -An -N2 -tu2 /dev/urandom) % 20000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
	done
	return 1
}

start_redis() {
	for _try in 1 2 3 4 5; do
		REDIS_PORT=$(redis_free_port)
		redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' \
		    --appendonly no --daemonize no --logfile "$T/redis.log" "$@" &
		REDIS_PID=$!
		REDIS_PIDS="$REDIS_PIDS $REDIS_PID"
		export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
		for _ in $(seq 100); do
			kill -0 "$REDIS_PID" 2>/dev/null || break
			# Ours must be the one answering (another test may
			# have taken the port first: then ours exited).
			if [ "$(redis-cli -p "$REDIS_PORT" ${REDIS_AUTH:+-a "$REDIS_AUTH"} \
			    --no-auth-warning ping 2>/dev/null)" = PONG ]; then
				sleep 0.1
				kill -0 "$REDIS_PID" 2>/dev/null && return 0
				break
			fi
			sleep 0.05
		done
	done
	echo "# redis-server did not start" >&2
	return 1
}

# rcli ARGS...: redis-cli against ours.
rcli() { redis-cli -p "$REDIS_PORT" ${REDIS_AUTH:+-a "$REDIS_AUTH"} --no-auth-warning "$@"; }

# qstatus STREAM JQ: a jq expression over denai-queue status STREAM.
qstatus() { denai-queue status "$1" | jq -r "$2"; }

# At exit: background jobs of the test, the chain's processes, redis.
redis_exit() {
	for j in $(jobs -p); do kill -TERM -- "-$j" 2>/dev/null || kill -TERM "$j" 2>/dev/null; done
	[ -z "${E2E_PIDS+x}" ] || e2e_stop
	redis_stop
	_tap_cleanup
}
trap redis_exit EXIT
