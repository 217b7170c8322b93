// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Base} from "./utils/Base.sol";
import {Vm} from "./utils/Test.sol";
import {StoreConsumer} from "./utils/Mocks.sol";
import {IDenAI} from "../src/IDenAI.sol";

/// The gas target as a regression test: a steady-state 5-miner cycle
/// (request through a consumer, five submissions, fulfilment with a
/// callback that stores the value) under 600,000 gas, counted as
/// transactions: it needs `forge test --isolate` (each call its own
/// transaction; vm.lastCallGas() then includes the intrinsic gas) and says
/// so with DENAI_GAS_ISOLATE=1; otherwise it skips. tests/contracts/forge.t
/// runs it that way; bench/gas.sh measures the same on anvil.
contract GasTest is Base {
	StoreConsumer internal c;
	uint256 internal total;

	function setUp() public {
		deploy(5, 1, 1000, 0);
		c = new StoreConsumer(address(oracle));
		vm.deal(address(this), 100 ether);
	}

	function intrinsic(bytes memory data) internal pure returns (uint256 g) {
		g = 21_000;
		for (uint256 i = 0; i < data.length; i++)
			g += data[i] == 0 ? 4 : 16;
	}

	/// Sends data to `to` as `from` with value, as a fresh transaction would
	/// see the state; returns its gas.
	function txGas(address from, address to, uint256 value, bytes memory data)
	    internal returns (uint256 used)
	{
		vm.deal(from, from.balance + value);
		vm.prank(from);
		(bool ok,) = to.call{value: value}(data);
		require(ok, "call failed");
		Vm.Gas memory g = vm.lastCallGas();
		used = g.gasTotalUsed;
		// In a transaction of its own, the intrinsic gas is included.
		assertGe(used, intrinsic(data), "isolated: intrinsic gas counted");
	}

	function cycle(bool log) internal returns (uint256 sum) {
		uint256 id = oracle.requestCount() + 1;
		sum = txGas(user, address(c), 1 ether,
		    abi.encodeCall(StoreConsumer.ask, (modelId, CID, 100_000)));
		if (log)
			emit log_named_uint("request", sum);
		for (uint256 i = 0; i < 5; i++) {
			uint256 n = mine(id, miner(i), 0);
			uint256 g = txGas(miner(i), address(oracle), 0,
			    abi.encodeCall(IDenAI.submitSolution, (id, 42, n)));
			if (log)
				emit log_named_uint(i < 4 ? "submit" : "submit (fulfils, calls back)", g);
			sum += g;
		}
		assertEq(c.got(id), 42, "stored by the callback");
	}

	function test_gas_cycle_quorum5_under_target() public {
		if (!vm.envOr("DENAI_GAS_ISOLATE", false)) {
			vm.skip(true);
			return;
		}
		uint256 first = cycle(false);
		emit log_named_uint("first cycle (fresh storage)", first);
		cycle(false);
		uint256 steady = cycle(true);
		emit log_named_uint("steady cycle", steady);
		assertLt(steady, 600_000, "5-miner cycle under 600,000 gas");
	}

	/// The first cycle on a fresh deployment, with the lane prepaid by the
	/// constructor and the miners' credit words by prepayCredits (both at
	/// deployment): a regression bound of 530,000 (issue 17 aims at
	/// 500,000; the rest is the request's own fresh words).
	function test_gas_first_cycle_prepaid_under_target() public {
		if (!vm.envOr("DENAI_GAS_ISOLATE", false)) {
			vm.skip(true);
			return;
		}
		address[] memory ms = new address[](5);
		for (uint256 i = 0; i < 5; i++)
			ms[i] = miner(i);
		oracle.prepayCredits(ms);
		uint256 first = cycle(true);
		emit log_named_uint("first cycle, prepaid", first);
		assertLt(first, 530_000, "first 5-miner cycle, prepaid, under 530,000 gas");
	}
}
