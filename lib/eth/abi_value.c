/* abi_value.c - numbers out of decoded ABI values (see abi.h). */
#include "eth/abi.h"

#include <string.h>

int
denai_abi_value_u256(denai_u256 *v, const json_t *s, denai_err *err)
{
	const char *t = json_string_value(s);

	if (t == NULL)
		return denai_err_set(err, DENAI_EDATA, "expected a number");
	return denai_u256_parse(v, t, strlen(t), err);
}

int
denai_abi_value_u64(uint64_t *v, const json_t *s, denai_err *err)
{
	denai_u256 u;

	if (denai_abi_value_u256(&u, s, err) != 0)
		return -1;
	if (u.w[1] | u.w[2] | u.w[3])
		return denai_err_set(err, DENAI_EDATA, "number over 64 bits");
	*v = u.w[0];
	return 0;
}
