/* onnx/model_io.c - reading model files, inflating gzip, loading models. */
#include "onnx/model.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

int
denai_gunzip(uint8_t **out, size_t *outlen, const uint8_t *in, size_t len,
    size_t max, denai_err *err)
{
	z_stream z;
	uint8_t *buf = NULL, *nb;
	size_t cap = 0, n = 0;
	int zr, rc = -1;

	*out = NULL;
	*outlen = 0;
	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 15 + 32) != Z_OK)	/* gzip or zlib header */
		return denai_err_set(err, DENAI_ENOMEM, "cannot start zlib");
	z.next_in = (Bytef *)(uintptr_t)in;
	for (;;) {
		if (n == cap) {
			size_t c = cap ? cap * 2 : 65536;

			if (cap >= max + 1) {
				denai_err_set(err, DENAI_ENOMEM,
				    "inflated data is over %zu bytes", max);
				goto out;
			}
			if (c > max + 1)
				c = max + 1;
			if ((nb = realloc(buf, c)) == NULL) {
				denai_err_set(err, DENAI_ENOMEM,
				    "out of memory inflating");
				goto out;
			}
			buf = nb;
			cap = c;
		}
		if (z.avail_in == 0) {
			size_t used = (size_t)((const uint8_t *)z.next_in -
			    in), left = len - used;
			z.avail_in = left > 1u << 30 ? 1u << 30 : (uInt)left;
		}
		size_t room = cap - n;
		z.next_out = buf + n;
		z.avail_out = room > 1u << 30 ? 1u << 30 : (uInt)room;
		uInt before = z.avail_out;
		zr = inflate(&z, Z_NO_FLUSH);
		n += before - z.avail_out;
		if (n > max) {
			denai_err_set(err, DENAI_ENOMEM,
			    "inflated data is over %zu bytes", max);
			goto out;
		}
		if (zr == Z_STREAM_END)
			break;
		if (zr == Z_BUF_ERROR && z.avail_in == 0 &&
		    (size_t)((const uint8_t *)z.next_in - in) == len) {
			denai_err_set(err, DENAI_EDATA,
			    "truncated compressed data");
			goto out;
		}
		if (zr != Z_OK && zr != Z_BUF_ERROR) {
			denai_err_set(err, DENAI_EDATA,
			    "bad compressed data: %s", z.msg != NULL ? z.msg : "inflate failed");
			goto out;
		}
	}
	*out = buf;
	*outlen = n;
	buf = NULL;
	rc = 0;
out:
	inflateEnd(&z);
	free(buf);
	return rc;
}

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
	if (denai_model_file_read(&buf, &len, path, max_bytes, err) != 0)
		return -1;
	rc = denai_model_load_mem(m, buf, len, max_bytes, err);
	free(buf);
	if (rc != 0)
		denai_err_prefix(err, "%s", path);
	return rc;
}
