/*
 * secret.h - a task creator's private state: the test set's CID, the salt
 * of its seal, and a private copy of the test CSV, kept until the reveal.
 *
 * Layout, under a folder for one chain and tasks contract (mode 0700):
 *   pending-<seal hex>.json   written before createTask is sent
 *   task-<id>.json            once the task id is known (pending removed)
 *   test-<seal hex>.csv       the test set (mode 0600)
 * Files are JSON {"task_id", "test_cid", "salt", "seal", "test_copy",
 * "train_cid"}, mode 0600, written atomically (temp file, fsync, rename),
 * so a crash at any moment leaves either the old file or the new one.
 *
 * A denai_task_secret is a plain value owned by the caller; wipe it with
 * denai_task_secret_wipe (the salt is a secret until the reveal).
 */
#ifndef DENAI_TASK_SECRET_H
#define DENAI_TASK_SECRET_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "eth/secp.h"
#include "task/tasks.h"

typedef struct denai_task_secret {
	int has_id;
	uint64_t task_id;
	char test_cid[DENAI_TASK_CID_MAX];
	char train_cid[DENAI_TASK_CID_MAX];
	uint8_t salt[32];
	uint8_t seal[32];
	char test_copy[PATH_MAX];	/* the private copy of the test CSV */
} denai_task_secret;

/*
 * The state folder for a chain and contract under root, created (0700)
 * when missing. Out: dir (PATH_MAX bytes). Returns: 0, or -1 (DENAI_EIO).
 */
int denai_task_secret_dir(char *dir, const char *root, uint64_t chain_id,
    const uint8_t tasks[DENAI_ADDR_LEN], denai_err *err) DENAI_WUR;

/* Copies the test CSV (n bytes) into dir, mode 0600; sets s->test_copy. */
int denai_task_secret_keep_test(denai_task_secret *s, const char *dir,
    const uint8_t *csv, size_t n, denai_err *err) DENAI_WUR;

/*
 * Saves s: as pending-<seal>.json while it has no id; as task-<id>.json
 * once it has one, then removes the pending file.
 */
int denai_task_secret_save(const denai_task_secret *s, const char *dir,
    denai_err *err) DENAI_WUR;

/* Loads task-<id>.json. Returns: 1 found, 0 none, -1 (bad file). */
int denai_task_secret_load(denai_task_secret *s, const char *dir,
    uint64_t id, denai_err *err) DENAI_WUR;

/* Loads every pending file (those whose createTask may or may not have
 * been mined). Out: *list (malloc'd, *n). Returns: 0 or -1. */
int denai_task_secret_pending(denai_task_secret **list, size_t *n,
    const char *dir, denai_err *err) DENAI_WUR;

/* Removes the pending file of s, if any. */
void denai_task_secret_forget_pending(const denai_task_secret *s,
    const char *dir);

void denai_task_secret_wipe(denai_task_secret *s);

#endif
