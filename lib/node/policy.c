/* policy.c - the request-selection policy (see policy.h). */
#include "node/policy.h"

#include <stdlib.h>
#include <string.h>

void
denai_policy_default(denai_policy *p)
{
	memset(p, 0, sizeof(*p));
	p->order = DENAI_ORDER_TIP;
}

int
denai_policy_set_models(denai_policy *p, const char *list, denai_err *err)
{
	const char *s = list, *e;

	p->nmodels = 0;
	for (;;) {
		e = strchr(s, ',');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		if (p->nmodels == DENAI_POLICY_MAX_MODELS)
			return denai_err_set(err, DENAI_EUSAGE,
			    "at most %d models", DENAI_POLICY_MAX_MODELS);
		if (n == 0 || denai_u256_parse(&p->models[p->nmodels], s, n,
		    err) != 0)
			return denai_err_set(err, DENAI_EUSAGE,
			    "not a list of model ids: %s", list);
		p->nmodels++;
		if (e == NULL)
			return 0;
		s = e + 1;
	}
}

int
denai_policy_set_order(denai_policy *p, const char *name, denai_err *err)
{
	if (strcmp(name, "tip") == 0)
		p->order = DENAI_ORDER_TIP;
	else if (strcmp(name, "oldest") == 0)
		p->order = DENAI_ORDER_OLDEST;
	else
		return denai_err_set(err, DENAI_EUSAGE,
		    "unknown order %s (tip or oldest)", name);
	return 0;
}

int
denai_policy_takes(const denai_policy *p, const denai_request_info *info,
    const char **why)
{
	denai_u256 need;
	size_t i;

	*why = NULL;
	if (denai_u256_cmp(&info->tip, &p->min_tip) < 0) {
		*why = "tip below the minimum tip";
		return 0;
	}
	/* tip >= min_tip_per_gas * callback_gas; an overflow needs more
	 * than any tip can hold. */
	if (!denai_u256_is_zero(&p->min_tip_per_gas) &&
	    (denai_u256_mul_small(&need, &p->min_tip_per_gas,
	    info->callback_gas) != 0 || denai_u256_cmp(&info->tip, &need) < 0)) {
		*why = "tip below the minimum tip per callback gas";
		return 0;
	}
	if (p->nmodels == 0)
		return 1;
	for (i = 0; i < p->nmodels; i++)
		if (denai_u256_cmp(&p->models[i], &info->model_id) == 0)
			return 1;
	*why = "model not on the allow-list";
	return 0;
}

static int
by_tip(const void *a, const void *b)
{
	const denai_policy_item *x = a, *y = b;
	int c = denai_u256_cmp(&y->tip, &x->tip);

	return c != 0 ? c : denai_u256_cmp(&x->id, &y->id);
}

static int
by_id(const void *a, const void *b)
{
	const denai_policy_item *x = a, *y = b;

	return denai_u256_cmp(&x->id, &y->id);
}

void
denai_policy_sort(const denai_policy *p, denai_policy_item *items, size_t n)
{
	if (n > 1)
		qsort(items, n, sizeof(*items),
		    p->order == DENAI_ORDER_OLDEST ? by_id : by_tip);
}
