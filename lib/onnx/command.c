/*
 * onnx/command.c - a prediction from a local program (see command.h).
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "onnx/command.h"
#include "onnx/predict.h"

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
denai_predict_command(const char *cmd, const json_t *data, unsigned decimals,
    unsigned timeout, char out[DENAI_U256_DEC_MAX], char **raw,
    denai_err *err)
{
	long long deadline = now_ms() + (long long)timeout * 1000;
	int in[2], outp[2], status;
	char *text = json_dumps(data, JSON_COMPACT), buf[256];
	size_t n = 0, k;
	pid_t pid;
	double v;
	char *end;
	denai_u256 r;

	*raw = NULL;
	if (text == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
	if (pipe(in) != 0) {
		free(text);
		return denai_err_set(err, DENAI_EIO, "pipe: %s",
		    strerror(errno));
	}
	if (pipe(outp) != 0) {
		close(in[0]);
		close(in[1]);
		free(text);
		return denai_err_set(err, DENAI_EIO, "pipe: %s",
		    strerror(errno));
	}
	if ((pid = fork()) < 0) {
		free(text);
		return denai_err_set(err, DENAI_EIO, "fork: %s",
		    strerror(errno));
	}
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(outp[1], 1);
		close(in[0]);
		close(in[1]);
		close(outp[0]);
		close(outp[1]);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(outp[1]);
	signal(SIGPIPE, SIG_IGN);
	k = strlen(text);
	(void)!write(in[1], text, k);
	(void)!write(in[1], "\n", 1);
	close(in[1]);
	free(text);
	/* Read its answer until EOF, keeping the first 255 bytes, within
	 * the time allowed. */
	for (int timed_out = 0;;) {
		struct pollfd pfd = { outp[0], POLLIN, 0 };
		char sink[4096];
		ssize_t got;
		int left = (int)(deadline - now_ms());

		if (left <= 0 || poll(&pfd, 1, left) == 0)
			timed_out = 1;
		if (timed_out) {
			kill(pid, SIGKILL);
			close(outp[0]);
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			return denai_err_set(err, DENAI_EPEER,
			    "command timed out after %u s", timeout);
		}
		if (n < sizeof(buf) - 1)
			got = read(outp[0], buf + n, sizeof(buf) - 1 - n);
		else
			got = read(outp[0], sink, sizeof(sink));
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		if (n < sizeof(buf) - 1)
			n += (size_t)got;
	}
	close(outp[0]);
	buf[n] = '\0';
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return denai_err_set(err, DENAI_EPEER,
		    "command exited with status %d",
		    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r' ||
	    buf[n - 1] == ' '))
		buf[--n] = '\0';
	if ((*raw = strdup(buf)) == NULL)
		return denai_err_set(err, DENAI_ENOMEM, "out of memory");
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
