#!/bin/sh
# denai-predict: golden NDJSON (predictions, outputs, failures, pass-through),
# --model rows, --info, the model cache, --command, usage, and the example
# models' predictions against the labels sklearn gave when they were made.
. "${0%/*}/../lib.sh"
command -v denai-predict >/dev/null || skip_all "denai-predict not built"
cd "$TOP" || exit 1
D=tests/cmd/denai-predict

# Usage.
denai-predict --help >"$T/help"; is "$?" 0 "--help exits 0"
ok "--help prints the synopsis" grep -q '^usage: denai-predict' "$T/help"
denai-predict --bogus </dev/null 2>/dev/null; is "$?" 64 "unknown option: 64"
denai-predict extra </dev/null 2>/dev/null; is "$?" 64 "extra argument: 64"
denai-predict --print-model </dev/null 2>/dev/null
is "$?" 64 "--print-model without --model: 64"
denai-predict --decimals 78 </dev/null 2>/dev/null; is "$?" 64 "--decimals 78: 64"
denai-predict --command nocommand </dev/null 2>/dev/null
is "$?" 64 "--command without id=: 64"

# The stage: golden output for every case in input.ndjson, exit 0.
denai-predict <"$D/input.ndjson" >"$T/out" 2>"$T/err"
is "$?" 0 "the stage exits 0 though some records fail"
ok "golden NDJSON" cmp -s "$T/out" "$D/expected.ndjson"
cmp -s "$T/out" "$D/expected.ndjson" || diff "$D/expected.ndjson" "$T/out" | sed 's/^/# /'
is "$(wc -c <"$T/err")" 0 "nothing on stderr"

# --model: bare rows, records without a type, requests; --decimals.
denai-predict --model "$D/reg.onnx" --decimals 1 <"$D/rows.ndjson" >"$T/rows"
is "$?" 0 "--model rows exit 0"
ok "--model golden NDJSON" cmp -s "$T/rows" "$D/rows.expected.ndjson"

# A model that cannot be used: one-line error and the data error status.
denai-predict --model "$D/bad.onnx" </dev/null 2>"$T/err"
is "$?" 65 "--model with an unsupported operator: exit 65"
is "$(cat "$T/err")" "denai-predict: $D/bad.onnx: node frob (Frobnicate): unsupported operator Frobnicate (domain ai.onnx, opset 13)" \
    "names the node, operator, domain and opset"
denai-predict --model "$T/none.onnx" </dev/null 2>"$T/err"
is "$?" 74 "--model with a missing file: exit 74"
ok "names the file" grep -q "^denai-predict: cannot open $T/none.onnx" "$T/err"

# --info.
if command -v jq >/dev/null; then
	denai-predict --info "$D/reg.onnx" >"$T/info"; is "$?" 0 "--info exits 0"
	is "$(jq -c '[.inputs[0].name, .inputs[0].shape, .outputs[0].name, .ops, .supported]' "$T/info")" \
	    '["x",["N",3],"y",{"MatMul":1,"Add":1},true]' "--info describes the model"
	denai-predict --model "$D/cls.onnx" --print-model >"$T/info"
	is "$(jq -c '[.opsets, .outputs[1].kind]' "$T/info")" \
	    '[{"ai.onnx":13,"ai.onnx.ml":1},"sequence"]' "--print-model: opsets, ZipMap output"
	denai-predict --info "$D/bad.onnx" >"$T/info" 2>/dev/null
	is "$?" 65 "--info on an unsupported model: exit 65"
	is "$(jq -c '[.supported, .ops]' "$T/info")" '[false,{"Frobnicate":1}]' \
	    "--info still prints an unsupported model"
else
	skip "jq not installed"
fi

# The cache: a model is loaded once per model_sha256. The file is removed
# after the first record; the second, same sha256, still predicts; a third
# with another sha256 must load the (gone) file again and fails.
cp "$D/reg.onnx" "$T/m.onnx"
req() { printf '{"type":"request","request_id":"%s","model_path":"%s","model_sha256":"%s","data":[1,1,1]}\n' "$1" "$T/m.onnx" "$2"; }
{ req 1 aa; sleep 1; rm -f "$T/m.onnx"; req 2 aa; req 3 bb; } |
    denai-predict >"$T/cache"
is "$(sed -n 2p "$T/cache" | grep -o '"prediction":"[0-9]*"')" '"prediction":"7"' \
    "a cached model answers after its file is gone"
ok "another sha256 loads again (and fails)" grep -q '"request_id":"3","error":"model: cannot open' "$T/cache"

# --command: a model id answered by a local program.
printf '{"type":"request","request_id":"c1","model_id":"5","data":[1,2]}\n' |
    denai-predict --command "5=cat >$T/got; echo 42" >"$T/cmd"
is "$(cat "$T/got")" '[1,2]' "the command reads the data point as a JSON line"
ok "its answer is the prediction" grep -q '"prediction":"42","outputs":{"stdout":"42"}' "$T/cmd"
printf '{"type":"request","request_id":"c2","model_id":"5","decimals":2,"data":[1]}\n' |
    denai-predict --command "5=echo -1.255" >"$T/cmd"
ok "a decimal answer is scaled as a double (-1.255 is -1.25499..: -125)" \
    grep -q '"prediction":"115792089237316195423570985008687907853269984665640564039457584007913129639811"' "$T/cmd"
printf '{"type":"request","request_id":"c3","model_id":"5","data":[1]}\n' |
    denai-predict --command "5=exit 3" >"$T/cmd"
ok "a failing command is an error record" grep -q '"request_id":"c3","error":"command exited with status 3"' "$T/cmd"

printf '{"type":"request","request_id":"c4","model_id":"5","data":[1]}\n' |
    denai-predict --command "5=sleep 5" --command-timeout 1 >"$T/cmd"
ok "a command over its time is killed: error record" \
    grep -q '"request_id":"c4","error":"command timed out after 1 s"' "$T/cmd"

# The example models: the prediction for each example data point equals
# the one recorded from sklearn when the model was exported.
M=examples/models/models.json
if [ -f "$M" ] && command -v jq >/dev/null; then
	jq -r '.models[] | .file as $f | .examples[] | [$f, .file, .prediction] | @tsv' "$M" |
	while IFS=$(printf '\t') read -r model data want; do
		got=$(printf '{"type":"request","request_id":"x","model_path":"examples/models/%s","data":%s}\n' \
		    "$model" "$(cat "examples/models/$data")" | denai-predict | jq -r .prediction)
		is "$got" "$want" "$model on $data predicts $want"
	done >"$T/ex"
	cat "$T/ex"
	_tap_n=$((_tap_n + $(grep -c '^ok\|^not ok' "$T/ex")))
	_tap_failed=$((_tap_failed + $(grep -c '^not ok' "$T/ex")))
else
	skip "no examples/models/models.json or no jq"
fi

# The man page's examples.
if [ -f examples/models/diabetes.onnx ]; then
	cat examples/data/diabetes_*.json |
	    denai-predict --model examples/models/diabetes.onnx --decimals 2 >"$T/man"
	is "$(grep -c '"type":"prediction"' "$T/man")" "$(ls examples/data/diabetes_*.json | wc -l)" \
	    "man example: rows through --model, one prediction each"
	denai-predict --info examples/models/mlp_breast_cancer.onnx >/dev/null
	is "$?" 0 "man example: --info on the MLP"
else
	skip "no examples/models"
fi

done_testing
