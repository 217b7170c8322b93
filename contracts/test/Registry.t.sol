// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Base} from "./utils/Base.sol";
import {ModelRegistry} from "../src/ModelRegistry.sol";
import {CidCheck} from "../src/CidCheck.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

/// The model registry and the roles.
contract RegistryTest is Base {
	address internal trainer = address(0x7EA);

	function setUp() public {
		deploy(5, 1, 100, 0);
		oracle.grantRole(oracle.TRAINER_ROLE(), trainer);
	}

	function test_register_and_get() public {
		vm.expectEmit(true, true, true, true, address(oracle));
		emit ModelRegistry.ModelRegistered(2, trainer, CID0, bytes32(uint256(5)), 6, "housing");
		vm.prank(trainer);
		uint256 id = oracle.registerModel(CID0, bytes32(uint256(5)), 6, "housing");
		assertEq(id, 2, "second model");
		assertEq(oracle.modelCount(), 2, "count");
		(string memory cid, bytes32 sha, uint8 dec, bool active, address who,
		    string memory desc) = oracle.getModel(id);
		assertEq(cid, CID0, "cid");
		assertEq(sha, bytes32(uint256(5)), "sha256");
		assertEq(uint256(dec), 6, "decimals");
		assertTrue(active, "active");
		assertEq(who, trainer, "trainer");
		assertEq(desc, "housing", "description");
	}

	function test_only_trainers_register() public {
		bytes32 role = oracle.TRAINER_ROLE();
		vm.expectRevert(abi.encodeWithSelector(
		    IAccessControl.AccessControlUnauthorizedAccount.selector, user, role));
		vm.prank(user);
		oracle.registerModel(CID, MODEL_SHA, 0, "x");
		oracle.revokeRole(role, trainer);
		vm.expectRevert(abi.encodeWithSelector(
		    IAccessControl.AccessControlUnauthorizedAccount.selector, trainer, role));
		vm.prank(trainer);
		oracle.registerModel(CID, MODEL_SHA, 0, "x");
	}

	function test_only_admin_grants() public {
		bytes32 role = oracle.TRAINER_ROLE();
		vm.expectRevert(abi.encodeWithSelector(
		    IAccessControl.AccessControlUnauthorizedAccount.selector, trainer,
		    oracle.DEFAULT_ADMIN_ROLE()));
		vm.prank(trainer);
		oracle.grantRole(role, user);
		assertFalse(oracle.hasRole(role, user), "not granted");
		assertTrue(oracle.hasRole(oracle.DEFAULT_ADMIN_ROLE(), admin), "deployer is admin");
	}

	function test_bad_models() public {
		vm.startPrank(trainer);
		vm.expectRevert(ModelRegistry.InvalidModel.selector);
		oracle.registerModel(CID, 0, 0, "no hash");
		vm.expectRevert(ModelRegistry.InvalidModel.selector);
		oracle.registerModel(CID, MODEL_SHA, 78, "too many decimals");
		vm.expectRevert(CidCheck.InvalidCid.selector);
		oracle.registerModel("not a cid", MODEL_SHA, 0, "x");
		vm.expectRevert(ModelRegistry.InvalidModel.selector);
		oracle.registerModel(CID, MODEL_SHA, 0, string(new bytes(1025)));
		oracle.registerModel(CID, MODEL_SHA, 77, string(new bytes(1024)));
		vm.stopPrank();
		vm.expectRevert(abi.encodeWithSelector(ModelRegistry.UnknownModel.selector, 9));
		oracle.getModel(9);
	}

	function test_retire() public {
		vm.prank(trainer);
		uint256 id = oracle.registerModel(CID, MODEL_SHA, 0, "x");
		vm.expectRevert(abi.encodeWithSelector(ModelRegistry.NotModelOwner.selector, id, user));
		vm.prank(user);
		oracle.retireModel(id);
		// Another trainer cannot either; its own trainer can.
		address other = address(0xC0DE);
		oracle.grantRole(oracle.TRAINER_ROLE(), other);
		vm.expectRevert(abi.encodeWithSelector(ModelRegistry.NotModelOwner.selector, id, other));
		vm.prank(other);
		oracle.retireModel(id);
		vm.expectEmit(true, true, true, true, address(oracle));
		emit ModelRegistry.ModelRetired(id);
		vm.prank(trainer);
		oracle.retireModel(id);
		(,,, bool active,,) = oracle.getModel(id);
		assertFalse(active, "retired");
		vm.expectRevert(abi.encodeWithSelector(ModelRegistry.ModelNotActive.selector, id));
		vm.prank(trainer);
		oracle.retireModel(id);
		vm.expectRevert(abi.encodeWithSelector(ModelRegistry.UnknownModel.selector, 99));
		oracle.retireModel(99);
	}

	function test_former_admin_cannot_retire() public {
		oracle.revokeRole(oracle.TRAINER_ROLE(), admin);
		vm.prank(trainer);
		uint256 id = oracle.registerModel(CID, MODEL_SHA, 0, "x");
		oracle.renounceRole(oracle.DEFAULT_ADMIN_ROLE(), admin);
		vm.expectRevert(abi.encodeWithSelector(ModelRegistry.NotModelOwner.selector, id, admin));
		oracle.retireModel(id);
	}

	function test_admin_can_retire() public {
		vm.prank(trainer);
		uint256 id = oracle.registerModel(CID, MODEL_SHA, 0, "x");
		oracle.revokeRole(oracle.TRAINER_ROLE(), admin);
		oracle.retireModel(id);
		(,,, bool active,,) = oracle.getModel(id);
		assertFalse(active, "admin retired it");
	}

	function test_open_requests_survive_retirement() public {
		uint256 id = request();
		oracle.retireModel(modelId);
		for (uint256 i = 0; i < 5; i++)
			submit(id, miner(i), 4);
		assertEq(statusOf(id), 2, "served");
	}
}
