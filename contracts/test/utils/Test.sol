// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// The forge cheatcodes these tests use (a subset of forge-std's Vm; the
/// npm registry has no current forge-std and the build runs offline).
interface Vm {
	struct Log {
		bytes32[] topics;
		bytes data;
		address emitter;
	}

	function prank(address) external;
	function startPrank(address) external;
	function stopPrank() external;
	function deal(address, uint256) external;
	function roll(uint256) external;
	function warp(uint256) external;
	function assume(bool) external pure;
	function label(address, string calldata) external;
	function addr(uint256) external pure returns (address);
	function expectRevert() external;
	function expectRevert(bytes4) external;
	function expectRevert(bytes calldata) external;
	function expectEmit(bool, bool, bool, bool, address) external;
	function recordLogs() external;
	function getRecordedLogs() external returns (Log[] memory);
	function etch(address, bytes calldata) external;
	struct Gas {
		uint64 gasLimit;
		uint64 gasTotalUsed;
		uint64 gasMemoryUsed;
		int64 gasRefunded;
		uint64 gasRemaining;
	}

	function lastCallGas() external view returns (Gas memory);
	function envOr(string calldata, bool) external view returns (bool);
	function skip(bool) external;
	function snapshotState() external returns (uint256);
	function revertToState(uint256) external returns (bool);

	function assertTrue(bool, string calldata) external pure;
	function assertFalse(bool, string calldata) external pure;
	function assertEq(uint256, uint256, string calldata) external pure;
	function assertEq(address, address, string calldata) external pure;
	function assertEq(bytes32, bytes32, string calldata) external pure;
	function assertEq(bool, bool, string calldata) external pure;
	function assertEq(int256, int256, string calldata) external pure;
	function assertEq(string calldata, string calldata, string calldata) external pure;
	function assertLt(uint256, uint256, string calldata) external pure;
	function assertLe(uint256, uint256, string calldata) external pure;
	function assertGt(uint256, uint256, string calldata) external pure;
	function assertGe(uint256, uint256, string calldata) external pure;
}

/// A minimal test base: cheatcodes, assertions (forge's own assert
/// cheatcodes, which revert with a message), bound(), log events forge
/// prints, and the target lists the invariant fuzzer asks for.
abstract contract Test {
	Vm internal constant vm = Vm(0x7109709ECfa91a80626fF3989D68f67F5b1DD12D);

	event log_named_uint(string key, uint256 val);
	event log_string(string);

	struct FuzzSelector {
		address addr;
		bytes4[] selectors;
	}

	address[] private _targetContracts;
	address[] private _targetSenders;
	FuzzSelector[] private _targetSelectors;

	function targetContracts() public view returns (address[] memory) {
		return _targetContracts;
	}

	function targetSenders() public view returns (address[] memory) {
		return _targetSenders;
	}

	function targetSelectors() public view returns (FuzzSelector[] memory) {
		return _targetSelectors;
	}

	function targetContract(address a) internal {
		_targetContracts.push(a);
	}

	function targetSender(address a) internal {
		_targetSenders.push(a);
	}

	function targetSelector(FuzzSelector memory s) internal {
		_targetSelectors.push(s);
	}

	function assertTrue(bool c, string memory m) internal pure {
		vm.assertTrue(c, m);
	}

	function assertFalse(bool c, string memory m) internal pure {
		vm.assertFalse(c, m);
	}

	function assertEq(uint256 a, uint256 b, string memory m) internal pure {
		vm.assertEq(a, b, m);
	}

	function assertEq(address a, address b, string memory m) internal pure {
		vm.assertEq(a, b, m);
	}

	function assertEq(bytes32 a, bytes32 b, string memory m) internal pure {
		vm.assertEq(a, b, m);
	}

	function assertEq(bool a, bool b, string memory m) internal pure {
		vm.assertEq(a, b, m);
	}

	function assertEq(int256 a, int256 b, string memory m) internal pure {
		vm.assertEq(a, b, m);
	}

	function assertEq(string memory a, string memory b, string memory m) internal pure {
		vm.assertEq(a, b, m);
	}

	function assertLt(uint256 a, uint256 b, string memory m) internal pure {
		vm.assertLt(a, b, m);
	}

	function assertLe(uint256 a, uint256 b, string memory m) internal pure {
		vm.assertLe(a, b, m);
	}

	function assertGt(uint256 a, uint256 b, string memory m) internal pure {
		vm.assertGt(a, b, m);
	}

	function assertGe(uint256 a, uint256 b, string memory m) internal pure {
		vm.assertGe(a, b, m);
	}

	/// x mapped into [lo, hi] (a fuzz input helper, like forge-std's).
	function bound(uint256 x, uint256 lo, uint256 hi) internal pure returns (uint256) {
		require(lo <= hi, "bound: lo > hi");
		if (x >= lo && x <= hi)
			return x;
		uint256 size = hi - lo;
		if (size == type(uint256).max)
			return x;
		return lo + x % (size + 1);
	}
}
