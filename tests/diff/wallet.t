#!/bin/sh
# wallet.t - denai-key against cast, run live, at the program level: the
# same address and signatures for random keys, and keystores made by one
# read by the other. (The 1,000-case library comparisons are the
# test_*_cast unit tests.) $DENAI_DIFF_KEYS sets the number of keys.
. "${0%/*}/../lib.sh"

unset DENAI_PRIVATE_KEY ETH_KEYSTORE ETH_PASSWORD ETH_FROM
[ -n "$CAST" ] || skip_all "no cast"
command -v denai-key >/dev/null || skip_all "no denai-key in $DENAI_BIN"
N=${DENAI_DIFF_KEYS:-25}

i=0 bad_addr=0 bad_sig=0 bad_hash=0
while [ $i -lt "$N" ]; do
	i=$((i + 1))
	key=0x$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
	msg="message $i $(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
	hash=0x$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
	want=$("$CAST" wallet address --private-key "$key" 2>/dev/null) || continue
	got=$(DENAI_PRIVATE_KEY=$key denai-key address)
	[ "$got" = "$want" ] || { bad_addr=$((bad_addr + 1)); diag "$key: $got, cast $want"; }
	want=$("$CAST" wallet sign --private-key "$key" "$msg")
	got=$(DENAI_PRIVATE_KEY=$key denai-key sign "$msg")
	[ "$got" = "$want" ] || { bad_sig=$((bad_sig + 1)); diag "$key '$msg': $got, cast $want"; }
	want=$("$CAST" wallet sign --private-key "$key" --no-hash "$hash")
	got=$(DENAI_PRIVATE_KEY=$key denai-key sign --hash "$hash")
	[ "$got" = "$want" ] || { bad_hash=$((bad_hash + 1)); diag "$key $hash: $got, cast $want"; }
done
is "$bad_addr" 0 "denai-key address = cast wallet address ($N random keys)"
is "$bad_sig" 0 "denai-key sign = cast wallet sign ($N messages)"
is "$bad_hash" 0 "denai-key sign --hash = cast wallet sign --no-hash ($N hashes)"

# denai-key's keystore, read by cast.
mkdir "$T/ks" "$T/cast"
printf 'correct horse\n' >"$T/pw"
addr=$(ETH_PASSWORD=$T/pw denai-key new --keystore "$T/ks" --scrypt-n 1024)
set -- "$T"/ks/UTC--*
name=${1##*/}
pk=$(CAST_UNSAFE_PASSWORD='correct horse' "$CAST" wallet decrypt-keystore \
    -k "$T/ks" "$name" | sed 's/.*: //')
is "$("$CAST" wallet address --private-key "$pk")" "$addr" \
    "cast decrypts denai-key new's keystore to its address"

# cast's keystore, read by denai-key.
CAST_PASSWORD='correct horse' "$CAST" wallet new "$T/cast" >"$T/new.out"
want=$(sed -n 's/^Address: *//p' "$T/new.out")
run_addr=$(ETH_KEYSTORE=$T/cast \
    ETH_PASSWORD=$T/pw denai-key address)
is "$run_addr" "$want" "denai-key reads cast wallet new's keystore"

done_testing
