/* test_command.c - predictions from a local program: its input line,
 * integer and scaled decimal answers, each way it can fail, a timeout that
 * covers the writing of a large input, no SIGPIPE state changed and no
 * descriptor left open. */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "node/command.h"

/* 2^256 - 1, the int256 form of -1 */
#define NEG1 "115792089237316195423570985008687907853269984665640564039457584007913129639935"

/* The descriptors this process has open. */
static int
open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	if (d == NULL)
		return -1;
	while (readdir(d) != NULL)
		n++;
	closedir(d);
	return n;
}

static void
run_data(json_t *data, const char *cmd, unsigned decimals, unsigned timeout,
    int code, const char *want, const char *want_raw)
{
	char out[DENAI_U256_DEC_MAX] = "", *raw = (char *)"x";
	denai_err err;
	int rc;

	denai_err_clear(&err);
	rc = denai_command_predict(out, &raw, cmd, data, decimals, timeout,
	    &err);
	if (code == DENAI_OK)
		is_str(rc == 0 ? out : err.msg, want, cmd);
	else
		ok(rc == -1 && err.code == code && strstr(err.msg, want) != NULL,
		    "%s: fails (%s)", cmd, err.msg);
	if (want_raw != NULL)
		is_str(raw, want_raw, "  its output as printed");
	else
		ok(raw == NULL, "  no output kept");
	free(raw);
	json_decref(data);
}

static void
run(const char *cmd, unsigned decimals, unsigned timeout, int code,
    const char *want, const char *want_raw)
{
	run_data(json_pack("[[f, f]]", 1.5, 2.0), cmd, decimals, timeout, code,
	    want, want_raw);
}

/* A data point of n numbers: its JSON line is about 2n bytes. */
static json_t *
big_point(size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_integer((json_int_t)(i % 10)));
	return a;
}

int
main(void)
{
	char zeros[256];
	int fds = open_fds();
	struct sigaction sa;

	run("echo 42", 0, 10, DENAI_OK, "42", "42");
	run("printf '7 \\r\\n\\n'", 0, 10, DENAI_OK, "7", "7");
	run("read l; test \"$l\" = '[[1.5,2.0]]' && echo 1", 0, 10, DENAI_OK,
	    "1", "1");
	run("echo 1.25", 2, 10, DENAI_OK, "125", "1.25");
	run("echo -1", 0, 10, DENAI_OK, NEG1, "-1");
	run("echo 0.5", 0, 10, DENAI_OK, "1", "0.5");
	run("echo abc", 0, 10, DENAI_EDATA, "command printed no number: abc",
	    "abc");
	run("true", 0, 10, DENAI_EDATA, "printed no number", "");
	run("echo nan", 0, 10, DENAI_EDATA, "command output: ", "nan");
	run("echo 1; exit 3", 0, 10, DENAI_EPEER,
	    "command exited with status 3", NULL);
	run("exec sleep 5", 0, 1, DENAI_EPEER, "command timed out after 1 s",
	    NULL);
	/* Output past 255 bytes is read and dropped: of 299 zeros and a 1,
	 * the first 255 zeros are the answer. */
	memset(zeros, '0', 255);
	zeros[255] = '\0';
	run("printf %0300d 1", 0, 10, DENAI_OK, "0", zeros);

	/* 256 KiB of input to a program that never reads it: the timeout
	 * covers the writes (they used to block before it started). */
	run_data(big_point(128 * 1024), "exec sleep 5", 0, 1, DENAI_EPEER,
	    "command timed out after 1 s", NULL);
	/* One that answers without reading it: EPIPE, no SIGPIPE kills us. */
	run_data(big_point(128 * 1024), "echo 9", 0, 10, DENAI_OK, "9", "9");
	/* One that reads it all first. */
	run_data(big_point(128 * 1024), "wc -c", 0, 10, DENAI_OK, "262146",
	    "262146");
	ok(sigaction(SIGPIPE, NULL, &sa) == 0 && sa.sa_handler == SIG_DFL,
	    "SIGPIPE's disposition is left as it was");
	ok(fds > 0 && open_fds() == fds, "no descriptor left open (%d)",
	    open_fds());
	return done_testing();
}
