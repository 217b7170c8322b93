/*
 * denai-queue - pipeline records through Redis Streams, so one node's
 * pipeline can span machines: push on one, pull ... | stages | ack on
 * others. At least once: an entry is acknowledged only when its record
 * reached the end of a pipeline; a dead worker's entries are claimed by
 * another after --claim-idle.
 */
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "common/cli.h"
#include "common/metrics.h"
#include "fileio.h"
#include "linebuf.h"
#include "node/record.h"
#include "queue/queue.h"

#define REDIS_URL_DEFAULT "redis://127.0.0.1:6379/0"

static volatile sig_atomic_t stop;
static denai_redis *conn;	/* told to stop reconnecting on a signal */

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
	if (conn != NULL)
		denai_redis_stop(conn);
}

static void
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: denai-queue push STREAM [--group G] [--max-lag N] "
	    "[--no-trim]\n"
	    "       denai-queue pull STREAM --group G [--consumer NAME] "
	    "[--count N]\n"
	    "                   [--claim-idle MS] [--max-deliveries N] "
	    "[--max-pending N]\n"
	    "                   [--exit-idle MS] [--metrics FILE]\n"
	    "       denai-queue ack [--metrics FILE]\n"
	    "       denai-queue status STREAM...\n"
	    "       denai-queue trim STREAM...\n");
	exit(status);
}

static void
warn_cb(void *ctx, const char *msg)
{
	(void)ctx;
	cli_warn("%s", msg);
}

/* REDIS_URL (default redis://127.0.0.1:6379/0), the password from
 * REDIS_PASSWORD_FILE when set, connected; exits 69 when unreachable. */
static denai_redis *
connect_redis(denai_redis_url *u)
{
	const char *s = cli_setting(NULL, "REDIS_URL", REDIS_URL_DEFAULT);
	const char *pf = cli_setting(NULL, "REDIS_PASSWORD_FILE", NULL);
	denai_redis *r;
	denai_err err;
	uint8_t *pw;
	size_t n;

	if (denai_redis_url_parse(u, s, &err) != 0)
		cli_die(EX_USAGE, "%s", err.msg);
	if (pf != NULL) {
		if (denai_file_read(&pw, &n, pf, sizeof(u->pass), &err) != 0)
			cli_die(EX_NOINPUT, "REDIS_PASSWORD_FILE: %s", err.msg);
		while (n > 0 && (pw[n - 1] == '\n' || pw[n - 1] == '\r'))
			n--;
		if (n >= sizeof(u->pass))
			cli_die(EX_DATAERR, "REDIS_PASSWORD_FILE: too long");
		memcpy(u->pass, pw, n);
		u->pass[n] = '\0';
		explicit_bzero(pw, n);
		free(pw);
	}
	if ((r = denai_redis_open(u, warn_cb, NULL, &err)) == NULL)
		cli_die_err(&err);
	return r;
}

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Options of the verbs. */
struct opts {
	const char *group, *consumer, *metrics;
	unsigned long long max_lag, count, max_deliveries, max_pending;
	long claim_idle, exit_idle;
	int no_trim;
};

/* Waits while the backlog is over the bound; trims at most once a second. */
static void
push_wait(denai_redis *r, const char *stream, const struct opts *o,
    long *last_trim)
{
	unsigned long long lag, removed;
	char minid[DENAI_QUEUE_ID_MAX];
	long wait = 20;
	denai_err err;

	for (;;) {
		if (!o->no_trim && now_ms() - *last_trim >= 1000) {
			*last_trim = now_ms();
			if (denai_queue_trim(r, stream, minid, &removed,
			    &err) != 0)
				cli_warn("trim %s: %s", stream, err.msg);
		}
		if (denai_queue_lag(r, stream, o->group, &lag, &err) != 0)
			cli_die_err(&err);
		if (lag <= o->max_lag || stop)
			return;
		nap_ms(wait);
		wait = wait * 2 > 1000 ? 1000 : wait * 2;
	}
}

/* A batch of lines to push; owned[] are error records made here. */
struct push_batch {
	const char *lines[1024];
	size_t lens[1024], n;
	char *owned[1024];
	size_t nowned;
	size_t since;		/* pushed since the backlog was checked */
	long last_trim;
};

static void
push_flush(denai_redis *r, const char *stream, const struct opts *o,
    struct push_batch *b)
{
	denai_err err;

	if (b->n == 0)
		return;
	if (b->since + b->n > o->max_lag / 2 || now_ms() - b->last_trim >=
	    1000) {
		push_wait(r, stream, o, &b->last_trim);
		b->since = 0;
	}
	if (denai_queue_push(r, stream, b->lines, b->lens, b->n, &err) != 0)
		cli_die_err(&err);
	b->since += b->n;
	while (b->nowned > 0)
		free(b->owned[--b->nowned]);
	b->n = 0;
}

/*
 * Pushes each line of stdin as an entry; a line that is not a JSON object
 * travels as an error record. Batches are at most half the --max-lag
 * bound, and the backlog is checked before a batch would pass it.
 */
static int
cmd_push(denai_redis *r, const char *stream, const struct opts *o)
{
	static struct push_batch b;
	size_t most = o->max_lag / 2 > 0 ? o->max_lag / 2 : 1;
	denai_linebuf lb;
	denai_err err;
	const char *line;
	size_t len;
	long got;
	int k;

	if (most > 1024)
		most = 1024;
	denai_linebuf_init(&lb, 0, DENAI_RECORD_MAX_LINE);
	push_wait(r, stream, o, &b.last_trim);
	do {
		if ((got = denai_linebuf_fill(&lb, &err)) < 0)
			cli_die_err(&err);
		while ((k = denai_linebuf_next(&lb, &line, &len, &err)) != 0) {
			json_t *rec = NULL, *e;

			if (k > 0 && len > 0 && line[len - 1] == '\r')
				len--;
			if (k > 0 && len == 0)
				continue;
			if (k < 0 || denai_record_parse(&rec, line, len,
			    &err) != 0) {
				/* A bad line travels as an error record. */
				e = denai_record_error_new("push", NULL,
				    lb.lineno, err.msg);
				b.owned[b.nowned] = e ? json_dumps(e,
				    JSON_COMPACT) : NULL;
				json_decref(e);
				if (b.owned[b.nowned] == NULL)
					cli_die(EX_OSERR, "out of memory");
				line = b.owned[b.nowned++];
				len = strlen(line);
			}
			json_decref(rec);
			b.lines[b.n] = line;
			b.lens[b.n++] = len;
			if (b.n >= most)
				push_flush(r, stream, o, &b);
		}
		/* Lines point into lb's buffer: send before refilling. */
		push_flush(r, stream, o, &b);
	} while (got > 0 && !stop);
	denai_linebuf_free(&lb);
	return 0;
}

/* Writes the records of a batch and flushes; counts them out; tells the
 * renewer (may be NULL) which entries were handed out. */
static void
emit(json_t *batch, denai_metrics *m, denai_queue_renewer *w)
{
	const char *id;
	denai_err err;
	size_t i;
	json_t *rec;

	json_array_foreach(batch, i, rec) {
		id = json_string_value(json_object_get(json_object_get(rec,
		    "queue"), "id"));
		if (id != NULL && denai_queue_renewer_add(w, id, &err) != 0)
			cli_die_err(&err);
		if (json_dumpf(rec, stdout, JSON_COMPACT |
		    JSON_PRESERVE_ORDER) != 0 || putchar('\n') == EOF)
			cli_die(EX_IOERR, "cannot write stdout");
		denai_metrics_out(m);
		if (denai_record_is(rec, "error"))
			denai_metrics_error(m, "malformed entry");
	}
	if (fflush(stdout) != 0)
		cli_die(EX_IOERR, "cannot write stdout");
	json_array_clear(batch);
}

/* 0 once the pipe on stdout lost its reader (the next stage died):
 * then pull stops, and stops renewing what it handed out. */
static int
reader_alive(void)
{
	struct pollfd p = { 1, 0, 0 };

	return !(poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP)));
}

static void
pull_gauges(denai_redis *r, const char *stream, const char *group,
    denai_metrics *m)
{
	const char *const l[] = { "stream", stream, "group", group, NULL };
	json_t *st, *g;
	denai_err err;
	size_t i;

	if (m == NULL || (st = denai_queue_status(r, stream, &err)) == NULL)
		return;
	json_array_foreach(json_object_get(st, "groups"), i, g) {
		if (strcmp(json_string_value(json_object_get(g, "group")),
		    group) != 0)
			continue;
		(void)denai_metrics_set(m, "denai_queue_pending", "Entries "
		    "delivered and not yet acknowledged.", l, (double)
		    json_integer_value(json_object_get(g, "pending")), NULL);
		(void)denai_metrics_set(m, "denai_queue_lag", "Entries not yet "
		    "delivered to the group.", l, (double)json_integer_value(
		    json_object_get(g, "lag")), NULL);
	}
	(void)denai_metrics_set(m, "denai_queue_length", "Entries in the "
	    "stream.", l, (double)json_integer_value(json_object_get(st,
	    "length")), NULL);
	(void)denai_metrics_set(m, "denai_queue_dead_letter", "Entries in the "
	    "dead-letter stream.", l, (double)json_integer_value(
	    json_object_get(st, "dead_letter")), NULL);
	json_decref(st);
}

static int
cmd_pull(denai_redis *r, const denai_redis_url *u, const char *stream,
    const struct opts *o)
{
	static char host[128], consumer[300];
	static denai_queue_renewer *renewer;
	static denai_metrics *m;
	static json_t *batch;
	const char *const l[] = { "stream", stream, "group", o->group, NULL };
	long last_claim = 0, last_gauge = 0, last_got = now_ms(), block, got;
	unsigned long moved, pend;
	char from[DENAI_QUEUE_ID_MAX];
	unsigned want;
	denai_err err;

	if (o->consumer == NULL) {
		if (gethostname(host, sizeof(host)) != 0)
			strcpy(host, "host");
		host[sizeof(host) - 1] = '\0';
		snprintf(consumer, sizeof(consumer), "%s-%ld", host,
		    (long)getpid());
	} else
		snprintf(consumer, sizeof(consumer), "%s", o->consumer);
	m = cli_metrics_start(o->metrics, "queue-pull");
	batch = json_array();
	if (denai_queue_group_create(r, stream, o->group, &err) != 0)
		cli_die_err(&err);
	if (o->claim_idle > 0 && (renewer = denai_queue_renewer_start(u,
	    stream, o->group, consumer, o->claim_idle / 3, warn_cb, NULL,
	    &err)) == NULL)
		cli_die_err(&err);
	/* What this consumer was handed before a restart comes first. */
	strcpy(from, "0");
	do {
		json_t *last;

		if ((got = denai_queue_read(r, stream, o->group, consumer, from,
		    (unsigned)o->count, -1, batch, &err)) < 0)
			cli_die_err(&err);
		last = json_object_get(json_array_get(batch, (size_t)got - 1),
		    "queue");
		if (got > 0 && json_string_value(json_object_get(last, "id")))
			snprintf(from, sizeof(from), "%s", json_string_value(
			    json_object_get(last, "id")));
		else
			got = 0;
		emit(batch, m, renewer);
	} while (got >= (long)o->count && !stop);
	block = o->claim_idle > 0 && o->claim_idle / 2 < 1000 ?
	    o->claim_idle / 2 : 1000;
	if (o->exit_idle > 0 && o->exit_idle < block)
		block = o->exit_idle;
	if (block < 1)
		block = 1;
	while (!stop && reader_alive()) {
		want = (unsigned)o->count;
		if (o->max_pending > 0) {
			if (denai_queue_pending(r, stream, o->group, consumer,
			    (unsigned)o->max_pending, &pend, &err) != 0)
				cli_die_err(&err);
			if (pend >= o->max_pending) {
				nap_ms(20);
				last_got = now_ms();
				continue;
			}
			if (o->max_pending - pend < want)
				want = (unsigned)(o->max_pending - pend);
		}
		if (m != NULL && now_ms() - last_gauge >= 2000) {
			last_gauge = now_ms();
			pull_gauges(r, stream, o->group, m);
		}
		if (o->claim_idle > 0 && now_ms() - last_claim >=
		    (o->claim_idle / 2 > 100 ? o->claim_idle / 2 : 100)) {
			last_claim = now_ms();
			if (denai_queue_dead_letter(r, stream, o->group,
			    consumer, o->claim_idle, (unsigned)o->max_deliveries,
			    &moved, &err) != 0)
				cli_die_err(&err);
			if (moved > 0) {
				cli_warn("%lu entr%s of %s moved to %s%s", moved,
				    moved == 1 ? "y" : "ies", stream, stream,
				    DENAI_QUEUE_DEAD_SUFFIX);
				(void)denai_metrics_add(m,
				    "denai_queue_dead_lettered_total", "Entries "
				    "moved to the dead-letter stream.", l,
				    (double)moved, NULL);
			}
			if ((got = denai_queue_claim(r, stream, o->group,
			    consumer, o->claim_idle, want, batch, &err)) < 0)
				cli_die_err(&err);
			if (got > 0) {
				(void)denai_metrics_add(m,
				    "denai_queue_claimed_total", "Entries claimed "
				    "from a consumer idle too long.", l,
				    (double)got, NULL);
				for (long i = 0; i < got; i++)
					denai_metrics_in(m);
				emit(batch, m, renewer);
				last_got = now_ms();
				continue;
			}
		}
		if ((got = denai_queue_read(r, stream, o->group, consumer, ">",
		    want, block, batch, &err)) < 0)
			cli_die_err(&err);
		for (long i = 0; i < got; i++)
			denai_metrics_in(m);
		emit(batch, m, renewer);
		if (got > 0)
			last_got = now_ms();
		else if (o->exit_idle > 0 && now_ms() - last_got >= o->exit_idle)
			break;
	}
	denai_queue_renewer_stop(renewer);
	renewer = NULL;
	json_decref(batch);
	denai_metrics_free(m);
	m = NULL;
	return 0;
}

/* Ids waiting to be acknowledged, by stream and group. */
struct pending_acks {
	struct {
		denai_queue_ref key;
		char **ids;
		size_t n, cap;
	} g[16];
	size_t n;
};

static void
acks_flush(denai_redis *r, struct pending_acks *a, denai_metrics *m)
{
	unsigned long done;
	denai_err err;

	for (size_t i = 0; i < a->n; i++) {
		if (a->g[i].n > 0 && denai_queue_ack(r, a->g[i].key.stream,
		    a->g[i].key.group, (const char *const *)a->g[i].ids,
		    a->g[i].n, &done, &err) != 0) {
			/* NOGROUP and the like: the entries stay pending. */
			cli_warn("XACK %s %s: %s", a->g[i].key.stream,
			    a->g[i].key.group, err.msg);
			denai_metrics_error(m, "ack failed");
		} else if (a->g[i].n > 0) {
			(void)denai_metrics_add(m, "denai_queue_acked_total",
			    "Entries acknowledged.", NULL, (double)done, NULL);
		}
		for (size_t k = 0; k < a->g[i].n; k++)
			free(a->g[i].ids[k]);
		a->g[i].n = 0;
	}
}

static void
acks_add(denai_redis *r, struct pending_acks *a, const denai_queue_ref *ref,
    denai_metrics *m)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		if (strcmp(a->g[i].key.stream, ref->stream) == 0 &&
		    strcmp(a->g[i].key.group, ref->group) == 0)
			break;
	if (i == a->n) {
		if (a->n == sizeof(a->g) / sizeof(a->g[0])) {
			acks_flush(r, a, m);
			for (size_t k = 0; k < a->n; k++)
				free(a->g[k].ids);
			a->n = 0;
			i = 0;
		}
		memset(&a->g[i], 0, sizeof(a->g[i]));
		a->g[i].key = *ref;
		a->n++;
	}
	if (a->g[i].n == a->g[i].cap) {
		size_t c = a->g[i].cap ? a->g[i].cap * 2 : 64;
		char **q = realloc(a->g[i].ids, c * sizeof(*q));

		if (q == NULL)
			cli_die(EX_OSERR, "out of memory");
		a->g[i].ids = q;
		a->g[i].cap = c;
	}
	if ((a->g[i].ids[a->g[i].n++] = strdup(ref->id)) == NULL)
		cli_die(EX_OSERR, "out of memory");
}

static void
write_record(const json_t *rec)
{
	if (json_dumpf(rec, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER) != 0 ||
	    putchar('\n') == EOF)
		cli_die(EX_IOERR, "cannot write stdout");
}

/*
 * Passes every record on (as it came) and acknowledges those with a queue
 * field: after each read, the records are written and flushed first, then
 * acknowledged in one XACK per stream and group.
 */
static int
cmd_ack(denai_redis *r, const struct opts *o)
{
	static struct pending_acks acks;
	static denai_metrics *m;
	denai_queue_ref ref;
	denai_linebuf lb;
	denai_err err;
	const char *line;
	size_t len;
	long got;
	int k;

	m = cli_metrics_start(o->metrics, "queue-ack");
	denai_linebuf_init(&lb, 0, DENAI_RECORD_MAX_LINE);
	do {
		if ((got = denai_linebuf_fill(&lb, &err)) < 0)
			cli_die_err(&err);
		while ((k = denai_linebuf_next(&lb, &line, &len, &err)) != 0) {
			json_t *rec = NULL, *e;

			if (k > 0 && len > 0 && line[len - 1] == '\r')
				len--;
			if (k > 0 && len == 0)
				continue;
			denai_metrics_in(m);
			if (k < 0 || denai_record_parse(&rec, line, len,
			    &err) != 0) {
				if (k > 0)
					denai_err_prefix(&err, "line %lu",
					    lb.lineno);
				e = denai_record_error_new("ack", NULL, 0,
				    err.msg);
				write_record(e);
				json_decref(e);
				denai_metrics_error(m, "bad data");
				continue;
			}
			if (fwrite(line, 1, len, stdout) != len ||
			    putchar('\n') == EOF)
				cli_die(EX_IOERR, "cannot write stdout");
			denai_metrics_out(m);
			switch (denai_queue_ref_get(&ref, rec, &err)) {
			case 1:
				acks_add(r, &acks, &ref, m);
				break;
			case -1:
				e = denai_record_error_new("ack", rec, 0,
				    err.msg);
				write_record(e);
				json_decref(e);
				denai_metrics_error(m, "bad data");
				break;
			}
			json_decref(rec);
		}
		if (fflush(stdout) != 0)
			cli_die(EX_IOERR, "cannot write stdout");
		acks_flush(r, &acks, m);
	} while (got > 0 && !stop);
	for (size_t i = 0; i < acks.n; i++)
		free(acks.g[i].ids);
	denai_linebuf_free(&lb);
	denai_metrics_free(m);
	m = NULL;
	return 0;
}

static int
cmd_status(denai_redis *r, char **streams, int n)
{
	denai_err err;
	json_t *st;

	for (int i = 0; i < n; i++) {
		if ((st = denai_queue_status(r, streams[i], &err)) == NULL)
			cli_die(denai_err_exit_status(err.code), "%s: %s",
			    streams[i], err.msg);
		write_record(st);
		json_decref(st);
	}
	return fflush(stdout) == 0 ? 0 : EX_IOERR;
}

static int
cmd_trim(denai_redis *r, char **streams, int n)
{
	char minid[DENAI_QUEUE_ID_MAX];
	unsigned long long removed;
	denai_err err;
	json_t *o;

	for (int i = 0; i < n; i++) {
		if (denai_queue_trim(r, streams[i], minid, &removed, &err) != 0)
			cli_die(denai_err_exit_status(err.code), "%s: %s",
			    streams[i], err.msg);
		o = json_pack("{s:s,s:s?,s:I}", "stream", streams[i], "minid",
		    minid[0] ? minid : NULL, "removed", (json_int_t)removed);
		write_record(o);
		json_decref(o);
	}
	return fflush(stdout) == 0 ? 0 : EX_IOERR;
}

/* A stream, group or consumer name: 1 to 256 bytes of UTF-8. */
static int
name_ok(const char *s)
{
	json_t *j = json_string(s);

	json_decref(j);
	return j != NULL && s[0] != '\0' && strlen(s) <= DENAI_QUEUE_NAME_MAX;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "group", required_argument, NULL, 'g' },
		{ "consumer", required_argument, NULL, 'c' },
		{ "count", required_argument, NULL, 'n' },
		{ "claim-idle", required_argument, NULL, 'i' },
		{ "max-deliveries", required_argument, NULL, 'd' },
		{ "max-pending", required_argument, NULL, 'p' },
		{ "max-lag", required_argument, NULL, 'l' },
		{ "exit-idle", required_argument, NULL, 'x' },
		{ "metrics", required_argument, NULL, 'm' },
		{ "no-trim", no_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static denai_redis *r;
	struct opts o = { 0 };
	struct sigaction sa;
	denai_redis_url u;
	const char *verb;
	int ch, rc = 0, nargs;

	cli_init("denai-queue");
	o.count = 100;
	o.claim_idle = 60000;
	o.max_deliveries = 5;
	o.max_lag = 100000;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'g': o.group = optarg; break;
		case 'c': o.consumer = optarg; break;
		case 'n': o.count = cli_parse_count("--count", optarg); break;
		case 'i':
			o.claim_idle = (long)cli_parse_count("--claim-idle",
			    optarg);
			break;
		case 'd':
			o.max_deliveries = cli_parse_count("--max-deliveries",
			    optarg);
			break;
		case 'p':
			o.max_pending = cli_parse_count("--max-pending",
			    optarg);
			break;
		case 'l': o.max_lag = cli_parse_count("--max-lag", optarg);
			break;
		case 'x':
			o.exit_idle = (long)cli_parse_count("--exit-idle",
			    optarg);
			break;
		case 'm': o.metrics = optarg; break;
		case 'T': o.no_trim = 1; break;
		case 'h': usage(0); break;
		default: usage(EX_USAGE);
		}
	}
	/* GNU getopt moved the verb and its operands to the end. */
	if (optind >= argc)
		usage(EX_USAGE);
	verb = argv[optind++];
	nargs = argc - optind;
	for (int i = optind; i < argc; i++)
		if (!name_ok(argv[i]))
			cli_die(EX_USAGE, "a stream name is 1 to %d bytes of UTF-8",
			    DENAI_QUEUE_NAME_MAX);
	if (strcmp(verb, "push") == 0 || strcmp(verb, "pull") == 0) {
		if (nargs != 1)
			usage(EX_USAGE);
	} else if (strcmp(verb, "ack") == 0) {
		if (nargs != 0)
			usage(EX_USAGE);
	} else if (strcmp(verb, "status") == 0 || strcmp(verb, "trim") == 0) {
		if (nargs < 1)
			usage(EX_USAGE);
	} else {
		cli_warn("unknown verb '%s'", verb);
		usage(EX_USAGE);
	}
	if (strcmp(verb, "pull") == 0 && o.group == NULL)
		cli_die(EX_USAGE, "pull needs --group");
	if (o.group != NULL && !name_ok(o.group))
		cli_die(EX_USAGE, "a group name is 1 to %d bytes of UTF-8",
		    DENAI_QUEUE_NAME_MAX);
	if (o.consumer != NULL && !name_ok(o.consumer))
		cli_die(EX_USAGE, "a consumer name is 1 to %d bytes of UTF-8",
		    DENAI_QUEUE_NAME_MAX);
	if (o.count == 0 || o.count > 100000)
		cli_die(EX_USAGE, "--count: 1 to 100000");
	r = connect_redis(&u);
	if (strcmp(verb, "pull") == 0) {
		/* pull stops between reads (its metrics written a last
		 * time); the other verbs just die: nothing is lost, an entry
		 * not acknowledged stays pending. */
		conn = r;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_signal;
		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGINT, &sa, NULL);
	}
	if (strcmp(verb, "push") == 0)
		rc = cmd_push(r, argv[optind], &o);
	else if (strcmp(verb, "pull") == 0)
		rc = cmd_pull(r, &u, argv[optind], &o);
	else if (strcmp(verb, "ack") == 0)
		rc = cmd_ack(r, &o);
	else if (strcmp(verb, "status") == 0)
		rc = cmd_status(r, argv + optind, nargs);
	else
		rc = cmd_trim(r, argv + optind, nargs);
	conn = NULL;
	denai_redis_close(r);
	denai_redis_url_wipe(&u);
	return rc;
}
