// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "./Test.sol";
import {DenAI} from "../../src/DenAI.sol";
import {DenAIToken} from "../../src/DenAIToken.sol";
import {DenAITasks} from "../../src/DenAITasks.sol";
import {IDenAIForTasks} from "../../src/IDenAITasks.sol";

/// Fixture: DenAI with a tasks contract holding TASKS_ROLE, validators,
/// trainers, and helpers that walk a task through its phases.
abstract contract TasksBase is Test {
	string internal constant TRAIN = "bafkreiaeigybm7ca2bk4xc3rfoxuvija53tyekayg37hkarfft2tbn4vem";
	string internal constant TEST = "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku";
	bytes32 internal constant TEST_SALT = keccak256("test salt");
	// sha256("model-a"), ("model-b"), ("model-c") and their CIDs (computed
	// off chain with Python's hashlib and base64).
	bytes32 internal constant SHA_A = 0x73f95cf180a19624e4be9a711fd53a90dadfffa410cc9cd2ba1999454a5b99b8;
	bytes32 internal constant SHA_B = 0xaf30308345d789145d9087a8d6e5037a089e92239bc312bcaba0099bb8e20ba7;
	bytes32 internal constant SHA_C = 0x1803683f0086326d50bf1ddbdbbdd87d8a60b3131802ce777e9460fb2e63272b;
	string internal constant CID_A = "bafkreidt7fopdafbsysojpu2oep5kouq3lp77jaqzsonfoqztfcuuw4zxa";
	string internal constant CID_B = "bafkreifpgayigroxrekf3eehvdloka32bcpjei43ymjlzk5abgn3ryqlu4";
	string internal constant CID_C = "bafkreiayanud6aeggjwvbpy53pn33wd5rjqlgeyyalhho7uumd5s4yzhfm";
	int256 internal constant INVALID = type(int256).min;

	uint256 internal constant REWARD = 1 ether;
	uint96 internal constant REVEAL_BOND = 0.3 ether;
	uint96 internal constant COMMIT_BOND = 0.1 ether;
	uint256 internal constant W = 10;	// MIN_WINDOW

	DenAI internal oracle;
	DenAIToken internal token;
	DenAITasks internal tasks;
	address internal creator = address(0xC0FFEE);
	uint64[5] internal dl;

	function setUpTasks(uint256 nValidators) internal {
		oracle = new DenAI(1, 1, 100, 0);
		token = oracle.token();
		tasks = new DenAITasks(IDenAIForTasks(address(oracle)));
		oracle.grantRole(oracle.TASKS_ROLE(), address(tasks));
		for (uint256 i = 0; i < nValidators; i++)
			oracle.grantRole(oracle.VALIDATOR_ROLE(), val(i));
		vm.deal(creator, 1000 ether);
		for (uint256 i = 0; i < 8; i++)
			vm.deal(trainer(i), 100 ether);
	}

	function trainer(uint256 i) internal pure returns (address) {
		return address(uint160(0x7000 + i));
	}

	function val(uint256 i) internal pure returns (address) {
		return address(uint160(0x5000 + i));
	}

	function deadlines() internal view returns (uint64[5] memory d) {
		uint256 b = block.number;
		for (uint256 i = 0; i < 5; i++) {
			b += W;
			d[i] = uint64(b);
		}
	}

	function testSeal() internal pure returns (bytes32) {
		return keccak256(abi.encode(TEST, TEST_SALT));
	}

	function create(uint8 quorum) internal returns (uint256 id) {
		dl = deadlines();
		vm.prank(creator);
		id = tasks.createTask{value: REWARD + REVEAL_BOND}(TRAIN, testSeal(), 1, "y", 4,
		    dl, quorum, REVEAL_BOND, COMMIT_BOND);
	}

	function msalt(address t) internal pure returns (bytes32) {
		return keccak256(abi.encode("salt", t));
	}

	function modelSeal(uint256 id, address t, bytes32 sha) internal pure returns (bytes32) {
		return keccak256(abi.encode(id, t, sha, msalt(t)));
	}

	function commit(uint256 id, address t, bytes32 sha) internal {
		vm.prank(t);
		tasks.commitModel{value: COMMIT_BOND}(id, modelSeal(id, t, sha));
	}

	function toTestReveal() internal {
		vm.roll(dl[0] + 1);
	}

	function revealTest(uint256 id) internal {
		if (block.number <= dl[0])
			vm.roll(dl[0] + 1);
		vm.prank(creator);
		tasks.revealTestSet(id, TEST, TEST_SALT);
	}

	function revealModel(uint256 id, address t, string memory cid, bytes32 sha) internal {
		vm.prank(t);
		tasks.revealModel(id, cid, sha, msalt(t));
	}

	function toScoreCommit() internal {
		vm.roll(dl[2] + 1);
	}

	function toScoreReveal() internal {
		vm.roll(dl[3] + 1);
	}

	function toFinalizable() internal {
		vm.roll(dl[4] + 1);
	}

	function ssalt(address v) internal pure returns (bytes32) {
		return keccak256(abi.encode("score salt", v));
	}

	function scoreSeal(uint256 id, address v, bool ok, address[] memory ts, int256[] memory ss)
	    internal pure returns (bytes32)
	{
		return keccak256(abi.encode(id, v, ok, ts, ss, ssalt(v)));
	}

	function commitScores(uint256 id, address v, bool ok, address[] memory ts,
	    int256[] memory ss) internal
	{
		vm.prank(v);
		tasks.commitScores(id, scoreSeal(id, v, ok, ts, ss));
	}

	function revealScores(uint256 id, address v, bool ok, address[] memory ts,
	    int256[] memory ss) internal
	{
		vm.prank(v);
		tasks.revealScores(id, ok, ts, ss, ssalt(v));
	}

	function addrs(address a) internal pure returns (address[] memory r) {
		r = new address[](1);
		r[0] = a;
	}

	function addrs(address a, address b) internal pure returns (address[] memory r) {
		r = new address[](2);
		r[0] = a;
		r[1] = b;
	}

	function addrs(address a, address b, address c) internal pure returns (address[] memory r) {
		r = new address[](3);
		r[0] = a;
		r[1] = b;
		r[2] = c;
	}

	function ints(int256 a) internal pure returns (int256[] memory r) {
		r = new int256[](1);
		r[0] = a;
	}

	function ints(int256 a, int256 b) internal pure returns (int256[] memory r) {
		r = new int256[](2);
		r[0] = a;
		r[1] = b;
	}

	function ints(int256 a, int256 b, int256 c) internal pure returns (int256[] memory r) {
		r = new int256[](3);
		r[0] = a;
		r[1] = b;
		r[2] = c;
	}

	/// Validators 0..n-1 each commit then reveal the same lists.
	function scoreAll(uint256 id, uint256 n, bool ok, address[] memory ts, int256[] memory ss)
	    internal
	{
		toScoreCommit();
		for (uint256 i = 0; i < n; i++)
			commitScores(id, val(i), ok, ts, ss);
		toScoreReveal();
		for (uint256 i = 0; i < n; i++)
			revealScores(id, val(i), ok, ts, ss);
		toFinalizable();
	}

	/// A task with trainers 0, 1, 2 committed and revealed (models A, B, C).
	function threeRevealed(uint8 quorum) internal returns (uint256 id) {
		id = create(quorum);
		commit(id, trainer(0), SHA_A);
		commit(id, trainer(1), SHA_B);
		commit(id, trainer(2), SHA_C);
		revealTest(id);
		revealModel(id, trainer(0), CID_A, SHA_A);
		revealModel(id, trainer(1), CID_B, SHA_B);
		revealModel(id, trainer(2), CID_C, SHA_C);
	}

	/// getTask's flat returns as one struct (too many for locals).
	struct TaskView {
		address creator;
		uint8 kind;
		uint8 decimals;
		uint8 quorum;
		uint8 phase;
		uint256 reward;
		uint256 commitBond;
		uint64[5] deadlines;
		string trainCid;
		string testCid;
		string labelColumn;
	}

	function getTask(uint256 id) internal view returns (TaskView memory t) {
		(bool ok, bytes memory ret) = address(tasks).staticcall(
		    abi.encodeWithSelector(tasks.getTask.selector, id));
		require(ok, "getTask failed");
		t = abi.decode(bytes.concat(abi.encode(uint256(32)), ret), (TaskView));
	}

	function owed(address a) internal view returns (uint256) {
		return tasks.owed(a);
	}

	function outcome(uint256 id) internal view returns (uint8 o, address w, int256 s, uint256 m) {
		return tasks.getOutcome(id);
	}
}
