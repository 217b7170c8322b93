/* onnx/model_io.c - reading model files (gzip inflated by gunzip.c) and
 * loading them (model.c): it calls both, neither calls it. */
#include "onnx/model.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static int
is_gzip(const uint8_t *p, size_t len)
{
	return len >= 2 && p[0] == 0x1f && p[1] == 0x8b;
}

int
denai_model_file_read(uint8_t **buf, size_t *len, const char *path,
    size_t max, denai_err *err)
{
	FILE *f;
	struct stat st;
	uint8_t *b = NULL;
	size_t n = 0, cap = 0;
	int rc = -1;

	*buf = NULL;
	*len = 0;
	if ((f = fopen(path, "rb")) == NULL)
		return denai_err_set(err, DENAI_EIO, "cannot open %s: %s", path,
		    strerror(errno));
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		denai_err_set(err, DENAI_EIO, "%s is a directory", path);
		goto out;
	}
	for (;;) {
		if (n == cap) {
			size_t c = cap ? cap * 2 : 65536;
			uint8_t *nb;

			if (cap > max) {
				denai_err_set(err, DENAI_ENOMEM,
				    "%s is over %zu bytes", path, max);
				goto out;
			}
			if (c > max + 1)
				c = max + 1;
			if ((nb = realloc(b, c)) == NULL) {
				denai_err_set(err, DENAI_ENOMEM,
				    "out of memory reading %s", path);
				goto out;
			}
			b = nb;
			cap = c;
		}
		size_t k = fread(b + n, 1, cap - n, f);
		n += k;
		if (n > max) {
			denai_err_set(err, DENAI_ENOMEM, "%s is over %zu bytes",
			    path, max);
			goto out;
		}
		if (k == 0) {
			if (ferror(f)) {
				denai_err_set(err, DENAI_EIO,
				    "cannot read %s: %s", path,
				    strerror(errno));
				goto out;
			}
			break;
		}
	}
	if (is_gzip(b, n)) {
		uint8_t *z;
		size_t zn;

		if (denai_gunzip(&z, &zn, b, n, max, err) != 0) {
			denai_err_prefix(err, "%s", path);
			goto out;
		}
		free(b);
		b = z;
		n = zn;
	}
	*buf = b;
	*len = n;
	b = NULL;
	rc = 0;
out:
	free(b);
	fclose(f);
	return rc;
}

/*
 * A plain (not gzip'd) regular file is parsed from a read-only mapping of
 * the page cache: no copy, no heap pages to fault in (the one-record
 * process). Returns: 0 loaded, 1 failed (err set), -1 not mappable here
 * (the caller reads the file instead).
 */
static int
load_mapped(denai_model **m, const char *path, size_t max, denai_err *err)
{
	struct stat st;
	void *p;
	int fd, rc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 2 ||
	    (uintmax_t)st.st_size > max) {
		close(fd);
		return -1;
	}
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE |
	    MAP_POPULATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return -1;
	if (is_gzip(p, (size_t)st.st_size)) {
		munmap(p, (size_t)st.st_size);
		return -1;
	}
	rc = denai_model_load_mem(m, p, (size_t)st.st_size, max, err);
	munmap(p, (size_t)st.st_size);
	if (rc != 0) {
		denai_err_prefix(err, "%s", path);
		return 1;
	}
	return 0;
}

int
denai_model_load_file(denai_model **m, const char *path, size_t max_bytes,
    denai_err *err)
{
	uint8_t *buf;
	size_t len;
	int rc;

	*m = NULL;
	if (max_bytes == 0)
		max_bytes = DENAI_MODEL_MAX_BYTES;
	if ((rc = load_mapped(m, path, max_bytes, err)) >= 0)
		return rc == 0 ? 0 : -1;
	if (denai_model_file_read(&buf, &len, path, max_bytes, err) != 0)
		return -1;
	rc = denai_model_load_mem(m, buf, len, max_bytes, err);
	free(buf);
	if (rc != 0)
		denai_err_prefix(err, "%s", path);
	return rc;
}
