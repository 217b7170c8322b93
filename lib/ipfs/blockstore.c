/* ipfs/blockstore.c - blocks by multihash in a directory (written with
 * fileio.h's atomic writes). */
#include "ipfs/blockstore.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ipfs/multibase.h"

struct denai_blockstore {
	char *dir;
};

denai_blockstore *
denai_blockstore_open(const char *dir, denai_err *err)
{
	denai_blockstore *bs;
	char path[PATH_MAX];

	if (snprintf(path, sizeof(path), "%s/blocks", dir) >=
	    (int)sizeof(path)) {
		denai_err_set(err, DENAI_EIO, "store path too long: %s", dir);
		return NULL;
	}
	if (denai_mkdirs(path, err) != 0) {
		denai_err_prefix(err, "block store");
		return NULL;
	}
	if ((bs = calloc(1, sizeof(*bs))) == NULL ||
	    (bs->dir = strdup(dir)) == NULL) {
		free(bs);
		denai_err_set(err, DENAI_ENOMEM, "out of memory");
		return NULL;
	}
	return bs;
}

void
denai_blockstore_close(denai_blockstore *bs)
{
	if (bs == NULL)
		return;
	free(bs->dir);
	free(bs);
}

const char *
denai_blockstore_dir(const denai_blockstore *bs)
{
	return bs->dir;
}

/* Fills path with the block's file name; shard, when not NULL, gets the
 * folder. Returns: 0 or -1. */
static int
block_path(char *path, size_t cap, char *shard, size_t scap,
    const denai_blockstore *bs, const denai_cid *cid, denai_err *err)
{
	char key[DENAI_CID_STR_MAX];
	size_t kl;

	if (denai_multibase_encode(key, sizeof(key), 'b',
	    cid->bytes + cid->mh_off, cid->len - cid->mh_off, err) != 0)
		return -1;
	kl = strlen(key);
	if (shard != NULL && snprintf(shard, scap, "%s/blocks/%.2s", bs->dir,
	    key + kl - 3) >= (int)scap)
		return denai_err_set(err, DENAI_EIO, "store path too long");
	if (snprintf(path, cap, "%s/blocks/%.2s/%s", bs->dir, key + kl - 3,
	    key + 1) >= (int)cap)
		return denai_err_set(err, DENAI_EIO, "store path too long");
	return 0;
}

int
denai_blockstore_put(denai_blockstore *bs, const denai_cid *cid,
    const uint8_t *block, size_t len, denai_err *err)
{
	char path[PATH_MAX], shard[PATH_MAX];

	if (len > DENAI_BLOCK_MAX)
		return denai_err_set(err, DENAI_EDATA,
		    "block %s of %zu bytes is over %u", denai_cid_str(cid),
		    len, DENAI_BLOCK_MAX);
	if (denai_cid_verify(cid, block, len, err) != 0)
		return denai_err_prefix(err, "block %s", denai_cid_str(cid));
	if (block_path(path, sizeof(path), shard, sizeof(shard), bs, cid,
	    err) != 0)
		return -1;
	if (access(path, F_OK) == 0)
		return 0;
	if (denai_mkdirs(shard, err) != 0)
		return -1;
	return denai_write_atomic(path, block, len, 0644, err);
}

int
denai_blockstore_has(denai_blockstore *bs, const denai_cid *cid)
{
	char path[PATH_MAX];

	if (block_path(path, sizeof(path), NULL, 0, bs, cid, NULL) != 0)
		return 0;
	return access(path, F_OK) == 0;
}

int
denai_blockstore_get(denai_blockstore *bs, const denai_cid *cid,
    uint8_t **block, size_t *len, denai_err *err)
{
	char path[PATH_MAX];
	struct stat st;
	uint8_t *buf = NULL;
	size_t got = 0;
	ssize_t r;
	int fd;

	*block = NULL;
	*len = 0;
	if (denai_cid_check(cid, err) != 0)
		return -1;
	if (block_path(path, sizeof(path), NULL, 0, bs, cid, err) != 0)
		return -1;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			return 0;
		return denai_err_set(err, DENAI_EIO, "cannot open %s: %s",
		    path, strerror(errno));
	}
	if (fstat(fd, &st) != 0 || st.st_size > DENAI_BLOCK_MAX) {
		denai_err_set(err, DENAI_EDATA, "block file %s is too large",
		    path);
		goto bad;
	}
	if ((buf = malloc((size_t)st.st_size + 1)) == NULL) {
		close(fd);
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	}
	while (got <= (size_t)st.st_size) {
		r = read(fd, buf + got, (size_t)st.st_size + 1 - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			denai_err_set(err, DENAI_EIO, "cannot read %s: %s",
			    path, strerror(errno));
			close(fd);
			free(buf);
			return -1;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	if (got != (size_t)st.st_size) {
		denai_err_set(err, DENAI_EDATA, "block file %s changed size",
		    path);
		goto bad;
	}
	if (denai_cid_verify(cid, buf, got, err) != 0) {
		denai_err_prefix(err, "block store: %s is corrupt (removed)",
		    path);
		goto bad;
	}
	close(fd);
	*block = buf;
	*len = got;
	return 1;
bad:
	close(fd);
	free(buf);
	unlink(path);
	return -1;
}
