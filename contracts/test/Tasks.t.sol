// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {TasksBase} from "./utils/TasksBase.sol";
import {DenAITasks} from "../src/DenAITasks.sol";
import {IDenAITasks} from "../src/IDenAITasks.sol";
import {CidCheck} from "../src/CidCheck.sol";

/// One test per transition and per refusal of the tasks contract.
contract TasksTest is TasksBase {
	function setUp() public {
		setUpTasks(3);
	}

	// ---- create ----

	function test_create_stores_the_task() public {
		uint256 id = create(2);
		assertEq(id, 1, "first id");
		assertEq(tasks.taskCount(), 1, "count");
		assertEq(tasks.phaseOf(id), 1, "commit phase");
		TaskView memory t = getTask(id);
		assertEq(t.creator, creator, "creator");
		assertEq(uint256(t.kind), 1, "kind");
		assertEq(uint256(t.decimals), 4, "decimals");
		assertEq(uint256(t.quorum), 2, "quorum");
		assertEq(uint256(t.phase), 1, "phase");
		assertEq(t.reward, REWARD, "reward = value - reveal bond");
		assertEq(t.commitBond, COMMIT_BOND, "commit bond");
		assertEq(uint256(t.deadlines[4]), uint256(dl[4]), "deadlines");
		assertEq(t.trainCid, TRAIN, "train cid");
		assertEq(t.testCid, "", "test cid hidden");
		assertEq(t.labelColumn, "y", "label");
		(uint256 rb, bytes32 seal, uint8 limits,,) = tasks.getTaskExtra(id);
		assertEq(rb, REVEAL_BOND, "reveal bond");
		assertEq(seal, testSeal(), "test seal");
		assertEq(uint256(limits), 1, "limits version");
		assertEq(address(tasks).balance, REWARD + REVEAL_BOND, "held");
		uint256[] memory open = tasks.openTasks(0, 10);
		assertEq(open.length, 1, "open");
		assertEq(open[0], id, "open id");
	}

	function test_create_emits() public {
		dl = deadlines();
		vm.expectEmit(true, true, false, true, address(tasks));
		emit IDenAITasks.TaskCreated(1, creator, TRAIN, 1, "y", 4, dl, 2, REWARD, COMMIT_BOND);
		vm.prank(creator);
		tasks.createTask{value: REWARD + REVEAL_BOND}(TRAIN, testSeal(), 1, "y", 4, dl, 2,
		    REVEAL_BOND, COMMIT_BOND);
	}

	function _tryCreate(uint256 value, uint8 kind, string memory label, uint8 dec,
	    uint64[5] memory d, uint8 q, bytes memory err) internal
	{
		vm.expectRevert(err);
		vm.prank(creator);
		tasks.createTask{value: value}(TRAIN, testSeal(), kind, label, dec, d, q,
		    REVEAL_BOND, COMMIT_BOND);
	}

	function test_create_refuses_short_windows() public {
		for (uint256 i = 0; i < 5; i++) {
			uint64[5] memory d = deadlines();
			for (uint256 j = i; j < 5; j++)
				d[j] -= 1;	// window i is one block short
			_tryCreate(2 ether, 1, "y", 0, d, 1,
			    abi.encodeWithSelector(IDenAITasks.InvalidDeadlines.selector));
		}
	}

	function test_create_refuses_quorum_larger_than_validators() public {
		_tryCreate(2 ether, 1, "y", 0, deadlines(), 4,
		    abi.encodeWithSelector(IDenAITasks.InvalidQuorum.selector, 4, 3));
		_tryCreate(2 ether, 1, "y", 0, deadlines(), 0,
		    abi.encodeWithSelector(IDenAITasks.InvalidQuorum.selector, 0, 3));
		for (uint256 i = 3; i < 20; i++)
			oracle.grantRole(oracle.VALIDATOR_ROLE(), val(i));
		_tryCreate(2 ether, 1, "y", 0, deadlines(), 17,
		    abi.encodeWithSelector(IDenAITasks.InvalidQuorum.selector, 17, 20));
	}

	function test_create_refuses_bad_fields() public {
		bytes memory bad = abi.encodeWithSelector(IDenAITasks.InvalidTask.selector);
		_tryCreate(2 ether, 2, "y", 0, deadlines(), 1, bad);	// kind
		_tryCreate(2 ether, 0, "y", 1, deadlines(), 1, bad);	// classification decimals
		_tryCreate(2 ether, 1, "y", 19, deadlines(), 1, bad);	// regression decimals
		_tryCreate(2 ether, 1, "", 0, deadlines(), 1, bad);	// label
		bytes memory long = new bytes(257);
		for (uint256 i = 0; i < long.length; i++)
			long[i] = "a";
		_tryCreate(2 ether, 1, string(long), 0, deadlines(), 1, bad);
		vm.expectRevert(bad);
		vm.prank(creator);
		tasks.createTask{value: 2 ether}(TRAIN, 0, 1, "y", 0, deadlines(), 1, REVEAL_BOND,
		    COMMIT_BOND);
		vm.expectRevert(CidCheck.InvalidCid.selector);
		vm.prank(creator);
		tasks.createTask{value: 2 ether}("notacid", testSeal(), 1, "y", 0, deadlines(), 1,
		    REVEAL_BOND, COMMIT_BOND);
	}

	function test_create_refuses_bad_amounts() public {
		bytes memory bad = abi.encodeWithSelector(IDenAITasks.InvalidAmount.selector);
		_tryCreate(REVEAL_BOND, 1, "y", 0, deadlines(), 1, bad);	// no reward
		vm.deal(creator, 1 << 97);
		_tryCreate(1 << 96, 1, "y", 0, deadlines(), 1, bad);		// reward + bond >= 2^96
		vm.prank(creator);	// just under: accepted
		tasks.createTask{value: (1 << 96) - 1}(TRAIN, testSeal(), 1, "y", 0, deadlines(), 1,
		    REVEAL_BOND, COMMIT_BOND);
		assertEq(tasks.taskCount(), 1, "created");
	}

	// ---- cancel ----

	function test_cancel_refunds_creator() public {
		uint256 id = create(1);
		vm.prank(creator);
		tasks.cancelTask(id);
		assertEq(tasks.phaseOf(id), 8, "cancelled");
		assertEq(owed(creator), REWARD + REVEAL_BOND, "refund owed");
		assertEq(tasks.openTasks(0, 10).length, 0, "not open");
		uint256 before = creator.balance;
		vm.prank(creator);
		tasks.withdraw();
		assertEq(creator.balance - before, REWARD + REVEAL_BOND, "paid");
		assertEq(token.balanceOf(creator), 0, "no DENAI for a refund");
	}

	function test_cancel_refusals() public {
		uint256 id = create(1);
		vm.expectRevert(abi.encodeWithSelector(IDenAITasks.NotCreator.selector, id, trainer(0)));
		vm.prank(trainer(0));
		tasks.cancelTask(id);
		commit(id, trainer(0), SHA_A);
		vm.expectRevert(abi.encodeWithSelector(IDenAITasks.HasCommits.selector, id));
		vm.prank(creator);
		tasks.cancelTask(id);
		uint256 id2 = create(1);
		toTestReveal();
		vm.expectRevert(abi.encodeWithSelector(IDenAITasks.WrongPhase.selector, id2, 2));
		vm.prank(creator);
		tasks.cancelTask(id2);
		vm.expectRevert(abi.encodeWithSelector(IDenAITasks.WrongPhase.selector, 9, 0));
		tasks.cancelTask(9);
	}

	// ---- commit ----

	function test_commit() public {
		uint256 id = create(1);
		bytes32 s = modelSeal(id, trainer(0), SHA_A);
		vm.expectEmit(true, true, false, true, address(tasks));
		emit IDenAITasks.ModelCommitted(id, trainer(0), s, 1);
		commit(id, trainer(0), SHA_A);
		commit(id, trainer(1), SHA_B);
		address[] memory ts = tasks.trainersOf(id);
		assertEq(ts.length, 2, "two trainers");
		assertEq(ts[1], trainer(1), "commit order");
		(bytes32 seal, uint32 seq, bool revealed,,) = tasks.getCommit(id, trainer(0));
		assertEq(seal, s, "seal");
		assertEq(uint256(seq), 1, "seq");
		assertFalse(revealed, "not revealed");
		assertEq(address(tasks).balance, REWARD + REVEAL_BOND + 2 * COMMIT_BOND, "bonds held");
	}

	function test_commit_replaces_with_new_seq_and_refunds_bond() public {
		uint256 id = create(1);
		commit(id, trainer(0), SHA_A);
		commit(id, trainer(1), SHA_B);
		commit(id, trainer(0), SHA_C);
		(bytes32 seal, uint32 seq,,,) = tasks.getCommit(id, trainer(0));
		assertEq(seal, modelSeal(id, trainer(0), SHA_C), "replaced");
		assertEq(uint256(seq), 3, "new seq");
		assertEq(tasks.trainersOf(id).length, 2, "still two trainers");
		assertEq(owed(trainer(0)), COMMIT_BOND, "old bond back");
	}

	function test_commit_refusals() public {
		uint256 id = create(1);
		vm.expectRevert(abi.encodeWithSelector(IDenAITasks.WrongBond.selector, COMMIT_BOND, 1));
		vm.prank(trainer(0));
		tasks.commitModel{value: 1}(id, keccak256("s"));
		vm.expectRevert(IDenAITasks.ZeroSeal.selector);
		vm.prank(trainer(0));
		tasks.commitModel{value: COMMIT_BOND}(id, 0);
		toTestReveal();
		vm.expectRevert(abi.encodeWithSelector(IDenAITasks.WrongPhase.selector, id, 2));
		vm.prank(trainer(0));
		tasks.commitModel{value: COMMIT_BOND}(id, keccak256("late"));
		vm.expectRevert(abi.encodeWithSelector(IDenAITasks.WrongPhase.selector, 7, 0));
		vm.prank(trainer(0));
		tasks.commitModel{value: COMMIT_BOND}(7, keccak256("none"));
	}

	function test_commit_cap_on_trainers() public {
		uint256 id = create(1);
		for (uint256 i = 0; i < 32; i++) {
			address t = address(uint160(0x9000 + i));
			vm.deal(t, 1 ether);
			commit(id, t, SHA_A);
		}
		address late = address(0x9999);
		vm.deal(late, 1 ether);
		vm.expectRevert(abi.encodeWithSelector(IDenAITasks.TooManyTrainers.selector, id));
		vm.prank(late);
		tasks.commitModel{value: COMMIT_BOND}(id, keccak256("x"));
	}

	// ---- test set ----

	function test_reveal_test_set() public {
		uint256 id = create(1);
		commit(id, trainer(0), SHA_A);
		toTestReveal();
		assertEq(tasks.phaseOf(id), 2, "test reveal phase");
		vm.expectEmit(true, false, false, true, address(tasks));
		emit IDenAITasks.TestSetRevealed(id, TEST);
		revealTest(id);
		assertEq(tasks.phaseOf(id), 3, "model reveal phase at once");
		assertEq(getTask(id).testCid, TEST, "test cid");
	}

	function test_reveal_test_set_refusals() public {
		uint256 id = create(1);
		vm.expectRevert(abi.encodeWithSelector(IDenAITasks.WrongPhase.selector, id, 1));
		vm.prank(creator);
		tasks.revealTestSet(id, TEST, TEST_SALT);	// early
		toTestReveal();
		vm.expectRevert(abi.encodeWithSelector(IDenAITasks.NotCreator.selector, id, trainer(0)));
		vm.prank(trainer(0));
		tasks.revealTestSet(id, TEST, TEST_SALT);
		vm.expectRevert(abi.encodeWithSelector(IDenAITasks.WrongSeal.selector, id, creator));
		vm.prank(creator);
		tasks.revealTestSet(id, TEST, keccak256("other salt"));
		vm.expectRevert(abi.encodeWithSelector(IDenAITasks.WrongSeal.selector, id, creator));
		vm.prank(creator);
		tasks.revealTestSet(id, TRAIN, TEST_SALT);
		revealTest(id);
		vm.expectRevert(abi.encodeWithSelector(IDenAITasks.WrongPhase.selector, id, 3));
		vm.prank(creator);
		tasks.revealTestSet(id, TEST, TEST_SALT);	// second
		uint256 id2 = create(1);
		vm.roll(dl[1] + 1);
		vm.expectRevert(abi.encodeWithSelector(IDenAITasks.WrongPhase.selector, id2, 6));
		vm.prank(creator);
		tasks.revealTestSet(id2, TEST, TEST_SALT);	// late
	}

	// ---- model reveal ----

	function test_reveal_model() public {
		uint256 id = create(1);
		commit(id, trainer(0), SHA_A);
		revealTest(id);
		vm.expectEmit(true, true, false, true, address(tasks));
		emit IDenAITasks.ModelRevealed(id, trainer(0), CID_A, SHA_A);
		revealModel(id, trainer(0), CID_A, SHA_A);
		(,, bool revealed, string memory cid, bytes32 sha) = tasks.getCommit(id, trainer(0));
		assertTrue(revealed, "revealed");
		assertEq(cid, CID_A, "cid");
		assertEq(sha, SHA_A, "sha");
	}

	function test_reveal_model_refusals() public {
		uint256 id = create(1);
		commit(id, trainer(0), SHA_A);
		commit(id, trainer(1), SHA_B);
		toTestReveal();
		vm.expectRevert(abi.encodeWithSelector(IDenAITasks.WrongPhase.selector, id, 2));
		revealModel(id, trainer(0), CID_A, SHA_A);	// before the test set
		revealTest(id);
		vm.expectRevert(abi.encodeWithSelector(IDenAITasks.NotCommitted.selector, id, trainer(5)));
		revealModel(id, trainer(5), CID_A, SHA_A);	// unknown trainer
		vm.expectRevert(abi.encodeWithSelector(IDenAITasks.WrongSeal.selector, id, trainer(0)));
		revealModel(id, trainer(0), CID_B, SHA_B);	// not what it sealed
		vm.expectRevert(abi.encodeWithSelector(IDenAITasks.WrongSeal.selector, id, trainer(0)));
		vm.prank(trainer(0));
		tasks.revealModel(id, CID_A, SHA_A, keccak256("wrong salt"));
		vm.expectRevert(IDenAITasks.InvalidModelCid.selector);
		revealModel(id, trainer(0), CID_B, SHA_A);	// CID of another file
		vm.expectRevert(IDenAITasks.InvalidModelCid.selector);
		revealModel(id, trainer(0), TRAIN, SHA_A);
		revealModel(id, trainer(0), CID_A, SHA_A);
		vm.expectRevert(abi.encodeWithSelector(IDenAITasks.AlreadyRevealed.selector, id, trainer(0)));
		revealModel(id, trainer(0), CID_A, SHA_A);	// second
		toScoreCommit();
		vm.expectRevert(abi.encodeWithSelector(IDenAITasks.WrongPhase.selector, id, 4));
		revealModel(id, trainer(1), CID_B, SHA_B);	// late
	}

	// ---- scores ----

	function test_commit_and_reveal_scores() public {
		uint256 id = threeRevealed(1);
		toScoreCommit();
		assertEq(tasks.phaseOf(id), 4, "score commit phase");
		address[] memory ts = addrs(trainer(0), trainer(1));
		int256[] memory ss = ints(-5, -7);
		vm.expectEmit(true, true, false, true, address(tasks));
		emit IDenAITasks.ScoresCommitted(id, val(0));
		commitScores(id, val(0), true, ts, ss);
		(bool c, bool r) = tasks.validatorState(id, val(0));
		assertTrue(c && !r, "committed");
		toScoreReveal();
		assertEq(tasks.phaseOf(id), 5, "score reveal phase");
		vm.expectEmit(true, true, false, true, address(tasks));
		emit IDenAITasks.ScoresRevealed(id, val(0), true);
		revealScores(id, val(0), true, ts, ss);
		(c, r) = tasks.validatorState(id, val(0));
		assertTrue(c && r, "revealed");
		(bool settled,) = tasks.scoreOf(id, trainer(0));
		assertFalse(settled, "not before the deadline");
		toFinalizable();
		int256 s;
		(settled, s) = tasks.scoreOf(id, trainer(0));
		assertTrue(settled, "settled");
		assertEq(s, -5, "score");
		(settled,) = tasks.scoreOf(id, trainer(2));
		assertFalse(settled, "nobody scored trainer 2");
		assertEq(tasks.validatorsOf(id).length, 1, "one validator");
	}

	function test_score_commit_refusals() public {
		uint256 id = threeRevealed(1);
		address[] memory ts = addrs(trainer(0));
		int256[] memory ss = ints(1);
		vm.expectRevert(abi.encodeWithSelector(IDenAITasks.WrongPhase.selector, id, 3));
		commitScores(id, val(0), true, ts, ss);		// early
		toScoreCommit();
		vm.expectRevert(abi.encodeWithSelector(IDenAITasks.NotValidator.selector, address(0xBAD)));
		commitScores(id, address(0xBAD), true, ts, ss);	// non-validator
		oracle.grantRole(oracle.VALIDATOR_ROLE(), creator);
		oracle.grantRole(oracle.VALIDATOR_ROLE(), trainer(1));
		vm.expectRevert(abi.encodeWithSelector(IDenAITasks.NotEligible.selector, id, creator));
		commitScores(id, creator, true, ts, ss);	// its creator
		vm.expectRevert(abi.encodeWithSelector(IDenAITasks.NotEligible.selector, id, trainer(1)));
		commitScores(id, trainer(1), true, ts, ss);	// its trainer
		vm.expectRevert(IDenAITasks.ZeroSeal.selector);
		vm.prank(val(0));
		tasks.commitScores(id, 0);
		commitScores(id, val(0), true, ts, ss);
		vm.expectRevert(abi.encodeWithSelector(IDenAITasks.AlreadyCommitted.selector, id, val(0)));
		commitScores(id, val(0), true, ts, ss);		// second
		toScoreReveal();
		vm.expectRevert(abi.encodeWithSelector(IDenAITasks.WrongPhase.selector, id, 5));
		commitScores(id, val(1), true, ts, ss);		// late
	}

	function test_score_commit_cap_on_validators() public {
		for (uint256 i = 3; i < 17; i++)
			oracle.grantRole(oracle.VALIDATOR_ROLE(), val(i));
		uint256 id = threeRevealed(1);
		toScoreCommit();
		for (uint256 i = 0; i < 16; i++)
			commitScores(id, val(i), false, new address[](0), new int256[](0));
		vm.expectRevert(abi.encodeWithSelector(IDenAITasks.TooManyValidators.selector, id));
		commitScores(id, val(16), false, new address[](0), new int256[](0));
	}

	function test_score_reveal_refusals() public {
		uint256 id = threeRevealed(1);
		// trainer 3 committed but never revealed: not scoreable
		toScoreCommit();
		address[] memory ts = addrs(trainer(0), trainer(1));
		int256[] memory ss = ints(3, 4);
		commitScores(id, val(0), true, ts, ss);
		vm.expectRevert(abi.encodeWithSelector(IDenAITasks.WrongPhase.selector, id, 4));
		revealScores(id, val(0), true, ts, ss);		// early
		toScoreReveal();
		vm.expectRevert(abi.encodeWithSelector(IDenAITasks.NotCommitted.selector, id, val(1)));
		revealScores(id, val(1), true, ts, ss);
		vm.expectRevert(abi.encodeWithSelector(IDenAITasks.WrongSeal.selector, id, val(0)));
		revealScores(id, val(0), true, ts, ints(3, 5));	// other scores
		vm.expectRevert(abi.encodeWithSelector(IDenAITasks.WrongSeal.selector, id, val(0)));
		revealScores(id, val(0), false, ts, ss);	// other verdict
		revealScores(id, val(0), true, ts, ss);
		vm.expectRevert(abi.encodeWithSelector(IDenAITasks.AlreadyRevealed.selector, id, val(0)));
		revealScores(id, val(0), true, ts, ss);		// second
		vm.roll(dl[4] + 1);
		vm.expectRevert(abi.encodeWithSelector(IDenAITasks.WrongPhase.selector, id, 6));
		revealScores(id, val(0), true, ts, ss);		// late
	}

	function test_score_reveal_refuses_unknown_and_duplicate_trainers() public {
		uint256 id = create(1);
		commit(id, trainer(0), SHA_A);
		commit(id, trainer(1), SHA_B);
		revealTest(id);
		revealModel(id, trainer(0), CID_A, SHA_A);	// trainer 1 does not reveal
		toScoreCommit();
		address[] memory unk = addrs(trainer(0), address(0xD00D));
		address[] memory unrevealed = addrs(trainer(1));
		address[] memory dup = addrs(trainer(0), trainer(0));
		address[] memory one = addrs(trainer(0));
		commitScores(id, val(0), true, unk, ints(1, 2));
		commitScores(id, val(1), true, unrevealed, ints(1));
		commitScores(id, val(2), true, dup, ints(1, 1));
		toScoreReveal();
		vm.expectRevert(abi.encodeWithSelector(IDenAITasks.UnknownTrainer.selector, id, address(0xD00D)));
		revealScores(id, val(0), true, unk, ints(1, 2));
		vm.expectRevert(abi.encodeWithSelector(IDenAITasks.UnknownTrainer.selector, id, trainer(1)));
		revealScores(id, val(1), true, unrevealed, ints(1));
		vm.expectRevert(abi.encodeWithSelector(IDenAITasks.DuplicateTrainer.selector, id, trainer(0)));
		revealScores(id, val(2), true, dup, ints(1, 1));
		// lengths that differ
		oracle.grantRole(oracle.VALIDATOR_ROLE(), val(3));
		uint256 id2 = threeRevealed(1);
		toScoreCommit();
		commitScores(id2, val(3), true, one, ints(1, 2));
		toScoreReveal();
		vm.expectRevert(IDenAITasks.LengthMismatch.selector);
		revealScores(id2, val(3), true, one, ints(1, 2));
	}

	// ---- finalize ----

	function test_finalize_pays_winner_and_registers_its_model() public {
		uint256 id = threeRevealed(2);
		scoreAll(id, 3, true, addrs(trainer(0), trainer(1), trainer(2)), ints(-9, -4, INVALID));
		assertEq(tasks.phaseOf(id), 6, "finalizable");
		uint256 mc = oracle.modelCount();
		vm.expectEmit(true, false, false, true, address(tasks));
		emit IDenAITasks.TaskFinalized(id, 1, trainer(1), -4, mc + 1);
		tasks.finalize(id);
		assertEq(tasks.phaseOf(id), 7, "finalized");
		(uint8 o, address w, int256 s, uint256 m) = outcome(id);
		assertEq(uint256(o), 1, "winner outcome");
		assertEq(w, trainer(1), "best score wins");
		assertEq(s, -4, "score");
		assertEq(m, mc + 1, "model id");
		(string memory cid, bytes32 sha, uint8 dec, bool active, address owner,
		    string memory desc) = oracle.getModel(m);
		assertEq(cid, CID_B, "model cid");
		assertEq(sha, SHA_B, "model sha");
		assertEq(uint256(dec), 4, "task decimals");
		assertTrue(active, "active");
		assertEq(owner, trainer(1), "owned by the winner");
		assertEq(desc, "DenAI task 1", "description");
		// Payments: winner 90% + its bond; trainer 0 its bond; trainer 2
		// (invalid model) loses its bond to the validators; 10% + that bond
		// split among the three validators; the creator its reveal bond.
		uint256 frac = REWARD / 10;
		assertEq(owed(trainer(1)), REWARD - frac + COMMIT_BOND, "winner");
		assertEq(owed(trainer(0)), COMMIT_BOND, "valid loser: bond back");
		assertEq(owed(trainer(2)), 0, "invalid model: bond forfeited");
		uint256 pot = frac + COMMIT_BOND;
		assertEq(owed(val(0)), pot / 3 + (pot - 3 * (pot / 3)), "validator 0 (+remainder)");
		assertEq(owed(val(1)), pot / 3, "validator 1");
		assertEq(owed(creator), REVEAL_BOND, "creator: reveal bond");
		assertEq(tasks.openTasks(0, 10).length, 0, "closed");
		// The winner's model answers requests at once.
		vm.deal(address(this), 1 ether);
		uint256 rid = oracle.requestPrediction{value: 0.1 ether}(m, TRAIN, 0);
		assertEq(rid, 1, "request accepted for the new model");
	}

	function test_finalize_mints_denai_at_withdrawal() public {
		uint256 id = threeRevealed(2);
		scoreAll(id, 3, true, addrs(trainer(0), trainer(1), trainer(2)), ints(1, 2, 3));
		tasks.finalize(id);
		uint256 win = REWARD - REWARD / 10;
		assertEq(tasks.owedDenai(trainer(2)), win * 100, "DENAI owed to the winner");
		uint256 before = trainer(2).balance;
		vm.prank(trainer(2));
		tasks.withdraw();
		assertEq(trainer(2).balance - before, win + COMMIT_BOND, "wei paid");
		assertEq(token.balanceOf(trainer(2)), win * 100, "DENAI minted");
		vm.prank(val(1));
		tasks.withdraw();
		assertEq(token.balanceOf(val(1)), 0, "validators earn wei, not DENAI");
		vm.expectRevert(abi.encodeWithSelector(IDenAITasks.NothingToWithdraw.selector, trainer(2)));
		vm.prank(trainer(2));
		tasks.withdraw();
	}

	function test_small_reward_mints_nothing() public {
		dl = deadlines();
		vm.prank(creator);
		uint256 id = tasks.createTask{value: 0.001 ether}(TRAIN, testSeal(), 0, "y", 0, dl, 1,
		    0, 0);
		vm.prank(trainer(0));
		tasks.commitModel(id, modelSeal(id, trainer(0), SHA_A));
		revealTest(id);
		revealModel(id, trainer(0), CID_A, SHA_A);
		scoreAll(id, 1, true, addrs(trainer(0)), ints(7));
		tasks.finalize(id);
		assertEq(owed(trainer(0)), 0.0009 ether, "paid");
		assertEq(tasks.owedDenai(trainer(0)), 0, "below MIN_MINT_REWARD: no DENAI");
	}

	function test_finalize_refusals() public {
		uint256 id = threeRevealed(1);
		vm.expectRevert(abi.encodeWithSelector(IDenAITasks.WrongPhase.selector, id, 3));
		tasks.finalize(id);
		scoreAll(id, 1, true, addrs(trainer(0)), ints(1));
		tasks.finalize(id);
		vm.expectRevert(abi.encodeWithSelector(IDenAITasks.WrongPhase.selector, id, 7));
		tasks.finalize(id);
		vm.expectRevert(abi.encodeWithSelector(IDenAITasks.WrongPhase.selector, 99, 0));
		tasks.finalize(99);
	}

	function test_tie_goes_to_lower_seq() public {
		uint256 id = threeRevealed(1);
		scoreAll(id, 1, true, addrs(trainer(2), trainer(1)), ints(5, 5));
		tasks.finalize(id);
		(, address w,,) = outcome(id);
		assertEq(w, trainer(1), "equal scores: the earlier commit");
	}

	function test_outcome_test_set_never_revealed() public {
		uint256 id = create(1);
		commit(id, trainer(0), SHA_A);
		commit(id, trainer(1), SHA_B);
		vm.roll(dl[1] + 1);
		assertEq(tasks.phaseOf(id), 6, "finalizable at once");
		tasks.finalize(id);
		(uint8 o,,,) = outcome(id);
		assertEq(uint256(o), 3, "test set never revealed");
		assertEq(owed(creator), REWARD, "reward back");
		assertEq(owed(trainer(0)), COMMIT_BOND + REVEAL_BOND / 2, "bond + half the reveal bond");
		assertEq(owed(trainer(1)), COMMIT_BOND + REVEAL_BOND / 2, "bond + half the reveal bond");
	}

	function test_outcome_never_revealed_nobody_committed() public {
		uint256 id = create(1);
		vm.roll(dl[1] + 1);
		tasks.finalize(id);
		assertEq(owed(creator), REWARD + REVEAL_BOND, "all back to the creator");
	}

	function test_outcome_test_set_invalid_by_quorum() public {
		uint256 id = threeRevealed(2);
		toScoreCommit();
		address[] memory none = new address[](0);
		int256[] memory no = new int256[](0);
		address[] memory ts = addrs(trainer(0));
		commitScores(id, val(0), false, none, no);
		commitScores(id, val(1), false, none, no);
		commitScores(id, val(2), true, ts, ints(1));
		toScoreReveal();
		revealScores(id, val(0), false, none, no);
		revealScores(id, val(1), false, none, no);
		revealScores(id, val(2), true, ts, ints(1));
		toFinalizable();
		(bool settled,) = tasks.scoreOf(id, trainer(0));
		assertFalse(settled, "void task: nothing settles");
		tasks.finalize(id);
		(uint8 o,,,) = outcome(id);
		assertEq(uint256(o), 3, "test set invalid");
		uint256 frac = REWARD / 10;
		assertEq(owed(creator), REWARD - frac, "reward back less the validators' pay");
		assertEq(owed(trainer(0)), COMMIT_BOND + REVEAL_BOND / 3, "bond back + a third of the reveal bond");
		assertEq(owed(val(0)), frac / 2, "invalid voter paid");
		assertEq(owed(val(2)), 0, "minority unpaid");
	}

	function test_outcome_no_valid_model() public {
		uint256 id = threeRevealed(2);
		scoreAll(id, 2, true, addrs(trainer(0), trainer(1), trainer(2)),
		    ints(INVALID, INVALID, INVALID));
		tasks.finalize(id);
		(uint8 o, address w,,) = outcome(id);
		assertEq(uint256(o), 2, "no valid model");
		assertEq(w, address(0), "no winner");
		uint256 frac = REWARD / 10;
		assertEq(owed(creator), REWARD - frac + REVEAL_BOND, "reward (less validators) and bond back");
		assertEq(owed(val(0)), (frac + 3 * COMMIT_BOND) / 2, "validators: fraction + junk bonds");
		assertEq(owed(trainer(0)), 0, "junk: no bond back");
		assertEq(oracle.modelCount(), 0, "nothing registered");
	}

	function test_outcome_no_score_settled() public {
		uint256 id = threeRevealed(2);
		toScoreCommit();
		address[] memory ts = addrs(trainer(0));
		commitScores(id, val(0), true, ts, ints(1));
		commitScores(id, val(1), true, ts, ints(2));
		toScoreReveal();
		revealScores(id, val(0), true, ts, ints(1));
		revealScores(id, val(1), true, ts, ints(2));
		toFinalizable();
		tasks.finalize(id);
		(uint8 o,,,) = outcome(id);
		assertEq(uint256(o), 4, "no score settled");
		assertEq(owed(creator), REWARD, "reward back");
		assertEq(owed(trainer(0)), COMMIT_BOND + REVEAL_BOND / 3, "bond back + reveal bond share");
		assertEq(owed(val(0)), 0, "no validator paid");
	}

	function test_outcome_no_validator_revealed() public {
		uint256 id = threeRevealed(1);
		toFinalizable();
		tasks.finalize(id);
		(uint8 o,,,) = outcome(id);
		assertEq(uint256(o), 4, "no score");
		assertEq(owed(creator), REWARD, "reward back");
	}

	function test_quorum_needs_strict_majority() public {
		// quorum 1, two revealed validators disagreeing: 1 of 2 is no majority.
		uint256 id = threeRevealed(1);
		toScoreCommit();
		address[] memory ts = addrs(trainer(0));
		commitScores(id, val(0), true, ts, ints(1));
		commitScores(id, val(1), true, ts, ints(2));
		toScoreReveal();
		revealScores(id, val(0), true, ts, ints(1));
		revealScores(id, val(1), true, ts, ints(2));
		toFinalizable();
		(bool settled,) = tasks.scoreOf(id, trainer(0));
		assertFalse(settled, "a tie settles nothing");
	}

	function test_withdraw_transfer_failure_keeps_credit() public {
		Refuser r = new Refuser();
		vm.deal(address(r), 10 ether);
		dl = deadlines();
		vm.prank(address(r));
		uint256 id = tasks.createTask{value: 2 ether}(TRAIN, testSeal(), 1, "y", 0, dl, 1,
		    0, 0);
		vm.prank(address(r));
		tasks.cancelTask(id);
		vm.expectRevert(abi.encodeWithSelector(IDenAITasks.TransferFailed.selector, address(r), 2 ether));
		vm.prank(address(r));
		tasks.withdraw();
		assertEq(owed(address(r)), 2 ether, "credit kept");
	}

	function test_withdraw_keeps_denai_if_mint_refused() public {
		uint256 id = threeRevealed(1);
		scoreAll(id, 1, true, addrs(trainer(0)), ints(1));
		tasks.finalize(id);
		oracle.revokeRole(oracle.TASKS_ROLE(), address(tasks));
		uint256 d = tasks.owedDenai(trainer(0));
		assertGt(d, 0, "DENAI owed");
		vm.prank(trainer(0));
		tasks.withdraw();
		assertEq(owed(trainer(0)), 0, "wei paid");
		assertEq(tasks.owedDenai(trainer(0)), d, "DENAI still owed");
	}

	function test_finalize_goes_on_if_registration_refused() public {
		uint256 id = threeRevealed(1);
		scoreAll(id, 1, true, addrs(trainer(0)), ints(1));
		oracle.revokeRole(oracle.TASKS_ROLE(), address(tasks));
		tasks.finalize(id);
		(uint8 o, address w,, uint256 m) = outcome(id);
		assertEq(uint256(o), 1, "winner");
		assertEq(w, trainer(0), "winner");
		assertEq(m, 0, "no model id");
		assertEq(owed(trainer(0)), REWARD - REWARD / 10 + COMMIT_BOND, "paid all the same");
	}

	// ---- phases, paging, views ----

	function test_phases_in_order() public {
		uint256 id = create(1);
		commit(id, trainer(0), SHA_A);
		assertEq(tasks.phaseOf(id), 1, "commit");
		vm.roll(dl[0]);
		assertEq(tasks.phaseOf(id), 1, "commit through its deadline");
		vm.roll(dl[0] + 1);
		assertEq(tasks.phaseOf(id), 2, "test reveal");
		revealTest(id);
		assertEq(tasks.phaseOf(id), 3, "model reveal");
		vm.roll(dl[2]);
		assertEq(tasks.phaseOf(id), 3, "model reveal through its deadline");
		vm.roll(dl[2] + 1);
		assertEq(tasks.phaseOf(id), 4, "score commit");
		vm.roll(dl[3] + 1);
		assertEq(tasks.phaseOf(id), 5, "score reveal");
		vm.roll(dl[4]);
		assertEq(tasks.phaseOf(id), 5, "score reveal through its deadline");
		vm.roll(dl[4] + 1);
		assertEq(tasks.phaseOf(id), 6, "finalizable");
		tasks.finalize(id);
		assertEq(tasks.phaseOf(id), 7, "finalized");
		assertEq(tasks.phaseOf(id + 1), 0, "none");
	}

	function test_open_tasks_pages_and_reuses_slots() public {
		uint256 a = create(1);
		uint256 b = create(1);
		uint256 c = create(1);
		vm.prank(creator);
		tasks.cancelTask(b);
		uint256[] memory p = tasks.openTasks(0, 2);
		assertEq(p.length, 1, "page 1: a (b's slot is free)");
		assertEq(p[0], a, "a");
		p = tasks.openTasks(2, 2);
		assertEq(p.length, 1, "page 2: c");
		assertEq(p[0], c, "c");
		uint256 d = create(1);
		assertEq(tasks.slotCount(), 3, "b's slot reused");
		p = tasks.openTasks(0, 10);
		assertEq(p.length, 3, "a d c");
		assertEq(p[1], d, "d in b's slot");
		assertEq(tasks.openTasks(5, 10).length, 0, "past the end");
	}

	function test_free_slots_form_a_list() public {
		uint256 a = create(1);
		uint256 b = create(1);
		uint256 c = create(1);
		vm.startPrank(creator);
		tasks.cancelTask(a);
		tasks.cancelTask(c);
		vm.stopPrank();
		uint256 d = create(1);	// takes c's slot (freed last)
		uint256 e = create(1);	// then a's
		uint256 f = create(1);	// then a new one
		assertEq(tasks.slotCount(), 4, "two slots reused, one new");
		uint256[] memory p = tasks.openTasks(0, 10);
		assertEq(p.length, 4, "b d e f open");
		assertEq(p[0], e, "slot 0: e");
		assertEq(p[1], b, "slot 1: b");
		assertEq(p[2], d, "slot 2: d");
		assertEq(p[3], f, "slot 3: f");
	}

	function test_model_cid_encoding() public view {
		assertEq(tasks.cidOf(SHA_A), CID_A, "A");
		assertEq(tasks.cidOf(SHA_B), CID_B, "B");
		assertEq(tasks.cidOf(SHA_C), CID_C, "C");
		assertEq(tasks.cidDigest(CID_C), SHA_C, "decode");
	}

	function test_cid_digest_refuses_others() public {
		string[6] memory bad = [
		    "bafkreidt7fopdafbsysojpu2oep5kouq3lp77jaqzsonfoqztfcuuw4zx",	// short
		    "bafkreidt7fopdafbsysojpu2oep5kouq3lp77jaqzsonfoqztfcuuw4zxaa",	// long
		    "bafybeidt7fopdafbsysojpu2oep5kouq3lp77jaqzsonfoqztfcuuw4zxa",	// dag-pb
		    "bafkreidt7fopdafbsysojpu2oep5kouq3lp77jaqzsonfoqztfcuuw4zx1",	// '1'
		    "bafkreidt7fopdafbsysojpu2oep5kouq3lp77jaqzsonfoqztfcuuw4zxb",	// padding bits
		    "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG"];
		for (uint256 i = 0; i < bad.length; i++) {
			vm.expectRevert(IDenAITasks.InvalidModelCid.selector);
			tasks.cidDigest(bad[i]);
		}
	}
}

contract Refuser {
	receive() external payable {
		revert("no");
	}
}
