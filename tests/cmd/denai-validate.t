#!/bin/sh
# denai-validate: golden NDJSON (scores, invalid models and test sets,
# seals, pass-through, error records), the seal against cast, the scores
# against the oracle's own predictions (denai-predict, row by row), restart
# idempotency (the same seal, saved scores reused), a model over the size
# limit, usage; and the man page's example.
. "${0%/*}/../lib.sh"
command -v denai-validate >/dev/null || skip_all "denai-validate not built"
cd "$TOP" || exit 1
D=tests/cmd/denai-validate
V=0x4444444444444444444444444444444444444444
SALT=0x0000000000000000000000000000000000000000000000000000000000000001
MIN=-57896044618658097711785492504343953926634992332820282019728792003956564819968

# Usage.
denai-validate --help >"$T/help"; is "$?" 0 "--help exits 0"
ok "--help prints the synopsis" grep -q '^usage: denai-validate' "$T/help"
denai-validate </dev/null 2>/dev/null; is "$?" 64 "no --state: 64"
denai-validate --state "$T/s" --bogus </dev/null 2>/dev/null
is "$?" 64 "unknown option: 64"
denai-validate --state "$T/s" --limits 9 </dev/null 2>/dev/null
is "$?" 64 "unknown limits version: 64"
denai-validate --state "$T/s" --validator 0x12 </dev/null 2>/dev/null
is "$?" 64 "bad --validator: 64"

# The stage: golden output, exit 0 though records fail, nothing on stderr.
denai-validate --state "$T/s" --validator $V --salt $SALT \
    <"$D/input.ndjson" >"$T/out" 2>"$T/err"
is "$?" 0 "the stage exits 0"
ok "golden NDJSON" cmp -s "$T/out" "$D/expected.ndjson"
cmp -s "$T/out" "$D/expected.ndjson" ||
    diff "$D/expected.ndjson" "$T/out" | sed 's/^/# /'
is "$(wc -c <"$T/err")" 0 "nothing on stderr"
ok "state: one folder per task" test -f "$T/s/task-1/seal.json" \
    -a -f "$T/s/task-1/test.json" \
    -a -f "$T/s/task-1/score-0x1111111111111111111111111111111111111111.json"

# Again on the same state, without --salt: the same seal (the saved one).
denai-validate --state "$T/s" --validator $V <"$D/input.ndjson" >"$T/out2"
ok "a restart emits the same records, seals included" cmp -s "$T/out" "$T/out2"

# kill -9 mid-stream, once the first seal is out: run again over the whole
# input on the same state, the stage gives that task the same seal (the
# salt was saved before the seal went out), so it never commits twice.
mkfifo "$T/fifo"
denai-validate --state "$T/k" --validator $V <"$T/fifo" >"$T/k.out" 2>/dev/null &
kpid=$!
exec 7>"$T/fifo"
head -n 8 "$D/input.ndjson" >&7
sealed() { grep -q '"action":"score_commit","task_id":"1"' "$T/k.out"; }
i=0; while ! sealed && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
kill -9 $kpid 2>/dev/null; wait $kpid 2>/dev/null
exec 7>&-
seal_of() { grep -m1 '"action":"score_commit","task_id":"1"' "$1" |
    sed 's/.*"seal":"\([^"]*\)".*/\1/'; }
ok "killed with -9 after its first seal" sealed
k1=$(seal_of "$T/k.out")
is "${#k1}" 66 "that seal is 32 bytes of hex"
denai-validate --state "$T/k" --validator $V <"$D/input.ndjson" >"$T/k.out2"
is "$(seal_of "$T/k.out2")" "$(seal_of "$T/k.out")" \
    "after kill -9 and a restart: the same seal for task 1"
denai-validate --state "$T/k" --validator $V <"$D/input.ndjson" >"$T/k.out3"
ok "and the restarted state is stable" cmp -s "$T/k.out2" "$T/k.out3"

# A fresh state without --salt: a fresh salt, and a seal over it.
denai-validate --state "$T/s2" --validator $V <"$D/input.ndjson" >"$T/out3"
s1=$(grep -m1 '"action":"score_commit","task_id":"1"' "$T/out3" |
    sed 's/.*"salt":"\([^"]*\)".*/\1/')
ok "a fresh salt" test "$s1" != "$SALT" -a ${#s1} -eq 66
s2=$(grep -m1 '"action":"score_reveal","task_id":"1"' "$T/out3" |
    sed 's/.*"salt":"\([^"]*\)".*/\1/')
is "$s2" "$s1" "the reveal gives the committed salt"

# The seal is keccak256(abi.encode(...)) as the contract computes it.
if [ -n "$CAST" ]; then
	want=$("$CAST" keccak "$("$CAST" abi-encode \
	    'f(uint256,address,bool,address[],int256[],bytes32)' 4 $V false \
	    '[0x1111111111111111111111111111111111111111]' "[$MIN]" $SALT)")
	got=$(grep '"action":"score_commit","task_id":"4"' "$T/out" |
	    sed 's/.*"seal":"\([^"]*\)".*/\1/')
	is "$got" "$want" "seal of task 4 (test set invalid) equals cast's"
	line=$(grep '"action":"score_commit","task_id":"1"' "$T/out")
	tr=$(printf '%s' "$line" | sed 's/.*"trainers":\(\[[^]]*\]\).*/\1/' | tr -d '"')
	sc=$(printf '%s' "$line" | sed 's/.*"scores":\(\[[^]]*\]\).*/\1/' | tr -d '"')
	want=$("$CAST" keccak "$("$CAST" abi-encode \
	    'f(uint256,address,bool,address[],int256[],bytes32)' 1 $V true \
	    "$tr" "$sc" $SALT)")
	got=$(printf '%s' "$line" | sed 's/.*"seal":"\([^"]*\)".*/\1/')
	is "$got" "$want" "seal of task 1 (7 trainers) equals cast's"
else
	skip "no cast"; skip "no cast"
fi

# The scores are what the oracle's predictions earn, row by row.
if command -v denai-predict >/dev/null && [ -x /usr/bin/python3 ]; then
	score() { grep "\"task_id\":\"$1\",\"trainer\":\"$2\"" "$T/out" |
	    sed 's/.*"score":"\([^"]*\)".*/\1/'; }
	is "$(score 1 0x1111111111111111111111111111111111111111)" \
	    "$(/usr/bin/python3 $D/oracle_score.py $D/bc_test.csv diagnosis 0 0 examples/models/breast_cancer.onnx)" \
	    "forest: the oracle's score"
	is "$(score 1 0x2222222222222222222222222222222222222222)" \
	    "$(/usr/bin/python3 $D/oracle_score.py $D/bc_test.csv diagnosis 0 0 examples/models/mlp_breast_cancer.onnx)" \
	    "MLP: the oracle's score"
	is "$(score 2 0x1111111111111111111111111111111111111111)" \
	    "$(/usr/bin/python3 $D/oracle_score.py $D/db_test.csv progression 1 0 examples/models/diabetes.onnx)" \
	    "regression, 0 decimals: the oracle's score"
	is "$(score 3 0x1111111111111111111111111111111111111111)" \
	    "$(/usr/bin/python3 $D/oracle_score.py $D/db_test.csv progression 1 2 examples/models/diabetes.onnx)" \
	    "regression, 2 decimals: the oracle's score"
else
	for i in 1 2 3 4; do skip "no denai-predict or python3"; done
fi

# Threads do not change a score.
denai-validate --state "$T/s4" --validator $V --salt $SALT --jobs 3 \
    <"$D/input.ndjson" >"$T/out4"
ok "--jobs 3 gives the same records" cmp -s "$T/out" "$T/out4"

# A model over 16 MiB is refused unread.
truncate -s 17M "$T/big.onnx"
printf '{"type":"submission","task_id":"20","trainer":"0x1111111111111111111111111111111111111111","kind":0,"label_column":"diagnosis","model_path":"%s","test_path":"%s"}\n' \
    "$T/big.onnx" "$D/bc_test.csv" | denai-validate --state "$T/s" >"$T/big"
ok "a 17 MiB model breaks a limit" grep -q \
    "\"score\":\"$MIN\",\"rows\":0,\"test_valid\":true,\"invalid\":\"breaks a limit: the model file is 17825792 bytes, over 16777216\"" "$T/big"

# A score commit without a validator address is an error record.
printf '{"type":"task","action":"score_commit","task_id":"1"}\n' |
    env -u DENAI_PRIVATE_KEY -u ETH_KEYSTORE -u ETH_FROM -u DENAI_VALIDATOR \
    denai-validate --state "$T/s5" >"$T/nov"
ok "score commit without an address: error record" grep -q \
    '"error":"a score commit needs the validator'"'"'s address' "$T/nov"

# The man page's example gives what the page says.
if command -v jq >/dev/null; then
	got=$(echo '{"type":"submission","task_id":"1",
	  "trainer":"0x1111111111111111111111111111111111111111","kind":0,
	  "label_column":"diagnosis","decimals":0,
	  "model_path":"examples/models/breast_cancer.onnx",
	  "test_path":"tests/cmd/denai-validate/bc_test.csv"}' | tr -d '\n' |
	  denai-validate --state "$T/man" | jq -c '[.score, .rows, .test_valid]')
	is "$got" '["199",200,true]' "the man page's example"
	ok "  which the page shows" grep -qF '["199",200,true]' man/denai-validate.1
else
	skip "no jq"; skip "no jq"
fi
done_testing
