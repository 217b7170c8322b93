// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "./utils/Test.sol";
import {DenAI} from "../src/DenAI.sol";
import {DenAITasks} from "../src/DenAITasks.sol";
import {IDenAIForTasks} from "../src/IDenAITasks.sol";

/// Sends ETH to a contract that does not want it (SELFDESTRUCT still
/// moves the balance under cancun).
contract ForceFeeder {
	constructor(address payable to) payable {
		selfdestruct(to);
	}
}

/// Drives tasks through random steps by random actors, and keeps ghost
/// books: what each finalize credited, how often each task was finalized,
/// the ETH forced in.
contract TasksHandler is Test {
	string internal constant TRAIN = "bafkreiaeigybm7ca2bk4xc3rfoxuvija53tyekayg37hkarfft2tbn4vem";
	string internal constant TEST = "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku";
	bytes32 internal constant SHA_A = 0x73f95cf180a19624e4be9a711fd53a90dadfffa410cc9cd2ba1999454a5b99b8;
	bytes32 internal constant SHA_B = 0xaf30308345d789145d9087a8d6e5037a089e92239bc312bcaba0099bb8e20ba7;
	string internal constant CID_A = "bafkreidt7fopdafbsysojpu2oep5kouq3lp77jaqzsonfoqztfcuuw4zxa";
	string internal constant CID_B = "bafkreifpgayigroxrekf3eehvdloka32bcpjei43ymjlzk5abgn3ryqlu4";

	DenAITasks public tasks;
	address[] public actors;	// creators 0-1, trainers 2-5, validators 6-9
	uint256[] public ids;
	uint256 public forced;
	uint256 public finalizeMismatch;	// finalizes that credited other than held
	uint256 public maxFinalizes;		// per task
	uint256 public trainerOverpaid;		// a trainer credited more than it could earn
	mapping(uint256 => uint256) public finalizes;
	uint256 public finalized;
	uint256 public won;

	constructor(DenAITasks t) {
		tasks = t;
		for (uint256 i = 0; i < 10; i++) {
			actors.push(address(uint160(0xA000 + i)));
			vm.deal(actors[i], 1000 ether);
		}
	}

	function actorCount() external view returns (uint256) {
		return actors.length;
	}

	function idCount() external view returns (uint256) {
		return ids.length;
	}

	function _id(uint256 w) internal view returns (uint256) {
		return ids[bound(w, 0, ids.length - 1)];
	}

	function create(uint256 who, uint96 reward, uint96 rb, uint96 cb, uint8 q) external {
		address c = actors[bound(who, 0, 1)];
		reward = uint96(bound(reward, 1, 5 ether));
		rb = uint96(bound(rb, 0, 1 ether));
		cb = uint96(bound(cb, 0, 1 ether));
		q = uint8(bound(q, 1, 2));
		uint64[5] memory d;
		for (uint256 i = 0; i < 5; i++)
			d[i] = uint64(block.number + 10 * (i + 1));
		vm.prank(c);
		ids.push(tasks.createTask{value: uint256(reward) + rb}(TRAIN,
		    keccak256(abi.encode(TEST, bytes32(uint256(7)))), 1, "y", 0, d, q, rb, cb));
	}

	function seal(uint256 id, address t, uint256 m) internal pure returns (bytes32) {
		return keccak256(abi.encode(id, t, m == 0 ? SHA_A : SHA_B, bytes32(uint256(uint160(t)))));
	}

	function commit(uint256 w, uint256 who, uint256 m) external {
		if (ids.length == 0)
			return;
		uint256 id = _id(w);
		address t = actors[bound(who, 2, 5)];
		(,,,,, uint256 cb) = _bonds(id);
		vm.prank(t);
		try tasks.commitModel{value: cb}(id, seal(id, t, m % 2)) {} catch {}
	}

	function revealTest(uint256 w) external {
		if (ids.length == 0)
			return;
		uint256 id = _id(w);
		(address c,,,,,) = _bonds(id);
		vm.prank(c);
		try tasks.revealTestSet(id, TEST, bytes32(uint256(7))) {} catch {}
	}

	function revealModel(uint256 w, uint256 who, uint256 m) external {
		if (ids.length == 0)
			return;
		uint256 id = _id(w);
		address t = actors[bound(who, 2, 5)];
		m %= 2;
		vm.prank(t);
		try tasks.revealModel(id, m == 0 ? CID_A : CID_B, m == 0 ? SHA_A : SHA_B,
		    bytes32(uint256(uint160(t)))) {} catch {}
	}

	function _lists(uint256 id, uint256 bent, bool ok) internal view
	    returns (address[] memory ts, int256[] memory ss)
	{
		address[] memory all = tasks.trainersOf(id);
		ts = new address[](all.length);
		uint256 k;
		for (uint256 i = 0; i < all.length; i++) {
			(,, bool r,,) = tasks.getCommit(id, all[i]);
			if (r)
				ts[k++] = all[i];
		}
		assembly {
			mstore(ts, k)
		}
		ss = new int256[](k);
		for (uint256 i = 0; i < k; i++)
			ss[i] = int256(uint256(uint160(ts[i])) % 5) + int256(bent);
		if (!ok)
			ts = new address[](0);
		if (!ok)
			ss = new int256[](0);
	}

	/// Validators 6 and 7 score honestly, 8 votes the test set invalid,
	/// 9 inflates every score (the same each call, so a commit and a
	/// later reveal match).
	function score(uint256 w, uint256 who) external {
		if (ids.length == 0)
			return;
		uint256 id = _id(w);
		who = bound(who, 6, 9);
		address v = actors[who];
		uint256 bent = who == 9 ? 1 : 0;
		bool ok = who != 8;
		(address[] memory ts, int256[] memory ss) = _lists(id, bent, ok);
		bytes32 salt = keccak256(abi.encode(v, bent, ok));
		vm.prank(v);
		try tasks.commitScores(id, keccak256(abi.encode(id, v, ok, ts, ss, salt))) {} catch {}
		vm.prank(v);
		try tasks.revealScores(id, ok, ts, ss, salt) {} catch {}
	}

	function finalize(uint256 w) external {
		if (ids.length == 0)
			return;
		uint256 id = _id(w);
		(,, uint256 reward, uint256 rb, uint256 n, uint256 cb) = _bonds(id);
		uint256[] memory before = new uint256[](actors.length);
		uint256 sum;
		for (uint256 i = 0; i < actors.length; i++) {
			before[i] = tasks.owed(actors[i]);
			sum += before[i];
		}
		try tasks.finalize(id) {
			uint256 after_;
			for (uint256 i = 0; i < actors.length; i++) {
				uint256 a = tasks.owed(actors[i]);
				after_ += a;
				if (i >= 2 && i <= 5 && a - before[i] > reward + rb + cb)
					trainerOverpaid++;
			}
			if (after_ - sum != reward + rb + cb * n)
				finalizeMismatch++;
			finalizes[id]++;
			finalized++;
			(uint8 o,,,) = tasks.getOutcome(id);
			if (o == 1)
				won++;
			if (finalizes[id] > maxFinalizes)
				maxFinalizes = finalizes[id];
		} catch {}
	}

	function cancel(uint256 w) external {
		if (ids.length == 0)
			return;
		uint256 id = _id(w);
		(address c,,,,,) = _bonds(id);
		vm.prank(c);
		try tasks.cancelTask(id) {} catch {}
	}

	function withdraw(uint256 who) external {
		vm.prank(actors[bound(who, 0, actors.length - 1)]);
		try tasks.withdraw() {} catch {}
	}

	function force(uint256 amount) external {
		amount = bound(amount, 1, 3 ether);
		vm.deal(address(this), amount);
		new ForceFeeder{value: amount}(payable(address(tasks)));
		forced += amount;
	}

	function wait(uint256 blocks) external {
		vm.roll(block.number + bound(blocks, 1, 12));
	}

	/// creator, phase, reward, reveal bond, trainers, commit bond
	function _bonds(uint256 id) internal view returns (address c, uint8 ph, uint256 reward,
	    uint256 rb, uint256 n, uint256 cb)
	{
		(bool ok, bytes memory ret) = address(tasks).staticcall(
		    abi.encodeWithSelector(tasks.getTask.selector, id));
		require(ok);
		assembly {
			c := mload(add(ret, 32))
			ph := mload(add(ret, 160))
			reward := mload(add(ret, 192))
			cb := mload(add(ret, 224))
		}
		(rb,,, n,) = tasks.getTaskExtra(id);
	}

	/// What an unfinished task holds.
	function held(uint256 id) external view returns (uint256) {
		(, uint8 ph, uint256 reward, uint256 rb, uint256 n, uint256 cb) = _bonds(id);
		if (ph == 7 || ph == 8)
			return 0;
		return reward + rb + cb * n;
	}
}

contract TasksInvariantTest is Test {
	DenAI internal oracle;
	DenAITasks internal tasks;
	TasksHandler internal handler;

	function setUp() public {
		oracle = new DenAI(1, 1, 100, 0);
		tasks = new DenAITasks(IDenAIForTasks(address(oracle)));
		oracle.grantRole(oracle.TASKS_ROLE(), address(tasks));
		handler = new TasksHandler(tasks);
		for (uint256 i = 6; i < 10; i++)
			oracle.grantRole(oracle.VALIDATOR_ROLE(), handler.actors(i));
		targetContract(address(handler));
	}

	/// The handler can walk a task to a winner (so the random runs can).
	function test_handler_reaches_a_winner() public {
		handler.create(0, 1 ether, 0.1 ether, 0.1 ether, 1);
		handler.commit(0, 2, 0);
		handler.commit(0, 3, 1);
		handler.wait(11);
		handler.revealTest(0);
		handler.revealModel(0, 2, 0);
		handler.revealModel(0, 3, 1);
		handler.wait(12);
		handler.wait(8);
		handler.score(0, 6);
		handler.score(0, 7);
		handler.wait(10);
		handler.score(0, 6);
		handler.score(0, 7);
		handler.wait(12);
		handler.finalize(0);
		assertEq(handler.won(), 1, "a winner");
		assertEq(handler.finalizeMismatch(), 0, "paid exactly");
		invariant_balance_covers_what_is_owed();
	}

	/// How far the runs got (printed with -vv).
	function afterInvariant() public {
		emit log_named_uint("tasks created", handler.idCount());
		emit log_named_uint("finalized", handler.finalized());
		emit log_named_uint("won", handler.won());
	}

	/// The balance is what the contract owes (credits and what open tasks
	/// hold) plus what was forced in: never less.
	/// forge-config: default.invariant.depth = 120
	/// forge-config: default.invariant.runs = 32
	function invariant_balance_covers_what_is_owed() public view {
		uint256 owedSum;
		for (uint256 i = 0; i < handler.actorCount(); i++)
			owedSum += tasks.owed(handler.actors(i));
		uint256 heldSum;
		for (uint256 i = 0; i < handler.idCount(); i++)
			heldSum += handler.held(handler.ids(i));
		assertGe(address(tasks).balance, owedSum + heldSum, "balance covers owed + held");
		assertEq(address(tasks).balance, owedSum + heldSum + handler.forced(),
		    "balance = owed + held + forced");
	}

	/// Every finalize credited exactly the reward and the bonds it held.
	/// forge-config: default.invariant.depth = 120
	/// forge-config: default.invariant.runs = 32
	function invariant_finalize_pays_exactly_the_task() public view {
		assertEq(handler.finalizeMismatch(), 0, "a finalize credited other than it held");
	}

	/// A task is finalized at most once; no trainer is paid twice.
	/// forge-config: default.invariant.depth = 120
	/// forge-config: default.invariant.runs = 32
	function invariant_no_one_paid_twice() public view {
		assertLe(handler.maxFinalizes(), 1, "finalized twice");
		assertEq(handler.trainerOverpaid(), 0, "a trainer credited more than one payout");
	}
}
