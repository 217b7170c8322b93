/* fileio.c - whole-file reads with a size cap, folders, atomic writes. */
#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int
denai_file_read(uint8_t **data, size_t *len, const char *path, size_t max,
    denai_err *err)
{
	FILE *f;
	uint8_t *buf = NULL, *nb;
	size_t n = 0, cap = 0, got;
	int rc = -1;

	*data = NULL;
	*len = 0;
	if ((f = fopen(path, "rb")) == NULL)
		return denai_err_set(err, DENAI_EIO, "cannot open %s: %s", path,
		    strerror(errno));
	for (;;) {
		if (cap - n < 2) {
			cap = cap ? cap * 2 : 4096;
			if ((nb = realloc(buf, cap)) == NULL) {
				denai_err_set(err, DENAI_ENOMEM, "out of memory "
				    "reading %s", path);
				goto out;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (n > max) {
			denai_err_set(err, DENAI_ENOMEM,
			    "%s is larger than %zu bytes", path, max);
			goto out;
		}
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		denai_err_set(err, DENAI_EIO, "cannot read %s: %s", path,
		    strerror(errno));
		goto out;
	}
	buf[n] = '\0';
	*data = buf;
	*len = n;
	buf = NULL;
	rc = 0;
out:
	free(buf);
	fclose(f);
	return rc;
}

int
denai_mkdirs(const char *path, denai_err *err)
{
	return denai_mkdirs_mode(path, 0755, err);
}

int
denai_mkdirs_mode(const char *path, unsigned mode, denai_err *err)
{
	char buf[PATH_MAX];
	size_t n = strlen(path);

	if (n == 0 || n >= sizeof(buf))
		return denai_err_set(err, DENAI_EIO, "bad folder name '%s'",
		    path);
	memcpy(buf, path, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		buf[i] = '\0';
		if (mkdir(buf, (mode_t)mode) != 0 && errno != EEXIST)
			return denai_err_set(err, DENAI_EIO,
			    "cannot create folder %s: %s", buf,
			    strerror(errno));
		buf[i] = path[i];
	}
	return 0;
}

/* A failed stage or commit: says why (errno), closes fd when open and
 * removes the temporary file. Returns: -1. */
static int
staged_fail(const char *tmp, const char *path, int fd, denai_err *err)
{
	denai_err_set(err, DENAI_EIO, "cannot write %s: %s", path,
	    strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return -1;
}

int
denai_write_atomic_stage(char *tmp, const char *path, const uint8_t *p,
    size_t n, unsigned mode, denai_err *err)
{
	const char *slash = strrchr(path, '/');
	size_t dl = slash ? (size_t)(slash - path) + 1 : 0;
	ssize_t w;
	int fd;

	if (dl + 16 >= PATH_MAX)
		return denai_err_set(err, DENAI_EIO, "path too long: %s", path);
	memcpy(tmp, path, dl);
	strcpy(tmp + dl, ".tmp-XXXXXX");
	if ((fd = mkstemp(tmp)) < 0)
		return denai_err_set(err, DENAI_EIO,
		    "cannot create a temporary file beside %s: %s", path,
		    strerror(errno));
	while (n > 0) {
		if ((w = write(fd, p, n)) < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		p += w;
		n -= (size_t)w;
	}
	if (fchmod(fd, (mode_t)mode) != 0)
		goto fail;
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	return 0;
fail:
	return staged_fail(tmp, path, fd, err);
}

int
denai_write_atomic_commit(const char *tmp, const char *path, int ok,
    denai_err *err)
{
	int fd;

	if (!ok) {
		unlink(tmp);
		return 0;
	}
	/* Synced before it takes path's place: a crash of the machine
	 * leaves the old file or the whole new one, never a torn one. */
	if ((fd = open(tmp, O_RDONLY)) < 0 || fsync(fd) != 0)
		goto fail;
	close(fd);
	fd = -1;
	if (rename(tmp, path) != 0)
		goto fail;
	return 0;
fail:
	return staged_fail(tmp, path, fd, err);
}

int
denai_write_atomic(const char *path, const uint8_t *p, size_t n,
    unsigned mode, denai_err *err)
{
	char tmp[PATH_MAX];

	if (denai_write_atomic_stage(tmp, path, p, n, mode, err) != 0)
		return -1;
	return denai_write_atomic_commit(tmp, path, 1, err);
}
