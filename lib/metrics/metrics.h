/*
 * metrics.h - a stage's counters, gauges and histograms, written in the
 * Prometheus text exposition format (version 0.0.4) to a file that
 * node_exporter's textfile collector reads (name it *.prom).
 *
 * Every series carries the label stage="<stage>" first, so the files of
 * several stages on one machine merge without clashes. The file is
 * rewritten atomically (temporary file, fsync, rename), on demand or every
 * few seconds by a writer thread, so a reader never sees half a file.
 *
 * Ownership: denai_metrics is a heap object (_new/_free). Every function
 * accepts m == NULL and then does nothing, so a stage calls them whether
 * or not metrics were asked for. All functions are thread-safe.
 *
 * Labels are given as a NULL-terminated array of name, value pairs:
 *   const char *const l[] = { "reason", "bad data", NULL };
 * Values are escaped as the format requires (\\, \", \n).
 */
#ifndef DENAI_METRICS_H
#define DENAI_METRICS_H

#include <stddef.h>

#include "err.h"

typedef struct denai_metrics denai_metrics;

/* Histogram buckets (seconds) used by denai_metrics_observe. */
#define DENAI_METRICS_NBUCKETS 14
extern const double denai_metrics_buckets[DENAI_METRICS_NBUCKETS];

/* The names the record helpers below use. */
#define DENAI_M_IN "denai_records_in_total"
#define DENAI_M_OUT "denai_records_out_total"
#define DENAI_M_ERRORS "denai_record_errors_total"
#define DENAI_M_SECONDS "denai_record_seconds"

/*
 * Returns: a new registry for stage ("fetch", "queue-pull", ...), or NULL
 * with err filled (DENAI_ENOMEM). It holds the gauge
 * denai_stage_start_time_seconds from the start.
 */
denai_metrics *denai_metrics_new(const char *stage, denai_err *err);

/* Stops the writer thread (writing the file one last time) and frees m. */
void denai_metrics_free(denai_metrics *m);

/*
 * Adds v (>= 0) to a counter (its name should end in _total), sets a gauge,
 * or observes v in a histogram (its name should end in _seconds when it
 * measures time). A series is created on first use; help is used then.
 * Returns: 0, or -1 (DENAI_EUSAGE: a bad name, label name, negative
 * counter increment, or a name used before for another kind;
 * DENAI_ENOMEM).
 */
int denai_metrics_add(denai_metrics *m, const char *name, const char *help,
    const char *const *labels, double v, denai_err *err);
int denai_metrics_set(denai_metrics *m, const char *name, const char *help,
    const char *const *labels, double v, denai_err *err);
int denai_metrics_observe(denai_metrics *m, const char *name,
    const char *help, const char *const *labels, double v, denai_err *err);

/* Record helpers for every stage: one record in, one out, one failed
 * (reason: a short fixed text such as denai_err_code_name's, never a
 * message with data in it), and the time one record took. */
void denai_metrics_in(denai_metrics *m);
void denai_metrics_out(denai_metrics *m);
void denai_metrics_error(denai_metrics *m, const char *reason);
void denai_metrics_time(denai_metrics *m, double seconds);

/*
 * The exposition text of every series, families in the order first used.
 * Out: *text (malloc'd, NUL-terminated, the caller frees), *len.
 * Returns: 0, or -1 (DENAI_ENOMEM).
 */
int denai_metrics_format(denai_metrics *m, char **text, size_t *len,
    denai_err *err) DENAI_WUR;

/* Writes the text to path atomically, mode 0644.
 * Returns: 0, or -1 (DENAI_EIO, DENAI_ENOMEM). */
int denai_metrics_write(denai_metrics *m, const char *path, denai_err *err)
    DENAI_WUR;

/*
 * Starts a thread that writes path now and then every interval_ms
 * (at least 100), until denai_metrics_free. A failed write is retried at
 * the next tick (the first one is reported here).
 * Returns: 0, or -1 (DENAI_EIO from the first write, DENAI_EUSAGE when
 * already started, or the thread could not start).
 */
int denai_metrics_start(denai_metrics *m, const char *path,
    unsigned interval_ms, denai_err *err) DENAI_WUR;

/* Returns: seconds from a monotonic clock, for timing records. */
double denai_metrics_now(void);

#endif
