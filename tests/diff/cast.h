/*
 * cast.h - helpers for the differential tests against Foundry's cast
 * (tests/unit/test_*_cast.c; header only, include after ../tap.h).
 *
 *   cast_init(default_seed)    finds cast (skip_all when missing), prints
 *                              and seeds the generator ($DENAI_SEED wins)
 *   cast_add(b, argv...)       queues one cast command (NULL-terminated)
 *   cast_run(b)                runs the queue in 2 parallel streams
 *   b->out[i], b->rc[i]        each command's trimmed stdout and status
 *
 * cast is found at $DENAI_CAST, else under tools/node_modules from the
 * current directory (prove runs from the repo root).
 */
#ifndef DENAI_TEST_CAST_H
#define DENAI_TEST_CAST_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *cast_bin;
static uint64_t cast_rng;

__attribute__((unused)) static uint64_t
rnd(void)
{
	/* splitmix64 */
	uint64_t z = (cast_rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A number in [0, n). */
__attribute__((unused)) static size_t
rndn(size_t n)
{
	return n ? (size_t)(rnd() % n) : 0;
}

__attribute__((unused)) static void
cast_init(uint64_t seed)
{
	const char *e = getenv("DENAI_CAST"), *s = getenv("DENAI_SEED");
	static const char def[] =
	    "tools/node_modules/@foundry-rs/cast-linux-amd64/bin/cast";

	cast_bin = e != NULL && *e != '\0' ? e : def;
	if (access(cast_bin, X_OK) != 0 ||
	    (cast_bin = realpath(cast_bin, NULL)) == NULL)
		skip_all("cast not installed (make deps)");
	if (s != NULL && *s != '\0')
		seed = strtoull(s, NULL, 0);
	cast_rng = seed;
	printf("# seed %llu (rerun with DENAI_SEED=%llu)\n",
	    (unsigned long long)seed, (unsigned long long)seed);
}

struct cast_batch {
	size_t n, cap;
	char **cmd;		/* shell-quoted command lines */
	char **out;		/* after cast_run: stdout, trailing space cut */
	char **errout;		/* stderr */
	int *rc;
};

/* Appends s single-quoted for sh to *p (a malloc'd string). */
static void
cast_quote(char **p, size_t *len, const char *s)
{
	size_t add = 3 + strlen(s) * 4;
	char *q = realloc(*p, *len + add + 1);

	if (q == NULL)
		abort();
	*p = q;
	q += *len;
	*q++ = ' ';
	*q++ = '\'';
	for (; *s != '\0'; s++) {
		if (*s == '\'') {
			memcpy(q, "'\\''", 4);
			q += 4;
		} else
			*q++ = *s;
	}
	*q++ = '\'';
	*q = '\0';
	*len = (size_t)(q - *p);
}

/* Queues cast with the given arguments (NULL-terminated). Returns: the
 * command's index. */
__attribute__((unused, sentinel)) static size_t
cast_add(struct cast_batch *b, ...)
{
	va_list ap;
	const char *a;
	char *line = NULL;
	size_t len = 0;

	if (b->n == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 256;
		if ((b->cmd = realloc(b->cmd, b->cap * sizeof(char *))) == NULL)
			abort();
	}
	cast_quote(&line, &len, cast_bin);
	va_start(ap, b);
	while ((a = va_arg(ap, const char *)) != NULL)
		cast_quote(&line, &len, a);
	va_end(ap);
	b->cmd[b->n] = line;
	return b->n++;
}

static char *
cast_slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *p = NULL;
	size_t n = 0, cap = 0, r;

	if (f == NULL)
		return strdup("");
	for (;;) {
		if (cap - n < 4096 && (p = realloc(p, cap = cap * 2 + 8192)) ==
		    NULL)
			abort();
		if ((r = fread(p + n, 1, cap - n - 1, f)) == 0)
			break;
		n += r;
	}
	fclose(f);
	if (p == NULL)
		return strdup("");
	while (n > 0 && (p[n - 1] == '\n' || p[n - 1] == ' ' ||
	    p[n - 1] == '\r'))
		n--;
	p[n] = '\0';
	return p;
}

/* Runs every queued command, two streams at a time. Returns: 0, or -1 if
 * the scratch files could not be made. */
__attribute__((unused)) static int
cast_run(struct cast_batch *b)
{
	char dir[] = "/tmp/denai-cast.XXXXXX", path[256];
	FILE *f;

	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/run.sh", dir);
	if ((f = fopen(path, "w")) == NULL)
		return -1;
	fprintf(f, "cd '%s' || exit 1\n", dir);
	for (int s = 0; s < 2; s++) {
		fprintf(f, "(\n");
		for (size_t i = (size_t)s; i < b->n; i += 2)
			fprintf(f, "%s >o%zu 2>e%zu </dev/null; echo $? >r%zu\n",
			    b->cmd[i], i, i, i);
		fprintf(f, ") &\n");
	}
	fprintf(f, "wait\n");
	fclose(f);
	snprintf(path, sizeof(path), "sh '%s/run.sh'", dir);
	if (system(path) != 0)
		return -1;
	b->out = calloc(b->n + 1, sizeof(char *));
	b->errout = calloc(b->n + 1, sizeof(char *));
	b->rc = calloc(b->n + 1, sizeof(int));
	if (b->out == NULL || b->errout == NULL || b->rc == NULL)
		abort();
	for (size_t i = 0; i < b->n; i++) {
		char *r;

		snprintf(path, sizeof(path), "%s/o%zu", dir, i);
		b->out[i] = cast_slurp(path);
		unlink(path);
		snprintf(path, sizeof(path), "%s/e%zu", dir, i);
		b->errout[i] = cast_slurp(path);
		unlink(path);
		snprintf(path, sizeof(path), "%s/r%zu", dir, i);
		r = cast_slurp(path);
		b->rc[i] = *r ? atoi(r) : -1;
		free(r);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/run.sh", dir);
	unlink(path);
	rmdir(dir);
	return 0;
}

__attribute__((unused)) static void
cast_free(struct cast_batch *b)
{
	for (size_t i = 0; i < b->n; i++) {
		free(b->cmd[i]);
		if (b->out != NULL) {
			free(b->out[i]);
			free(b->errout[i]);
		}
	}
	free(b->cmd);
	free(b->out);
	free(b->errout);
	free(b->rc);
	memset(b, 0, sizeof(*b));
}

/* Returns: a copy of the JSON text js with every bare number quoted, so
 * that numbers past 64 bits load (cast --json prints u64-sized numbers
 * bare and larger ones as strings). */
__attribute__((unused)) static char *
cast_quote_numbers(const char *js)
{
	char *out = malloc(3 * strlen(js) + 1), *o = out;
	int in_str = 0;

	if (out == NULL)
		abort();
	for (const char *p = js; *p != '\0'; p++) {
		if (in_str) {
			if (*p == '\\' && p[1] != '\0')
				*o++ = *p++;
			else if (*p == '"')
				in_str = 0;
			*o++ = *p;
		} else if (*p == '"') {
			in_str = 1;
			*o++ = *p;
		} else if (*p == '-' || (*p >= '0' && *p <= '9')) {
			*o++ = '"';
			while (*p == '-' || (*p >= '0' && *p <= '9'))
				*o++ = *p++;
			*o++ = '"';
			p--;
		} else
			*o++ = *p;
	}
	*o = '\0';
	return out;
}

/* Random bytes as "0x" hex in a new string. */
__attribute__((unused)) static char *
rnd_hex(size_t n, uint8_t *keep)
{
	static const char d[] = "0123456789abcdef";
	char *s = malloc(2 * n + 3);

	if (s == NULL)
		abort();
	s[0] = '0';
	s[1] = 'x';
	for (size_t i = 0; i < n; i++) {
		uint8_t v = (uint8_t)rnd();

		if (keep != NULL)
			keep[i] = v;
		s[2 + 2 * i] = d[v >> 4];
		s[3 + 2 * i] = d[v & 15];
	}
	s[2 + 2 * n] = '\0';
	return s;
}

#endif
