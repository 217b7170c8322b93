#!/bin/sh
# denai-fetch: golden NDJSON for a stream of requests (data as an array, as
# named inputs, large data to a file; models from the record and from
# --models; pass-through; every failure as an error record), --cid, usage.
# The CIDs in the golden file are checked against ipfs-only-hash when node
# is there.
. "${0%/*}/../lib.sh"
command -v denai-fetch >/dev/null || skip_all "denai-fetch not built"
command -v jq >/dev/null || skip_all "jq not installed"
G=$TOP/tests/ipfs/golden
unset DENAI_IPFS_GATEWAY
export DENAI_IPFS_DIR="$T/store"

denai-fetch --help >"$T/help"; is "$?" 0 "--help exits 0"
ok "--help prints the synopsis" grep -q '^usage: denai-fetch' "$T/help"
denai-fetch --bogus </dev/null 2>/dev/null; is "$?" 64 "unknown option: exit 64"
denai-fetch extra </dev/null 2>/dev/null; is "$?" 64 "operand: exit 64"
denai-fetch --max-size x </dev/null 2>/dev/null; is "$?" 64 "bad --max-size: exit 64"
denai-fetch --timeout 0 </dev/null 2>/dev/null; is "$?" 64 "--timeout 0: exit 64"
denai-fetch --gateway ftp://x </dev/null 2>"$T/err"; is "$?" 64 "ftp gateway: exit 64"
ok "names the bad gateway (by position: it may hold a secret)" grep -q "gateway 1 is not an http" "$T/err"
echo '[' >"$T/bad.json"
denai-fetch --models "$T/bad.json" </dev/null 2>/dev/null; is "$?" 65 "bad --models file: exit 65"

# The inputs: four data points, a fake model, and a file that is not JSON.
printf '[1, 2.5, -3]\n' >"$T/point.json"
printf '{"x": [[1, 2], [3, 4]], "y": [0.5]}\n' >"$T/named.json"
printf '"just a string"\n' >"$T/string.json"
printf 'hello\n' >"$T/hello.txt"
printf 'not really an onnx model\n' >"$T/model.onnx"
for f in point.json named.json string.json hello.txt model.onnx; do
	denai-ipfs add "$T/$f" >"$T/$f.cid" || ok "add $f" false
done
mc=$(cat "$T/model.onnx.cid")
msha=0x$(sha256sum "$T/model.onnx" | cut -c1-64)
cat >"$T/models.json" <<EOF2
{"2": {"cid": "$mc", "sha256": "$msha", "decimals": 4}}
EOF2
cid() { cat "$T/$1.cid"; }
absent=$(printf 'never added\n' | denai-ipfs cid -)
{
printf '{"type":"request","request_id":"1","model_id":"1","data_cid":"%s","model_cid":"%s","model_sha256":"%s"}\n' "$(cid point.json)" "$mc" "$msha"
printf '{"type":"request","request_id":"2","model_id":"2","data_cid":"%s"}\n' "$(cid named.json)"
printf '{"type":"mined","request_id":"9","nonce":"5"}\n'
printf '{"type":"error","stage":"watch","request_id":"8","error":"upstream"}\n'
printf '{"type":"request","request_id":"3","model_id":"2"}\n'
printf '{"type":"request","request_id":"4","model_id":"2","data_cid":"%s"}\n' "$(cid hello.txt)"
printf '{"type":"request","request_id":"5","model_id":"2","data_cid":"%s"}\n' "$(cid string.json)"
printf '{"type":"request","request_id":"6","model_id":"2","data_cid":"%s"}\n' "$absent"
printf '{"type":"request","request_id":"7","model_id":"1","data_cid":"%s","model_cid":"%s","model_sha256":"0x%064d"}\n' "$(cid point.json)" "$mc" 0
printf '{"type":"request","request_id":"10","model_id":"3","data_cid":"%s"}\n' "$(cid point.json)"
printf 'not json\n'
printf '{"type":"request","request_id":"11","model_id":"2","data_cid":"bafyreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"}\n'
printf '{"type":"request","request_id":"12","model_id":"2","data_cid":"%s","model_cid":"%s","model_sha256":"0x12"}\n' "$(cid point.json)" "$mc"
} >"$T/in.ndjson"
denai-fetch --models "$T/models.json" <"$T/in.ndjson" >"$T/out.ndjson" 2>"$T/err"
is "$?" 0 "a stream with failures: exit 0"
sed "s|$T|\$T|g" "$T/out.ndjson" >"$T/out.norm"
if cmp -s "$T/out.norm" "$G/fetch.ndjson"; then ok "output is the golden NDJSON" true
else ok "output is the golden NDJSON" false; diff "$G/fetch.ndjson" "$T/out.norm" | sed 's/^/# /'; fi
is "$(cat "$T/err")" "" "nothing on stderr"
ok "the model file is the model" cmp -s "$T/model.onnx" \
    "$(jq -r 'select(.request_id=="1") | .model_path' "$T/out.ndjson")"

# The golden CIDs are what `ipfs add --cid-version 1` gives.
if command -v node >/dev/null && [ -d "$TOP/tools/node_modules/ipfs-only-hash" ]; then
	node "$TOP/tests/ipfs/only-hash.js" --cid-version 1 --raw-leaves \
	    "$T/point.json" "$T/named.json" "$T/model.onnx" >"$T/ref"
	jq -r 'select(.request_id=="1" or .request_id=="2") | .data_cid' \
	    "$G/fetch.ndjson" >"$T/gold"
	jq -r 'select(.request_id=="1") | .model_cid' "$G/fetch.ndjson" >>"$T/gold"
	is "$(cat "$T/gold")" "$(cat "$T/ref")" "golden CIDs agree with ipfs-only-hash"
else
	skip "no node/ipfs-only-hash"
fi

# Large data goes to a file.
printf '{"type":"request","request_id":"1","data_cid":"%s","model_cid":"%s","model_sha256":"%s"}\n' \
    "$(cid named.json)" "$mc" "$msha" | denai-fetch --inline-max 10 >"$T/big.out"
p=$(jq -r .data_path "$T/big.out")
is "$p" "$T/store/data/$(cid named.json).json" "over --inline-max: data_path in the store"
ok "data_path holds the data" cmp -s "$p" "$T/named.json"
is "$(jq -c 'has("data")' "$T/big.out")" false "  and no inline data"

# A model file changed on disk is fetched again.
mp=$(jq -r 'select(.request_id=="1") | .model_path' "$T/out.ndjson")
chmod u+w "$mp"; printf 'tampered' >"$mp"
head -1 "$T/in.ndjson" | denai-fetch >/dev/null 2>&1
ok "a tampered model file is replaced" cmp -s "$T/model.onnx" "$mp"

# --cid prints the verified object.
denai-fetch --cid "$(cid point.json)" >"$T/one"; is "$?" 0 "--cid exits 0"
ok "--cid prints the object" cmp -s "$T/point.json" "$T/one"
denai-fetch --cid "$absent" 2>"$T/err"; is "$?" 69 "--cid of an absent object: exit 69"
ok "  says it is not in the store" grep -q "not in the local store" "$T/err"
denai-fetch --cid nonsense 2>/dev/null; is "$?" 65 "--cid nonsense: exit 65"

# The man page's first example.
(
	export DENAI_IPFS_DIR=$T/man
	cd "$T" || exit 1
	cp point.json man-point.json && cp model.onnx man-model.onnx
	d=$(denai-ipfs add man-point.json)
	m=$(denai-ipfs add man-model.onnx)
	s=0x$(sha256sum man-model.onnx | cut -c1-64)
	jq -nc --arg d "$d" --arg m "$m" --arg s "$s" \
	    '{type:"request", request_id:"1", data_cid:$d, model_cid:$m,
	      model_sha256:$s}' | denai-fetch
) >"$T/man.out"
is "$(jq -c '[.data, (.model_path | test("/models/[0-9a-f]{64}[.]onnx$"))]' "$T/man.out")" \
    '[[1,2.5,-3],true]' "man: the example serves one request"
# Credentials in a gateway URL never show: not on stderr, not in error
# records (denai-fetch, denai-ipfs get); the gateway is named as
# scheme://host:port, the way RPC endpoints are (one function, url.h).
port=9	# discard: nothing listens there
sgw="http://alice:s3cr3tpw@127.0.0.1:$port/p/KEYPATH?token=t0ken"
printf '{"type":"request","request_id":"1","data_cid":"%s","model_cid":"%s","model_sha256":"%s"}\n' \
    "$absent" "$mc" "$msha" |
    DENAI_IPFS_DIR="$T/empty" denai-fetch --gateway "$sgw" --retries 0 >"$T/sec.out" 2>"$T/sec.err"
ok "denai-fetch: an error record for the block no gateway gave" \
    grep -q '"type":"error"' "$T/sec.out"
ok "denai-fetch: the gateway is named as scheme://host:port" \
    grep -q "http://127.0.0.1:$port" "$T/sec.out" "$T/sec.err"
is "$(cat "$T/sec.out" "$T/sec.err" | grep -c -e s3cr3tpw -e t0ken -e KEYPATH -e alice)" 0 \
    "denai-fetch: no user, password, path or token in its output or stderr"
DENAI_IPFS_DIR="$T/empty" denai-ipfs get --gateway "$sgw" --retries 0 "$absent" >/dev/null 2>"$T/sec.err"
ok "denai-ipfs get: fails" [ "$?" -ne 0 ]
ok "denai-ipfs get: names the gateway as scheme://host:port" grep -q "http://127.0.0.1:$port" "$T/sec.err"
is "$(grep -c -e s3cr3tpw -e t0ken -e KEYPATH -e alice "$T/sec.err")" 0 \
    "denai-ipfs get: no user, password, path or token on stderr"
denai-fetch --gateway "ftp://bob:pw2@x/" </dev/null 2>"$T/sec.err"
is "$(grep -c pw2 "$T/sec.err")" 0 "a refused gateway URL is not echoed either"
done_testing
