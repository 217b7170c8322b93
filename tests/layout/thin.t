#!/bin/sh
# The programs are thin: no cmd/denai-*.c calls JSON-RPC (denai_rpc_*) or
# builds calldata by hand (denai_abi_calldata, denai_abi_sig_parse,
# denai_oracle_calldata); the contract protocol is lib/node/chain_*.c's.
# The programs not yet moved onto that layer are listed in PENDING (each
# is an open item of issue 12); one that no longer needs its place there
# fails the test until it is taken off, so the list only shrinks.
. "${0%/*}/../lib.sh"
PENDING=""
PAT='denai_rpc_[a-z_]*[[:space:]]*\(|denai_abi_calldata|denai_abi_sig_parse|denai_oracle_calldata'

for f in "$TOP"/cmd/denai-*.c; do
	p=$(basename "$f" .c)
	hits=$(grep -nE "$PAT" "$f" | head -3)
	case " $PENDING " in
	*" $p "*)
		ok "$p: still pending (remove it from PENDING once thin)" \
		    [ -n "$hits" ]
		;;
	*)
		is "$hits" "" "$p calls no denai_rpc_* and builds no calldata"
		;;
	esac
done
done_testing
