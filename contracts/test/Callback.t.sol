// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Base} from "./utils/Base.sol";
import {StoreConsumer, RevertingConsumer, GasBurner, GasProbe, Reentrant} from "./utils/Mocks.sol";
import {IDenAI} from "../src/IDenAI.sol";
import {UsingDenAI} from "../src/UsingDenAI.sol";
import {ExampleConsumer} from "../src/ExampleConsumer.sol";

/// Callbacks: delivery, failures that must not block the oracle, the
/// EIP-150 gas rule, re-entrancy, the example consumer.
contract CallbackTest is Base {
	function setUp() public {
		deploy(5, 1, 100, 0);
	}

	receive() external payable {}

	function fill(uint256 id, uint256 value) internal {
		for (uint256 i = 0; i < 5; i++)
			submit(id, miner(i), value);
	}

	/// After whatever happened, the oracle still serves a fresh request.
	function assertStillServes() internal {
		StoreConsumer c = new StoreConsumer(address(oracle));
		uint256 id = c.ask(modelId, CID, 100_000);
		fill(id, 77);
		assertEq(c.got(id), 77, "a later request is served");
	}

	function test_callback_delivers() public {
		StoreConsumer c = new StoreConsumer(address(oracle));
		uint256 id = c.ask{value: 1 ether}(modelId, CID, 100_000);
		fill(id, 123);
		assertEq(c.got(id), 123, "stored");
		assertEq(c.calls(), 1, "once");
		(, bool ok) = predictionOf(id);
		assertTrue(ok, "callbackOk");
	}

	function test_only_oracle_may_call_back() public {
		StoreConsumer c = new StoreConsumer(address(oracle));
		vm.expectRevert(abi.encodeWithSelector(UsingDenAI.OnlyOracle.selector, address(this)));
		c.fulfillPrediction(1, 2);
	}

	function test_no_callback_when_limit_zero() public {
		StoreConsumer c = new StoreConsumer(address(oracle));
		uint256 id = c.ask(modelId, CID, 0);
		fill(id, 5);
		assertEq(c.calls(), 0, "not called");
		(uint256 p, bool ok) = predictionOf(id);
		assertEq(p, 5, "stored in the oracle");
		assertTrue(ok, "ok: nothing was due");
	}

	function test_reverting_callback_does_not_block() public {
		RevertingConsumer c = new RevertingConsumer(address(oracle));
		uint256 id = c.ask{value: 1 ether}(modelId, CID, 100_000);
		for (uint256 i = 0; i < 4; i++)
			submit(id, miner(i), 8);
		uint256 n = mine(id, miner(4), 0);
		vm.expectEmit(true, true, true, true, address(oracle));
		emit IDenAI.PredictionFulfilled(id, 8, false);
		vm.prank(miner(4));
		oracle.submitSolution(id, 8, n);
		(uint256 p, bool ok) = predictionOf(id);
		assertEq(p, 8, "result kept");
		assertFalse(ok, "callback failed");
		assertEq(statusOf(id), 2, "fulfilled");
		(uint256 a,) = oracle.owed(miner(0));
		assertEq(a, 0.2 ether, "miners paid anyway");
		assertStillServes();
	}

	function test_gas_burner_and_return_bomb() public {
		GasBurner c = new GasBurner(address(oracle));
		uint256 limit = 500_000;
		uint256 id = c.ask(modelId, CID, uint32(limit));
		for (uint256 i = 0; i < 4; i++)
			submit(id, miner(i), 8);
		uint256 n = mine(id, miner(4), 0);
		uint256 g0 = gasleft();
		vm.prank(miner(4));
		oracle.submitSolution(id, 8, n);
		uint256 used = g0 - gasleft();
		emit log_named_uint("fulfilment gas with a burner", used);
		(, bool ok) = predictionOf(id);
		assertFalse(ok, "callback failed");
		assertEq(statusOf(id), 2, "fulfilled");
		// The burner's 400 kB revert data was not copied: the fulfilment
		// cost the limit plus the oracle's own work (first use of the
		// lane and the miners' credit slots included) only.
		assertLt(used, limit + 200_000, "bounded by the limit");
		assertStillServes();
	}

	/// EIP-150: a CALL forwards at most 63/64 of the gas left. Whatever gas
	/// the fulfilling miner sends, either the submission reverts or the
	/// callback gets its whole limit (GasProbe fails if it gets less).
	function testFuzz_callback_never_starved(uint256 sent) public {
		uint256 limit = 300_000;
		GasProbe c = new GasProbe(address(oracle), limit - 2_000);
		uint256 id = c.ask(modelId, CID, uint32(limit));
		for (uint256 i = 0; i < 4; i++)
			submit(id, miner(i), 8);
		uint256 n = mine(id, miner(4), 0);
		sent = bound(sent, 100_000, 800_000);
		vm.prank(miner(4));
		(bool txOk,) = address(oracle).call{gas: sent}(
		    abi.encodeCall(IDenAI.submitSolution, (id, 8, n)));
		if (txOk) {
			(, bool ok) = predictionOf(id);
			assertTrue(ok, "fulfilled only with a fed callback");
			assertEq(c.fulfilled(), 1, "probe ran");
			assertGe(c.seen(), limit - 2_000, "full limit");
		} else {
			assertEq(statusOf(id), 1, "still open: the miner must retry");
		}
	}

	/// The same, at every gas amount around the threshold; and the
	/// threshold itself is where the rule puts it.
	function test_callback_gas_threshold() public {
		uint256 limit = 300_000;
		GasProbe c = new GasProbe(address(oracle), limit - 2_000);
		uint256 id = c.ask(modelId, CID, uint32(limit));
		for (uint256 i = 0; i < 4; i++)
			submit(id, miner(i), 8);
		uint256 n = mine(id, miner(4), 0);
		bytes memory data = abi.encodeCall(IDenAI.submitSolution, (id, 8, n));
		// Find the least gas that succeeds.
		uint256 lo = 100_000;
		uint256 hi = 1_000_000;
		while (lo < hi) {
			uint256 mid = (lo + hi) / 2;
			uint256 snap = vm.snapshotState();
			vm.prank(miner(4));
			(bool ok,) = address(oracle).call{gas: mid}(data);
			vm.revertToState(snap);
			if (ok)
				hi = mid;
			else
				lo = mid + 1;
		}
		emit log_named_uint("least gas for the fulfilling submission", lo);
		assertLe(lo + 22_600, oracle.submitGasLimit(id), "submitGasLimit is enough");
		// It must cover the limit, the 1/64 and the reserve.
		assertGt(lo, limit + limit / 63 + oracle.CALLBACK_RESERVE(), "threshold above the rule");
		// Just below: reverts with InsufficientGasForCallback or OOG,
		// never a starved callback.
		for (uint256 g = lo - 3000; g < lo + 3000; g += 97) {
			uint256 snap = vm.snapshotState();
			vm.prank(miner(4));
			(bool ok,) = address(oracle).call{gas: g}(data);
			if (ok) {
				(, bool cbOk) = predictionOf(id);
				assertTrue(cbOk, "fed");
				assertGe(c.seen(), limit - 2_000, "full limit");
			} else {
				assertEq(statusOf(id), 1, "open");
			}
			vm.revertToState(snap);
		}
		// The error names the request.
		vm.expectRevert(abi.encodeWithSelector(IDenAI.InsufficientGasForCallback.selector,
		    id, limit));
		vm.prank(miner(4));
		oracle.submitSolution{gas: limit + 40_000}(id, 8, n);
	}

	/// submitGasLimit holds in the worst case: quorum 16, every winner's
	/// credit slot and the lane written for the first time, the largest
	/// callback limit, a callback that needs all of it.
	function test_submit_gas_limit_worst_case() public {
		deploy(16, 1, 100, 0);
		uint256 limit = oracle.MAX_CALLBACK_GAS();
		GasProbe c = new GasProbe(address(oracle), limit - 2_000);
		uint256 id = c.ask{value: 1 ether}(modelId, CID, uint32(limit));
		// The hint is a transaction gas limit: take off the intrinsic gas
		// (21,000 + at most 1,600 for 100 bytes of calldata).
		uint256 hint = oracle.submitGasLimit(id) - 22_600;
		for (uint256 i = 0; i < 15; i++) {
			uint256 n = mine(id, miner(100 + i), 0);
			vm.prank(miner(100 + i));
			oracle.submitSolution{gas: hint}(id, 8, n);
		}
		uint256 last = mine(id, miner(200), 0);
		vm.prank(miner(200));
		(bool ok,) = address(oracle).call{gas: hint}(
		    abi.encodeCall(IDenAI.submitSolution, (id, 8, last)));
		assertTrue(ok, "the hint is enough for the fulfilment");
		(, bool cbOk) = predictionOf(id);
		assertTrue(cbOk, "callback fed");
		assertGe(c.seen(), limit - 2_000, "full limit");
	}

	/// The hazard itself: a plain call{gas: limit} made with a little less
	/// than limit * 64/63 left hands the callee less than limit, silently.
	/// This is what the oracle's check rules out.
	function test_eip150_hazard_exists() public {
		uint256 limit = 300_000;
		NaiveCaller n = new NaiveCaller();
		GasProbe p = new GasProbe(address(n), limit - 2_000);
		bool ok = n.callWith{gas: limit + 3_000}(address(p), limit);
		assertFalse(ok, "starved by the 63/64 rule");
		ok = n.callWith{gas: limit + limit / 63 + 10_000}(address(p), limit);
		assertTrue(ok, "fed when enough is left");
	}

	/// Control: a probe that needs more than it asked for does fail, so
	/// the probe above can tell a starved callback from a fed one.
	function test_probe_control() public {
		GasProbe c = new GasProbe(address(oracle), 300_000);
		uint256 id = c.ask(modelId, CID, 200_000);
		fill(id, 8);
		(, bool ok) = predictionOf(id);
		assertFalse(ok, "starved probe fails");
	}

	function test_reenter_submit_same_request() public {
		Reentrant c = new Reentrant(address(oracle));
		uint256 id = c.ask(modelId, CID, 300_000);
		c.setMode(4, 0, mine(id, address(c), 0));
		fill(id, 8);
		(, bool ok) = predictionOf(id);
		assertTrue(ok, "callback itself fine");
		assertFalse(c.attemptOk(), "re-entry refused");
		assertEq(bytes4(c.attemptErr()), IDenAI.RequestNotOpen.selector, "closed");
		assertEq(req(id).submissions, 5, "no sixth submission");
		assertStillServes();
	}

	function test_reenter_submit_other_request() public {
		Reentrant c = new Reentrant(address(oracle));
		uint256 other = request();
		uint256 id = c.ask(modelId, CID, 300_000);
		c.setMode(1, other, mine(other, address(c), 0));
		fill(id, 8);
		assertTrue(c.attemptOk(), "a fresh submission elsewhere is fine");
		assertTrue(oracle.hasSubmitted(other, address(c)), "recorded");
		assertEq(req(other).submissions, 1, "one");
		for (uint256 i = 0; i < 4; i++)
			submit(other, miner(i), 8);
		assertEq(statusOf(other), 2, "other served");
		(uint256 a,) = oracle.owed(address(c));
		assertEq(a, 0.2 ether, "consumer paid as a miner, once");
	}

	function test_reenter_withdraw() public {
		Reentrant c = new Reentrant(address(oracle));
		// The consumer earns as a miner first.
		uint256 earn = request();
		uint256 cn = mine(earn, address(c), 0);
		c.setMode(1, earn, cn);
		uint256 id0 = c.ask(modelId, CID, 300_000);
		fill(id0, 8);	// its callback submits for `earn`
		for (uint256 i = 0; i < 4; i++)
			submit(earn, miner(i), 8);
		(uint256 owedBefore,) = oracle.owed(address(c));
		assertEq(owedBefore, 0.2 ether, "earned");
		// Now its callback withdraws during fulfilment.
		uint256 id = c.ask(modelId, CID, 300_000);
		c.setMode(2, 0, 0);
		uint256 held = address(oracle).balance;
		fill(id, 8);
		assertTrue(c.attemptOk(), "withdraw inside the callback works");
		assertEq(address(c).balance, 0.2 ether, "paid once");
		assertEq(address(oracle).balance, held - 0.2 ether, "oracle paid exactly that");
		(uint256 left,) = oracle.owed(address(c));
		assertEq(left, 0, "credit gone");
		assertEq(token.balanceOf(address(c)), 1e18, "reward minted once");
		assertStillServes();
	}

	function test_reenter_cancel() public {
		Reentrant c = new Reentrant(address(oracle));
		uint256 old = c.ask{value: 2 ether}(modelId, CID, 300_000);
		vm.roll(block.number + 101);
		uint256 id = c.ask(modelId, CID, 300_000);
		c.setMode(3, old, 0);
		fill(id, 8);
		assertTrue(c.attemptOk(), "cancel inside the callback works");
		assertEq(address(c).balance, 2 ether, "refunded once");
		assertEq(statusOf(old), 3, "cancelled");
		assertEq(statusOf(id), 2, "fulfilled");
		assertEq(address(oracle).balance, 0, "nothing left over");
		// Cancelling the request being fulfilled: not open any more.
		uint256 id2 = c.ask(modelId, CID, 300_000);
		c.setMode(3, id2, 0);
		fill(id2, 8);
		assertFalse(c.attemptOk(), "cannot cancel a fulfilled request");
		assertStillServes();
	}

	function test_example_consumer_original_call() public {
		ExampleConsumer c = new ExampleConsumer(address(oracle));
		// The original README's call: model 1, a CID, tip 0.
		vm.prank(user);
		uint256 id = c.requestPrediction(1, "bafkreiaeigybm7ca2bk4xc3rfoxuvija53tyekayg37hkarfft2tbn4vem", 0);
		assertEq(c.lastRequestId(), id, "recorded");
		for (uint256 i = 0; i < 4; i++)
			submit(id, miner(i), 2);
		uint256 n = mine(id, miner(4), 0);
		vm.expectEmit(true, true, true, true, address(c));
		emit ExampleConsumer.PredictionReceived(id, 2);
		vm.prank(miner(4));
		oracle.submitSolution(id, 2, n);
		(uint256 p, address who, bool received) = c.responses(id);
		assertEq(p, 2, "prediction");
		assertEq(who, user, "asker");
		assertTrue(received, "received");
		assertEq(c.responseCount(), 1, "count");
		(, bool ok) = predictionOf(id);
		assertTrue(ok, "callback ok");
	}

	function test_example_consumer_tips() public {
		ExampleConsumer c = new ExampleConsumer(address(oracle));
		assertEq(c.owner(), address(this), "owner");
		vm.expectRevert(abi.encodeWithSelector(ExampleConsumer.TipNotPaid.selector, 5, 0));
		vm.prank(user);
		c.requestPrediction(1, CID, 5);
		vm.expectRevert(abi.encodeWithSelector(ExampleConsumer.InsufficientBalance.selector, 5, 0));
		c.requestPrediction(1, CID, 5);
		vm.prank(user);
		uint256 id = c.requestPrediction{value: 3}(1, CID, 3);
		assertEq(req(id).tip, 3, "tip from msg.value");
		vm.deal(address(c), 10);
		uint256 id2 = c.requestPrediction(1, CID, 4);
		assertEq(req(id2).tip, 4, "owner tips from the balance");
		vm.expectRevert(abi.encodeWithSelector(ExampleConsumer.TipNotPaid.selector, 4, 0));
		vm.prank(user);
		c.requestPrediction(1, CID, 4);
		vm.roll(block.number + 101);
		vm.expectRevert(abi.encodeWithSelector(ExampleConsumer.NotYours.selector, id));
		c.cancel(id);
		uint256 before = user.balance;
		vm.prank(user);
		c.cancel(id);
		assertEq(user.balance - before, 3, "refund passed on to the asker");
		before = address(this).balance;
		c.cancel(id2);
		assertEq(address(this).balance - before, 4, "owner's refund to the owner");
		assertEq(address(c).balance, 6, "the rest of the balance stays");
	}
}

/// Calls fulfillPrediction with call{gas: limit}, no check (what the oracle
/// must not do).
contract NaiveCaller {
	function callWith(address target, uint256 limit) external returns (bool ok) {
		(ok,) = target.call{gas: limit}(abi.encodeWithSignature(
		    "fulfillPrediction(uint256,uint256)", 1, 2));
	}
}
