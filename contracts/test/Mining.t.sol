// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Base} from "./utils/Base.sol";
import {NoEthMiner} from "./utils/Mocks.sol";
import {DenAI} from "../src/DenAI.sol";
import {IDenAI} from "../src/IDenAI.sol";
import {DenAIToken} from "../src/DenAIToken.sol";

/// Proof of work, the quorum vote, payments, validators, the retarget.
contract MiningTest is Base {
	function setUp() public {
		deploy(5, 1, 100, 0);
	}

	/// Mines a real nonce in Solidity at difficulty 2^12 and checks the
	/// oracle agrees with the proof-of-work rule either way.
	function test_mine_real_nonce() public {
		DenAI d = new DenAI(3, 4096, 100, 0);
		d.registerModel(CID, MODEL_SHA, 0, "m");
		uint256 id = d.requestPrediction(1, CID, 0);
		oracle = d;
		bytes32 ch = challengeOf(id);
		address m = miner(1);
		uint256 target = type(uint256).max / 4096;
		uint256 n = 0;
		while (uint256(keccak256(abi.encodePacked(ch, m, n))) >= target)
			n++;
		emit log_named_uint("nonces tried", n + 1);
		// A nonce that fails: the one before, unless it also passes.
		if (n > 0) {
			vm.expectRevert(abi.encodeWithSelector(IDenAI.InvalidProof.selector, id, m, n - 1));
			vm.prank(m);
			d.submitSolution(id, 7, n - 1);
		}
		// The solution is bound to its miner: another sender with the same
		// nonce is judged on its own hash.
		address other = miner(2);
		bool otherOk = uint256(keccak256(abi.encodePacked(ch, other, n))) < target;
		if (!otherOk)
			vm.expectRevert(abi.encodeWithSelector(IDenAI.InvalidProof.selector, id, other, n));
		vm.prank(other);
		d.submitSolution(id, 7, n);
		vm.prank(m);
		d.submitSolution(id, 7, n);
		assertTrue(d.hasSubmitted(id, m), "accepted");
	}

	function test_double_submission_refused() public {
		uint256 id = request();
		submit(id, miner(0), 1);
		assertTrue(oracle.hasSubmitted(id, miner(0)), "has submitted");
		assertFalse(oracle.hasSubmitted(id, miner(1)), "other has not");
		uint256 n = mine(id, miner(0), 1000);
		vm.expectRevert(abi.encodeWithSelector(IDenAI.AlreadySubmitted.selector, id, miner(0)));
		vm.prank(miner(0));
		oracle.submitSolution(id, 2, n);
	}

	function test_unanimous_pays_all_and_stores() public {
		uint256 id = request();
		for (uint256 i = 0; i < 5; i++) {
			uint256 n = mine(id, miner(i), 0);
			vm.expectEmit(true, true, true, true, address(oracle));
			emit IDenAI.SolutionSubmitted(id, miner(i), 42);
			if (i == 4) {
				vm.expectEmit(true, true, true, true, address(oracle));
				emit IDenAI.PredictionFulfilled(id, 42, true);
			}
			vm.prank(miner(i));
			oracle.submitSolution(id, 42, n);
			assertEq(statusOf(id), i < 4 ? 1 : 2, "open until the quorum");
		}
		(uint256 p, bool ok) = predictionOf(id);
		assertEq(p, 42, "prediction");
		assertTrue(ok, "no callback due counts as ok");
		assertEq(statusOf(id), 2, "fulfilled");
		assertEq(req(id).submissions, 5, "five");
		(uint256 st, uint256 p2, bool ok2) = oracle.getResult(id);
		assertEq(st, 2, "getResult status");
		assertEq(p2, 42, "getResult prediction");
		assertTrue(ok2, "getResult ok");
		for (uint256 i = 0; i < 5; i++) {
			(uint256 amount, uint256 reward) = oracle.owed(miner(i));
			assertEq(amount, 0.2 ether, "fifth of the tip");
			assertEq(reward, 1e18, "one DENAI");
		}
	}

	function test_majority_wins_only_winners_paid() public {
		uint256 id = request();
		submit(id, miner(0), 7);
		submit(id, miner(1), 9);
		submit(id, miner(2), 9);
		submit(id, miner(3), 8);
		submit(id, miner(4), 9);
		(uint256 p,) = predictionOf(id);
		assertEq(p, 9, "majority");
		uint256 third = uint256(1 ether) / 3;
		uint256 rest = 1 ether - 3 * third;
		(uint256 a1, uint256 r1) = oracle.owed(miner(1));
		(uint256 a2,) = oracle.owed(miner(2));
		(uint256 a4,) = oracle.owed(miner(4));
		assertEq(a1, third + rest, "earliest winner gets the remainder");
		assertEq(a2, third, "share");
		assertEq(a4, third, "share");
		assertEq(a1 + a2 + a4, 1 ether, "whole tip paid");
		assertEq(r1, 1e18, "reward");
		(uint256 a0, uint256 r0) = oracle.owed(miner(0));
		(uint256 a3, uint256 r3) = oracle.owed(miner(3));
		assertEq(a0 + r0 + a3 + r3, 0, "losers get nothing");
	}

	function test_tie_goes_to_earliest_value() public {
		uint256 id = request();
		submit(id, miner(0), 5);
		submit(id, miner(1), 6);
		submit(id, miner(2), 6);
		submit(id, miner(3), 5);
		submit(id, miner(4), 4);
		(uint256 p,) = predictionOf(id);
		assertEq(p, 5, "2-2-1 tie: 5 came first");
	}

	function test_all_differ_first_wins() public {
		uint256 id = request();
		for (uint256 i = 0; i < 5; i++)
			submit(id, miner(i), 100 + i);
		(uint256 p,) = predictionOf(id);
		assertEq(p, 100, "first value");
		(uint256 a0,) = oracle.owed(miner(0));
		assertEq(a0, 1 ether, "sole winner takes the tip");
	}

	function test_quorum_three() public {
		deploy(3, 1, 100, 0);
		uint256 id = request();
		submit(id, miner(0), 1);
		submit(id, miner(1), 2);
		assertEq(statusOf(id), 1, "open after two");
		submit(id, miner(2), 2);
		(uint256 p,) = predictionOf(id);
		assertEq(p, 2, "2 of 3");
		assertEq(statusOf(id), 2, "fulfilled");
	}

	function test_withdraw_pays_eth_and_mints() public {
		uint256 id = request();
		for (uint256 i = 0; i < 5; i++)
			submit(id, miner(i), 3);
		assertEq(token.totalSupply(), 0, "minted on withdrawal");
		vm.expectEmit(true, true, true, true, address(oracle));
		emit IDenAI.Withdrawal(miner(0), 0.2 ether, 1e18);
		vm.prank(miner(0));
		oracle.withdraw();
		assertEq(miner(0).balance, 0.2 ether, "eth");
		assertEq(token.balanceOf(miner(0)), 1e18, "denai");
		assertEq(token.totalSupply(), 1e18, "supply");
		vm.expectRevert(abi.encodeWithSelector(IDenAI.NothingToWithdraw.selector, miner(0)));
		vm.prank(miner(0));
		oracle.withdraw();
	}

	function test_credit_after_withdrawal() public {
		uint256 id = request();
		for (uint256 i = 0; i < 5; i++)
			submit(id, miner(i), 3);
		vm.prank(miner(0));
		oracle.withdraw();
		(uint256 a, uint256 r) = oracle.owed(miner(0));
		assertEq(a + r, 0, "nothing owed after withdrawal");
		id = request();
		for (uint256 i = 0; i < 5; i++)
			submit(id, miner(i), 3);
		(a, r) = oracle.owed(miner(0));
		assertEq(a, 0.2 ether, "new share");
		assertEq(r, 1e18, "new reward");
		(a, r) = oracle.owed(miner(1));
		assertEq(a, 0.4 ether, "two shares");
		assertEq(r, 2e18, "two rewards");
		vm.prank(miner(0));
		oracle.withdraw();
		assertEq(miner(0).balance, 0.4 ether, "both paid");
		assertEq(token.balanceOf(miner(0)), 2e18, "both minted");
	}

	function test_miner_without_receive_blocks_nobody() public {
		NoEthMiner bad = new NoEthMiner();
		uint256 id = request();
		uint256 n = mine(id, address(bad), 0);
		bad.submit(oracle, id, 3, n);
		for (uint256 i = 0; i < 4; i++)
			submit(id, miner(i), 3);
		assertEq(statusOf(id), 2, "fulfilled despite it");
		vm.expectRevert(abi.encodeWithSelector(IDenAI.TransferFailed.selector, address(bad), 0.2 ether));
		bad.pull(oracle);
		vm.prank(miner(0));
		oracle.withdraw();
		assertEq(miner(0).balance, 0.2 ether, "others paid");
		(uint256 a,) = oracle.owed(address(bad));
		assertEq(a, 0.2 ether, "its credit is kept");
	}

	function test_closed_mining_needs_miner_role() public {
		oracle.setOpenMining(false);
		uint256 id = request();
		uint256 n = mine(id, miner(0), 0);
		vm.expectRevert(abi.encodeWithSelector(IDenAI.NotMiner.selector, miner(0)));
		vm.prank(miner(0));
		oracle.submitSolution(id, 1, n);
		oracle.grantRole(oracle.MINER_ROLE(), miner(0));
		vm.prank(miner(0));
		oracle.submitSolution(id, 1, n);
		assertTrue(oracle.hasSubmitted(id, miner(0)), "miner accepted");
		oracle.setOpenMining(true);
		submit(id, miner(1), 1);
		assertTrue(oracle.hasSubmitted(id, miner(1)), "open again");
	}

	function test_only_admin_switches_mining() public {
		vm.expectRevert();
		vm.prank(miner(0));
		oracle.setOpenMining(false);
		assertTrue(oracle.openMining(), "unchanged");
	}

	function test_only_oracle_mints() public {
		vm.expectRevert(abi.encodeWithSelector(DenAIToken.NotMinter.selector, address(this)));
		token.mint(address(this), 1);
		assertEq(token.minter(), address(oracle), "minter");
		assertEq(token.symbol(), "DENAI", "symbol");
	}

	function test_request_difficulty_fixed_at_request_time() public {
		deploy(1, 16, 100, 60);
		uint256 a = request();
		uint256 b = request();
		vm.warp(block.timestamp + 1);
		submit(a, miner(0), 1);	// fast: difficulty rises
		assertGt(oracle.difficulty(), 16, "rose");
		assertEq(difficultyOf(b), 16, "open request keeps its own");
		uint256 c = request();
		assertEq(difficultyOf(c), oracle.difficulty(), "new request gets the new one");
	}

	function test_retarget_up_down_bounded() public {
		deploy(1, 1000, 1000, 60);
		vm.warp(1000);
		uint256 id = request();
		vm.warp(1001);	// 1 s: far too fast -> +25%
		vm.expectEmit(true, true, true, true, address(oracle));
		emit IDenAI.DifficultyChanged(1000, 1250);
		submit(id, miner(0), 1);
		assertEq(oracle.difficulty(), 1250, "+25% at most");
		id = request();
		vm.warp(block.timestamp + 10000);	// far too slow -> -12.5%
		submit(id, miner(0), 1);
		assertEq(oracle.difficulty(), 1250 - 157, "-12.5% at most (rounded away)");
		id = request();
		vm.warp(block.timestamp + 60);	// on target: unchanged
		submit(id, miner(0), 1);
		assertEq(oracle.difficulty(), 1093, "on target");
	}

	function test_difficulty_never_zero() public {
		deploy(1, 1, 1000, 60);
		for (uint256 i = 0; i < 5; i++) {
			uint256 id = request();
			vm.warp(block.timestamp + 100000);
			submit(id, miner(0), 1);
			assertEq(oracle.difficulty(), 1, "floor 1");
		}
		// and 1 can still rise
		uint256 id2 = request();
		submit(id2, miner(0), 1);
		assertEq(oracle.difficulty(), 2, "rises from 1");
	}

	function test_fixed_difficulty_when_target_zero() public {
		deploy(1, 5, 1000, 0);
		uint256 id = request();
		submit(id, miner(0), 1);
		assertEq(oracle.difficulty(), 5, "unchanged");
	}
}
