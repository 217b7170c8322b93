/* onnx/gunzip.c - inflating a gzip or zlib stream (see model.h). It calls
 * nothing else in lib/onnx: model.c and model_io.c both use it. */
#include "onnx/model.h"

#include <stdlib.h>
#include <string.h>
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
