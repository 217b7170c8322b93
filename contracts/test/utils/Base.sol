// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "./Test.sol";
import {DenAI} from "../../src/DenAI.sol";
import {DenAIToken} from "../../src/DenAIToken.sol";

/// Fixture: an oracle, one registered model, miners, and helpers to mine
/// and submit.
abstract contract Base is Test {
	string internal constant CID = "bafkreiaeigybm7ca2bk4xc3rfoxuvija53tyekayg37hkarfft2tbn4vem";
	string internal constant CID0 = "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG";
	bytes32 internal constant MODEL_SHA = keccak256("model.onnx");

	DenAI internal oracle;
	DenAIToken internal token;
	uint256 internal modelId;
	address internal admin = address(this);
	address internal user = address(0xB0B);

	function deploy(uint256 quorum, uint256 difficulty, uint256 expiry, uint256 target) internal {
		oracle = new DenAI(quorum, difficulty, expiry, target);
		token = oracle.token();
		modelId = oracle.registerModel("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku",
		    MODEL_SHA, 4, "iris classifier");
		vm.deal(user, 1000 ether);
	}

	function miner(uint256 i) internal pure returns (address) {
		return address(uint160(0x1000 + i));
	}

	/// getRequest's flat returns, as one struct (decoding twelve values
	/// into locals is too deep a stack for the legacy code generator).
	struct Req {
		address requester;
		uint256 modelId;
		string dataCid;
		uint256 tip;
		bytes32 challenge;
		uint256 difficulty;
		uint256 callbackGasLimit;
		uint256 expiresAt;
		uint256 status;
		uint256 submissions;
		uint256 prediction;
		bool callbackOk;
	}

	function req(uint256 id) internal view returns (Req memory r) {
		(bool ok, bytes memory ret) = address(oracle).staticcall(
		    abi.encodeWithSelector(oracle.getRequest.selector, id));
		require(ok, "getRequest failed");
		r = abi.decode(bytes.concat(abi.encode(uint256(32)), ret), (Req));
	}

	function challengeOf(uint256 id) internal view returns (bytes32) {
		return req(id).challenge;
	}

	function difficultyOf(uint256 id) internal view returns (uint256) {
		return req(id).difficulty;
	}

	function statusOf(uint256 id) internal view returns (uint256) {
		return req(id).status;
	}

	function predictionOf(uint256 id) internal view returns (uint256, bool) {
		Req memory r = req(id);
		return (r.prediction, r.callbackOk);
	}

	function powOk(bytes32 challenge, address who, uint256 nonce, uint256 d)
	    internal pure returns (bool)
	{
		return uint256(keccak256(abi.encodePacked(challenge, who, nonce))) <
		    type(uint256).max / d;
	}

	/// Searches nonces from `from` for one that `who` may submit.
	function mine(uint256 id, address who, uint256 from) internal view returns (uint256 n) {
		bytes32 c = challengeOf(id);
		uint256 d = difficultyOf(id);
		for (n = from; !powOk(c, who, n, d); n++) {}
	}

	function request() internal returns (uint256 id) {
		vm.prank(user);
		id = oracle.requestPrediction{value: 1 ether}(modelId, CID, 0);
	}

	function submit(uint256 id, address who, uint256 prediction) internal {
		uint256 n = mine(id, who, 0);
		vm.prank(who);
		oracle.submitSolution(id, prediction, n);
	}
}
