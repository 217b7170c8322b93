/*
 * fileio.h - whole-file reads with a size cap.
 * (Atomic writes are denai_write_atomic in blockstore.h.)
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
 * Creates the folder path and any missing parents with mode (0700 for
 * private ones such as a keystore); folders already there are left as
 * they are. Returns: 0, or -1 (DENAI_EIO naming the folder).
 */
int denai_mkdirs_mode(const char *path, unsigned mode, denai_err *err)
    DENAI_WUR;

#endif
