/* metrics.c - the --metrics flag and DENAI_METRICS_DIR. */
#include "metrics.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "node/record.h"

denai_metrics *
cli_metrics_start(const char *flag, const char *stage)
{
	static char path[4096];
	const char *dir;
	static denai_metrics *m;	/* reachable when cli_die exits */
	denai_err err;

	if (flag == NULL) {
		dir = getenv("DENAI_METRICS_DIR");
		if (dir == NULL || *dir == '\0')
			return NULL;
		if ((size_t)snprintf(path, sizeof(path), "%s/denai-%s.prom",
		    dir, stage) >= sizeof(path))
			cli_die(EX_USAGE, "DENAI_METRICS_DIR is too long");
		flag = path;
	}
	if ((m = denai_metrics_new(stage, &err)) == NULL ||
	    denai_metrics_start(m, flag, CLI_METRICS_INTERVAL_MS, &err) != 0)
		cli_die(denai_err_exit_status(err.code), "--metrics: %s",
		    err.msg);
	return m;
}

void
cli_metrics_out(denai_metrics *m, const json_t *rec, const char *stage)
{
	const char *s;

	if (m == NULL)
		return;
	denai_metrics_out(m);
	if (denai_record_is(rec, "error") && (s = denai_record_str(rec,
	    "stage")) != NULL && strcmp(s, stage) == 0)
		denai_metrics_error(m, "record failed");
}
