/* datapoint.c - the shape of a data point. */
#include "node/datapoint.h"

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

