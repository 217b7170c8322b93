// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {TasksBase} from "./utils/TasksBase.sol";
import {DenAI} from "../src/DenAI.sol";
import {DenAITasks} from "../src/DenAITasks.sol";
import {IDenAITasks} from "../src/IDenAITasks.sol";
import {IDenAIForTasks} from "../src/IDenAITasks.sol";

/// The attacks PLATFORM.md names, each played out to the money.
contract TasksAdversaryTest is TasksBase {
	function setUp() public {
		setUpTasks(5);
	}

	function test_creator_who_never_reveals_loses_its_bond() public {
		uint256 id = create(1);
		commit(id, trainer(0), SHA_A);
		commit(id, trainer(1), SHA_B);
		commit(id, trainer(2), SHA_C);
		// The creator takes nothing: no model was revealed.
		vm.roll(dl[1] + 1);
		vm.expectRevert(abi.encodeWithSelector(IDenAITasks.WrongPhase.selector, id, 6));
		revealModel(id, trainer(0), CID_A, SHA_A);
		tasks.finalize(id);
		assertEq(owed(creator), REWARD, "only the reward back");
		for (uint256 i = 0; i < 3; i++)
			assertEq(owed(trainer(i)), COMMIT_BOND + REVEAL_BOND / 3, "bond + its share");
	}

	function test_creator_with_an_invalid_test_set_pays_trainers_and_validators() public {
		uint256 id = threeRevealed(3);
		toScoreCommit();
		address[] memory none = new address[](0);
		int256[] memory no = new int256[](0);
		for (uint256 i = 0; i < 4; i++)
			commitScores(id, val(i), false, none, no);
		toScoreReveal();
		for (uint256 i = 0; i < 4; i++)
			revealScores(id, val(i), false, none, no);
		toFinalizable();
		tasks.finalize(id);
		(uint8 o,,,) = outcome(id);
		assertEq(uint256(o), 3, "test set invalid");
		assertEq(owed(creator), REWARD - REWARD / 10, "reward less the validators' pay");
		for (uint256 i = 0; i < 3; i++)
			assertEq(owed(trainer(i)), COMMIT_BOND + REVEAL_BOND / 3, "bond back + share");
		assertEq(owed(val(0)), REWARD / 10 / 4, "each validator a quarter");
		assertEq(oracle.modelCount(), 0, "no model registered");
	}

	function test_copying_trainer_gets_nothing() public {
		uint256 id = create(1);
		commit(id, trainer(0), SHA_A);
		// trainer 1 copies trainer 0's seal from the chain.
		(bytes32 seal,,,,) = tasks.getCommit(id, trainer(0));
		vm.prank(trainer(1));
		tasks.commitModel{value: COMMIT_BOND}(id, seal);
		revealTest(id);
		revealModel(id, trainer(0), CID_A, SHA_A);
		// It cannot open the copied seal: the seal binds trainer 0's address.
		vm.expectRevert(abi.encodeWithSelector(IDenAITasks.WrongSeal.selector, id, trainer(1)));
		vm.prank(trainer(1));
		tasks.revealModel(id, CID_A, SHA_A, msalt(trainer(0)));
		// Nor commit again to the model it now sees: commits are closed.
		vm.expectRevert(abi.encodeWithSelector(IDenAITasks.WrongPhase.selector, id, 3));
		commit(id, trainer(2), SHA_A);
		scoreAll(id, 1, true, addrs(trainer(0)), ints(10));
		tasks.finalize(id);
		(, address w,,) = outcome(id);
		assertEq(w, trainer(0), "the original wins");
		assertEq(owed(trainer(1)), 0, "the copier: nothing, its bond forfeited");
		assertEq(owed(val(0)), REWARD / 10 + COMMIT_BOND, "the validator gets the copier's bond");
	}

	function test_later_copy_of_the_same_model_loses_the_tie() public {
		// A trainer that got the model off chain commits it after the
		// original: equal scores, the earlier commit wins.
		uint256 id = create(1);
		commit(id, trainer(0), SHA_A);
		commit(id, trainer(1), SHA_A);
		revealTest(id);
		revealModel(id, trainer(1), CID_A, SHA_A);
		revealModel(id, trainer(0), CID_A, SHA_A);
		scoreAll(id, 1, true, addrs(trainer(1), trainer(0)), ints(10, 10));
		tasks.finalize(id);
		(, address w,,) = outcome(id);
		assertEq(w, trainer(0), "the first commit wins");
		assertEq(owed(trainer(1)), COMMIT_BOND, "the copy: its bond only");
	}

	function test_selective_reveal_from_many_addresses_loses_the_other_bonds() public {
		uint256 id = create(1);
		commit(id, trainer(0), SHA_A);	// the same person behind 0, 1, 2
		commit(id, trainer(1), SHA_B);
		commit(id, trainer(2), SHA_C);
		commit(id, trainer(3), SHA_A);	// an honest trainer
		revealTest(id);
		revealModel(id, trainer(1), CID_B, SHA_B);	// only its best
		vm.prank(trainer(3));
		tasks.revealModel(id, CID_A, SHA_A, msalt(trainer(3)));
		scoreAll(id, 1, true, addrs(trainer(1), trainer(3)), ints(9, 5));
		tasks.finalize(id);
		(, address w,,) = outcome(id);
		assertEq(w, trainer(1), "its best wins");
		assertEq(owed(trainer(0)), 0, "unrevealed: bond lost");
		assertEq(owed(trainer(2)), 0, "unrevealed: bond lost");
		assertEq(owed(trainer(3)), COMMIT_BOND, "the honest loser: bond back");
		assertEq(owed(val(0)), REWARD / 10 + 2 * COMMIT_BOND, "the lost bonds go to the validator");
	}

	function test_colluding_minority_validators_are_outvoted_and_unpaid() public {
		uint256 id = threeRevealed(3);
		address[] memory ts = addrs(trainer(0), trainer(1), trainer(2));
		int256[] memory honest = ints(5, 7, 6);
		int256[] memory bent = ints(99, 7, 6);	// push trainer 0
		toScoreCommit();
		for (uint256 i = 0; i < 3; i++)
			commitScores(id, val(i), true, ts, honest);
		commitScores(id, val(3), true, ts, bent);
		commitScores(id, val(4), true, ts, bent);
		toScoreReveal();
		for (uint256 i = 0; i < 3; i++)
			revealScores(id, val(i), true, ts, honest);
		revealScores(id, val(3), true, ts, bent);
		revealScores(id, val(4), true, ts, bent);
		toFinalizable();
		(bool settled, int256 s) = tasks.scoreOf(id, trainer(0));
		assertTrue(settled, "settled");
		assertEq(s, 5, "the honest score");
		tasks.finalize(id);
		(, address w,,) = outcome(id);
		assertEq(w, trainer(1), "the honest winner");
		// Points: honest validators 3 each, colluders 2 each (trainers 1, 2).
		uint256 pot = REWARD / 10;
		assertEq(owed(val(3)), pot * 2 / 13, "a colluder is paid only for its honest votes");
		assertEq(owed(val(1)), pot * 3 / 13, "an honest validator: all its votes");
	}

	function test_colluders_who_lie_about_everything_get_nothing() public {
		uint256 id = threeRevealed(3);
		address[] memory ts = addrs(trainer(0));
		toScoreCommit();
		for (uint256 i = 0; i < 5; i++)
			commitScores(id, val(i), true, ts, ints(i < 3 ? int256(5) : int256(50)));
		toScoreReveal();
		for (uint256 i = 0; i < 5; i++)
			revealScores(id, val(i), true, ts, ints(i < 3 ? int256(5) : int256(50)));
		toFinalizable();
		tasks.finalize(id);
		assertEq(owed(val(3)), 0, "outvoted: unpaid");
		assertEq(owed(val(4)), 0, "outvoted: unpaid");
		assertGt(owed(val(0)), 0, "the majority is paid");
	}

	function test_validator_cannot_copy_revealed_scores() public {
		uint256 id = threeRevealed(1);
		address[] memory ts = addrs(trainer(0));
		int256[] memory ss = ints(5);
		toScoreCommit();
		commitScores(id, val(0), true, ts, ss);
		// val(1) copies val(0)'s seal: it binds val(0)'s address.
		vm.prank(val(1));
		tasks.commitScores(id, scoreSeal(id, val(0), true, ts, ss));
		toScoreReveal();
		revealScores(id, val(0), true, ts, ss);
		vm.expectRevert(abi.encodeWithSelector(IDenAITasks.WrongSeal.selector, id, val(1)));
		vm.prank(val(1));
		tasks.revealScores(id, true, ts, ss, ssalt(val(0)));
		vm.expectRevert(abi.encodeWithSelector(IDenAITasks.WrongSeal.selector, id, val(1)));
		revealScores(id, val(1), true, ts, ss);
		// And a validator that waited for the reveals cannot commit any more.
		vm.expectRevert(abi.encodeWithSelector(IDenAITasks.WrongPhase.selector, id, 5));
		commitScores(id, val(2), true, ts, ss);
		toFinalizable();
		tasks.finalize(id);
		assertEq(owed(val(1)), 0, "the copier: nothing");
		assertGt(owed(val(0)), 0, "the one who did the work is paid");
	}

	function test_quorum_larger_than_validators_refused() public {
		dl = deadlines();
		vm.expectRevert(abi.encodeWithSelector(IDenAITasks.InvalidQuorum.selector, 6, 5));
		vm.prank(creator);
		tasks.createTask{value: 2 ether}(TRAIN, testSeal(), 1, "y", 0, dl, 6, REVEAL_BOND,
		    COMMIT_BOND);
	}
}

/// DenAI's side of the platform: validator counting, MINER_ROLE,
/// registerFor and mintFor through TASKS_ROLE, code sizes.
contract TasksRolesTest is TasksBase {
	function setUp() public {
		setUpTasks(0);
	}

	function test_validator_count_follows_grants() public {
		assertEq(oracle.validatorCount(), 0, "none");
		bytes32 v = oracle.VALIDATOR_ROLE();
		oracle.grantRole(v, val(0));
		oracle.grantRole(v, val(0));	// twice: counted once
		oracle.grantRole(v, val(1));
		oracle.grantRole(oracle.MINER_ROLE(), val(2));
		assertEq(oracle.validatorCount(), 2, "two");
		oracle.revokeRole(v, val(0));
		oracle.revokeRole(v, val(0));
		assertEq(oracle.validatorCount(), 1, "revoked");
		vm.prank(val(1));
		oracle.renounceRole(v, val(1));
		assertEq(oracle.validatorCount(), 0, "renounced");
	}

	function test_register_for_and_mint_for_need_tasks_role() public {
		vm.expectRevert();
		vm.prank(address(0xBAD));
		oracle.registerFor(address(0xBAD), CID_A, SHA_A, 0, "x");
		vm.expectRevert();
		vm.prank(address(0xBAD));
		oracle.mintFor(address(0xBAD), 1);
		vm.prank(address(tasks));
		uint256 m = oracle.registerFor(trainer(0), CID_A, SHA_A, 3, "won");
		(,,,, address owner,) = oracle.getModel(m);
		assertEq(owner, trainer(0), "owned by the one named");
		vm.prank(address(tasks));
		oracle.mintFor(trainer(0), 5);
		assertEq(token.balanceOf(trainer(0)), 5, "minted");
	}

	function test_code_sizes_under_eip170() public {
		assertLt(address(oracle).code.length, 24_577, "DenAI under 24,576 bytes");
		assertLt(address(tasks).code.length, 24_577, "DenAITasks under 24,576 bytes");
		emit log_named_uint("DenAI runtime bytes", address(oracle).code.length);
		emit log_named_uint("DenAITasks runtime bytes", address(tasks).code.length);
	}

	function test_tasks_contract_knows_its_oracle() public {
		DenAITasks t = new DenAITasks(IDenAIForTasks(address(oracle)));
		assertEq(address(t.denai()), address(oracle), "denai");
		assertEq(DenAI(address(t.denai())).VALIDATOR_ROLE(), keccak256("VALIDATOR_ROLE"), "role");
	}
}
