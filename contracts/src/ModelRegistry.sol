// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {CidCheck} from "./CidCheck.sol";

/// @title The model registry (part of the DenAI oracle).
/// @notice Holders of TRAINER_ROLE register ONNX models by CID and sha256,
/// with the number of decimals a regressor's prediction carries. A model is
/// retired by its trainer or an admin; requests for a retired model are
/// refused. Ids start at 1 and are never reused.
abstract contract ModelRegistry is AccessControl {
	bytes32 public constant TRAINER_ROLE = keccak256("TRAINER_ROLE");
	uint256 public constant MAX_DESCRIPTION = 1024;

	struct Model {
		address trainer;	// slot 0: who registered it,
		uint8 decimals;		// the prediction's decimals,
		bool active;		// false once retired
		bytes32 sha256Hash;	// sha256 of the ONNX file
		bytes32 cid0;		// the model's CID, packed by CidCheck
		bytes32 cid1;
		string description;
	}

	mapping(uint256 => Model) internal _models;
	/// The number of models ever registered (the last id).
	uint256 public modelCount;

	event ModelRegistered(uint256 indexed modelId, address indexed trainer,
	    string modelCid, bytes32 modelSha256, uint8 decimals, string description);
	event ModelRetired(uint256 indexed modelId);

	error UnknownModel(uint256 modelId);
	error ModelNotActive(uint256 modelId);
	error NotModelOwner(uint256 modelId, address caller);
	error InvalidModel();

	/// Registers a model; returns its id. decimals is at most 77 (10^77 is
	/// the largest power of ten below 2^256); the sha256 may not be zero.
	function registerModel(string calldata modelCid, bytes32 modelSha256,
	    uint8 decimals, string calldata description)
	    external onlyRole(TRAINER_ROLE) returns (uint256)
	{
		return _register(msg.sender, modelCid, modelSha256, decimals, description);
	}

	/// Registers a model owned by `owner`.
	function _register(address owner, string calldata modelCid, bytes32 modelSha256,
	    uint8 decimals, string calldata description) internal returns (uint256 modelId)
	{
		(bytes32 c0, bytes32 c1) = CidCheck.pack(modelCid);
		if (modelSha256 == 0 || decimals > 77 ||
		    bytes(description).length > MAX_DESCRIPTION)
			revert InvalidModel();
		modelId = ++modelCount;
		if (modelId > type(uint32).max)
			revert InvalidModel();
		Model storage m = _models[modelId];
		m.trainer = owner;
		m.decimals = decimals;
		m.active = true;
		m.sha256Hash = modelSha256;
		m.cid0 = c0;
		m.cid1 = c1;
		m.description = description;
		emit ModelRegistered(modelId, owner, modelCid, modelSha256,
		    decimals, description);
	}

	/// Retires a model: no new requests for it. Open requests go on.
	function retireModel(uint256 modelId) external {
		Model storage m = _models[modelId];
		if (m.trainer == address(0))
			revert UnknownModel(modelId);
		if (msg.sender != m.trainer && !hasRole(DEFAULT_ADMIN_ROLE, msg.sender))
			revert NotModelOwner(modelId, msg.sender);
		if (!m.active)
			revert ModelNotActive(modelId);
		m.active = false;
		emit ModelRetired(modelId);
	}

	function getModel(uint256 modelId) external view returns (string memory modelCid,
	    bytes32 modelSha256, uint8 decimals, bool active, address trainer,
	    string memory description)
	{
		Model storage m = _models[modelId];
		if (m.trainer == address(0))
			revert UnknownModel(modelId);
		return (CidCheck.unpack(m.cid0, m.cid1), m.sha256Hash, m.decimals,
		    m.active, m.trainer, m.description);
	}

	/// Reverts unless modelId names an active model.
	function _requireActive(uint256 modelId) internal view {
		Model storage m = _models[modelId];
		if (!m.active) {
			if (m.trainer == address(0))
				revert UnknownModel(modelId);
			revert ModelNotActive(modelId);
		}
	}
}
