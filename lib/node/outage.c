/* outage.c - one report per outage (see outage.h). */
#include "node/outage.h"

#include <stddef.h>

int
denai_outage_fail(denai_outage *o, uint64_t now_ms)
{
	if (o->down)
		return 0;
	o->down = 1;
	o->since_ms = now_ms;
	return 1;
}

int
denai_outage_ok(denai_outage *o, uint64_t now_ms, double *secs)
{
	if (!o->down)
		return 0;
	o->down = 0;
	if (secs != NULL)
		*secs = now_ms >= o->since_ms ?
		    (double)(now_ms - o->since_ms) / 1000.0 : 0;
	return 1;
}
