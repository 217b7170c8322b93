// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title DENAI, the mining reward token.
/// @notice A plain OpenZeppelin ERC-20 whose only source of supply is the
/// DenAI oracle that deployed it: the oracle mints each winning miner's
/// reward when the miner withdraws. Nobody else can mint; nothing burns.
contract DenAIToken is ERC20 {
	/// The oracle, the only minter (the deployer).
	address public immutable minter;

	error NotMinter(address caller);

	constructor() ERC20("DenAI", "DENAI") {
		minter = msg.sender;
	}

	function mint(address to, uint256 amount) external {
		if (msg.sender != minter)
			revert NotMinter(msg.sender);
		_mint(to, amount);
	}
}
