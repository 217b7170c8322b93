// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Base} from "./utils/Base.sol";
import {GasProbe} from "./utils/Mocks.sol";
import {IDenAI} from "../src/IDenAI.sol";

/// submitGasLimit against the least gas that fulfils, counted as on a
/// chain: it needs `forge test --isolate` (each call its own transaction,
/// its storage slots cold; without it, slots warmed by the test's earlier
/// calls make a short hint look enough) and says so with
/// DENAI_GAS_ISOLATE=1; otherwise it skips. tests/contracts/forge.t runs it
/// that way, with GasTest.
contract SubmitGasLimitTest is Base {
	receive() external payable {}

	function isolated() internal returns (bool) {
		if (!vm.envOr("DENAI_GAS_ISOLATE", false)) {
			vm.skip(true);
			return false;
		}
		return true;
	}

	/// submitGasLimit holds at every quorum, small ones included (the
	/// fulfilling submission is then one of the first, all its storage
	/// cold): quorum 1, 2, 3, 5 and 16, fresh miners, a callback that needs
	/// all of its limit. With a 100,000 limit the least gas that fulfils
	/// is found by bisection (and logged); with the largest, the hint
	/// itself is tried. (One test a case: each has its own gas budget.)
	function test_submit_gas_limit_quorum1() public {
		if (isolated())
			hintFits(1, 100_000, true);
	}

	function test_submit_gas_limit_quorum2() public {
		if (isolated())
			hintFits(2, 100_000, true);
	}

	function test_submit_gas_limit_quorum3() public {
		if (isolated())
			hintFits(3, 100_000, true);
	}

	function test_submit_gas_limit_quorum5() public {
		if (isolated())
			hintFits(5, 100_000, true);
	}

	function test_submit_gas_limit_quorum16() public {
		if (isolated())
			hintFits(16, 100_000, true);
	}

	function test_submit_gas_limit_quorum1_largest_callback() public {
		if (isolated())
			hintFits(1, 0, false);
	}

	function test_submit_gas_limit_quorum16_largest_callback() public {
		if (isolated())
			hintFits(16, 0, false);
	}

	/// Whether the fulfilling submission of a fresh quorum-q request with
	/// a callback limit of `limit` fulfils with gas g (the callback fed).
	function fulfils(uint256 id, GasProbe c, uint256 limit, bytes memory data,
	    uint256 g) internal returns (bool ok) {
		uint256 snap = vm.snapshotState();
		vm.prank(miner(400));
		(ok,) = address(oracle).call{gas: g}(data);
		if (ok) {
			(, bool cbOk) = predictionOf(id);
			ok = cbOk && c.seen() >= limit - 2_000;
		}
		vm.revertToState(snap);
	}

	/// limit 0: the largest the oracle takes.
	function hintFits(uint256 q, uint256 limit, bool bisect) internal {
		deploy(q, 1, 100, 0);
		if (limit == 0)
			limit = oracle.MAX_CALLBACK_GAS();
		GasProbe c = new GasProbe(address(oracle), limit - 2_000);
		uint256 id = c.ask{value: 1 ether}(modelId, CID, uint32(limit));
		// a transaction gas limit: less the intrinsic gas (21,000 and
		// at most 1,600 for 100 bytes of calldata)
		uint256 hint = oracle.submitGasLimit(id) - 22_600;
		for (uint256 i = 0; i + 1 < q; i++)
			submit(id, miner(300 + i), 8);
		bytes memory data = abi.encodeCall(IDenAI.submitSolution,
		    (id, 8, mine(id, miner(400), 0)));
		emit log_named_uint("quorum", q);
		emit log_named_uint("  hint", hint);
		assertTrue(fulfils(id, c, limit, data, hint),
		    "submitGasLimit is enough");
		if (!bisect)
			return;
		uint256 lo = limit + limit / 63;
		uint256 hi = hint;
		while (lo < hi) {
			uint256 mid = (lo + hi) / 2;
			if (fulfils(id, c, limit, data, mid))
				hi = mid;
			else
				lo = mid + 1;
		}
		emit log_named_uint("  least gas that fulfils", lo);
	}
}
