#!/bin/sh
# denai-ipfs: add/cid/get round trips, the CIDs `ipfs add` gives (golden,
# and checked against ipfs-only-hash when node is there), settings (flag,
# DENAI_IPFS_DIR, XDG_DATA_HOME), failures and usage, the man page examples.
. "${0%/*}/../lib.sh"
command -v denai-ipfs >/dev/null || skip_all "denai-ipfs not built"
G=$TOP/tests/ipfs/golden
unset DENAI_IPFS_GATEWAY DENAI_IPFS_DIR

denai-ipfs --help >"$T/help"; is "$?" 0 "--help exits 0"
ok "--help prints the synopsis" grep -q '^usage: denai-ipfs add' "$T/help"
denai-ipfs 2>/dev/null; is "$?" 64 "no command: exit 64"
denai-ipfs put x 2>"$T/err"; is "$?" 64 "unknown command: exit 64"
ok "  names it" grep -q "unknown command 'put'" "$T/err"
denai-ipfs cid 2>/dev/null; is "$?" 64 "no file: exit 64"
denai-ipfs cid a b 2>/dev/null; is "$?" 64 "two files: exit 64"
denai-ipfs cid --cid-version 2 - </dev/null 2>/dev/null; is "$?" 64 "--cid-version 2: exit 64"
denai-ipfs cid --chunker rabin - </dev/null 2>/dev/null; is "$?" 64 "--chunker rabin: exit 64"
denai-ipfs cid --chunker size-0 - </dev/null 2>/dev/null; is "$?" 64 "--chunker size-0: exit 64"
denai-ipfs cid "$T/none" 2>/dev/null; is "$?" 66 "missing file: exit 66"

# Fixed inputs and the CIDs of each way of adding them (golden).
printf '' >"$T/empty"
printf 'hello world\n' >"$T/hello"
printf '[1, 2.5, -3]\n' >"$T/point.json"
awk 'BEGIN { for (i = 0; i < 70000; i++) printf "%08d\n", i }' >"$T/big"	# 630000 bytes: 3 chunks
: >"$T/out"
for f in empty hello point.json big; do
	for mode in "" "--cid-version 0" "--cid-version 1 --no-raw-leaves" "--cid-version 0 --raw-leaves"; do
		# shellcheck disable=SC2086
		printf '%s %s: %s\n' "$f" "${mode:-default}" "$(denai-ipfs cid $mode "$T/$f")" >>"$T/out"
	done
done
if cmp -s "$T/out" "$G/ipfs-cid.txt"; then ok "cids are the golden ones" true
else ok "cids are the golden ones" false; diff "$G/ipfs-cid.txt" "$T/out" | sed 's/^/# /'; fi
ok "hello world is the IPFS docs' QmT78zSu..." \
    grep -q '^hello --cid-version 0: QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o$' "$T/out"
if command -v node >/dev/null && [ -d "$TOP/tools/node_modules/ipfs-only-hash" ]; then
	R="$TOP/tests/ipfs/only-hash.js"
	F="$T/empty $T/hello $T/point.json $T/big"
	# shellcheck disable=SC2086
	{ node "$R" --cid-version 1 --raw-leaves $F >"$T/r1" &&
	  node "$R" $F >"$T/r2" &&
	  node "$R" --cid-version 1 $F >"$T/r3" &&
	  node "$R" --raw-leaves $F >"$T/r4"; } || ok "reference ran" false
	i=1
	for f in empty hello point.json big; do
		printf '%s default: %s\n' "$f" "$(sed -n ${i}p "$T/r1")"
		printf '%s --cid-version 0: %s\n' "$f" "$(sed -n ${i}p "$T/r2")"
		printf '%s --cid-version 1 --no-raw-leaves: %s\n' "$f" "$(sed -n ${i}p "$T/r3")"
		printf '%s --cid-version 0 --raw-leaves: %s\n' "$f" "$(sed -n ${i}p "$T/r4")"
		i=$((i + 1))
	done >"$T/ref"
	ok "golden cids are ipfs-only-hash's" cmp -s "$G/ipfs-cid.txt" "$T/ref"
else
	skip "no node/ipfs-only-hash"
fi

# add stores; get gives the bytes back; --dir, DENAI_IPFS_DIR, XDG_DATA_HOME.
c=$(denai-ipfs add --dir "$T/s1" "$T/big"); is "$?" 0 "add exits 0"
is "$c" "$(denai-ipfs cid "$T/big")" "add prints the same cid as cid"
is "$(find "$T/s1/blocks" -type f | wc -l | tr -d ' ')" 4 "3 leaves and a root stored"
denai-ipfs get --dir "$T/s1" "$c" >"$T/got"; is "$?" 0 "get exits 0"
ok "get gives the bytes back" cmp -s "$T/big" "$T/got"
denai-ipfs get --dir "$T/s1" -o "$T/got2" "$c"
ok "get -o writes the file" cmp -s "$T/big" "$T/got2"
c0=$(denai-ipfs add --dir "$T/s1" --cid-version 0 - <"$T/big")
denai-ipfs get --dir "$T/s1" "$c0" | cmp -s - "$T/big"; is "$?" 0 "cidv0 from stdin round trip"
DENAI_IPFS_DIR=$T/s2 denai-ipfs add "$T/hello" >/dev/null
ok "DENAI_IPFS_DIR is used" test -d "$T/s2/blocks"
DENAI_IPFS_DIR=$T/s2 denai-ipfs add --dir "$T/s3" "$T/hello" >/dev/null
ok "--dir overrides DENAI_IPFS_DIR" test -d "$T/s3/blocks"
XDG_DATA_HOME=$T/xdg denai-ipfs add "$T/hello" >/dev/null
ok "default: \$XDG_DATA_HOME/denai/ipfs" test -d "$T/xdg/denai/ipfs/blocks"
HOME=$T/home XDG_DATA_HOME= denai-ipfs add "$T/hello" >/dev/null
ok "else ~/.local/share/denai/ipfs" test -d "$T/home/.local/share/denai/ipfs/blocks"

# Failures.
absent=$(printf 'nope' | denai-ipfs cid -)
denai-ipfs get --dir "$T/s1" "$absent" 2>"$T/err"; is "$?" 69 "absent cid, no gateway: exit 69"
is "$(cat "$T/err")" "denai-ipfs: $absent: not in the local store, and no gateway is set" "  message"
denai-ipfs get --dir "$T/s1" -o "$T/never" "$absent" 2>/dev/null
ok "  -o leaves no file" test ! -e "$T/never"
denai-ipfs get --dir "$T/s1" bafyreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku 2>"$T/err"
is "$?" 65 "dag-cbor cid: exit 65"
ok "  names dag-cbor" grep -q "dag-cbor (0x71) is not supported" "$T/err"
denai-ipfs get --dir "$T/s1" Qmnope 2>/dev/null; is "$?" 65 "bad cid: exit 65"
denai-ipfs get --dir "$T/s1" --max-size 1000 "$c" >/dev/null 2>"$T/err"
is "$?" 71 "over --max-size: exit 71"
ok "  says so" grep -q "file of 630000 bytes is over the cap of 1000 bytes" "$T/err"

# The man page's examples.
export DENAI_IPFS_DIR=$T/man
cd "$T" || exit 1
echo '[5.1, 3.5, 1.4, 0.2]' >point.json
cid=$(denai-ipfs add point.json)
is "$(denai-ipfs get "$cid")" "[5.1, 3.5, 1.4, 0.2]" "man: add then get"
is "$(denai-ipfs cid --cid-version 0 point.json)" "$(denai-ipfs add --cid-version 0 point.json)" \
    "man: cid computes what add stores"
done_testing
