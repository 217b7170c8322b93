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
 * denai_checkpoint_save, skipped when st's text is *last, the text this
 * call last wrote (a poll that changed nothing costs no write and no
 * fsync). *last (malloc'd, NULL at first) is the caller's to free; set it
 * NULL (after freeing it) whenever path is written otherwise
 * (denai_checkpoint_emit), so the next save writes.
 */
int denai_checkpoint_save_changed(const char *path, const json_t *st,
    char **last, denai_err *err) DENAI_WUR;

/*
 * Emits rec to out under the checkpoint st that counts it as emitted: st
 * is written to a temporary file beside path, then rec is written and
 * flushed, then the file is synced and renamed into place. A kill before
 * the rename leaves the old checkpoint, so rec comes out again only if it
 * was already written; only the moment between the record's flush and the
 * rename (the file's fsync: a fraction of a millisecond on an idle disk)
 * can repeat a record. The fsync comes after the record so that the record
 * does not wait for the disk. hook (may be NULL) is called with 1 once
 * staged, 2 once written, 3 once renamed (tests kill the process there).
 * Returns: 0, or -1 (DENAI_EIO; a failed write removes the staged file).
 */
int denai_checkpoint_emit(FILE *out, const char *path, const json_t *st,
    const json_t *rec, void (*hook)(void *ctx, int at), void *ctx,
    denai_err *err) DENAI_WUR;

#endif
