// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title The DenAI oracle as consumers and nodes see it.
/// @notice See docs/contracts.md for the rules behind each call.
interface IDenAI {
	event PredictionRequested(uint256 indexed requestId, uint256 indexed modelId,
	    address indexed requester, string dataCid, uint256 tip, bytes32 challenge,
	    uint256 difficulty);
	event SolutionSubmitted(uint256 indexed requestId, address indexed miner,
	    uint256 prediction);
	event PredictionFulfilled(uint256 indexed requestId, uint256 prediction,
	    bool callbackOk);
	event RequestCancelled(uint256 indexed requestId, address indexed requester,
	    uint256 refund);
	event DifficultyChanged(uint256 oldDifficulty, uint256 newDifficulty);
	event Withdrawal(address indexed miner, uint256 amount, uint256 reward);
	event OpenMiningSet(bool open);
	event SolutionCommitted(uint256 indexed requestId, address indexed miner);

	error CallbackGasTooHigh(uint256 limit, uint256 max);
	error TipTooLarge(uint256 tip);
	error RequestNotOpen(uint256 requestId);
	error RequestExpired(uint256 requestId, uint256 expiresAt);
	error NotExpired(uint256 requestId, uint256 expiresAt);
	error NotRequester(uint256 requestId, address caller);
	error NotMiner(address miner);
	error AlreadySubmitted(uint256 requestId, address miner);
	error InvalidProof(uint256 requestId, address miner, uint256 nonce);
	error InsufficientGasForCallback(uint256 requestId, uint256 callbackGasLimit);
	error NothingToWithdraw(address miner);
	error TransferFailed(address to, uint256 amount);
	error InvalidConfig();
	error NotSealed(uint256 requestId);
	error NotRevealPhase(uint256 requestId);
	error NotCommitted(uint256 requestId, address miner);
	error WrongSeal(uint256 requestId, address miner);
	error NoMajority(uint256 requestId);

	function requestPrediction(uint256 modelId, string calldata dataCid,
	    uint32 callbackGasLimit) external payable returns (uint256 requestId);
	function requestSealedPrediction(uint256 modelId, string calldata dataCid,
	    uint32 callbackGasLimit) external payable returns (uint256 requestId);
	function submitSolution(uint256 requestId, uint256 prediction, uint256 nonce) external;
	function cancelRequest(uint256 requestId) external;
	function withdraw() external;

	function getRequest(uint256 requestId) external view returns (address requester,
	    uint256 modelId, string memory dataCid, uint256 tip, bytes32 challenge,
	    uint256 difficulty, uint256 callbackGasLimit, uint256 expiresAt,
	    uint256 status, uint256 submissions, uint256 prediction, bool callbackOk);
	function getResult(uint256 requestId) external view
	    returns (uint256 status, uint256 prediction, bool callbackOk);
	function openRequests(uint256 offset, uint256 limit) external view
	    returns (uint256[] memory requestIds);
	function submitGasLimit(uint256 requestId) external view returns (uint256);
	function hasSubmitted(uint256 requestId, address miner) external view returns (bool);
	function difficulty() external view returns (uint256);
	function quorum() external view returns (uint256);
}

/// @notice What the oracle calls on the requester when a prediction is in.
interface IDenAIConsumer {
	function fulfillPrediction(uint256 requestId, uint256 prediction) external;
}
