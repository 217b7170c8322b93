# tests/det/lib.sh - builds tests/det/outbits in a build variant and runs it.
#   det_build B MAKEARGS...   build $TOP/B/det/outbits (quietly; 1 on failure)
#   det_run CMD... OUT        run an outbits binary over the fixed set into OUT
# The reference is the release build's (build/rel, as `make` makes it).
. "${0%/*}/../lib.sh"
[ -d "$DENAI_SHARED/onnx-node-tests" ] ||
    skip_all "no $DENAI_SHARED/onnx-node-tests"
det_build() {
	_b=$1; shift
	make --no-print-directory -C "$TOP" -f mk/build.mk B="$_b" "$@" det \
	    >"$T/build.log" 2>&1 || { sed 's/^/# /' "$T/build.log" | tail -20; return 1; }
}
det_run() {
	_out=$(eval echo "\${$#}")
	"${@:1:$#-1}" "$DENAI_SHARED" "$TOP/examples/models" >"$_out"
}
# same A B NAME: the two outputs agree line by line (the differing lines shown)
same() {
	_d=$(diff "$1" "$2" | grep '^[<>]' | head -10)
	is "$_d" "" "$3"
}
ok "the release build of outbits" det_build build/rel
ok "it runs over the fixed set" det_run "$TOP/build/rel/det/outbits" "$T/ref.txt"
diag "$(wc -l <"$T/ref.txt") cases, $(grep -c error "$T/ref.txt") refused alike by every build"
is "$(grep -v -c error "$T/ref.txt" | awk '{print ($1 > 250)}')" 1 \
    "more than 250 cases evaluated"
