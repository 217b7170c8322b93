/* taskwatch.c - the denai-watch --tasks loop: poll, emit, checkpoint. */
#include "taskwatch.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chain.h"
#include "cli.h"
#include "eth/hex.h"
#include "fileio.h"
#include "node/checkpoint.h"
#include "node/record.h"
#include "task/task_watch.h"

struct tw {
	denai_task_watch *w;
	const char *state;
};

/* Each record under a checkpoint that counts it (node/checkpoint.h). */
static int
emit(void *ctx, const json_t *rec, denai_err *err)
{
	struct tw *t = ctx;
	json_t *st;
	int rc;

	if (t->state == NULL)
		return denai_record_write(stdout, rec, err);
	if ((st = denai_task_watch_state(t->w)) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	rc = denai_checkpoint_emit(stdout, t->state, st, rec, NULL, NULL, err);
	json_decref(st);
	return rc;
}

static int
save(struct tw *t, denai_err *err)
{
	json_t *st;
	int rc;

	if (t->state == NULL)
		return 0;
	if ((st = denai_task_watch_state(t->w)) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	rc = denai_checkpoint_save(t->state, st, err);
	json_decref(st);
	return rc;
}

static const char *
default_state(uint64_t chain_id, const uint8_t *at, const uint8_t *key,
    const char *role)
{
	static char path[PATH_MAX];
	char dir[PATH_MAX - 200], a[43], k[43];
	denai_err err;

	cli_state_root(dir, sizeof(dir));
	if (denai_mkdirs(dir, &err) != 0)
		cli_die_err(&err);
	snprintf(path, sizeof(path), "%s/taskwatch-%llu-%s-%s-%s.json", dir,
	    (unsigned long long)chain_id, denai_hex_encode(a, at, 20) + 2,
	    denai_hex_encode(k, key, 20) + 2, role);
	return path;
}

static void
restore(denai_task_watch *w, const char *path)
{
	json_t *st;
	denai_err err;

	if (denai_checkpoint_load(&st, path, &err) != 0)
		cli_die_err(&err);
	if (st != NULL && denai_task_watch_restore(w, st, &err) != 0) {
		json_decref(st);
		cli_die(denai_err_exit_status(err.code), "%s: %s", path, err.msg);
	}
	json_decref(st);
}

int
cli_task_watch_run(const cli_task_watch_args *a)
{
	denai_task_watch_opts wo;
	denai_tasks *tasks;
	uint8_t at[DENAI_ADDR_LEN];
	struct tw t = { NULL, NULL };
	cli_chain c;
	denai_err err;
	int n, up = 1;

	memset(&wo, 0, sizeof(wo));
	if (strcmp(a->role, "trainer") == 0)
		wo.roles = DENAI_TW_TRAINER;
	else if (strcmp(a->role, "validator") == 0)
		wo.roles = DENAI_TW_VALIDATOR;
	else if (strcmp(a->role, "all") == 0)
		wo.roles = DENAI_TW_TRAINER | DENAI_TW_VALIDATOR;
	else
		cli_die(EX_USAGE, "--role: trainer, validator or all");
	memcpy(wo.key, a->key, DENAI_ADDR_LEN);
	wo.reoffer_after = a->reoffer_after;
	if (cli_chain_open(&c, a->rpc_url, a->dep, &err) != 0 ||
	    denai_tasks_at(at, &c.dep, &err) != 0 ||
	    (tasks = denai_tasks_new(&err)) == NULL)
		cli_die_err(&err);
	if (wo.roles & DENAI_TW_VALIDATOR) {
		int yes;
		char k[DENAI_ADDR_HEX_MAX];

		if (denai_tasks_is_validator(c.rpc, c.dep.oracle, wo.key, &yes,
		    &err) != 0)
			cli_die_err(&err);
		if (!yes && strcmp(a->role, "validator") == 0)
			cli_warn("%s does not hold VALIDATOR_ROLE: its scores "
			    "will be refused until it is granted",
			    denai_secp_addr_checksum(k, wo.key));
		else if (!yes)	/* "all": a trainer, then */
			wo.roles &= ~(unsigned)DENAI_TW_VALIDATOR;
	}
	if ((t.w = denai_task_watch_new(c.rpc, tasks, at, c.chain_id, &wo,
	    &err)) == NULL)
		cli_die_err(&err);
	if (!a->no_state)
		t.state = a->state ? a->state : default_state(c.chain_id, at,
		    a->key, a->role);
	if (t.state != NULL)
		restore(t.w, t.state);
	while (!*a->stop) {
		n = denai_task_watch_poll(t.w, emit, &t, &err);
		if (n < 0) {
			if (err.code != DENAI_EPEER || a->once)
				cli_die_err(&err);
			if (up)
				cli_warn("%s; retrying", err.msg);
			up = 0;
		} else {
			if (!up)
				cli_warn("node answers again");
			up = 1;
			if (save(&t, &err) != 0)
				cli_die_err(&err);
		}
		if (a->once)
			break;
		for (uint64_t ms = 0; ms < a->poll_ms && !*a->stop; ms += 50)
			usleep(50 * 1000);
	}
	denai_task_watch_free(t.w);
	denai_tasks_free(tasks);
	cli_chain_close(&c);
	return 0;
}
