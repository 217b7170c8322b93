/* metrics.c - a Prometheus text-format registry and its file writer. */
#include "metrics/metrics.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fileio.h"

const double denai_metrics_buckets[DENAI_METRICS_NBUCKETS] = {
	0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
	1, 5, 30, 300,
};

enum { COUNTER, GAUGE, HISTOGRAM };
static const char *const kind_name[] = { "counter", "gauge", "histogram" };

struct series {
	char *labels;		/* escaped: stage="x",k="v" */
	double v;		/* counter or gauge; histogram: the sum */
	unsigned long long count;
	unsigned long long bucket[DENAI_METRICS_NBUCKETS];
};

struct family {
	char *name, *help;
	int kind;
	struct series *s;
	size_t n, cap;
};

struct denai_metrics {
	pthread_mutex_t mu;
	char *stage;
	struct family *f;
	size_t n, cap;
	/* the writer thread */
	pthread_t th;
	pthread_cond_t cv;
	int started, stop;
	char *path;
	unsigned interval_ms;
};

/* A growable string. */
struct sb {
	char *p;
	size_t n, cap;
	int oom;
};

static void
sb_need(struct sb *b, size_t more)
{
	char *q;
	size_t c;

	if (b->oom || b->n + more + 1 <= b->cap)
		return;
	c = b->cap ? b->cap : 256;
	while (c < b->n + more + 1)
		c *= 2;
	if ((q = realloc(b->p, c)) == NULL) {
		b->oom = 1;
		return;
	}
	b->p = q;
	b->cap = c;
}

static void
sb_put(struct sb *b, const char *s, size_t n)
{
	sb_need(b, n);
	if (b->oom)
		return;
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void
sb_str(struct sb *b, const char *s)
{
	sb_put(b, s, strlen(s));
}

static void DENAI_PRINTF(2, 3)
sb_fmt(struct sb *b, const char *fmt, ...)
{
	char tmp[128];
	va_list ap;
	int k;

	va_start(ap, fmt);
	k = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (k > 0)
		sb_put(b, tmp, (size_t)k < sizeof(tmp) ? (size_t)k :
		    sizeof(tmp) - 1);
}

/* Label values escape \, " and newline; help text escapes \ and newline. */
static void
sb_escaped(struct sb *b, const char *s, int quote)
{
	for (; *s; s++) {
		if (*s == '\\')
			sb_str(b, "\\\\");
		else if (*s == '\n')
			sb_str(b, "\\n");
		else if (*s == '"' && quote)
			sb_str(b, "\\\"");
		else
			sb_put(b, s, 1);
	}
}

/* A float as the format writes it: +Inf, -Inf, NaN, or %.17g trimmed. */
static void
sb_value(struct sb *b, double v)
{
	if (isnan(v))
		sb_str(b, "NaN");
	else if (isinf(v))
		sb_str(b, v > 0 ? "+Inf" : "-Inf");
	else if (v == floor(v) && fabs(v) < 1e15)
		sb_fmt(b, "%.0f", v);
	else {
		char t[40];

		/* the shortest form that reads back as the same double */
		for (int prec = 15; prec <= 17; prec++) {
			snprintf(t, sizeof(t), "%.*g", prec, v);
			if (strtod(t, NULL) == v)
				break;
		}
		sb_str(b, t);
	}
}

static int
valid_name(const char *s, int colon)
{
	if (s == NULL || *s == '\0' || (*s >= '0' && *s <= '9'))
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '_' ||
		    (colon && *s == ':')))
			return 0;
	return 1;
}

denai_metrics *
denai_metrics_new(const char *stage, denai_err *err)
{
	denai_metrics *m = calloc(1, sizeof(*m));

	if (m == NULL || (m->stage = strdup(stage)) == NULL) {
		free(m);
		denai_err_set(err, DENAI_ENOMEM, "out of memory");
		return NULL;
	}
	pthread_mutex_init(&m->mu, NULL);
	pthread_cond_init(&m->cv, NULL);
	if (denai_metrics_set(m, "denai_stage_start_time_seconds",
	    "When the stage started, in seconds since the epoch.", NULL,
	    (double)time(NULL), err) != 0) {
		denai_metrics_free(m);
		return NULL;
	}
	return m;
}

void
denai_metrics_free(denai_metrics *m)
{
	if (m == NULL)
		return;
	if (m->started) {
		pthread_mutex_lock(&m->mu);
		m->stop = 1;
		pthread_cond_signal(&m->cv);
		pthread_mutex_unlock(&m->mu);
		pthread_join(m->th, NULL);
		if (denai_metrics_write(m, m->path, NULL) != 0) {
			/* nothing left to tell it to */
		}
	}
	for (size_t i = 0; i < m->n; i++) {
		for (size_t j = 0; j < m->f[i].n; j++)
			free(m->f[i].s[j].labels);
		free(m->f[i].s);
		free(m->f[i].name);
		free(m->f[i].help);
	}
	free(m->f);
	free(m->stage);
	free(m->path);
	pthread_cond_destroy(&m->cv);
	pthread_mutex_destroy(&m->mu);
	free(m);
}

/* Under the lock: the family name of kind, created with help if new. */
static struct family *
family(denai_metrics *m, const char *name, const char *help, int kind,
    denai_err *err)
{
	struct family *f;

	for (size_t i = 0; i < m->n; i++) {
		if (strcmp(m->f[i].name, name) != 0)
			continue;
		if (m->f[i].kind != kind) {
			denai_err_set(err, DENAI_EUSAGE, "metric %s is a %s, "
			    "not a %s", name, kind_name[m->f[i].kind],
			    kind_name[kind]);
			return NULL;
		}
		return &m->f[i];
	}
	if (!valid_name(name, 1)) {
		denai_err_set(err, DENAI_EUSAGE, "bad metric name '%s'", name);
		return NULL;
	}
	if (m->n == m->cap) {
		size_t c = m->cap ? m->cap * 2 : 16;
		struct family *q = realloc(m->f, c * sizeof(*q));

		if (q == NULL)
			goto oom;
		m->f = q;
		m->cap = c;
	}
	f = &m->f[m->n];
	memset(f, 0, sizeof(*f));
	f->kind = kind;
	f->name = strdup(name);
	f->help = strdup(help ? help : "");
	if (f->name == NULL || f->help == NULL) {
		free(f->name);
		free(f->help);
		goto oom;
	}
	m->n++;
	return f;
oom:
	denai_err_set(err, DENAI_ENOMEM, "out of memory");
	return NULL;
}

/* Under the lock: the series of f with these labels, created if new. */
static struct series *
series(denai_metrics *m, struct family *f, const char *const *labels,
    denai_err *err)
{
	struct sb b = { 0 };
	struct series *s;

	sb_str(&b, "stage=\"");
	sb_escaped(&b, m->stage, 1);
	sb_str(&b, "\"");
	for (size_t i = 0; labels != NULL && labels[i] != NULL; i += 2) {
		if (!valid_name(labels[i], 0) || labels[i + 1] == NULL ||
		    strncmp(labels[i], "__", 2) == 0 ||
		    strcmp(labels[i], "stage") == 0 ||
		    (f->kind == HISTOGRAM && strcmp(labels[i], "le") == 0)) {
			free(b.p);
			denai_err_set(err, DENAI_EUSAGE, "metric %s: bad label "
			    "name '%s'", f->name, labels[i]);
			return NULL;
		}
		sb_str(&b, ",");
		sb_str(&b, labels[i]);
		sb_str(&b, "=\"");
		sb_escaped(&b, labels[i + 1], 1);
		sb_str(&b, "\"");
	}
	if (b.oom)
		goto oom;
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->s[i].labels, b.p) == 0) {
			free(b.p);
			return &f->s[i];
		}
	if (f->n == f->cap) {
		size_t c = f->cap ? f->cap * 2 : 4;
		struct series *q = realloc(f->s, c * sizeof(*q));

		if (q == NULL)
			goto oom;
		f->s = q;
		f->cap = c;
	}
	s = &f->s[f->n++];
	memset(s, 0, sizeof(*s));
	s->labels = b.p;
	return s;
oom:
	free(b.p);
	denai_err_set(err, DENAI_ENOMEM, "out of memory");
	return NULL;
}

static int
update(denai_metrics *m, int kind, const char *name, const char *help,
    const char *const *labels, double v, denai_err *err)
{
	struct family *f;
	struct series *s;
	int rc = -1;

	if (m == NULL)
		return 0;
	if (kind == COUNTER && !(v >= 0))
		return denai_err_set(err, DENAI_EUSAGE, "metric %s: a counter "
		    "only grows", name);
	pthread_mutex_lock(&m->mu);
	if ((f = family(m, name, help, kind, err)) == NULL ||
	    (s = series(m, f, labels, err)) == NULL)
		goto out;
	if (kind == COUNTER)
		s->v += v;
	else if (kind == GAUGE)
		s->v = v;
	else {
		s->v += v;
		s->count++;
		for (size_t i = 0; i < DENAI_METRICS_NBUCKETS; i++)
			if (v <= denai_metrics_buckets[i])
				s->bucket[i]++;
	}
	rc = 0;
out:
	pthread_mutex_unlock(&m->mu);
	return rc;
}

int
denai_metrics_add(denai_metrics *m, const char *name, const char *help,
    const char *const *labels, double v, denai_err *err)
{
	return update(m, COUNTER, name, help, labels, v, err);
}

int
denai_metrics_set(denai_metrics *m, const char *name, const char *help,
    const char *const *labels, double v, denai_err *err)
{
	return update(m, GAUGE, name, help, labels, v, err);
}

int
denai_metrics_observe(denai_metrics *m, const char *name, const char *help,
    const char *const *labels, double v, denai_err *err)
{
	return update(m, HISTOGRAM, name, help, labels, v, err);
}

void
denai_metrics_in(denai_metrics *m)
{
	(void)denai_metrics_add(m, DENAI_M_IN, "Records the stage read.",
	    NULL, 1, NULL);
}

void
denai_metrics_out(denai_metrics *m)
{
	(void)denai_metrics_add(m, DENAI_M_OUT, "Records the stage wrote.",
	    NULL, 1, NULL);
}

void
denai_metrics_error(denai_metrics *m, const char *reason)
{
	const char *const l[] = { "reason", reason ? reason : "unknown", NULL };

	(void)denai_metrics_add(m, DENAI_M_ERRORS, "Records the stage failed "
	    "on, by reason.", l, 1, NULL);
}

void
denai_metrics_time(denai_metrics *m, double seconds)
{
	(void)denai_metrics_observe(m, DENAI_M_SECONDS, "Time the stage spent "
	    "on one record.", NULL, seconds < 0 ? 0 : seconds, NULL);
}

double
denai_metrics_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
format_series(struct sb *b, const struct family *f, const struct series *s)
{
	if (f->kind != HISTOGRAM) {
		sb_fmt(b, "%s{%s} ", f->name, s->labels);
		sb_value(b, s->v);
		sb_str(b, "\n");
		return;
	}
	for (size_t i = 0; i <= DENAI_METRICS_NBUCKETS; i++) {
		sb_str(b, f->name);
		sb_str(b, "_bucket{");
		sb_str(b, s->labels);
		sb_str(b, ",le=\"");
		if (i < DENAI_METRICS_NBUCKETS)
			sb_value(b, denai_metrics_buckets[i]);
		else
			sb_str(b, "+Inf");
		sb_fmt(b, "\"} %llu\n", i < DENAI_METRICS_NBUCKETS ?
		    s->bucket[i] : s->count);
	}
	sb_fmt(b, "%s_sum{", f->name);
	sb_str(b, s->labels);
	sb_str(b, "} ");
	sb_value(b, s->v);
	sb_fmt(b, "\n%s_count{", f->name);
	sb_str(b, s->labels);
	sb_fmt(b, "} %llu\n", s->count);
}

int
denai_metrics_format(denai_metrics *m, char **text, size_t *len,
    denai_err *err)
{
	struct sb b = { 0 };

	*text = NULL;
	*len = 0;
	sb_need(&b, 0);
	if (m != NULL) {
		pthread_mutex_lock(&m->mu);
		for (size_t i = 0; i < m->n; i++) {
			const struct family *f = &m->f[i];

			if (f->n == 0)
				continue;
			sb_fmt(&b, "# HELP %s ", f->name);
			sb_escaped(&b, f->help, 0);
			sb_fmt(&b, "\n# TYPE %s %s\n", f->name,
			    kind_name[f->kind]);
			for (size_t j = 0; j < f->n; j++)
				format_series(&b, f, &f->s[j]);
		}
		pthread_mutex_unlock(&m->mu);
	}
	if (b.oom) {
		free(b.p);
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	}
	*text = b.p;
	*len = b.n;
	return 0;
}

int
denai_metrics_write(denai_metrics *m, const char *path, denai_err *err)
{
	char *text;
	size_t len;
	int rc;

	if (m == NULL)
		return 0;
	if (denai_metrics_format(m, &text, &len, err) != 0)
		return -1;
	rc = denai_write_atomic(path, (const uint8_t *)text, len, 0644, err);
	free(text);
	return rc;
}

static void *
writer(void *arg)
{
	denai_metrics *m = arg;
	struct timespec until;

	pthread_mutex_lock(&m->mu);
	while (!m->stop) {
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += m->interval_ms / 1000;
		until.tv_nsec += (long)(m->interval_ms % 1000) * 1000000;
		if (until.tv_nsec >= 1000000000) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000;
		}
		while (!m->stop && pthread_cond_timedwait(&m->cv, &m->mu,
		    &until) != ETIMEDOUT)
			;
		if (m->stop)
			break;
		pthread_mutex_unlock(&m->mu);
		if (denai_metrics_write(m, m->path, NULL) != 0) {
			/* tried again at the next tick */
		}
		pthread_mutex_lock(&m->mu);
	}
	pthread_mutex_unlock(&m->mu);
	return NULL;
}

int
denai_metrics_start(denai_metrics *m, const char *path, unsigned interval_ms,
    denai_err *err)
{
	if (m == NULL)
		return 0;
	if (m->started)
		return denai_err_set(err, DENAI_EUSAGE, "metrics writer "
		    "already started");
	if (denai_metrics_write(m, path, err) != 0)
		return -1;
	if ((m->path = strdup(path)) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	m->interval_ms = interval_ms < 100 ? 100 : interval_ms;
	if (pthread_create(&m->th, NULL, writer, m) != 0)
		return denai_err_set(err, DENAI_EIO, "cannot start the metrics "
		    "writer thread");
	m->started = 1;
	return 0;
}
