// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IDenAITasks, IDenAIForTasks} from "./IDenAITasks.sol";
import {CidCheck} from "./CidCheck.sol";
import {ModelCid} from "./ModelCid.sol";

/// @title DenAITasks: training tasks for the DenAI oracle.
/// @notice A creator posts a task (a training set by CID, a sealed test
/// set, a reward and a reveal bond, five deadlines in blocks). Trainers
/// commit sealed models with a bond, the creator reveals the test set,
/// trainers reveal their models, validators (DenAI's VALIDATOR_ROLE) commit
/// sealed score lists and reveal them; after the last deadline anyone
/// finalizes: the best settled score wins the reward less the validators'
/// fraction, and its model is registered in DenAI's registry, owned by the
/// winner. Every payment is pulled through withdraw(); DENAI is minted to
/// those paid out of a large enough reward. docs/contracts.md has the rules,
/// ../shared/design/PLATFORM.md the reasons.
///
/// Every loop is bounded: at most MAX_TRAINERS trainers and MAX_VALIDATORS
/// validators per task; finalize reads at most their product of votes.
contract DenAITasks is IDenAITasks {
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
	uint8 private constant OPEN = 1;
	uint8 private constant FINALIZED = 2;
	uint8 private constant CANCELLED = 3;

	// A trainer's list entry: address | seq << 160 | REVEALED.
	uint256 private constant T_REVEALED = 1 << 192;
	// A revealed validator's list entry: address | V_REVEALED | V_VALID |
	// voted << 168 | agreed << 200 (bit i: it scored the i-th trainer; its
	// score equals _refs[task][i], the first score revealed for it).
	uint256 private constant V_REVEALED = 1 << 160;
	uint256 private constant V_VALID = 1 << 161;
	uint256 private constant V_MASK_SHIFT = 168;
	uint256 private constant V_AGREE_SHIFT = 200;
	// A score seal once revealed.
	bytes32 private constant SEAL_REVEALED = bytes32(uint256(1));
	// openTasks: a freed slot holds FREE | (the next free slot + 1).
	uint256 private constant FREE = 1 << 255;

	// Credits: wei in bits 0-127, DENAI in bits 128-254; bit 255 keeps a
	// withdrawn slot non-zero so the next credit rewrites it cheaply.
	uint256 private constant CREDIT_USED = 1 << 255;
	uint256 private constant DENAI_MASK = (1 << 127) - 1;

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
	bytes32 private immutable _validatorRole;

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

	// ---- creator ----

	/// Posts a task. msg.value is the reward plus the reveal bond; deadlines
	/// are block numbers: commit, test reveal, model reveal, score commit,
	/// score reveal, each at least MIN_WINDOW after the one before (the
	/// first after this block).
	function createTask(string calldata trainCid, bytes32 testSeal, uint8 kind,
	    string calldata labelColumn, uint8 decimals, uint64[5] calldata deadlines,
	    uint8 quorum, uint96 revealBond, uint96 commitBond)
	    external payable returns (uint256 taskId)
	{
		_checkTask(testSeal, kind, labelColumn, decimals, deadlines, quorum);
		if (msg.value <= revealBond || msg.value >= 1 << 96)
			revert InvalidAmount();
		taskId = uint256(_taskCount) + 1;
		_taskCount = uint64(taskId);
		Task storage t = _tasks[taskId];
		t.commitBond = commitBond;
		t.revealBond = revealBond;
		t.reward = uint96(msg.value - revealBond);
		t.testSealOrCid = testSeal;
		t.kind = kind;
		t.decimals = decimals;
		t.quorum = quorum;
		_setUp(taskId, t, trainCid, labelColumn, deadlines);
	}

	function _setUp(uint256 taskId, Task storage t, string calldata trainCid,
	    string calldata labelColumn, uint64[5] calldata deadlines) private
	{
		(bytes32 c0, bytes32 c1) = CidCheck.pack(trainCid);
		t.commitDeadline = deadlines[0];
		t.state = OPEN;
		t.limits = LIMITS_VERSION;
		t.creator = msg.sender;
		t.testDeadline = deadlines[1];
		t.modelDeadline = deadlines[2];
		t.scoreCommitDeadline = deadlines[3];
		t.scoreDeadline = deadlines[4];
		t.slot = uint32(_takeSlot(taskId));
		t.train0 = c0;
		t.train1 = c1;
		t.labelColumn = labelColumn;
		_emitCreated(taskId, trainCid, labelColumn, deadlines);
	}

	function _emitCreated(uint256 taskId, string memory trainCid, string memory labelColumn,
	    uint64[5] memory deadlines) private
	{
		Task storage t = _tasks[taskId];
		emit TaskCreated(taskId, msg.sender, trainCid, t.kind, labelColumn, t.decimals,
		    deadlines, t.quorum, t.reward, t.commitBond);
	}

	function _checkTask(bytes32 testSeal, uint8 kind, string calldata labelColumn,
	    uint8 decimals, uint64[5] calldata d, uint8 quorum) private view
	{
		if (testSeal == 0 || kind > KIND_REGRESSION ||
		    (kind == KIND_CLASSIFICATION ? decimals != 0 : decimals > 18) ||
		    bytes(labelColumn).length == 0 || bytes(labelColumn).length > MAX_LABEL)
			revert InvalidTask();
		uint256 prev = block.number;
		for (uint256 i = 0; i < 5; i++) {
			if (d[i] < prev + MIN_WINDOW)
				revert InvalidDeadlines();
			prev = d[i];
		}
		uint256 v = denai.validatorCount();
		if (quorum < MIN_QUORUM || quorum > MAX_VALIDATORS || quorum > v)
			revert InvalidQuorum(quorum, v);
	}

	/// Cancels a task nobody committed to yet (commit phase only); the
	/// reward and the reveal bond are credited back to the creator.
	function cancelTask(uint256 taskId) external {
		Task storage t = _tasks[taskId];
		uint8 ph = _phase(t);
		if (ph != PHASE_COMMIT)
			revert WrongPhase(taskId, ph);
		if (msg.sender != t.creator)
			revert NotCreator(taskId, msg.sender);
		if (t.nTrainers != 0)
			revert HasCommits(taskId);
		t.state = CANCELLED;
		_freeSlot(t.slot);
		_credit(msg.sender, uint256(t.reward) + t.revealBond, 0);
		emit TaskCancelled(taskId);
	}

	/// Reveals the test set (after the commit deadline, by its deadline):
	/// keccak256(abi.encode(testCid, salt)) must be the task's test seal.
	function revealTestSet(uint256 taskId, string calldata testCid, bytes32 salt) external {
		Task storage t = _tasks[taskId];
		uint8 ph = _phase(t);
		if (ph != PHASE_TEST_REVEAL)
			revert WrongPhase(taskId, ph);
		if (msg.sender != t.creator)
			revert NotCreator(taskId, msg.sender);
		if (keccak256(abi.encode(testCid, salt)) != t.testSealOrCid)
			revert WrongSeal(taskId, msg.sender);
		(bytes32 c0, bytes32 c1) = CidCheck.pack(testCid);
		t.testSealOrCid = c0;
		t.test1 = c1;
		t.testRevealed = true;
		emit TestSetRevealed(taskId, testCid);
	}

	// ---- trainers ----

	/// Commits to a model: seal = keccak256(abi.encode(taskId, trainer,
	/// modelSha256, salt)), with msg.value == the task's commit bond. A
	/// later commit replaces the earlier (whose bond is credited back) and
	/// takes a new sequence number.
	function commitModel(uint256 taskId, bytes32 seal) external payable {
		Task storage t = _tasks[taskId];
		// Slot 0 read and written once: commitDeadline bits 0-63,
		// commitBond 64-159, nextSeq 160-191, nTrainers 192-199, state 200-207.
		uint256 w;
		assembly ("memory-safe") {
			w := sload(t.slot)
		}
		if ((w >> 200) & 0xff != OPEN || block.number > uint64(w))
			revert WrongPhase(taskId, _phase(t));
		if (msg.value != uint96(w >> 64))
			revert WrongBond(uint96(w >> 64), msg.value);
		if (seal == 0)
			revert ZeroSeal();
		uint256 seq = uint32(w >> 160) + 1;
		w = (w & ~(uint256(0xffffffff) << 160)) | seq << 160;
		mapping(address => bytes32) storage seals = _seals[taskId];
		if (seals[msg.sender] == 0) {
			uint256 n = (w >> 192) & 0xff;
			if (n >= MAX_TRAINERS)
				revert TooManyTrainers(taskId);
			_trainers[taskId][n] = uint256(uint160(msg.sender)) | seq << 160;
			w += 1 << 192;
		} else {
			uint256 i = _trainerIndex(taskId, (w >> 192) & 0xff, msg.sender);
			_trainers[taskId][i] = uint256(uint160(msg.sender)) | seq << 160;
			_credit(msg.sender, msg.value, 0);
		}
		assembly ("memory-safe") {
			sstore(t.slot, w)
		}
		seals[msg.sender] = seal;
		emit ModelCommitted(taskId, msg.sender, seal, uint32(seq));
	}

	/// Reveals a committed model once the test set is out, by the
	/// model-reveal deadline. modelCid must be the CIDv1 (raw, sha2-256,
	/// base32: "bafkrei...") whose digest is modelSha256.
	function revealModel(uint256 taskId, string calldata modelCid, bytes32 modelSha256,
	    bytes32 salt) external
	{
		Task storage t = _tasks[taskId];
		uint8 ph = _phase(t);
		if (ph != PHASE_MODEL_REVEAL)
			revert WrongPhase(taskId, ph);
		bytes32 seal = _seals[taskId][msg.sender];
		if (seal == 0)
			revert NotCommitted(taskId, msg.sender);
		uint256 i = _trainerIndex(taskId, t.nTrainers, msg.sender);
		uint256 e = _trainers[taskId][i];
		if (e & T_REVEALED != 0)
			revert AlreadyRevealed(taskId, msg.sender);
		if (keccak256(abi.encode(taskId, msg.sender, modelSha256, salt)) != seal)
			revert WrongSeal(taskId, msg.sender);
		if (modelSha256 == 0 || ModelCid.digest(modelCid) != modelSha256)
			revert InvalidModelCid();
		_trainers[taskId][i] = e | T_REVEALED;
		_seals[taskId][msg.sender] = modelSha256;
		emit ModelRevealed(taskId, msg.sender, modelCid, modelSha256);
	}

	// ---- validators ----

	/// Commits a validator's sealed scores: seal = keccak256(abi.encode(
	/// taskId, validator, testSetValid, trainers, scores, salt)). Needs
	/// DenAI's VALIDATOR_ROLE; the task's creator and trainers may not.
	function commitScores(uint256 taskId, bytes32 seal) external {
		Task storage t = _tasks[taskId];
		uint8 ph = _phase(t);
		if (ph != PHASE_SCORE_COMMIT)
			revert WrongPhase(taskId, ph);
		if (!denai.hasRole(_validatorRole, msg.sender))
			revert NotValidator(msg.sender);
		if (msg.sender == t.creator || _seals[taskId][msg.sender] != 0)
			revert NotEligible(taskId, msg.sender);
		if (seal == 0)
			revert ZeroSeal();
		mapping(address => bytes32) storage seals = _scoreSeals[taskId];
		if (seals[msg.sender] != 0)
			revert AlreadyCommitted(taskId, msg.sender);
		uint256 n = t.nValidators;
		if (n >= MAX_VALIDATORS)
			revert TooManyValidators(taskId);
		t.nValidators = uint8(n + 1);
		seals[msg.sender] = seal;
		emit ScoresCommitted(taskId, msg.sender);
	}

	/// Reveals a validator's scores. With testSetValid, trainers[i] (a
	/// trainer who revealed a model, each at most once) scored scores[i]
	/// (type(int256).min: an invalid model); without, the lists are not
	/// read (the vote is "test set invalid").
	function revealScores(uint256 taskId, bool testSetValid, address[] calldata trainers,
	    int256[] calldata scores, bytes32 salt) external
	{
		Task storage t = _tasks[taskId];
		uint8 ph = _phase(t);
		if (ph != PHASE_SCORE_REVEAL)
			revert WrongPhase(taskId, ph);
		mapping(address => bytes32) storage seals = _scoreSeals[taskId];
		bytes32 seal = seals[msg.sender];
		if (seal == 0)
			revert NotCommitted(taskId, msg.sender);
		if (seal == SEAL_REVEALED)
			revert AlreadyRevealed(taskId, msg.sender);
		if (keccak256(abi.encode(taskId, msg.sender, testSetValid, trainers, scores, salt))
		    != seal)
			revert WrongSeal(taskId, msg.sender);
		seals[msg.sender] = SEAL_REVEALED;
		uint256 v = t.nRevealedV;
		uint256 e = uint256(uint160(msg.sender)) | V_REVEALED;
		if (testSetValid)
			e |= V_VALID | _storeVotes(taskId, t, v, trainers, scores);
		_validators[taskId][v] = e;
		t.nRevealedV = uint8(v + 1);
		emit ScoresRevealed(taskId, msg.sender, testSetValid);
	}

	/// Stores validator v's scores; returns its voted and agreed bits.
	function _storeVotes(uint256 taskId, Task storage t, uint256 v,
	    address[] calldata trainers, int256[] calldata scores) private returns (uint256 bits)
	{
		if (trainers.length != scores.length)
			revert LengthMismatch();
		uint256[] memory entries = _loadList(_trainers[taskId], t.nTrainers);
		uint256 refSet = t.refSet;
		uint256 refSet0 = refSet;
		for (uint256 i = 0; i < trainers.length; i++) {
			uint256 j = _findRevealed(taskId, entries, trainers[i]);
			if (bits & (1 << (V_MASK_SHIFT + j)) != 0)
				revert DuplicateTrainer(taskId, trainers[i]);
			bits |= 1 << (V_MASK_SHIFT + j);
			bool agree;
			(refSet, agree) = _vote(taskId, j, v, scores[i], refSet);
			if (agree)
				bits |= 1 << (V_AGREE_SHIFT + j);
		}
		if (refSet != refSet0)
			t.refSet = uint32(refSet);
	}

	/// The index of a trainer who revealed; reverts UnknownTrainer.
	function _findRevealed(uint256 taskId, uint256[] memory entries, address a)
	    private pure returns (uint256 j)
	{
		while (j < entries.length && (address(uint160(entries[j])) != a ||
		    entries[j] & T_REVEALED == 0))
			j++;
		if (j == entries.length)
			revert UnknownTrainer(taskId, a);
	}

	/// Records validator v's score for trainer j: the first becomes the
	/// reference; one that differs from it is stored apart.
	function _vote(uint256 taskId, uint256 j, uint256 v, int256 score, uint256 refSet)
	    private returns (uint256, bool agree)
	{
		if (refSet & (1 << j) == 0) {
			_refs[taskId][j] = score;
			return (refSet | 1 << j, true);
		}
		if (_refs[taskId][j] == score)
			return (refSet, true);
		_votes[taskId][j * MAX_VALIDATORS + v] = score;
		return (refSet, false);
	}

	// ---- finalize ----

	/// Working state of finalize.
	struct Fin {
		uint256 taskId;
		uint256 reward;
		uint256 revealBond;
		uint256 commitBond;
		address creator;
		uint256 toCreator;
		uint256 pot;		// to validators by points (wei)
		uint256 fraction;	// the part of pot that came from the reward
		bool mint;
		uint8 outcome;
		address winner;
		uint256 winnerIdx;
		uint256 winnerSeq;
		int256 score;
		uint256 modelId;
		uint256[] va;		// validators' list entries
		uint256[] points;	// per validator: votes with the settled results
		uint256 total;		// sum of points
		uint256 quorum;
		uint256 revealed;	// validators who revealed
	}

	/// Settles the task once its last deadline passed (or its test set was
	/// not revealed in time). Never reverts then, but for too little gas.
	function finalize(uint256 taskId) external {
		Task storage t = _tasks[taskId];
		uint8 ph = _phase(t);
		if (ph != PHASE_FINALIZABLE)
			revert WrongPhase(taskId, ph);
		t.state = FINALIZED;
		_freeSlot(t.slot);

		Fin memory f;
		f.taskId = taskId;
		f.reward = t.reward;
		f.revealBond = t.revealBond;
		f.commitBond = t.commitBond;
		f.creator = t.creator;
		f.mint = f.reward >= MIN_MINT_REWARD;
		uint256[] memory tr = _loadList(_trainers[taskId], t.nTrainers);
		if (!t.testRevealed) {
			f.outcome = OUTCOME_TEST_SET_INVALID;
			f.toCreator = f.reward;
			for (uint256 i = 0; i < tr.length; i++)
				_credit(address(uint160(tr[i])), f.commitBond, 0);
			_split(f, tr, 0, f.revealBond);
		} else {
			_judge(f, t, tr);
		}
		if (f.toCreator > 0)
			_credit(f.creator, f.toCreator, 0);
		t.outcome = f.outcome;
		if (f.outcome == OUTCOME_WINNER) {
			t.winner = uint8(f.winnerIdx);
			f.modelId = _register(taskId, t, f.winner);
			t.modelId = uint32(f.modelId);
		}
		emit TaskFinalized(taskId, f.outcome, f.winner, f.score, f.modelId);
	}

	/// The outcome of a task whose test set was revealed.
	function _judge(Fin memory f, Task storage t, uint256[] memory tr) private {
		f.va = _loadList(_validators[f.taskId], t.nRevealedV);
		f.quorum = t.quorum;
		uint256 invalid;
		(f.revealed, invalid) = _count(f.va);
		f.points = new uint256[](f.va.length);
		if (invalid >= f.quorum && 2 * invalid > f.revealed) {
			// The test set is invalid: the task is void, bonds return.
			f.outcome = OUTCOME_TEST_SET_INVALID;
			for (uint256 v = 0; v < f.va.length; v++) {
				if (f.va[v] & (V_REVEALED | V_VALID) == V_REVEALED) {
					f.points[v] = 1;
					f.total++;
				}
			}
			f.fraction = f.reward * VALIDATOR_BPS / 10_000;
			f.pot = f.fraction;
			f.toCreator = f.reward - f.fraction;
			for (uint256 i = 0; i < tr.length; i++)
				_credit(address(uint160(tr[i])), f.commitBond, 0);
			_split(f, tr, T_REVEALED, f.revealBond);
		} else {
			bool anySettled;
			for (uint256 i = 0; i < tr.length; i++) {
				if (_judgeTrainer(f, i, tr[i]))
					anySettled = true;
			}
			if (anySettled) {
				f.outcome = f.winner != address(0) ? OUTCOME_WINNER :
				    OUTCOME_NO_VALID_MODEL;
				f.fraction = f.total > 0 ? f.reward * VALIDATOR_BPS / 10_000 : 0;
				f.pot += f.fraction;
				uint256 rest = f.reward - f.fraction;
				if (f.winner != address(0))
					_credit(f.winner, rest, f.mint ? rest * DENAI_PER_WEI : 0);
				else
					f.toCreator += rest;
				f.toCreator += f.revealBond;
			} else {
				f.outcome = OUTCOME_NO_SCORE;
				f.toCreator = f.reward;
				_split(f, tr, T_REVEALED, f.revealBond);
			}
		}
		_payValidators(f);
	}

	/// Settles trainer i (list entry e): its bond, the validators' points,
	/// the best score so far. Returns whether its score settled.
	function _judgeTrainer(Fin memory f, uint256 i, uint256 e) private returns (bool) {
		address a = address(uint160(e));
		if (e & T_REVEALED == 0) {
			f.pot += f.commitBond;	// never revealed: forfeited
			return false;
		}
		(bool settled, int256 s, uint256 won) = _settle(f.taskId, i, f.va, f.quorum,
		    f.revealed);
		if (!settled) {
			_credit(a, f.commitBond, 0);
			return false;
		}
		for (uint256 v = 0; v < f.va.length; v++) {
			if (won & (1 << v) != 0) {
				f.points[v]++;
				f.total++;
			}
		}
		if (s == INVALID_SCORE) {
			f.pot += f.commitBond;	// junk: forfeited
			return true;
		}
		_credit(a, f.commitBond, 0);
		uint256 seq = uint32(e >> 160);
		if (f.winner == address(0) || s > f.score || (s == f.score && seq < f.winnerSeq)) {
			f.winner = a;
			f.winnerIdx = i;
			f.winnerSeq = seq;
			f.score = s;
		}
		return true;
	}

	function _count(uint256[] memory va) private pure
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
	function _payValidators(Fin memory f) private {
		uint256[] memory va = f.va;
		uint256[] memory points = f.points;
		uint256 total = f.total;
		if (f.pot == 0)
			return;
		if (total == 0) {
			_credit(f.creator, f.pot, 0);
			return;
		}
		uint256 paid;
		uint256 first = type(uint256).max;
		for (uint256 v = 0; v < va.length; v++) {
			if (points[v] == 0)
				continue;
			if (first == type(uint256).max)
				first = v;
			uint256 share = f.pot * points[v] / total;
			paid += share;
			_credit(address(uint160(va[v])), share, 0);
		}
		if (f.pot > paid)
			_credit(address(uint160(va[first])), f.pot - paid, 0);
	}

	/// Splits amount equally among the trainers whose entries have all of
	/// `flag` (the remainder to the first); with none, to the validators'
	/// pot when the test set was judged, else to the creator.
	function _split(Fin memory f, uint256[] memory tr, uint256 flag, uint256 amount) private {
		if (amount == 0)
			return;
		uint256 k;
		for (uint256 i = 0; i < tr.length; i++) {
			if (tr[i] & flag == flag)
				k++;
		}
		if (k == 0) {
			if (f.outcome == OUTCOME_TEST_SET_INVALID && flag != 0)
				f.pot += amount;
			else
				f.toCreator += amount;
			return;
		}
		uint256 share = amount / k;
		uint256 extra = amount - share * k;
		for (uint256 i = 0; i < tr.length; i++) {
			if (tr[i] & flag == flag) {
				_credit(address(uint160(tr[i])), share + extra, 0);
				extra = 0;
			}
		}
	}

	/// Trainer i's score: the value at least `quorum` of the validators who
	/// found the test set valid gave it, and more than half of all who
	/// revealed. won: the validators (bits) who gave that value.
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
	    private view returns (int256[] memory vs, uint256 voted)
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
	    private pure returns (uint256 best, int256 value, uint256 won)
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
	function _register(uint256 taskId, Task storage t, address winner)
	    private returns (uint256 modelId)
	{
		bytes32 sha = _seals[taskId][winner];
		string memory cid = ModelCid.cidOf(sha);
		string memory desc = string.concat("DenAI task ", _decimal(taskId));
		uint256 need = REGISTER_GAS + REGISTER_GAS / 63 + 30_000;
		if (gasleft() < need)
			revert FinalizeGasTooLow(need);
		try denai.registerFor{gas: REGISTER_GAS}(winner, cid, sha, t.decimals, desc)
		    returns (uint256 id) {
			modelId = id;
		} catch {}
	}

	// ---- payments ----

	/// Pays the caller what it is owed (wei) and mints its DENAI. If DenAI
	/// refuses the mint, the DENAI stays owed.
	function withdraw() external {
		uint256 c = _credits[msg.sender];
		uint256 amount = uint128(c);
		uint256 tokens = (c >> 128) & DENAI_MASK;
		if (amount == 0 && tokens == 0)
			revert NothingToWithdraw(msg.sender);
		_credits[msg.sender] = CREDIT_USED;
		emit Withdrawn(msg.sender, amount);
		if (tokens > 0) {
			try denai.mintFor(msg.sender, tokens) {
			} catch {
				_credits[msg.sender] |= tokens << 128;
			}
		}
		if (amount > 0) {
			(bool ok,) = msg.sender.call{value: amount}("");
			if (!ok)
				revert TransferFailed(msg.sender, amount);
		}
	}

	function _credit(address who, uint256 amount, uint256 tokens) private {
		if (amount == 0 && tokens == 0)
			return;
		_credits[who] = (_credits[who] | CREDIT_USED) + (tokens << 128) + amount;
	}

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

	function _deadlines(Task storage t) private view returns (uint64[5] memory d) {
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

	function _scoreOf(uint256 taskId, Task storage t, uint256 i) private view
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
	    private view returns (uint256[] memory a)
	{
		a = new uint256[](n);
		for (uint256 i = 0; i < n; i++)
			a[i] = list[i];
	}

	/// The index of a committed trainer (the caller knows it committed).
	function _trainerIndex(uint256 taskId, uint256 n, address who)
	    private view returns (uint256 i)
	{
		mapping(uint256 => uint256) storage list = _trainers[taskId];
		while (i < n && address(uint160(list[i])) != who)
			i++;
	}

	function _takeSlot(uint256 taskId) private returns (uint256 s) {
		uint256 head = _freeHead;
		if (head != 0) {
			s = head - 1;
			_freeHead = uint32(_slots[s] & ~FREE);
		} else {
			s = _slotCount;
			_slotCount = uint32(s + 1);
		}
		_slots[s] = taskId;
	}

	function _freeSlot(uint256 s) private {
		_slots[s] = FREE | _freeHead;
		_freeHead = uint32(s + 1);
	}

	function _decimal(uint256 x) private pure returns (string memory) {
		if (x == 0)
			return "0";
		uint256 len;
		for (uint256 y = x; y > 0; y /= 10)
			len++;
		bytes memory b = new bytes(len);
		for (; x > 0; x /= 10)
			b[--len] = bytes1(uint8(48 + x % 10));
		return string(b);
	}
}
