// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Base} from "./utils/Base.sol";
import {IDenAI} from "../src/IDenAI.sol";

/// Sealed requests (issue 17): miners commit seals with their proof of
/// work, then reveal; nobody can copy a value; a seal never revealed earns
/// nothing and cannot stall the request.
contract SealedTest is Base {
	function setUp() public {
		deploy(5, 1, 100, 0);
	}

	function sealedRequest() internal returns (uint256 id) {
		vm.prank(user);
		id = oracle.requestSealedPrediction{value: 1 ether}(modelId, CID, 0);
	}

	function salt(address m) internal pure returns (bytes32) {
		return keccak256(abi.encode("salt", m));
	}

	function sealOf(uint256 id, address m, uint256 p) internal pure returns (bytes32) {
		return keccak256(abi.encode(id, m, p, salt(m)));
	}

	function commitAs(uint256 id, address m, bytes32 s) internal {
		uint256 n = mine(id, m, 0);
		vm.prank(m);
		oracle.commitSolution(id, s, n);
	}

	function reveal(uint256 id, address m, uint256 p) internal {
		vm.prank(m);
		oracle.revealSolution(id, p, salt(m));
	}

	function test_sealed_cycle_fulfils_on_the_last_reveal() public {
		uint256 id = sealedRequest();
		(bool s,,) = oracle.sealedInfo(id);
		assertTrue(s, "sealed");
		assertEq(statusOf(id), 1, "reported open");
		assertEq(oracle.openRequests(0, 10).length, 0, "openRequests lists plain requests only");
		uint256[5] memory ps = [uint256(7), 7, 7, 9, 7];
		for (uint256 i = 0; i < 5; i++)
			commitAs(id, miner(i), sealOf(id, miner(i), ps[i]));
		(, uint256 dl,) = oracle.sealedInfo(id);
		assertEq(dl, block.number + oracle.REVEAL_WINDOW(), "reveal window opened");
		for (uint256 i = 0; i < 5; i++)
			reveal(id, miner(i), ps[i]);
		(uint256 p, bool ok) = predictionOf(id);
		assertEq(statusOf(id), 2, "fulfilled");
		assertEq(p, 7, "the majority");
		assertTrue(ok, "no callback due");
		(uint256 a, uint256 r) = oracle.owed(miner(0));
		assertEq(a, 0.25 ether, "a quarter of the tip to each of the four");
		assertEq(r, 1e18, "and the reward");
		(a, r) = oracle.owed(miner(3));
		assertEq(a + r, 0, "the dissenter: nothing");
	}

	function test_plain_and_sealed_calls_do_not_mix() public {
		uint256 id = sealedRequest();
		uint256 n = mine(id, miner(0), 0);
		vm.expectRevert(abi.encodeWithSelector(IDenAI.RequestNotOpen.selector, id));
		vm.prank(miner(0));
		oracle.submitSolution(id, 7, n);
		uint256 plain = request();
		n = mine(plain, miner(0), 0);
		vm.expectRevert(abi.encodeWithSelector(IDenAI.NotSealed.selector, plain));
		vm.prank(miner(0));
		oracle.commitSolution(plain, keccak256("s"), n);
	}

	function test_reveal_refusals() public {
		uint256 id = sealedRequest();
		for (uint256 i = 0; i < 4; i++)
			commitAs(id, miner(i), sealOf(id, miner(i), 7));
		vm.expectRevert(abi.encodeWithSelector(IDenAI.NotRevealPhase.selector, id));
		reveal(id, miner(0), 7);			// before the quorum of seals
		commitAs(id, miner(4), sealOf(id, miner(4), 7));
		vm.expectRevert(abi.encodeWithSelector(IDenAI.WrongSeal.selector, id, miner(0)));
		reveal(id, miner(0), 8);			// not what it sealed
		vm.expectRevert(abi.encodeWithSelector(IDenAI.WrongSeal.selector, id, miner(0)));
		vm.prank(miner(0));
		oracle.revealSolution(id, 7, keccak256("other salt"));
		vm.expectRevert(abi.encodeWithSelector(IDenAI.NotCommitted.selector, id, miner(9)));
		reveal(id, miner(9), 7);
		reveal(id, miner(0), 7);
		vm.expectRevert(abi.encodeWithSelector(IDenAI.AlreadySubmitted.selector, id, miner(0)));
		reveal(id, miner(0), 7);			// second
		uint256 n = mine(id, miner(9), 0);
		vm.expectRevert();				// seals closed
		vm.prank(miner(9));
		oracle.commitSolution(id, keccak256("late"), n);
		vm.roll(block.number + oracle.REVEAL_WINDOW() + 1);
		vm.expectRevert(abi.encodeWithSelector(IDenAI.NotRevealPhase.selector, id));
		reveal(id, miner(1), 7);			// late
	}

	function test_copier_of_a_seal_gets_nothing() public {
		uint256 id = sealedRequest();
		bytes32 s0 = sealOf(id, miner(0), 7);
		commitAs(id, miner(0), s0);
		commitAs(id, miner(5), s0);	// copies miner 0's seal
		for (uint256 i = 1; i < 4; i++)
			commitAs(id, miner(i), sealOf(id, miner(i), 7));
		for (uint256 i = 0; i < 4; i++)
			reveal(id, miner(i), 7);
		// The seal binds miner 0's address: the copier cannot open it.
		vm.expectRevert(abi.encodeWithSelector(IDenAI.WrongSeal.selector, id, miner(5)));
		vm.prank(miner(5));
		oracle.revealSolution(id, 7, salt(miner(0)));
		vm.expectRevert(abi.encodeWithSelector(IDenAI.NotRevealPhase.selector, id));
		oracle.settleRequest(id);			// not before the window ends
		vm.roll(block.number + oracle.REVEAL_WINDOW() + 1);
		oracle.settleRequest(id);
		assertEq(statusOf(id), 2, "settled");
		(uint256 a, uint256 r) = oracle.owed(miner(5));
		assertEq(a + r, 0, "the copier: nothing");
		(a,) = oracle.owed(miner(1));
		assertEq(a, 0.25 ether, "the four revealers share the tip");
	}

	function test_copier_of_a_revealed_value_gets_nothing() public {
		uint256 id = sealedRequest();
		for (uint256 i = 0; i < 5; i++)
			commitAs(id, miner(i), sealOf(id, miner(i), 7));
		reveal(id, miner(0), 7);
		// miner 9 saw 7 revealed; it has no seal and cannot make one now.
		uint256 n = mine(id, miner(9), 0);
		vm.expectRevert(abi.encodeWithSelector(IDenAI.RequestNotOpen.selector, id));
		vm.prank(miner(9));
		oracle.submitSolution(id, 7, n);
		vm.expectRevert();
		vm.prank(miner(9));
		oracle.commitSolution(id, sealOf(id, miner(9), 7), n);
		vm.expectRevert(abi.encodeWithSelector(IDenAI.NotCommitted.selector, id, miner(9)));
		reveal(id, miner(9), 7);
		for (uint256 i = 1; i < 5; i++)
			reveal(id, miner(i), 7);
		(uint256 a, uint256 r) = oracle.owed(miner(9));
		assertEq(a + r, 0, "nothing");
	}

	function test_seal_never_revealed_earns_nothing_and_does_not_stall() public {
		uint256 id = sealedRequest();
		for (uint256 i = 0; i < 5; i++)
			commitAs(id, miner(i), sealOf(id, miner(i), 7));
		for (uint256 i = 0; i < 3; i++)
			reveal(id, miner(i), 7);
		vm.roll(block.number + oracle.REVEAL_WINDOW() + 1);
		vm.prank(address(0xF00));
		oracle.settleRequest(id);	// anyone
		(uint256 p,) = predictionOf(id);
		assertEq(p, 7, "settled on the reveals");
		for (uint256 i = 3; i < 5; i++) {
			(uint256 a, uint256 r) = oracle.owed(miner(i));
			assertEq(a + r, 0, "never revealed: nothing");
		}
		(uint256 a0,) = oracle.owed(miner(0));
		assertEq(a0, uint256(1 ether) / 3 + 1, "a third of the tip (+ the remainder to the first)");
	}

	function test_no_majority_stays_refundable() public {
		uint256 id = sealedRequest();
		uint256[5] memory ps = [uint256(1), 1, 2, 2, 3];
		for (uint256 i = 0; i < 5; i++)
			commitAs(id, miner(i), sealOf(id, miner(i), ps[i]));
		for (uint256 i = 0; i < 4; i++)
			reveal(id, miner(i), ps[i]);
		vm.roll(block.number + oracle.REVEAL_WINDOW() + 1);
		vm.expectRevert(abi.encodeWithSelector(IDenAI.NoMajority.selector, id));
		oracle.settleRequest(id);
		vm.roll(block.number + 100);
		uint256 before = user.balance;
		vm.prank(user);
		oracle.cancelRequest(id);
		assertEq(user.balance - before, 1 ether, "refunded");
		assertEq(statusOf(id), 3, "cancelled");
	}

	function test_sealed_lane_reused_by_a_plain_request() public {
		uint256 id = sealedRequest();
		for (uint256 i = 0; i < 5; i++)
			commitAs(id, miner(i), sealOf(id, miner(i), 4));
		for (uint256 i = 0; i < 5; i++)
			reveal(id, miner(i), 4);
		uint256 plain = request();
		for (uint256 i = 0; i < 5; i++)
			submit(plain, miner(i), 6);
		(uint256 p,) = predictionOf(plain);
		assertEq(p, 6, "a plain request in the freed lane");
		uint256 again = sealedRequest();
		(, uint256 dl, uint256 reveals) = oracle.sealedInfo(again);
		assertEq(dl + reveals, 0, "a fresh sealed request in a used lane starts clean");
	}

	function test_open_sealed_requests_lists_the_commit_phase() public {
		uint256 plain = request();
		uint256 id = sealedRequest();
		uint256[] memory ids = oracle.openSealedRequests(0, 10);
		assertEq(ids.length, 1, "one sealed request taking seals");
		assertEq(ids[0], id, "the sealed one");
		ids = oracle.openRequests(0, 10);
		assertEq(ids.length, 1, "openRequests: the plain one only");
		assertEq(ids[0], plain, "the plain one");
		for (uint256 i = 0; i < 4; i++)
			commitAs(id, miner(i), sealOf(id, miner(i), 7));
		assertEq(oracle.openSealedRequests(0, 10).length, 1, "still taking seals");
		commitAs(id, miner(4), sealOf(id, miner(4), 7));
		assertEq(oracle.openSealedRequests(0, 10).length, 0, "reveal phase: no more seals");
		sealedRequest();
		vm.roll(block.number + 101);
		assertEq(oracle.openSealedRequests(0, 10).length, 0, "expired: not listed");
		assertEq(oracle.openSealedRequests(5, 10).length, 0, "past the lanes: empty");
	}
}
