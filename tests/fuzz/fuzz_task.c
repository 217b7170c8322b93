/*
 * fuzz_task.c - the task side's parsers of outside input: denai-watch
 * --tasks' checkpoint state (refused unless for its chain, contract and
 * key), the CSV checks denai-task runs before posting (the input split at
 * its first NUL into train and test), and the seals of arbitrary score
 * lists. None may crash or leak.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "task/data.h"
#include "task/seal.h"
#include "task/task_watch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	denai_task_watch_opts o = { DENAI_TW_TRAINER, { 0x22 }, 0, 0 };
	uint8_t at[DENAI_ADDR_LEN] = { 0x5f }, out[32], salt[32] = { 0 };
	const uint8_t *nul = memchr(data, 0, size);
	denai_task_watch *w;
	denai_err err;
	json_t *st, *back;

	if ((w = denai_task_watch_new(NULL, NULL, at, 31337, &o, &err)) != NULL) {
		if ((st = json_loadb((const char *)data, size, 0, NULL)) != NULL) {
			if (denai_task_watch_restore(w, st, &err) == 0) {
				back = denai_task_watch_state(w);
				json_decref(back);
			}
			/* Any JSON as trainers and scores of a seal. */
			(void)denai_seal_scores(out, "1", at, 1,
			    json_object_get(st, "trainers"),
			    json_object_get(st, "scores"), salt, &err);
			json_decref(st);
		}
		denai_task_watch_free(w);
	}
	if (nul != NULL)
		(void)denai_task_csv_check(data, (size_t)(nul - data), nul + 1,
		    size - (size_t)(nul - data) - 1, "y", 1, NULL, &err);
	return 0;
}
