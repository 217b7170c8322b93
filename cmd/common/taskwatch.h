/*
 * taskwatch.h - denai-watch --tasks: the loop around lib/task/watch.c
 * (poll, emit, checkpoint), kept out of denai-watch.c so that program's
 * edit stays one flag and one call.
 */
#ifndef DENAI_CLI_TASKWATCH_H
#define DENAI_CLI_TASKWATCH_H

#include <signal.h>
#include <stdint.h>

#include "eth/secp.h"

typedef struct cli_task_watch_args {
	const char *rpc_url, *dep;
	const char *state;		/* NULL: the default file */
	int no_state, once;
	uint64_t poll_ms;
	uint64_t reoffer_after;		/* blocks; 0 never */
	const char *role;		/* "trainer", "validator", "all" */
	uint8_t key[DENAI_ADDR_LEN];
	volatile sig_atomic_t *stop;
} cli_task_watch_args;

/* Runs until *stop (or one pass with once). Returns: the exit status. */
int cli_task_watch_run(const cli_task_watch_args *a);

#endif
