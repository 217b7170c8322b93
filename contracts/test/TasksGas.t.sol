// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {TasksBase} from "./utils/TasksBase.sol";
import {Vm} from "./utils/Test.sol";
import {DenAITasks} from "../src/DenAITasks.sol";

/// Gas targets of the tasks contract as regression tests, counted as
/// transactions (forge test --isolate, DENAI_GAS_ISOLATE=1; skipped
/// otherwise, like GasTest): a commit under 75,000 gas; a whole task with
/// 3 trainers and 3 validators, withdrawals included, under 2,000,000.
/// bench/gas_tasks.sh measures the same on anvil.
contract TasksGasTest is TasksBase {
	uint256 internal total;

	function setUp() public {
		setUpTasks(3);
	}

	function txGas(address from, uint256 value, bytes memory data, string memory what)
	    internal returns (uint256 used)
	{
		vm.deal(from, from.balance + value);
		vm.prank(from);
		(bool ok,) = address(tasks).call{value: value}(data);
		require(ok, what);
		used = vm.lastCallGas().gasTotalUsed;
		total += used;
		emit log_named_uint(what, used);
	}

	function wholeTask() internal returns (uint256 commitGas) {
		total = 0;
		dl = deadlines();
		uint256 id = tasks.taskCount() + 1;
		txGas(creator, REWARD + REVEAL_BOND, abi.encodeCall(DenAITasks.createTask,
		    (TRAIN, testSeal(), 1, "y", 4, dl, 2, REVEAL_BOND, COMMIT_BOND)), "createTask");
		bytes32[3] memory shas = [SHA_A, SHA_B, SHA_C];
		string[3] memory cids = [CID_A, CID_B, CID_C];
		for (uint256 i = 0; i < 3; i++) {
			uint256 g = txGas(trainer(i), COMMIT_BOND, abi.encodeCall(DenAITasks.commitModel,
			    (id, modelSeal(id, trainer(i), shas[i]))), "commitModel");
			if (g > commitGas)
				commitGas = g;
		}
		vm.roll(dl[0] + 1);
		txGas(creator, 0, abi.encodeCall(DenAITasks.revealTestSet, (id, TEST, TEST_SALT)),
		    "revealTestSet");
		for (uint256 i = 0; i < 3; i++) {
			txGas(trainer(i), 0, abi.encodeCall(DenAITasks.revealModel,
			    (id, cids[i], shas[i], msalt(trainer(i)))), "revealModel");
		}
		address[] memory ts = addrs(trainer(0), trainer(1), trainer(2));
		int256[] memory ss = ints(-30, -20, -25);
		vm.roll(dl[2] + 1);
		for (uint256 i = 0; i < 3; i++) {
			txGas(val(i), 0, abi.encodeCall(DenAITasks.commitScores,
			    (id, scoreSeal(id, val(i), true, ts, ss))), "commitScores");
		}
		vm.roll(dl[3] + 1);
		for (uint256 i = 0; i < 3; i++) {
			txGas(val(i), 0, abi.encodeCall(DenAITasks.revealScores,
			    (id, true, ts, ss, ssalt(val(i)))), "revealScores");
		}
		vm.roll(dl[4] + 1);
		txGas(address(0xF1), 0, abi.encodeCall(DenAITasks.finalize, (id)), "finalize");
		address[7] memory payees = [trainer(0), trainer(1), trainer(2), val(0), val(1),
		    val(2), creator];
		for (uint256 i = 0; i < payees.length; i++)
			txGas(payees[i], 0, abi.encodeCall(DenAITasks.withdraw, ()), "withdraw");
		(uint8 o, address w,,) = tasks.getOutcome(id);
		assertEq(uint256(o), 1, "winner");
		assertEq(w, trainer(1), "trainer 1 wins");
	}

	function test_gas_task_under_targets() public {
		if (!vm.envOr("DENAI_GAS_ISOLATE", false)) {
			vm.skip(true);
			return;
		}
		uint256 c = wholeTask();
		emit log_named_uint("whole task, first (fresh storage)", total);
		assertLt(c, 75_000, "commit under 75,000 gas");
		assertLt(total, 2_000_000, "whole task under 2,000,000 gas");
		c = wholeTask();
		emit log_named_uint("whole task, second", total);
		assertLt(c, 75_000, "commit under 75,000 gas");
		assertLt(total, 2_000_000, "whole task under 2,000,000 gas");
	}
}
