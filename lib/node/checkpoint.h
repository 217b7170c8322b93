/*
 * checkpoint.h - a watcher's checkpoint: a JSON state file that says what
 * has been emitted, written so that a kill -9 at any moment neither loses
 * nor repeats a record. denai-watch (requests) and denai-watch --tasks use
 * it. The caller owns every json_t; nothing here keeps a reference.
 */
#ifndef DENAI_NODE_CHECKPOINT_H
#define DENAI_NODE_CHECKPOINT_H

#include <stdio.h>
#include <jansson.h>

#include "err.h"

/* Largest state file read back, in bytes. */
#define DENAI_CHECKPOINT_MAX ((size_t)16 << 20)

/*
 * Reads path. Out: *st, the state (the caller's), or NULL when there is no
 * file yet. Returns: 0, or -1 (DENAI_EIO unreadable, DENAI_EDATA not JSON,
 * naming the file).
 */
int denai_checkpoint_load(json_t **st, const char *path, denai_err *err)
    DENAI_WUR;

/* Writes st to path atomically (temporary file, fsync, rename). */
int denai_checkpoint_save(const char *path, const json_t *st,
    denai_err *err) DENAI_WUR;

/*
 * Emits rec to out under the checkpoint st that counts it as emitted: st
 * is written to a temporary file beside path and synced, then rec is
 * written and flushed, then the file is renamed into place. A kill before
 * the rename leaves the old checkpoint, so rec comes out again only if it
 * was already written; only the instant between the record's flush and the
 * rename can repeat a record. hook (may be NULL) is called with 1 once
 * staged, 2 once written, 3 once renamed (tests kill the process there).
 * Returns: 0, or -1 (DENAI_EIO; a failed write removes the staged file).
 */
int denai_checkpoint_emit(FILE *out, const char *path, const json_t *st,
    const json_t *rec, void (*hook)(void *ctx, int at), void *ctx,
    denai_err *err) DENAI_WUR;

#endif
