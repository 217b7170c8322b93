// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {UsingDenAI} from "./UsingDenAI.sol";

/// @title An example DenAI consumer that keeps every response.
/// @notice Its requestPrediction(modelId, dataPoint, tip) is the original
/// DenAI's call: dataPoint is the data point's CID, tip the wei to pay, so
/// `requestPrediction(1, cid, 0)` works without ETH. Anyone may ask, paying
/// the tip with the call; the deployer (owner) may also tip from this
/// contract's balance. The asker may cancel an expired request and gets the
/// tip back.
contract ExampleConsumer is UsingDenAI {
	/// Gas asked for the callback: enough to store one response.
	uint32 public constant CALLBACK_GAS = 100_000;

	struct Response {
		uint256 prediction;
		address requester;	// who asked through this contract
		bool received;
	}

	mapping(uint256 => Response) public responses;
	address public immutable owner;
	uint256 public lastRequestId;
	uint256 public responseCount;

	event PredictionAsked(uint256 indexed requestId, address indexed by,
	    uint256 modelId, string dataPoint, uint256 tip);
	event PredictionReceived(uint256 indexed requestId, uint256 prediction);

	error InsufficientBalance(uint256 tip, uint256 balance);
	error TipNotPaid(uint256 tip, uint256 paid);
	error NotYours(uint256 requestId);
	error RefundFailed(address to, uint256 amount);

	constructor(address oracle) UsingDenAI(oracle) {
		owner = msg.sender;
	}

	function requestPrediction(uint256 modelId, string calldata dataPoint, uint256 tip)
	    external payable returns (uint256 requestId)
	{
		if (tip > msg.value && msg.sender != owner)
			revert TipNotPaid(tip, msg.value);
		if (tip > address(this).balance)
			revert InsufficientBalance(tip, address(this).balance);
		requestId = _requestPrediction(modelId, dataPoint, CALLBACK_GAS, tip);
		responses[requestId].requester = msg.sender;
		lastRequestId = requestId;
		emit PredictionAsked(requestId, msg.sender, modelId, dataPoint, tip);
	}

	/// The same as a sealed request: its miners commit, then reveal.
	function requestSealedPrediction(uint256 modelId, string calldata dataPoint,
	    uint256 tip) external payable returns (uint256 requestId)
	{
		if (tip > msg.value && msg.sender != owner)
			revert TipNotPaid(tip, msg.value);
		if (tip > address(this).balance)
			revert InsufficientBalance(tip, address(this).balance);
		requestId = _requestSealedPrediction(modelId, dataPoint, CALLBACK_GAS, tip);
		responses[requestId].requester = msg.sender;
		lastRequestId = requestId;
		emit PredictionAsked(requestId, msg.sender, modelId, dataPoint, tip);
	}

	/// Cancels an expired request of the caller's and passes the refund on.
	function cancel(uint256 requestId) external {
		if (responses[requestId].requester != msg.sender)
			revert NotYours(requestId);
		uint256 before = address(this).balance;
		_cancelRequest(requestId);
		uint256 refund = address(this).balance - before;
		if (refund > 0) {
			(bool ok,) = msg.sender.call{value: refund}("");
			if (!ok)
				revert RefundFailed(msg.sender, refund);
		}
	}

	function _fulfillPrediction(uint256 requestId, uint256 prediction) internal override {
		Response storage r = responses[requestId];
		r.prediction = prediction;
		r.received = true;
		responseCount++;
		emit PredictionReceived(requestId, prediction);
	}
}
