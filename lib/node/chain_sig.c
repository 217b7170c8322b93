/*
 * node/chain_sig.c - the one signature table of the contracts the tools
 * talk to (see chain_sig.h): every selector, topic and error comes from
 * here, parsed once.
 */
#include "node/chain_sig.h"

#include <stdlib.h>

static const char *const fn_sigs[DENAI_FN_COUNT] = {
	[DENAI_FN_REQUEST] = "requestPrediction(uint256,string,uint32)(uint256)",
	[DENAI_FN_SUBMIT] = "submitSolution(uint256,uint256,uint256)",
	[DENAI_FN_CANCEL] = "cancelRequest(uint256)",
	[DENAI_FN_WITHDRAW] = "withdraw()",
	[DENAI_FN_GET_REQUEST] = "getRequest(uint256)(address,uint256,string,"
	    "uint256,bytes32,uint256,uint256,uint256,uint256,uint256,uint256,"
	    "bool)",
	[DENAI_FN_OPEN_REQUESTS] = "openRequests(uint256,uint256)(uint256[])",
	[DENAI_FN_LANE_COUNT] = "laneCount()(uint256)",
	[DENAI_FN_HAS_SUBMITTED] = "hasSubmitted(uint256,address)(bool)",
	[DENAI_FN_DIFFICULTY] = "difficulty()(uint256)",
	[DENAI_FN_QUORUM] = "quorum()(uint256)",
	[DENAI_FN_REQUEST_COUNT] = "requestCount()(uint256)",
	[DENAI_FN_OWED] = "owed(address)(uint256,uint256)",
	[DENAI_FN_TOKEN] = "token()(address)",
	[DENAI_FN_REGISTER_MODEL] =
	    "registerModel(string,bytes32,uint8,string)(uint256)",
	[DENAI_FN_RETIRE_MODEL] = "retireModel(uint256)",
	[DENAI_FN_GET_MODEL] =
	    "getModel(uint256)(string,bytes32,uint8,bool,address,string)",
	[DENAI_FN_MODEL_COUNT] = "modelCount()(uint256)",
	[DENAI_FN_CONSUMER_REQUEST] =
	    "requestPrediction(uint256,string,uint256)(uint256)",
	[DENAI_FN_CONSUMER_RESPONSES] = "responses(uint256)(uint256,address,bool)",
	[DENAI_FN_BALANCE_OF] = "balanceOf(address)(uint256)",
	[DENAI_FN_SUBMIT_GAS_LIMIT] = "submitGasLimit(uint256)(uint256)",
	[DENAI_FN_CONSUMER_CANCEL] = "cancel(uint256)",
	[DENAI_FN_SET_OPEN_MINING] = "setOpenMining(bool)",
	[DENAI_FN_REQUEST_SEALED] =
	    "requestSealedPrediction(uint256,string,uint32)(uint256)",
	[DENAI_FN_CONSUMER_REQUEST_SEALED] =
	    "requestSealedPrediction(uint256,string,uint256)(uint256)",
	[DENAI_FN_COMMIT] = "commitSolution(uint256,bytes32,uint256)",
	[DENAI_FN_REVEAL] = "revealSolution(uint256,uint256,bytes32)",
	[DENAI_FN_SEALED_INFO] = "sealedInfo(uint256)(bool,uint256,uint256)",
	[DENAI_FN_OPEN_SEALED] =
	    "openSealedRequests(uint256,uint256)(uint256[])",
};

static const char *const ev_sigs[DENAI_EV_COUNT] = {
	[DENAI_EV_REQUESTED] = "PredictionRequested(uint256 indexed requestId,"
	    "uint256 indexed modelId,address indexed requester,string dataCid,"
	    "uint256 tip,bytes32 challenge,uint256 difficulty)",
	[DENAI_EV_SUBMITTED] = "SolutionSubmitted(uint256 indexed requestId,"
	    "address indexed miner,uint256 prediction)",
	[DENAI_EV_FULFILLED] = "PredictionFulfilled(uint256 indexed requestId,"
	    "uint256 prediction,bool callbackOk)",
	[DENAI_EV_CANCELLED] = "RequestCancelled(uint256 indexed requestId,"
	    "address indexed requester,uint256 refund)",
	[DENAI_EV_MODEL_REGISTERED] = "ModelRegistered(uint256 indexed modelId,"
	    "address indexed trainer,string modelCid,bytes32 modelSha256,"
	    "uint8 decimals,string description)",
};

static const char *const err_sigs[] = {
	"CallbackGasTooHigh(uint256,uint256)", "TipTooLarge(uint256)",
	"RequestNotOpen(uint256)", "RequestExpired(uint256,uint256)",
	"NotExpired(uint256,uint256)", "NotRequester(uint256,address)",
	"NotMiner(address)", "AlreadySubmitted(uint256,address)",
	"InvalidProof(uint256,address,uint256)",
	"InsufficientGasForCallback(uint256,uint256)",
	"NothingToWithdraw(address)", "TransferFailed(address,uint256)",
	"InvalidConfig()", "InvalidCid()", "UnknownModel(uint256)",
	"ModelNotActive(uint256)", "NotModelOwner(uint256,address)",
	"InvalidModel()", "AccessControlUnauthorizedAccount(address,bytes32)",
	"NotMinter(address)", "OnlyOracle(address)",
	"InsufficientBalance(uint256,uint256)", "NotYours(uint256)",
	"TipNotPaid(uint256,uint256)", "RefundFailed(address,uint256)",
	"NotSealed(uint256)", "NotRevealPhase(uint256)",
	"NotCommitted(uint256,address)", "WrongSeal(uint256,address)",
	"NoMajority(uint256)",
};
#define NERRS (sizeof(err_sigs) / sizeof(err_sigs[0]))

struct denai_oracle {
	denai_abi_sig *fn[DENAI_FN_COUNT];
	denai_abi_sig *ev[DENAI_EV_COUNT];
	denai_abi_sig *errs[NERRS];
};

denai_oracle *
denai_oracle_new(denai_err *err)
{
	denai_oracle *o = calloc(1, sizeof(*o));

	if (o == NULL) {
		denai_err_set(err, DENAI_ENOMEM, "out of memory");
		return NULL;
	}
	for (size_t i = 0; i < DENAI_FN_COUNT; i++)
		if ((o->fn[i] = denai_abi_sig_parse(fn_sigs[i], err)) == NULL)
			goto fail;
	for (size_t i = 0; i < DENAI_EV_COUNT; i++)
		if ((o->ev[i] = denai_abi_sig_parse(ev_sigs[i], err)) == NULL)
			goto fail;
	for (size_t i = 0; i < NERRS; i++)
		if ((o->errs[i] = denai_abi_sig_parse(err_sigs[i], err)) == NULL)
			goto fail;
	return o;
fail:
	denai_oracle_free(o);
	return NULL;
}

void
denai_oracle_free(denai_oracle *o)
{
	if (o == NULL)
		return;
	for (size_t i = 0; i < DENAI_FN_COUNT; i++)
		denai_abi_sig_free(o->fn[i]);
	for (size_t i = 0; i < DENAI_EV_COUNT; i++)
		denai_abi_sig_free(o->ev[i]);
	for (size_t i = 0; i < NERRS; i++)
		denai_abi_sig_free(o->errs[i]);
	free(o);
}

const denai_abi_sig *
denai_oracle_fn(const denai_oracle *o, enum denai_oracle_fn fn)
{
	return o->fn[fn];
}

const denai_abi_sig *
denai_oracle_event(const denai_oracle *o, enum denai_oracle_event ev)
{
	return o->ev[ev];
}

denai_abi_sig *const *
denai_oracle_errors(const denai_oracle *o, size_t *n)
{
	*n = NERRS;
	return o->errs;
}

void
denai_oracle_topic0(const denai_oracle *o, uint8_t topic[32],
    enum denai_oracle_event ev)
{
	denai_abi_topic0(topic, o->ev[ev]);
}

int
denai_oracle_calldata(const denai_oracle *o, enum denai_oracle_fn fn,
    const json_t *args, uint8_t **cd, size_t *len, denai_err *err)
{
	return denai_abi_calldata(cd, len, o->fn[fn], args, err);
}
