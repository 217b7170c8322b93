// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test, Vm} from "./utils/Test.sol";
import {StoreConsumer, RevertingConsumer, GasBurner, Reentrant} from "./utils/Mocks.sol";
import {DenAI} from "../src/DenAI.sol";
import {DenAIToken} from "../src/DenAIToken.sol";
import {IDenAI} from "../src/IDenAI.sol";

/// Drives the oracle with random requests (from honest and malicious
/// consumers), submissions, cancellations, withdrawals and time, and keeps
/// ghost books to check the oracle's against.
contract Handler is Test {
	string internal constant CID = "bafkreiaeigybm7ca2bk4xc3rfoxuvija53tyekayg37hkarfft2tbn4vem";

	DenAI public oracle;
	address[] public actors;	// miners and consumers: everyone who can be owed
	address[] public consumers;
	uint256[] public ids;

	mapping(uint256 => uint256) public tipOf;
	mapping(uint256 => bool) public fulfilledSeen;
	mapping(uint256 => bool) public refundedSeen;
	mapping(uint256 => mapping(address => uint256)) public submissions;
	uint256 public maxSubmissionsByOne;
	uint256 public winnersRewarded;	// REWARDs credited (from fulfilments)
	uint256 public rewardsWithdrawn;
	uint256 public served;

	constructor(DenAI o) {
		oracle = o;
		for (uint256 i = 0; i < 7; i++)
			actors.push(address(uint160(0xA000 + i)));
		consumers.push(address(new StoreConsumer(address(o))));
		consumers.push(address(new RevertingConsumer(address(o))));
		consumers.push(address(new GasBurner(address(o))));
		consumers.push(address(new Reentrant(address(o))));
		for (uint256 i = 0; i < consumers.length; i++) {
			actors.push(consumers[i]);
			vm.deal(consumers[i], 1000 ether);
		}
	}

	function actorCount() external view returns (uint256) {
		return actors.length;
	}

	function idCount() external view returns (uint256) {
		return ids.length;
	}

	function ask(uint256 who, uint256 tip, uint256 mode, uint256 other) external {
		who = bound(who, 0, consumers.length - 1);
		tip = bound(tip, 0, 5 ether);
		address c = consumers[who];
		if (c == consumers[3] && ids.length > 0) {
			uint256 o = ids[bound(other, 0, ids.length - 1)];
			Reentrant(payable(c)).setMode(bound(mode, 1, 4), o, 0);
		}
		vm.prank(c);
		uint256 id = oracle.requestPrediction{value: tip}(1, CID, 400_000);
		ids.push(id);
		tipOf[id] = tip;
	}

	/// One to three submissions for one of the newest requests, by
	/// consecutive actors (so quorums fill and duplicates are tried).
	function submit(uint256 which, uint256 who, uint256 value, uint256 count) external {
		if (ids.length == 0)
			return;
		uint256 back = bound(which, 0, ids.length > 3 ? 3 : ids.length - 1);
		uint256 id = ids[ids.length - 1 - back];
		count = bound(count, 1, 3);
		for (uint256 k = 0; k < count; k++)
			_submit(id, actors[(bound(who, 0, 6) + k) % 7], bound(value >> (8 * k), 0, 2));
	}

	function _submit(uint256 id, address m, uint256 value) internal {
		(, bytes32 ch) = _challenge(id);
		uint256 n = 0;
		while (uint256(keccak256(abi.encodePacked(ch, m, n))) >= type(uint256).max)
			n++;
		vm.recordLogs();
		vm.prank(m);
		try oracle.submitSolution(id, value, n) {
			submissions[id][m]++;
			if (submissions[id][m] > maxSubmissionsByOne)
				maxSubmissionsByOne = submissions[id][m];
			_scan(vm.getRecordedLogs());
		} catch {}
	}

	function withdraw(uint256 who) external {
		address a = actors[bound(who, 0, actors.length - 1)];
		(, uint256 r) = oracle.owed(a);
		vm.prank(a);
		try oracle.withdraw() {
			rewardsWithdrawn += r;
		} catch {}
	}

	function cancel(uint256 which) external {
		if (ids.length == 0)
			return;
		uint256 id = ids[bound(which, 0, ids.length - 1)];
		(address requester,) = _challenge(id);
		vm.recordLogs();
		vm.prank(requester);
		try oracle.cancelRequest(id) {
			_scan(vm.getRecordedLogs());
		} catch {}
	}

	function wait(uint256 blocks) external {
		blocks = bound(blocks, 1, 25);
		vm.roll(block.number + blocks);
		vm.warp(block.timestamp + blocks * 12);
	}

	function _challenge(uint256 id) internal view returns (address requester, bytes32 ch) {
		(bool ok, bytes memory ret) = address(oracle).staticcall(
		    abi.encodeWithSelector(oracle.getRequest.selector, id));
		require(ok);
		assembly {
			requester := mload(add(ret, 32))
			ch := mload(add(ret, 160))
		}
	}

	/// Books fulfilments, winners and refunds from the events (re-entrant
	/// consumers can cause several in one call).
	function _scan(Vm.Log[] memory logs) internal {
		bytes32 ful = IDenAI.PredictionFulfilled.selector;
		bytes32 can = IDenAI.RequestCancelled.selector;
		bytes32 sub = IDenAI.SolutionSubmitted.selector;
		bytes32 wdr = IDenAI.Withdrawal.selector;
		for (uint256 i = 0; i < logs.length; i++) {
			if (logs[i].emitter != address(oracle))
				continue;
			bytes32 t = logs[i].topics[0];
			uint256 id = logs[i].topics.length > 1 ? uint256(logs[i].topics[1]) : 0;
			if (t == ful) {
				fulfilledSeen[id] = true;
				served++;
				(uint256 p,) = abi.decode(logs[i].data, (uint256, bool));
				// Count the winners: submitters of p for id (from the
				// oracle's own view of who submitted is gone; recount
				// from our books of this id).
				winnersRewarded += _winners[id][p];
			} else if (t == can) {
				refundedSeen[id] = true;
			} else if (t == sub) {
				address m = address(uint160(uint256(logs[i].topics[2])));
				uint256 p = abi.decode(logs[i].data, (uint256));
				_winners[id][p]++;
				if (m.code.length > 0 && m != address(oracle))
					submissions[id][m]++;	// a consumer mining from its callback
			} else if (t == wdr) {
				(, uint256 r) = abi.decode(logs[i].data, (uint256, uint256));
				rewardsWithdrawn += r;
			}
		}
	}

	mapping(uint256 => mapping(uint256 => uint256)) internal _winners;
}

contract InvariantTest is Test {
	DenAI internal oracle;
	DenAIToken internal token;
	Handler internal handler;

	function setUp() public {
		oracle = new DenAI(3, 1, 30, 0);
		oracle.registerModel("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku",
		    keccak256("m"), 0, "m");
		token = oracle.token();
		handler = new Handler(oracle);
		targetContract(address(handler));
	}

	/// ETH held = tips owed to miners + tips of requests not yet closed.
	function invariant_eth_accounted() public view {
		uint256 owedSum = 0;
		for (uint256 i = 0; i < handler.actorCount(); i++) {
			(uint256 a,) = oracle.owed(handler.actors(i));
			owedSum += a;
		}
		uint256 openTips = 0;
		for (uint256 i = 0; i < handler.idCount(); i++) {
			uint256 id = handler.ids(i);
			(uint256 st,,) = oracle.getResult(id);
			if (st == 1)
				openTips += handler.tipOf(id);
		}
		assertEq(address(oracle).balance, owedSum + openTips, "eth = owed + open tips");
	}

	/// DENAI supply = rewards minted at withdrawal; minted + still owed =
	/// REWARD per winning submission.
	function invariant_supply_is_rewards() public view {
		assertEq(token.totalSupply(), handler.rewardsWithdrawn(), "supply = withdrawn rewards");
		uint256 owedRewards = 0;
		for (uint256 i = 0; i < handler.actorCount(); i++) {
			(, uint256 r) = oracle.owed(handler.actors(i));
			owedRewards += r;
		}
		assertEq(token.totalSupply() + owedRewards, handler.winnersRewarded() * 1e18,
		    "minted + owed = reward x winners");
	}

	/// No request both fulfilled and refunded; statuses match the books.
	function invariant_fulfilled_xor_refunded() public view {
		for (uint256 i = 0; i < handler.idCount(); i++) {
			uint256 id = handler.ids(i);
			assertFalse(handler.fulfilledSeen(id) && handler.refundedSeen(id), "both");
			(uint256 st,,) = oracle.getResult(id);
			assertEq(st == 2, handler.fulfilledSeen(id), "fulfilled status");
			assertEq(st == 3, handler.refundedSeen(id), "cancelled status");
		}
	}

	/// No miner has two accepted submissions for one request.
	function invariant_one_submission_per_miner() public view {
		assertLe(handler.maxSubmissionsByOne(), 1, "twice");
	}

	/// Every request that got its quorum was fulfilled and served (no
	/// consumer stopped it); open ones are below the quorum.
	function invariant_quorum_means_fulfilled() public view {
		for (uint256 i = 0; i < handler.idCount(); i++) {
			uint256 id = handler.ids(i);
			(uint256 st,,) = oracle.getResult(id);
			if (st == 1)
				assertLt(_subs(id), 3, "open with a quorum");
			if (st == 2)
				assertEq(_subs(id), 3, "fulfilled with exactly the quorum");
		}
	}

	function _subs(uint256 id) internal view returns (uint256 n) {
		(bool ok, bytes memory ret) = address(oracle).staticcall(
		    abi.encodeWithSelector(oracle.getRequest.selector, id));
		require(ok);
		assembly {
			n := mload(add(ret, 320))	// the 10th word: submissions
		}
	}
}
