# tests/lib.sh - TAP helpers for shell tests. Source it from a test:
#   . "${0%/*}/../lib.sh"     (tests/<dir>/x.t)
# It puts the binaries under test first on PATH ($DENAI_BIN, default bin/),
# makes a scratch dir $T (removed at exit), and offers:
#   ok COND... NAME     is GOT WANT NAME    skip_all WHY    done_testing
# plus npm tool paths: $CAST $ANVIL $FORGE (may be empty if not installed).
set -u
TOP=$(cd "${0%/*}/../.." && pwd)
: "${DENAI_BIN:=$TOP/bin}"
PATH="$DENAI_BIN:$PATH"
: "${DENAI_SHARED:=$TOP/../shared}"
NM="$TOP/tools/node_modules"
CAST="$NM/@foundry-rs/cast-linux-amd64/bin/cast"
ANVIL="$NM/@foundry-rs/anvil-linux-amd64/bin/anvil"
FORGE="$NM/@foundry-rs/forge-linux-amd64/bin/forge"
[ -x "$CAST" ] || CAST=
[ -x "$ANVIL" ] || ANVIL=
[ -x "$FORGE" ] || FORGE=
T=$(mktemp -d "${TMPDIR:-/tmp}/denai-test.XXXXXX")
_tap_n=0
_tap_failed=0
# DENAI_TEST_KEEP=1 keeps the scratch dir (its path goes to stderr).
_tap_cleanup() {
	if [ -n "${DENAI_TEST_KEEP:-}" ]; then echo "kept $T" >&2
	else rm -rf "$T"; fi
}
trap _tap_cleanup EXIT

# ok NAME CMD... : passes when CMD succeeds.
ok() {
	_name=$1; shift
	_tap_n=$((_tap_n + 1))
	if "$@"; then echo "ok $_tap_n - $_name"
	else echo "not ok $_tap_n - $_name"; _tap_failed=$((_tap_failed + 1)); fi
}
# is GOT WANT NAME : passes when the strings are equal.
is() {
	_tap_n=$((_tap_n + 1))
	if [ "$1" = "$2" ]; then echo "ok $_tap_n - $3"
	else
		echo "not ok $_tap_n - $3"
		printf '%s\n' "$1" | sed 's/^/#      got: /'
		printf '%s\n' "$2" | sed 's/^/#     want: /'
		_tap_failed=$((_tap_failed + 1))
	fi
}
skip_all() { echo "1..0 # SKIP $*"; exit 0; }
skip() { _tap_n=$((_tap_n + 1)); echo "ok $_tap_n # skip $*"; }
diag() { printf '%s\n' "$*" | sed 's/^/# /'; }
done_testing() { echo "1..$_tap_n"; [ "$_tap_failed" -eq 0 ]; }

# run CMD...: sets $out, $err (stderr) and $rc; stdin is /dev/null unless
# RUN_IN names a file.
run() {
	"$@" >"$T/out" 2>"$T/err" <"${RUN_IN:-/dev/null}"
	rc=$?
	out=$(cat "$T/out")
	err=$(cat "$T/err")
}

# poll_until SECONDS CMD...: runs CMD every 0.1 s until it succeeds;
# fails after SECONDS.
poll_until() {
	_end=$(($(date +%s) + $1)); shift
	until "$@"; do
		[ "$(date +%s)" -lt "$_end" ] || return 1
		sleep 0.1
	done
}

# usage_checks PROG: --help (exit 0, the synopsis on stdout, nothing on
# stderr) and an unknown option (exit 64, the synopsis on stderr, nothing
# on stdout).
usage_checks() {
	run "$1" --help
	is "$rc:$(head -1 "$T/out" | cut -c1-$((7 + ${#1})))" "0:usage: $1" "--help exits 0 with the synopsis"
	is "$(wc -c <"$T/err" | tr -d ' ')" 0 "--help writes nothing on stderr"
	run "$1" --bogus
	is "$rc:$(head -1 "$T/err")" "64:$1: unrecognized option '--bogus'" "an unknown option: 64"
	ok "and the synopsis on stderr" grep -q "^usage: $1" "$T/err"
	is "$(wc -c <"$T/out" | tr -d ' ')" 0 "and nothing on stdout"
}
