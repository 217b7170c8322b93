/*
 * node/predict_record.c - a request record's data point, decimals and
 * model (see predict_record.h).
 */
#include <errno.h>
#include <stdlib.h>

#include "fileio.h"
#include "onnx/predict.h"
#include "node/predict_record.h"
#include "node/record.h"

int
denai_predict_record_decimals(unsigned *d, const json_t *rec, denai_err *err)
{
	const json_t *v = json_object_get(rec, "model_decimals");
	long long x;
	char *end;

	if (v == NULL)
		v = json_object_get(rec, "decimals");
	if (v == NULL || json_is_null(v)) {
		*d = 0;
		return 0;
	}
	if (json_is_integer(v))
		x = json_integer_value(v);
	else if (json_is_string(v)) {
		errno = 0;
		x = strtoll(json_string_value(v), &end, 10);
		if (end == json_string_value(v) || *end != '\0' || errno)
			x = -1;
	} else
		x = -1;
	if (x < 0 || x > DENAI_PREDICT_MAX_DECIMALS)
		return denai_err_set(err, DENAI_EDATA,
		    "decimals must be an integer from 0 to %d",
		    DENAI_PREDICT_MAX_DECIMALS);
	*d = (unsigned)x;
	return 0;
}

int
denai_predict_record_data(json_t **data, const json_t *rec, denai_err *err)
{
	const char *path;
	json_error_t je;
	uint8_t *buf;
	size_t len;

	*data = json_object_get(rec, "data");
	if (*data != NULL) {
		json_incref(*data);
		return 0;
	}
	if ((path = denai_record_str(rec, "data_path")) == NULL)
		return denai_err_set(err, DENAI_EDATA,
		    "request has no data or data_path");
	if (denai_file_read(&buf, &len, path, DENAI_PREDICT_MAX_DATA_FILE,
	    err) != 0)
		return denai_err_prefix(err, "data_path");
	*data = json_loadb((const char *)buf, len, JSON_REJECT_DUPLICATES,
	    &je);
	free(buf);
	if (*data == NULL)
		return denai_err_set(err, DENAI_EDATA,
		    "data_path %s is not JSON: %s", path, je.text);
	return 0;
}

int
denai_predict_record_graph(denai_model_cache *c, denai_graph **g,
    const json_t *rec, denai_err *err)
{
	const char *path = denai_record_str(rec, "model_path");

	if (path == NULL)
		return denai_err_set(err, DENAI_EDATA,
		    "request has no model_path");
	return denai_model_cache_get(c, g,
	    denai_record_str(rec, "model_sha256"), path, err);
}
