/* datapoint.c - the shape of a data point. */
#include "node/datapoint.h"

#include <stdlib.h>
#include <string.h>

#include "fileio.h"

/* A data point: nested arrays of numbers. */
static int
is_tensor(const json_t *v, int depth)
{
	size_t i;
	json_t *e;

	if (json_is_number(v))
		return depth > 0;
	if (!json_is_array(v) || depth > 32 || json_array_size(v) == 0)
		return 0;
	json_array_foreach(v, i, e)
		if (!is_tensor(e, depth + 1))
			return 0;
	return 1;
}

int
denai_data_point_check(const json_t *v, denai_err *err)
{
	const char *k;
	json_t *e;

	if (json_is_array(v)) {
		if (!is_tensor(v, 0))
			return denai_err_set(err, DENAI_EDATA,
			    "data point is not a non-empty nested array of "
			    "numbers");
		return 0;
	}
	if (!json_is_object(v) || json_object_size(v) == 0)
		return denai_err_set(err, DENAI_EDATA,
		    "data point is neither an array of numbers nor an object "
		    "of named inputs");
	json_object_foreach((json_t *)v, k, e)
		if (!json_is_array(e) || !is_tensor(e, 0))
			return denai_err_set(err, DENAI_EDATA,
			    "data point input '%s' is not a non-empty nested "
			    "array of numbers", k);
	return 0;
}

/* All of in, at most max bytes. */
static int
read_stream(uint8_t **buf, size_t *n, FILE *in, size_t max, denai_err *err)
{
	uint8_t *b = NULL, *nb;
	size_t cap = 0, len = 0, got;

	*buf = NULL;
	*n = 0;
	for (;;) {
		if (len + 4096 > cap) {
			cap = cap ? 2 * cap : 65536;
			if ((nb = realloc(b, cap)) == NULL) {
				free(b);
				return denai_err_set(err, DENAI_ENOMEM,
				    "out of memory");
			}
			b = nb;
		}
		got = fread(b + len, 1, cap - len - 1, in);
		len += got;
		if (got == 0)
			break;
		if (len > max) {
			free(b);
			return denai_err_set(err, DENAI_EDATA,
			    "data point over %zu MiB", max >> 20);
		}
	}
	if (ferror(in)) {
		free(b);
		return denai_err_set(err, DENAI_EIO, "cannot read the data "
		    "point from the standard input");
	}
	b[len] = '\0';
	*buf = b;
	*n = len;
	return 0;
}

int
denai_data_point_read(uint8_t **buf, size_t *n, const char *path, FILE *in,
    denai_err *err)
{
	json_error_t je;
	json_t *v;
	int rc;

	if (strcmp(path, "-") == 0)
		rc = read_stream(buf, n, in, DENAI_DATA_POINT_MAX, err);
	else
		rc = denai_file_read(buf, n, path, DENAI_DATA_POINT_MAX, err);
	if (rc != 0)
		return -1;
	if ((v = json_loadb((const char *)*buf, *n, 0, &je)) == NULL)
		rc = denai_err_set(err, DENAI_EDATA, "%s: not JSON: %s at line "
		    "%d", path, je.text, je.line);
	else if (denai_data_point_check(v, err) != 0)
		rc = denai_err_prefix(err, "%s", path);
	json_decref(v);
	if (rc != 0) {
		free(*buf);
		*buf = NULL;
		*n = 0;
	}
	return rc;
}
