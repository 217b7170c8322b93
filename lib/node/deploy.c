/* deploy.c - deploying the DenAI contracts; granting and revoking roles. */
#include "node/deploy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "eth/artifact.h"
#include "eth/hex.h"
#include "eth/rpc.h"
#include "node/chain_sig.h"
#include "node/oracle.h"
#include "node/roles.h"

/* Sends calldata cd (len bytes; freed here) to `to` and checks that the
 * transaction succeeded; what names the step in an error. */
static int
send_call(denai_sender *s, const uint8_t to[DENAI_ADDR_LEN], uint8_t *cd,
    size_t len, const char *what, denai_err *err)
{
	uint8_t hash[32];
	uint64_t st = 0;
	json_t *rc = NULL;
	int ok;

	if (denai_sender_send_wait(s, to, cd, len, NULL, 0,
	    DENAI_DEPLOY_TIMEOUT_MS, &rc, hash, err) != 0) {
		free(cd);
		return denai_err_prefix(err, "%s", what);
	}
	free(cd);
	ok = denai_rpc_quantity_u64(&st, json_object_get(rc, "status"), NULL)
	    == 0 && st == 1;
	json_decref(rc);
	if (!ok)
		return denai_err_set(err, DENAI_EPEER,
		    "%s: the transaction reverted", what);
	return 0;
}

/* grantRole or revokeRole (by name) on oracle; what names it in errors. */
static int
role_call(denai_sender *s, const uint8_t oracle[DENAI_ADDR_LEN], int grant,
    const char *role, const uint8_t account[DENAI_ADDR_LEN], denai_err *err)
{
	uint8_t id[32], *cd;
	size_t len;
	char what[64];

	if (denai_role_id(id, role, err) != 0 ||
	    denai_role_calldata(&cd, &len, grant, id, account, err) != 0)
		return -1;
	snprintf(what, sizeof(what), "%s %s", grant ? "granting" : "revoking",
	    role);
	return send_call(s, oracle, cd, len, what, err);
}

int
denai_deploy_role(denai_sender *s, const uint8_t oracle[DENAI_ADDR_LEN],
    int grant, const char *role, const uint8_t account[DENAI_ADDR_LEN],
    denai_err *err)
{
	return role_call(s, oracle, grant, role, account, err);
}

/* Creates artifact name with constructor types ctor and args (a new
 * reference, dropped here). Out: addr, *block. */
static int
create(denai_sender *s, const denai_deploy_opts *o, const char *name,
    const char *ctor, json_t *args, uint8_t addr[DENAI_ADDR_LEN],
    uint64_t *block, denai_deploy_fn fn, void *ctx, denai_err *err)
{
	uint8_t *code = NULL, *init = NULL, hash[32];
	size_t len, ilen;
	json_t *rc = NULL;
	const char *a;
	uint64_t st = 0, gas = 0;
	int ret = -1;

	if (args == NULL) {
		denai_err_set(err, DENAI_ENOMEM, "out of memory");
		goto out;
	}
	if (denai_artifact_bytecode(&code, &len, o->artifacts, name, err) != 0 ||
	    denai_artifact_initcode(&init, &ilen, code, len, ctor, args,
	    err) != 0)
		goto out;
	if (denai_sender_send_wait(s, NULL, init, ilen, NULL, 0,
	    DENAI_DEPLOY_TIMEOUT_MS, &rc, hash, err) != 0) {
		denai_err_prefix(err, "deploying %s", name);
		goto out;
	}
	a = json_string_value(json_object_get(rc, "contractAddress"));
	if (denai_rpc_quantity_u64(&st, json_object_get(rc, "status"), NULL)
	    != 0 || st != 1 || a == NULL ||
	    denai_hex_decode_exact(addr, DENAI_ADDR_LEN, a, NULL) != 0) {
		denai_err_set(err, DENAI_EPEER,
		    "deploying %s: the creation reverted", name);
		goto out;
	}
	if (denai_rpc_quantity_u64(block, json_object_get(rc, "blockNumber"),
	    NULL) != 0 || denai_rpc_quantity_u64(&gas,
	    json_object_get(rc, "gasUsed"), NULL) != 0) {
		denai_err_set(err, DENAI_EPEER,
		    "deploying %s: malformed receipt", name);
		goto out;
	}
	if (fn != NULL)
		fn(ctx, name, addr, *block, gas);
	ret = 0;
out:
	free(code);
	free(init);
	json_decref(rc);
	json_decref(args);
	return ret;
}

/* Creates a contract whose one constructor argument is the oracle. */
static int
create_on_oracle(denai_sender *s, const denai_deploy_opts *o,
    const char *name, const uint8_t oracle[DENAI_ADDR_LEN],
    uint8_t addr[DENAI_ADDR_LEN], denai_deploy_fn fn, void *ctx,
    denai_err *err)
{
	char a[DENAI_ADDR_HEX_MAX];
	uint64_t blk;

	return create(s, o, name, "(address)",
	    json_pack("[s]", denai_secp_addr_checksum(a, oracle)), addr, &blk,
	    fn, ctx, err);
}

/* Reads the oracle's token() into dep. */
static int
read_token(denai_deployment *dep, denai_rpc *rpc, const denai_oracle *orc,
    denai_err *err)
{
	json_t *r;
	int ret;

	if (denai_oracle_call(orc, rpc, dep->oracle, DENAI_FN_TOKEN, NULL, &r,
	    err) != 0)
		return -1;
	ret = denai_hex_decode_exact(dep->token, DENAI_ADDR_LEN,
	    json_string_value(json_array_get(r, 0)), err);
	json_decref(r);
	dep->has_token = ret == 0;
	return ret;
}

/* setOpenMining(false) on the oracle. */
static int
close_mining(denai_sender *s, const denai_oracle *orc,
    const uint8_t oracle[DENAI_ADDR_LEN], denai_err *err)
{
	uint8_t *cd;
	size_t len;
	json_t *args = json_pack("[b]", 0);
	int ret;

	if (args == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	ret = denai_oracle_calldata(orc, DENAI_FN_SET_OPEN_MINING, args, &cd,
	    &len, err);
	json_decref(args);
	if (ret != 0)
		return -1;
	return send_call(s, oracle, cd, len, "closing mining", err);
}

/* The steps, in order, on an open client, sender and signature table. */
static int
steps(denai_deployment *dep, denai_rpc *rpc, denai_sender *s,
    const denai_oracle *orc, const denai_deploy_opts *o, denai_deploy_fn fn,
    void *ctx, denai_err *err)
{
	if (create(s, o, "DenAI", "(uint256,uint256,uint256,uint256)",
	    json_pack("[ssss]", o->quorum, o->difficulty, o->expiry,
	    o->target_time), dep->oracle, &dep->block, fn, ctx, err) != 0 ||
	    read_token(dep, rpc, orc, err) != 0)
		return -1;
	if (create_on_oracle(s, o, "DenAITasks", dep->oracle, dep->tasks, fn,
	    ctx, err) != 0)
		return -1;
	dep->has_tasks = 1;
	if (role_call(s, dep->oracle, 1, "TASKS_ROLE", dep->tasks, err) != 0)
		return -1;
	if (o->consumer) {
		if (create_on_oracle(s, o, "ExampleConsumer", dep->oracle,
		    dep->consumer, fn, ctx, err) != 0)
			return -1;
		dep->has_consumer = 1;
	}
	if (o->closed_mining && close_mining(s, orc, dep->oracle, err) != 0)
		return -1;
	return 0;
}

int
denai_deploy(denai_deployment *dep, const char *rpc_url, const uint8_t sk[32],
    const denai_deploy_opts *o, const char *path, denai_deploy_fn fn,
    void *ctx, denai_err *err)
{
	denai_rpc *rpc;
	denai_sender *s = NULL;
	denai_oracle *orc = NULL;
	int ret = -1;

	memset(dep, 0, sizeof(*dep));
	if ((rpc = denai_rpc_new(rpc_url, NULL, err)) == NULL)
		return -1;
	if (denai_rpc_chain_id(rpc, &dep->chain_id, err) != 0 ||
	    (s = denai_sender_new(rpc, sk, dep->chain_id, NULL, err)) == NULL ||
	    (orc = denai_oracle_new(err)) == NULL)
		goto out;
	memcpy(dep->deployer, denai_sender_address(s), DENAI_ADDR_LEN);
	dep->has_deployer = 1;
	dep->quorum = strtoull(o->quorum, NULL, 10);
	if (steps(dep, rpc, s, orc, o, fn, ctx, err) != 0 ||
	    denai_deployment_save(dep, path, err) != 0)
		goto out;
	ret = 0;
out:
	denai_oracle_free(orc);
	denai_sender_free(s);
	denai_rpc_free(rpc);
	return ret;
}
