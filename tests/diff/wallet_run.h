/*
 * wallet_run.h - running cast from the C differential tests (header only):
 * many short invocations, a few at a time, each one's stdout captured.
 *
 *   $CAST             the cast binary (default: tools/node_modules/...)
 *   $DENAI_DIFF_N     cases per function (default 1000)
 *   $DENAI_DIFF_JOBS  cast processes at a time (default 2)
 */
#ifndef DENAI_WALLET_RUN_H
#define DENAI_WALLET_RUN_H

#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define CAST_ARGS 24
#define CAST_OUT 4096

struct cast_job {
	char *argv[CAST_ARGS];		/* argv[0] is filled in by cast_run */
	char out[CAST_OUT];		/* stdout, trailing whitespace dropped */
	int status;			/* exit status, -1 if it did not run */
	pid_t pid;
	int fd;
};

__attribute__((unused)) static const char *
cast_path(void)
{
	const char *c = getenv("CAST");

	if (c == NULL || *c == '\0')
		c = "tools/node_modules/@foundry-rs/cast-linux-amd64/bin/cast";
	return access(c, X_OK) == 0 ? c : NULL;
}

__attribute__((unused)) static int
diff_cases(void)
{
	const char *n = getenv("DENAI_DIFF_N");

	return n != NULL && atoi(n) > 0 ? atoi(n) : 1000;
}

static int
cast_start(struct cast_job *j, const char *cast)
{
	posix_spawn_file_actions_t fa;
	int p[2], rc;

	j->argv[0] = (char *)cast;
	j->status = -1;
	j->out[0] = '\0';
	if (pipe(p) != 0)
		return -1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, p[1], 1);
	posix_spawn_file_actions_addclose(&fa, p[0]);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", 0, 0);
	rc = posix_spawn(&j->pid, cast, &fa, NULL, j->argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	if (rc != 0) {
		close(p[0]);
		j->pid = -1;
		return -1;
	}
	j->fd = p[0];
	return 0;
}

static void
cast_finish(struct cast_job *j)
{
	size_t n = 0;
	ssize_t got;
	int st;

	if (j->pid < 0)
		return;
	while ((got = read(j->fd, j->out + n, sizeof(j->out) - 1 - n)) > 0)
		n += (size_t)got;
	close(j->fd);
	while (n > 0 && (j->out[n - 1] == '\n' || j->out[n - 1] == ' '))
		n--;
	j->out[n] = '\0';
	if (waitpid(j->pid, &st, 0) == j->pid && WIFEXITED(st))
		j->status = WEXITSTATUS(st);
}

/* Runs the n jobs, DENAI_DIFF_JOBS at a time. */
__attribute__((unused)) static void
cast_run(struct cast_job *jobs, size_t n, const char *cast)
{
	const char *e = getenv("DENAI_DIFF_JOBS");
	size_t par = e != NULL && atoi(e) > 0 ? (size_t)atoi(e) : 2;

	for (size_t i = 0; i < n; i += par) {
		size_t k = n - i < par ? n - i : par;

		for (size_t j = 0; j < k; j++)
			if (cast_start(&jobs[i + j], cast) != 0)
				jobs[i + j].pid = -1;
		for (size_t j = 0; j < k; j++)
			cast_finish(&jobs[i + j]);
	}
}

__attribute__((unused)) static void
rnd(void *p, size_t n)
{
	if (getrandom(p, n, 0) != (ssize_t)n)
		abort();
}

/* A uniformly random value below m (m > 0). */
__attribute__((unused)) static uint64_t
rnd_below(uint64_t m)
{
	uint64_t v;

	rnd(&v, sizeof(v));
	return v % m;
}

#endif
