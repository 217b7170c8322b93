// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IDenAI, IDenAIConsumer} from "./IDenAI.sol";
import {ModelRegistry} from "./ModelRegistry.sol";
import {DenAIToken} from "./DenAIToken.sol";
import {CidCheck} from "./CidCheck.sol";

/// @title DenAI: a proof-of-work ML prediction oracle.
/// @notice A requester asks for a prediction of a registered model on a data
/// point named by CID, tipping in ETH. Miners run the model, find a nonce
/// with keccak256(challenge, miner, nonce) < 2^256-1 / difficulty and submit
/// (prediction, nonce). When `quorum` miners have submitted, the value most
/// of them gave wins (ties go to the value submitted first); the miners who
/// gave it share the tip and earn REWARD DENAI each (both paid through
/// withdraw()); the requester is called back; the difficulty is retargeted.
///
/// Storage, for gas: a request keeps four words of its own for good (the
/// challenge, later the prediction; requester, tip and flags; callback gas,
/// model, difficulty, expiry, lane and the CID's last bits; the CID). While
/// open it also holds a "lane": a block of storage reused by later requests
/// once it closes, so that a submission rewrites used slots (5,000 gas)
/// instead of filling fresh ones (22,100). The lane's first word (the hot
/// word) holds what every submission reads and updates: the request id,
/// expiry, difficulty, counters and a short fingerprint of each miner so
/// far. No function loops over an unbounded set: loops run over at most
/// `quorum` submissions, or over the `limit` lanes a view caller asks for.
contract DenAI is IDenAI, ModelRegistry {
	/// Those who score training tasks (counted: validatorCount()).
	bytes32 public constant VALIDATOR_ROLE = keccak256("VALIDATOR_ROLE");
	/// The miner allowlist, used when open mining is off.
	bytes32 public constant MINER_ROLE = keccak256("MINER_ROLE");
	/// The tasks contract: registers winning models, mints DENAI.
	bytes32 public constant TASKS_ROLE = keccak256("TASKS_ROLE");

	uint256 public constant MAX_QUORUM = 16;
	uint256 public constant MAX_CALLBACK_GAS = 2_500_000;
	/// Gas the fulfilling submission keeps for itself on top of the
	/// callback's limit and the 1/64 that EIP-150 withholds from a CALL:
	/// it pays for the CALL itself and for the work after it.
	uint256 public constant CALLBACK_RESERVE = 20_000;
	uint256 internal constant MIN_DIFFICULTY = 1;
	uint256 internal constant MAX_DIFFICULTY = type(uint64).max;
	/// DENAI (18 decimals) earned by each miner who gave the winning value.
	uint256 public constant REWARD = 1e18;
	/// Blocks the miners of a sealed request have to reveal, once the
	/// quorum of seals is in.
	uint256 public constant REVEAL_WINDOW = 20;

	/// getRequest's status values. A request past its expiry block that
	/// nobody cancelled yet is still OPEN but takes no more submissions.
	uint8 internal constant STATUS_NONE = 0;
	uint8 internal constant STATUS_OPEN = 1;
	uint8 internal constant STATUS_FULFILLED = 2;
	uint8 internal constant STATUS_CANCELLED = 3;

	// A request's own words (see docs/contracts.md, "Storage and gas"):
	//   w0: challenge while open or cancelled (its low 32 bits are the
	//       lane), the prediction once fulfilled
	//   w1: requester | tip << 160 | flags (bits 248-250)
	//   w2: callbackGasLimit | modelId << 22 | difficulty << 54 |
	//       expiresAt << 118 | lane << 158 (the submissions once
	//       cancelled) | CID high bits << 190
	//   w3: CID low bits (CidCheck.packCompact)
	struct Req {
		uint256 w0;
		uint256 w1;
		uint256 w2;
		uint256 w3;
	}
	uint256 private constant F_SEALED = 1 << 248;
	uint256 private constant F_CANCELLED = 1 << 249;
	uint256 private constant F_CALLBACK_FAILED = 1 << 250;

	// Lane layout: lane L owns _lane[L * LANE_SIZE + k] for k in:
	uint256 private constant LANE_SIZE = 64;
	uint256 private constant LANE_HOT = 0;	// the hot word, below
	uint256 private constant LANE_SUB = 1;	// 16 submissions: miner | vote << 160
	uint256 private constant LANE_VAL = 17;	// 16 distinct predictions
	uint256 private constant LANE_SEAL = 33;	// sealed requests: 16 seals
	// The hot word: requestId (bits 0-39; 0 when the lane is free) |
	// expiresAt (40-79; a sealed request's reveal deadline once its seals
	// are in) | difficulty (80-143; a sealed request's votes once its
	// seals are in, 4 bits each, 15 for none yet) | block.timestamp mod
	// 2^32 at the request (144-175) | submissions (176-180) | distinct
	// values (181-185) | sealed (186) | reveals (187-191) | one fingerprint
	// of FP_BITS = 64 / quorum bits per submission (192-255).
	uint256 private constant H_EXP = 40;
	uint256 private constant H_DIFF = 80;
	uint256 private constant H_CREATED = 144;
	uint256 private constant H_COUNT = 176;
	uint256 private constant H_NV = 181;
	uint256 private constant H_SEALED = 1 << 186;
	uint256 private constant H_REVEALS = 187;
	uint256 private constant H_FP = 192;
	uint256 private constant ID_MASK = (1 << 40) - 1;
	uint256 private constant NO_VOTE = 15;

	DenAIToken public immutable token;
	uint256 public immutable quorum;
	/// Blocks a request stays open; after that it can be cancelled.
	uint256 public immutable expiryBlocks;
	/// Seconds from request to fulfilment the difficulty aims at; 0 keeps
	/// the difficulty fixed.
	uint256 public immutable targetSolveTime;
	uint256 private immutable _fpBits;
	uint256 private immutable _fpMask;

	mapping(uint256 => Req) internal _req;
	mapping(uint256 => uint256) internal _lane;
	mapping(uint256 => uint256) internal _freeLanes;	// a stack, lanes >= 32
	/// Owed to each miner: wei in bits 0-127, DENAI in bits 128-254; bit
	/// 255 marks a slot in use, so that a miner's next credit after a
	/// withdrawal rewrites a live slot (5,000 gas) instead of a zero one.
	mapping(address => uint256) internal _credits;
	uint256 private constant CREDIT_USED = 1 << 255;
	/// A prepaid word: non-zero, and no miner, request or vote.
	uint256 private constant PREPAID = 1 << 255;
	uint256 private constant REWARD_MASK = (1 << 127) - 1;

	// One slot, read by every request and submission.
	uint64 internal _difficulty;
	uint40 internal _lastId;
	uint32 internal _laneCount;
	uint32 internal _freeTop;
	uint32 internal _freeBits;	// bit L set: lane L (< 32) is free
	/// When false only MINER_ROLE holders may submit.
	bool public openMining;

	/// The number of VALIDATOR_ROLE holders.
	uint256 public validatorCount;

	/// quorum_ 1..16; initialDifficulty 1..2^64-1; expiryBlocks_ >= 1;
	/// targetSolveTime_ in seconds, 0 for a fixed difficulty. The deployer
	/// gets DEFAULT_ADMIN_ROLE and TRAINER_ROLE; mining starts open.
	constructor(uint256 quorum_, uint256 initialDifficulty, uint256 expiryBlocks_,
	    uint256 targetSolveTime_)
	{
		if (quorum_ == 0 || quorum_ > MAX_QUORUM ||
		    initialDifficulty < MIN_DIFFICULTY || initialDifficulty > MAX_DIFFICULTY ||
		    expiryBlocks_ == 0 || expiryBlocks_ > type(uint32).max ||
		    targetSolveTime_ > type(uint32).max)
			revert InvalidConfig();
		quorum = quorum_;
		expiryBlocks = expiryBlocks_;
		targetSolveTime = targetSolveTime_;
		uint256 fb = 64 / quorum_;
		_fpBits = fb;
		_fpMask = fb == 64 ? type(uint64).max : (1 << fb) - 1;
		_difficulty = uint64(initialDifficulty);
		openMining = true;
		token = new DenAIToken();
		// Prepay lane 0 (its hot word, quorum submission words, quorum
		// value words) and mark it free: the first request on a fresh
		// deployment then rewrites used words, as every later one does.
		_lane[LANE_HOT] = PREPAID;
		for (uint256 i = 0; i < quorum_; i++) {
			_lane[LANE_SUB + i] = PREPAID;
			_lane[LANE_VAL + i] = PREPAID;
		}
		_laneCount = 1;
		_freeBits = 1;
		_grantRole(DEFAULT_ADMIN_ROLE, msg.sender);
		_grantRole(TRAINER_ROLE, msg.sender);
	}

	// ---- requests ----

	/// Opens a request; the tip is msg.value. The requester is called back
	/// with fulfillPrediction(requestId, prediction) and at most
	/// callbackGasLimit gas when it is a contract and the limit is not 0.
	function requestPrediction(uint256 modelId, string calldata dataCid,
	    uint32 callbackGasLimit) external payable returns (uint256 requestId)
	{
		return _open(modelId, dataCid, callbackGasLimit, false);
	}

	function _open(uint256 modelId, string calldata dataCid, uint32 callbackGasLimit,
	    bool sealed_) private returns (uint256 requestId)
	{
		_requireActive(modelId);
		(uint256 clo, uint256 chi) = CidCheck.packCompact(dataCid);
		if (callbackGasLimit > MAX_CALLBACK_GAS)
			revert CallbackGasTooHigh(callbackGasLimit, MAX_CALLBACK_GAS);
		if (msg.value > type(uint88).max)
			revert TipTooLarge(msg.value);

		uint256 challenge;
		uint256 d;
		(requestId, challenge, d) = _store(modelId, callbackGasLimit, sealed_, clo, chi);
		emit PredictionRequested(requestId, modelId, msg.sender, dataCid, msg.value,
		    bytes32(challenge), d);
	}

	/// Writes a new request's words and its lane's hot word.
	function _store(uint256 modelId, uint256 callbackGasLimit, bool sealed_,
	    uint256 clo, uint256 chi) private returns (uint256 requestId, uint256 challenge, uint256 d)
	{
		requestId = uint256(_lastId) + 1;
		_lastId = uint40(requestId);
		uint256 lane = _takeLane();
		// The low 32 bits of the challenge name the lane.
		challenge = (uint256(keccak256(abi.encodePacked(block.chainid,
		    address(this), requestId, blockhash(block.number - 1)))) &
		    ~uint256(type(uint32).max)) | lane;
		d = _difficulty;
		uint256 exp = block.number + expiryBlocks;
		_lane[lane * LANE_SIZE + LANE_HOT] = requestId | exp << H_EXP | d << H_DIFF |
		    uint256(uint32(block.timestamp)) << H_CREATED | (sealed_ ? H_SEALED : 0);
		Req storage q = _req[requestId];
		q.w0 = challenge;
		q.w1 = uint256(uint160(msg.sender)) | msg.value << 160 | (sealed_ ? F_SEALED : 0);
		q.w2 = callbackGasLimit | modelId << 22 | d << 54 | exp << 118 |
		    lane << 158 | chi << 190;
		q.w3 = clo;
	}

	/// A free lane: the lowest free one below 32, else the last one freed
	/// above, else a new one.
	function _takeLane() private returns (uint256 lane) {
		uint256 bits = _freeBits;
		if (bits != 0) {
			lane = _lowestBit(bits);
			_freeBits = uint32(bits & (bits - 1));
			return lane;
		}
		uint256 top = _freeTop;
		if (top > 0) {
			top--;
			lane = _freeLanes[top];
			_freeTop = uint32(top);
			return lane;
		}
		lane = _laneCount;
		_laneCount = uint32(lane + 1);
	}

	/// The index of the lowest set bit of a non-zero 32-bit x.
	function _lowestBit(uint256 x) private pure returns (uint256 r) {
		assembly ("memory-safe") {
			let b := and(x, sub(0, x))
			// de Bruijn: (b * 0x077CB531 mod 2^32) >> 27 indexes the table
			r := byte(shr(27, and(mul(b, 0x077CB531), 0xffffffff)),
			    0x00011c021d0e18031e16140f191104081f1b0d17151310071a0c12060b050a09)
		}
	}

	function _freeLane(uint256 lane) private {
		if (lane < 32) {
			_freeBits = uint32(_freeBits | (1 << lane));
			return;
		}
		uint256 top = _freeTop;
		_freeLanes[top] = lane;
		_freeTop = uint32(top + 1);
	}

	/// The hot word of an open request (0 when it is not open), its
	/// lane's base index and the request's w0.
	function _hot(uint256 requestId) private view
	    returns (uint256 hot, uint256 base, uint256 w0)
	{
		w0 = _req[requestId].w0;
		base = uint256(uint32(w0)) * LANE_SIZE;
		hot = _lane[base + LANE_HOT];
		if (requestId == 0 || hot & ID_MASK != requestId)
			hot = 0;
	}

	/// Cancels an expired, unfulfilled request and refunds its tip to the
	/// requester (who must accept ETH).
	function cancelRequest(uint256 requestId) external {
		Req storage q = _req[requestId];
		uint256 w1 = q.w1;
		uint256 w2 = q.w2;
		uint256 base = uint256(uint32(w2 >> 158)) * LANE_SIZE;
		uint256 hot = _lane[base + LANE_HOT];
		if (requestId == 0 || hot & ID_MASK != requestId || w1 & F_CANCELLED != 0 ||
		    (hot & H_SEALED != 0 && block.number <= _revealDeadline(hot)))
			revert RequestNotOpen(requestId);
		if (msg.sender != address(uint160(w1)))
			revert NotRequester(requestId, msg.sender);
		uint256 expiresAt = uint40(w2 >> 118);
		if (block.number <= expiresAt)
			revert NotExpired(requestId, expiresAt);
		q.w1 = w1 | F_CANCELLED;
		// The lane is no longer needed: its bits keep the submissions.
		q.w2 = (w2 & ~(uint256(type(uint32).max) << 158)) |
		    ((hot >> H_COUNT) & 31) << 158;
		_lane[base + LANE_HOT] = hot & ~ID_MASK;
		_freeLane(base / LANE_SIZE);
		uint256 tip = uint88(w1 >> 160);
		emit RequestCancelled(requestId, msg.sender, tip);
		if (tip > 0) {
			(bool ok,) = msg.sender.call{value: tip}("");
			if (!ok)
				revert TransferFailed(msg.sender, tip);
		}
	}

	// ---- sealed requests: commit-reveal ----

	/// Opens a request whose miners first commit sealed predictions
	/// (commitSolution), then reveal them (revealSolution) once the quorum
	/// of seals is in, so no miner can copy another's value. Otherwise as
	/// requestPrediction.
	function requestSealedPrediction(uint256 modelId, string calldata dataCid,
	    uint32 callbackGasLimit) external payable returns (uint256 requestId)
	{
		return _open(modelId, dataCid, callbackGasLimit, true);
	}

	/// Commits seal = keccak256(abi.encode(requestId, miner, prediction,
	/// salt)) with the proof of work, to a sealed request. The quorum-th
	/// seal opens REVEAL_WINDOW blocks of reveals.
	function commitSolution(uint256 requestId, bytes32 seal, uint256 nonce) external {
		(uint256 hot, uint256 base, uint256 w0) = _hot(requestId);
		if (hot & H_SEALED == 0)
			revert NotSealed(requestId);
		uint256 n = (hot >> H_COUNT) & 31;
		if (n >= quorum)
			revert RequestExpired(requestId, uint40(_req[requestId].w2 >> 118));
		uint256 exp = uint40(hot >> H_EXP);
		if (block.number > exp)
			revert RequestExpired(requestId, exp);
		if (!openMining && !hasRole(MINER_ROLE, msg.sender))
			revert NotMiner(msg.sender);
		_checkWork(requestId, w0, uint64(hot >> H_DIFF), nonce);
		uint256 fp = _fingerprint(w0, msg.sender);
		_checkNew(requestId, hot, base, n, fp);
		_lane[base + LANE_SUB + n] = uint256(uint160(msg.sender));
		_lane[base + LANE_SEAL + n] = uint256(seal);
		hot = (hot & ~(uint256(31) << H_COUNT)) | (n + 1) << H_COUNT |
		    fp << (H_FP + n * _fpBits);
		if (n + 1 == quorum) {
			// The reveal phase: the expiry field holds the deadline, the
			// difficulty field the votes (none yet).
			hot = (hot & ~(uint256(type(uint104).max) << H_EXP)) |
			    (block.number + REVEAL_WINDOW) << H_EXP |
			    uint256(type(uint64).max) << H_DIFF;
		}
		_lane[base + LANE_HOT] = hot;
		emit SolutionCommitted(requestId, msg.sender);
	}

	/// Reveals a committed prediction (after the quorum of seals, within
	/// the reveal window). The last reveal fulfils as a submission would.
	function revealSolution(uint256 requestId, uint256 prediction, bytes32 salt) external {
		(uint256 hot, uint256 base, uint256 w0) = _hot(requestId);
		if (hot & H_SEALED == 0)
			revert NotSealed(requestId);
		uint256 n = (hot >> H_COUNT) & 31;
		if (n < quorum || block.number > uint40(hot >> H_EXP))
			revert NotRevealPhase(requestId);
		uint256 i = _indexOf(hot, base, n, _fingerprint(w0, msg.sender));
		if (i == n)
			revert NotCommitted(requestId, msg.sender);
		if ((hot >> (H_DIFF + 4 * i)) & 15 != NO_VOTE)
			revert AlreadySubmitted(requestId, msg.sender);
		if (keccak256(abi.encode(requestId, msg.sender, prediction, salt)) !=
		    bytes32(_lane[base + LANE_SEAL + i]))
			revert WrongSeal(requestId, msg.sender);
		uint256 nv = (hot >> H_NV) & 31;
		uint256 vote = _voteFor(base, nv, prediction);
		if (vote == nv)
			nv++;
		uint256 revealed = ((hot >> H_REVEALS) & 31) + 1;
		hot = (hot & ~((uint256(15) << (H_DIFF + 4 * i)) | uint256(31) << H_NV |
		    uint256(31) << H_REVEALS)) | vote << (H_DIFF + 4 * i) | nv << H_NV |
		    revealed << H_REVEALS;
		emit SolutionSubmitted(requestId, msg.sender, prediction);
		if (revealed == n)
			_fulfil(requestId, hot, base, n, nv, 0);
		else
			_lane[base + LANE_HOT] = hot;
	}

	/// Settles a sealed request whose reveal window passed with reveals
	/// missing: on the value more than half of the reveals gave (its
	/// revealers are paid; a seal never revealed earns nothing). Without
	/// such a majority it reverts NoMajority and stays refundable.
	function settleRequest(uint256 requestId) external {
		(uint256 hot, uint256 base,) = _hot(requestId);
		if (hot & H_SEALED == 0)
			revert NotSealed(requestId);
		uint256 n = (hot >> H_COUNT) & 31;
		if (n < quorum || block.number <= uint40(hot >> H_EXP))
			revert NotRevealPhase(requestId);
		uint256 nv = (hot >> H_NV) & 31;
		uint256[MAX_QUORUM] memory votes;
		for (uint256 i = 0; i < n; i++) {
			uint256 v = (hot >> (H_DIFF + 4 * i)) & 15;
			if (v != NO_VOTE)
				votes[v]++;
		}
		uint256 best = 0;
		for (uint256 j = 0; j < nv; j++) {
			if (votes[j] > best)
				best = votes[j];
		}
		if (2 * best <= (hot >> H_REVEALS) & 31)
			revert NoMajority(requestId);
		_fulfil(requestId, hot, base, n, nv, 0);
	}

	/// A sealed request's reveal deadline (from its hot word); 0 before
	/// its quorum of seals.
	function _revealDeadline(uint256 hot) private view returns (uint256) {
		return (hot >> H_COUNT) & 31 < quorum ? 0 : uint40(hot >> H_EXP);
	}

	/// Whether a request is sealed (commit-reveal) and, once its seals are
	/// in, the last block of its reveal window.
	function sealedInfo(uint256 requestId) external view
	    returns (bool sealed_, uint256 revealDeadline, uint256 reveals)
	{
		(uint256 hot,,) = _hot(requestId);
		if (hot & H_SEALED == 0)
			return (false, 0, 0);
		return (true, _revealDeadline(hot), (hot >> H_REVEALS) & 31);
	}

	// ---- mining ----

	/// Submits a prediction with its proof of work. The submission that
	/// completes the quorum also fulfils the request and must carry enough
	/// gas for the callback (see InsufficientGasForCallback).
	function submitSolution(uint256 requestId, uint256 prediction, uint256 nonce) external {
		uint256 w0 = _req[requestId].w0;
		uint256 base = uint256(uint32(w0)) * LANE_SIZE;
		uint256 hot = _lane[base + LANE_HOT];
		if (requestId == 0 || hot & ID_MASK != requestId || hot & H_SEALED != 0)
			revert RequestNotOpen(requestId);
		uint256 exp = uint40(hot >> H_EXP);
		if (block.number > exp)
			revert RequestExpired(requestId, exp);
		if (!openMining && !hasRole(MINER_ROLE, msg.sender))
			revert NotMiner(msg.sender);
		_checkWork(requestId, w0, uint64(hot >> H_DIFF), nonce);
		uint256 n = (hot >> H_COUNT) & 31;
		uint256 fp = _fingerprint(w0, msg.sender);
		_checkNew(requestId, hot, base, n, fp);
		uint256 nv = (hot >> H_NV) & 31;
		uint256 vote = _voteFor(base, nv, prediction);
		if (vote == nv)
			nv++;
		uint256 sub = uint256(uint160(msg.sender)) | (vote << 160);
		_lane[base + LANE_SUB + n] = sub;
		emit SolutionSubmitted(requestId, msg.sender, prediction);
		hot = (hot & ~(uint256(1023) << H_COUNT)) | (n + 1) << H_COUNT | nv << H_NV |
		    fp << (H_FP + n * _fpBits);
		if (n + 1 < quorum)
			_lane[base + LANE_HOT] = hot;
		else
			_fulfil(requestId, hot, base, n + 1, nv, sub);
	}

	/// Pays the winners: an equal share of the tip each, the remainder
	/// to the first of them, and the reward.
	function _pay(uint256[MAX_QUORUM] memory who, uint256 n, uint256 tip, uint256 cnt)
	    private
	{
		uint256 share = tip / cnt;
		uint256 extra = tip - share * cnt;
		for (uint256 i = 0; i < n; i++) {
			address m = address(uint160(who[i]));
			if (m == address(0))
				continue;
			_credits[m] = (_credits[m] | CREDIT_USED) + ((REWARD << 128) | (share + extra));
			extra = 0;
		}
	}

	/// The vote: most submissions win, ties to the value seen first.
	/// Returns the winning value's index, its votes, and the winners'
	/// addresses (0 for the others), in submission order.
	function _tally(uint256 hot, uint256 base, uint256 n, uint256 nv, uint256 sub)
	    private view returns (uint256 win, uint256 cnt, uint256[MAX_QUORUM] memory who)
	{
		bool sealed_ = hot & H_SEALED != 0;
		uint256[MAX_QUORUM] memory votes;
		for (uint256 i = 0; i < n; i++) {
			uint256 s;
			if (sealed_)
				s = ((hot >> (H_DIFF + 4 * i)) & 15) << 160;
			else
				s = i + 1 == n ? sub : _lane[base + LANE_SUB + i];
			who[i] = s;
			// A sealed request's unrevealed seals (NO_VOTE) count for
			// nothing: then fewer than 16 values exist, so no value has
			// index NO_VOTE.
			if (!sealed_ || s >> 160 != NO_VOTE)
				votes[s >> 160]++;
		}
		for (uint256 j = 1; j < nv; j++) {
			if (votes[j] > votes[win])
				win = j;
		}
		cnt = votes[win];
		for (uint256 i = 0; i < n; i++) {
			if (who[i] >> 160 != win)
				who[i] = 0;
			else if (sealed_)
				who[i] = uint160(_lane[base + LANE_SUB + i]);
			else
				who[i] = uint160(who[i]);
		}
	}

	function _checkWork(uint256 requestId, uint256 w0, uint256 d, uint256 nonce)
	    private view
	{
		bytes32 h = keccak256(abi.encodePacked(w0, msg.sender, nonce));
		if (uint256(h) >= type(uint256).max / d)
			revert InvalidProof(requestId, msg.sender, nonce);
	}

	/// A miner's fingerprint for a request: FP_BITS bits of
	/// keccak256(challenge, miner). Only a filter: equal fingerprints are
	/// confirmed on the full address.
	function _fingerprint(uint256 w0, address m) private view returns (uint256 fp) {
		uint256 mask = _fpMask;
		assembly ("memory-safe") {
			mstore(0, w0)
			mstore(0x20, shl(96, m))
			fp := and(keccak256(0, 52), mask)
		}
	}

	/// The index of the sender among the n submissions of a lane, or n.
	function _indexOf(uint256 hot, uint256 base, uint256 n, uint256 fp)
	    private view returns (uint256 i)
	{
		uint256 fb = _fpBits;
		uint256 mask = _fpMask;
		for (i = 0; i < n; i++) {
			if ((hot >> (H_FP + i * fb)) & mask == fp &&
			    address(uint160(_lane[base + LANE_SUB + i])) == msg.sender)
				return i;
		}
	}

	/// Reverts AlreadySubmitted when the sender is among the n so far.
	function _checkNew(uint256 requestId, uint256 hot, uint256 base, uint256 n,
	    uint256 fp) private view
	{
		if (_indexOf(hot, base, n, fp) != n)
			revert AlreadySubmitted(requestId, msg.sender);
	}

	/// The vote index of a prediction among the nv distinct values so far;
	/// nv (and the value stored) when it is new.
	function _voteFor(uint256 base, uint256 nv, uint256 prediction)
	    private returns (uint256 j)
	{
		for (j = 0; j < nv; j++) {
			if (_lane[base + LANE_VAL + j] == prediction)
				return j;
		}
		_lane[base + LANE_VAL + nv] = prediction;
	}

	/// Closes a request on its vote and pays. sub is the last plain
	/// submission's word (0 for a sealed request, whose votes are in the
	/// hot word).
	function _fulfil(uint256 requestId, uint256 hot, uint256 base, uint256 n,
	    uint256 nv, uint256 sub) private
	{
		(uint256 win, uint256 cnt, uint256[MAX_QUORUM] memory who) =
		    _tally(hot, base, n, nv, sub);
		uint256 value = _lane[base + LANE_VAL + win];
		Req storage q = _req[requestId];
		uint256 w1 = q.w1;
		_pay(who, n, uint88(w1 >> 160), cnt);

		// Closed: the prediction replaces the challenge, the lane is free.
		q.w0 = value;
		_lane[base + LANE_HOT] = hot & ~ID_MASK;
		_freeLane(base / LANE_SIZE);
		unchecked {
			_retarget(uint32(block.timestamp - ((hot >> H_CREATED) & type(uint32).max)));
		}

		bool ok = _callback(requestId, address(uint160(w1)), q.w2 & ((1 << 22) - 1), value);
		if (!ok)
			q.w1 = w1 | F_CALLBACK_FAILED;
		emit PredictionFulfilled(requestId, value, ok);
	}

	/// Calls requester.fulfillPrediction(requestId, value) with exactly
	/// `limit` gas available to it, or reverts the whole submission when
	/// the gas left cannot guarantee that: the callee of a CALL gets at most
	/// all but 1/64 of the caller's remaining gas (EIP-150), so a miner
	/// could otherwise starve the callback by sending a little less gas.
	/// The callee's return data is never copied (no return-data bomb).
	/// Returns true when no callback is due (limit 0 or no code).
	function _callback(uint256 requestId, address requester, uint256 limit,
	    uint256 value) private returns (bool ok)
	{
		if (limit == 0 || requester.code.length == 0)
			return true;
		bytes4 sel = IDenAIConsumer.fulfillPrediction.selector;
		bool enough;
		assembly ("memory-safe") {
			let p := mload(0x40)
			mstore(p, sel)
			mstore(add(p, 4), requestId)
			mstore(add(p, 36), value)
			let g := gas()
			if gt(g, add(limit, CALLBACK_RESERVE)) {
				let avail := sub(g, CALLBACK_RESERVE)
				enough := iszero(lt(sub(avail, div(avail, 64)), limit))
			}
			if enough {
				ok := call(limit, requester, 0, p, 68, 0, 0)
			}
		}
		if (!enough)
			revert InsufficientGasForCallback(requestId, limit);
	}

	/// The retarget, at each fulfilment, from the time t the request took
	/// (now - its creation, at least 1 s) and the target solve time T:
	///     raw = clamp(D * T / t, D / 2, 2 * D)
	///     D'  = D + (raw - D) / 4    (rounded away from D)
	///     D'  = clamp(D', MIN_DIFFICULTY, MAX_DIFFICULTY)
	/// so one fulfilment moves the difficulty by at most -12.5% / +25%,
	/// and never to zero. T = 0 keeps the difficulty fixed.
	function _retarget(uint256 elapsed) private {
		uint256 target = targetSolveTime;
		if (target == 0)
			return;
		uint256 d = _difficulty;
		uint256 nd = nextDifficulty(d, elapsed, target);
		if (nd != d) {
			_difficulty = uint64(nd);
			emit DifficultyChanged(d, nd);
		}
	}

	/// The retarget formula (see _retarget), for checking off chain.
	function nextDifficulty(uint256 d, uint256 elapsed, uint256 target)
	    public pure returns (uint256 nd)
	{
		if (elapsed == 0)
			elapsed = 1;
		uint256 raw = d * target / elapsed;
		if (raw < d / 2)
			raw = d / 2;
		if (raw > 2 * d)
			raw = 2 * d;
		if (raw >= d)
			nd = d + (raw - d + 3) / 4;
		else
			nd = d - (d - raw + 3) / 4;
		if (nd < MIN_DIFFICULTY)
			nd = MIN_DIFFICULTY;
		if (nd > MAX_DIFFICULTY)
			nd = MAX_DIFFICULTY;
	}

	// ---- payments ----

	/// Pays the caller the tips it earned and mints its DENAI reward.
	function withdraw() external {
		uint256 c = _credits[msg.sender];
		uint256 amount = uint128(c);
		uint256 reward = (c >> 128) & REWARD_MASK;
		if (amount == 0 && reward == 0)
			revert NothingToWithdraw(msg.sender);
		_credits[msg.sender] = CREDIT_USED;
		emit Withdrawal(msg.sender, amount, reward);
		if (reward > 0)
			token.mint(msg.sender, reward);
		if (amount > 0) {
			(bool ok,) = msg.sender.call{value: amount}("");
			if (!ok)
				revert TransferFailed(msg.sender, amount);
		}
	}

	/// What withdraw() would pay miner now: wei and DENAI.
	function owed(address miner) external view returns (uint256 amount, uint256 reward) {
		uint256 c = _credits[miner];
		return (uint128(c), (c >> 128) & REWARD_MASK);
	}

	// ---- the tasks contract ----

	/// Registers a model owned by `owner` (a task's winner); returns its id.
	function registerFor(address owner, string calldata modelCid, bytes32 modelSha256,
	    uint8 decimals, string calldata description)
	    external onlyRole(TASKS_ROLE) returns (uint256)
	{
		return _register(owner, modelCid, modelSha256, decimals, description);
	}

	/// Mints `amount` DENAI to `to` (a task's payee, at its withdrawal).
	function mintFor(address to, uint256 amount) external onlyRole(TASKS_ROLE) {
		token.mint(to, amount);
	}

	function _grantRole(bytes32 role, address account) internal override returns (bool granted) {
		granted = super._grantRole(role, account);
		if (granted && role == VALIDATOR_ROLE)
			validatorCount++;
	}

	function _revokeRole(bytes32 role, address account) internal override returns (bool revoked) {
		revoked = super._revokeRole(role, account);
		if (revoked && role == VALIDATOR_ROLE)
			validatorCount--;
	}

	/// Prepays the credit words of miners to come (anyone may pay): their
	/// first reward then rewrites a used word (5,000 gas) instead of
	/// filling a fresh one (22,100). Changes nothing else.
	function prepayCredits(address[] calldata miners) external {
		for (uint256 i = 0; i < miners.length; i++) {
			if (_credits[miners[i]] == 0)
				_credits[miners[i]] = CREDIT_USED;
		}
	}

	// ---- admin ----

	function setOpenMining(bool open) external onlyRole(DEFAULT_ADMIN_ROLE) {
		openMining = open;
		emit OpenMiningSet(open);
	}

	// ---- views ----

	function difficulty() external view returns (uint256) {
		return _difficulty;
	}

	/// A transaction gas limit (intrinsic gas included) that is enough for
	/// any submission to requestId, also the one that fulfils it and calls
	/// back:
	///     callbackGasLimit + callbackGasLimit / 63 + 160,000 + 40,000 * quorum
	/// (docs/contracts.md has the figures it was checked against: quorum
	/// 1 needs the most beyond its share, 239,048 with a 100,000 callback
	/// limit in the worst state seen on anvil, against 301,587 here.)
	/// Miners send this instead of estimating: whichever submission lands
	/// last pays for the fulfilment, and unused gas is not charged.
	function submitGasLimit(uint256 requestId) external view returns (uint256) {
		uint256 limit = _req[requestId].w2 & ((1 << 22) - 1);
		return limit + limit / 63 + 160_000 + 40_000 * quorum;
	}

	/// The number of requests ever made (the last id; ids start at 1).
	function requestCount() external view returns (uint256) {
		return _lastId;
	}

	/// The number of lanes: openRequests pages through [0, laneCount()).
	function laneCount() external view returns (uint256) {
		return _laneCount;
	}

	/// The requests that take submissions now (open, not expired), among
	/// lanes [offset, offset + limit). A page may hold fewer than limit ids;
	/// go on while offset < laneCount().
	function openRequests(uint256 offset, uint256 limit) external view
	    returns (uint256[] memory requestIds)
	{
		return _openLanes(offset, limit, false);
	}

	/// The sealed requests that take seals now (commit phase: fewer than
	/// quorum seals, not expired), among lanes [offset, offset + limit);
	/// paged as openRequests, which lists plain requests only. Miners
	/// (denai-watch) read both.
	function openSealedRequests(uint256 offset, uint256 limit) external view
	    returns (uint256[] memory requestIds)
	{
		return _openLanes(offset, limit, true);
	}

	/// The requests of one kind (sealed or plain) that take submissions
	/// or seals now, among lanes [offset, offset + limit).
	function _openLanes(uint256 offset, uint256 limit, bool sealed_) private view
	    returns (uint256[] memory requestIds)
	{
		uint256 end = _laneCount;
		if (offset >= end)
			return new uint256[](0);
		if (limit < end - offset)
			end = offset + limit;
		requestIds = new uint256[](end - offset);
		uint256 k = 0;
		for (uint256 l = offset; l < end; l++) {
			uint256 hot = _lane[l * LANE_SIZE + LANE_HOT];
			if (hot & ID_MASK == 0 || (hot & H_SEALED != 0) != sealed_ ||
			    block.number > uint40(hot >> H_EXP))
				continue;
			if (sealed_ && (hot >> H_COUNT) & 31 >= quorum)
				continue;	// its seals are in: reveal phase
			requestIds[k++] = hot & ID_MASK;
		}
		assembly ("memory-safe") {
			mstore(requestIds, k)
		}
	}

	/// Whether miner has submitted for an open request (false once the
	/// request has closed: the lane that held its submissions is reused).
	function hasSubmitted(uint256 requestId, address miner) external view returns (bool) {
		(uint256 hot, uint256 base,) = _hot(requestId);
		uint256 n = (hot >> H_COUNT) & 31;
		for (uint256 i = 0; i < n; i++) {
			if (address(uint160(_lane[base + LANE_SUB + i])) == miner)
				return true;
		}
		return false;
	}

	/// A request's status (as getRequest) and submissions.
	function _state(uint256 requestId) private view
	    returns (uint256 status, uint256 submissions)
	{
		Req storage q = _req[requestId];
		uint256 w1 = q.w1;
		if (w1 == 0)
			return (STATUS_NONE, 0);
		uint256 w2 = q.w2;
		if (w1 & F_CANCELLED != 0)
			return (STATUS_CANCELLED, (w2 >> 158) & 31);
		uint256 hot = _lane[uint256(uint32(w2 >> 158)) * LANE_SIZE + LANE_HOT];
		if (hot & ID_MASK == requestId)
			return (STATUS_OPEN, (hot >> H_COUNT) & 31);
		return (STATUS_FULFILLED, quorum);
	}

	/// The outcome of a request, for contracts (getRequest returns too many
	/// values to decode without via-IR): status as in getRequest; prediction
	/// and callbackOk once fulfilled.
	function getResult(uint256 requestId) external view
	    returns (uint256 status, uint256 prediction, bool callbackOk)
	{
		(status,) = _state(requestId);
		if (status == STATUS_FULFILLED) {
			prediction = _req[requestId].w0;
			callbackOk = _req[requestId].w1 & F_CALLBACK_FAILED == 0;
		}
	}

	/// A request. status: 0 none, 1 open (expired when block.number >
	/// expiresAt), 2 fulfilled, 3 cancelled. challenge is zero once
	/// fulfilled; prediction and callbackOk mean something only then.
	function getRequest(uint256 requestId) external view returns (address requester,
	    uint256 modelId, string memory dataCid, uint256 tip, bytes32 challenge,
	    uint256 difficulty_, uint256 callbackGasLimit, uint256 expiresAt,
	    uint256 status, uint256 submissions, uint256 prediction, bool callbackOk)
	{
		Req storage q = _req[requestId];
		(status, submissions) = _state(requestId);
		requester = address(uint160(q.w1));
		tip = uint88(q.w1 >> 160);
		callbackGasLimit = q.w2 & ((1 << 22) - 1);
		modelId = uint32(q.w2 >> 22);
		difficulty_ = uint64(q.w2 >> 54);
		expiresAt = uint40(q.w2 >> 118);
		dataCid = CidCheck.unpackCompact(q.w3, q.w2 >> 190);
		if (status == STATUS_FULFILLED) {
			prediction = q.w0;
			callbackOk = q.w1 & F_CALLBACK_FAILED == 0;
		} else {
			challenge = bytes32(q.w0);
		}
	}
}
