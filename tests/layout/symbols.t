#!/bin/sh
# libdenai.a exports only denai_-prefixed names: a program linking it must
# never meet a clash on a short name (ml_free, tnode, ...). Names the
# compiler itself emits (__odr_asan.*, reserved: two underscores) are left
# out. The library checked is the one beside the programs under test
# ($DENAI_BIN/../libdenai.a), else build/rel's.
. "${0%/*}/../lib.sh"
command -v nm >/dev/null || skip_all "nm not installed"
A=$DENAI_BIN/../libdenai.a
[ -f "$A" ] || A=$TOP/build/rel/libdenai.a
[ -f "$A" ] || skip_all "libdenai.a not built"

nm -g --defined-only "$A" >"$T/nm" 2>/dev/null
is "$?" 0 "nm reads $(basename "$(dirname "$A")")/libdenai.a"
ok "it defines denai_ symbols" grep -q ' denai_' "$T/nm"
awk 'NF == 3 && $3 !~ /^denai_/ && $3 !~ /^__/ { print $3 }' "$T/nm" |
    sort -u >"$T/bad"
is "$(wc -l <"$T/bad" | tr -d ' ')" 0 "no global symbol without the denai_ prefix"
sed 's/^/# unprefixed: /' "$T/bad" | head -20
done_testing
