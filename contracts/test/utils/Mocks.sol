// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IDenAI} from "../../src/IDenAI.sol";
import {UsingDenAI} from "../../src/UsingDenAI.sol";

/// Stores each prediction it gets (the benchmark's callback).
contract StoreConsumer is UsingDenAI {
	mapping(uint256 => uint256) public got;
	uint256 public calls;

	constructor(address oracle) UsingDenAI(oracle) {}

	function ask(uint256 modelId, string calldata cid, uint32 gasLimit)
	    external payable returns (uint256)
	{
		return _requestPrediction(modelId, cid, gasLimit, msg.value);
	}

	function cancel(uint256 id) external {
		_cancelRequest(id);
	}

	function _fulfillPrediction(uint256 id, uint256 p) internal override {
		got[id] = p;
		calls++;
	}
}

/// Always reverts in the callback.
contract RevertingConsumer is UsingDenAI {
	constructor(address oracle) UsingDenAI(oracle) {}

	function ask(uint256 modelId, string calldata cid, uint32 gasLimit)
	    external payable returns (uint256)
	{
		return _requestPrediction(modelId, cid, gasLimit, msg.value);
	}

	function _fulfillPrediction(uint256, uint256) internal pure override {
		revert("no thanks");
	}
}

/// Burns its gas down to 360,000, then reverts with 400 kB of data (a
/// return-data bomb: copying that into the oracle's memory would cost the
/// oracle about 350,000 gas more). Give it a limit above 360,000.
contract GasBurner is UsingDenAI {
	constructor(address oracle) UsingDenAI(oracle) {}

	function ask(uint256 modelId, string calldata cid, uint32 gasLimit)
	    external payable returns (uint256)
	{
		return _requestPrediction(modelId, cid, gasLimit, msg.value);
	}

	function _fulfillPrediction(uint256, uint256) internal view override {
		assembly {
			for {} gt(gas(), 360000) {} {}
			revert(0, 400000)
		}
	}
}

/// Records the gas it had on entry and succeeds only if it had at least
/// `need`; then spends it down (so it uses its whole allowance).
contract GasProbe is UsingDenAI {
	uint256 public need;
	uint256 public seen;
	uint256 public fulfilled;

	constructor(address oracle, uint256 need_) UsingDenAI(oracle) {
		need = need_;
	}

	function ask(uint256 modelId, string calldata cid, uint32 gasLimit)
	    external payable returns (uint256)
	{
		return _requestPrediction(modelId, cid, gasLimit, msg.value);
	}

	function _fulfillPrediction(uint256, uint256) internal override {
		uint256 g = gasleft();
		require(g >= need, "starved");
		seen = g;
		fulfilled++;
	}
}

/// Re-enters the oracle from its callback: submitSolution for another
/// request, withdraw, cancelRequest, and submitSolution for the request
/// being fulfilled. Records what each attempt did.
contract Reentrant is UsingDenAI {
	uint256 public mode;	// 1 submit other, 2 withdraw, 3 cancel, 4 submit same
	uint256 public otherId;
	uint256 public otherNonce;
	bool public attemptOk;
	bytes public attemptErr;
	uint256 public calls;

	constructor(address oracle) UsingDenAI(oracle) {}

	function ask(uint256 modelId, string calldata cid, uint32 gasLimit)
	    external payable returns (uint256)
	{
		return _requestPrediction(modelId, cid, gasLimit, msg.value);
	}

	function setMode(uint256 m, uint256 other, uint256 nonce) external {
		mode = m;
		otherId = other;
		otherNonce = nonce;
	}

	function _fulfillPrediction(uint256 id, uint256 p) internal override {
		calls++;
		bytes memory data;
		if (mode == 1)
			data = abi.encodeCall(IDenAI.submitSolution, (otherId, p, otherNonce));
		else if (mode == 2)
			data = abi.encodeCall(IDenAI.withdraw, ());
		else if (mode == 3)
			data = abi.encodeCall(IDenAI.cancelRequest, (otherId));
		else
			data = abi.encodeCall(IDenAI.submitSolution, (id, p, otherNonce));
		(bool ok, bytes memory err) = address(denai).call(data);
		attemptOk = ok;
		attemptErr = err;
	}
}

/// A miner that cannot receive ETH (withdraw must fail for it alone).
contract NoEthMiner {
	function submit(IDenAI d, uint256 id, uint256 p, uint256 nonce) external {
		d.submitSolution(id, p, nonce);
	}

	function pull(IDenAI d) external {
		d.withdraw();
	}
}
