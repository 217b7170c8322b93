// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title The CIDs of models revealed for tasks: CIDv1, raw codec (0x55),
/// sha2-256 (0x12, 32 bytes), base32 lower case with its "b" prefix. The
/// bytes 01 55 12 20 and the digest are 36 bytes, 58 base32 characters
/// (the last carries two zero bits of padding): "bafkrei" and 52 more.
library ModelCid {
	error InvalidModelCid();

	uint256 internal constant LEN = 59;

	/// The CID of a file whose sha256 is sha.
	function cidOf(bytes32 sha) internal pure returns (string memory cid) {
		bytes memory b = new bytes(LEN);
		bytes memory alphabet = "abcdefghijklmnopqrstuvwxyz234567";
		bytes7 prefix = "bafkrei";
		uint256 d = uint256(sha);
		assembly ("memory-safe") {
			mstore(add(b, 32), prefix)
		}
		// Character 7 + k carries digest bits 255 - (5k - 2) down: the
		// first has the header's two last (zero) bits on top.
		for (uint256 k = 0; k < 51; k++)
			b[7 + k] = alphabet[(d >> (253 - 5 * k)) & 31];
		b[58] = alphabet[(d & 7) << 2];
		cid = string(b);
	}

	/// The sha256 digest a "bafkrei..." CID names; reverts InvalidModelCid
	/// for anything else (other lengths, codecs, hashes, characters, or
	/// non-zero padding).
	function digest(string calldata cid) internal pure returns (bytes32) {
		if (bytes(cid).length != LEN || bytes7(bytes(cid)[0:7]) != "bafkrei")
			revert InvalidModelCid();
		uint256 acc;
		uint256 bad;
		uint256 last;
		assembly ("memory-safe") {
			let p := add(cid.offset, 7)
			for { let k := 0 } lt(k, 52) { k := add(k, 1) } {
				let c := byte(0, calldataload(add(p, k)))
				let v := 0
				switch and(gt(c, 96), lt(c, 123))
				case 1 { v := sub(c, 97) }
				default {
					switch and(gt(c, 49), lt(c, 56))
					case 1 { v := sub(c, 24) }
					default { bad := 1 }
				}
				switch lt(k, 51)
				case 1 { acc := or(shl(5, acc), v) }
				default { last := v }
			}
		}
		// acc holds 255 bits: the header's last two (zero) and the
		// digest's first 253; the last character the digest's last 3
		// and two zero bits of padding.
		if (bad != 0 || acc >> 253 != 0 || last & 3 != 0)
			revert InvalidModelCid();
		return bytes32(acc << 3 | last >> 2);
	}
}
