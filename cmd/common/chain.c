/* chain.c - RPC client, deployment file and oracle for a program. */
#include "chain.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "key.h"
#include "rpcurl.h"
#include "eth/txsend.h"

const char *
cli_deployment_path(const char *flag)
{
	return cli_setting(flag, "DENAI_DEPLOYMENT", CLI_DEPLOYMENT_DEFAULT);
}

int
cli_rpc_open(denai_rpc **rpc, const char *rpc_flag, denai_err *err)
{
	*rpc = denai_rpc_new(cli_rpc_url(rpc_flag), NULL, err);
	return *rpc == NULL ? -1 : 0;
}

int
cli_chain_open(cli_chain *c, const char *rpc_flag, const char *dep_flag,
    denai_err *err)
{
	const char *path = cli_deployment_path(dep_flag);

	memset(c, 0, sizeof(*c));
	if (access(path, F_OK) != 0)
		return denai_err_set(err, DENAI_EIO, "no deployment file %s "
		    "(run denai-deploy, or set DENAI_DEPLOYMENT)", path);
	if (denai_deployment_load(&c->dep, path, err) != 0)
		return -1;
	if (cli_rpc_open(&c->rpc, rpc_flag, err) != 0)
		return -1;
	if (denai_rpc_chain_id(c->rpc, &c->chain_id, err) != 0)
		goto fail;
	if (c->chain_id != c->dep.chain_id) {
		denai_err_set(err, DENAI_EUSAGE, "%s is for chain %llu, the node "
		    "at %s serves chain %llu", path,
		    (unsigned long long)c->dep.chain_id,
		    denai_rpc_endpoint(c->rpc), (unsigned long long)c->chain_id);
		goto fail;
	}
	if ((c->oracle = denai_oracle_new(err)) == NULL)
		goto fail;
	return 0;
fail:
	cli_chain_close(c);
	return -1;
}

int
cli_chain_open_wait(cli_chain *c, const char *rpc_flag,
    const char *deployment_flag, volatile const int *stop, denai_err *err)
{
	uint64_t backoff = 500, t0 = denai_now_ms();
	int down = 0;

	for (;;) {
		if (cli_chain_open(c, rpc_flag, deployment_flag, err) == 0) {
			if (down)
				cli_warn("node answers again after %.1f s",
				    (double)(denai_now_ms() - t0) / 1000.0);
			return 0;
		}
		if (err->code != DENAI_EPEER)
			return -1;
		if (!down) {
			cli_warn("%s; waiting for it", err->msg);
			down = 1;
		}
		for (uint64_t w = 0; w < backoff && !(stop && *stop); w += 100)
			usleep(100 * 1000);
		if (stop && *stop)
			return -1;
		if ((backoff *= 2) > 15000)
			backoff = 15000;
	}
}

void
cli_chain_close(cli_chain *c)
{
	denai_oracle_free(c->oracle);
	denai_rpc_free(c->rpc);
	c->oracle = NULL;
	c->rpc = NULL;
}

denai_chain
cli_chain_lib(const cli_chain *c)
{
	denai_chain ch = { c->rpc, c->oracle, &c->dep, c->chain_id };

	return ch;
}

denai_sender *
cli_sender_open(denai_rpc *rpc, uint64_t chain_id, const char *keystore,
    const denai_sender_opts *opts, denai_err *err)
{
	denai_sender *s;
	cli_key key;

	if (cli_key_load(&key, keystore, err) != 0)
		return NULL;
	s = denai_sender_new(rpc, key.sk, chain_id, opts, err);
	cli_key_wipe(&key);
	return s;
}

void
cli_print_json(json_t *o)
{
	json_dumpf(o, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
	putchar('\n');
	fflush(stdout);
	json_decref(o);
}
