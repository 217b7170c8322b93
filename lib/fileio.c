/* fileio.c - whole-file reads with a size cap. */
#include "fileio.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <limits.h>
#include <sys/stat.h>

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
denai_mkdirs_mode(const char *path, unsigned mode, denai_err *err)
{
	char buf[PATH_MAX];
	size_t n = strlen(path);

	if (n == 0 || n >= sizeof(buf))
		return denai_err_set(err, DENAI_EIO, "bad folder name");
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
