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

	/// Checks cid as pack() does and packs it in 322 bits, for storage
	/// that must stay small: `lo` (256 bits) and `hi` (66 bits).
	///   CIDv1: lo bit 255 is 0; the characters after the "b", 5 bits each
	///   (base32: a-z are 0-25, 2-7 are 26-31), first to last from lo bit
	///   254 down (51 of them), then from hi bit 59 down (12 more); hi
	///   bits 60-65 hold the length - 1.
	///   CIDv0: lo bit 255 is 1; the 44 characters after "Qm", 7 bits each
	///   (ASCII), 36 from lo bit 254 down, 8 from hi bit 55 down.
	function packCompact(string calldata cid) internal pure returns (uint256 lo, uint256 hi) {
		uint256 len = bytes(cid).length;
		uint256 bad;
		assembly ("memory-safe") {
			let p := cid.offset
			switch and(eq(len, 46), eq(shr(240, calldataload(p)), 0x516d))
			case 1 {
				for { let i := 2 } lt(i, 46) { i := add(i, 1) } {
					let c := byte(0, calldataload(add(p, i)))
					bad := or(bad, iszero(and(shr(c, B58), 1)))
					switch lt(i, 38)
					case 1 { lo := or(shl(7, lo), c) }
					default { hi := or(shl(7, hi), c) }
				}
				lo := or(shl(255, 1), shl(3, lo))
			}
			default {
				switch or(or(lt(len, MIN_V1_LEN), gt(len, MAX_LEN)),
				    iszero(eq(byte(0, calldataload(p)), 0x62)))
				case 1 { bad := 1 }
				default {
					for { let i := 1 } lt(i, len) { i := add(i, 1) } {
						let c := byte(0, calldataload(add(p, i)))
						let letter := lt(sub(c, 0x61), 26)
						bad := or(bad, iszero(or(letter, lt(sub(c, 0x32), 6))))
						let v := sub(c, add(0x18, mul(letter, 0x49)))
						switch lt(i, 52)
						case 1 { lo := or(shl(5, lo), v) }
						default { hi := or(shl(5, hi), v) }
					}
					switch lt(len, 52)
					case 1 { lo := shl(mul(5, sub(52, len)), lo) }
					default { hi := shl(mul(5, sub(64, len)), hi) }
					hi := or(hi, shl(60, sub(len, 1)))
				}
			}
		}
		if (bad != 0)
			revert InvalidCid();
	}

	/// The string packed by packCompact(); "" for two zero words.
	function unpackCompact(uint256 lo, uint256 hi) internal pure returns (string memory cid) {
		if (lo == 0 && hi == 0)
			return "";
		bytes memory b;
		if (lo >> 255 == 1) {
			b = new bytes(46);
			b[0] = "Q";
			b[1] = "m";
			for (uint256 k = 0; k < 36; k++)
				b[2 + k] = bytes1(uint8((lo >> (248 - 7 * k)) & 0x7f));
			for (uint256 k = 0; k < 8; k++)
				b[38 + k] = bytes1(uint8((hi >> (49 - 7 * k)) & 0x7f));
		} else {
			uint256 len = ((hi >> 60) & 63) + 1;
			b = new bytes(len);
			b[0] = "b";
			for (uint256 k = 0; k + 1 < len; k++) {
				uint256 v = k < 51 ? (lo >> (250 - 5 * k)) & 31 :
				    (hi >> (55 - 5 * (k - 51))) & 31;
				b[1 + k] = bytes1(uint8(v < 26 ? 0x61 + v : 0x18 + v));
			}
		}
		cid = string(b);
	}
}
