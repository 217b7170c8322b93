// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Base} from "./utils/Base.sol";
import {DenAI} from "../src/DenAI.sol";
import {IDenAI} from "../src/IDenAI.sol";
import {ModelRegistry} from "../src/ModelRegistry.sol";
import {CidCheck} from "../src/CidCheck.sol";

/// Requests: validation, challenges, events, the open list, expiry.
contract RequestTest is Base {
	function setUp() public {
		deploy(5, 1, 100, 0);
	}

	function test_fresh_deployment_prepaid_lane_is_not_a_request() public {
		assertEq(oracle.laneCount(), 1, "lane 0 prepaid");
		assertEq(oracle.openRequests(0, 10).length, 0, "and not listed");
		uint256 id = request();
		assertEq(oracle.laneCount(), 1, "the first request takes the prepaid lane");
		uint256[] memory page = oracle.openRequests(0, 10);
		assertEq(page.length, 1, "listed");
		assertEq(page[0], id, "its id");
		assertFalse(oracle.hasSubmitted(id, address(0)), "the prepaid words are no submission");
		for (uint256 i = 0; i < 5; i++)
			submit(id, miner(i), 7);
		(uint256 p,) = predictionOf(id);
		assertEq(p, 7, "the vote ignores the prepaid words");
	}

	function test_prepay_credits_owes_nothing() public {
		address[] memory ms = new address[](2);
		ms[0] = miner(0);
		ms[1] = miner(1);
		oracle.prepayCredits(ms);
		(uint256 a, uint256 r) = oracle.owed(miner(0));
		assertEq(a + r, 0, "nothing owed");
		vm.expectRevert(abi.encodeWithSelector(IDenAI.NothingToWithdraw.selector, miner(0)));
		vm.prank(miner(0));
		oracle.withdraw();
		uint256 id = request();
		for (uint256 i = 0; i < 5; i++)
			submit(id, miner(i), 7);
		(a, r) = oracle.owed(miner(0));
		assertEq(a, 0.2 ether, "its share of the tip");
		assertEq(r, 1e18, "its reward");
		oracle.prepayCredits(ms);	// again: a live credit is left alone
		(a,) = oracle.owed(miner(0));
		assertEq(a, 0.2 ether, "unchanged");
	}

	function test_config_rejected() public {
		vm.expectRevert(IDenAI.InvalidConfig.selector);
		new DenAI(0, 1, 100, 0);
		vm.expectRevert(IDenAI.InvalidConfig.selector);
		new DenAI(17, 1, 100, 0);
		vm.expectRevert(IDenAI.InvalidConfig.selector);
		new DenAI(5, 0, 100, 0);
		vm.expectRevert(IDenAI.InvalidConfig.selector);
		new DenAI(5, 1, 0, 0);
		DenAI d = new DenAI(3, 7, 10, 15);
		assertEq(d.quorum(), 3, "quorum");
		assertEq(d.difficulty(), 7, "difficulty");
		assertEq(d.expiryBlocks(), 10, "expiry");
		assertTrue(d.openMining(), "open mining by default");
	}

	function test_request_stores_everything() public {
		vm.roll(1000);
		vm.prank(user);
		uint256 id = oracle.requestPrediction{value: 3 ether}(modelId, CID, 77_000);
		assertEq(id, 1, "first id is 1");
		Req memory r = req(id);
		assertEq(r.requester, user, "requester");
		assertEq(r.modelId, modelId, "model");
		assertEq(r.dataCid, CID, "cid round trip");
		assertEq(r.tip, 3 ether, "tip");
		assertTrue(r.challenge != 0, "challenge set");
		assertEq(r.difficulty, 1, "difficulty");
		assertEq(r.callbackGasLimit, 77_000, "callback gas");
		assertEq(r.expiresAt, 1100, "expires after expiryBlocks");
		assertEq(r.status, 1, "open");
		assertEq(r.submissions, 0, "no submissions");
		assertEq(r.prediction, 0, "no prediction");
		assertFalse(r.callbackOk, "no callback yet");
		assertEq(address(oracle).balance, 3 ether, "tip held");
		assertEq(oracle.requestCount(), 1, "count");
	}

	function test_request_event_fields() public {
		vm.recordLogs();
		vm.prank(user);
		uint256 id = oracle.requestPrediction{value: 5}(modelId, CID0, 0);
		// The challenge: keccak256(chainid, oracle, id, the last block's
		// hash) with its low 32 bits replaced by the lane (1: the first
		// request holds lane 0).
		bytes32 ch = bytes32((uint256(keccak256(abi.encodePacked(block.chainid,
		    address(oracle), id + 1, blockhash(block.number - 1)))) &
		    ~uint256(type(uint32).max)) | 1);
		vm.expectEmit(true, true, true, true, address(oracle));
		emit IDenAI.PredictionRequested(id + 1, modelId, user, CID, 7, ch, 1);
		vm.prank(user);
		oracle.requestPrediction{value: 7}(modelId, CID, 0);
	}

	function test_challenges_differ_per_request() public {
		uint256 a = request();
		uint256 b = request();
		vm.roll(block.number + 1);
		uint256 c = request();
		assertTrue(challengeOf(a) != challengeOf(b), "a != b");
		assertTrue(challengeOf(b) != challengeOf(c), "b != c");
		assertTrue(challengeOf(a) != challengeOf(c), "a != c");
	}

	function test_unknown_and_retired_model() public {
		vm.expectRevert(abi.encodeWithSelector(ModelRegistry.UnknownModel.selector, 99));
		oracle.requestPrediction(99, CID, 0);
		oracle.retireModel(modelId);
		vm.expectRevert(abi.encodeWithSelector(ModelRegistry.ModelNotActive.selector, modelId));
		oracle.requestPrediction(modelId, CID, 0);
	}

	function test_bad_cids() public {
		string[9] memory bad = [
			"",
			"Qm",
			"QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbd0",	// 0 not base58
			"QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdGx",	// 47 chars
			"bafkreiaeigybm7ca2bk4xc3rfoxuvija53tyekayg37hkarfft2tbn4veM",	// upper case
			"bafkreiaeigybm7ca2bk4xc3rfoxuvija53tyekayg37hkarfft2tbn4ve1",	// 1 not base32
			"bafk",	// too short
			"bafkreiaeigybm7ca2bk4xc3rfoxuvija53tyekayg37hkarfft2tbn4vemaaaaaa",	// 65
			"zafkreiaeigybm7ca2bk4xc3rfoxuvija53tyekayg37hkarfft2tbn4vem"	// base
		];
		for (uint256 i = 0; i < bad.length; i++) {
			vm.expectRevert(CidCheck.InvalidCid.selector);
			oracle.requestPrediction(modelId, bad[i], 0);
		}
		// A NUL inside would end the packed string early: refused.
		vm.expectRevert(CidCheck.InvalidCid.selector);
		oracle.requestPrediction(modelId, string(abi.encodePacked("bafkrei", bytes1(0), "aaaaaa")), 0);
		// The longest and shortest accepted.
		oracle.requestPrediction(modelId, "bafkreiaeigybm7ca2bk4xc3rfoxuvija53tyekayg37hkarfft2tbn4vemaaaaa", 0);
		oracle.requestPrediction(modelId, "baaaaaaa", 0);
		assertEq(oracle.requestCount(), 2, "two accepted");
	}

	/// Garbage in the ABI padding after the string must not leak into it.
	function test_cid_padding_ignored() public {
		bytes memory data = abi.encodeCall(IDenAI.requestPrediction, (modelId, "baaaaaaa", 0));
		// The string's bytes start at 4 + 32*3 (head) + 32 (length).
		for (uint256 i = 4 + 128 + 8; i < data.length; i++)
			data[i] = "z";
		(bool ok,) = address(oracle).call(data);
		assertTrue(ok, "accepted");
		assertEq(req(1).dataCid, "baaaaaaa", "padding dropped");
	}

	function test_callback_gas_cap() public {
		uint256 max = oracle.MAX_CALLBACK_GAS();
		vm.expectRevert(abi.encodeWithSelector(IDenAI.CallbackGasTooHigh.selector, max + 1, max));
		oracle.requestPrediction(modelId, CID, uint32(max + 1));
		oracle.requestPrediction(modelId, CID, uint32(max));
	}

	function test_many_open_and_paging() public {
		uint256[] memory ids = new uint256[](7);
		for (uint256 i = 0; i < 7; i++)
			ids[i] = request();
		assertEq(oracle.laneCount(), 7, "a lane each");
		uint256[] memory page = oracle.openRequests(0, 3);
		assertEq(page.length, 3, "page size");
		assertEq(page[0], 1, "first");
		page = oracle.openRequests(6, 100);
		assertEq(page.length, 1, "last page");
		assertEq(page[0], 7, "last id");
		assertEq(oracle.openRequests(7, 10).length, 0, "past the end");
		assertEq(oracle.openRequests(0, 0).length, 0, "limit 0");
		// Fulfil request 3: it leaves the list, its lane is reused.
		for (uint256 i = 0; i < 5; i++)
			submit(3, miner(i), 42);
		page = oracle.openRequests(0, 100);
		assertEq(page.length, 6, "one fewer open");
		for (uint256 i = 0; i < page.length; i++)
			assertTrue(page[i] != 3, "3 is closed");
		uint256 id8 = request();
		assertEq(oracle.laneCount(), 7, "lane reused");
		page = oracle.openRequests(2, 1);
		assertEq(page[0], id8, "in 3's lane");
		// Expired requests are not listed.
		vm.roll(block.number + 101);
		assertEq(oracle.openRequests(0, 100).length, 0, "all expired");
	}

	function test_submission_after_expiry_refused() public {
		uint256 id = request();
		vm.roll(block.number + 100);
		submit(id, miner(0), 1);	// the last block that takes one
		vm.roll(block.number + 1);
		uint256 n = mine(id, miner(1), 0);
		vm.expectRevert(abi.encodeWithSelector(IDenAI.RequestExpired.selector, id, block.number - 1));
		vm.prank(miner(1));
		oracle.submitSolution(id, 1, n);
	}

	function test_cancel_rules() public {
		uint256 id = request();
		uint256 exp = block.number + 100;
		vm.expectRevert(abi.encodeWithSelector(IDenAI.NotExpired.selector, id, exp));
		vm.prank(user);
		oracle.cancelRequest(id);
		vm.roll(exp + 1);
		vm.expectRevert(abi.encodeWithSelector(IDenAI.NotRequester.selector, id, miner(0)));
		vm.prank(miner(0));
		oracle.cancelRequest(id);
		uint256 before = user.balance;
		vm.expectEmit(true, true, true, true, address(oracle));
		emit IDenAI.RequestCancelled(id, user, 1 ether);
		vm.prank(user);
		oracle.cancelRequest(id);
		assertEq(user.balance - before, 1 ether, "full refund");
		assertEq(address(oracle).balance, 0, "nothing held");
		assertEq(statusOf(id), 3, "cancelled");
		vm.expectRevert(abi.encodeWithSelector(IDenAI.RequestNotOpen.selector, id));
		vm.prank(user);
		oracle.cancelRequest(id);
		vm.expectRevert(abi.encodeWithSelector(IDenAI.RequestNotOpen.selector, id));
		oracle.submitSolution(id, 1, 0);
		vm.expectRevert(abi.encodeWithSelector(IDenAI.RequestNotOpen.selector, 999));
		oracle.cancelRequest(999);
	}

	function test_fulfilled_cannot_be_cancelled() public {
		uint256 id = request();
		for (uint256 i = 0; i < 5; i++)
			submit(id, miner(i), 9);
		vm.roll(block.number + 1000);
		vm.expectRevert(abi.encodeWithSelector(IDenAI.RequestNotOpen.selector, id));
		vm.prank(user);
		oracle.cancelRequest(id);
	}

	function test_tip_too_large() public {
		uint256 big = uint256(type(uint88).max) + 1;
		vm.deal(user, big);
		vm.expectRevert(abi.encodeWithSelector(IDenAI.TipTooLarge.selector, big));
		vm.prank(user);
		oracle.requestPrediction{value: big}(modelId, CID, 0);
	}
}
