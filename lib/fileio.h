/*
 * fileio.h - the file helpers every layer may use: whole-file reads with a
 * size cap, creating folders, atomic writes.
 */
#ifndef DENAI_FILEIO_H
#define DENAI_FILEIO_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/*
 * Reads all of path, refusing more than max bytes. A NUL is appended (not
 * counted in *len) so text can be used as a C string.
 * Out: *data (malloc'd, the caller frees), *len.
 * Returns: 0, or -1 (DENAI_EIO naming the file, DENAI_ENOMEM over max).
 */
int denai_file_read(uint8_t **data, size_t *len, const char *path,
    size_t max, denai_err *err) DENAI_WUR;

/*
 * Creates the folder path and its parents (mode 0755) as needed.
 * Returns: 0, or -1 (DENAI_EIO naming the folder).
 */
int denai_mkdirs(const char *path, denai_err *err) DENAI_WUR;

/* The same with the folders' mode (0700 for private ones such as a
 * keystore); folders already there are left as they are. */
int denai_mkdirs_mode(const char *path, unsigned mode, denai_err *err)
    DENAI_WUR;

/*
 * Writes n bytes to path atomically: a temporary file beside it, fsync,
 * rename. mode is the final file's mode (e.g. 0644).
 * Returns: 0, or -1 (DENAI_EIO).
 */
int denai_write_atomic(const char *path, const uint8_t *p, size_t n,
    unsigned mode, denai_err *err) DENAI_WUR;

/*
 * The same in two steps, for a caller that must do something between the
 * write and the rename (denai-watch writes its record there): _stage
 * writes the temporary file beside path and names it in tmp (PATH_MAX
 * bytes); _commit syncs it and renames it onto path, or with ok == 0
 * removes it. The sync is in _commit so that what the caller does between
 * does not wait for the disk. Returns: 0, or -1 (DENAI_EIO; a failed stage
 * or commit leaves no temporary file).
 */
int denai_write_atomic_stage(char *tmp, const char *path, const uint8_t *p,
    size_t n, unsigned mode, denai_err *err) DENAI_WUR;
int denai_write_atomic_commit(const char *tmp, const char *path, int ok,
    denai_err *err) DENAI_WUR;

#endif
