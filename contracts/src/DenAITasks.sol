// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IDenAIForTasks} from "./IDenAITasks.sol";
import {CidCheck} from "./CidCheck.sol";
import {ModelCid} from "./ModelCid.sol";
import {DenAITasksBase} from "./DenAITasksBase.sol";

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
contract DenAITasks is DenAITasksBase {
	constructor(IDenAIForTasks denai_) DenAITasksBase(denai_) {}

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
