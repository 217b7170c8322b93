/*
 * node/command.c - a prediction from a local program (see command.h).
 *
 * One deadline covers the exchange: the input goes out through a
 * nonblocking pipe while the answer comes in, both under one poll(), so a
 * program that neither reads nor answers is killed when the time is up
 * however large its input.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "node/command.h"
#include "onnx/predict.h"

/* The answer kept: its first ANSWER_MAX - 1 bytes. */
#define ANSWER_MAX 256

struct child {
	pid_t pid;
	int in;		/* its stdin, our nonblocking write end; -1: closed */
	int out;	/* its stdout, our nonblocking read end; -1: closed */
};

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Starts /bin/sh -c cmd with pipes on its stdin and stdout. Every pipe end
 * is close-on-exec; the child's own two lose the flag through dup2.
 * Returns: 0, or -1 with err (DENAI_EIO), no descriptor left open. */
static int
spawn(struct child *c, const char *cmd, denai_err *err)
{
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, e;

	c->pid = -1;
	c->in = c->out = -1;
	if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0) {
		e = errno;
		close_fd(&in[0]);
		close_fd(&in[1]);
		return denai_err_set(err, DENAI_EIO, "pipe: %s", strerror(e));
	}
	if ((c->pid = fork()) < 0) {
		e = errno;
		close_fd(&in[0]);
		close_fd(&in[1]);
		close_fd(&out[0]);
		close_fd(&out[1]);
		return denai_err_set(err, DENAI_EIO, "fork: %s", strerror(e));
	}
	if (c->pid == 0) {
		if (dup2(in[0], 0) < 0 || dup2(out[1], 1) < 0)
			_exit(127);
		/* dup2 onto itself keeps close-on-exec: clear it here. */
		(void)fcntl(0, F_SETFD, 0);
		(void)fcntl(1, F_SETFD, 0);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	c->in = in[1];
	c->out = out[0];
	(void)fcntl(c->in, F_SETFL, fcntl(c->in, F_GETFL) | O_NONBLOCK);
	(void)fcntl(c->out, F_SETFL, fcntl(c->out, F_GETFL) | O_NONBLOCK);
	return 0;
}

/* Writes text[0..len) to the child while reading its stdout to EOF
 * (keeping the first ANSWER_MAX - 1 bytes in buf, *n of them).
 * *epipe is set when the child closed its stdin first (the rest of the
 * input is dropped, as the old blocking write did).
 * Returns: 0 at EOF; 1 when the deadline passed first; -1 on a read
 * error. */
static int
exchange(struct child *c, const char *text, size_t len, long long deadline,
    char buf[ANSWER_MAX], size_t *n, int *epipe)
{
	size_t off = 0;

	for (;;) {
		struct pollfd pfd[2] = {
			{ c->in, POLLOUT, 0 }, { c->out, POLLIN, 0 },
		};
		char sink[4096];
		ssize_t got;
		long long left = deadline - now_ms();
		int r;

		if (left <= 0)
			return 1;
		r = poll(pfd, 2, left > 60000 ? 60000 : (int)left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			continue;	/* the deadline is checked above */
		if (c->in >= 0 && pfd[0].revents != 0) {
			got = write(c->in, text + off, len - off);
			if (got > 0)
				off += (size_t)got;
			else if (got < 0 && errno != EAGAIN && errno != EINTR) {
				*epipe = errno == EPIPE;
				off = len;
			}
			if (off == len)
				close_fd(&c->in);
		}
		if (pfd[1].revents == 0)
			continue;
		if (*n < ANSWER_MAX - 1)
			got = read(c->out, buf + *n, ANSWER_MAX - 1 - *n);
		else
			got = read(c->out, sink, sizeof(sink));
		if (got < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (got < 0)
			return -1;
		if (got == 0)
			return 0;
		if (*n < ANSWER_MAX - 1)
			*n += (size_t)got;
	}
}

/* Waits for the child until the deadline. Returns: 0 with *status, or 1
 * when the deadline passed first. */
static int
reap(pid_t pid, long long deadline, int *status)
{
	for (;;) {
		struct timespec pause = { 0, 5 * 1000000 };
		pid_t r = waitpid(pid, status, WNOHANG);

		if (r == pid)
			return 0;
		if (r < 0 && errno != EINTR)
			return 1;	/* not ours to wait for: give up */
		if (now_ms() >= deadline)
			return 1;
		nanosleep(&pause, NULL);
	}
}

static void
kill_child(pid_t pid)
{
	int status;

	kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
}

/* Reads the program's answer: an unsigned decimal integer as is, else a
 * decimal number scaled. */
static int
answer(char out[DENAI_U256_DEC_MAX], const char *buf, size_t n,
    unsigned decimals, denai_err *err)
{
	denai_u256 r;
	double v;
	char *end;

	errno = 0;
	v = strtod(buf, &end);
	if (n == 0 || end == buf || *end != '\0')
		return denai_err_set(err, DENAI_EDATA,
		    "command printed no number: %.60s", buf);
	if (strspn(buf, "0123456789") == n) {
		if (denai_u256_parse_dec(&r, buf, n, err) != 0)
			return denai_err_prefix(err, "command output");
	} else if (denai_predict_scale(&r, v, decimals, err) != 0)
		return denai_err_prefix(err, "command output");
	denai_u256_to_dec(out, &r);
	return 0;
}

int
denai_command_predict(char out[DENAI_U256_DEC_MAX], char **raw,
    const char *cmd, const json_t *data, unsigned decimals,
    unsigned timeout, denai_err *err)
{
	long long deadline = now_ms() + (long long)timeout * 1000;
	struct child c;
	sigset_t pipe_set, old_mask, pending;
	char *json, *text = NULL, buf[ANSWER_MAX];
	size_t n = 0, len;
	int status, r, e, epipe = 0, was_pending;

	*raw = NULL;
	if ((json = json_dumps(data, JSON_COMPACT)) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	len = strlen(json);
	if ((text = malloc(len + 1)) == NULL) {
		free(json);
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	}
	memcpy(text, json, len);
	text[len++] = '\n';
	free(json);
	if (spawn(&c, cmd, err) != 0) {
		free(text);
		return -1;
	}
	/* SIGPIPE blocked in this thread only, after the fork (the child
	 * must not inherit the mask through exec). */
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_set, &old_mask);
	sigpending(&pending);
	was_pending = sigismember(&pending, SIGPIPE);
	r = exchange(&c, text, len, deadline, buf, &n, &epipe);
	e = errno;
	close_fd(&c.in);
	close_fd(&c.out);
	free(text);
	if (epipe && !was_pending) {
		struct timespec zero = { 0, 0 };

		while (sigtimedwait(&pipe_set, NULL, &zero) < 0 &&
		    errno == EINTR)
			;
	}
	pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
	if (r == 0)
		r = reap(c.pid, deadline, &status);
	if (r != 0) {
		kill_child(c.pid);
		if (r < 0)
			return denai_err_set(err, DENAI_EIO,
			    "reading the command's output: %s", strerror(e));
		return denai_err_set(err, DENAI_EPEER,
		    "command timed out after %u s", timeout);
	}
	buf[n] = '\0';
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return denai_err_set(err, DENAI_EPEER,
		    "command exited with status %d",
		    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r' ||
	    buf[n - 1] == ' '))
		buf[--n] = '\0';
	if ((*raw = strdup(buf)) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	return answer(out, buf, n, decimals, err);
}
