#!/bin/sh
# denai-key.t - golden behaviour of denai-key: addresses and signatures of
# known keys (the man page's examples), keystores made, imported and read
# back, and every failure's exit status and one-line message.
. "${0%/*}/../lib.sh"

unset DENAI_PRIVATE_KEY ETH_KEYSTORE ETH_PASSWORD ETH_FROM
command -v denai-key >/dev/null || skip_all "no denai-key in $DENAI_BIN"

ANVIL0=0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80
ONE=0x0000000000000000000000000000000000000000000000000000000000000001


run denai-key --help
is "$rc" 0 "--help exits 0"
ok "--help prints the synopsis" grep -q '^usage: denai-key new' "$T/out"
run denai-key
is "$rc" 64 "no command: usage, 64"
run denai-key frobnicate
is "$rc:$(head -1 "$T/err")" "64:denai-key: unknown command 'frobnicate'" \
    "unknown command"
run denai-key address --bogus
is "$rc" 64 "unknown option: 64"

# Known keys (EIP-55 addresses published by ethers and anvil's docs).
DENAI_PRIVATE_KEY=$ONE run denai-key address
is "$rc:$out" "0:0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf" "address of key 1"
DENAI_PRIVATE_KEY=${ANVIL0#0x} run denai-key address
is "$out" "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266" "address without 0x"

# The man page's examples, run as written.
export DENAI_PRIVATE_KEY=$ANVIL0
man=$TOP/man/denai-key.1
want_addr=$(sed -n '/^\$ denai-key address$/{n;p;}' "$man")
want_sig=$(sed -n '/^\$ denai-key sign hello$/{n;p;}' "$man")
run denai-key address
is "$out" "$want_addr" "man page: denai-key address"
run denai-key sign hello
is "$out" "$want_sig" "man page: denai-key sign hello"
out=$(printf hello | denai-key sign -)
is "$out" "$want_sig" "sign - reads the message from stdin"
run denai-key sign 0x68656c6c6f
is "$out" "$want_sig" "a 0x message is hex (as cast reads it)"
run denai-key sign --hash 0x1234
is "$rc:$err" "65:denai-key: --hash: expected a 32-byte hash (0x and 64 hex digits), got 2 bytes" \
    "--hash needs 32 bytes"
run denai-key sign 0xabc
is "$rc:$err" "65:denai-key: message: hex string has an odd number of digits (3)" \
    "odd hex message"
run denai-key sign --hash
is "$rc" 64 "sign without a message: 64"
run denai-key address --hash
is "$rc:$err" "64:denai-key: --hash is an option of sign only" "--hash elsewhere"
unset DENAI_PRIVATE_KEY

# Bad keys.
run denai-key address
is "$rc:$err" "64:denai-key: no signing key: set DENAI_PRIVATE_KEY, or ETH_KEYSTORE and ETH_PASSWORD" \
    "no key configured"
DENAI_PRIVATE_KEY=0xzz${ANVIL0#0xac} run denai-key address
is "$rc:$err" "65:denai-key: DENAI_PRIVATE_KEY: bad hex digit 'z' at position 2" "bad hex key"
DENAI_PRIVATE_KEY=0x1234 run denai-key address
is "$rc:$err" "65:denai-key: DENAI_PRIVATE_KEY: expected 64 hex digits, got 6 characters" \
    "short key"
DENAI_PRIVATE_KEY=0x0000000000000000000000000000000000000000000000000000000000000000 \
    run denai-key address
is "$rc:$err" "65:denai-key: DENAI_PRIVATE_KEY: invalid private key: zero or not below the curve order" \
    "zero key"
DENAI_PRIVATE_KEY=$ONE ETH_FROM=0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266 \
    run denai-key address
is "$rc:$err" "64:denai-key: ETH_FROM 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266 is not the address of the signing key (0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf)" \
    "ETH_FROM must match the key"

# Keystores: new, read back, wrong password, import, choosing in a dir.
mkdir "$T/ks" "$T/ks2"
printf 'hunter2\n' >"$T/pw"
printf 'hunter3\n' >"$T/badpw"
run denai-key new --scrypt-n 16
is "$rc:$err" "64:denai-key: no keystore directory: use --keystore DIR or set ETH_KEYSTORE to a directory" \
    "new needs a directory"
run denai-key new --keystore "$T/ks" --scrypt-n 16
is "$rc:$err" "64:denai-key: no password: set ETH_PASSWORD to a file holding it" \
    "new needs a password"
run denai-key new --keystore "$T/ks" --scrypt-n 3
is "$rc:$err" "64:denai-key: --scrypt-n: expected a power of 2 from 2 to 1048576, got 3" \
    "scrypt n must be a power of 2"
export ETH_PASSWORD="$T/pw"
run denai-key new --keystore "$T/ks" --scrypt-n 16
is "$rc" 0 "new exits 0"
addr=$out
case $addr in 0x????????????????????????????????????????) r=yes ;; *) r=no ;; esac
is "$r" yes "new prints an address"
set -- "$T"/ks/UTC--*
is "$#" 1 "one keystore file written"
f=$1
lower=$(printf '%s' "${addr#0x}" | tr 'A-F' 'a-f')
case $f in *--"$lower") r=yes ;; *) r=no ;; esac
is "$r" yes "file named UTC--<time>--<address>"
is "$(stat -c %a "$f")" 600 "keystore mode 0600"
ETH_KEYSTORE=$f run denai-key address
is "$rc:$out" "0:$addr" "address from the keystore file"
cp "$f" "$T/ks/.hidden"
cp "$f" "$T/ks/backup~"
mkdir "$T/ks/sub"
ETH_KEYSTORE=$T/ks run denai-key address
is "$rc:$out" "0:$addr" "address from a directory of one (dot files, backups, dirs skipped)"
rm -r "$T/ks/.hidden" "$T/ks/backup~" "$T/ks/sub"
ETH_KEYSTORE=$f ETH_PASSWORD=$T/badpw run denai-key address
is "$rc:$err" "77:denai-key: $f: wrong password or corrupt keystore (MAC mismatch)" \
    "wrong password: 77, one clear line"
ETH_KEYSTORE=$f ETH_PASSWORD=$T/nope run denai-key address
is "$rc:$err" "74:denai-key: ETH_PASSWORD: cannot read the file it names (No such file or directory); it must name a file holding the password, not hold the password" \
    "missing password file"
ETH_KEYSTORE=$f ETH_PASSWORD="correct horse battery staple" run denai-key address
is "$rc" 74 "a password put straight into ETH_PASSWORD: 74"
is "$(printf '%s' "$err" | grep -c 'horse')" 0 "and its value is never printed"
# A keystore directory that does not exist yet is made, private (0700),
# parents too (the man page's ~/.denai/keystore).
ETH_PASSWORD=$T/pw run denai-key new --keystore "$T/home/.denai/keystore" --scrypt-n 16
is "$rc" 0 "new --keystore DIR that does not exist: 0"
is "$(stat -c %a "$T/home/.denai/keystore")" 700 "DIR is made 0700"
is "$(stat -c %a "$T/home/.denai")" 700 "its missing parent too"
is "$(ls "$T/home/.denai/keystore" | wc -l | tr -d ' ')" 1 "one keystore file in it"
ETH_KEYSTORE=$T/nope run denai-key address
is "$rc:$err" "74:denai-key: keystore $T/nope: No such file or directory" \
    "missing keystore"
printf 'garbage' >"$T/garbage.json"
ETH_KEYSTORE=$T/garbage.json run denai-key address
is "$rc:$err" "65:denai-key: $T/garbage.json: keystore: not JSON: '[' or '{' expected near 'garbage' at line 1" \
    "garbage keystore"

printf '%s\n' "$ANVIL0" | denai-key import --keystore "$T/ks" --scrypt-n 16 \
    >"$T/out" 2>"$T/err"
is "$?:$(cat "$T/out")" "0:0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266" \
    "import reads the key from stdin"
ETH_KEYSTORE=$T/ks run denai-key address
is "$rc:$err" "64:denai-key: 2 keystores in $T/ks: set ETH_FROM to the address of the one to use" \
    "two keystores need ETH_FROM"
ETH_KEYSTORE=$T/ks ETH_FROM=0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266 \
    run denai-key sign hello
is "$rc:$out" "0:$want_sig" "ETH_FROM picks the imported key; it signs"
ETH_KEYSTORE=$T/ks ETH_FROM=0x70997970C51812dc3A010C7d01b50e0d17dc79C8 \
    run denai-key address
is "$rc:$err" "64:denai-key: no keystore for 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 in $T/ks" \
    "ETH_FROM with no keystore"
printf 'zz%062d\n' 0 |
    denai-key import --keystore "$T/ks2" --scrypt-n 16 \
    >"$T/out" 2>"$T/err"
is "$?:$(cat "$T/err")" "65:denai-key: private key on stdin: bad hex digit 'z' at position 0" \
    "import refuses a bad key"
denai-key import --keystore "$T/ks2" --scrypt-n 16 </dev/null >"$T/out" 2>"$T/err"
is "$?:$(cat "$T/err")" "65:denai-key: no private key on stdin" "import needs a key"
set -- "$T"/ks2/*
is "$1" "$T/ks2/*" "nothing written on failure"

done_testing
