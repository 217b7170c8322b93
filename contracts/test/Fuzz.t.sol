// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Base} from "./utils/Base.sol";
import {DenAI} from "../src/DenAI.sol";
import {IDenAI} from "../src/IDenAI.sol";

/// Fuzz tests: random quorum sizes, predictions, tips, nonces, CIDs.
contract FuzzTest is Base {
	function setUp() public {
		deploy(5, 1, 100, 0);
	}

	/// Any quorum 1..16, any predictions (from a few values, so that votes
	/// collide, or any uint256), any tip: the winner is the most frequent
	/// value, ties to the value seen first; only its miners are paid, the
	/// whole tip, REWARD each.
	function testFuzz_vote_and_payout(uint256 q, uint256 seed, uint88 tip, bool wide) public {
		q = bound(q, 1, 16);
		deploy(q, 1, 100, 0);
		vm.deal(user, uint256(tip));
		vm.prank(user);
		uint256 id = oracle.requestPrediction{value: tip}(modelId, CID, 0);
		uint256[] memory vals = new uint256[](q);
		for (uint256 i = 0; i < q; i++) {
			uint256 r = uint256(keccak256(abi.encode(seed, i)));
			vals[i] = wide ? r : r % 3;
			submit(id, miner(i), vals[i]);
		}
		// The expected winner, computed independently.
		uint256 best = 0;
		uint256 bestCount = 0;
		for (uint256 i = 0; i < q; i++) {
			bool seenBefore = false;
			for (uint256 k = 0; k < i; k++)
				if (vals[k] == vals[i])
					seenBefore = true;
			if (seenBefore)
				continue;
			uint256 c = 0;
			for (uint256 k = 0; k < q; k++)
				if (vals[k] == vals[i])
					c++;
			if (c > bestCount) {
				best = vals[i];
				bestCount = c;
			}
		}
		(uint256 p, bool ok) = predictionOf(id);
		assertEq(statusOf(id), 2, "fulfilled at quorum");
		assertEq(p, best, "winner");
		assertTrue(ok, "ok");
		uint256 paid = 0;
		for (uint256 i = 0; i < q; i++) {
			(uint256 a, uint256 rw) = oracle.owed(miner(i));
			paid += a;
			if (vals[i] == best) {
				assertEq(rw, 1e18, "winner rewarded");
				assertGe(a, uint256(tip) / bestCount, "winner's share");
			} else {
				assertEq(a + rw, 0, "loser unpaid");
			}
		}
		assertEq(paid, tip, "the whole tip, no more");
		assertEq(address(oracle).balance, tip, "held until withdrawn");
	}

	/// The proof-of-work rule, at any difficulty and nonce.
	function testFuzz_pow_rule(uint256 d, uint256 nonce, uint256 who) public {
		d = bound(d, 1, 1 << 20);
		deploy(5, d, 100, 0);
		uint256 id = request();
		address m = address(uint160(bound(who, 1, type(uint160).max)));
		bool valid = powOk(challengeOf(id), m, nonce, d);
		if (!valid)
			vm.expectRevert(abi.encodeWithSelector(IDenAI.InvalidProof.selector, id, m, nonce));
		vm.prank(m);
		oracle.submitSolution(id, 1, nonce);
		assertEq(oracle.hasSubmitted(id, m), valid, "accepted iff hash < max/d");
	}

	/// Any well-formed base32 CIDv1 of any allowed length round-trips.
	function testFuzz_cid_roundtrip(uint256 seed, uint256 len) public {
		len = bound(len, 8, 64);
		bytes memory alpha = "abcdefghijklmnopqrstuvwxyz234567";
		bytes memory cid = new bytes(len);
		cid[0] = "b";
		for (uint256 i = 1; i < len; i++)
			cid[i] = alpha[uint256(keccak256(abi.encode(seed, i))) % 32];
		uint256 id = oracle.requestPrediction(modelId, string(cid), 0);
		assertEq(req(id).dataCid, string(cid), "round trip");
	}

	/// One wrong byte anywhere makes any CID invalid.
	function testFuzz_cid_bad_byte(uint256 pos, uint8 c) public {
		bytes memory cid = bytes(CID);
		pos = bound(pos, 1, cid.length - 1);
		bytes memory alpha = "abcdefghijklmnopqrstuvwxyz234567";
		bool inAlpha = false;
		for (uint256 i = 0; i < 32; i++)
			if (alpha[i] == bytes1(c))
				inAlpha = true;
		vm.assume(!inAlpha);
		cid[pos] = bytes1(c);
		vm.expectRevert();
		oracle.requestPrediction(modelId, string(cid), 0);
	}

	/// The retarget's promises: bounded steps, the right direction, never 0.
	function testFuzz_retarget(uint256 d, uint256 elapsed, uint256 target) public view {
		d = bound(d, 1, type(uint64).max);
		elapsed = bound(elapsed, 0, 1 << 40);
		target = bound(target, 1, type(uint32).max);
		uint256 nd = oracle.nextDifficulty(d, elapsed, target);
		assertGe(nd, 1, "never zero");
		assertLe(nd, type(uint64).max, "capped");
		assertLe(nd, d + d / 4 + 1, "+25% at most");
		assertGe(nd + d / 8 + 1, d, "-12.5% at most");
		uint256 t = elapsed == 0 ? 1 : elapsed;
		if (t < target)
			assertGe(nd, d, "too fast: not easier");
		if (t > target)
			assertLe(nd, d, "too slow: not harder");
	}

	/// Any tip is refunded in full after expiry.
	function testFuzz_cancel_refund(uint88 tip, uint256 wait) public {
		wait = bound(wait, 101, 1e6);
		vm.deal(user, tip);
		vm.prank(user);
		uint256 id = oracle.requestPrediction{value: tip}(modelId, CID, 0);
		submit(id, miner(0), 1);
		vm.roll(block.number + wait);
		uint256 before = user.balance;
		vm.prank(user);
		oracle.cancelRequest(id);
		assertEq(user.balance - before, tip, "refund");
		(uint256 a, uint256 r) = oracle.owed(miner(0));
		assertEq(a + r, 0, "no pay for an unfulfilled request");
	}
}
