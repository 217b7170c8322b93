// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IDenAI, IDenAIConsumer} from "./IDenAI.sol";

/// @title Base for contracts that ask DenAI for predictions.
/// @notice Inherit, call _requestPrediction, implement _fulfillPrediction.
/// Only the oracle can deliver a prediction. The oracle calls back with at
/// most the gas the request asked for; a callback that reverts or runs out
/// of gas loses only its own effects (the oracle keeps the result, readable
/// with getRequest). Refunds of cancelled requests arrive as plain ETH.
abstract contract UsingDenAI is IDenAIConsumer {
	IDenAI public immutable denai;

	error OnlyOracle(address caller);

	constructor(address oracle) {
		denai = IDenAI(oracle);
	}

	/// Asks for a prediction, tipping `tip` wei from this contract's
	/// balance. Returns the request id.
	function _requestPrediction(uint256 modelId, string memory dataCid,
	    uint32 callbackGasLimit, uint256 tip) internal returns (uint256)
	{
		return denai.requestPrediction{value: tip}(modelId, dataCid, callbackGasLimit);
	}

	/// The same as a sealed (commit-reveal) request: miners cannot copy
	/// each other's values (IDenAI.requestSealedPrediction).
	function _requestSealedPrediction(uint256 modelId, string memory dataCid,
	    uint32 callbackGasLimit, uint256 tip) internal returns (uint256)
	{
		return denai.requestSealedPrediction{value: tip}(modelId, dataCid,
		    callbackGasLimit);
	}

	/// Cancels an expired request; the tip comes back to this contract.
	function _cancelRequest(uint256 requestId) internal {
		denai.cancelRequest(requestId);
	}

	function fulfillPrediction(uint256 requestId, uint256 prediction) external {
		if (msg.sender != address(denai))
			revert OnlyOracle(msg.sender);
		_fulfillPrediction(requestId, prediction);
	}

	/// Receives a prediction; runs with the callback gas the request asked for.
	function _fulfillPrediction(uint256 requestId, uint256 prediction) internal virtual;

	receive() external payable virtual {}
}
