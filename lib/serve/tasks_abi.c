/*
 * tasks_abi.c - the tasks contract as docs/platform.md names it: the
 * functions this node calls and the events it indexes.
 */
#include "serve/priv.h"

static const char *const fns[TFN_COUNT] = {
	[TFN_CREATE] = ("createTask(string,bytes32,uint8,string,uint8,"
	    "uint64[5],uint8,uint96,uint96)(uint256)"),
	[TFN_REVEAL_TEST] = "revealTestSet(uint256,string,bytes32)",
	[TFN_SCORE_OF] = "scoreOf(uint256,address)(bool,int256)",
	[TFN_TRAINERS_OF] = "trainersOf(uint256)(address[])",
};

static const char *const evs[TEV_COUNT] = {
	[TEV_CREATED] = ("TaskCreated(uint256 indexed taskId,address indexed "
	    "creator,string trainCid,uint8 kind,string labelColumn,"
	    "uint8 decimals,uint64[5] deadlines,uint8 quorum,uint256 reward,"
	    "uint256 commitBond)"),
	[TEV_CANCELLED] = "TaskCancelled(uint256 indexed taskId)",
	[TEV_COMMITTED] = "ModelCommitted(uint256 indexed taskId,address "
	    "indexed trainer,bytes32 seal,uint32 seq)",
	[TEV_TEST_REVEALED] = "TestSetRevealed(uint256 indexed taskId,"
	    "string testCid)",
	[TEV_MODEL_REVEALED] = "ModelRevealed(uint256 indexed taskId,address "
	    "indexed trainer,string modelCid,bytes32 modelSha256)",
	[TEV_SCORES_COMMITTED] = "ScoresCommitted(uint256 indexed taskId,"
	    "address indexed validator)",
	[TEV_SCORES_REVEALED] = "ScoresRevealed(uint256 indexed taskId,"
	    "address indexed validator,bool testSetValid)",
	[TEV_FINALIZED] = "TaskFinalized(uint256 indexed taskId,uint8 outcome,"
	    "address winner,int256 score,uint256 modelId)",
};

/* For revert messages (IDenAITasks.sol). */
static const char *const errs[] = {
	"UnknownTask(uint256)", "WrongPhase(uint256,uint8)",
	"InvalidDeadlines()", "InvalidQuorum(uint256,uint256)",
	"InvalidAmount()", "InvalidTask()", "NotCreator(uint256,address)",
	"HasCommits(uint256)", "WrongBond(uint256,uint256)",
	"TooManyTrainers(uint256)", "ZeroSeal()", "WrongSeal(uint256,address)",
	"InvalidModelCid()", "NotValidator(address)",
};

int
denai_serve_tasks_sigs(denai_serve *s, denai_err *err)
{
	s->nterr = sizeof(errs) / sizeof(errs[0]);
	for (size_t i = 0; i < s->nterr; i++)
		if ((s->terr[i] = denai_abi_sig_parse(errs[i], err)) == NULL)
			return denai_err_prefix(err, "tasks contract");
	for (int i = 0; i < TFN_COUNT; i++)
		if ((s->tfn[i] = denai_abi_sig_parse(fns[i], err)) == NULL)
			return denai_err_prefix(err, "tasks contract");
	for (int i = 0; i < TEV_COUNT; i++)
		if ((s->tev[i] = denai_abi_sig_parse(evs[i], err)) == NULL)
			return denai_err_prefix(err, "tasks contract");
	return 0;
}

void
denai_serve_tasks_sigs_free(denai_serve *s)
{
	for (int i = 0; i < TFN_COUNT; i++) {
		denai_abi_sig_free(s->tfn[i]);
		s->tfn[i] = NULL;
	}
	for (int i = 0; i < TEV_COUNT; i++) {
		denai_abi_sig_free(s->tev[i]);
		s->tev[i] = NULL;
	}
	for (size_t i = 0; i < s->nterr; i++) {
		denai_abi_sig_free(s->terr[i]);
		s->terr[i] = NULL;
	}
}
