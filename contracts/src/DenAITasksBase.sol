// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IDenAITasks, IDenAIForTasks} from "./IDenAITasks.sol";
import {CidCheck} from "./CidCheck.sol";
import {ModelCid} from "./ModelCid.sol";

/// @title The tasks contract's state, its arithmetic and its views.
/// @notice DenAITasks (the transactions) derives from this: the protocol
/// constants, the storage layout, the phase of a task, how a score settles,
/// and every view. See DenAITasks.sol and docs/contracts.md.
abstract contract DenAITasksBase is IDenAITasks {
	// ---- protocol constants ----

	/// The least number of blocks between two deadlines (and from creation
	/// to the commit deadline).
	uint256 public constant MIN_WINDOW = 10;
	uint256 public constant MAX_TRAINERS = 32;
	uint256 public constant MAX_VALIDATORS = 16;
	uint256 public constant MIN_QUORUM = 1;
	uint256 public constant MAX_LABEL = 256;
	/// The share of the reward that goes to the validators who voted with
	/// the settled results, in basis points.
	uint256 public constant VALIDATOR_BPS = 1000;
	/// DENAI (in its smallest unit) minted per wei paid out of a reward...
	uint256 public constant DENAI_PER_WEI = 100;
	/// ...when the task's reward is at least this.
	uint256 public constant MIN_MINT_REWARD = 0.01 ether;
	/// The protocol limits version stored with each task (docs/contracts.md).
	uint8 public constant LIMITS_VERSION = 1;
	/// Gas given to DenAI.registerFor when a task is finalized with a winner.
	uint256 public constant REGISTER_GAS = 300_000;
	/// The score of an invalid model.
	int256 public constant INVALID_SCORE = type(int256).min;

	uint8 public constant KIND_CLASSIFICATION = 0;
	uint8 public constant KIND_REGRESSION = 1;

	// phaseOf's values
	uint8 public constant PHASE_NONE = 0;
	uint8 public constant PHASE_COMMIT = 1;
	uint8 public constant PHASE_TEST_REVEAL = 2;
	uint8 public constant PHASE_MODEL_REVEAL = 3;
	uint8 public constant PHASE_SCORE_COMMIT = 4;
	uint8 public constant PHASE_SCORE_REVEAL = 5;
	uint8 public constant PHASE_FINALIZABLE = 6;
	uint8 public constant PHASE_FINALIZED = 7;
	uint8 public constant PHASE_CANCELLED = 8;

	// getOutcome's values
	uint8 public constant OUTCOME_WINNER = 1;
	uint8 public constant OUTCOME_NO_VALID_MODEL = 2;
	uint8 public constant OUTCOME_TEST_SET_INVALID = 3;
	uint8 public constant OUTCOME_NO_SCORE = 4;

	// Task.state
	uint8 internal constant OPEN = 1;
	uint8 internal constant FINALIZED = 2;
	uint8 internal constant CANCELLED = 3;

	// A trainer's list entry: address | seq << 160 | REVEALED.
	uint256 internal constant T_REVEALED = 1 << 192;
	// A revealed validator's list entry: address | V_REVEALED | V_VALID |
	// voted << 168 | agreed << 200 (bit i: it scored the i-th trainer; its
	// score equals _refs[task][i], the first score revealed for it).
	uint256 internal constant V_REVEALED = 1 << 160;
	uint256 internal constant V_VALID = 1 << 161;
	uint256 internal constant V_MASK_SHIFT = 168;
	uint256 internal constant V_AGREE_SHIFT = 200;
	// A score seal once revealed.
	bytes32 internal constant SEAL_REVEALED = bytes32(uint256(1));
	// openTasks: a freed slot holds FREE | (the next free slot + 1).
	uint256 internal constant FREE = 1 << 255;

	// Credits: wei in bits 0-127, DENAI in bits 128-254; bit 255 keeps a
	// withdrawn slot non-zero so the next credit rewrites it cheaply.
	uint256 internal constant CREDIT_USED = 1 << 255;
	uint256 internal constant DENAI_MASK = (1 << 127) - 1;

	struct Task {
		// slot 0: all that commitModel reads and writes
		uint64 commitDeadline;
		uint96 commitBond;
		uint32 nextSeq;
		uint8 nTrainers;
		uint8 state;
		uint8 kind;
		uint8 decimals;
		uint8 quorum;
		uint8 limits;
		// slot 1
		address creator;
		uint64 testDeadline;
		bool testRevealed;
		uint8 nValidators;	// score seals committed
		uint8 nRevealedV;	// score lists revealed (the validators' list)
		// slot 2
		uint64 modelDeadline;
		uint64 scoreCommitDeadline;
		uint64 scoreDeadline;
		uint32 slot;		// in openTasks
		uint8 outcome;
		uint8 winner;		// its index in the trainers' list
		// slot 3
		uint96 reward;
		uint96 revealBond;
		uint32 modelId;
		uint32 refSet;		// bit i: _refs[task][i] is set
		// slot 4: the test seal; once revealed, the test CID's first word
		bytes32 testSealOrCid;
		bytes32 test1;
		bytes32 train0;
		bytes32 train1;
		string labelColumn;
	}

	IDenAIForTasks public immutable denai;
	bytes32 internal immutable _validatorRole;

	mapping(uint256 => Task) internal _tasks;
	mapping(uint256 => mapping(uint256 => uint256)) internal _trainers;
	/// A trainer's seal; once its model is revealed, the model's sha256.
	mapping(uint256 => mapping(address => bytes32)) internal _seals;
	mapping(uint256 => mapping(uint256 => uint256)) internal _validators;
	/// A validator's score seal; SEAL_REVEALED once revealed.
	mapping(uint256 => mapping(address => bytes32)) internal _scoreSeals;
	/// The first score revealed for each trainer (by its index).
	mapping(uint256 => mapping(uint256 => int256)) internal _refs;
	/// Scores other than the first: _votes[task][trainer * MAX_VALIDATORS + v].
	mapping(uint256 => mapping(uint256 => int256)) internal _votes;
	mapping(address => uint256) internal _credits;
	// openTasks: slot k holds a task while it is open; freed slots form a
	// list through _slots and are reused.
	mapping(uint256 => uint256) internal _slots;
	uint64 internal _taskCount;
	uint32 internal _slotCount;
	uint32 internal _freeHead;	// the first free slot + 1; 0: none

	constructor(IDenAIForTasks denai_) {
		denai = denai_;
		_validatorRole = denai_.VALIDATOR_ROLE();
	}

	function _count(uint256[] memory va) internal pure
	    returns (uint256 revealed, uint256 invalid)
	{
		for (uint256 v = 0; v < va.length; v++) {
			if (va[v] & V_REVEALED != 0) {
				revealed++;
				if (va[v] & V_VALID == 0)
					invalid++;
			}
		}
	}

	/// Shares the pot among validators by points (the remainder to the
	/// first); with no points it goes to the creator.
	function _settle(uint256 taskId, uint256 i, uint256[] memory va, uint256 quorum,
	    uint256 revealed) internal view returns (bool settled, int256 value, uint256 won)
	{
		(int256[] memory vs, uint256 voted) = _gather(taskId, i, va);
		uint256 best;
		(best, value, won) = _majority(vs, voted);
		settled = best >= quorum && 2 * best > revealed;
		if (!settled) {
			value = 0;
			won = 0;
		}
	}

	/// The votes on trainer i: vs[v] for each validator v whose bit is set in
	/// voted (it found the test set valid and scored trainer i).
	function _gather(uint256 taskId, uint256 i, uint256[] memory va)
	    internal view returns (int256[] memory vs, uint256 voted)
	{
		vs = new int256[](va.length);
		bool refRead;
		int256 ref;
		for (uint256 v = 0; v < va.length; v++) {
			uint256 e = va[v];
			if (e & V_VALID == 0 || (e >> V_MASK_SHIFT) & (1 << i) == 0)
				continue;
			voted |= 1 << v;
			if ((e >> V_AGREE_SHIFT) & (1 << i) == 0) {
				vs[v] = _votes[taskId][i * MAX_VALIDATORS + v];
				continue;
			}
			if (!refRead) {
				ref = _refs[taskId][i];
				refRead = true;
			}
			vs[v] = ref;
		}
	}

	/// The value most votes gave, how many, and who (bits).
	function _majority(int256[] memory vs, uint256 voted)
	    internal pure returns (uint256 best, int256 value, uint256 won)
	{
		uint256 m = vs.length;
		for (uint256 v = 0; v < m; v++) {
			if (voted & (1 << v) == 0)
				continue;
			uint256 c;
			uint256 bits;
			for (uint256 w = 0; w < m; w++) {
				if (voted & (1 << w) != 0 && vs[w] == vs[v]) {
					c++;
					bits |= 1 << w;
				}
			}
			if (c > best) {
				best = c;
				value = vs[v];
				won = bits;
			}
		}
	}

	/// Registers the winner's model in DenAI, or returns 0 if DenAI
	/// refuses (finalize goes on: the winner is paid all the same).
	// ---- views ----

	function taskCount() external view returns (uint256) {
		return _taskCount;
	}

	/// The number of slots openTasks pages through ([0, slotCount())); it
	/// is at most taskCount().
	function slotCount() external view returns (uint256) {
		return _slotCount;
	}

	function phaseOf(uint256 taskId) external view returns (uint8) {
		return _phase(_tasks[taskId]);
	}

	function _phase(Task storage t) internal view returns (uint8) {
		uint256 s = t.state;
		if (s != OPEN)
			return s == 0 ? PHASE_NONE : s == FINALIZED ? PHASE_FINALIZED : PHASE_CANCELLED;
		uint256 b = block.number;
		if (b <= t.commitDeadline)
			return PHASE_COMMIT;
		if (!t.testRevealed)
			return b <= t.testDeadline ? PHASE_TEST_REVEAL : PHASE_FINALIZABLE;
		if (b <= t.modelDeadline)
			return PHASE_MODEL_REVEAL;
		if (b <= t.scoreCommitDeadline)
			return PHASE_SCORE_COMMIT;
		if (b <= t.scoreDeadline)
			return PHASE_SCORE_REVEAL;
		return PHASE_FINALIZABLE;
	}

	function getTask(uint256 taskId) external view returns (address creator, uint8 kind,
	    uint8 decimals, uint8 quorum, uint8 phase, uint256 reward, uint256 commitBond,
	    uint64[5] memory deadlines, string memory trainCid, string memory testCid,
	    string memory labelColumn)
	{
		Task storage t = _tasks[taskId];
		if (t.state == 0)
			revert UnknownTask(taskId);
		creator = t.creator;
		kind = t.kind;
		decimals = t.decimals;
		quorum = t.quorum;
		phase = _phase(t);
		reward = t.reward;
		commitBond = t.commitBond;
		deadlines = _deadlines(t);
		trainCid = CidCheck.unpack(t.train0, t.train1);
		if (t.testRevealed)
			testCid = CidCheck.unpack(t.testSealOrCid, t.test1);
		labelColumn = t.labelColumn;
	}

	function _deadlines(Task storage t) internal view returns (uint64[5] memory d) {
		d[0] = t.commitDeadline;
		d[1] = t.testDeadline;
		d[2] = t.modelDeadline;
		d[3] = t.scoreCommitDeadline;
		d[4] = t.scoreDeadline;
	}

	/// What getTask leaves out: the reveal bond, the test seal (zero once
	/// revealed), the limits version, how many trainers and validators
	/// committed.
	function getTaskExtra(uint256 taskId) external view returns (uint256 revealBond,
	    bytes32 testSeal, uint8 limits, uint256 trainers, uint256 validators)
	{
		Task storage t = _tasks[taskId];
		if (t.state == 0)
			revert UnknownTask(taskId);
		return (t.revealBond, t.testRevealed ? bytes32(0) : t.testSealOrCid, t.limits,
		    t.nTrainers, t.nValidators);
	}

	/// outcome 0 until finalized; winner, score, modelId for outcome 1
	/// (modelId 0 if DenAI refused the registration).
	function getOutcome(uint256 taskId) external view returns (uint8 outcome,
	    address winner, int256 score, uint256 modelId)
	{
		Task storage t = _tasks[taskId];
		outcome = t.outcome;
		if (outcome != OUTCOME_WINNER)
			return (outcome, address(0), 0, 0);
		winner = address(uint160(_trainers[taskId][t.winner]));
		(, score) = _scoreOf(taskId, t, t.winner);
		modelId = t.modelId;
	}

	/// The trainers who committed, in the order of their first commits.
	function trainersOf(uint256 taskId) external view returns (address[] memory a) {
		uint256 n = _tasks[taskId].nTrainers;
		a = new address[](n);
		for (uint256 i = 0; i < n; i++)
			a[i] = address(uint160(_trainers[taskId][i]));
	}

	/// The validators who revealed scores, in reveal order.
	function validatorsOf(uint256 taskId) external view returns (address[] memory a) {
		uint256 n = _tasks[taskId].nRevealedV;
		a = new address[](n);
		for (uint256 i = 0; i < n; i++)
			a[i] = address(uint160(_validators[taskId][i]));
	}

	/// A trainer's commit. seal reads zero once the model is revealed
	/// (the sha256 takes its place).
	function getCommit(uint256 taskId, address trainer) external view returns (bytes32 seal,
	    uint32 seq, bool revealed, string memory modelCid_, bytes32 modelSha256)
	{
		seal = _seals[taskId][trainer];
		if (seal == 0)
			return (0, 0, false, "", 0);
		uint256 e = _trainers[taskId][_trainerIndex(taskId, _tasks[taskId].nTrainers,
		    trainer)];
		seq = uint32(e >> 160);
		revealed = e & T_REVEALED != 0;
		if (revealed) {
			modelSha256 = seal;
			seal = 0;
			modelCid_ = ModelCid.cidOf(modelSha256);
		}
	}

	/// A trainer's settled score, once the scoring deadline has passed
	/// (false before, and for a void task).
	function scoreOf(uint256 taskId, address trainer) external view
	    returns (bool settled, int256 score)
	{
		Task storage t = _tasks[taskId];
		uint256 n = t.nTrainers;
		uint256 i = _trainerIndex(taskId, n, trainer);
		if (i == n)
			return (false, 0);
		return _scoreOf(taskId, t, i);
	}

	function _scoreOf(uint256 taskId, Task storage t, uint256 i) internal view
	    returns (bool settled, int256 score)
	{
		uint8 ph = _phase(t);
		if ((ph != PHASE_FINALIZABLE && ph != PHASE_FINALIZED) || !t.testRevealed ||
		    _trainers[taskId][i] & T_REVEALED == 0)
			return (false, 0);
		uint256[] memory va = _loadList(_validators[taskId], t.nRevealedV);
		(uint256 revealed, uint256 invalid) = _count(va);
		if (invalid >= t.quorum && 2 * invalid > revealed)
			return (false, 0);
		(settled, score,) = _settle(taskId, i, va, t.quorum, revealed);
	}

	function validatorState(uint256 taskId, address validator) external view
	    returns (bool committed, bool revealed)
	{
		bytes32 seal = _scoreSeals[taskId][validator];
		return (seal != 0, seal == SEAL_REVEALED);
	}

	/// The open tasks (neither finalized nor cancelled) among slots
	/// [offset, offset + limit). A page may hold fewer than limit ids; go on
	/// while offset < slotCount() (or taskCount(), which is never less).
	function openTasks(uint256 offset, uint256 limit) external view
	    returns (uint256[] memory taskIds)
	{
		uint256 end = _slotCount;
		if (offset >= end)
			return new uint256[](0);
		if (limit < end - offset)
			end = offset + limit;
		taskIds = new uint256[](end - offset);
		uint256 k = 0;
		for (uint256 s = offset; s < end; s++) {
			uint256 id = _slots[s];
			if (id & FREE == 0 && _tasks[id].state == OPEN)
				taskIds[k++] = id;
		}
		assembly ("memory-safe") {
			mstore(taskIds, k)
		}
	}

	/// Wei withdraw() would pay.
	function owed(address who) external view returns (uint256) {
		return uint128(_credits[who]);
	}

	/// DENAI withdraw() would mint.
	function owedDenai(address who) external view returns (uint256) {
		return (_credits[who] >> 128) & DENAI_MASK;
	}

	// ---- CIDs of models ----

	/// The CIDv1 (raw, sha2-256, base32) of a file with this sha256.
	function cidOf(bytes32 sha) public pure returns (string memory) {
		return ModelCid.cidOf(sha);
	}

	/// The sha256 a "bafkrei..." CID names; reverts InvalidModelCid otherwise.
	function cidDigest(string calldata cid) public pure returns (bytes32) {
		return ModelCid.digest(cid);
	}

	// ---- internals ----

	function _loadList(mapping(uint256 => uint256) storage list, uint256 n)
	    internal view returns (uint256[] memory a)
	{
		a = new uint256[](n);
		for (uint256 i = 0; i < n; i++)
			a[i] = list[i];
	}

	/// The index of a committed trainer (the caller knows it committed).
	function _trainerIndex(uint256 taskId, uint256 n, address who)
	    internal view returns (uint256 i)
	{
		mapping(uint256 => uint256) storage list = _trainers[taskId];
		while (i < n && address(uint160(list[i])) != who)
			i++;
	}

}
