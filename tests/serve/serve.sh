# tests/serve/serve.sh - helpers for the denai-serve tests (sourced after
# tests/lib.sh): a server on a free port, curl wrappers.
command -v curl >/dev/null || skip_all "curl is not installed"
command -v jq >/dev/null || skip_all "jq is not installed"
SERVE_PIDS=""
serve_stop() {
	for p in $SERVE_PIDS; do kill -TERM "$p" 2>/dev/null; done
	for p in $SERVE_PIDS; do wait "$p" 2>/dev/null; done
	SERVE_PIDS=""
}

# start_serve DIR [denai-serve args...]: sets SERVE_PID, P (port), U (URL).
start_serve() {
	_d=$1; shift
	rm -f "$_d.port"
	mkdir -p "$_d"
	denai-serve run --data-dir "$_d" --port 0 --port-file "$_d.port" \
	    --poll-ms 100 "$@" 2>>"$_d.err" &
	SERVE_PID=$!
	SERVE_PIDS="$SERVE_PIDS $SERVE_PID"
	for _ in $(seq 300); do
		[ -s "$_d.port" ] && break
		kill -0 "$SERVE_PID" 2>/dev/null || { cat "$_d.err" >&2; return 1; }
		sleep 0.1
	done
	P=$(cat "$_d.port")
	U=http://127.0.0.1:$P
}

# hc METHOD PATH [curl args...]: sets $code and $body ($T/body).
hc() {
	_m=$1 _p=$2; shift 2
	code=$(curl -s -o "$T/body" -D "$T/headers" -w '%{http_code}' -X "$_m" "$@" "$U$_p")
	body=$(cat "$T/body")
}
# hdr NAME: a header of the last hc answer.
hdr() { grep -i "^$1:" "$T/headers" | head -1 | sed 's/^[^:]*: *//' | tr -d '\r'; }

