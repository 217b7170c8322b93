// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {TasksBase} from "./utils/TasksBase.sol";
import {IDenAITasks} from "../src/IDenAITasks.sol";

/// Fuzz tests of the tasks contract: CIDs, deadlines, bonds, and finalize
/// paying out exactly what a task holds whatever the votes.
contract TasksFuzzTest is TasksBase {
	function setUp() public {
		setUpTasks(5);
	}

	function testFuzz_cid_round_trip(bytes32 sha) public view {
		string memory cid = tasks.cidOf(sha);
		assertEq(bytes(cid).length, 59, "59 characters");
		assertEq(tasks.cidDigest(cid), sha, "decodes to its sha");
	}

	function testFuzz_cid_with_one_character_changed_is_not_that_sha(bytes32 sha, uint256 pos,
	    uint8 c) public view
	{
		bytes memory b = bytes(tasks.cidOf(sha));
		pos = bound(pos, 0, b.length - 1);
		if (b[pos] == bytes1(c))
			return;
		b[pos] = bytes1(c);
		try tasks.cidDigest(string(b)) returns (bytes32 d) {
			assertTrue(d != sha, "another CID never names the same sha");
		} catch {}
	}

	function testFuzz_deadlines_need_min_windows(uint64[5] memory gaps) public {
		uint64[5] memory d;
		uint256 b = block.number;
		bool good = true;
		for (uint256 i = 0; i < 5; i++) {
			gaps[i] = uint64(bound(gaps[i], 0, 30));
			b += gaps[i];
			d[i] = uint64(b);
			if (gaps[i] < W)
				good = false;
		}
		if (!good)
			vm.expectRevert(IDenAITasks.InvalidDeadlines.selector);
		vm.prank(creator);
		tasks.createTask{value: 1 ether}(TRAIN, testSeal(), 0, "y", 0, d, 1, 0, 0);
	}

	function testFuzz_commit_needs_the_exact_bond(uint96 bond, uint256 sent) public {
		sent = bound(sent, 0, 10 ether);
		dl = deadlines();
		vm.prank(creator);
		uint256 id = tasks.createTask{value: 1 ether}(TRAIN, testSeal(), 0, "y", 0, dl, 1, 0,
		    bond);
		vm.deal(trainer(0), 20 ether);
		if (sent != bond)
			vm.expectRevert(abi.encodeWithSelector(IDenAITasks.WrongBond.selector, bond, sent));
		vm.prank(trainer(0));
		tasks.commitModel{value: sent}(id, keccak256("s"));
	}

	function _sumOwed() internal view returns (uint256 s) {
		s = owed(creator);
		for (uint256 i = 0; i < 5; i++)
			s += owed(trainer(i)) + owed(val(i));
	}

	/// Any number of trainers, any subset revealed, any votes from any
	/// validators, any quorum: finalize credits exactly what the task held,
	/// and the contract's balance is exactly what it owes.
	function testFuzz_finalize_pays_exactly_what_it_holds(uint256 seed, uint96 reward,
	    uint96 rb, uint96 cb) public
	{
		reward = uint96(bound(reward, 1, 100 ether));
		rb = uint96(bound(rb, 0, 10 ether));
		cb = uint96(bound(cb, 0, 1 ether));
		uint256 nt = bound(seed, 1, 5);
		uint256 nv = bound(seed >> 8, 0, 5);
		uint8 q = uint8(bound(seed >> 16, 1, 5));
		dl = deadlines();
		vm.deal(creator, 200 ether);
		vm.prank(creator);
		uint256 id = tasks.createTask{value: uint256(reward) + rb}(TRAIN, testSeal(), 1, "y", 2,
		    dl, q, rb, cb);
		bytes32[3] memory shas = [SHA_A, SHA_B, SHA_C];
		string[3] memory cids = [CID_A, CID_B, CID_C];
		for (uint256 i = 0; i < nt; i++) {
			vm.deal(trainer(i), 2 ether);
			vm.prank(trainer(i));
			tasks.commitModel{value: cb}(id, modelSeal(id, trainer(i), shas[i % 3]));
		}
		bool testShown = (seed >> 24) % 5 != 0;
		if (testShown) {
			revealTest(id);
			for (uint256 i = 0; i < nt; i++) {
				if ((seed >> (32 + i)) & 1 == 1)
					revealModel(id, trainer(i), cids[i % 3], shas[i % 3]);
			}
			_vote(id, nt, nv, seed);
		}
		vm.roll(dl[4] + 1);
		uint256 before = _sumOwed();
		tasks.finalize(id);
		assertEq(_sumOwed() - before, uint256(reward) + rb + uint256(cb) * nt,
		    "credited exactly reward + bonds");
		assertEq(address(tasks).balance, _sumOwed(), "balance = owed");
	}

	function _vote(uint256 id, uint256 nt, uint256 nv, uint256 seed) internal {
		address[] memory ts = new address[](nt);
		uint256 k;
		for (uint256 i = 0; i < nt; i++) {
			(,, bool r,,) = tasks.getCommit(id, trainer(i));
			if (r)
				ts[k++] = trainer(i);
		}
		assembly {
			mstore(ts, k)
		}
		toScoreCommit();
		int256[][] memory ss = new int256[][](nv);
		bool[] memory ok = new bool[](nv);
		for (uint256 v = 0; v < nv; v++) {
			ok[v] = (seed >> (64 + v)) & 3 != 0;
			ss[v] = new int256[](k);
			for (uint256 j = 0; j < k; j++) {
				uint256 r = (seed >> (80 + 4 * v + j)) % 4;
				ss[v][j] = r == 3 ? INVALID : int256(r);
			}
			commitScores(id, val(v), ok[v], ts, ss[v]);
		}
		toScoreReveal();
		for (uint256 v = 0; v < nv; v++) {
			if ((seed >> (120 + v)) % 7 != 0)	// some never reveal
				revealScores(id, val(v), ok[v], ts, ss[v]);
		}
	}
}
