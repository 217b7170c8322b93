/*
 * metrics.h - --metrics FILE for the long-running stages: the flag, else
 * $DENAI_METRICS_DIR/denai-<stage>.prom, else none. The file is rewritten
 * every few seconds (lib/metrics) for node_exporter's textfile collector.
 */
#ifndef DENAI_CLI_METRICS_H
#define DENAI_CLI_METRICS_H

#include "metrics/metrics.h"

/* How often the file is rewritten, in milliseconds. */
#define CLI_METRICS_INTERVAL_MS 5000

/*
 * Starts the registry and its writer for stage ("fetch", "queue-pull").
 * Returns: the registry, or NULL when no metrics were asked for (the
 * lib/metrics calls accept NULL). Dies (EX_IOERR) when the file cannot be
 * written. Free it with denai_metrics_free before exiting (it writes a
 * last time).
 */
denai_metrics *cli_metrics_start(const char *flag, const char *stage);

/* For a stage with its own loop: one record written; an error record this
 * stage made also counts as an error ("record failed"). */
struct json_t;
void cli_metrics_out(denai_metrics *m, const struct json_t *rec,
    const char *stage);

#endif
