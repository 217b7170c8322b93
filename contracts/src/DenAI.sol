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
/// Any number of requests are open at once. Each open request holds a
/// "lane": a block of storage for its submissions that is reused by later
/// requests once it closes, so that a submission rewrites a used slot (5,000
/// gas) instead of filling a fresh one (22,100). No function loops over an
/// unbounded set: loops run over at most `quorum` submissions, or over the
/// `limit` lanes a view caller asks for.
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

	/// getRequest's status values. A request past its expiry block that
	/// nobody cancelled yet is still OPEN but takes no more submissions.
	uint8 internal constant STATUS_NONE = 0;
	uint8 internal constant STATUS_OPEN = 1;
	uint8 internal constant STATUS_FULFILLED = 2;
	uint8 internal constant STATUS_CANCELLED = 3;
	uint8 private constant CALLBACK_FAILED = 0x80;	// or'ed into status

	// Lane layout: lane L owns _lane[L * LANE_SIZE + k] for k in:
	uint256 private constant LANE_SIZE = 64;
	uint256 private constant LANE_ID = 0;	// the request using it
	uint256 private constant LANE_SUB = 1;	// 16 submissions: miner | vote << 160
	uint256 private constant LANE_VAL = 17;	// 16 distinct predictions
	uint256 private constant LANE_SEAL = 33;	// sealed requests: 16 seals
	// sealed: requestId | reveal deadline << 64 | reveals << 128 (a word
	// holding another request's id reads as no deadline, no reveal)
	uint256 private constant LANE_INFO = 49;
	/// A sealed request's status while open (reported as STATUS_OPEN).
	uint8 private constant STATUS_SEALED = 4;
	/// A committed submission not revealed yet (its vote index).
	uint256 private constant UNREVEALED = 0xff;
	/// A vote index no value takes, for reveals that never came.
	uint256 private constant NO_VOTE = MAX_QUORUM - 1;
	/// Blocks the miners of a sealed request have to reveal, once the
	/// quorum of seals is in.
	uint256 public constant REVEAL_WINDOW = 20;

	DenAIToken public immutable token;
	uint256 public immutable quorum;
	/// Blocks a request stays open; after that it can be cancelled.
	uint256 public immutable expiryBlocks;
	/// Seconds from request to fulfilment the difficulty aims at; 0 keeps
	/// the difficulty fixed.
	uint256 public immutable targetSolveTime;

	struct Request {
		// slot 0
		address requester;
		uint64 difficulty;	// the target at request time
		uint32 callbackGasLimit;
		// slot 1
		uint88 tip;
		uint32 modelId;
		uint40 expiresAt;	// last block that takes a submission
		uint40 createdAt;	// timestamp, for the retarget
		uint32 lane;
		uint8 status;
		uint8 count;		// submissions so far
		uint8 nValues;		// distinct predictions so far
		// slot 2: the challenge while open; the prediction once fulfilled
		bytes32 word;
		// slots 3-4: the data CID
		bytes32 cid0;
		bytes32 cid1;
	}

	mapping(uint256 => Request) internal _requests;
	mapping(uint256 => uint256) internal _lane;
	mapping(uint256 => uint256) internal _freeLanes;	// a stack
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
	/// When false only MINER_ROLE holders may submit.
	bool public openMining;

	bytes32 internal _lastChallenge;
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
		_difficulty = uint64(initialDifficulty);
		openMining = true;
		_lastChallenge = keccak256(abi.encodePacked(block.chainid, address(this)));
		token = new DenAIToken();
		// Prepay lane 0 (its id word, quorum submission words, quorum value
		// words) and put it on the free stack: the first request on a fresh
		// deployment then rewrites used words, as every later one does.
		_lane[LANE_ID] = PREPAID;
		for (uint256 i = 0; i < quorum_; i++) {
			_lane[LANE_SUB + i] = PREPAID;
			_lane[LANE_VAL + i] = PREPAID;
		}
		_laneCount = 1;
		_freeTop = 1;
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
		_requireActive(modelId);
		(bytes32 c0, bytes32 c1) = CidCheck.pack(dataCid);
		if (callbackGasLimit > MAX_CALLBACK_GAS)
			revert CallbackGasTooHigh(callbackGasLimit, MAX_CALLBACK_GAS);
		if (msg.value > type(uint88).max)
			revert TipTooLarge(msg.value);

		requestId = uint256(_lastId) + 1;
		_lastId = uint40(requestId);
		bytes32 challenge = keccak256(abi.encodePacked(_lastChallenge, requestId,
		    blockhash(block.number - 1)));
		_lastChallenge = challenge;

		uint256 lane;
		uint256 top = _freeTop;
		if (top > 0) {
			top--;
			lane = _freeLanes[top];
			_freeTop = uint32(top);
		} else {
			lane = _laneCount;
			_laneCount = uint32(lane + 1);
		}
		_lane[lane * LANE_SIZE + LANE_ID] = requestId;

		uint64 d = _difficulty;
		Request storage r = _requests[requestId];
		r.requester = msg.sender;
		r.difficulty = d;
		r.callbackGasLimit = callbackGasLimit;
		r.tip = uint88(msg.value);
		r.modelId = uint32(modelId);
		r.expiresAt = uint40(block.number + expiryBlocks);
		r.createdAt = uint40(block.timestamp);
		r.lane = uint32(lane);
		r.status = STATUS_OPEN;
		r.word = challenge;
		r.cid0 = c0;
		r.cid1 = c1;
		emit PredictionRequested(requestId, modelId, msg.sender, dataCid, msg.value,
		    challenge, d);
	}

	/// Cancels an expired, unfulfilled request and refunds its tip to the
	/// requester (who must accept ETH).
	function cancelRequest(uint256 requestId) external {
		Request storage r = _requests[requestId];
		if (r.status != STATUS_OPEN && (r.status != STATUS_SEALED ||
		    block.number <= _revealDeadline(requestId, r.lane)))
			revert RequestNotOpen(requestId);
		if (msg.sender != r.requester)
			revert NotRequester(requestId, msg.sender);
		if (block.number <= r.expiresAt)
			revert NotExpired(requestId, r.expiresAt);
		r.status = STATUS_CANCELLED;
		_freeLane(r.lane);
		uint256 tip = r.tip;
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
		_requireActive(modelId);
		(bytes32 c0, bytes32 c1) = CidCheck.pack(dataCid);
		if (callbackGasLimit > MAX_CALLBACK_GAS)
			revert CallbackGasTooHigh(callbackGasLimit, MAX_CALLBACK_GAS);
		if (msg.value > type(uint88).max)
			revert TipTooLarge(msg.value);
		requestId = uint256(_lastId) + 1;
		_lastId = uint40(requestId);
		bytes32 challenge = keccak256(abi.encodePacked(_lastChallenge, requestId,
		    blockhash(block.number - 1)));
		_lastChallenge = challenge;
		uint256 lane;
		uint256 top = _freeTop;
		if (top > 0) {
			top--;
			lane = _freeLanes[top];
			_freeTop = uint32(top);
		} else {
			lane = _laneCount;
			_laneCount = uint32(lane + 1);
		}
		_lane[lane * LANE_SIZE + LANE_ID] = requestId;
		uint64 d = _difficulty;
		Request storage r = _requests[requestId];
		r.requester = msg.sender;
		r.difficulty = d;
		r.callbackGasLimit = callbackGasLimit;
		r.tip = uint88(msg.value);
		r.modelId = uint32(modelId);
		r.expiresAt = uint40(block.number + expiryBlocks);
		r.createdAt = uint40(block.timestamp);
		r.lane = uint32(lane);
		r.status = STATUS_SEALED;
		r.word = challenge;
		r.cid0 = c0;
		r.cid1 = c1;
		emit PredictionRequested(requestId, modelId, msg.sender, dataCid, msg.value,
		    challenge, d);
	}

	/// Commits seal = keccak256(abi.encode(requestId, miner, prediction,
	/// salt)) with the proof of work, to a sealed request. The quorum-th
	/// seal opens REVEAL_WINDOW blocks of reveals.
	function commitSolution(uint256 requestId, bytes32 seal, uint256 nonce) external {
		Request storage r = _requests[requestId];
		if (r.status != STATUS_SEALED)
			revert NotSealed(requestId);
		uint256 n = r.count;
		if (block.number > r.expiresAt || n >= quorum)
			revert RequestExpired(requestId, r.expiresAt);
		if (!openMining && !hasRole(MINER_ROLE, msg.sender))
			revert NotMiner(msg.sender);
		bytes32 h = keccak256(abi.encodePacked(r.word, msg.sender, nonce));
		if (uint256(h) >= type(uint256).max / r.difficulty)
			revert InvalidProof(requestId, msg.sender, nonce);
		uint256 base = uint256(r.lane) * LANE_SIZE;
		for (uint256 i = 0; i < n; i++) {
			if (address(uint160(_lane[base + LANE_SUB + i])) == msg.sender)
				revert AlreadySubmitted(requestId, msg.sender);
		}
		_lane[base + LANE_SUB + n] = uint256(uint160(msg.sender)) | UNREVEALED << 160;
		_lane[base + LANE_SEAL + n] = uint256(seal);
		r.count = uint8(n + 1);
		if (n + 1 == quorum)
			_lane[base + LANE_INFO] = requestId | (block.number + REVEAL_WINDOW) << 64;
		emit SolutionCommitted(requestId, msg.sender);
	}

	/// Reveals a committed prediction (after the quorum of seals, within
	/// the reveal window). The last reveal fulfils as a submission would.
	function revealSolution(uint256 requestId, uint256 prediction, bytes32 salt) external {
		Request storage r = _requests[requestId];
		if (r.status != STATUS_SEALED)
			revert NotSealed(requestId);
		uint256 base = uint256(r.lane) * LANE_SIZE;
		uint256 n = r.count;
		if (n < quorum)
			revert NotRevealPhase(requestId);
		uint256 info = _lane[base + LANE_INFO];	// set by the quorum-th seal
		if (block.number > uint64(info >> 64))
			revert NotRevealPhase(requestId);
		uint256 i = 0;
		while (i < n && address(uint160(_lane[base + LANE_SUB + i])) != msg.sender)
			i++;
		if (i == n)
			revert NotCommitted(requestId, msg.sender);
		if (_lane[base + LANE_SUB + i] >> 160 != UNREVEALED)
			revert AlreadySubmitted(requestId, msg.sender);
		if (keccak256(abi.encode(requestId, msg.sender, prediction, salt)) !=
		    bytes32(_lane[base + LANE_SEAL + i]))
			revert WrongSeal(requestId, msg.sender);
		uint256 nv = r.nValues;
		uint256 vote = nv;
		for (uint256 j = 0; j < nv; j++) {
			if (_lane[base + LANE_VAL + j] == prediction) {
				vote = j;
				break;
			}
		}
		if (vote == nv) {
			_lane[base + LANE_VAL + nv] = prediction;
			nv++;
			r.nValues = uint8(nv);
		}
		_lane[base + LANE_SUB + i] = uint256(uint160(msg.sender)) | (vote << 160);
		uint256 revealed = (info >> 128) + 1;
		emit SolutionSubmitted(requestId, msg.sender, prediction);
		if (revealed == n)
			_fulfil(requestId, r, base, n, nv);	// the count is not needed again
		else
			_lane[base + LANE_INFO] = uint128(info) | revealed << 128;
	}

	/// Settles a sealed request whose reveal window passed with reveals
	/// missing: on the value more than half of the reveals gave (its
	/// revealers are paid; a seal never revealed earns nothing). Without
	/// such a majority it reverts NoMajority and stays refundable.
	function settleRequest(uint256 requestId) external {
		Request storage r = _requests[requestId];
		if (r.status != STATUS_SEALED)
			revert NotSealed(requestId);
		uint256 base = uint256(r.lane) * LANE_SIZE;
		uint256 n = r.count;
		if (n < quorum)
			revert NotRevealPhase(requestId);
		uint256 info = _lane[base + LANE_INFO];
		if (block.number <= uint64(info >> 64))
			revert NotRevealPhase(requestId);
		uint256 revealed = info >> 128;
		uint256[MAX_QUORUM] memory votes;
		for (uint256 i = 0; i < n; i++) {
			uint256 s = _lane[base + LANE_SUB + i];
			if (s >> 160 == UNREVEALED)
				_lane[base + LANE_SUB + i] = uint256(uint160(s)) | NO_VOTE << 160;
			else
				votes[s >> 160]++;
		}
		uint256 best = 0;
		for (uint256 j = 0; j < r.nValues; j++) {
			if (votes[j] > best)
				best = votes[j];
		}
		if (2 * best <= revealed)
			revert NoMajority(requestId);
		_fulfil(requestId, r, base, n, r.nValues);
	}

	/// A sealed request's reveal deadline; 0 before its quorum of seals.
	function _revealDeadline(uint256 requestId, uint256 lane) private view returns (uint256) {
		uint256 info = _lane[lane * LANE_SIZE + LANE_INFO];
		return uint64(info) == requestId ? uint64(info >> 64) : 0;
	}

	/// Whether a request is sealed (commit-reveal) and, once its seals are
	/// in, the last block of its reveal window.
	function sealedInfo(uint256 requestId) external view
	    returns (bool sealed_, uint256 revealDeadline, uint256 reveals)
	{
		Request storage r = _requests[requestId];
		if (r.status != STATUS_SEALED)
			return (false, 0, 0);
		uint256 info = _lane[uint256(r.lane) * LANE_SIZE + LANE_INFO];
		if (uint64(info) != requestId)
			return (true, 0, 0);
		return (true, uint64(info >> 64), info >> 128);
	}

	// ---- mining ----

	/// Submits a prediction with its proof of work. The submission that
	/// completes the quorum also fulfils the request and must carry enough
	/// gas for the callback (see InsufficientGasForCallback).
	function submitSolution(uint256 requestId, uint256 prediction, uint256 nonce) external {
		Request storage r = _requests[requestId];
		if (r.status != STATUS_OPEN)
			revert RequestNotOpen(requestId);
		if (block.number > r.expiresAt)
			revert RequestExpired(requestId, r.expiresAt);
		if (!openMining && !hasRole(MINER_ROLE, msg.sender))
			revert NotMiner(msg.sender);
		bytes32 h = keccak256(abi.encodePacked(r.word, msg.sender, nonce));
		if (uint256(h) >= type(uint256).max / r.difficulty)
			revert InvalidProof(requestId, msg.sender, nonce);

		uint256 base = uint256(r.lane) * LANE_SIZE;
		uint256 n = r.count;
		uint256 nv = r.nValues;
		for (uint256 i = 0; i < n; i++) {
			if (address(uint160(_lane[base + LANE_SUB + i])) == msg.sender)
				revert AlreadySubmitted(requestId, msg.sender);
		}
		uint256 vote = nv;
		for (uint256 j = 0; j < nv; j++) {
			if (_lane[base + LANE_VAL + j] == prediction) {
				vote = j;
				break;
			}
		}
		if (vote == nv) {
			_lane[base + LANE_VAL + nv] = prediction;
			nv++;
		}
		_lane[base + LANE_SUB + n] = uint256(uint160(msg.sender)) | (vote << 160);
		n++;
		emit SolutionSubmitted(requestId, msg.sender, prediction);
		if (n < quorum) {
			r.count = uint8(n);
			r.nValues = uint8(nv);
			return;
		}
		_fulfil(requestId, r, base, n, nv);
	}

	function _fulfil(uint256 requestId, Request storage r, uint256 base, uint256 n,
	    uint256 nv) private
	{
		// The vote: most submissions win, ties to the value seen first.
		uint256[MAX_QUORUM] memory votes;
		for (uint256 i = 0; i < n; i++)
			votes[_lane[base + LANE_SUB + i] >> 160]++;
		uint256 win = 0;
		for (uint256 j = 1; j < nv; j++) {
			if (votes[j] > votes[win])
				win = j;
		}
		uint256 value = _lane[base + LANE_VAL + win];

		// Pay the winners: an equal share of the tip each, the remainder
		// to the first of them, and the reward.
		uint256 tip = r.tip;
		uint256 share = tip / votes[win];
		uint256 extra = tip - share * votes[win];
		for (uint256 i = 0; i < n; i++) {
			uint256 s = _lane[base + LANE_SUB + i];
			if (s >> 160 != win)
				continue;
			address m = address(uint160(s));
			_credits[m] = (_credits[m] | CREDIT_USED) + ((REWARD << 128) | (share + extra));
			extra = 0;
		}

		r.word = bytes32(value);
		r.status = STATUS_FULFILLED;
		r.count = uint8(n);
		r.nValues = uint8(nv);
		_freeLane(r.lane);
		_retarget(r.createdAt);

		bool ok = _callback(requestId, r.requester, r.callbackGasLimit, value);
		if (!ok)
			r.status = STATUS_FULFILLED | CALLBACK_FAILED;
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
	function _retarget(uint256 createdAt) private {
		uint256 target = targetSolveTime;
		if (target == 0)
			return;
		uint256 d = _difficulty;
		uint256 nd = nextDifficulty(d, block.timestamp - createdAt, target);
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

	function _freeLane(uint256 lane) private {
		uint256 top = _freeTop;
		_freeLanes[top] = lane;
		_freeTop = uint32(top + 1);
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
	/// back (tested at quorum 5 and 16 with every slot written for the
	/// first time):
	///     callbackGasLimit + callbackGasLimit / 63 + 60,000 + 40,000 * quorum
	/// Miners can send this instead of estimating: whichever submission
	/// lands last pays for the fulfilment, and unused gas is not charged.
	function submitGasLimit(uint256 requestId) external view returns (uint256) {
		uint256 limit = _requests[requestId].callbackGasLimit;
		return limit + limit / 63 + 60_000 + 40_000 * quorum;
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
		uint256 end = _laneCount;
		if (offset >= end)
			return new uint256[](0);
		if (limit < end - offset)
			end = offset + limit;
		requestIds = new uint256[](end - offset);
		uint256 k = 0;
		for (uint256 l = offset; l < end; l++) {
			uint256 id = _lane[l * LANE_SIZE + LANE_ID];
			Request storage r = _requests[id];
			if (r.status == STATUS_OPEN && r.lane == l && block.number <= r.expiresAt)
				requestIds[k++] = id;
		}
		assembly ("memory-safe") {
			mstore(requestIds, k)
		}
	}

	/// The sealed requests that take seals now (commit phase: fewer than
	/// quorum seals, not expired), among lanes [offset, offset + limit);
	/// paged as openRequests, which lists plain requests only. Miners
	/// (denai-watch) read both.
	function openSealedRequests(uint256 offset, uint256 limit) external view
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
			uint256 id = _lane[l * LANE_SIZE + LANE_ID];
			Request storage r = _requests[id];
			if (r.status == STATUS_SEALED && r.lane == l && r.count < quorum &&
			    block.number <= r.expiresAt)
				requestIds[k++] = id;
		}
		assembly ("memory-safe") {
			mstore(requestIds, k)
		}
	}

	/// Whether miner has submitted for an open request (false once the
	/// request has closed: the lane that held its submissions is reused).
	function hasSubmitted(uint256 requestId, address miner) external view returns (bool) {
		Request storage r = _requests[requestId];
		if (r.status != STATUS_OPEN && r.status != STATUS_SEALED)
			return false;
		uint256 base = uint256(r.lane) * LANE_SIZE;
		for (uint256 i = 0; i < r.count; i++) {
			if (address(uint160(_lane[base + LANE_SUB + i])) == miner)
				return true;
		}
		return false;
	}

	/// The outcome of a request, for contracts (getRequest returns too many
	/// values to decode without via-IR): status as in getRequest; prediction
	/// and callbackOk once fulfilled.
	function getResult(uint256 requestId) external view
	    returns (uint256 status, uint256 prediction, bool callbackOk)
	{
		Request storage r = _requests[requestId];
		status = r.status & ~CALLBACK_FAILED;
		if (status == STATUS_SEALED)
			status = STATUS_OPEN;
		if (status == STATUS_FULFILLED) {
			prediction = uint256(r.word);
			callbackOk = r.status & CALLBACK_FAILED == 0;
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
		Request storage r = _requests[requestId];
		requester = r.requester;
		modelId = r.modelId;
		dataCid = CidCheck.unpack(r.cid0, r.cid1);
		tip = r.tip;
		difficulty_ = r.difficulty;
		callbackGasLimit = r.callbackGasLimit;
		expiresAt = r.expiresAt;
		status = r.status & ~CALLBACK_FAILED;
		if (status == STATUS_SEALED)
			status = STATUS_OPEN;
		submissions = r.count;
		if (status == STATUS_FULFILLED) {
			prediction = uint256(r.word);
			callbackOk = r.status & CALLBACK_FAILED == 0;
		} else if (status != STATUS_NONE) {
			challenge = r.word;
		}
	}
}
