// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Training tasks as creators, trainers, validators and nodes see them.
/// @notice docs/platform.md fixes these names; docs/contracts.md gives the
/// rules behind each call (../shared/design/PLATFORM.md the lifecycle).
interface IDenAITasks {
	event TaskCreated(uint256 indexed taskId, address indexed creator, string trainCid,
	    uint8 kind, string labelColumn, uint8 decimals, uint64[5] deadlines,
	    uint8 quorum, uint256 reward, uint256 commitBond);
	event TaskCancelled(uint256 indexed taskId);
	event ModelCommitted(uint256 indexed taskId, address indexed trainer, bytes32 seal,
	    uint32 seq);
	event TestSetRevealed(uint256 indexed taskId, string testCid);
	event ModelRevealed(uint256 indexed taskId, address indexed trainer, string modelCid,
	    bytes32 modelSha256);
	event ScoresCommitted(uint256 indexed taskId, address indexed validator);
	event ScoresRevealed(uint256 indexed taskId, address indexed validator,
	    bool testSetValid);
	event TaskFinalized(uint256 indexed taskId, uint8 outcome, address winner,
	    int256 score, uint256 modelId);
	event Withdrawn(address indexed who, uint256 amount);

	error UnknownTask(uint256 taskId);
	error WrongPhase(uint256 taskId, uint8 phase);
	error InvalidDeadlines();
	error InvalidQuorum(uint256 quorum, uint256 validators);
	error InvalidAmount();
	error InvalidTask();
	error NotCreator(uint256 taskId, address caller);
	error HasCommits(uint256 taskId);
	error WrongBond(uint256 expected, uint256 sent);
	error TooManyTrainers(uint256 taskId);
	error TooManyValidators(uint256 taskId);
	error ZeroSeal();
	error WrongSeal(uint256 taskId, address who);
	error NotCommitted(uint256 taskId, address who);
	error AlreadyCommitted(uint256 taskId, address who);
	error AlreadyRevealed(uint256 taskId, address who);
	error InvalidModelCid();
	error NotValidator(address who);
	error NotEligible(uint256 taskId, address who);
	error UnknownTrainer(uint256 taskId, address trainer);
	error DuplicateTrainer(uint256 taskId, address trainer);
	error LengthMismatch();
	error FinalizeGasTooLow(uint256 needed);
	error NothingToWithdraw(address who);
	error TransferFailed(address to, uint256 amount);

	function createTask(string calldata trainCid, bytes32 testSeal, uint8 kind,
	    string calldata labelColumn, uint8 decimals, uint64[5] calldata deadlines,
	    uint8 quorum, uint96 revealBond, uint96 commitBond)
	    external payable returns (uint256 taskId);
	function cancelTask(uint256 taskId) external;
	function commitModel(uint256 taskId, bytes32 seal) external payable;
	function revealTestSet(uint256 taskId, string calldata testCid, bytes32 salt) external;
	function revealModel(uint256 taskId, string calldata modelCid, bytes32 modelSha256,
	    bytes32 salt) external;
	function commitScores(uint256 taskId, bytes32 seal) external;
	function revealScores(uint256 taskId, bool testSetValid, address[] calldata trainers,
	    int256[] calldata scores, bytes32 salt) external;
	function finalize(uint256 taskId) external;
	function withdraw() external;

	function taskCount() external view returns (uint256);
	function phaseOf(uint256 taskId) external view returns (uint8);
	function getTask(uint256 taskId) external view returns (address creator, uint8 kind,
	    uint8 decimals, uint8 quorum, uint8 phase, uint256 reward, uint256 commitBond,
	    uint64[5] memory deadlines, string memory trainCid, string memory testCid,
	    string memory labelColumn);
	function getOutcome(uint256 taskId) external view returns (uint8 outcome,
	    address winner, int256 score, uint256 modelId);
	function trainersOf(uint256 taskId) external view returns (address[] memory);
	function getCommit(uint256 taskId, address trainer) external view returns (bytes32 seal,
	    uint32 seq, bool revealed, string memory modelCid, bytes32 modelSha256);
	function scoreOf(uint256 taskId, address trainer) external view
	    returns (bool settled, int256 score);
	function validatorState(uint256 taskId, address validator) external view
	    returns (bool committed, bool revealed);
	function openTasks(uint256 offset, uint256 limit) external view
	    returns (uint256[] memory taskIds);
	function owed(address who) external view returns (uint256);
}

/// @notice What the tasks contract needs of DenAI (it holds TASKS_ROLE there).
interface IDenAIForTasks {
	function VALIDATOR_ROLE() external view returns (bytes32);
	function hasRole(bytes32 role, address account) external view returns (bool);
	function validatorCount() external view returns (uint256);
	function registerFor(address owner, string calldata modelCid, bytes32 modelSha256,
	    uint8 decimals, string calldata description) external returns (uint256);
	function mintFor(address to, uint256 amount) external;
}
