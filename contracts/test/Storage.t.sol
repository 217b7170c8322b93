// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Base} from "./utils/Base.sol";
import {DenAI} from "../src/DenAI.sol";
import {IDenAI} from "../src/IDenAI.sol";
import {RevertingConsumer} from "./utils/Mocks.sol";

/// The storage layout behind the gas figures (docs/contracts.md, "Storage
/// and gas"): miner fingerprints are only a filter, views read the same
/// in every state whatever happened to the lane since, the compact CID
/// round-trips at every length.
contract StorageTest is Base {
	function setUp() public {
		deploy(5, 1, 100, 0);
	}

	/// The fingerprint DenAI keeps: the low 64 / quorum bits of
	/// keccak256(challenge, miner).
	function fp(uint256 q, bytes32 ch, address m) internal pure returns (uint256) {
		uint256 bits = 64 / q;
		return uint256(keccak256(abi.encodePacked(ch, m))) &
		    (bits == 64 ? type(uint64).max : (1 << bits) - 1);
	}

	function fp(DenAI d, uint256 id, address m) internal view returns (uint256) {
		return fp(d.quorum(), challengeOf(id), m);
	}

	/// An address other than `m` with m's fingerprint for request id.
	function collider(DenAI d, uint256 id, address m) internal view returns (address a) {
		uint256 q = d.quorum();
		bytes32 ch = challengeOf(id);
		uint256 want = fp(q, ch, m);
		for (uint256 k = 1; ; k++) {
			a = address(uint160(0xC0117DE000 + k));
			if (a != m && fp(q, ch, a) == want)
				return a;
		}
	}

	function collidingMinersBothCount(uint256 q) internal {
		deploy(q, 1, 100, 0);
		uint256 id = request();
		address a = miner(0);
		address b = collider(oracle, id, a);
		assertEq(fp(oracle, id, a), fp(oracle, id, b), "fingerprints collide");
		submit(id, a, 7);
		submit(id, b, 7);	// a distinct miner: accepted
		assertTrue(oracle.hasSubmitted(id, a), "a counted");
		assertTrue(oracle.hasSubmitted(id, b), "b counted");
		assertEq(req(id).submissions, 2, "two submissions");
		// Each of them is still refused a second time.
		uint256 n = mine(id, b, 1);
		vm.expectRevert(abi.encodeWithSelector(IDenAI.AlreadySubmitted.selector, id, b));
		vm.prank(b);
		oracle.submitSolution(id, 7, n);
		n = mine(id, a, 1);
		vm.expectRevert(abi.encodeWithSelector(IDenAI.AlreadySubmitted.selector, id, a));
		vm.prank(a);
		oracle.submitSolution(id, 7, n);
		for (uint256 i = 1; i + 1 < q; i++)
			submit(id, miner(i), 7);
		assertEq(statusOf(id), 2, "fulfilled");
		(uint256 wa, uint256 ra) = oracle.owed(a);
		(uint256 wb, uint256 rb) = oracle.owed(b);
		assertEq(ra, 1e18, "a rewarded");
		assertEq(rb, 1e18, "b rewarded");
		assertEq(wa + wb, 2 * (1 ether / q) + (1 ether - q * (1 ether / q)), "both paid their share");
	}

	function test_colliding_fingerprints_quorum16() public {
		collidingMinersBothCount(16);	// 4-bit fingerprints
	}

	function test_colliding_fingerprints_quorum5() public {
		collidingMinersBothCount(5);	// 12-bit fingerprints
	}

	function test_colliding_fingerprints_sealed() public {
		deploy(16, 1, 100, 0);
		vm.prank(user);
		uint256 id = oracle.requestSealedPrediction{value: 1 ether}(modelId, CID, 0);
		address a = miner(0);
		address b = collider(oracle, id, a);
		address[] memory ms = new address[](16);
		ms[0] = b;	// b commits first: a's lookups meet b's fingerprint first
		ms[1] = a;
		for (uint256 i = 2; i < 16; i++)
			ms[i] = miner(i);
		for (uint256 i = 0; i < 16; i++) {
			uint256 n = mine(id, ms[i], 0);
			vm.prank(ms[i]);
			oracle.commitSolution(id, keccak256(abi.encode(id, ms[i], uint256(5), bytes32(i))), n);
		}
		// a reveals its own seal, not b's; then b its own.
		vm.prank(a);
		oracle.revealSolution(id, 5, bytes32(uint256(1)));
		vm.expectRevert(abi.encodeWithSelector(IDenAI.AlreadySubmitted.selector, id, a));
		vm.prank(a);
		oracle.revealSolution(id, 5, bytes32(uint256(1)));
		vm.prank(b);
		oracle.revealSolution(id, 5, bytes32(uint256(0)));
		for (uint256 i = 2; i < 16; i++) {
			vm.prank(ms[i]);
			oracle.revealSolution(id, 5, bytes32(i));
		}
		(uint256 st, uint256 p,) = oracle.getResult(id);
		assertEq(st, 2, "fulfilled");
		assertEq(p, 5, "value");
		(, uint256 ra) = oracle.owed(a);
		(, uint256 rb) = oracle.owed(b);
		assertEq(ra + rb, 2e18, "both rewarded");
	}

	/// What never changes about a request, hashed.
	function fixedOf(uint256 id) internal view returns (bytes32) {
		Req memory x = req(id);
		return keccak256(abi.encode(x.requester, x.modelId, x.dataCid, x.tip,
		    x.difficulty, x.callbackGasLimit, x.expiresAt));
	}

	uint256 internal sOpen;
	uint256 internal sFul;
	uint256 internal sFailed;
	uint256 internal sCan;
	uint256 internal sSealedCan;
	mapping(uint256 => bytes32) internal fixed0;
	mapping(uint256 => bytes32) internal challenge0;
	RevertingConsumer internal rc;

	function makeStates() internal {
		rc = new RevertingConsumer(address(oracle));
		vm.prank(user);
		sOpen = oracle.requestPrediction{value: 1 ether}(modelId, CID0, 50_000);
		sFul = request();
		sFailed = rc.ask(modelId, "bafkreiaaaaaaaaa", 30_000);
		sCan = request();
		vm.prank(user);
		sSealedCan = oracle.requestSealedPrediction{value: 2}(modelId, CID, 0);
		uint256[5] memory all = [sOpen, sFul, sFailed, sCan, sSealedCan];
		for (uint256 i = 0; i < 5; i++) {
			fixed0[all[i]] = fixedOf(all[i]);
			challenge0[all[i]] = challengeOf(all[i]);
		}
		for (uint256 i = 0; i < 5; i++) {
			submit(sFul, miner(i), 40 + i % 2);
			submit(sFailed, miner(i), 9);
		}
		submit(sCan, miner(0), 1);
		submit(sCan, miner(1), 2);
		submit(sOpen, miner(3), 1);
		uint256 n = mine(sSealedCan, miner(2), 0);
		vm.prank(miner(2));
		oracle.commitSolution(sSealedCan, bytes32(uint256(1)), n);
		vm.roll(block.number + 101);
		vm.prank(user);
		oracle.cancelRequest(sCan);
		vm.prank(user);
		oracle.cancelRequest(sSealedCan);
		// Reuse the lanes: later requests, fulfilled, in every lane.
		for (uint256 k = 0; k < 3; k++) {
			uint256[] memory ids = new uint256[](4);
			for (uint256 j = 0; j < 4; j++)
				ids[j] = request();
			for (uint256 j = 0; j < 4; j++)
				for (uint256 i = 0; i < 5; i++)
					submit(ids[j], miner(i), 1000 + k);
		}
		for (uint256 i = 0; i < 5; i++)
			assertEq(fixedOf(all[i]), fixed0[all[i]], "fields kept after lane reuse");
	}

	/// Every view, in every state, after the lanes were reused many times.
	function test_views_fulfilled_after_lane_reuse() public {
		makeStates();
		Req memory r = req(sFul);
		assertEq(r.status, 2, "fulfilled");
		assertEq(r.submissions, 5, "fulfilled: quorum");
		assertEq(r.prediction, 40, "fulfilled: majority");
		assertTrue(r.callbackOk, "no callback due");
		assertEq(r.challenge, bytes32(0), "fulfilled: no challenge");
		assertEq(r.dataCid, CID, "CID");
		(uint256 st, uint256 p, bool ok) = oracle.getResult(sFul);
		assertEq(st, 2, "getResult status");
		assertEq(p, 40, "getResult prediction");
		assertTrue(ok, "getResult ok");
		assertFalse(oracle.hasSubmitted(sFul, miner(0)), "closed: false");
		r = req(sFailed);
		assertEq(r.dataCid, "bafkreiaaaaaaaaa", "short CID");
		assertEq(r.requester, address(rc), "consumer");
		assertEq(r.callbackGasLimit, 30_000, "callback gas");
		assertEq(r.status, 2, "fulfilled");
		assertEq(r.prediction, 9, "value");
		assertFalse(r.callbackOk, "callback failed");
		(st, p, ok) = oracle.getResult(sFailed);
		assertEq(st * 100 + p, 209, "getResult");
		assertFalse(ok, "getResult: failed");
	}

	function test_views_cancelled_after_lane_reuse() public {
		makeStates();
		Req memory r = req(sCan);
		assertEq(r.status, 3, "cancelled");
		assertEq(r.submissions, 2, "cancelled: its submissions");
		assertEq(r.challenge, challenge0[sCan], "cancelled: challenge kept");
		assertEq(r.prediction, 0, "no prediction");
		assertFalse(r.callbackOk, "no callbackOk");
		(uint256 st,,) = oracle.getResult(sCan);
		assertEq(st, 3, "getResult cancelled");
		assertFalse(oracle.hasSubmitted(sCan, miner(0)), "closed: false");
		r = req(sSealedCan);
		assertEq(r.status, 3, "sealed cancelled");
		assertEq(r.submissions, 1, "its seal");
		assertEq(r.challenge, challenge0[sSealedCan], "challenge kept");
		(bool s, uint256 dl, uint256 rv) = oracle.sealedInfo(sSealedCan);
		assertTrue(!s && dl == 0 && rv == 0, "sealedInfo: closed");
		vm.expectRevert(abi.encodeWithSelector(IDenAI.RequestNotOpen.selector, sCan));
		vm.prank(user);
		oracle.cancelRequest(sCan);
	}

	function test_views_expired_and_none_after_lane_reuse() public {
		makeStates();
		// Open, expired, never cancelled: keeps its lane.
		Req memory r = req(sOpen);
		assertEq(r.dataCid, CID0, "CIDv0");
		assertEq(r.status, 1, "expired reads open");
		assertEq(r.submissions, 1, "one");
		assertEq(r.callbackGasLimit, 50_000, "callback gas");
		assertEq(r.challenge, challenge0[sOpen], "challenge");
		assertTrue(oracle.hasSubmitted(sOpen, miner(3)), "still known");
		assertFalse(oracle.hasSubmitted(sOpen, miner(0)), "others not");
		assertEq(oracle.openRequests(0, 100).length, 0, "expired: not listed");
		r = req(999);
		assertEq(r.requester, address(0), "none");
		assertEq(r.status, 0, "none");
		assertEq(bytes(r.dataCid).length, 0, "no CID");
		assertEq(r.challenge, bytes32(0), "no challenge");
		assertEq(oracle.submitGasLimit(999), 160_000 + 40_000 * 5, "no callback gas");
		vm.prank(user);
		oracle.cancelRequest(sOpen);
		assertEq(req(sOpen).status, 3, "then cancelled");
		assertEq(req(sOpen).submissions, 1, "with its one submission");
	}

	/// The compact CID at its edges: lengths around the 51-character word
	/// boundary, the shortest and longest, CIDv0.
	function test_cid_lengths_round_trip() public {
		bytes memory alpha = "abcdefghijklmnopqrstuvwxyz234567";
		uint256[9] memory lens = [uint256(8), 9, 50, 51, 52, 53, 59, 63, 64];
		for (uint256 t = 0; t < lens.length; t++) {
			for (uint256 v = 0; v < 2; v++) {
				bytes memory cid = new bytes(lens[t]);
				cid[0] = "b";
				for (uint256 i = 1; i < lens[t]; i++)
					cid[i] = alpha[v == 0 ? (i * 7) % 32 : 31 - (i % 32)];
				uint256 id = oracle.requestPrediction(modelId, string(cid), 0);
				assertEq(req(id).dataCid, string(cid), "v1 round trip");
			}
		}
		bytes memory b58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
		bytes memory c0 = new bytes(46);
		c0[0] = "Q";
		c0[1] = "m";
		for (uint256 i = 2; i < 46; i++)
			c0[i] = b58[(i * 13) % 58];
		uint256 id0 = oracle.requestPrediction(modelId, string(c0), 0);
		assertEq(req(id0).dataCid, string(c0), "v0 round trip");
		assertEq(req(oracle.requestPrediction(modelId, CID0, 0)).dataCid, CID0, "CID0");
	}

	/// Any well-formed CIDv0 round-trips (Fuzz.t.sol does CIDv1).
	function testFuzz_cidv0_roundtrip(uint256 seed) public {
		bytes memory b58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
		bytes memory c0 = new bytes(46);
		c0[0] = "Q";
		c0[1] = "m";
		for (uint256 i = 2; i < 46; i++)
			c0[i] = b58[uint256(keccak256(abi.encode(seed, i))) % 58];
		uint256 id = oracle.requestPrediction(modelId, string(c0), 0);
		assertEq(req(id).dataCid, string(c0), "round trip");
	}

	/// Lanes below 32 are taken lowest first; above, the last freed.
	function test_lane_reuse_order() public {
		uint256[] memory ids = new uint256[](40);
		for (uint256 i = 0; i < 40; i++)
			ids[i] = request();
		assertEq(oracle.laneCount(), 40, "a lane each");
		uint256[5] memory close = [uint256(35), 3, 38, 20, 0];
		for (uint256 k = 0; k < close.length; k++)
			for (uint256 i = 0; i < 5; i++)
				submit(ids[close[k]], miner(i), 1);
		uint256[] memory lanes = new uint256[](5);
		for (uint256 k = 0; k < 5; k++) {
			uint256 id = request();
			lanes[k] = uint256(challengeOf(id)) & type(uint32).max;
		}
		assertEq(lanes[0], 0, "lowest first");
		assertEq(lanes[1], 3, "then 3");
		assertEq(lanes[2], 20, "then 20");
		assertEq(lanes[3], 38, "then the last freed above 31");
		assertEq(lanes[4], 35, "then 35");
		assertEq(oracle.laneCount(), 40, "no new lane");
		assertEq(oracle.openRequests(0, 100).length, 40, "all listed");
	}
}
