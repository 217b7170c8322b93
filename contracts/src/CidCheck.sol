// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title CID syntax check and packing.
/// @notice Accepts the CIDs DenAI fetches: CIDv0 ("Qm" + 44 base58btc
/// characters, 46 in all) and CIDv1 in base32 lower case ("b" + [a-z2-7],
/// 8 to 64 characters). This is a syntax check only; the node verifies the
/// content against the CID's hash. A CID fits in two bytes32 words, zero
/// padded; no CID character is NUL, so the length is where the zeros start.
library CidCheck {
	error InvalidCid();

	uint256 internal constant MAX_LEN = 64;
	uint256 internal constant MIN_V1_LEN = 8;
	// Bit c is set when byte c may appear.
	uint256 private constant B58 =
	    0x0000000000000000000000000000000007ffeffe07ff7dfe03fe000000000000;
	uint256 private constant B32 =
	    0x0000000000000000000000000000000007fffffe0000000000fc000000000000;

	/// Checks cid and returns it packed in two words; reverts InvalidCid.
	function pack(string calldata cid) internal pure returns (bytes32 w0, bytes32 w1) {
		uint256 len = bytes(cid).length;
		uint256 set;
		uint256 start;
		if (len == 46 && bytes(cid)[0] == "Q" && bytes(cid)[1] == "m") {
			set = B58;
			start = 2;
		} else if (len >= MIN_V1_LEN && len <= MAX_LEN && bytes(cid)[0] == "b") {
			set = B32;
			start = 1;
		} else {
			revert InvalidCid();
		}
		uint256 bad;
		assembly ("memory-safe") {
			let p := cid.offset
			for { let i := start } lt(i, len) { i := add(i, 1) } {
				let c := byte(0, calldataload(add(p, i)))
				bad := or(bad, iszero(and(shr(c, set), 1)))
			}
			w0 := calldataload(p)
			w1 := calldataload(add(p, 32))
			// Keep the string's own bytes only (the ABI padding is the
			// caller's to fill).
			switch lt(len, 32)
			case 1 {
				w0 := and(w0, not(sub(shl(sub(256, mul(len, 8)), 1), 1)))
				w1 := 0
			}
			default {
				w1 := and(w1, not(sub(shl(sub(256, mul(sub(len, 32), 8)), 1), 1)))
			}
		}
		if (bad != 0)
			revert InvalidCid();
	}

	/// The string packed by pack().
	function unpack(bytes32 w0, bytes32 w1) internal pure returns (string memory cid) {
		bytes memory b = abi.encodePacked(w0, w1);
		uint256 len;
		while (len < 64 && b[len] != 0)
			len++;
		assembly ("memory-safe") {
			mstore(b, len)
		}
		cid = string(b);
	}
}
