#!/bin/sh
# determinism.t - the fixture tasks (iris: three classes, cancer200: two,
# diabetes: regression) trained by every algorithm with the release and the
# sanitizer builds (whichever are built: $DENAI_BIN, bin/, build/asan/bin,
# build/clang/bin) on 1 and 2 threads, and with the portable code in place
# of the AVX2 kernels (DENAI_CPU=portable), give the same model bytes, and the
# sha256s recorded in golden.sha256 (so another machine, compiler or
# optimisation level must give them too). REGEN=1 rewrites golden.sha256.
. "${0%/*}/../lib.sh"

F="$TOP/tests/train/fixtures"
G="$TOP/tests/train/golden.sha256"
builds=
for d in "$DENAI_BIN" "$TOP/bin" "$TOP/build/asan/bin" "$TOP/build/clang/bin"; do
	[ -x "$d/denai-train" ] || continue
	case " $builds " in *" $(cd "$d" && pwd) "*) continue ;; esac
	builds="$builds $(cd "$d" && pwd)"
done
[ -n "$builds" ] || skip_all "denai-train not built"
diag "builds:$builds"

: >"$T/got"
for task in iris:classification cancer200:classification diabetes:regression; do
	name=${task%%:*} kind=${task#*:}
	for algo in gbt rf linear; do
		first=
		for b in $builds; do
			for th in 1 2 portable; do
				cpu=
				[ "$th" = portable ] && th=2 cpu=portable
				out="$T/$name-$algo-$th.onnx"
				if ! DENAI_CPU=$cpu "$b/denai-train" --csv "$F/$name.csv" --label label \
				    --kind "$kind" --algo "$algo" --trees 20 --seed 7 \
				    --threads "$th" -o "$out" 2>"$T/err"; then
					ok "$name $algo: $b trains" false
					sed 's/^/# /' "$T/err"
					continue
				fi
				s=$(sha256sum "$out" | cut -c1-64)
				if [ -z "$first" ]; then
					first=$s
					echo "$s  $name-$algo.onnx" >>"$T/got"
				fi
				is "$s" "$first" "$name $algo: $(basename "$(dirname "$b")")/$(basename "$b") on $th thread(s)${cpu:+, portable code,} gives the same bytes"
			done
		done
	done
done
if [ "${REGEN:-}" = 1 ]; then
	cp "$T/got" "$G"
	diag "wrote $G"
fi
is "$(cat "$T/got")" "$(cat "$G")" "the sha256s of golden.sha256"
done_testing
